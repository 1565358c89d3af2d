import Foundation
import IAMAuditCLI
import IAMAuditRules
import Testing

/// The design's `ignore` entries on a copy of `fixtures/seed-as-documented`.
@Suite("Suppressions")
struct SuppressionTests {
    /// The seed copy with `entries` (JSON array text) as the design's `ignore`.
    static func seed(ignore entries: String) throws -> TemporaryFolder {
        let folder = try BaselineTests.seedCopy()
        try BaselineTests.edit(folder, "seed/iam-audit.json") { text in
            guard let end = text.range(of: "\n}", options: .backwards) else { return text }
            return text.replacingCharacters(in: end, with: ",\n  \"ignore\": \(entries)\n}")
        }
        return folder
    }

    @Test func matchingEntriesMoveFindingsToSuppressedWithTheirReason() throws {
        let folder = try Self.seed(ignore: """
        [
            {"rule": "OIDC004", "path": "dev/*.json", "pointer": "/Statement/0", "reason": "debug compromise, ticket 12"},
            {"rule": "github-sub-any-ref", "path": "**/prod/trust-*.json", "reason": "until the environments exist", "expires": "2999-12-31"}
          ]
        """)
        defer { folder.remove() }
        // Only the OIDC rules, so that the two OIDC004 findings are the whole report.
        let (run, json, findings) = try BaselineTests.jsonReport(["seed", "--select", "OIDC"], in: folder)
        #expect(run.code == .success, "stderr: \(run.stderr)")
        #expect(findings.allSatisfy { $0["ruleId"] as? String != "OIDC004" })
        let suppressed = try #require(json["suppressed"] as? [[String: Any]])
        #expect(suppressed.count == 2)
        #expect(suppressed.map { $0["reason"] as? String } == ["debug compromise, ticket 12", "until the environments exist"])
        #expect((json["summary"] as? [String: Int])?["suppressed"] == 2)
        #expect((json["notices"] as? [[String: Any]])?.isEmpty == true)

        let text = iamAudit(["seed", "--select", "OIDC", "--color", "never"], workingDirectory: folder.path)
        #expect(text.stdout.contains("seed/dev/trust-policy.json:16:54: suppressed[OIDC004]: "))
        #expect(text.stdout.contains("(reason: debug compromise, ticket 12)"))
        #expect(text.stdout.contains(", 2 suppressed"))
        #expect(text.stderr.isEmpty)

        // SARIF leaves suppressed findings out.
        let sarif = iamAudit(["seed", "--format", "sarif"], workingDirectory: folder.path)
        #expect(!sarif.stdout.contains("\"ruleId\" : \"OIDC004\""))
    }

    /// A pointer entry covers its pointer and everything inside it, never a sibling; a glob never crosses a
    /// folder with `*`.
    @Test func pointerAndPathMustMatch() throws {
        let folder = try Self.seed(ignore: """
        [
            {"rule": "OIDC004", "path": "dev/trust-policy.json", "pointer": "/Statement/1", "reason": "another statement"},
            {"rule": "OIDC004", "path": "*.json", "reason": "top-level files only"},
            {"rule": "OIDC003", "path": "**", "reason": "another rule"}
          ]
        """)
        defer { folder.remove() }
        let (run, json, findings) = try BaselineTests.jsonReport(["seed"], in: folder)
        #expect(run.code == .findings)
        #expect(findings.filter { $0["ruleId"] as? String == "OIDC004" }.count == 2)
        #expect((json["suppressed"] as? [[String: Any]])?.isEmpty == true)
        let notices = try #require(json["notices"] as? [[String: Any]])
        #expect(notices.count == 3)
        for notice in notices {
            #expect(notice["file"] as? String == "seed/iam-audit.json")
            #expect((notice["message"] as? String)?.contains("matches no finding") == true)
            #expect(notice["line"] as? Int != nil && notice["column"] as? Int != nil)
        }
    }

    @Test func expiredAndUnusedEntriesAreWarningsWithTheirPosition() throws {
        let folder = try Self.seed(ignore: """
        [
            {"rule": "OIDC004", "path": "**", "reason": "was accepted", "expires": "2001-02-03"},
            {"rule": "IAM005", "path": "**", "reason": "nothing to match"}
          ]
        """)
        defer { folder.remove() }
        let design = try String(contentsOfFile: folder.url("seed/iam-audit.json"), encoding: .utf8)
        let lines = design.split(separator: "\n", omittingEmptySubsequences: false)
        let expiredLine = try #require(lines.firstIndex { $0.contains("2001-02-03") }) + 1
        let unusedLine = try #require(lines.firstIndex { $0.contains("nothing to match") }) + 1

        let run = iamAudit(["seed", "--color", "never", "--quiet"], workingDirectory: folder.path)
        #expect(run.code == .findings, "an expired entry suppresses nothing")
        #expect(run.stdout.contains("error[OIDC004]"))
        #expect(run.stderrLines == [
            "iam-audit: warning: seed/iam-audit.json:\(expiredLine):5: ignore entry /ignore/0 (rule 'OIDC004', path '**') expired on 2001-02-03 and no longer suppresses findings; renew or remove it",
            "iam-audit: warning: seed/iam-audit.json:\(unusedLine):5: ignore entry /ignore/1 (rule 'IAM005', path '**') matches no finding; remove it",
        ])
        // An entry for a rule the run did not enable is not unused.
        let selected = iamAudit(["seed", "--select", "OIDC", "--color", "never"], workingDirectory: folder.path)
        #expect(selected.stderrLines.count == 1)
        // In JSON, the same as notices.
        let (_, json, _) = try BaselineTests.jsonReport(["seed"], in: folder)
        let notices = try #require(json["notices"] as? [[String: Any]])
        #expect(notices.compactMap { $0["line"] as? Int } == [expiredLine, unusedLine])
    }

    @Test(arguments: [
        ("dev/trust-policy.json", "dev/trust-policy.json", true),
        ("dev/*.json", "dev/trust-policy.json", true),
        ("*.json", "dev/trust-policy.json", false),
        ("**/*.json", "dev/trust-policy.json", true),
        ("**/*.json", "a.json", true),
        ("**", "a/b/c.json", true),
        ("dev/**/x.json", "dev/x.json", true),
        ("dev/**/x.json", "dev/a/b/x.json", true),
        ("dev/**/x.json", "prod/a/x.json", false),
        ("d?v/trust-*", "dev/trust-policy.json", true),
        ("./dev//trust-policy.json", "dev/trust-policy.json", true),
        ("dev/trust", "dev/trust-policy.json", false),
    ])
    func pathGlobs(pattern: String, path: String, expected: Bool) {
        #expect(PathGlob(pattern).matches(path) == expected)
    }
}
