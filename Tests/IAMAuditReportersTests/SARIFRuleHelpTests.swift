import Foundation
@testable import IAMAuditReporters
import IAMAuditRules
import Testing

/// Every rule of the catalog reaches code scanning with the documentation `docs/RULES.md` and `explain` print.
@Suite("SARIF rule help")
struct SARIFRuleHelpTests {
    @Test func everyRuleCarriesItsMarkdownAndReferences() throws {
        let catalog = RuleCatalog.descriptions.sorted { $0.code < $1.code }
        let report = AuditReport(toolVersion: "1", findings: [], fileCount: 0, policyCount: 0, rules: catalog)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(SARIFReporter().render(report).utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.count == catalog.count)
        for (rule, description) in zip(rules, catalog) {
            #expect(rule["id"] as? String == description.code)
            let help = try #require(rule["help"] as? [String: String], "\(description.code) has no help")
            #expect(help["markdown"] == RuleDocumentation.markdown(for: description), "\(description.code)")
            for reference in description.references {
                #expect(help["markdown"]?.contains(reference) == true, "\(description.code) lacks \(reference)")
            }
            #expect(help["markdown"]?.contains("**References**") == true)
        }
    }
}
