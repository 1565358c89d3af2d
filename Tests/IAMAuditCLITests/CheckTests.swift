import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import IAMPolicy
import Testing

@Suite("Check")
struct CheckTests {
    @Test(arguments: [
        ("error", ExitCode.findings), ("warning", .findings), ("note", .findings), ("never", .success),
    ])
    func exitCodePerFailOn(_ level: String, _ expected: ExitCode) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write("broken.json", Sample.malformed)
        let good = try folder.write("good.json", Sample.permission)
        #expect(iamAudit(["--fail-on", level, broken]).code == expected)
        #expect(iamAudit(["--select", "IAM001", "--fail-on", level, good]).code == .success)
        // A run error wins over every threshold.
        #expect(iamAudit(["--fail-on", level, good, folder.url("missing.json")]).code == .failure)
    }

    /// A warning (IAM003 missing-version) fails the run only at `--fail-on warning` or `note`.
    @Test(arguments: [
        ("error", ExitCode.success), ("warning", .findings), ("note", .findings), ("never", .success),
    ])
    func warningPerFailOn(_ level: String, _ expected: ExitCode) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let unversioned = try folder.write("unversioned.json", """
        {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
        """)
        #expect(iamAudit(["--select", "IAM003", "--fail-on", level, unversioned]).code == expected)
    }

    @Test func outputIsWrittenAtomically() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write("policies/broken.json", Sample.malformed)
        let output = try folder.write("out/report.txt", "old report")
        let inodeBefore = try FileManager.default.attributesOfItem(atPath: output)[.systemFileNumber] as? Int
        let result = iamAudit(["--output", output, broken])
        #expect(result.code == .findings)
        #expect(result.stdout.isEmpty)
        // Replaced by a rename, not rewritten in place: the path now names another inode.
        #expect(try FileManager.default.attributesOfItem(atPath: output)[.systemFileNumber] as? Int != inodeBefore)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written != "old report")
        #expect(written.contains("broken.json"))
        // Only the report is left in the folder: the temporary file was renamed over it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url("out")) == ["report.txt"])
        // Relative to the working directory, in the `--output=FILE` spelling, to a new file.
        let relative = iamAudit(["--output=out/new.txt", "policies"], workingDirectory: folder.path)
        #expect(relative.code == .findings)
        #expect(FileManager.default.fileExists(atPath: folder.url("out/new.txt")))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.url("out/new.txt"))
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
    }

    @Test func unwritableOutputIsOneErrorLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.write("good.json", Sample.permission)
        let result = iamAudit(["--output", folder.url("missing/report.txt"), good])
        #expect(result.code == .failure)
        #expect(result.stderrLines == ["iam-audit: error: cannot write '\(folder.url("missing/report.txt"))': no such file or directory (creating a temporary file beside it)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["good.json"])
    }

    @Test func designFileIsFoundUsedAndNotAudited() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("policies/iam-audit.json", """
        {
          "version": 1,
          "github": {"repository": "acme/app"},
          "environments": {
            "dev": {"branch": "develop", "trustPolicy": "dev/trust.json", "permissionPolicies": ["dev/permissions.json"]}
          }
        }
        """)
        try folder.write("policies/dev/trust.json", Sample.malformed)
        try folder.write("policies/dev/permissions.json", Sample.malformed)
        try folder.write("policies/unclaimed.json", Sample.malformed)
        try folder.write("policies/sub/iam-audit.json", "{}")
        let report = try checkReport(["policies"], workingDirectory: folder.path)
        #expect(report.fileCount == 3)
        let byFile = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.file, $0) })
        #expect(byFile["policies/dev/trust.json"]?.environment == "dev")
        #expect(byFile["policies/dev/trust.json"]?.policyKind == .trust)
        #expect(byFile["policies/dev/permissions.json"]?.environment == "dev")
        #expect(byFile["policies/dev/permissions.json"]?.policyKind == .identity)
        #expect(byFile["policies/unclaimed.json"]?.environment == nil)
        #expect(byFile["policies/iam-audit.json"] == nil)
        // A design below governs only the files beside and below it: here none; it does not load, which is a warning.
        #expect(report.notices.contains { $0.file == "policies/sub/iam-audit.json" && $0.isWarning && $0.message.contains("does not load") })
        // The same design given with --design, from another folder.
        let explicit = try checkReport(["--design", folder.url("policies/iam-audit.json"), folder.url("policies/dev")])
        #expect(explicit.findings.map(\.environment) == ["dev", "dev"])
    }

    @Test func invalidDesignIsExitTwoWithEveryErrorLocated() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("policies/iam-audit.json", """
        {
          "version": 1,
          "colour": "blue",
          "environments": {"dev": {"trustPolicy": "dev/missing.json"}}
        }
        """)
        try folder.write("policies/good.json", Sample.permission)
        let result = iamAudit(["policies"], workingDirectory: folder.path)
        #expect(result.code == .failure)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count >= 2, "\(result.stderrLines)")
        for line in result.stderrLines {
            #expect(line.hasPrefix("policies/iam-audit.json:") && line.contains(": error: "), "\(line)")
        }
        #expect(result.stderrLines.contains { $0.hasPrefix("policies/iam-audit.json:3:3: error: ") })
        let missing = iamAudit(["--design", "nowhere.json", "policies"], workingDirectory: folder.path)
        #expect(missing.code == .failure)
        #expect(missing.stderrLines == ["iam-audit: error: nowhere.json: cannot read the design file: cannot open: no such file or directory"])
    }

    @Test func selectAndIgnoreChooseTheRules() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write("broken.json", Sample.malformed)
        #expect(try checkReport(["--ignore", "IAM001", broken]).findings.isEmpty)
        #expect(try checkReport(["--select", "IAM001", broken]).rules.map(\.code) == ["IAM001"])
        #expect(try !checkReport(["--ignore", "IAM001", broken]).rules.contains { $0.code == "IAM001" })
        #expect(try checkReport(["--select", "invalid-json", broken]).findings.count == 1)
        #expect(try checkReport(["--select", "IAM", "--ignore", "iam001", broken]).findings.isEmpty)
        #expect(iamAudit(["--ignore", "IAM001", broken]).code == .success)
    }

    @Test func notADocumentIsAnErrorWhenNamedAndANoticeInAFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let other = try folder.write("package.json", #"{"name": "app"}"#)
        let named = try checkReport([other])
        #expect(named.errors.count == 1)
        #expect(iamAudit([other]).code == .failure)
        try folder.write("policy.json", Sample.permission)
        let walked = try checkReport([folder.path])
        #expect(walked.errors.isEmpty)
        #expect(walked.notices.count == 1)
        #expect(iamAudit(["--select", "IAM001", folder.path]).code == .success)
    }

    @Test func noticesGoToStandardErrorOnlyForText() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("package.json", #"{"name": "app"}"#)
        try folder.write("policy.json", Sample.permission)
        #expect(iamAudit([folder.path]).stderrLines.count == 1)
        #expect(iamAudit(["--quiet", folder.path]).stderr.isEmpty)
        for format in ["json", "sarif", "github"] {
            #expect(iamAudit(["--format", format, folder.path]).stderr.isEmpty, "\(format)")
        }
    }

    @Test func outputThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write("broken.json", Sample.malformed)
        try folder.write("reports/real.txt", "old")
        try folder.symlink("report.txt", to: "reports/real.txt")
        #expect(iamAudit(["--output", folder.url("report.txt"), broken]).code == .findings)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.url("report.txt")) == "reports/real.txt")
        #expect(try String(contentsOfFile: folder.url("reports/real.txt"), encoding: .utf8).contains("IAM001"))
        let toFolder = iamAudit(["--output", folder.url("reports"), broken])
        #expect(toFolder.code == .failure)
        #expect(toFolder.stderrLines.last?.hasSuffix("is a directory (checking the destination)") == true, "\(toFolder.stderrLines)")
    }

    @Test func colourFollowsTheTerminalNoColorAndTheFlag() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write("broken.json", Sample.malformed)
        let escape = "\u{1B}["
        #expect(iamAudit([broken], terminal: true).stdout.contains(escape))
        #expect(!iamAudit([broken], terminal: false).stdout.contains(escape))
        #expect(!iamAudit([broken], environment: ["NO_COLOR": "1"], terminal: true).stdout.contains(escape))
        #expect(iamAudit([broken], environment: ["NO_COLOR": ""], terminal: true).stdout.contains(escape))
        #expect(!iamAudit(["--color", "never", broken], terminal: true).stdout.contains(escape))
        #expect(iamAudit(["--color", "always", broken], environment: ["NO_COLOR": "1"]).stdout.contains(escape))
        // auto never colours a file, even when standard output is a terminal.
        _ = iamAudit(["--output", folder.url("out.txt"), broken], terminal: true)
        #expect(!(try String(contentsOfFile: folder.url("out.txt"), encoding: .utf8)).contains(escape))
    }

    /// A run error is one line on standard error in every format; the text report does not repeat it.
    @Test func runErrorsGoToStandardErrorOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.write("good.json", Sample.permission)
        let missing = folder.url("missing.json")
        for format in ["text", "json", "sarif", "github"] {
            let result = iamAudit(["--format", format, good, missing])
            #expect(result.code == .failure)
            #expect(result.stderrLines == ["iam-audit: error: \(missing): no such file or directory"], "\(format)")
            #expect(result.stdout.contains(missing) == (format != "text"), "\(format)")
        }
    }
}

/// CLI habits: conflicting files, unknown rules in the design, failed runs, colour.
@Suite("Command-line habits")
struct CommandLineHabitTests {
    @Test func conflictingFilesAreUsageErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("p.json", Sample.permission)
        let run = iamAudit(["p.json", "--output", "out.json", "--write-baseline", "./out.json"], workingDirectory: folder.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains("--output and --write-baseline name the same file 'out.json'"))
        #expect(!FileManager.default.fileExists(atPath: folder.url("out.json")))
        #expect(iamAudit(["p.json", "--output", "d.json", "--design", "d.json"], workingDirectory: folder.path).code == .failure)
        // Refreshing a baseline reads and rewrites the same file.
        #expect(iamAudit(["p.json", "--write-baseline", "b.json"], workingDirectory: folder.path).code == .success)
        #expect(iamAudit(["p.json", "--baseline", "b.json", "--write-baseline", "b.json"], workingDirectory: folder.path).code == .success)
    }

    @Test func anIgnoreEntryForNoRuleIsADesignError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("p.json", Sample.permission)
        try folder.write("iam-audit.json", #"{"version": 1, "environments": {"dev": {}}, "ignore": [{"rule": "OIDC999", "path": "**", "reason": "x"}]}"#)
        let run = iamAudit(["."], workingDirectory: folder.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains("names no rule of iam-audit: 'OIDC999' (did you mean 'OIDC009'?)"), "\(run.stderr)")
        try folder.write("iam-audit.json", #"{"version": 1, "environments": {"dev": {}}, "ignore": [{"rule": "github-sub-any-ref", "path": "**", "reason": "x"}]}"#)
        #expect(iamAudit(["."], workingDirectory: folder.path).code == .success)
    }

    @Test func aRunThatAuditedNothingPrintsNothingOnStandardOutput() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = iamAudit(["no-such-file.json"], workingDirectory: folder.path)
        #expect(missing.code == .failure)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("no-such-file.json"))
        // With a file audited, the report is printed though another path failed.
        try folder.write("p.json", Sample.permission)
        let partial = iamAudit(["p.json", "no-such-file.json"], workingDirectory: folder.path)
        #expect(partial.code == .failure)
        #expect(partial.stdout.contains("in 1 file"))
    }
}
