import Foundation
import IAMAuditReporters
import IAMAuditRules
import Testing

/// `docs/RULES.md` is generated from the rule catalog; this test fails when it no longer matches.
@Suite("docs/RULES.md")
struct RulesDocumentStalenessTests {
    @Test func rulesDocumentIsUpToDate() throws {
        let root = try #require(Tooling.packageRoot)
        let path = root.appendingPathComponent("docs/RULES.md").path
        let expected = RuleDocumentation.markdown(RuleCatalog.descriptions)
        let actual = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        #expect(actual == expected, "docs/RULES.md is out of date. Please run `make docs` (it runs `\(RuleDocumentation.generatorCommand)`).")
    }
}
