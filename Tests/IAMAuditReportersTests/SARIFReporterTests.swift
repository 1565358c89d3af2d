import Foundation
@testable import IAMAuditReporters
import IAMAuditRules
import IAMPolicy
import Testing

@Suite struct SARIFReporterTests {
    private func run(of report: AuditReport) throws -> [String: Any] {
        let text = SARIFReporter().render(report)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        return runs[0]
    }

    @Test func describesEveryRuleForCodeScanning() throws {
        let run = try run(of: SampleReports.several)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "iam-audit")
        #expect(driver["version"] as? String == "1.2.3")
        #expect(driver["semanticVersion"] as? String == "1.2.3")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == SampleReports.rules.map(\.code))

        let oidc = rules[2]
        #expect(oidc["name"] as? String == "github-sub-any-repository")
        #expect((oidc["shortDescription"] as? [String: String])?["text"] == "Subject admits any repository of the owner")
        #expect((oidc["fullDescription"] as? [String: String])?["text"] == "Reports subject admits any repository of the owner.")
        #expect((oidc["defaultConfiguration"] as? [String: String])?["level"] == "error")
        let help = try #require(oidc["help"] as? [String: String])
        #expect(help["markdown"] == RuleDocumentation.markdown(for: SampleReports.rules[2]))
        #expect(help["text"]?.hasPrefix("OIDC003 github-sub-any-repository: Subject admits any repository of the owner\n") == true)
        let properties = try #require(oidc["properties"] as? [String: Any])
        #expect(properties["tags"] as? [String] == ["security", "oidc"])
        #expect(properties["security-severity"] as? String == "9.5")
        #expect(properties["precision"] as? String == "very-high")
        #expect((rules[3]["properties"] as? [String: Any])?["security-severity"] as? String == "8.0")
    }

    @Test func locatesEachFindingAndLeavesOutSuppressedOnes() throws {
        let run = try run(of: SampleReports.several)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == SampleReports.findings.count)
        #expect(results.map { $0["ruleId"] as? String } == ["IAM001", "IAM005", "PRIV001", "PRIV001", "OIDC003"])
        #expect(results.map { $0["ruleIndex"] as? Int } == [0, 1, 3, 3, 2])
        #expect(results.map { $0["level"] as? String } == ["error", "error", "warning", "warning", "note"])

        let effect = results[1]
        #expect((effect["message"] as? [String: String])?["text"] == "effect 'Alow' is neither 'Allow' nor 'Deny'")
        let location = try #require((effect["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let artifact = try #require(location["artifactLocation"] as? [String: String])
        #expect(artifact == ["uri": "policies/dev/permissions%20policy.json", "uriBaseId": "%SRCROOT%"])
        #expect(location["region"] as? [String: Int] == ["startLine": 4, "startColumn": 40, "endLine": 4, "endColumn": 46])
        #expect(effect["partialFingerprints"] as? [String: String] == ["iamAudit/v1": "fp-iam005"])
        #expect((effect["properties"] as? [String: String])?["pointer"] == "/Statement/0/Effect")

        let multiLine = try #require((results[2]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect(multiLine["region"] as? [String: Int] == ["startLine": 5, "startColumn": 33, "endLine": 6, "endColumn": 20])

        let text = SARIFReporter().render(SampleReports.several)
        #expect(!text.contains("fp-priv002"))
        #expect(text == SARIFReporter().render(SampleReports.several))
    }

    @Test func cleanRunHasAnEmptyResultsArray() throws {
        let run = try run(of: SampleReports.clean)
        #expect((run["results"] as? [Any])?.isEmpty == true)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == true)
        #expect(invocation["toolExecutionNotifications"] == nil)
    }

    @Test func runErrorsBecomeToolExecutionNotifications() throws {
        let run = try run(of: SampleReports.runErrors)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        let notifications = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notifications.map { $0["level"] as? String } == ["error", "error", "note"])
        #expect((notifications[0]["message"] as? [String: String])?["text"] == "unknown key 'enviroments'")
        let location = try #require((notifications[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: String])?["uri"] == "iam-audit.json")
        #expect(location["region"] as? [String: Int] == ["startLine": 12, "startColumn": 5])
    }

    @Test func findingOfAnUnlistedRuleStillHasItsRule() throws {
        let report = AuditReport(toolVersion: "1", findings: [SampleReports.findings[4]], fileCount: 1, policyCount: 1,
                                 rules: [InvalidJSON.description])
        let run = try run(of: report)
        let rules = try #require((run["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["IAM001", "OIDC003"])
        #expect((run["results"] as? [[String: Any]])?.first?["ruleIndex"] as? Int == 1)
    }

    @Test func artifactURIsAreRelativeAndPercentEncoded() {
        #expect(SARIFReporter.artifactLocation(for: "policies/dev/trust.json") == ("policies/dev/trust.json", "%SRCROOT%"))
        #expect(SARIFReporter.artifactLocation(for: "./a b/ü:1.json") == ("a%20b/%C3%BC%3A1.json", "%SRCROOT%"))
        #expect(SARIFReporter.artifactLocation(for: "dir\\file#1.json") == ("dir/file%231.json", "%SRCROOT%"))
        #expect(SARIFReporter.artifactLocation(for: "/tmp/x y.json") == ("file:///tmp/x%20y.json", nil))
    }

    // MARK: check-sarif

    /// Runs `../shared/tools/check-sarif` on the report and returns its exit status and output lines.
    private func checkSarif(_ report: AuditReport) throws -> (status: Int32, lines: [String]) {
        let tool = try #require(Tooling.checkSarif)
        let schema = try #require(Tooling.sarifSchema)
        let file = try Tooling.temporaryFile(SARIFReporter().render(report), suffix: ".sarif")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Tooling.run(["python3", tool.path, file.path, schema.path])
        return (result.status, result.output.split(separator: "\n").map(String.init))
    }

    private static let checkSarifReason: Comment =
        "needs ../shared/tools/check-sarif, ../shared/sarif/sarif-schema-2.1.0.json and python3 with jsonschema"

    @Test(.enabled(if: Tooling.canCheckSarif, checkSarifReason))
    func severalFindingsPassCheckSarif() throws {
        let result = try checkSarif(SampleReports.several)
        #expect(result.status == 0, "\(result.lines.joined(separator: "\n"))")
        #expect(!result.lines.contains { $0.hasPrefix("WARN") || $0.hasPrefix("ERROR") }, "\(result.lines)")
        #expect(result.lines.last?.contains("0 error(s), 0 warning(s)") == true, "\(result.lines)")
    }

    @Test(.enabled(if: Tooling.canCheckSarif, checkSarifReason))
    func cleanRunPassesCheckSarif() throws {
        let result = try checkSarif(SampleReports.clean)
        #expect(result.status == 0, "\(result.lines.joined(separator: "\n"))")
        #expect(result.lines.last?.contains("0 error(s), 0 warning(s)") == true, "\(result.lines)")
    }

    @Test(.enabled(if: Tooling.canCheckSarif, checkSarifReason))
    func failedRunPassesCheckSarifWithOnlyTheUnsuccessfulWarning() throws {
        let result = try checkSarif(SampleReports.runErrors)
        #expect(result.status == 0, "\(result.lines.joined(separator: "\n"))")
        let warnings = result.lines.filter { $0.hasPrefix("WARN") }
        #expect(warnings.count == 1 && warnings[0].contains("executionSuccessful=false"), "\(result.lines)")
    }
}

/// GitHub code scanning rejects a run of more than 25,000 results: a longer report keeps the most severe.
@Suite struct SARIFResultLimitTests {
    @Test func keepsTheMostSevereAndSaysSo() throws {
        var report = SampleReports.several
        let levels = report.findings.map(\.level)
        let limit = 2
        let text = SARIFReporter(resultLimit: limit).render(report)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == limit)
        let kept = results.compactMap { $0["level"] as? String }
        let mostSevere = levels.sorted(by: >).prefix(limit).map(\.rawValue)
        #expect(kept.sorted() == mostSevere.sorted())
        let notifications = try #require(((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"]) as? [[String: Any]])
        #expect(notifications.contains { ($0["level"] as? String) == "warning"
            && (($0["message"] as? [String: Any])?["text"] as? String)?.contains("kept the 2 most severe of \(levels.count) results") == true })
        report.findings = Array(report.findings.prefix(limit))
        #expect(!SARIFReporter(resultLimit: limit).render(report).contains("most severe"))
        #expect(SARIFReporter.maxResults == 25_000)
    }

    @Test func keptPreservesReportOrderAndBreaksTiesBySeverityThenPosition() {
        let findings = SampleReports.several.findings
        let kept = SARIFReporter.kept(findings, limit: 3)
        let indices = kept.compactMap { finding in findings.firstIndex(of: finding) }
        #expect(indices == indices.sorted())
        #expect(SARIFReporter.kept(findings, limit: findings.count) == findings)
    }
}
