import Foundation
@testable import IAMAuditReporters
import IAMAuditRules
import IAMPolicy
import Testing

@Suite struct JSONReporterTests {
    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private static let findingKeys: Set<String> = [
        "ruleId", "ruleName", "level", "securitySeverity", "message", "file", "pointer", "line", "column", "endLine",
        "endColumn", "policyKind", "fingerprint",
    ]

    @Test func carriesEveryContractField() throws {
        let json = try object(JSONReporter().render(SampleReports.several))
        #expect(Set(json.keys) == ["schemaVersion", "tool", "summary", "findings", "suppressed", "errors", "notices", "designs", "awsManaged"])
        #expect(json["schemaVersion"] as? Int == 1)
        let tool = try #require(json["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "iam-audit")
        #expect(tool["version"] as? String == "1.2.3")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["files": 5, "filesWithoutIAM": 0, "policies": 6, "errors": 2, "warnings": 2, "notes": 1, "suppressed": 1,
                            "baselined": 0, "staleBaselineEntries": 0])

        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count == 5)
        #expect(findings.map { $0["ruleId"] as? String } == ["IAM001", "IAM005", "PRIV001", "PRIV001", "OIDC003"])

        // No environment and no policy: the key is left out and policyKind is null.
        let invalid = findings[0]
        #expect(Set(invalid.keys) == Self.findingKeys)
        #expect(invalid["policyKind"] is NSNull)
        #expect(invalid["pointer"] as? String == "")

        let effect = findings[1]
        #expect(Set(effect.keys) == Self.findingKeys.union(["environment"]))
        #expect(effect["ruleName"] as? String == "invalid-effect")
        #expect(effect["level"] as? String == "error")
        #expect(effect["securitySeverity"] as? Double == 5.5)
        #expect(effect["message"] as? String == "effect 'Alow' is neither 'Allow' nor 'Deny'")
        #expect(effect["file"] as? String == "policies/dev/permissions policy.json")
        #expect(effect["pointer"] as? String == "/Statement/0/Effect")
        #expect(effect["line"] as? Int == 4)
        #expect(effect["column"] as? Int == 40)
        #expect(effect["endLine"] as? Int == 4)
        #expect(effect["endColumn"] as? Int == 46)
        #expect(effect["environment"] as? String == "dev")
        #expect(effect["policyKind"] as? String == "identity")
        #expect(effect["fingerprint"] as? String == "fp-iam005")

        #expect(findings[4]["pointer"] as? String
            == "/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub")

        let suppressed = try #require(json["suppressed"] as? [[String: Any]])
        #expect(suppressed.count == 1)
        #expect(Set(suppressed[0].keys) == Self.findingKeys.union(["environment", "reason"]))
        #expect(suppressed[0]["reason"] as? String == "ValidateTemplate supports no resource-level permissions")
        #expect((json["errors"] as? [Any])?.isEmpty == true)
        #expect((json["notices"] as? [Any])?.isEmpty == true)
    }

    @Test func runErrorsCarryAPositionOnlyWhenKnown() throws {
        let json = try object(JSONReporter().render(SampleReports.runErrors))
        let errors = try #require(json["errors"] as? [[String: Any]])
        #expect(errors.count == 2)
        #expect(Set(errors[0].keys) == ["file", "message", "line", "column"])
        #expect(errors[0]["line"] as? Int == 12)
        #expect(errors[0]["column"] as? Int == 5)
        #expect(Set(errors[1].keys) == ["file", "message"])
        #expect(errors[1]["message"] as? String == "no such file or directory")
        let notices = try #require(json["notices"] as? [[String: String]])
        #expect(notices == [["file": "policies/package.json", "message": "not a policy document, skipped"]])
    }

    /// A long report's findings are encoded in chunks on several threads; the bytes are those of one thread,
    /// whatever the chunk size and thread count, with and without errors, notices and suppressed findings.
    @Test(arguments: [1, 2, 3, 100])
    func findingsEncodedInParallelAreTheSameBytes(chunkSize: Int) {
        var long = SampleReports.several
        long.findings = Array(repeating: SampleReports.several.findings, count: 7).flatMap { $0 }
        long.errors = SampleReports.runErrors.errors
        long.notices = SampleReports.runErrors.notices
        for report in [SampleReports.several, long, SampleReports.clean] {
            let serial = JSONReporter().render(report)
            for jobs in [2, 4] {
                var reporter = JSONReporter(jobs: jobs)
                reporter.parallelFrom = 1
                reporter.chunkSize = chunkSize
                #expect(reporter.render(report) == serial)
            }
        }
    }

    /// Findings write their own JSON rather than going through the encoder's tree: the bytes are the tree's, with
    /// and without environment, policy kind and reason, for escapes, non-ASCII text, fractions and non-finite
    /// severities, at every indent.
    @Test func findingsWrittenDirectlyMatchTheEncodedTree() throws {
        var odd = SampleReports.findings[1]
        odd.message = "quote \" backslash \\ tab \t line\nbreak \u{1} ÄÖÜ 🚀 / end"
        odd.file = "policies/dev/\u{7f}name \"x\".json"
        odd.securitySeverity = 7.25
        var infinite = SampleReports.findings[0]
        infinite.securitySeverity = .infinity
        var cases = (SampleReports.findings + [odd, infinite]).map { JSONReporter.ReportedFinding($0) }
        cases += SampleReports.suppressed.map { JSONReporter.ReportedFinding($0.finding, reason: $0.reason) }
        cases.append(JSONReporter.ReportedFinding(odd, reason: "a \"reason\" with\nbreaks"))
        for finding in cases {
            for indent in [0, 1, 3] {
                let slot = SortedJSONEncoder.Slot()
                try finding.encode(to: SortedJSONEncoder.TreeEncoder(slot: slot))
                var tree = SortedJSONEncoder.Output()
                tree.write(slot, indent: indent)
                var direct = SortedJSONEncoder.Output()
                finding.writeSortedJSON(to: &direct, indent: indent)
                #expect(String(decoding: direct.bytes, as: UTF8.self) == String(decoding: tree.bytes, as: UTF8.self))
            }
        }
        // And through the encoder, which takes the direct path for them.
        #expect(try SortedJSONEncoder.encode(cases).contains("\"securitySeverity\" : 7.25"))
    }

    @Test func outputIsDeterministicSortedAndUnescaped() {
        let first = JSONReporter().render(SampleReports.several)
        #expect(first == JSONReporter().render(SampleReports.several))
        #expect(first.hasSuffix("}\n"))
        #expect(first.contains("policies/dev/permissions policy.json"))
        #expect(!first.contains("\\/"))
        // Sorted keys: the top level in alphabetical order.
        let order = ["\"errors\"", "\"findings\"", "\"notices\"", "\"schemaVersion\"", "\"summary\"", "\"suppressed\"", "\"tool\""]
        let positions = order.compactMap { key in first.range(of: "\n  \(key)")?.lowerBound }
        #expect(positions.count == order.count)
        #expect(positions == positions.sorted())
    }

    @Test func missingFingerprintFallsBackToAStableHash() throws {
        var finding = SampleReports.findings[1]
        finding.fingerprint = ""
        let report = AuditReport(toolVersion: "1", findings: [finding], fileCount: 1, policyCount: 1, rules: [])
        let json = try object(JSONReporter().render(report))
        let fingerprint = try #require((json["findings"] as? [[String: Any]])?.first?["fingerprint"] as? String)
        #expect(fingerprint.count == 16)
        // The line is not part of it.
        finding.span = SampleReports.span(40, 1, 40, 7)
        #expect(finding.reportedFingerprint == fingerprint)
    }

    @Test(.enabled(if: Tooling.hasPythonJSONSchema && Tooling.reportSchema != nil,
                   "needs python3 with jsonschema (pip install jsonschema) to validate against the report schema"))
    func outputMatchesTheReportSchema() throws {
        let schema = try #require(Tooling.reportSchema)
        let validator = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
        for e in errors: print("/" + "/".join(map(str, e.absolute_path)) + ": " + e.message)
        sys.exit(1 if errors else 0)
        """
        for report in [SampleReports.several, SampleReports.clean, SampleReports.runErrors] {
            let file = try Tooling.temporaryFile(JSONReporter().render(report), suffix: ".json")
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try Tooling.run(["python3", "-c", validator, schema.path, file.path])
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test(.enabled(if: Tooling.hasPythonJSONSchema && Tooling.reportSchema != nil,
                   "needs python3 with jsonschema (pip install jsonschema) to validate against the report schema"))
    func schemaRejectsAnUnknownField() throws {
        let schema = try #require(Tooling.reportSchema)
        var text = JSONReporter().render(SampleReports.several)
        text = text.replacingOccurrences(of: "\"fingerprint\"", with: "\"fingerprints\"")
        let file = try Tooling.temporaryFile(text, suffix: ".json")
        defer { try? FileManager.default.removeItem(at: file) }
        let validator = """
        import json, sys, jsonschema
        v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
        sys.exit(0 if v.is_valid(json.load(open(sys.argv[2]))) else 3)
        """
        #expect(try Tooling.run(["python3", "-c", validator, schema.path, file.path]).status == 3)
    }
}
