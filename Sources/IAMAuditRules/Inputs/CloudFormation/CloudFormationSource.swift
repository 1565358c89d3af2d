import IAMPolicy

/// CloudFormation and SAM templates, JSON or YAML (CDK's `cdk.out/*.template.json` are such templates): the policy documents
/// of IAM roles, users, groups and policies, of SAM functions, and the resource-based policies that hold IAM
/// grammar. Each resource is a unit; its documents' intrinsics are evaluated (``TemplateIntrinsics``) and read
/// soundly (``SoundReading``), with every combination of the `Fn::If` conditions and multi-valued parameters a
/// document depends on audited (a finding several combinations share is reported once, at the branch that
/// produced it). Findings point into the template, at the value or the intrinsic that produced it, and messages
/// name the resource's logical id.
///
/// References: AWS CloudFormation User Guide, "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
/// "AWS::IAM::RolePolicy", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy",
/// "AWS::KMS::Key", "AWS::SecretsManager::ResourcePolicy", "AWS::ECR::Repository"; AWS SAM Developer Guide,
/// "AWS::Serverless::Function" (`Policies`).
public struct CloudFormationSource: DocumentSource {
    public static let name = "CloudFormation template"

    public init() {}

    public static func walks(fileName: String) -> Bool {
        let lower = fileName.lowercased()
        return lower.hasSuffix(".json") || isYAMLName(lower) || lower.hasSuffix(".template")
    }

    static func isYAMLName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// A file naming `AWSTemplateFormatVersion`, or `Resources` beside a `Type`: found by a byte search first,
    /// confirmed on the tree in ``read(_:loader:)``.
    public static func recognizes(_ file: SourceFile) -> Bool {
        let bytes = file.bytes
        // JSON keys are quoted; YAML's need not be.
        let quote = isYAMLName(file.name) || file.name.lowercased().hasSuffix(".template") ? "" : "\""
        if ByteSearch.contains(bytes, quote + "AWSTemplateFormatVersion" + quote) { return true }
        if ByteSearch.contains(bytes, quote + "Resources" + quote) && ByteSearch.contains(bytes, quote + "Type" + quote) { return true }
        // Keys may be written with escapes (`"Resourc\u0065s"`, in YAML also `\x65`, `\U00000065` or an escaped
        // line break): such a file is looked at closer, unless it is an account dump (whose strings often hold
        // escapes, and which must never be parsed whole).
        return (ByteSearch.contains(bytes, "\\u") || (quote.isEmpty && ByteSearch.contains(bytes, "\\"))) && !AuthorizationDetailsScan.mayHold(bytes)
    }


    /// The template's tree: JSON, or YAML with CloudFormation's short-form tags (`!Sub`, `!Ref`, …) for a file named
    /// `*.yaml`, `*.yml` or `*.template` that is not JSON. A YAML template that does not parse is a syntax finding at
    /// its position; a file that is neither is left to the next source.
    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        if let tree = try? loader.parser.parse(file.bytes) {
            return Self.isTemplate(tree) ? TemplateReader(tree: tree, file: file.name, loader: loader, design: file.design, stack: file.stack).reading() : nil
        }
        let lower = file.name.lowercased()
        guard Self.isYAMLName(lower) || lower.hasSuffix(".template") else { return nil }
        let tree: JSONNode
        do {
            tree = try YAMLParser(options: YAMLParser.Options(cloudFormationTags: true)).parse(file.bytes)
        } catch {
            // A YAML file that names a template's keys but does not read: the error is the template's.
            return SourceReading(problems: [ReadingProblem(.syntax, message: "not valid YAML: \(error.message)", pointer: .root,
                                                           span: SourceSpan(at: error.position))])
        }
        return Self.isTemplate(tree) ? TemplateReader(tree: tree, file: file.name, loader: loader, design: file.design, stack: file.stack).reading() : nil
    }

    /// Whether `tree` is a template: an object with `AWSTemplateFormatVersion`, or `Resources` whose every value is
    /// an object with a string `Type`.
    static func isTemplate(_ tree: JSONNode) -> Bool {
        guard tree.objectValue != nil else { return false }
        if tree["AWSTemplateFormatVersion"] != nil { return true }
        guard let resources = tree["Resources"]?.objectValue, !resources.isEmpty else { return false }
        return resources.contains { $0.value["Type"]?.stringValue != nil }
            && resources.allSatisfy { $0.value["Type"]?.stringValue != nil || TemplateReader.isMacro($0.key) }
    }
}

/// Reads the documents of one parsed template.
struct TemplateReader {
    let tree: JSONNode
    let file: String
    let loader: PolicyLoader
    let design: Design?
    /// The environment whose stack the template is read as.
    var stack: Design.Environment? = nil

    /// The most combinations of conditions and parameter values audited one by one per document; beyond, the
    /// remaining choices are read as not known (every value they allow), with a note.
    static let maxVariants = 16

    /// Where a policy document sits in a resource.
    struct DocumentSlot {
        var pointer: JSONPointer
        var node: JSONNode
        var container: PolicyContainer
        var kind: PolicyKind?
        var label: String
        /// The member of the evaluated node that holds the document (`PolicyDocument` of a `Policies` entry given
        /// by `Fn::If`); nil when the node is the document.
        var extract: String? = nil
        /// Builds the document from the evaluated node, for a resource that states a permission in properties of
        /// its own (`AWS::Lambda::Permission`) rather than as a policy document.
        var build: (@Sendable (JSONNode, TemplatePermissionDocument.Place) -> JSONNode?)? = nil
        /// Whether the document's text is not the template's (a SAM policy template's statements, written by AWS):
        /// the grammar rules do not judge it.
        var generated = false
    }

    func reading() -> SourceReading {
        var reading = SourceReading()
        let resources = tree["Resources"]?.objectValue ?? []
        let resourcesPointer = JSONPointer(tokens: ["Resources"])
        let tree = self.tree, file = self.file, loader = self.loader, design = self.design, stack = self.stack
        let model = TemplateModel(root: tree, design: design, stack: stack)
        for member in resources {
            let logicalId = member.key
            let resource = member.value
            let pointer = resourcesPointer.appending(logicalId)
            guard !Self.slots(of: resource, logicalId: logicalId, pointer: pointer).isEmpty
                    || !Self.unreadPolicies(of: resource, logicalId: logicalId, pointer: pointer).isEmpty else { continue }
            // A role whose name depends on a choice (`!Sub deploy-${Env}` over allowed values) is one role per
            // value, each placed by its own name and audited with that value.
            let attachedTo = attachedRoleNames(resource, logicalId: logicalId, pointer: pointer, model: model)
            for fixed in roleNameVariants(resource, pointer: pointer, model: model) {
                for role in attachedTo.isEmpty ? [nil] : attachedTo.map(Optional.some) {
                    reading.units.append(SourceUnit {
                        TemplateReader(tree: tree, file: file, loader: loader, design: design, stack: stack)
                            .unit(logicalId: logicalId, resource: resource, pointer: pointer, model: model, fixed: fixed, attachedTo: role)
                    })
                }
            }
        }
        reading.deployedResources = deployedResources(model: model)
        reading.stackServices = stackServices().map { [$0] } ?? []
        if reading.units.isEmpty && resources.isEmpty {
            reading.notAuditable = "a CloudFormation template with no resources"
        }
        return reading
    }

    /// The roles whose permissions a policy resource joins (`AWS::IAM::RolePolicy` `RoleName`, `AWS::IAM::Policy` and
    /// `AWS::IAM::ManagedPolicy` `Roles`), by name where the template resolves it.
    func attachedRoleNames(_ resource: JSONNode, logicalId: String, pointer: JSONPointer, model: TemplateModel) -> [String] {
        guard let type = resource["Type"]?.stringValue, let properties = resource["Properties"] else { return [] }
        var nodes: [JSONNode] = switch type {
        case "AWS::IAM::RolePolicy": properties["RoleName"].map { [$0] } ?? []
        case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy": properties["Roles"]?.arrayValue ?? []
        default: []
        }
        // A managed policy a role of the template attaches itself (`ManagedPolicyArns: [!Ref Policy]`, the policy's
        // ARN) joins that role's permissions too.
        if type == "AWS::IAM::ManagedPolicy" {
            for member in tree["Resources"]?.objectValue ?? [] where member.value["Type"]?.stringValue == "AWS::IAM::Role" {
                let arns = member.value["Properties"]?["ManagedPolicyArns"]?.arrayValue ?? []
                func names(_ arn: JSONNode) -> Bool {
                    guard arn.objectValue?.count == 1 else { return false }
                    if arn["Ref"]?.stringValue == logicalId { return true }
                    let attribute = arn["Fn::GetAtt"]
                    return attribute?.stringValue == "\(logicalId).PolicyArn"
                        || attribute?.arrayValue?.compactMap(\.stringValue) == [logicalId, "PolicyArn"]
                }
                guard arns.contains(where: names),
                      let roleName = member.value["Properties"]?["RoleName"] else { continue }
                nodes.append(roleName)
            }
        }
        var names: [String] = []
        for node in nodes {
            var intrinsics = TemplateIntrinsics(template: model)
            guard let name = intrinsics.evaluate(node, pointer: pointer)?.stringValue, !TemplateIntrinsics.holds(name),
                  !names.contains(name) else { continue }
            names.append(name)
        }
        return names
    }

    /// The choices a role's `RoleName` depends on, one set per combination (a single empty set when it depends on
    /// none, or on too many).
    func roleNameVariants(_ resource: JSONNode, pointer: JSONPointer, model: TemplateModel) -> [[Choice: Int]] {
        guard resource["Type"]?.stringValue == "AWS::IAM::Role", let name = resource["Properties"]?["RoleName"] else { return [[:]] }
        let variants = Self.variants(of: name, pointer: pointer, model: model)
        return variants.complete ? variants.combinations : [[:]]
    }

    /// Every combination of the conditions and multi-valued parameters `node` depends on, at most ``maxVariants``;
    /// `complete` is false when there were more.
    static func variants(of node: JSONNode, pointer: JSONPointer, model: TemplateModel,
                         fixed: [Choice: Int] = [:]) -> (combinations: [[Choice: Int]], complete: Bool) {
        var probe = TemplateIntrinsics(template: model)
        probe.probing = true
        _ = probe.evaluate(node, pointer: pointer)
        let choices = probe.conditionsMet.map { Choice.condition($0) }
            + probe.parametersMet.map { Choice.parameter($0, count: model.parameters[$0]?["AllowedValues"]?.arrayValue?.count ?? 1) }
        var combinations: [[Choice: Int]] = [fixed]
        var complete = true
        for choice in choices where !fixed.keys.contains(where: { $0.name == choice.name }) {
            let next = combinations.flatMap { variant in (0..<choice.count).map { value in variant.merging([choice: value]) { $1 } } }
            if next.count > maxVariants {
                complete = false
                break
            }
            combinations = next
        }
        return (combinations, complete)
    }

    /// The policy documents of one resource, each audited once per combination of the choices it depends on,
    /// with the choices in `fixed` held.
    /// - Parameter attachedTo: the role a policy resource joins, which places it.
    /// - Parameter model: the template's parameters, conditions and resource names, built once per template.
    func unit(logicalId: String, resource: JSONNode, pointer: JSONPointer, model: TemplateModel, fixed: [Choice: Int] = [:],
              attachedTo: String? = nil) -> UnitReading {
        var unit = UnitReading(tree: tree, base: .root, label: "resource \(logicalId)")
        var seen = Set<String>()
        for slot in Self.slots(of: resource, logicalId: logicalId, pointer: pointer) {
            let variants = Self.variants(of: slot.node, pointer: slot.pointer, model: model, fixed: fixed).combinations
            for (number, variant) in variants.enumerated() {
                var intrinsics = TemplateIntrinsics(template: model)
                intrinsics.unchosenAreHoles = true
                for (choice, value) in variant { intrinsics.choose(choice, value) }
                guard var evaluated = intrinsics.evaluate(slot.node, pointer: slot.pointer) else { continue }
                if let extract = slot.extract {
                    guard let inner = evaluated[extract] else { continue }
                    evaluated = inner
                }
                if let build = slot.build {
                    guard let built = build(evaluated, TemplatePermissionDocument.Place(model.pseudoParameters)) else { continue }
                    evaluated = built
                }
                // A document written as a JSON string (`!Sub '{"Version": …}'`): its holes are read inside it.
                if let text = evaluated.stringValue, let inner = try? JSONParser().parse(text), inner.objectValue != nil {
                    evaluated = inner.respanned(to: evaluated.span)
                }
                var sound = SoundReading()
                let read = sound.read(evaluated, pointer: slot.pointer)
                for note in Self.notes(intrinsics: intrinsics.unresolved, readings: sound.notes)
                where seen.insert("\(note.pointer)\u{0}\(note.value)").inserted {
                    unit.problems.append(ReadingProblem(.unresolved, message: note.value, pointer: note.pointer, span: note.span))
                }
                switch loader.document(at: read, pointer: slot.pointer, file: file, container: slot.container, label: slot.label) {
                case .success(var policy):
                    if let kind = slot.kind { policy.kind = kind }
                    policy.readingValues = slot.generated ? [slot.pointer] : sound.fabricated
                    unit.documents.append(AuditDocument(policy: policy, isVariant: number > 0))
                case .failure(.syntax(let failure)):
                    unit.problems.append(ReadingProblem(.syntax, message: failure.message, pointer: failure.pointer, span: failure.span))
                case .failure(.notAPolicy(let reason)):
                    unit.problems.append(ReadingProblem(.unread, message: reason, pointer: slot.pointer, span: slot.node.span))
                }
            }
        }
        unit.problems += Self.unreadPolicies(of: resource, logicalId: logicalId, pointer: pointer)
        unit.identity = .unplaced
        if let attachedTo {
            // A policy resource attached to a role is that role's permissions.
            unit.identity = .role(name: attachedTo, attachedPolicies: [])
            unit.label = "resource \(logicalId) (role \(attachedTo))"
            unit.documents = unit.documents.map { document in
                var placed = document
                placed.policy.label = (placed.policy.label ?? "resource \(logicalId)") + ", role \(attachedTo)"
                return placed
            }
        }
        if resource["Type"]?.stringValue == "AWS::IAM::Role", let nameNode = resource["Properties"]?["RoleName"] {
            // A role the template names is placed by that name, as an account's role is (an environment's `role`).
            var intrinsics = TemplateIntrinsics(template: model)
            intrinsics.unchosenAreHoles = true
            for (choice, value) in fixed { intrinsics.choose(choice, value) }
            if let name = intrinsics.evaluate(nameNode, pointer: pointer)?.stringValue, !TemplateIntrinsics.holds(name) {
                unit.identity = .role(name: name, attachedPolicies: [])
                if !fixed.isEmpty { unit.label = "resource \(logicalId) (\(name))" }
            }
        }
        return unit
    }

    /// One note per place: how a value was read, led by the intrinsics it depends on (`Ref BucketName (a parameter
    /// without default)`); an intrinsic no reading covers (a hole in a `Sid`) alone.
    static func notes(intrinsics: [Located<String>], readings: [Located<String>]) -> [Located<String>] {
        var covered = Set<Int>()
        var notes: [Located<String>] = readings.map { reading in
            let causes = intrinsics.indices.filter { intrinsics[$0].pointer.hasPrefix(reading.pointer) }
            covered.formUnion(causes)
            guard !causes.isEmpty else { return reading }
            let names = causes.map { intrinsics[$0].value }.joined(separator: ", ")
            return Located("\(names): \(reading.value)", pointer: reading.pointer, span: reading.span)
        }
        notes += intrinsics.indices.filter { !covered.contains($0) }.map { intrinsics[$0] }
        return notes
    }

    enum Choice: Hashable, Sendable {
        case condition(String)
        case parameter(String, count: Int)

        var name: String {
            switch self {
            case .condition(let name), .parameter(let name, _): name
            }
        }

        var count: Int {
            switch self {
            case .condition: 2
            case .parameter(_, let count): count
            }
        }
    }

    /// The policy documents a resource holds, by type.
    static func slots(of resource: JSONNode, logicalId: String, pointer: JSONPointer) -> [DocumentSlot] {
        guard let type = resource["Type"]?.stringValue, let properties = resource["Properties"] else { return [] }
        let propertiesPointer = pointer.appending("Properties")
        func document(_ name: String, container: PolicyContainer, kind: PolicyKind?, label: String) -> [DocumentSlot] {
            guard let node = properties[name] else { return [] }
            return [DocumentSlot(pointer: propertiesPointer.appending(name), node: node, container: container, kind: kind, label: label)]
        }
        // CDK output names each resource's construct path in its metadata.
        let label = "resource \(logicalId)" + (resource["Metadata"]?["aws:cdk:path"]?.stringValue.map { " (\($0))" } ?? "")
        func inlinePolicies(_ container: PolicyContainer) -> [DocumentSlot] {
            guard let policies = properties["Policies"]?.arrayValue else { return [] }
            return policies.enumerated().compactMap { index, policy in
                let entry = propertiesPointer.appending("Policies").appending(index)
                guard let node = policy["PolicyDocument"] else {
                    // An entry chosen by `Fn::If`: its `PolicyDocument` once evaluated, in every branch.
                    guard policy.objectValue?.count == 1, policy["Fn::If"] != nil else { return nil }
                    return DocumentSlot(pointer: entry, node: policy, container: container, kind: .identity,
                                        label: "\(label), policy \(index)", extract: "PolicyDocument")
                }
                let name = policy["PolicyName"]?.stringValue.map { "policy \($0)" } ?? "policy \(index)"
                return DocumentSlot(pointer: entry.appending("PolicyDocument"), node: node, container: container, kind: .identity,
                                    label: "\(label), \(name)")
            }
        }
        switch type {
        case "AWS::IAM::Role":
            return document("AssumeRolePolicyDocument", container: .templateRoleTrust, kind: .trust, label: "\(label), trust policy")
                + inlinePolicies(.templateInline)
        case "AWS::IAM::User", "AWS::IAM::Group":
            return inlinePolicies(.templateInline)
        case "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
            return document("PolicyDocument", container: .templateInline, kind: .identity, label: label)
        case "AWS::IAM::ManagedPolicy":
            return document("PolicyDocument", container: .templateManagedPolicy, kind: .identity, label: label)
        case "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy":
            return document("PolicyDocument", container: .templateResourcePolicy, kind: .resource, label: label)
        case "AWS::KMS::Key":
            return document("KeyPolicy", container: .templateResourcePolicy, kind: .resource, label: "\(label), key policy")
        case "AWS::SecretsManager::ResourcePolicy":
            return document("ResourcePolicy", container: .templateResourcePolicy, kind: .resource, label: label)
        case "AWS::ECR::Repository", "AWS::ECR::PublicRepository":
            return document("RepositoryPolicyText", container: .templateResourcePolicy, kind: .resource, label: "\(label), repository policy")
        case "AWS::SQS::QueueInlinePolicy", "AWS::SNS::TopicInlinePolicy", "AWS::Logs::ResourcePolicy":
            return document("PolicyDocument", container: .templateResourcePolicy, kind: .resource, label: label)
        case "AWS::KMS::ReplicaKey":
            return document("KeyPolicy", container: .templateResourcePolicy, kind: .resource, label: "\(label), key policy")
        case "AWS::ECR::RegistryPolicy":
            return document("PolicyText", container: .templateResourcePolicy, kind: .resource, label: label)
        case "AWS::Backup::BackupVault":
            return document("AccessPolicy", container: .templateResourcePolicy, kind: .resource, label: "\(label), access policy")
        case "AWS::S3::AccessPoint", "AWS::ApiGateway::RestApi", "AWS::S3ObjectLambda::AccessPoint":
            return document("Policy", container: .templateResourcePolicy, kind: .resource, label: label)
        case "AWS::EFS::FileSystem":
            return document("FileSystemPolicy", container: .templateResourcePolicy, kind: .resource, label: "\(label), file system policy")
        case "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain":
            return document("AccessPolicies", container: .templateResourcePolicy, kind: .resource, label: "\(label), access policy")
        case "AWS::SSO::PermissionSet":
            return document("InlinePolicy", container: .templateInline, kind: .identity, label: "\(label), inline policy")
        case "AWS::SecretsManager::Secret", "AWS::Glue::ResourcePolicy", "AWS::CodeArtifact::Repository", "AWS::CodeArtifact::Domain":
            return document(type == "AWS::Glue::ResourcePolicy" ? "PolicyInJson" : "PermissionsPolicyDocument",
                            container: .templateResourcePolicy, kind: .resource, label: label)
        case "AWS::Lambda::Permission", "AWS::Lambda::LayerVersionPermission":
            return [DocumentSlot(pointer: propertiesPointer, node: properties, container: .templateResourcePolicy, kind: .resource,
                                 label: "\(label), permission", build: { TemplatePermissionDocument.document(fromProperties: $0, place: $1) })]
        case "AWS::Serverless::Api", "AWS::Serverless::HttpApi":
            guard let statements = properties["Auth"]?["ResourcePolicy"]?["CustomStatements"] else { return [] }
            return [DocumentSlot(pointer: propertiesPointer.appending("Auth").appending("ResourcePolicy").appending("CustomStatements"),
                                 node: statements, container: .templateResourcePolicy, kind: .resource, label: "\(label), resource policy",
                                 build: { statements, _ in TemplatePermissionDocument.document(fromStatements: statements) })]
        case "AWS::Serverless::Function", "AWS::Serverless::StateMachine":
            return samInlinePolicies(properties["Policies"], pointer: propertiesPointer.appending("Policies"), label: label)
        default:
            return []
        }
    }

    /// The inline statements of a SAM function's `Policies`: a document, or a list whose object entries holding
    /// `Statement` are documents. SAM writes them into a policy with `Version: 2012-10-17`, so one that names no
    /// `Version` is read with it.
    static func samInlinePolicies(_ policies: JSONNode?, pointer: JSONPointer, label: String) -> [DocumentSlot] {
        guard let policies else { return [] }
        func versioned(_ node: JSONNode) -> JSONNode {
            guard case .object(let members) = node.value, node["Version"] == nil else { return node }
            let version = JSONMember(key: "Version", keySpan: node.span, value: JSONNode(.string("2012-10-17"), span: node.span))
            return JSONNode(.object([version] + members), span: node.span)
        }
        if policies["Statement"] != nil {
            return [DocumentSlot(pointer: pointer, node: versioned(policies), container: .templateInline, kind: .identity,
                                 label: "\(label), policies")]
        }
        return (policies.arrayValue ?? []).enumerated().compactMap { index, entry in
            if entry["Statement"] != nil {
                return DocumentSlot(pointer: pointer.appending(index), node: versioned(entry), container: .templateInline, kind: .identity,
                                    label: "\(label), policy \(index)")
            }
            // A SAM policy template: its statements, with the call's parameters in place of its `Ref`s.
            guard let call = entry.objectValue, call.count == 1, let name = call.first?.key,
                  let expanded = SAMPolicyTemplates.expand(name, parameters: call[0].value, at: entry.span) else { return nil }
            return DocumentSlot(pointer: pointer.appending(index).appending(name), node: versioned(expanded), container: .templateInline,
                                kind: .identity, label: "\(label), SAM policy template \(name)", generated: true)
        }
    }

    /// Whether a key of `Resources` is a macro that generates resources (`Fn::ForEach::Name`, `Fn::Transform`).
    static func isMacro(_ key: String) -> Bool {
        key.hasPrefix("Fn::ForEach") || key == "Fn::Transform"
    }

    /// AWS managed policies that grant administrator, IAM or whole-service write access: attached to a role, user,
    /// group or function, their permissions are broader than anything iam-audit can check from the template.
    static func isBroadManagedPolicy(_ name: String) -> Bool {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        let isAWSManaged = !name.hasPrefix("arn:") || name.contains(":iam::aws:policy/")
        return isAWSManaged && (["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"].contains(last) || last.hasSuffix("FullAccess"))
    }

    /// Permissions a resource grants that iam-audit does not read, each an error so a gate never passes on
    /// permissions it did not see: a SAM `Policies` entry naming a policy template it does not know or given by an
    /// intrinsic; a `Policies` list given by an intrinsic; an AWS managed policy that grants administrator, IAM or
    /// whole-service access (`ManagedPolicyArns`, or a name in SAM `Policies`); a resource generated by a macro
    /// (`Fn::ForEach`, `AWS::Include`).
    static func unreadPolicies(of resource: JSONNode, logicalId: String, pointer: JSONPointer) -> [ReadingProblem] {
        var problems: [ReadingProblem] = []
        let type = resource["Type"]?.stringValue ?? ""
        let properties = resource["Properties"]
        let base = pointer.appending("Properties")
        if isMacro(logicalId) || type == "AWS::Include" {
            let macro = type == "AWS::Include" ? "AWS::Include" : logicalId.hasPrefix("Fn::ForEach") ? "Fn::ForEach" : logicalId
            problems.append(ReadingProblem(.unread, message: "resources generated by \(macro) are not read, so their permissions are not audited",
                                           pointer: pointer, span: resource.span))
        }
        // A template written into the resource (a StackSet's `TemplateBody`) is deployed as a stack of its own.
        if let body = properties?["TemplateBody"], let reason = IAMSniff.nestedTemplateIAM(body) {
            problems.append(ReadingProblem(.unread, message: "the TemplateBody of this \(type.isEmpty ? "resource" : type) \(reason), and it is not read, "
                                           + "so its roles' trust and permissions are not audited; keep that template in a file of its own and audit it",
                                           pointer: base.appending("TemplateBody"), span: body.span))
        }
        for (index, arn) in (properties?["ManagedPolicyArns"]?.arrayValue ?? []).enumerated() {
            if let name = arn.stringValue, isBroadManagedPolicy(name) {
                problems.append(ReadingProblem(.unread, message: "AWS managed policy '\(name)' grants broad permissions iam-audit does not read; attach a policy scoped to what the role needs",
                                               pointer: base.appending("ManagedPolicyArns").appending(index), span: arn.span))
            }
        }
        if let policies = properties?["Policies"], policies.objectValue.map({ $0.count == 1 && TemplateIntrinsics.isIntrinsic($0[0].key) }) == true {
            problems.append(ReadingProblem(.unread, message: "the Policies list is given by \(policies.objectValue?.first?.key ?? "an intrinsic"), which is not read, so its permissions are not audited",
                                           pointer: base.appending("Policies"), span: policies.span))
            return problems
        }
        guard type.hasPrefix("AWS::Serverless::"), let policies = properties?["Policies"], policies["Statement"] == nil else { return problems }
        let entries = policies.arrayValue ?? [policies]
        for (index, entry) in entries.enumerated() {
            let at = policies.arrayValue == nil ? base.appending("Policies") : base.appending("Policies").appending(index)
            if let name = entry.stringValue, isBroadManagedPolicy(name) {
                problems.append(ReadingProblem(.unread, message: "AWS managed policy '\(name)' grants broad permissions iam-audit does not read; write the statements the function needs",
                                               pointer: at, span: entry.span))
            } else if let object = entry.objectValue, entry["Statement"] == nil, let template = object.first?.key, object.count == 1 {
                if TemplateIntrinsics.isIntrinsic(template) {
                    problems.append(ReadingProblem(.unread, message: "a Policies entry given by \(template) is not read, so its permissions are not audited",
                                                   pointer: at, span: entry.span))
                } else if !SAMPolicyTemplates.names.contains(template) {
                    problems.append(ReadingProblem(.unread, message: "'\(template)' is not a SAM policy template iam-audit knows, so the permissions it grants are not audited",
                                                   pointer: at.appending(template), span: entry.span))
                }
            }
        }
        return problems
    }
}

/// Policy documents for resources that state permissions in properties of their own.
///
/// References: AWS CloudFormation User Guide, "AWS::Lambda::Permission" and "AWS::Lambda::LayerVersionPermission"
/// (the function's resource-based policy statement each adds); AWS SAM Developer Guide, "ApiAuth" `ResourcePolicy`
/// (`CustomStatements`).
enum TemplatePermissionDocument {
    /// The partition, region and account a stack runs in, where known: a function named without an ARN is the
    /// stack's own (`FunctionName: deploy-dev-api` is that function in the stack's account and region).
    struct Place: Sendable {
        var partition = "aws"
        var region = "*"
        var account = "*"

        init() {}

        /// The known pseudo parameters of a template (`AWS::Partition`, `AWS::Region`, `AWS::AccountId`); a value
        /// the template does not know stays a wildcard.
        init(_ pseudoParameters: [String: String]) {
            func known(_ name: String) -> String? { pseudoParameters[name].flatMap { TemplateIntrinsics.holds($0) ? nil : $0 } }
            partition = known("AWS::Partition") ?? "aws"
            region = known("AWS::Region") ?? "*"
            account = known("AWS::AccountId") ?? "*"
        }
    }

    /// The resource-policy statement a Lambda permission adds: its principal (`*`, an account or ARN, or a service),
    /// its action on its function or layer, and the conditions its source properties state.
    @Sendable static func document(fromProperties properties: JSONNode, place: Place = Place()) -> JSONNode? {
        let span = properties.span
        func string(_ text: String) -> JSONNode { JSONNode(.string(text), span: span) }
        func member(_ key: String, _ value: JSONNode) -> JSONMember { JSONMember(key: key, keySpan: value.span, value: value) }
        guard let principal = properties["Principal"], let action = properties["Action"] else { return nil }
        let principalNode: JSONNode
        if let text = principal.stringValue, text != "*", text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") {
            principalNode = JSONNode(.object([member("Service", principal)]), span: principal.span)
        } else if principal.stringValue == "*" {
            principalNode = principal
        } else {
            principalNode = JSONNode(.object([member("AWS", principal)]), span: principal.span)
        }
        var target = properties["FunctionName"] ?? properties["LayerVersionArn"] ?? string("*")
        if let name = target.stringValue, !name.hasPrefix("arn:"), name != "*" {
            target = JSONNode(.string("arn:\(place.partition):lambda:\(place.region):\(place.account):function:\(name)"), span: target.span)
        }
        var conditions: [JSONMember] = []
        func condition(_ operatorName: String, _ key: String, _ property: String) {
            guard let value = properties[property] else { return }
            conditions.append(member(operatorName, JSONNode(.object([member(key, value)]), span: value.span)))
        }
        condition("ArnLike", "AWS:SourceArn", "SourceArn")
        condition("StringEquals", "AWS:SourceAccount", "SourceAccount")
        condition("StringEquals", "aws:PrincipalOrgID", "PrincipalOrgID")
        condition("StringEquals", "aws:PrincipalOrgID", "OrganizationId")
        condition("StringEquals", "lambda:FunctionUrlAuthType", "FunctionUrlAuthType")
        var statement = [member("Effect", string("Allow")), member("Principal", principalNode), member("Action", action), member("Resource", target)]
        if !conditions.isEmpty { statement.append(member("Condition", JSONNode(.object(conditions), span: span))) }
        return JSONNode(.object([member("Version", string("2012-10-17")),
                                 member("Statement", JSONNode(.array([JSONNode(.object(statement), span: span)]), span: span))]), span: span)
    }

    /// A policy document holding `statements` (a statement or a list of them).
    @Sendable static func document(fromStatements statements: JSONNode) -> JSONNode? {
        let span = statements.span
        return JSONNode(.object([JSONMember(key: "Version", keySpan: span, value: JSONNode(.string("2012-10-17"), span: span)),
                                 JSONMember(key: "Statement", keySpan: span, value: statements)]), span: span)
    }
}
