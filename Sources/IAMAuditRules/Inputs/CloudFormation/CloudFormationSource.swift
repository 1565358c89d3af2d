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
        if contains(bytes, quote + "AWSTemplateFormatVersion" + quote) { return true }
        return contains(bytes, quote + "Resources" + quote) && contains(bytes, quote + "Type" + quote)
    }

    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        while let found = bytes[index...].firstIndex(of: first), found + needle.count <= bytes.count {
            if bytes[found..<(found + needle.count)].elementsEqual(needle) { return true }
            index = found + 1
        }
        return false
    }

    /// The template's tree: JSON, or YAML with CloudFormation's short-form tags (`!Sub`, `!Ref`, …) for a file named
    /// `*.yaml`, `*.yml` or `*.template` that is not JSON. A YAML template that does not parse is a syntax finding at
    /// its position; a file that is neither is left to the next source.
    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        if let tree = try? loader.parser.parse(file.bytes) {
            return Self.isTemplate(tree) ? TemplateReader(tree: tree, file: file.name, loader: loader, design: file.design).reading() : nil
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
        return Self.isTemplate(tree) ? TemplateReader(tree: tree, file: file.name, loader: loader, design: file.design).reading() : nil
    }

    /// Whether `tree` is a template: an object with `AWSTemplateFormatVersion`, or `Resources` whose every value is
    /// an object with a string `Type`.
    static func isTemplate(_ tree: JSONNode) -> Bool {
        guard tree.objectValue != nil else { return false }
        if tree["AWSTemplateFormatVersion"] != nil { return true }
        guard let resources = tree["Resources"]?.objectValue, !resources.isEmpty else { return false }
        return resources.allSatisfy { $0.value["Type"]?.stringValue != nil }
    }
}

/// Reads the documents of one parsed template.
struct TemplateReader {
    let tree: JSONNode
    let file: String
    let loader: PolicyLoader
    let design: Design?

    /// The most combinations of conditions and parameter values audited per resource; beyond, the remaining
    /// choices keep their first value and a note says so.
    static let maxVariants = 16

    /// Where a policy document sits in a resource.
    struct DocumentSlot {
        var pointer: JSONPointer
        var node: JSONNode
        var container: PolicyContainer
        var kind: PolicyKind?
        var label: String
    }

    func reading() -> SourceReading {
        var reading = SourceReading()
        let resources = tree["Resources"]?.objectValue ?? []
        let resourcesPointer = JSONPointer(tokens: ["Resources"])
        let tree = self.tree, file = self.file, loader = self.loader, design = self.design
        for member in resources {
            let logicalId = member.key
            let resource = member.value
            let pointer = resourcesPointer.appending(logicalId)
            guard !Self.slots(of: resource, logicalId: logicalId, pointer: pointer).isEmpty
                    || !Self.unreadPolicies(of: resource, logicalId: logicalId, pointer: pointer).isEmpty else { continue }
            reading.units.append(SourceUnit {
                TemplateReader(tree: tree, file: file, loader: loader, design: design).unit(logicalId: logicalId, resource: resource, pointer: pointer)
            })
        }
        if reading.units.isEmpty && resources.isEmpty {
            reading.notAuditable = "a CloudFormation template with no resources"
        }
        return reading
    }

    /// The policy documents of one resource, each audited once per combination of the choices it depends on.
    func unit(logicalId: String, resource: JSONNode, pointer: JSONPointer) -> UnitReading {
        var unit = UnitReading(tree: tree, base: .root, label: "resource \(logicalId)")
        let model = TemplateModel(root: tree, design: design)
        var seen = Set<String>()
        for slot in Self.slots(of: resource, logicalId: logicalId, pointer: pointer) {
            // First pass: which conditions and multi-valued parameters the document depends on.
            var probe = TemplateIntrinsics(template: model)
            _ = probe.evaluate(slot.node, pointer: slot.pointer)
            let choices = probe.conditionsMet.map { Choice.condition($0) }
                + probe.parametersMet.map { Choice.parameter($0, count: allowedCount($0, model)) }
            var variants: [[Choice: Int]] = [[:]]
            for choice in choices {
                let next = variants.flatMap { variant in (0..<choice.count).map { value in variant.merging([choice: value]) { $1 } } }
                if next.count > Self.maxVariants { break }
                variants = next
            }
            for (number, variant) in variants.enumerated() {
                var intrinsics = TemplateIntrinsics(template: model)
                for (choice, value) in variant {
                    switch choice {
                    case .condition(let name): intrinsics.conditionChoices[name] = value == 0
                    case .parameter(let name, _): intrinsics.parameterChoices[name] = value
                    }
                }
                guard let evaluated = intrinsics.evaluate(slot.node, pointer: slot.pointer) else { continue }
                var sound = SoundReading()
                let read = sound.read(evaluated, pointer: slot.pointer)
                for note in Self.notes(intrinsics: intrinsics.unresolved, readings: sound.notes)
                where seen.insert("\(note.pointer)\u{0}\(note.value)").inserted {
                    unit.problems.append(ReadingProblem(.unresolved, message: note.value, pointer: note.pointer, span: note.span))
                }
                switch loader.document(at: read, pointer: slot.pointer, file: file, container: slot.container, label: slot.label) {
                case .success(var policy):
                    if let kind = slot.kind { policy.kind = kind }
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
        if resource["Type"]?.stringValue == "AWS::IAM::Role", let nameNode = resource["Properties"]?["RoleName"] {
            // A role the template names is placed by that name, as an account's role is (an environment's `role`, `docs/design-file.md`).
            var intrinsics = TemplateIntrinsics(template: model)
            if let name = intrinsics.evaluate(nameNode, pointer: pointer)?.stringValue, !SoundReading.holds(JSONNode(.string(name), span: nameNode.span)) {
                unit.identity = .role(name: name, attachedPolicies: [])
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

    private func allowedCount(_ parameter: String, _ model: TemplateModel) -> Int {
        model.parameters[parameter]?["AllowedValues"]?.arrayValue?.count ?? 1
    }

    enum Choice: Hashable {
        case condition(String)
        case parameter(String, count: Int)

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
                guard let node = policy["PolicyDocument"] else { return nil }
                let name = policy["PolicyName"]?.stringValue.map { "policy \($0)" } ?? "policy \(index)"
                return DocumentSlot(pointer: propertiesPointer.appending("Policies").appending(index).appending("PolicyDocument"),
                                    node: node, container: container, kind: .identity, label: "\(label), \(name)")
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
        case "AWS::ECR::Repository":
            return document("RepositoryPolicyText", container: .templateResourcePolicy, kind: .resource, label: "\(label), repository policy")
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
                                kind: .identity, label: "\(label), SAM policy template \(name)")
        }
    }

    /// Permissions a resource grants that iam-audit does not read: an entry of a SAM function's `Policies` naming a
    /// policy template it does not know. Each is an error, so a gate never passes on permissions it did not see.
    static func unreadPolicies(of resource: JSONNode, logicalId: String, pointer: JSONPointer) -> [ReadingProblem] {
        guard let type = resource["Type"]?.stringValue, type.hasPrefix("AWS::Serverless::"),
              let policies = resource["Properties"]?["Policies"], policies["Statement"] == nil else { return [] }
        let entries = policies.arrayValue ?? [policies]
        let base = pointer.appending("Properties").appending("Policies")
        return entries.enumerated().compactMap { index, entry in
            let at = policies.arrayValue == nil ? base : base.appending(index)
            if let object = entry.objectValue, entry["Statement"] == nil, let template = object.first?.key, object.count == 1,
               !TemplateIntrinsics.isIntrinsic(template), !SAMPolicyTemplates.names.contains(template) {
                return ReadingProblem(.unread, message: "'\(template)' is not a SAM policy template iam-audit knows, so the permissions it grants are not audited",
                                      pointer: at.appending(template), span: entry.span)
            }
            return nil
        }
    }
}
