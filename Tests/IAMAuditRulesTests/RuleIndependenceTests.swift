import Foundation
import Testing

/// Rules never call rules: a rule's logic lives in its file or in a shared analysis (`Structure/`,
/// `Permissions/`, …), and precedence is declared (`supersedes:`) and applied by the engine.
@Suite("Rule independence")
struct RuleIndependenceTests {
    static let rulesFolder = PackageRoot.url.appendingPathComponent("Sources/IAMAuditRules/Rules")

    /// The text of a Swift file without its `//` comments (doc comments may name other rules' members).
    static func code(of file: URL) throws -> String {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
    }

    /// The names of the types declared at the top level of `text`.
    static func declaredTypes(in text: String) -> [String] {
        let declaration = /(?m)^(?:public |internal |fileprivate |private |final )*(?:struct|enum|class|protocol|actor) +([A-Za-z_][A-Za-z0-9_]*)/
        return text.matches(of: declaration).map { String($0.output.1) }
    }

    /// The names of `types` that `text` follows with `.` (a member or a nested type), in order of use.
    static func references(in text: String, to types: [String]) throws -> [String] {
        guard !types.isEmpty else { return [] }
        let reference = try Regex("(?:^|[^A-Za-z0-9_.])(\(types.sorted().joined(separator: "|")))\\s*\\.")
        return text.matches(of: reference).compactMap { $0.output[1].substring.map(String.init) }
    }

    @Test func noRuleFileReferencesAnotherRuleType() throws {
        let files = try PackageRoot.swiftFiles(under: Self.rulesFolder)
        let texts = try files.map(Self.code(of:))
        let declared = zip(files, texts).map { (file: $0, types: Self.declaredTypes(in: $1)) }
        #expect(declared.count > 60, "the rule files were not found under \(Self.rulesFolder.path)")
        for (file, text) in zip(files, texts) {
            let own = Set(Self.declaredTypes(in: text))
            let others = Dictionary(declared.filter { $0.file != file }.flatMap { other in
                other.types.filter { !own.contains($0) }.map { ($0, other.file.lastPathComponent) }
            }, uniquingKeysWith: { first, _ in first })
            for name in try Self.references(in: text, to: Array(others.keys)) {
                Issue.record("""
                    \(file.lastPathComponent) uses a member of \(name) (\(others[name] ?? "?")): move the shared logic to a \
                    shared analysis, or declare the precedence with `supersedes:`
                    """)
            }
        }
    }

    /// The check above can fail: a reference to another rule's member is caught, a mention in a comment is not.
    @Test func theCheckSeesAReference() throws {
        let text = try Self.code(of: Self.rulesFolder.appendingPathComponent("IAM/MissingAction.swift"))
        #expect(Self.declaredTypes(in: text) == ["MissingAction"])
        let types = ["UnknownPolicyElement", "InvalidAction", "Invalid"]
        #expect(try Self.references(in: "guard !UnknownPolicyElement.hasMisspelling(of: x)", to: types) == ["UnknownPolicyElement"])
        #expect(try Self.references(in: "let x = InvalidAction\n    .defect(in: value)", to: types) == ["InvalidAction"])
        #expect(try Self.references(in: "let x = MyInvalidAction.defect + InvalidActions.y + a.InvalidAction.z", to: types).isEmpty)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("RuleIndependenceTests-\(UUID().uuidString).swift")
        try "let x = 1 // InvalidAction.defect(in: value)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try Self.references(in: Self.code(of: file), to: types).isEmpty)
    }
}
