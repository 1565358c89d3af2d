import Foundation
import IAMAuditCLI
import Testing

/// Fingerprints, `--write-baseline` and `--baseline` on copies of `fixtures/seed-as-documented`.
@Suite("Baselines and fingerprints")
struct BaselineTests {
    /// A copy of the seed fixture in a fresh temporary folder, as `seed/`.
    static func seedCopy() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: PackageRoot.url.appendingPathComponent("fixtures/seed-as-documented").path,
                                         toPath: folder.url("seed"))
        return folder
    }

    /// The findings of a JSON report, and the report itself.
    static func jsonReport(_ arguments: [String], in folder: TemporaryFolder) throws -> (run: RunResult, json: [String: Any], findings: [[String: Any]]) {
        let run = iamAudit(arguments + ["--format", "json"], workingDirectory: folder.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "stderr: \(run.stderr)")
        let findings = try #require(json["findings"] as? [[String: Any]])
        return (run, json, findings)
    }

    /// `pointer → fingerprint` of the findings of `file`.
    static func fingerprints(_ findings: [[String: Any]], file: String) -> [String: String] {
        var result: [String: String] = [:]
        for finding in findings where finding["file"] as? String == file {
            result["\(finding["ruleId"] ?? "")\(finding["pointer"] ?? "")"] = finding["fingerprint"] as? String
        }
        return result
    }

    static func edit(_ folder: TemporaryFolder, _ relative: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: folder.url(relative), encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the edit of \(relative) changed nothing")
        try folder.write(relative, changed)
    }

    /// Appends `statement` (JSON text) to the Statement array of a pretty-printed policy.
    static func appendStatement(_ statement: String, to text: String) -> String {
        guard let close = text.range(of: "\n  ]", options: .backwards) else { return text }
        return text.replacingCharacters(in: close, with: ",\n    \(statement)\n  ]")
    }

    /// A statement that only IAM005 (invalid effect) flags, inside the design's S3 scope.
    static let badStatement = #"{"Sid": "NewBadEffect", "Effect": "Alow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::aws-sam-cli-managed-default-samclisourcebucket-1/x"}"#

    @Test func insertingLinesAboveAFindingKeepsItsFingerprint() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        let file = "seed/dev/trust-policy.json"
        let before = try Self.jsonReport(["seed"], in: folder).findings
        try Self.edit(folder, file) { "\n\n\n" + $0.replacingOccurrences(of: "\"Statement\": [", with: "\n\n\"Statement\": [\n\n") }
        let after = try Self.jsonReport(["seed"], in: folder).findings
        let old = Self.fingerprints(before, file: file)
        #expect(!old.isEmpty)
        #expect(Self.fingerprints(after, file: file) == old)
        let lines = { (findings: [[String: Any]]) in findings.filter { $0["file"] as? String == file }.compactMap { $0["line"] as? Int } }
        #expect(lines(before).map { $0 + 7 } == lines(after))
    }

    @Test func changingTheOffendingValueChangesTheFingerprint() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        let file = "seed/dev/trust-policy.json"
        let before = Self.fingerprints(try Self.jsonReport(["seed"], in: folder).findings, file: file)
        try Self.edit(folder, file) {
            $0.replacingOccurrences(of: "template-sender-engine:*", with: "template-sender-engine:environment:*")
        }
        let after = Self.fingerprints(try Self.jsonReport(["seed"], in: folder).findings, file: file)
        #expect(!before.isEmpty && before.keys == after.keys, "the same rule still flags the same pointer")
        for (key, fingerprint) in before { #expect(after[key] != fingerprint, "\(key)") }
    }

    @Test func anUnrelatedFindingChangesNoOtherFingerprint() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        let before = try Self.jsonReport(["seed"], in: folder).findings
        try Self.edit(folder, "seed/dev/permissions-policy.json") { Self.appendStatement(Self.badStatement, to: $0) }
        let after = try Self.jsonReport(["seed"], in: folder).findings
        #expect(after.count == before.count + 1)
        let old = Set(before.compactMap { $0["fingerprint"] as? String })
        #expect(old.isSubset(of: Set(after.compactMap { $0["fingerprint"] as? String })))
    }

    /// The path spelling does not change fingerprints: `./seed/` and `seed` agree.
    @Test func pathSpellingKeepsFingerprints() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        let plain = try Self.jsonReport(["seed"], in: folder).findings.compactMap { $0["fingerprint"] as? String }
        let dotted = try Self.jsonReport(["./seed/"], in: folder).findings.compactMap { $0["fingerprint"] as? String }
        #expect(!plain.isEmpty && plain == dotted)
    }

    @Test func roundTripOnTheSeed() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        let initial = iamAudit(["seed", "--color", "never"], workingDirectory: folder.path)
        #expect(initial.code == .findings)

        let write = iamAudit(["seed", "--write-baseline", "baseline.json", "--color", "never"], workingDirectory: folder.path)
        #expect(write.code == .success, "stderr: \(write.stderr)")
        let text = try String(contentsOfFile: folder.url("baseline.json"), encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        let baseline = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(baseline["version"] as? Int == 1)
        let entries = try #require(baseline["entries"] as? [[String: Any]])
        let count = Self.findingCount(initial.stdout)
        #expect(entries.count == count && count > 0)
        for entry in entries { #expect(Set(entry.keys) == ["rule", "file", "pointer", "fingerprint", "message"]) }
        let order = entries.map { "\($0["file"] ?? "")\u{0}\($0["rule"] ?? "")\u{0}\($0["pointer"] ?? "")" }
        #expect(order == order.sorted())
        // Writing again gives the same bytes.
        #expect(iamAudit(["seed", "--write-baseline", "again.json"], workingDirectory: folder.path).code == .success)
        #expect(try String(contentsOfFile: folder.url("again.json"), encoding: .utf8) == text)

        let rerun = iamAudit(["seed", "--baseline", "baseline.json", "--color", "never"], workingDirectory: folder.path)
        #expect(rerun.code == .success, "stdout: \(rerun.stdout)")
        #expect(rerun.stdout.contains("no findings"))
        #expect(rerun.stdout.contains(", \(count) baselined"), "\(rerun.stdout)")

        try Self.edit(folder, "seed/dev/permissions-policy.json") { Self.appendStatement(Self.badStatement, to: $0) }
        let (run, json, findings) = try Self.jsonReport(["seed", "--baseline", "baseline.json"], in: folder)
        #expect(run.code == .findings)
        #expect(findings.count == 1)
        #expect(findings.first?["file"] as? String == "seed/dev/permissions-policy.json")
        #expect(findings.first?["ruleId"] as? String == "IAM005")
        #expect((findings.first?["pointer"] as? String)?.hasPrefix("/Statement/") == true)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["baselined"] == count)
        #expect(summary["staleBaselineEntries"] == 0)
    }

    /// An entry for one file never hides the same rule, pointer and value in another file; a fixed finding leaves
    /// a stale entry.
    @Test func anEntryNeverHidesAnotherFile() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        // Both trust policies have the same OIDC004 finding at the same pointer with the same value.
        // OIDC rules only: the design-dependent DSN findings of the folder run are not in a single-file baseline.
        let write = iamAudit(["seed/dev/trust-policy.json", "--select", "OIDC", "--write-baseline", "dev.json"], workingDirectory: folder.path)
        #expect(write.code == .success, "stderr: \(write.stderr)")
        let (run, json, findings) = try Self.jsonReport(["seed", "--select", "OIDC", "--baseline", "dev.json"], in: folder)
        #expect(run.code == .findings)
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0["file"] as? String != "seed/dev/trust-policy.json" })
        #expect(findings.contains { $0["file"] as? String == "seed/prod/trust-policy.json" && $0["ruleId"] as? String == "OIDC004" })
        let summary = try #require(json["summary"] as? [String: Int])
        #expect((summary["baselined"] ?? 0) > 0)

        // Fixing the dev finding makes its entry stale.
        try Self.edit(folder, "seed/dev/trust-policy.json") {
            $0.replacingOccurrences(of: "template-sender-engine:*", with: "template-sender-engine:environment:dev")
        }
        let fixed = iamAudit(["seed/dev/trust-policy.json", "--baseline", "dev.json", "--color", "never"], workingDirectory: folder.path)
        #expect(fixed.stdout.contains("stale baseline entr"), "\(fixed.stdout)")
        let (_, fixedJSON, _) = try Self.jsonReport(["seed/dev/trust-policy.json", "--baseline", "dev.json"], in: folder)
        #expect((fixedJSON["summary"] as? [String: Int])?["staleBaselineEntries"] ?? 0 > 0)
    }

    @Test(arguments: [
        ("missing.json", nil as String?, "cannot read the baseline file 'missing.json'"),
        ("bad.json", "{\"version\": 1, \"entries\": [", "invalid baseline file 'bad.json': it is not valid JSON"),
        ("old.json", "{\"version\": 7, \"tool\": {\"name\": \"iam-audit\", \"version\": \"9\"}, \"entries\": []}", "its version 7 is not supported"),
        ("shape.json", "{\"version\": 1, \"tool\": {\"name\": \"iam-audit\", \"version\": \"9\"}, \"entries\": [{\"rule\": \"IAM001\"}]}", "has no \"file\""),
    ])
    func unreadableBaselineIsARunError(file: String, contents: String?, expected: String) throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        if let contents { try folder.write(file, contents) }
        let run = iamAudit(["seed", "--baseline", file], workingDirectory: folder.path)
        #expect(run.code == .failure)
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderrLines.first?.hasPrefix("iam-audit: error: ") == true)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
    }

    @Test func writingABaselineFailsOnlyWhenTheRunFails() throws {
        let folder = try Self.seedCopy()
        defer { folder.remove() }
        let unwritable = iamAudit(["seed", "--write-baseline", "no/such/folder/b.json"], workingDirectory: folder.path)
        #expect(unwritable.code == .failure)
        #expect(unwritable.stderr.contains("cannot write the baseline file"))
        let missing = iamAudit(["seed", "nothing-here.json", "--write-baseline", "b.json"], workingDirectory: folder.path)
        #expect(missing.code == .failure)
    }

    /// The number of findings a text report's summary counts.
    static func findingCount(_ text: String) -> Int {
        text.split(separator: "\n").filter { $0.contains(": error[") || $0.contains(": warning[") || $0.contains(": note[") }.count
    }
}
