import IAMPolicy

/// Terraform plans and state as `terraform show -json` writes them, and raw state files (`terraform.tfstate`): the policy documents of `aws_iam_role`
/// (`assume_role_policy`, `inline_policy`), `aws_iam_role_policy`, `aws_iam_policy`, `aws_iam_user_policy`,
/// `aws_iam_group_policy` and the resource policies (`aws_s3_bucket_policy`, `aws_sqs_queue_policy`,
/// `aws_sns_topic_policy`, `aws_kms_key`, `aws_secretsmanager_secret_policy`, `aws_ecr_repository_policy`), in
/// every module. Each resource is a unit named by its address; a document is a JSON string inside the plan, parsed
/// and reported at the line and column of each value inside that string. A document Terraform does not know until apply (`after_unknown`) cannot be audited,
/// which is an IAM037 error, never a silent pass.
///
/// Reference: Terraform, "JSON Output Format" (https://developer.hashicorp.com/terraform/internals/json-format);
/// the AWS provider's resource documentation for the attributes.
public struct TerraformPlanSource: DocumentSource {
    public static let name = "Terraform plan"

    public init() {}

    public static func walks(fileName: String) -> Bool {
        fileName.lowercased().hasSuffix(".json")
    }

    public static func recognizes(_ file: SourceFile) -> Bool {
        ByteSearch.contains(file.bytes, "\"terraform_version\"")
            && (ByteSearch.contains(file.bytes, "\"format_version\"") || ByteSearch.contains(file.bytes, "\"lineage\""))
    }

    /// A policy document attribute: its name, the kind and container of the document, and its name in messages.
    typealias Slot = (attribute: String, kind: PolicyKind, container: PolicyContainer, label: String?)

    /// Where each resource type holds policy documents.
    static let documents: [String: [Slot]] = [
        "aws_iam_role": [("assume_role_policy", .trust, .templateRoleTrust, "trust policy")],
        "aws_iam_role_policy": [("policy", .identity, .templateInline, nil)],
        "aws_iam_user_policy": [("policy", .identity, .templateInline, nil)],
        "aws_iam_group_policy": [("policy", .identity, .templateInline, nil)],
        "aws_iam_policy": [("policy", .identity, .templateManagedPolicy, nil)],
        "awscc_iam_role": [("assume_role_policy_document", .trust, .templateRoleTrust, "trust policy")],
        "awscc_iam_role_policy": [("policy_document", .identity, .templateInline, nil)],
        "awscc_iam_managed_policy": [("policy_document", .identity, .templateManagedPolicy, nil)],
        "aws_s3_bucket_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_s3_bucket": [("policy", .resource, .templateResourcePolicy, "bucket policy")],
        "aws_s3_access_point": [("policy", .resource, .templateResourcePolicy, "access point policy")],
        "aws_sqs_queue_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_sqs_queue": [("policy", .resource, .templateResourcePolicy, "queue policy")],
        "aws_sns_topic_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_sns_topic": [("policy", .resource, .templateResourcePolicy, "topic policy")],
        "aws_kms_key": [("policy", .resource, .templateResourcePolicy, "key policy")],
        "aws_kms_key_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_secretsmanager_secret_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_secretsmanager_secret": [("policy", .resource, .templateResourcePolicy, "secret policy")],
        "aws_ecr_repository_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_ecr_registry_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_cloudwatch_log_resource_policy": [("policy_document", .resource, .templateResourcePolicy, nil)],
        "aws_opensearch_domain_policy": [("access_policies", .resource, .templateResourcePolicy, nil)],
        "aws_elasticsearch_domain_policy": [("access_policies", .resource, .templateResourcePolicy, nil)],
        "aws_opensearch_domain": [("access_policies", .resource, .templateResourcePolicy, "access policy")],
        "aws_api_gateway_rest_api_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_api_gateway_rest_api": [("policy", .resource, .templateResourcePolicy, "resource policy")],
        "aws_efs_file_system_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_glacier_vault": [("access_policy", .resource, .templateResourcePolicy, "access policy")],
        "aws_backup_vault_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_cloudwatch_event_bus_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_lambda_permission": [],
        "aws_lambda_layer_version_permission": [],
        "aws_iam_role_policy_attachment": [],
        "aws_iam_policy_attachment": [],
        "aws_iam_user_policy_attachment": [],
        "aws_iam_group_policy_attachment": [],
        "aws_iam_role_policy_attachments_exclusive": [],
    ]

    /// The attribute naming the role whose permissions a resource's document joins (`aws_iam_role_policy.role`).
    static let roleAttribute: [String: String] = ["aws_iam_role_policy": "role", "awscc_iam_role_policy": "role_name"]

    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        guard let tree = try? loader.parser.parse(file.bytes), tree["terraform_version"] != nil else { return nil }
        // Each resource with the pointer of its values.
        var resources: [(JSONNode, JSONPointer)] = []
        if let (module, pointer) = Self.rootModule(of: tree) {
            Self.collect(module, pointer: pointer, into: &resources, depth: 0)
        } else if let stateResources = tree["resources"]?.arrayValue {
            // A raw state file (`terraform.tfstate`, version 4): each instance's `attributes` are its values.
            for (index, resource) in stateResources.enumerated() {
                for (number, instance) in (resource["instances"]?.arrayValue ?? []).enumerated() {
                    guard let attributes = instance["attributes"] else { continue }
                    var members = resource.objectValue ?? []
                    members.removeAll { $0.key == "instances" }
                    let address = (resource["module"]?.stringValue.map { $0 + "." } ?? "")
                        + "\(resource["type"]?.stringValue ?? "?").\(resource["name"]?.stringValue ?? "?")"
                        + (instance["index_key"].map { "[\($0.canonicalText(limit: 200))]" } ?? "")
                    members.append(JSONMember(key: "address", keySpan: resource.span, value: JSONNode(.string(address), span: resource.span)))
                    members.append(JSONMember(key: "values", keySpan: attributes.span, value: attributes))
                    resources.append((JSONNode(.object(members), span: resource.span),
                                      JSONPointer(tokens: ["resources", String(index), "instances", String(number), "attributes"])))
                }
            }
        } else {
            return nil
        }
        let unknown = Self.unknownAttributes(tree)
        var reading = SourceReading()
        // A plan Terraform could not finish holds only part of the changes: what it leaves out is not audited.
        if tree["errored"]?.boolValue == true || tree["complete"]?.boolValue == false {
            reading.problems.append(ReadingProblem(.unread, message: "the plan is \(tree["errored"]?.boolValue == true ? "errored" : "incomplete"), so the changes it leaves out are not audited",
                                                   pointer: .root, span: tree.span))
        }
        let name = file.name, bytes = file.bytes
        let attachments = Self.attachedRoles(resources, configuration: tree["configuration"])
        for (resource, valuesPointer) in resources {
            // A CloudFormation template in the plan (`aws_cloudformation_stack`, `…_stack_set`) is deployed by
            // CloudFormation: IAM it declares is not read.
            if resource["mode"]?.stringValue != "data", let type = resource["type"]?.stringValue, Self.templateBodyTypes.contains(type),
               let body = resource["values"]?["template_body"], let reason = IAMSniff.nestedTemplateIAM(body) {
                let address = resource["address"]?.stringValue ?? type
                reading.problems.append(ReadingProblem(.unread, message: "the template_body of \(address) \(reason), and it is not read, "
                                                       + "so its roles' trust and permissions are not audited; keep that template in a file of its own and audit it",
                                                       pointer: valuesPointer.appending("template_body"), span: body.span))
            }
            guard resource["mode"]?.stringValue != "data", let type = resource["type"]?.stringValue,
                  let slots = Self.documents[type], let values = resource["values"] else { continue }
            let address = resource["address"]?.stringValue ?? type
            let unknownHere = unknown[address] ?? []
            // A managed policy attached to roles of the plan is each role's permissions, audited once per role.
            let roles: [String?] = type == "aws_iam_policy" ? (attachments[address].map { $0.map(Optional.some) } ?? [nil]) : [nil]
            for role in roles {
                reading.units.append(SourceUnit {
                    var unit = Self.unit(resource: values, type: type, address: address, pointer: valuesPointer, slots: slots,
                                         unknown: unknownHere, tree: tree, file: name, bytes: bytes, loader: loader)
                    if let role {
                        unit.identity = .role(name: role, attachedPolicies: [])
                        unit.label = "resource \(address) (role \(role))"
                    }
                    return unit
                })
            }
        }
        if reading.units.isEmpty && reading.problems.isEmpty { reading.notAuditable = "a Terraform plan with no IAM policy documents" }
        return reading
    }

    static func unit(resource values: JSONNode, type: String, address: String, pointer: JSONPointer,
                     slots: [Slot], unknown: Set<String>,
                     tree: JSONNode, file: String, bytes: [UInt8], loader: PolicyLoader) -> UnitReading {
        var unit = UnitReading(tree: tree, base: .root, label: "resource \(address)")
        var documents: [(JSONNode, JSONPointer, PolicyKind, PolicyContainer, String)] = []
        for slot in slots {
            if let node = values[slot.attribute], node.stringValue?.isEmpty == false {
                documents.append((node, pointer.appending(slot.attribute), slot.kind, slot.container,
                                  "resource \(address)" + (slot.label.map { ", \($0)" } ?? "")))
            } else if unknown.contains(slot.attribute) {
                unit.problems.append(ReadingProblem(.unread, message: "'\(slot.attribute)' is not known until apply, so it is not audited",
                                                    pointer: pointer, span: values.span))
            }
        }
        if type == "aws_iam_role" || type == "awscc_iam_role" {
            let (list, documentKey, nameKey) = type == "aws_iam_role" ? ("inline_policy", "policy", "name") : ("policies", "policy_document", "policy_name")
            for (index, inline) in (values[list]?.arrayValue ?? []).enumerated() {
                guard let node = inline[documentKey], node.stringValue?.isEmpty == false else { continue }
                let policyName = inline[nameKey]?.stringValue.map { "policy \($0)" } ?? "policy \(index)"
                documents.append((node, pointer.appending(list).appending(index).appending(documentKey), .identity,
                                  .templateInline, "resource \(address), \(policyName)"))
            }
            // `inline_policy` is computed: a new role's plan marks it unknown as a whole. Only a block whose
            // document is unknown (a list entry marked unknown) is IAM the plan does not show.
            if unknown.contains("\(list)[]") {
                unit.problems.append(ReadingProblem(.unread, message: "a '\(list)' document is not known until apply, so it is not audited",
                                                    pointer: pointer, span: values.span))
            }
            let nameAttribute = type == "aws_iam_role" ? "name" : "role_name"
            if let name = values[nameAttribute]?.stringValue { unit.identity = .role(name: name, attachedPolicies: []) }
        }
        if let attribute = roleAttribute[type], let role = values[attribute]?.stringValue {
            // A role policy joins the permissions of the role it names.
            unit.identity = .role(name: role.split(separator: "/").last.map(String.init) ?? role, attachedPolicies: [])
        }
        // Managed policies attached by ARN: an AWS managed one that grants broad access is IAM the plan does not spell out.
        var attached: [(JSONNode, JSONPointer)] = []
        if let arn = values["policy_arn"] { attached.append((arn, pointer.appending("policy_arn"))) }
        for key in ["managed_policy_arns", "policy_arns"] {
            for (index, arn) in (values[key]?.arrayValue ?? []).enumerated() { attached.append((arn, pointer.appending(key).appending(index))) }
        }
        for (arn, at) in attached {
            if let name = arn.stringValue, TemplateReader.isBroadManagedPolicy(name) {
                unit.problems.append(ReadingProblem(.unread, message: "AWS managed policy '\(name)' grants broad permissions iam-audit does not read; attach a policy scoped to what the role needs",
                                                    pointer: at, span: arn.span))
            }
        }
        if type == "aws_lambda_permission" || type == "aws_lambda_layer_version_permission" {
            // The statement the permission adds to the function's (or layer's) resource-based policy.
            let properties = JSONNode(.object(values.objectValue?.compactMap { member in
                guard !member.value.isNull, member.value.stringValue?.isEmpty != true else { return nil }
                let renamed = ["principal": "Principal", "action": "Action", "function_name": "FunctionName", "source_arn": "SourceArn",
                               "source_account": "SourceAccount", "principal_org_id": "PrincipalOrgID", "organization_id": "OrganizationId",
                               "layer_name": "LayerVersionArn", "function_url_auth_type": "FunctionUrlAuthType"][member.key]
                return renamed.map { JSONMember(key: $0, keySpan: member.keySpan, value: member.value) }
            } ?? []), span: values.span)
            if let document = TemplatePermissionDocument.document(fromProperties: properties) {
                documents.append((document, pointer, .resource, .templateResourcePolicy, "resource \(address), permission"))
            }
        }
        for (node, documentPointer, kind, container, label) in documents {
            switch loader.document(at: node, pointer: documentPointer, file: file, container: container, label: label, source: bytes) {
            case .success(var policy):
                policy.kind = kind
                unit.documents.append(AuditDocument(policy: policy))
            case .failure(.syntax(let failure)):
                unit.problems.append(ReadingProblem(.syntax, message: failure.message, pointer: failure.pointer, span: failure.span))
            case .failure(.notAPolicy(let reason)):
                unit.problems.append(ReadingProblem(.unread, message: reason, pointer: documentPointer, span: node.span))
            }
        }
        if unit.identity == .file { unit.identity = .unplaced }
        return unit
    }

    /// For each `aws_iam_policy` of the plan (by address), the names of the roles that attach it: through
    /// `aws_iam_role_policy_attachment` (`role`), `aws_iam_policy_attachment` (`roles`) or a role's
    /// `managed_policy_arns`. The policy is found by its ARN's name when the plan knows the ARN, else by the
    /// attachment's reference to it in the plan's `configuration` (a new policy's ARN is known only after apply).
    static func attachedRoles(_ resources: [(JSONNode, JSONPointer)], configuration: JSONNode?) -> [String: [String]] {
        var policiesByName: [String: String] = [:]
        for (resource, _) in resources where resource["type"]?.stringValue == "aws_iam_policy" {
            if let address = resource["address"]?.stringValue, let name = resource["values"]?["name"]?.stringValue {
                policiesByName[name] = address
            }
        }
        // Configuration references, by the attaching resource's address (root module).
        var references: [String: [String]] = [:]
        for resource in configuration?["root_module"]?["resources"]?.arrayValue ?? [] {
            guard let address = resource["address"]?.stringValue, let expressions = resource["expressions"] else { continue }
            for key in ["policy_arn", "managed_policy_arns"] {
                for reference in expressions[key]?["references"]?.arrayValue ?? [] {
                    guard let text = reference.stringValue, text.hasPrefix("aws_iam_policy.") else { continue }
                    let target = text.hasSuffix(".arn") ? String(text.dropLast(4)) : text
                    if references[address]?.contains(target) != true { references[address, default: []].append(target) }
                }
            }
        }
        var result: [String: [String]] = [:]
        func attach(_ role: String, policies: [String]) {
            for policy in policies where result[policy]?.contains(role) != true { result[policy, default: []].append(role) }
        }
        func policies(arns: [String], address: String) -> [String] {
            let byName = arns.compactMap { arn in arn.split(separator: "/").last.flatMap { policiesByName[String($0)] } }
            return byName + (references[address] ?? []).filter { !byName.contains($0) }
        }
        for (resource, _) in resources {
            guard let type = resource["type"]?.stringValue, let values = resource["values"],
                  let address = resource["address"]?.stringValue else { continue }
            switch type {
            case "aws_iam_role_policy_attachment":
                guard let role = values["role"]?.stringValue else { continue }
                attach(role.split(separator: "/").last.map(String.init) ?? role,
                       policies: policies(arns: values["policy_arn"]?.stringValue.map { [$0] } ?? [], address: address))
            case "aws_iam_policy_attachment":
                let found = policies(arns: values["policy_arn"]?.stringValue.map { [$0] } ?? [], address: address)
                for role in values["roles"]?.arrayValue?.compactMap(\.stringValue) ?? [] { attach(role, policies: found) }
            case "aws_iam_role":
                guard let role = values["name"]?.stringValue else { continue }
                attach(role, policies: policies(arns: values["managed_policy_arns"]?.arrayValue?.compactMap(\.stringValue) ?? [], address: address))
            default:
                continue
            }
        }
        return result
    }

    /// Resource types holding a CloudFormation template in `template_body`.
    static let templateBodyTypes: Set<String> = ["aws_cloudformation_stack", "aws_cloudformation_stack_set", "awscc_cloudformation_stack_set",
                                                   "awscc_cloudformation_stack"]

    /// The root module: `planned_values.root_module` of a plan, `values.root_module` of a state.
    static func rootModule(of tree: JSONNode) -> (JSONNode, JSONPointer)? {
        if let module = tree["planned_values"]?["root_module"] { return (module, JSONPointer(tokens: ["planned_values", "root_module"])) }
        if let module = tree["values"]?["root_module"] { return (module, JSONPointer(tokens: ["values", "root_module"])) }
        return nil
    }

    /// Every resource of `module` and its child modules, with the pointer of its values.
    static func collect(_ module: JSONNode, pointer: JSONPointer, into resources: inout [(JSONNode, JSONPointer)], depth: Int) {
        guard depth < 64 else { return }
        for (index, resource) in (module["resources"]?.arrayValue ?? []).enumerated() {
            resources.append((resource, pointer.appending("resources").appending(index).appending("values")))
        }
        for (index, child) in (module["child_modules"]?.arrayValue ?? []).enumerated() {
            collect(child, pointer: pointer.appending("child_modules").appending(index), into: &resources, depth: depth + 1)
        }
    }

    /// Resource address → the top-level attributes a plan marks unknown until apply (`after_unknown`).
    static func unknownAttributes(_ tree: JSONNode) -> [String: Set<String>] {
        var unknown: [String: Set<String>] = [:]
        for change in tree["resource_changes"]?.arrayValue ?? [] {
            guard let address = change["address"]?.stringValue, let marks = change["change"]?["after_unknown"]?.objectValue else { continue }
            var names: [String] = []
            for member in marks {
                if member.value.boolValue == true { names.append(member.key) }
                // A list with an unknown element (an inline policy whose document is unknown): `name[]`.
                if let elements = member.value.arrayValue, elements.contains(where: { $0.canonicalText(limit: 10_000).contains("true") }) {
                    names.append(member.key + "[]")
                }
            }
            if !names.isEmpty { unknown[address] = Set(names) }
        }
        return unknown
    }
}
