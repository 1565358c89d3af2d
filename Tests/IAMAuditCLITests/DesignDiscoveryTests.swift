import Foundation
import IAMAuditCLI
import Testing

/// The design governs a file however the file and the design are named: placement is by file identity and the
/// design is the nearest `iam-audit.json` above each file (or `--design`).
@Suite("Design discovery and placement")
struct DesignDiscoveryTests {
    /// One spelling of the seed's dev trust policy: the arguments, and the folder (under the copy) they run in.
    struct Spelling: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var folder: String = ""
        var testDescription: String { name }
    }

    static let spellings: [Spelling] = [
        Spelling(name: "the folder", arguments: ["seed"]),
        Spelling(name: "the file", arguments: ["seed/dev/trust-policy.json"]),
        Spelling(name: "the file through ..", arguments: ["seed/prod/../dev/trust-policy.json"]),
        Spelling(name: "the file from inside dev/", arguments: ["trust-policy.json"], folder: "seed/dev"),
        Spelling(name: "the folder . from inside dev/", arguments: ["."], folder: "seed/dev"),
        Spelling(name: "--design relative, from inside dev/", arguments: ["trust-policy.json", "--design", "../iam-audit.json"], folder: "seed/dev"),
        Spelling(name: "--design absolute", arguments: ["seed/dev/trust-policy.json", "--design", "@ROOT@/seed/iam-audit.json"]),
        Spelling(name: "the absolute path", arguments: ["@ROOT@/seed/dev/trust-policy.json"], folder: "elsewhere"),
        Spelling(name: "a symbolic link to the folder", arguments: ["linked/dev/trust-policy.json"]),
        Spelling(name: "a symbolic link to the file, outside the project", arguments: ["elsewhere/trust.json"]),
    ]

    /// The seed copy with a link to the seed folder and a link to the dev trust policy from an unrelated folder.
    static func seedWithLinks(ignore: String? = nil) throws -> TemporaryFolder {
        let folder = try BaselineTests.seedCopy()
        if let ignore {
            try BaselineTests.edit(folder, "seed/iam-audit.json") { text in
                guard let end = text.range(of: "\n}", options: .backwards) else { return text }
                return text.replacingCharacters(in: end, with: ",\n  \"ignore\": \(ignore)\n}")
            }
        }
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: folder.url("linked"), withDestinationPath: folder.url("seed"))
        try manager.createDirectory(atPath: folder.url("elsewhere"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: folder.url("elsewhere/trust.json"), withDestinationPath: folder.url("seed/dev/trust-policy.json"))
        return folder
    }

    /// The findings on the dev trust policy (rule, line, column, environment, message), and the run's notices.
    static func devTrustFindings(_ spelling: Spelling, in folder: TemporaryFolder) throws -> (findings: [String], notices: [String], designs: [[String: Any]]) {
        let arguments = spelling.arguments.map { $0.replacingOccurrences(of: "@ROOT@", with: folder.path) }
        let run = iamAudit(arguments + ["--format", "json"],
                           workingDirectory: spelling.folder.isEmpty ? folder.path : folder.url(spelling.folder))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "stderr: \(run.stderr)")
        let findings = try #require(json["findings"] as? [[String: Any]])
        let dev = findings.filter { finding in
            let file = finding["file"] as? String ?? ""
            return file.hasSuffix("dev/trust-policy.json") || file == "trust-policy.json" || file.hasSuffix("elsewhere/trust.json")
        }
        // The workflow rules judge the trust against the workflows the run reads, which depend on the folder named:
        // the placement this test is about is the design's.
        .filter { !(($0["ruleId"] as? String)?.hasPrefix("WF") ?? false) }
        let described = dev.map { finding in
            ["ruleId", "line", "column", "endColumn", "environment", "policyKind", "message"].map { "\(finding[$0] ?? "-")" }.joined(separator: " ")
        }
        let notices = (json["notices"] as? [[String: Any]] ?? []).map { "\($0["file"] ?? ""): \($0["message"] ?? "")" }
        return (described.sorted(), notices, json["designs"] as? [[String: Any]] ?? [])
    }

    @Test("the dev trust policy gets the same findings however it is named", arguments: spellings)
    func sameFindings(_ spelling: Spelling) throws {
        let folder = try Self.seedWithLinks()
        defer { folder.remove() }
        let expected = try Self.devTrustFindings(Self.spellings[0], in: folder).findings
        // The design places the file in dev: DSN003 (a subject of another environment) is the design's finding.
        #expect(expected.contains { $0.hasPrefix("DSN003 ") })
        #expect(expected.allSatisfy { $0.contains(" dev trust ") })
        let (findings, notices, designs) = try Self.devTrustFindings(spelling, in: folder)
        #expect(findings == expected)
        #expect(notices.isEmpty)
        #expect(designs.count == 1)
    }

    @Test("an ignore entry applies however the file and the design are named", arguments: spellings)
    func ignoreEntriesApply(_ spelling: Spelling) throws {
        let folder = try Self.seedWithLinks(ignore: #"[{"rule": "OIDC004", "path": "dev/trust-*.json", "reason": "ticket 7"}]"#)
        defer { folder.remove() }
        let (findings, notices, _) = try Self.devTrustFindings(spelling, in: folder)
        #expect(!findings.isEmpty)
        #expect(!findings.contains { $0.hasPrefix("OIDC004 ") })
        #expect(notices.isEmpty, "\(notices)")
    }

    @Test("each folder's files follow the nearest design, and the report names which governs which")
    func nearestDesign() throws {
        let folder = try Self.seedWithLinks()
        defer { folder.remove() }
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder.url("projects"), withIntermediateDirectories: true)
        try manager.copyItem(atPath: folder.url("seed"), toPath: folder.url("projects/a"))
        try manager.copyItem(atPath: folder.url("seed"), toPath: folder.url("projects/b"))
        // b's design names other roles' files: its dev trust policy is no environment's, so DSN003 is a's alone.
        try BaselineTests.edit(folder, "projects/b/iam-audit.json") { $0.replacingOccurrences(of: "dev/trust-policy.json", with: "dev/other.json") }
        try folder.write("projects/b/dev/other.json", "{}")
        try manager.createDirectory(atPath: folder.url("projects/plain"), withIntermediateDirectories: true)
        try manager.copyItem(atPath: folder.url("seed/dev/trust-policy.json"), toPath: folder.url("projects/plain/trust.json"))

        let (run, json, findings) = try BaselineTests.jsonReport(["projects"], in: folder)
        #expect(run.code == .findings)
        let dsn003 = findings.filter { $0["ruleId"] as? String == "DSN003" }.compactMap { $0["file"] as? String }
        #expect(dsn003.contains("projects/a/dev/trust-policy.json"))
        #expect(!dsn003.contains("projects/b/dev/trust-policy.json"))
        #expect(!dsn003.contains("projects/plain/trust.json"))
        let designs = try #require(json["designs"] as? [[String: Any]])
        #expect(designs.compactMap { $0["file"] as? String } == ["projects/a/iam-audit.json", "projects/b/iam-audit.json"])
        let governed = designs.compactMap { $0["files"] as? [String] }
        #expect(governed.first?.contains("projects/a/dev/trust-policy.json") == true)
        #expect(governed.joined().contains("projects/plain/trust.json") == false)
    }

    @Test("the search for a design stops at the repository root")
    func repositoryRoot() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("iam-audit.json", "not even JSON")
        try FileManager.default.createDirectory(atPath: folder.url("repo/.git"), withIntermediateDirectories: true)
        try folder.write("repo/policy.json", #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#)
        let run = iamAudit(["repo/policy.json"], workingDirectory: folder.path)
        #expect(run.code == .success, "\(run.stderr)")
        // Above the repository the broken design would have stopped the run.
        try FileManager.default.removeItem(atPath: folder.url("repo/.git"))
        #expect(iamAudit(["repo/policy.json"], workingDirectory: folder.path).code == .failure)
    }
}

/// Declarations win: a file the design declares is governed by it and audited in a named folder wherever it sits, and
/// one file declared twice is a run error.
@Suite("Design declarations")
struct DesignDeclarationTests {
    static let design = """
    {"version": 1, "account": "111122223333", "region": "eu-west-1",
     "github": {"repository": "acme/app", "audience": "sts.amazonaws.com"},
     "resources": {"s3": ["arn:${partition}:s3:::acme-${env}-*", "arn:${partition}:s3:::acme-${env}-*/*"]},
     "environments": {
       "dev": {"branch": "develop", "githubEnvironment": "dev", "role": "deploy-dev", "trustPolicy": "TRUST", "permissionPolicies": ["PERM"]},
       "prod": {"branch": "main", "githubEnvironment": "prod", "role": "deploy-prod"}}}
    """
    static let prodBucket = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-prod-data/*"}]}"#

    @Test func aDeclaredFileInAHiddenFolderIsAudited() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.url(".git"), withIntermediateDirectories: true)
        try folder.write("iam-audit.json", Self.design.replacingOccurrences(of: "TRUST", with: "dev/trust.json")
            .replacingOccurrences(of: "PERM", with: ".iam/dev.policy"))
        try folder.write("dev/trust.json", Sample.permission)
        try FileManager.default.createDirectory(atPath: folder.url(".iam"), withIntermediateDirectories: true)
        try folder.write(".iam/dev.policy", Self.prodBucket)
        let (run, _, findings) = try BaselineTests.jsonReport(["."], in: folder)
        #expect(run.code == .findings)
        #expect(findings.contains { $0["file"] as? String == ".iam/dev.policy" && $0["ruleId"] as? String == "DSN006" }, "\(findings)")
    }

    @Test func aNearerDesignDoesNotTakeADeclaredFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.url(".git"), withIntermediateDirectories: true)
        try folder.write("iam-audit.json", Self.design.replacingOccurrences(of: "TRUST", with: "dev/trust.json")
            .replacingOccurrences(of: "PERM", with: "dev/perm.json"))
        try folder.write("dev/trust.json", Sample.permission)
        try folder.write("dev/perm.json", Self.prodBucket)
        try folder.write("dev/iam-audit.json", #"{"version": 1, "environments": {"other": {}}}"#)
        let (_, json, findings) = try BaselineTests.jsonReport(["."], in: folder)
        #expect(findings.contains { $0["file"] as? String == "dev/perm.json" && $0["ruleId"] as? String == "DSN006" }, "\(json["designs"] ?? "")")
    }

    @Test func oneFileDeclaredForTwoEnvironmentsIsARunError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let twice = Self.design.replacingOccurrences(of: "TRUST", with: "dev/trust.json").replacingOccurrences(of: "PERM", with: "dev/perm.json")
            .replacingOccurrences(of: #""role": "deploy-prod"}"#, with: #""role": "deploy-prod", "permissionPolicies": ["prod/perm.json"]}"#)
        try folder.write("iam-audit.json", twice)
        try folder.write("dev/trust.json", Sample.permission)
        try folder.write("dev/perm.json", Sample.permission)
        try FileManager.default.createDirectory(atPath: folder.url("prod"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.url("prod/perm.json"), withDestinationPath: folder.url("dev/perm.json"))
        let run = iamAudit(["."], workingDirectory: folder.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains("one file is declared as dev permission 'dev/perm.json' and prod permission 'prod/perm.json'"), "\(run.stderr)")
    }
}
