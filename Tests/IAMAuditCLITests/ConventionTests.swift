import Foundation
@testable import IAMAuditCLI
import IAMAuditReporters
import Testing

/// The command-line habits iam-audit shares with ruff and its peers: short flags, the concise format, statistics,
/// excludes and `.gitignore`, silent standard output on a failed run, and AWS-managed policies kept apart.
@Suite("CLI conventions")
struct ConventionTests {
    static let seed = "fixtures/seed-as-documented"
    static let dump = "fixtures/account-dump/authorization-details.json"

    // MARK: Short flags

    @Test(arguments: [
        (["-f", "json"], ["--format", "json"]),
        (["-fjson"], ["--format", "json"]),
        (["-f=sarif"], ["--format", "sarif"]),
        (["-o", "out.txt"], ["--output", "out.txt"]),
        (["-q"], ["--quiet"]),
        (["-q", "-f", "concise", "-o", "x"], ["--quiet", "--format", "concise", "--output", "x"]),
    ])
    func shortFlagsAreTheLongOnes(short: [String], long: [String]) throws {
        #expect(try CLI.parse(["policies"] + short) == CLI.parse(["policies"] + long))
    }

    @Test func shortFlagMistakesAreUsageErrors() {
        let unknown = iamAudit(["policies", "-x"], workingDirectory: PackageRoot.url.path)
        #expect(unknown.code == .failure)
        #expect(unknown.stderrLines.first?.contains("unknown option '-x'") == true)
        let combined = iamAudit(["policies", "-qf"], workingDirectory: PackageRoot.url.path)
        #expect(combined.code == .failure)
        #expect(combined.stderrLines.first?.contains("one-letter options are not combined") == true)
        let twice = iamAudit(["policies", "-f", "json", "--format", "text"], workingDirectory: PackageRoot.url.path)
        #expect(twice.stderrLines.first?.contains("'--format' given more than once") == true)
    }

    // MARK: Concise

    /// One `path:line:col: CODE message` line per finding, the same findings as the JSON report, then the summary.
    @Test func conciseIsOneLineAFinding() throws {
        let concise = iamAudit([Self.seed, "-f", "concise"], workingDirectory: PackageRoot.url.path)
        let json = iamAudit([Self.seed, "-f", "json"], workingDirectory: PackageRoot.url.path)
        #expect(concise.code == .findings)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])["findings"] as? [[String: Any]]
        let expected = try #require(findings).map { finding in
            "\(finding["file"]!):\(finding["line"]!):\(finding["column"]!): \(finding["ruleId"]!) \(finding["message"]!)"
        }
        var lines = concise.stdout.split(separator: "\n").map(String.init)
        let summary = lines.removeLast()
        #expect(lines == expected)
        #expect(summary.hasPrefix("\(try #require(findings).filter { $0["level"] as? String == "error" }.count) errors"))
        #expect(!concise.stdout.contains("^~"))
        let quiet = iamAudit([Self.seed, "-f", "concise", "-q"], workingDirectory: PackageRoot.url.path)
        #expect(quiet.stdout.split(separator: "\n").map(String.init) == expected)
    }

    // MARK: Statistics

    @Test func statisticsCountEachRule() throws {
        let json = iamAudit([Self.seed, "-f", "json"], workingDirectory: PackageRoot.url.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        var counts: [String: Int] = [:]
        for finding in try #require(report["findings"] as? [[String: Any]]) { counts[finding["ruleId"] as! String, default: 0] += 1 }

        let text = iamAudit([Self.seed, "--statistics"], workingDirectory: PackageRoot.url.path)
        #expect(text.code == .findings)
        var rows = text.stdout.split(separator: "\n").map(String.init)
        #expect(rows.removeLast().contains("errors"))
        let parsed = rows.map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(Dictionary(uniqueKeysWithValues: parsed.map { ($0[1], Int($0[0])!) }) == counts)
        // Most first, then by code.
        let order = parsed.map { (Int($0[0])!, $0[1]) }
        #expect(order.map(\.1) == order.sorted { ($0.0, $1.1) > ($1.0, $0.1) }.map(\.1))

        let asJSON = iamAudit([Self.seed, "--statistics", "-f", "json"], workingDirectory: PackageRoot.url.path)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as? [[String: Any]])
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0["code"] as! String, $0["count"] as! Int) }) == counts)
        #expect(entries.allSatisfy { ($0["name"] as? String)?.isEmpty == false && $0["level"] is String })

        let sarif = iamAudit([Self.seed, "--statistics", "-f", "sarif"], workingDirectory: PackageRoot.url.path)
        #expect(sarif.code == .failure)
        #expect(sarif.stderrLines.first?.contains("--statistics prints text, concise or json") == true)
    }

    // MARK: Failed runs

    /// A run that audits nothing and fails prints nothing on standard output, whatever the format.
    @Test(arguments: ["text", "concise", "json", "sarif", "github"])
    func failedRunPrintsNothingOnStandardOutput(format: String) {
        let missing = iamAudit(["no-such-folder", "-f", format], workingDirectory: PackageRoot.url.path)
        #expect(missing.code == .failure)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("no-such-folder"))
    }

    // MARK: Excludes and .gitignore

    private static let trust = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}}]}
        """

    /// The files a JSON report names: findings' files (every trust here has one finding at least).
    private func auditedFiles(_ run: RunResult) throws -> Set<String> {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return Set(try #require(report["findings"] as? [[String: Any]]).compactMap { $0["file"] as? String })
    }

    @Test func excludeLeavesEntriesOutOfTheWalk() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for file in ["iam/a.json", "iam/build/b.json", "iam/c.test.json", "other/build/d.json"] { try folder.write(file, Self.trust) }
        let all = iamAudit(["iam", "other", "-f", "json"], workingDirectory: folder.path)
        #expect(try auditedFiles(all) == ["iam/a.json", "iam/build/b.json", "iam/c.test.json", "other/build/d.json"])
        // A name matches at any depth; a path with `/` from the working directory; a trailing `/` folders only.
        let byName = iamAudit(["iam", "other", "-f", "json", "--exclude", "build/", "--exclude", "*.test.json"], workingDirectory: folder.path)
        #expect(try auditedFiles(byName) == ["iam/a.json"])
        let byPath = iamAudit(["iam", "other", "-f", "json", "--exclude", "other/**"], workingDirectory: folder.path)
        #expect(try auditedFiles(byPath) == ["iam/a.json", "iam/build/b.json", "iam/c.test.json"])
        // A file named on the command line is audited whatever the excludes say.
        let named = iamAudit(["iam/c.test.json", "-f", "json", "--exclude", "*.json"], workingDirectory: folder.path)
        #expect(try auditedFiles(named) == ["iam/c.test.json"])
        let bad = iamAudit(["iam", "--exclude", "[a"], workingDirectory: folder.path)
        #expect(bad.code == .failure)
        #expect(bad.stderrLines.first?.contains("invalid value '[a' for --exclude") == true)
    }

    @Test func walksInsideARepositoryFollowItsGitIgnoreFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.makeFolder(".git/info")
        try folder.write(".git/HEAD", "ref: refs/heads/main\n")
        try folder.write(".git/info/exclude", "local-only.json\n")
        try folder.write(".gitignore", "# generated\ncdk.out/\n*.plan.json\n!keep.plan.json\n/top.json\n")
        try folder.write("iam/.gitignore", "scratch\n")
        for file in ["iam/a.json", "iam/cdk.out/t.json", "iam/x.plan.json", "iam/keep.plan.json", "iam/scratch/s.json",
                     "iam/local-only.json", "iam/top.json", "top.json"] {
            try folder.write(file, Self.trust)
        }
        let run = iamAudit(["iam", "-f", "json"], workingDirectory: folder.path)
        // `/top.json` is anchored to the top folder: iam/top.json stays.
        #expect(try auditedFiles(run) == ["iam/a.json", "iam/keep.plan.json", "iam/top.json"])
        let text = iamAudit(["iam"], workingDirectory: folder.path)
        #expect(text.stderr.contains("skipped 4 entries git ignores (iam/cdk.out, iam/local-only.json, iam/scratch and 1 more)"))
        // From the top, /top.json goes too; from inside, the rules above still apply.
        let fromTop = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(try auditedFiles(fromTop) == ["iam/a.json", "iam/keep.plan.json", "iam/top.json"])
        let inside = iamAudit([".", "-f", "json"], workingDirectory: folder.url("iam"))
        #expect(try auditedFiles(inside) == ["a.json", "keep.plan.json", "top.json"])
        // Named, an ignored folder is walked; and the flag turns the files off.
        let named = iamAudit(["iam/cdk.out", "-f", "json"], workingDirectory: folder.path)
        #expect(try auditedFiles(named) == ["iam/cdk.out/t.json"])
        let everything = iamAudit(["iam", "-f", "json", "--no-respect-gitignore"], workingDirectory: folder.path)
        #expect(try auditedFiles(everything).count == 7)
    }

    /// Runs git in `folder`; false when git is not installed.
    private func git(_ arguments: [String], in folder: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Ignore rules apply to untracked files only, as in git: a policy committed (or added with `git add -f`) and
    /// then matched by a pattern, the way a pull request could try to hide it from the gate, is still audited, and
    /// so is an ignored folder holding one. Index versions 2, 3 and 4 are read.
    @Test(arguments: ["2", "3", "4"])
    func trackedFilesAreAuditedThoughIgnored(version: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        guard try git(["init", "-q", "."], in: folder.path) else {
            print("git is not installed: skipping the tracked-file test")
            return
        }
        try folder.write("iam/prod/trust.json", Self.trust)
        try folder.write("iam/hidden/deep/trust.json", Self.trust)
        try folder.write("iam/untracked.json", Self.trust)
        #expect(try git(["add", "iam/prod/trust.json", "iam/hidden/deep/trust.json"], in: folder.path))
        #expect(try git(["commit", "-q", "-m", "policies"], in: folder.path))
        #expect(try git(["update-index", "--index-version", version], in: folder.path))
        try folder.write(".gitignore", "trust.json\nhidden/\nuntracked.json\n")
        let run = iamAudit(["iam", "-f", "json"], workingDirectory: folder.path)
        #expect(try auditedFiles(run) == ["iam/prod/trust.json", "iam/hidden/deep/trust.json"])
        let index = try #require(GitIndex.read(gitDirectory: folder.url(".git")))
        #expect(index.tracks("iam/prod/trust.json") && !index.tracks("iam/untracked.json") && !index.tracks("iam/prod"))
        #expect(index.tracksSomething(under: "iam/hidden") && !index.tracksSomething(under: "iam/hid"))
    }

    /// A nested repository (a submodule) has its own index: the outer repository's rules and index do not hide the
    /// files it tracks. A folder reached through a symbolic link is matched where it really is; git does not follow
    /// a link, so inside one nothing is left out.
    @Test func nestedRepositoriesAndLinkedFoldersKeepTheirTrackedFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        guard try git(["init", "-q", "."], in: folder.path) else {
            print("git is not installed: skipping the nested-repository test")
            return
        }
        try folder.write("infra/bad.json", Self.trust)
        try folder.makeFolder("infra")
        #expect(try git(["init", "-q", "."], in: folder.url("infra")))
        #expect(try git(["add", "bad.json"], in: folder.url("infra")))
        #expect(try git(["commit", "-q", "-m", "x"], in: folder.url("infra")))
        try folder.write("real/bad.json", Self.trust)
        #expect(try git(["add", "real/bad.json", "infra"], in: folder.path))
        try folder.symlink("link", to: folder.url("real"))
        try folder.write(".gitignore", "*.json\n")
        #expect(try auditedFiles(iamAudit([".", "-f", "json"], workingDirectory: folder.path)).isSuperset(of: ["infra/bad.json"]))
        #expect(try auditedFiles(iamAudit(["link", "-f", "json"], workingDirectory: folder.path)) == ["link/bad.json"])
    }

    /// A `.git` file naming a git directory that is not there (a copied worktree) is no repository git would read:
    /// nothing is left out.
    @Test func aWorktreeWithoutItsGitDirectoryLeavesNothingOut() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(".git", "gitdir: /nonexistent/worktrees/x\n")
        try folder.write(".gitignore", "*.json\n")
        try folder.write("a.json", Self.trust)
        #expect(try auditedFiles(iamAudit([".", "-f", "json"], workingDirectory: folder.path)) == ["a.json"])
    }

    /// An index that cannot be read whole gives no list of tracked files: nothing is left out.
    @Test func anUnreadableIndexLeavesNothingOut() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.makeFolder(".git")
        try folder.write(".git/index", "DIRC\u{0}\u{0}\u{0}\u{2}garbage")
        try folder.write(".gitignore", "*.json\n")
        try folder.write("a.json", Self.trust)
        #expect(GitIndex.parse(Array("DIRC\u{0}\u{0}\u{0}\u{2}garbage".utf8), hashLength: 20) == nil)
        let run = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(try auditedFiles(run) == ["a.json"])
    }

    /// Outside a git repository a `.gitignore` means nothing, as for git.
    @Test func gitIgnoreOutsideARepositoryIsNotRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(".gitignore", "*.json\n")
        try folder.write("a.json", Self.trust)
        let run = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(try auditedFiles(run) == ["a.json"])
    }

    // MARK: Files without IAM

    @Test func filesWithoutIAMAreCountedNotListed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("a.json", Self.trust)
        for index in 0..<5 { try folder.write("pkg\(index)/package.json", #"{"name": "x", "version": "1.0.0"}"#) }
        let run = iamAudit(["."], workingDirectory: folder.path)
        #expect(run.stdout.contains("in 1 file (1 policy), 5 files without IAM skipped"))
        let notices = run.stderrLines.filter { $0.contains("notice") }
        #expect(notices == ["iam-audit: notice: skipped 5 files without IAM (pkg0/package.json, pkg1/package.json, pkg2/package.json and 2 more); name a file to have it read whatever it holds"])
        let json = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["summary"] as? [String: Int])
        #expect(summary["files"] == 1 && summary["filesWithoutIAM"] == 5)
        // Only files without IAM: nothing was audited, the run fails.
        let none = iamAudit(["pkg0"], workingDirectory: folder.path)
        #expect(none.code == .failure)
        #expect(none.stdout.isEmpty)
    }

    /// A file in a folder that no source reads but that holds IAM-looking statements is IAM the run did not read:
    /// an IAM037 error at its first statement key, not a file without IAM.
    @Test(arguments: [
        ("wrapped.json", #"{"policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}"#, "1:42"),
        ("policy.yaml", "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: '*'\n    Resource: '*'\n", "2:1"),
        ("serverless.yml", "service: x\nprovider:\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: '*'\n", "5:7"),
        ("lower.json", #"{"version": "2012-10-17", "statement": [{"effect": "allow", "action": "*", "resource": "*"}]}"#, "1:28"),
        ("embedded.json", #"{"doc": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}"#, "1:13"),
        ("encoded.json", #"{"doc": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%7D%5D%7D"}"#, "1:16"),
    ])
    func iamTheSourcesCannotReadIsAnError(name: String, text: String, position: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("iam/" + name, text)
        try folder.write("iam/package.json", #"{"name": "x", "version": "1.0.0", "scripts": {"test": "deny nothing"}}"#)
        let run = iamAudit(["iam", "-f", "concise"], workingDirectory: folder.path)
        #expect(run.code == .findings, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("iam/\(name):\(position): IAM037 the file holds what looks like IAM policy statements"), "\(run.stdout)")
        #expect(run.stdout.contains("1 file without IAM skipped"))
    }

    /// A YAML template whose keys are spelled with escapes (`\U00000052esources`) is read as a template.
    @Test func escapedTemplateKeysAreRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("t/template.yaml", """
            "\\U00000052esources":
              Admin:
                "\\x54ype": AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: {AWS: "*"}
                        Action: sts:AssumeRole
            """)
        let run = iamAudit(["t", "-f", "concise"], workingDirectory: folder.path)
        #expect(run.code == .findings)
        #expect(run.stdout.contains("TRUST001"), "\(run.stdout)")
    }

    // MARK: AWS-managed policies

    @Test func awsManagedFindingsAreCountedApartAndOutOfTheGate() throws {
        let apart = iamAudit([Self.dump, "-f", "json"], workingDirectory: PackageRoot.url.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(apart.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(!findings.contains { ($0["message"] as? String)?.contains("AWSLambdaBasicExecutionRole") == true })
        let managed = try #require(report["awsManaged"] as? [[String: Any]])
        #expect(managed.count == 1)
        #expect(managed.first?["arn"] as? String == "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        #expect(managed.first?["warnings"] as? Int == 1 && managed.first?["rules"] as? [String] == ["PRIV003"])

        let included = iamAudit([Self.dump, "-f", "json", "--include-aws-managed"], workingDirectory: PackageRoot.url.path)
        let all = try #require((try JSONSerialization.jsonObject(with: Data(included.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(all.count == findings.count + 1)

        // Warnings fail the gate only with the policy's findings included.
        #expect(iamAudit([Self.dump, "--select", "PRIV003", "--fail-on", "warning"], workingDirectory: PackageRoot.url.path).code == .success)
        #expect(iamAudit([Self.dump, "--select", "PRIV003", "--fail-on", "warning", "--include-aws-managed"],
                         workingDirectory: PackageRoot.url.path).code == .findings)
        let text = iamAudit([Self.dump], workingDirectory: PackageRoot.url.path)
        #expect(text.stdout.contains("Findings on AWS-managed policies, not counted (--include-aws-managed lists them):\n  \(Self.dump):279:45: arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole: 1 warning (PRIV003)"))
        #expect(text.stdout.contains("1 finding on 1 AWS-managed policy not counted"))
    }

    /// An AWS-managed policy attached to a design environment's role can break that environment's scope: its
    /// findings stay in the gate (detaching it is the fix).
    @Test func awsManagedPolicyOfAnEnvironmentRoleStaysInTheGate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let design = try String(contentsOfFile: PackageRoot.url.path + "/fixtures/account-dump/iam-audit.json", encoding: .utf8)
        try folder.write("iam-audit.json", design)
        let trust = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:environment:dev"}}}]}"#
        try folder.write("dump.json", """
            {"UserDetailList": [], "GroupDetailList": [],
             "RoleDetailList": [{"Path": "/", "RoleName": "GitHubActions-template-sender-engine-dev", "RoleId": "AROA1",
               "Arn": "arn:aws:iam::337909745089:role/GitHubActions-template-sender-engine-dev", "CreateDate": "2025-03-14T09:21:07+00:00",
               "AssumeRolePolicyDocument": \(trust), "InstanceProfileList": [], "RolePolicyList": [],
               "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}],
               "Tags": [], "RoleLastUsed": {}}],
             "Policies": [{"PolicyName": "AdministratorAccess", "PolicyId": "ANPA1", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
               "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
               "CreateDate": "2015-02-06T18:39:46+00:00", "UpdateDate": "2015-02-06T18:39:46+00:00",
               "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                 "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2015-02-06T18:39:46+00:00"}]}]}
            """)
        let run = iamAudit(["dump.json", "-f", "json"], workingDirectory: folder.path)
        #expect(run.code == .findings, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["ruleId"] as? String == "PRIV001" && $0["environment"] as? String == "dev" })
        #expect((report["awsManaged"] as? [Any])?.isEmpty == true)
    }
}


/// SARIF as GitHub code scanning takes it: paths from the repository's top, rules linked to their documentation,
/// and never more results than an upload may hold.
@Suite("SARIF for GitHub")
struct SARIFForGitHubTests {
    private func uris(_ run: RunResult) throws -> Set<String> {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        return Set(results.compactMap { result in
            (((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
                as? [String: Any])?["uri"] as? String
        })
    }

    /// However the path is spelled and wherever the run starts, a result names the file from the repository's top.
    @Test func pathsAreRelativeToTheRepositoryAndNormalized() throws {
        let root = PackageRoot.url.path
        let expected = try uris(iamAudit(["fixtures/seed-as-documented", "-f", "sarif"], workingDirectory: root))
        #expect(expected.contains("fixtures/seed-as-documented/dev/trust-policy.json"))
        let fromPolicies = iamAudit(["../policies/../fixtures/seed-as-documented", "-f", "sarif"], workingDirectory: root + "/policies")
        #expect(try uris(fromPolicies) == expected)
        let absolute = iamAudit([root + "/fixtures/./seed-as-documented", "-f", "sarif"], workingDirectory: root + "/fixtures")
        #expect(try uris(absolute) == expected)
        // --project-root names another top.
        let fromFixtures = iamAudit(["fixtures/seed-as-documented", "-f", "sarif", "--project-root", "fixtures"], workingDirectory: root)
        #expect(try uris(fromFixtures) == Set(expected.map { String($0.dropFirst("fixtures/".count)) }))
    }

    @Test func standardInputTakesTheNameGiven() throws {
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#
        let run = iamAudit(["-", "-f", "sarif", "--stdin-filename", "iam/admin.json"], stdin: .text(policy),
                           workingDirectory: PackageRoot.url.path)
        #expect(try uris(run) == ["iam/admin.json"])
        let text = iamAudit(["-", "-f", "concise", "--stdin-filename", "iam/admin.json"], stdin: .text(policy))
        #expect(text.stdout.hasPrefix("iam/admin.json:1:"))
    }

    @Test func everyRuleLinksToItsSectionOfTheRulesDocument() throws {
        let run = iamAudit(["policies", "-f", "sarif"], workingDirectory: PackageRoot.url.path)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let driver = try #require(((log["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let document = try String(contentsOfFile: PackageRoot.url.path + "/docs/RULES.md", encoding: .utf8)
        #expect(!rules.isEmpty)
        for rule in rules {
            let uri = try #require(rule["helpUri"] as? String)
            #expect(uri.hasPrefix("https://") && uri.contains("/docs/RULES.md#"))
            let anchor = String(uri[uri.range(of: "#")!.upperBound...])
            // The anchor is the one GitHub gives the rule's heading, and the rules table links to it.
            #expect(document.contains("(#\(anchor))"), "\(anchor)")
        }
    }
}

/// `.gitignore` and `--exclude` patterns, as git documents them (gitignore(5)).
@Suite("Glob patterns")
struct GlobPatternTests {
    @Test(arguments: [
        ("*.json", "a.json", true), ("*.json", "a.yaml", false), ("*.json", "x/a.json", false),
        ("a?c", "abc", true), ("a?c", "a/c", false), ("[ab]x", "bx", true), ("[!ab]x", "bx", false), ("[^ab]x", "cx", true),
        ("[a-c]1", "b1", true), ("[a-c]1", "d1", false), ("\\*x", "*x", true), ("\\*x", "ax", false),
        ("**/b", "b", true), ("**/b", "a/c/b", true), ("a/**", "a/b/c", true), ("a/**", "a", false),
        ("a/**/b", "a/b", true), ("a/**/b", "a/x/y/b", true), ("a/**/b", "a/x/c", false),
        ("*a*a*a*a*a*a*a*a*b", String(repeating: "a", count: 60), false),
    ])
    func matches(pattern: String, path: String, expected: Bool) throws {
        #expect(try GlobPattern(pattern).matches(path) == expected)
    }

    @Test func malformedPatternsAreRefused() {
        #expect(throws: GlobPattern.SyntaxError.self) { try GlobPattern("[abc") }
        #expect(throws: GlobPattern.SyntaxError.self) { try GlobPattern("[z-a]") }
        #expect(throws: GlobPattern.SyntaxError.self) { try GlobPattern("") }
    }

    @Test func ignoreLinesFollowGitIgnore() {
        let rules = IgnoreRule.rules(of: "# comment\n\nbuild/\n*.log\n!keep.log\n/root.json\ndocs/*.json\n\\#hash\ntrailing   \n", base: "")
        func ignored(_ path: String, folder: Bool = false) -> Bool { IgnoreRule.ignores(rules, path: path, isFolder: folder) }
        #expect(ignored("build", folder: true) && ignored("a/build", folder: true))
        #expect(!ignored("build"))  // a file named build: the rule is for folders
        #expect(ignored("x/y.log") && !ignored("x/keep.log"))
        #expect(ignored("root.json") && !ignored("a/root.json"))
        #expect(ignored("docs/a.json") && !ignored("docs/x/a.json") && !ignored("a/docs/a.json"))
        #expect(ignored("#hash") && ignored("trailing"))
        // Rules of a nested .gitignore apply under its folder only.
        let nested = IgnoreRule.rules(of: "*.json\n", base: "sub")
        #expect(IgnoreRule.ignores(nested, path: "sub/a/b.json", isFolder: false))
        #expect(!IgnoreRule.ignores(nested, path: "other/b.json", isFolder: false))
    }
}
