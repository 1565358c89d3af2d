import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import Testing

/// `iam-audit init [FOLDER] [-o FILE]`: a starter design drawn from the folder's git remote, workflows and policies.
@Suite("Init")
struct InitTests {
    static func workflow(name: String, branch: String, environment: String, role: String) -> String {
        """
        name: \(name)
        on:
          push:
            branches: [\(branch)]
          pull_request:
            branches: [\(branch)]
        permissions:
          contents: read
        jobs:
          checks:
            runs-on: ubuntu-latest
            steps:
              - run: make test
          deploy:
            if: github.event_name == 'push'
            runs-on: ubuntu-latest
            environment: \(environment)
            permissions:
              id-token: write
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: \(role)
                  aws-region: eu-west-1
              - run: sam deploy
        """
    }

    static func trust(_ environment: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                         "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:\(environment)"}}}]}
        """
    }

    static func permissions(_ environment: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
           "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/app-\(environment)-*"},
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::app-artifacts/*"},
          {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"}]}
        """
    }

    /// A repository with a git remote, two workflows (dev on develop, prod on main, each in its GitHub environment
    /// with a literal role ARN) and the two environments' policies.
    static func repository(remote: String? = "https://github.com/acme/app.git",
                           prodRole: String = "arn:aws:iam::111122223333:role/app-deploy-prod") throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write(".git/config", "[core]\n\tbare = false\n" + (remote.map { "[remote \"origin\"]\n\turl = \($0)\n" } ?? ""))
        try folder.write(".github/workflows/dev.yml", workflow(name: "Dev", branch: "develop", environment: "dev",
                                                               role: "arn:aws:iam::111122223333:role/app-deploy-dev"))
        try folder.write(".github/workflows/prod.yml", workflow(name: "Prod", branch: "main", environment: "prod", role: prodRole))
        for environment in ["dev", "prod"] {
            try folder.write("iam/\(environment)/trust.json", trust(environment))
            try folder.write("iam/\(environment)/permissions.json", permissions(environment))
        }
        return folder
    }

    static func object(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) was not written")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func environments(_ design: [String: Any]) -> [String: [String: Any]] {
        (design["environments"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    static func notes(_ design: [String: Any]) -> [(pointer: String?, note: String)] {
        (design["review"] as? [[String: Any]] ?? []).map { ($0["pointer"] as? String, $0["note"] as? String ?? "") }
    }

    @Test("names the repository, both environments with their branches, GitHub environments, roles and policies")
    func repositoryWithTwoEnvironments() throws {
        let folder = try Self.repository()
        defer { folder.remove() }
        let result = iamAudit(["init"], workingDirectory: folder.path)
        #expect(result.code == .success, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let design = try Self.object(folder.url("iam-audit.json"))
        #expect((design["github"] as? [String: Any])?["repository"] as? String == "acme/app")
        #expect(design["account"] as? String == "111122223333")
        #expect(design["region"] as? String == "eu-west-1")
        let environments = Self.environments(design)
        #expect(environments.keys.sorted() == ["dev", "prod"])
        #expect(environments["dev"]?["branch"] as? String == "develop")
        #expect(environments["dev"]?["githubEnvironment"] as? String == "dev")
        #expect(environments["dev"]?["role"] as? String == "app-deploy-dev")
        #expect(environments["dev"]?["trustPolicy"] as? String == "iam/dev/trust.json")
        #expect(environments["dev"]?["permissionPolicies"] as? [String] == ["iam/dev/permissions.json"])
        #expect(environments["prod"]?["branch"] as? String == "main")
        #expect(environments["prod"]?["role"] as? String == "app-deploy-prod")
        // The scope both environments share, generalised with placeholders.
        let resources = try #require(design["resources"] as? [String: [String]])
        #expect(resources["dynamodb"] == ["arn:${partition}:dynamodb:${region}:${account}:table/app-${env}-*"])
        #expect(resources["s3"] == ["arn:${partition}:s3:::app-artifacts/*"])
        // Every value written carries a note, and the summary lists them.
        let pointers = Self.notes(design).compactMap(\.pointer)
        for pointer in ["/github/repository", "/account", "/region", "/resources", "/environments/dev/branch",
                        "/environments/dev/role", "/environments/prod/trustPolicy"] {
            #expect(pointers.contains(pointer), "no note at \(pointer)")
        }
        #expect(result.stderr.contains("iam-audit: wrote iam-audit.json: repository acme/app"))
        #expect(result.stderr.contains("  /environments/prod/role: from role-to-assume 'arn:aws:iam::111122223333:role/app-deploy-prod'"))

        // The file loads through the design loader as check loads it.
        let loaded = DesignLoader.load(file: folder.url("iam-audit.json"),
                                       bytes: Array(try #require(FileManager.default.contents(atPath: folder.url("iam-audit.json"))))) {
            FileManager.default.fileExists(atPath: $0)
        }
        let loadedDesign = try loaded.get()
        #expect(loadedDesign.environments.map(\.name) == ["dev", "prod"])
        #expect(loadedDesign.review.count == Self.notes(design).count)

        // check runs with it: the design governs the policies, and reminds that it awaits review.
        let check = iamAudit(["check", ".", "--format", "json"], workingDirectory: folder.path)
        #expect(check.code != .failure, "\(check.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let uses = report["designs"] as? [[String: Any]] ?? []
        #expect(uses.first?["file"] as? String == "iam-audit.json")
        #expect((uses.first?["files"] as? [String] ?? []).contains("iam/prod/permissions.json"))
        let text = iamAudit(["check", "."], workingDirectory: folder.path)
        #expect(text.stderr.contains("iam-audit: warning: iam-audit.json:"))
        #expect(text.stderr.contains("of the design await review (its 'review' list)"))
    }

    @Test("refuses to overwrite an existing design: exit 2, a clear message, the file untouched")
    func refusesToOverwrite() throws {
        let folder = try Self.repository()
        defer { folder.remove() }
        try folder.write("iam-audit.json", "hand-written")
        let result = iamAudit(["init", "."], workingDirectory: folder.path)
        #expect(result.code == .failure)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["iam-audit: error: 'iam-audit.json' already exists; init never overwrites a design file "
                                       + "(name another with --output)"])
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: folder.url("iam-audit.json"))), as: UTF8.self)
                == "hand-written")
        #expect(iamAudit(["init", "-o", "iam-audit.json"], workingDirectory: folder.path).code == .failure)
    }

    @Test("--output and -o write elsewhere, with the policy paths relative to the file written")
    func output() throws {
        let folder = try Self.repository()
        defer { folder.remove() }
        try folder.makeFolder("conf")
        let result = iamAudit(["init", "--output", "conf/iam-audit.json"], workingDirectory: folder.path)
        #expect(result.code == .success, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.url("iam-audit.json")))
        let design = try Self.object(folder.url("conf/iam-audit.json"))
        #expect(Self.environments(design)["dev"]?["trustPolicy"] as? String == "../iam/dev/trust.json")
        let short = iamAudit(["init", "-o", "other.json", "."], workingDirectory: folder.path)
        #expect(short.code == .success, "\(short.stderr)")
        #expect(Self.environments(try Self.object(folder.url("other.json")))["prod"]?["trustPolicy"] as? String == "iam/prod/trust.json")
    }

    @Test("without a git remote the repository is left out and marked for review")
    func noRemote() throws {
        let folder = try Self.repository(remote: nil)
        defer { folder.remove() }
        #expect(iamAudit(["init"], workingDirectory: folder.path).code == .success)
        let design = try Self.object(folder.url("iam-audit.json"))
        #expect(design["github"] == nil)
        #expect(Self.notes(design).contains { $0.pointer == nil && $0.note.contains("has no remote 'origin'") })

        // No git repository at all.
        try FileManager.default.removeItem(atPath: folder.url(".git"))
        let result = iamAudit(["init", "-o", "second.json"], workingDirectory: folder.path)
        #expect(result.code == .success)
        #expect(Self.notes(try Self.object(folder.url("second.json"))).contains { $0.note.contains("no git repository holds the folder") })
        #expect(result.stderr.contains("repository unknown"))
    }

    @Test("a role given by an expression is marked as unresolved, not guessed")
    func unresolvedRole() throws {
        let folder = try Self.repository(prodRole: "${{ secrets.PROD_ROLE }}")
        defer { folder.remove() }
        #expect(iamAudit(["init"], workingDirectory: folder.path).code == .success)
        let design = try Self.object(folder.url("iam-audit.json"))
        let prod = try #require(Self.environments(design)["prod"])
        #expect(prod["role"] == nil)
        #expect(prod["branch"] as? String == "main")
        #expect(Self.notes(design).contains {
            $0.pointer == "/environments/prod" && $0.note.contains("'${{ secrets.PROD_ROLE }}'") && $0.note.contains("could not be resolved")
        })
    }

    @Test("a .git file pointing at a worktree's git directory leads to the common directory's remote")
    func worktree() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("main/.git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/app.git\n")
        try folder.write("main/.git/worktrees/feature/commondir", "../..\n")
        try folder.write("feature/.git", "gitdir: ../main/.git/worktrees/feature\n")
        try folder.write("feature/deploy/.github/workflows/prod.yml",
                         Self.workflow(name: "Prod", branch: "main", environment: "prod", role: "app-deploy"))
        let result = iamAudit(["init", "deploy"], workingDirectory: folder.url("feature"))
        #expect(result.code == .success, "\(result.stderr)")
        let design = try Self.object(folder.url("feature/deploy/iam-audit.json"))
        #expect((design["github"] as? [String: Any])?["repository"] as? String == "acme/app")
        #expect(Self.environments(design)["prod"]?["role"] as? String == "app-deploy")
    }

    @Test("usage errors: a second folder, an option of another command, a missing value")
    func usage() {
        #expect(iamAudit(["init", "a", "b"]).stderrLines.first == "iam-audit: error: unexpected argument 'b' for 'init' (it takes one folder)")
        #expect(iamAudit(["init", "--format", "json"]).stderrLines.first == "iam-audit: error: option '--format' does not apply to 'init'")
        #expect(iamAudit(["init", "-o"]).stderrLines.first == "iam-audit: error: option '-o' needs a value (FILE)")
        #expect(iamAudit(["init", "--outptu", "x"]).stderrLines.first
                == "iam-audit: error: unknown option '--outptu' (did you mean '--output'?)")
        #expect(iamAudit(["init", "no-such-folder"]).code == .failure)
        #expect(iamAudit(["init", "--help"]).stdout.contains("iam-audit init [FOLDER]"))
    }

    // MARK: The repository's own policies

    @Test("refuses in policies/, which holds its hand-written design")
    func refusesInPolicies() throws {
        let design = PackageRoot.url.appendingPathComponent("policies/iam-audit.json").path
        let before = try #require(FileManager.default.contents(atPath: design))
        let result = iamAudit(["init", "policies"], workingDirectory: PackageRoot.url.path)
        #expect(result.code == .failure)
        #expect(result.stderr.contains("'policies/iam-audit.json' already exists"))
        #expect(FileManager.default.contents(atPath: design) == before)
    }

    @Test("on a copy of policies/ without its design, agrees with the hand-written design and checks clean")
    func policiesCopy() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let copy = folder.url("policies")
        try FileManager.default.copyItem(atPath: PackageRoot.url.appendingPathComponent("policies").path, toPath: copy)
        try FileManager.default.removeItem(atPath: folder.url("policies/iam-audit.json"))
        try folder.write(".git/config", "[remote \"origin\"]\n\turl = https://github.com/junksamiad/template-sender-engine.git\n")
        let result = iamAudit(["init", "policies"], workingDirectory: folder.path)
        #expect(result.code == .success, "\(result.stderr)")

        let generated = try Self.object(folder.url("policies/iam-audit.json"))
        let written = try Self.object(PackageRoot.url.appendingPathComponent("policies/iam-audit.json").path)
        for key in ["partition", "account", "region"] {
            #expect(generated[key] as? String == written[key] as? String, "\(key)")
        }
        #expect(generated["github"] as? [String: String] == written["github"] as? [String: String])
        let mine = Self.environments(generated), theirs = Self.environments(written)
        #expect(mine.keys.sorted() == theirs.keys.sorted())
        for (name, environment) in theirs {
            for key in ["branch", "githubEnvironment", "role", "trustPolicy"] {
                #expect(mine[name]?[key] as? String == environment[key] as? String, "\(name).\(key)")
            }
            #expect(mine[name]?["permissionPolicies"] as? [String] == environment["permissionPolicies"] as? [String], "\(name)")
        }
        // Each service the hand-written design scopes is scoped too, except Secrets Manager: only the template's
        // execution roles name secrets (the deploy roles hold no Secrets Manager statement), and init drafts the
        // scopes from the permission policies' resources.
        let scoped = Set((generated["resources"] as? [String: Any] ?? [:]).keys)
        #expect(Set((written["resources"] as? [String: Any] ?? [:]).keys).subtracting(["secretsmanager"]).isSubset(of: scoped))

        // Checked with the generated design, the policies are as clean as with the hand-written one.
        let check = iamAudit(["check", "policies"], workingDirectory: folder.path)
        #expect(check.code == .success, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("no findings in"))
    }
}
