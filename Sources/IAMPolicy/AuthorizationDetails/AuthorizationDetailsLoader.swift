/// What one entry of an account dump yielded: its policies and what its role, user, group or policy is called.
public struct AuthorizationDetailsEntryLoad: Sendable {
    public var entry: AuthorizationDetailsEntry
    /// The entry parsed into a tree of its own, spans in the file's coordinates; nil when it does not parse.
    public var tree: JSONNode?
    /// The trust and inline policies of a role, user or group, or the default version of a managed policy.
    public var policies: [Policy] = []
    /// The entry, or a document embedded in it as a string, is not valid JSON.
    public var syntaxErrors: [PolicyLoader.SyntaxFailure] = []
    /// Members AWS always prints that are missing or of the wrong type: each message (without the entry's label)
    /// where it applies.
    public var problems: [Located<String>] = []
    /// `RoleName`, `UserName`, `GroupName` or `PolicyName`.
    public var name: String?
    /// A managed policy's `Arn`.
    public var arn: String?
    /// A role's `AttachedManagedPolicies[].PolicyArn`, in order.
    public var attachedPolicyARNs: [String] = []

    /// How messages name the entry: `role deploy`, `managed policy ReadOnly`, `user #3` when it has no name.
    public var label: String {
        "\(Self.noun(entry.list)) \(name ?? "#\(entry.index)")"
    }

    static func noun(_ list: AuthorizationDetailsList) -> String {
        switch list {
        case .roles: "role"
        case .users: "user"
        case .groups: "group"
        case .policies: "managed policy"
        }
    }
}

extension PolicyLoader {
    /// Parses one entry of an account dump on its own and finds its policy documents (objects, JSON strings or
    /// URL-encoded strings): a role's trust policy and `RolePolicyList`, a user's `UserPolicyList`, a group's
    /// `GroupPolicyList`, and a managed policy's default version (the `PolicyVersionList` entry with
    /// `IsDefaultVersion: true`, else the one `DefaultVersionId` names; other versions are not audited).
    public func loadEntry(_ entry: AuthorizationDetailsEntry, file: String, bytes: UnsafeBufferPointer<UInt8>) -> AuthorizationDetailsEntryLoad {
        var load = AuthorizationDetailsEntryLoad(entry: entry)
        let node: JSONNode
        do {
            node = try parser.parse(bytes, range: entry.range, start: entry.start, lineStart: entry.lineStart)
        } catch {
            load.syntaxErrors.append(SyntaxFailure(message: error.message, pointer: entry.pointer, span: SourceSpan(at: error.position)))
            return load
        }
        load.tree = node
        var reader = EntryReader(node: node, pointer: entry.pointer, load: load)
        guard node.objectValue != nil else {
            reader.problem("entry \(entry.index) of '\(entry.list.rawValue)' is \(node.value.articleTypeName), not an object", at: node, entry.pointer)
            return reader.load
        }
        switch entry.list {
        case .roles:
            reader.load.name = reader.name("RoleName")
            if let trust = reader.required("AssumeRolePolicyDocument") {
                reader.add(Candidate(node: trust, pointer: entry.pointer.appending("AssumeRolePolicyDocument"), container: .accountRoleTrust,
                                     name: reader.load.name, label: reader.load.label), file: file, loader: self)
            }
            reader.inlinePolicies("RolePolicyList", container: .accountRoleInline, file: file, loader: self)
            for (attachment, pointer) in reader.objects(in: "AttachedManagedPolicies") {
                if let arn = attachment["PolicyArn"]?.stringValue {
                    reader.load.attachedPolicyARNs.append(arn)
                } else {
                    reader.problem("attached policy has no 'PolicyArn' string", at: attachment, pointer)
                }
            }
        case .users:
            reader.load.name = reader.name("UserName")
            reader.inlinePolicies("UserPolicyList", container: .accountUserInline, file: file, loader: self)
        case .groups:
            reader.load.name = reader.name("GroupName")
            reader.inlinePolicies("GroupPolicyList", container: .accountGroupInline, file: file, loader: self)
        case .policies:
            reader.load.name = reader.name("PolicyName")
            reader.load.arn = node["Arn"]?.stringValue
            reader.defaultVersion(file: file, loader: self)
        }
        return reader.load
    }
}

/// Reads the members of one entry, recording what is missing.
private struct EntryReader {
    let node: JSONNode
    let pointer: JSONPointer
    var load: AuthorizationDetailsEntryLoad

    mutating func problem(_ message: String, at node: JSONNode, _ pointer: JSONPointer) {
        load.problems.append(Located(message, pointer: pointer, span: node.span))
    }

    /// The string member `key` (a name); a problem when it is missing or not a string.
    mutating func name(_ key: String) -> String? {
        guard let value = required(key) else { return nil }
        guard let name = value.stringValue else {
            problem("'\(key)' is \(value.value.articleTypeName), not a string", at: value, pointer.appending(key))
            return nil
        }
        return name
    }

    /// The member `key`; a problem on the entry when it is missing.
    mutating func required(_ key: String, in object: JSONNode? = nil, at objectPointer: JSONPointer? = nil, noun: String = "entry") -> JSONNode? {
        let object = object ?? node
        if let value = object[key] { return value }
        problem("\(noun) has no '\(key)'", at: object, objectPointer ?? pointer)
        return nil
    }

    /// The object elements of the optional array member `key`, each with its pointer; a problem for a member
    /// that is not an array and for each element that is not an object.
    mutating func objects(in key: String) -> [(JSONNode, JSONPointer)] {
        guard let list = node[key] else { return [] }
        let listPointer = pointer.appending(key)
        guard let elements = list.arrayValue else {
            problem("'\(key)' is \(list.value.articleTypeName), not an array", at: list, listPointer)
            return []
        }
        var objects: [(JSONNode, JSONPointer)] = []
        for (index, element) in elements.enumerated() {
            if element.objectValue != nil {
                objects.append((element, listPointer.appending(index)))
            } else {
                problem("entry \(index) of '\(key)' is \(element.value.articleTypeName), not an object", at: element, listPointer.appending(index))
            }
        }
        return objects
    }

    /// The `PolicyDocument` of every entry of the inline policy list `key`.
    mutating func inlinePolicies(_ key: String, container: PolicyContainer, file: String, loader: PolicyLoader) {
        for (inline, inlinePointer) in objects(in: key) {
            let policyName = inline["PolicyName"]?.stringValue
            guard let document = required("PolicyDocument", in: inline, at: inlinePointer, noun: "inline policy") else { continue }
            add(PolicyLoader.Candidate(node: document, pointer: inlinePointer.appending("PolicyDocument"), container: container,
                                       name: policyName, label: "\(load.label), inline policy \(policyName ?? "#\(inlinePointer.lastToken ?? "")")"),
                file: file, loader: loader)
        }
    }

    /// The default version of a managed policy.
    mutating func defaultVersion(file: String, loader: PolicyLoader) {
        let versions = objects(in: "PolicyVersionList")
        let defaultId = node["DefaultVersionId"]?.stringValue
        guard let (version, versionPointer) = versions.first(where: { $0.0["IsDefaultVersion"]?.boolValue == true })
            ?? versions.first(where: { defaultId != nil && $0.0["VersionId"]?.stringValue == defaultId }) else {
            problem("no version in 'PolicyVersionList' is the default (IsDefaultVersion true or DefaultVersionId)", at: node["PolicyVersionList"] ?? node,
                    node["PolicyVersionList"] == nil ? pointer : pointer.appending("PolicyVersionList"))
            return
        }
        guard let document = required("Document", in: version, at: versionPointer, noun: "default version") else { return }
        add(PolicyLoader.Candidate(node: document, pointer: versionPointer.appending("Document"), container: .accountManagedPolicy,
                                   name: load.name, label: load.label), file: file, loader: loader)
    }

    mutating func add(_ candidate: PolicyLoader.Candidate, file: String, loader: PolicyLoader) {
        switch loader.decode(candidate, file: file) {
        case .policy(let policy): load.policies.append(policy)
        case .syntaxError(let failure): load.syntaxErrors.append(failure)
        case .notAnObject(let reason): problem(reason, at: candidate.node, candidate.pointer)
        }
    }
}
