import IAMPolicy

/// Terraform plans and state as `terraform show -json` writes them: the policy documents of `aws_iam_role`
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
        CloudFormationSource.contains(file.bytes, "\"format_version\"") && CloudFormationSource.contains(file.bytes, "\"terraform_version\"")
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
        "aws_s3_bucket_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_sqs_queue_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_sns_topic_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_kms_key": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_secretsmanager_secret_policy": [("policy", .resource, .templateResourcePolicy, nil)],
        "aws_ecr_repository_policy": [("policy", .resource, .templateResourcePolicy, nil)],
    ]

    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        guard let tree = try? loader.parser.parse(file.bytes), tree["terraform_version"] != nil,
              let (module, pointer) = Self.rootModule(of: tree) else { return nil }
        let unknown = Self.unknownAttributes(tree)
        var reading = SourceReading()
        var resources: [(JSONNode, JSONPointer)] = []
        Self.collect(module, pointer: pointer, into: &resources, depth: 0)
        let name = file.name, bytes = file.bytes
        for (resource, resourcePointer) in resources {
            guard resource["mode"]?.stringValue != "data", let type = resource["type"]?.stringValue,
                  let slots = Self.documents[type], let values = resource["values"] else { continue }
            let address = resource["address"]?.stringValue ?? type
            let unknownHere = unknown[address] ?? []
            reading.units.append(SourceUnit {
                Self.unit(resource: values, type: type, address: address, pointer: resourcePointer.appending("values"), slots: slots,
                          unknown: unknownHere, tree: tree, file: name, bytes: bytes, loader: loader)
            })
        }
        if reading.units.isEmpty { reading.notAuditable = "a Terraform plan with no IAM policy documents" }
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
        if type == "aws_iam_role" {
            for (index, inline) in (values["inline_policy"]?.arrayValue ?? []).enumerated() {
                guard let node = inline["policy"], node.stringValue?.isEmpty == false else { continue }
                let policyName = inline["name"]?.stringValue.map { "policy \($0)" } ?? "policy \(index)"
                documents.append((node, pointer.appending("inline_policy").appending(index).appending("policy"), .identity,
                                  .templateInline, "resource \(address), \(policyName)"))
            }
            if unknown.contains("inline_policy") {
                unit.problems.append(ReadingProblem(.unread, message: "'inline_policy' is not known until apply, so it is not audited",
                                                    pointer: pointer, span: values.span))
            }
            if let name = values["name"]?.stringValue { unit.identity = .role(name: name, attachedPolicies: []) }
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

    /// The root module: `planned_values.root_module` of a plan, `values.root_module` of a state.
    static func rootModule(of tree: JSONNode) -> (JSONNode, JSONPointer)? {
        if let module = tree["planned_values"]?["root_module"] { return (module, JSONPointer(tokens: ["planned_values", "root_module"])) }
        if let module = tree["values"]?["root_module"] { return (module, JSONPointer(tokens: ["values", "root_module"])) }
        return nil
    }

    /// Every resource of `module` and its child modules, with its pointer.
    static func collect(_ module: JSONNode, pointer: JSONPointer, into resources: inout [(JSONNode, JSONPointer)], depth: Int) {
        guard depth < 64 else { return }
        for (index, resource) in (module["resources"]?.arrayValue ?? []).enumerated() {
            resources.append((resource, pointer.appending("resources").appending(index)))
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
            let names = marks.filter { member in
                if member.value.boolValue == true { return true }
                // A list or object with an unknown element (an inline policy whose document is unknown).
                return member.value.canonicalText(limit: 10_000).contains("true")
            }.map(\.key)
            if !names.isEmpty { unknown[address] = Set(names) }
        }
        return unknown
    }
}
