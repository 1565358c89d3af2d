import IAMPolicy

/// `aws iam get-account-authorization-details` output (DESIGN.md §4): each role, user, group and managed policy is
/// a unit of its own, parsed from its byte range when the engine asks, audited and dropped, so memory follows the
/// largest entry rather than the file. Roles, users and groups come first (stage 0), managed policies after
/// (stage 1), so a managed policy is placed with the roles it is attached to.
public struct AccountDumpSource: DocumentSource {
    public static let name = "account authorization details"

    public init() {}

    public static func walks(fileName: String) -> Bool {
        fileName.lowercased().hasSuffix(".json")
    }

    /// A file naming one of the dump's lists as a quoted key (a cheap byte search).
    public static func recognizes(_ file: SourceFile) -> Bool {
        AuthorizationDetailsScan.mayHold(file.bytes)
    }

    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        guard let scan = AuthorizationDetailsScan.scan(file.bytes) else { return nil }
        var reading = SourceReading()
        // One page of a paginated dump (`--max-items`, or the API's `IsTruncated`): the rest is not audited.
        if let truncation = Self.truncation(file.bytes) {
            reading.problems.append(ReadingProblem(.unread, message: "the dump is one page (\(truncation)); the entries of the other pages are not audited",
                                                   pointer: .root, span: SourceSpan(at: SourcePosition(line: 1, column: 1, offset: 0))))
        }
        reading.problems += scan.syntaxErrors.map { ReadingProblem(.syntax, message: $0.message, pointer: $0.pointer, span: $0.span) }
            + scan.problems.map { ReadingProblem(.shape, message: $0.value, pointer: $0.pointer, span: $0.span) }
        let bytes = file.bytes
        let name = file.name
        reading.units = scan.entries.map { entry in
            SourceUnit(stage: entry.list == .policies ? 1 : 0) {
                let load = bytes.withUnsafeBufferPointer { loader.loadEntry(entry, file: name, bytes: $0) }
                let identity: DocumentIdentity = switch entry.list {
                case .roles: load.name.map { .role(name: $0, attachedPolicies: load.attachedPolicyARNs) } ?? .unplaced
                case .policies: load.arn.map { .managedPolicy(arn: $0) } ?? .unplaced
                case .users, .groups: .unplaced
                }
                return UnitReading(
                    documents: load.policies.map { AuditDocument(policy: $0) },
                    problems: load.syntaxErrors.map { ReadingProblem(.syntax, message: $0.message, pointer: $0.pointer, span: $0.span) }
                        + load.problems.map { ReadingProblem(.shape, message: $0.value, pointer: $0.pointer, span: $0.span) },
                    tree: load.tree, base: entry.pointer, label: load.label, identity: identity)
            }
        }
        return reading
    }

    /// Why the dump is one page of several, when it is: a `NextToken` or `Marker` key, or `"IsTruncated": true`.
    static func truncation(_ bytes: [UInt8]) -> String? {
        if ByteSearch.contains(bytes, "\"NextToken\"") { return "it holds a NextToken" }
        if ByteSearch.contains(bytes, "\"Marker\"") { return "it holds a Marker" }
        let key = ByteSearch("\"IsTruncated\"")
        var index = 0
        while let found = key.firstOffset(in: bytes, from: index) {
            index = found + 1
            let rest = bytes[(found + key.needle.count)...].drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: ":") }
            if rest.starts(with: Array("true".utf8)) { return "IsTruncated is true" }
        }
        return nil
    }
}
