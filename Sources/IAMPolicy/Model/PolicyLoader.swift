import Foundation

/// Finds and decodes the policy documents in one file's bytes, whatever container shape holds them.
///
/// Shapes, detected by content: a bare document; `get-role` (`Role.AssumeRolePolicyDocument`);
/// `get-policy-version` (`PolicyVersion.Document`); `get-role-policy` (`PolicyDocument`); and any of
/// these with the document given as a JSON string or a URL-encoded string.
public struct PolicyLoader: Sendable {
    /// What one file yielded.
    public struct Result: Sendable {
        /// The parsed file, when it parsed.
        public var tree: JSONNode?
        public var policies: [Policy] = []
        /// Syntax errors: the file itself, or an embedded document string that does not parse.
        public var syntaxErrors: [SyntaxFailure] = []
        /// Set when the file is valid JSON but holds no policy document in any known shape.
        public var notAPolicy: String?
        /// Set when the file is `aws iam get-open-id-connect-provider` output.
        public var provider: OpenIDConnectProvider?
    }

    /// A JSON syntax error, located in the file (for an embedded document, on the embedding string).
    public struct SyntaxFailure: Sendable, Hashable {
        public var message: String
        public var pointer: JSONPointer
        public var span: SourceSpan
    }

    public var parser: JSONParser

    public init(parser: JSONParser = JSONParser()) {
        self.parser = parser
    }

    public func load(file: String, bytes: [UInt8]) -> Result {
        var result = Result()
        let tree: JSONNode
        do {
            tree = try parser.parse(bytes)
        } catch {
            result.syntaxErrors.append(SyntaxFailure(message: error.message, pointer: .root, span: SourceSpan(at: error.position)))
            return result
        }
        result.tree = tree
        if let provider = OpenIDConnectProvider(tree) {
            result.provider = provider
            return result
        }
        for candidate in Self.candidates(in: tree) {
            switch decode(candidate, file: file, source: bytes) {
            case .policy(let policy): result.policies.append(policy)
            case .syntaxError(let failure): result.syntaxErrors.append(failure)
            case .notAnObject(let reason): result.notAPolicy = reason
            }
        }
        if result.policies.isEmpty && result.syntaxErrors.isEmpty && result.notAPolicy == nil {
            result.notAPolicy = "no policy document found (expected a policy, or get-role, get-policy-version or get-role-policy output)"
        }
        return result
    }

    /// The policy document at `node` — an object, or a JSON string holding one as AWS returns them — for a source
    /// that found it inside a larger file (a template resource, one line of a list).
    /// - Parameters:
    ///   - pointer: the node's pointer in the file; the policy's pointers extend it.
    ///   - label: what holds the document, appended to messages (`resource DeployRole, policy deploy`).
    ///   - source: the file's bytes, to locate a document embedded as a string at the values inside the string.
    /// - Returns: the policy, a syntax failure of an embedded document, or why the node holds none.
    public func document(at node: JSONNode, pointer: JSONPointer, file: String, container: PolicyContainer = .bare,
                         name: String? = nil, label: String? = nil, source: [UInt8]? = nil) -> Swift.Result<Policy, DocumentFailure> {
        switch decode(Candidate(node: node, pointer: pointer, container: container, name: name, label: label), file: file, source: source) {
        case .policy(let policy): .success(policy)
        case .syntaxError(let failure): .failure(.syntax(failure))
        case .notAnObject(let reason): .failure(.notAPolicy(reason))
        }
    }

    /// Why a node holds no policy document.
    public enum DocumentFailure: Error, Sendable, Hashable {
        /// An embedded document string that does not parse.
        case syntax(SyntaxFailure)
        /// Neither an object nor a string holding one: why, in words.
        case notAPolicy(String)
    }

    /// What the node a candidate designates yielded.
    enum CandidateOutcome {
        case policy(Policy)
        /// An embedded document string that does not parse.
        case syntaxError(SyntaxFailure)
        /// Neither an object nor a string holding one: why, in words.
        case notAnObject(String)
    }

    /// Decodes the policy document of `candidate`: an object, or a JSON string (possibly URL-encoded) holding one.
    /// - Parameter source: the bytes of the file the candidate was read from, when the caller has them: a document
    ///   embedded as a string is then located inside the string.
    func decode(_ candidate: Candidate, file: String, source: [UInt8]? = nil) -> CandidateOutcome {
        switch candidate.node.value {
        case .object:
            return policy(file: file, node: candidate.node, pointer: candidate.pointer, candidate: candidate, embedding: nil)
        case .string(let text):
            let embedding = Located(text, pointer: candidate.pointer, span: candidate.node.span)
            do {
                let decoded = Self.decodeEmbedded(text)
                var inner = try parser.parse(decoded)
                // With the file's bytes, the document's spans are moved to the values inside the string literal.
                if let source, decoded.elementsEqual(text.utf8),
                   let map = EmbeddedStringMap(source: source, span: candidate.node.span, decoded: decoded) {
                    inner = map.relocated(inner)
                    guard case .policy(var policy) = policy(file: file, node: inner, pointer: .root, candidate: candidate, embedding: embedding) else {
                        return policy(file: file, node: inner, pointer: .root, candidate: candidate, embedding: embedding)
                    }
                    policy.spansInFile = true
                    return .policy(policy)
                }
                return policy(file: file, node: inner, pointer: .root, candidate: candidate, embedding: embedding)
            } catch {
                return .syntaxError(SyntaxFailure(
                    message: "embedded policy document: \(error.message) (at \(error.position) of the decoded string)",
                    pointer: candidate.pointer, span: candidate.node.span))
            }
        default:
            return .notAnObject("the policy document at '\(candidate.pointer)' is \(candidate.node.value.articleTypeName), not an object")
        }
    }

    private func policy(file: String, node: JSONNode, pointer: JSONPointer, candidate: Candidate,
                        embedding: Located<String>?) -> CandidateOutcome {
        guard let document = try? JSONTreeDecoder().decode(PolicyDocument.self, from: node, at: pointer) else {
            return .notAnObject("the policy document at '\(pointer)' is not an object")
        }
        let kind = candidate.container.impliedKind.flatMap { implied in implied == .identity && PolicyKind.infer(from: document) != .identity ? nil : implied }
            ?? PolicyKind.infer(from: document)
        return .policy(Policy(file: file, root: node, document: document, kind: kind, container: candidate.container,
                              embedding: embedding, compactLength: node.compactLength, name: candidate.name, label: candidate.label))
    }

    struct Candidate {
        var node: JSONNode
        var pointer: JSONPointer
        var container: PolicyContainer
        var name: String?
        /// Where the document sits in an account dump, for messages (`role deploy`).
        var label: String?
    }

    /// The nodes of `tree` that hold a policy document, by shape.
    static func candidates(in tree: JSONNode) -> [Candidate] {
        switch tree.value {
        case .string:
            return [Candidate(node: tree, pointer: .root, container: .bare)]
        case .object:
            break
        default:
            return []
        }
        if tree["Statement"] != nil || (tree["Version"] != nil && tree["PolicyVersion"] == nil) {
            return [Candidate(node: tree, pointer: .root, container: .bare)]
        }
        if let role = tree["Role"], let document = role["AssumeRolePolicyDocument"] {
            return [Candidate(node: document, pointer: "/Role/AssumeRolePolicyDocument", container: .getRole, name: role["RoleName"]?.stringValue)]
        }
        if let version = tree["PolicyVersion"], let document = version["Document"] {
            return [Candidate(node: document, pointer: "/PolicyVersion/Document", container: .getPolicyVersion)]
        }
        if let document = tree["PolicyDocument"] {
            return [Candidate(node: document, pointer: "/PolicyDocument", container: .getRolePolicy, name: tree["PolicyName"]?.stringValue)]
        }
        if let document = tree["AssumeRolePolicyDocument"] {
            return [Candidate(node: document, pointer: "/AssumeRolePolicyDocument", container: .getRole, name: tree["RoleName"]?.stringValue)]
        }
        // `aws iam list-roles`: every role's trust policy.
        if let roles = tree["Roles"]?.arrayValue {
            return roles.enumerated().compactMap { index, role in
                guard let document = role["AssumeRolePolicyDocument"] else { return nil }
                let name = role["RoleName"]?.stringValue
                return Candidate(node: document, pointer: JSONPointer(tokens: ["Roles", String(index), "AssumeRolePolicyDocument"]),
                                 container: .getRole, name: name, label: name.map { "role \($0)" })
            }
        }
        // A resource policy as the AWS CLI returns it: `s3api get-bucket-policy`, `lambda get-policy`,
        // `sns get-topic-attributes`/`sqs get-queue-attributes` (`Attributes.Policy`), `secretsmanager get-resource-policy`,
        // `ecr get-repository-policy`, `kms get-key-policy`: a JSON string.
        for (key, pointer) in [("Policy", "/Policy"), ("ResourcePolicy", "/ResourcePolicy"), ("policyText", "/policyText")] {
            if let document = tree[key], document.stringValue != nil {
                return [Candidate(node: document, pointer: JSONPointer(stringLiteral: pointer), container: .bare)]
            }
        }
        if let document = tree["Attributes"]?["Policy"], document.stringValue != nil {
            return [Candidate(node: document, pointer: "/Attributes/Policy", container: .bare)]
        }
        return []
    }

    /// The bytes of an embedded document: URL-decoded when it is URL-encoded (as the IAM API returns it).
    ///
    /// The text counts as URL-encoded when, without surrounding whitespace, it starts with `%7B`, or does not
    /// start with `{` and holds a `%`; it is decoded only when every `%` starts a two-digit hexadecimal escape and
    /// the result is UTF-8. Byte-level, so the thousands of documents of an account dump decode fast.
    static func decodeEmbedded(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let trimmed = bytes[start..<end]
        let opensEncodedBrace = trimmed.count >= 3 && trimmed[start] == UInt8(ascii: "%") && trimmed[start + 1] == UInt8(ascii: "7")
            && (trimmed[start + 2] | 0x20) == UInt8(ascii: "b")
        guard opensEncodedBrace || (trimmed.first != UInt8(ascii: "{") && trimmed.contains(UInt8(ascii: "%"))),
              let decoded = percentDecoded(trimmed) else { return bytes }
        return decoded
    }

    /// `bytes` with every `%XY` escape replaced by its byte; nil when a `%` starts no such escape or the result
    /// is not UTF-8.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else { return nil }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        let invalid = transcode(decoded.makeIterator(), from: UTF8.self, to: UTF32.self, stoppingOnError: true) { _ in }
        return invalid ? nil : decoded
    }
}

/// An IAM OpenID Connect provider as `aws iam get-open-id-connect-provider` prints it.
public struct OpenIDConnectProvider: Sendable, Hashable {
    /// The issuer host and path, without scheme (`token.actions.githubusercontent.com`).
    public var url: Located<String>
    /// The audiences the provider accepts (`sts.amazonaws.com`).
    public var clientIDs: [Located<String>]
    public var thumbprints: [Located<String>]

    /// Reads the provider description; nil when `tree` is not one.
    public init?(_ tree: JSONNode) {
        guard let urlNode = tree["Url"], let url = urlNode.stringValue, let clients = tree["ClientIDList"]?.arrayValue else { return nil }
        self.url = Located(url, pointer: "/Url", span: urlNode.span)
        func strings(_ nodes: [JSONNode], _ key: String) -> [Located<String>] {
            nodes.enumerated().compactMap { index, node in
                node.stringValue.map { Located($0, pointer: JSONPointer(tokens: [key, String(index)]), span: node.span) }
            }
        }
        clientIDs = strings(clients, "ClientIDList")
        thumbprints = strings(tree["ThumbprintList"]?.arrayValue ?? [], "ThumbprintList")
    }
}
