import IAMPolicy

/// A policy file: a bare policy document, or the AWS CLI's `get-role`, `get-policy-version` and `get-role-policy`
/// output holding one (DESIGN.md §4). The file is one unit, placed by its identity on disk.
public struct PolicyFileSource: DocumentSource {
    public static let name = "policy"

    public init() {}

    public static func walks(fileName: String) -> Bool {
        fileName.lowercased().hasSuffix(".json")
    }

    /// Any file but YAML: the policy source reads what no other source recognizes, and says when it is not a
    /// policy. A YAML file no other source reads (a workflow, a compose file) holds no policy document.
    public static func recognizes(_ file: SourceFile) -> Bool {
        let lower = file.name.lowercased()
        return !(lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".tf"))
    }

    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        let loaded = loader.load(file: file.name, bytes: file.bytes)
        var reading = SourceReading(problems: loaded.syntaxErrors.map { ReadingProblem(.syntax, message: $0.message, pointer: $0.pointer, span: $0.span) })
        if let reason = loaded.notAPolicy, loaded.policies.isEmpty { reading.notAuditable = "not a policy: \(reason)" }
        guard !loaded.policies.isEmpty else { return reading }
        let unit = UnitReading(documents: loaded.policies.map { AuditDocument(policy: $0) }, tree: loaded.tree)
        reading.units = [SourceUnit { unit }]
        return reading
    }
}
