import Foundation
import IAMAuditCLI
import IAMAuditRules
import Testing

/// One golden case: a command line run from the package root, and the file holding its expected output.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    var expectedExit: ExitCode

    var testDescription: String { name }

    /// `fixtures/golden/NAME`.
    var goldenPath: String { PackageRoot.url.appendingPathComponent("fixtures/golden/\(name)").path }

    static let all: [GoldenCase] = ["text": "txt", "json": "json", "sarif": "sarif.json"].sorted { $0.key < $1.key }.flatMap { format, ext in
        [
            GoldenCase(name: "policies.\(ext)", arguments: ["policies", "--format", format], expectedExit: .success),
            GoldenCase(name: "seed-as-documented.\(ext)", arguments: ["fixtures/seed-as-documented", "--format", format], expectedExit: .findings),
            GoldenCase(name: "account-dump.\(ext)", arguments: ["fixtures/account-dump", "--format", format], expectedExit: .findings),
        ] + (format == "text" ? [] : [
            // Every OIDC rule, in the machine formats.
            GoldenCase(name: "adversarial.\(ext)", arguments: ["fixtures/adversarial", "--format", format], expectedExit: .findings),
        ])
    }
}

/// The reports of `policies/`, `fixtures/seed-as-documented/` and `fixtures/account-dump/` compared byte for byte with the files in
/// `fixtures/golden/`. `IAM_AUDIT_UPDATE_GOLDEN=1 make test` rewrites them; review the diff like code.
@Suite("Golden reports")
struct GoldenTests {
    static var updating: Bool { ProcessInfo.processInfo.environment["IAM_AUDIT_UPDATE_GOLDEN"] == "1" }

    @Test(arguments: GoldenCase.all)
    func report(_ golden: GoldenCase) throws {
        let run = iamAudit(golden.arguments + ["--color", "never"], workingDirectory: PackageRoot.url.path)
        #expect(run.code == golden.expectedExit, "stderr: \(run.stderr)")
        try GoldenTests.compare(run.stdout, with: golden.goldenPath)
    }

    /// Compares `actual` with the golden file, or rewrites it when updating.
    static func compare(_ actual: String, with path: String) throws {
        if updating {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        guard let expected = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            Issue.record("no golden file at \(path); run IAM_AUDIT_UPDATE_GOLDEN=1 make test and review it")
            return
        }
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(actualLines, expectedLines).enumerated().first { $1.0 != $1.1 }?.offset ?? min(actualLines.count, expectedLines.count)
            let got = first < actualLines.count ? String(actualLines[first]) : "<end>"
            let want = first < expectedLines.count ? String(expectedLines[first]) : "<end>"
            Issue.record("\(path) differs at line \(first + 1):\n  expected: \(want)\n  actual:   \(got)\nRun IAM_AUDIT_UPDATE_GOLDEN=1 make test and review the diff.")
        }
    }

    /// Every finding of the seed-as-documented JSON report lands on the offending value: its span starts on
    /// the line and column of the value the pointer designates.
    @Test func seedFindingsLandOnTheirValues() throws {
        let run = iamAudit(["fixtures/seed-as-documented", "--format", "json"], workingDirectory: PackageRoot.url.path)
        #expect(run.code == .findings)
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let findings = try #require(report?["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        for finding in findings {
            for key in ["file", "pointer", "line", "column", "endLine", "endColumn", "ruleId", "fingerprint"] {
                #expect(finding[key] != nil, "finding without \(key): \(finding)")
            }
            guard let file = finding["file"] as? String, let pointer = finding["pointer"] as? String,
                  let line = finding["line"] as? Int, let column = finding["column"] as? Int,
                  let endLine = finding["endLine"] as? Int, let endColumn = finding["endColumn"] as? Int else { continue }
            let text = try String(contentsOfFile: PackageRoot.url.appendingPathComponent(file).path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(line >= 1 && line <= lines.count && endLine >= line)
            guard line <= lines.count else { continue }
            let source = Array(lines[line - 1])
            #expect(column >= 1 && column <= source.count, "\(file):\(line):\(column) \(pointer)")
            if endLine == line { #expect(endColumn > column && endColumn <= source.count + 1) }
            // The span starts with the value's first character: a quote, a brace or a bracket (in a YAML workflow,
            // the key or value itself: no blank).
            if column <= source.count, file.hasSuffix(".yml") || file.hasSuffix(".yaml") {
                #expect(source[column - 1] != " ", "\(file):\(line):\(column) \(pointer) starts at a blank")
            } else if column <= source.count {
                #expect(["\"", "{", "["].contains(source[column - 1]), "\(file):\(line):\(column) \(pointer) starts at '\(source[column - 1])'")
            }
        }
    }

    /// SARIF for the fixtures passes the GitHub code-scanning checker with no errors and no warnings.
    @Test func seedSARIFPassesTheChecker() throws {
        guard let shared = PackageRoot.shared else {
            print("skipped: no ../shared folder beside the package, so no SARIF checker")
            return
        }
        let checker = shared.appendingPathComponent("tools/check-sarif").path
        let schema = shared.appendingPathComponent("sarif/sarif-schema-2.1.0.json").path
        guard FileManager.default.fileExists(atPath: checker) else {
            print("skipped: \(checker) is absent")
            return
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import jsonschema"]
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch {
            print("skipped: python3 is not available")
            return
        }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            print("skipped: python3 has no jsonschema module")
            return
        }
        for target in ["fixtures/seed-as-documented", "policies", "fixtures/account-dump", "fixtures/seed-branch-pinned", "fixtures/workflows"] {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("iam-audit-\(UUID().uuidString).sarif").path
            defer { try? FileManager.default.removeItem(atPath: output) }
            let run = iamAudit([target, "--format", "sarif", "--output", output], workingDirectory: PackageRoot.url.path)
            #expect(run.code != .failure, "\(run.stderr)")
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", checker, output, schema]
            let pipe = Pipe()
            check.standardOutput = pipe
            check.standardError = pipe
            try check.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "\(target): \(text)")
            #expect(text.contains("0 error(s), 0 warning(s)"), "\(target): \(text)")
        }
    }
}

/// The 58 real GitHub OIDC trust policies of `../shared/corpus/github-oidc-trust`, each audited on its own
/// (from its folder, so reports carry only the file name) and compared with `fixtures/golden/github-oidc-trust/`.
/// Skipped, with the reason printed, where the corpus is absent.
@Suite("Golden reports of the GitHub OIDC corpus")
struct GitHubCorpusGoldenTests {
    static var corpusFolder: String? {
        guard let shared = PackageRoot.shared else { return nil }
        let path = shared.appendingPathComponent("corpus/github-oidc-trust").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static var files: [String] {
        guard let folder = corpusFolder else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func corpusIsPresentOrSkipped() {
        guard let folder = Self.corpusFolder else {
            print("skipped: no ../shared/corpus/github-oidc-trust beside the package")
            return
        }
        #expect(Self.files.count == 58, "\(folder)")
    }

    /// A golden report whose corpus file is gone is an orphan.
    @Test func everyGoldenReportHasACorpusFile() throws {
        guard Self.corpusFolder != nil else { return }
        let goldens = PackageRoot.url.appendingPathComponent("fixtures/golden/github-oidc-trust").path
        let files = Set(Self.files.map { String($0.dropLast(".json".count)) })
        for golden in try FileManager.default.contentsOfDirectory(atPath: goldens) where !golden.hasPrefix(".") {
            #expect(golden.hasSuffix(".txt") && files.contains(String(golden.dropLast(".txt".count))), "orphaned golden report \(golden)")
        }
    }

    @Test(arguments: GitHubCorpusGoldenTests.files)
    func report(_ file: String) throws {
        guard let folder = Self.corpusFolder else { return }
        let run = iamAudit([file, "--format", "text", "--color", "never", "--fail-on", "never"], workingDirectory: folder)
        #expect(run.code == .success, "\(run.stderr)")
        let golden = PackageRoot.url.appendingPathComponent("fixtures/golden/github-oidc-trust/\(file.dropLast(".json".count)).txt").path
        try GoldenTests.compare(run.stdout, with: golden)
    }
}

/// The adversarial trust policies of `fixtures/adversarial/`, each audited on its own and compared with
/// `fixtures/golden/adversarial/`.
@Suite("Golden reports of the adversarial fixtures")
struct AdversarialGoldenTests {
    static var files: [String] {
        let folder = PackageRoot.url.appendingPathComponent("fixtures/adversarial").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func everyFixtureHasAGoldenReport() {
        #expect(Self.files.count >= 20)
    }

    /// A golden report without its fixture is an orphan: it checks nothing.
    @Test func everyGoldenReportHasAFixture() throws {
        let folder = PackageRoot.url.appendingPathComponent("fixtures/golden/adversarial").path
        let fixtures = Set(Self.files.map { String($0.dropLast(".json".count)) })
        for golden in try FileManager.default.contentsOfDirectory(atPath: folder) where !golden.hasPrefix(".") {
            #expect(golden.hasSuffix(".txt") && fixtures.contains(String(golden.dropLast(".txt".count))), "orphaned golden report \(golden)")
        }
    }

    /// The machine-format goldens of the fixtures hold a finding of every OIDC rule.
    @Test func machineGoldensCoverEveryOIDCRule() throws {
        let path = PackageRoot.url.appendingPathComponent("fixtures/golden/adversarial.json").path
        let data = try #require(FileManager.default.contents(atPath: path))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let found = Set(((report["findings"] as? [[String: Any]]) ?? []).compactMap { $0["ruleId"] as? String })
        let oidc = RuleCatalog.all.map { $0.description.code }.filter { $0.hasPrefix("OIDC") }
        #expect(!oidc.isEmpty)
        for code in oidc { #expect(found.contains(code), "no finding of \(code) in \(path)") }
        let sarif = try #require(FileManager.default.contents(atPath: PackageRoot.url.appendingPathComponent("fixtures/golden/adversarial.sarif.json").path))
        let text = String(decoding: sarif, as: UTF8.self)
        for code in oidc { #expect(text.contains("\"ruleId\" : \"\(code)\"") || text.contains("\"ruleId\":\"\(code)\""), "no SARIF result of \(code)") }
    }

    @Test(arguments: AdversarialGoldenTests.files)
    func report(_ file: String) throws {
        let run = iamAudit(["fixtures/adversarial/\(file)", "--format", "text", "--color", "never", "--fail-on", "never"],
                           workingDirectory: PackageRoot.url.path)
        #expect(run.code == .success, "\(run.stderr)")
        let golden = PackageRoot.url.appendingPathComponent("fixtures/golden/adversarial/\(file.dropLast(".json".count)).txt").path
        try GoldenTests.compare(run.stdout, with: golden)
    }
}
