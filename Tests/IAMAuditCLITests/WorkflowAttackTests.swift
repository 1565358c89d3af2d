import Foundation
import IAMAuditCLI
import Testing

/// Attacks on the workflow rules (WF001–WF008): small repositories of a design, a trust policy and workflows, audited
/// through the command line with `--format json`. Scenarios iam-audit gets right pin today's behaviour; those it gets
/// wrong assert the behaviour GitHub's and AWS's documentation call for and were fixed; each keeps its test.
@Suite("Workflow rules under attack")
struct WorkflowAttackTests {
    // MARK: Fixtures

    static let repository = "example-org/deploy"
    static let role = "arn:aws:iam::111122223333:role/deploy-prod"
    static let mainSubject = "repo:example-org/deploy:ref:refs/heads/main"
    static let envSubject = "repo:example-org/deploy:environment:prod"
    static let anySubject = "repo:example-org/deploy:*"
    static let provider = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"

    /// The design of `example-org/deploy`: environment `prod` on branch `main`, role `deploy-prod`; with
    /// `githubEnvironment: prod` when `githubEnvironment`.
    static func design(githubEnvironment: Bool = false, dev: Bool = false) -> String {
        let prodEnvironment = githubEnvironment ? #""githubEnvironment": "prod", "# : ""
        let devEntry = dev ? #""dev": {"branch": "develop", "githubEnvironment": "dev", "role": "deploy-dev", "trustPolicy": "dev/trust-policy.json"},"# : ""
        return """
        {"version": 1, "partition": "aws", "account": "111122223333", "region": "eu-west-1",
         "github": {"repository": "\(repository)", "audience": "sts.amazonaws.com"},
         "environments": {\(devEntry)
           "prod": {"branch": "main", \(prodEnvironment)"role": "deploy-prod", "trustPolicy": "prod/trust-policy.json"}}}
        """
    }

    /// A trust policy for the GitHub provider admitting `sts.amazonaws.com` and the `sub` values under `op`.
    static func trust(_ subjects: [String], op: String = "StringEquals", principal: String? = nil, extraStatements: String = "") -> String {
        let list = subjects.map { "\"\($0)\"" }.joined(separator: ", ")
        let subCondition = op == "StringEquals"
            ? #""StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": [\#(list)]}"#
            : #""StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "\#(op)": {"token.actions.githubusercontent.com:sub": [\#(list)]}"#
        return """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": \(principal ?? #"{"Federated": "\#(provider)"}"#),
           "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {\(subCondition)}}\(extraStatements)]}
        """
    }

    /// A workflow of one job `job` that assumes `deploy-prod`: `on` is the trigger text (lines starting at line 2),
    /// `permissions` the job's block. With the defaults the job's `id-token` line is `6 + lines of on`.
    static func workflow(on: String, permissions: String = "    permissions:\n      id-token: write\n", environment: String = "",
                         condition: String = "", workflowPermissions: String = "", steps: String? = nil) -> String {
        let body = steps ?? """
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: \(role)
                  aws-region: eu-west-1

        """
        return "name: w\n\(on)\n\(workflowPermissions)jobs:\n  job:\n    runs-on: ubuntu-latest\n\(condition)\(environment)\(permissions)    steps:\n\(body)"
    }

    /// A `pull_request_target` triage job with `id-token: write` that assumes no role.
    static let triage = """
    name: triage
    on: pull_request_target
    jobs:
      triage:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - run: echo hi

    """

    struct Finding: CustomStringConvertible {
        var rule: String
        var level: String
        var file: String
        var line: Int
        var pointer: String
        var message: String
        var description: String { "\(rule) \(level) \(file):\(line) \(pointer) \(message)" }
    }

    struct Outcome: CustomStringConvertible {
        var code: ExitCode
        var findings: [Finding]
        var raw: String

        func has(_ rule: String, file: String? = nil, pointer: String? = nil, line: Int? = nil) -> Bool {
            findings.contains { finding in
                finding.rule == rule && (file.map { finding.file == $0 } ?? true)
                    && (pointer.map { finding.pointer == $0 } ?? true) && (line.map { finding.line == $0 } ?? true)
            }
        }

        /// Errors and warnings: what fails the promise of a quiet run.
        var loud: [Finding] { findings.filter { $0.level == "error" || $0.level == "warning" } }
        var description: String { findings.map(\.description).joined(separator: "\n") + (findings.isEmpty ? raw : "") }
    }

    /// Writes `files` (relative path to text) beside the design and `prod/trust-policy.json`, audits the folder.
    static func audit(_ files: [String: String], trust trustPolicy: String, design designText: String = design()) throws -> Outcome {
        try auditBytes(files.mapValues { Array($0.utf8) }, trust: trustPolicy, design: designText)
    }

    static func auditBytes(_ files: [String: [UInt8]], trust trustPolicy: String, design designText: String = design()) throws -> Outcome {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("iam-audit.json", designText)
        try folder.write("prod/trust-policy.json", trustPolicy)
        for (path, bytes) in files {
            try folder.write(path, "")
            FileManager.default.createFile(atPath: folder.url(path), contents: Data(bytes))
        }
        let run = iamAudit([folder.path, "--format", "json"], workingDirectory: folder.path)
        var findings: [Finding] = []
        if let report = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
           let list = report["findings"] as? [[String: Any]] {
            for item in list {
                var file = item["file"] as? String ?? ""
                if file.hasPrefix(folder.path + "/") { file.removeFirst(folder.path.count + 1) }
                findings.append(Finding(rule: item["ruleId"] as? String ?? "", level: item["level"] as? String ?? "", file: file,
                                        line: item["line"] as? Int ?? 0, pointer: item["pointer"] as? String ?? "",
                                        message: item["message"] as? String ?? ""))
            }
        }
        return Outcome(code: run.code, findings: findings, raw: run.stdout + run.stderr)
    }

    // MARK: Triggers (working)

    static let strangerTriggers: [String] = [
        "on: [pull_request_target]",
        "on: pull_request_target",
        "on:\n  pull_request_target:\n    types: [opened]",
        "on: issue_comment",
        "on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]",
        "on: discussion",
        "on: PULL_REQUEST_TARGET",
        "on: [Issue_Comment]",
        "on: issues",
        "on: discussion_comment",
        "on: watch",
        "on: fork",
        "on:\n  pull_request_target:\n    branches: [main]",
        "'on': pull_request_target",
        "\"on\": [pull_request_target, push]",
        "true: pull_request_target",
    ]

    @Test("every form of a stranger's trigger is WF001 at the job's id-token line", arguments: strangerTriggers)
    func strangerTrigger(_ on: String) throws {
        let outcome = try Self.audit([".github/workflows/t.yml": Self.workflow(on: on)], trust: Self.trust([Self.mainSubject]))
        let line = 6 + on.split(separator: "\n").count
        #expect(outcome.has("WF001", file: ".github/workflows/t.yml", pointer: "/jobs/job/permissions/id-token", line: line), "\(outcome)")
        #expect(outcome.code != .success)
    }

    @Test("pull request events from forks carry no id-token: no WF001", arguments: ["on: pull_request", "on: pull_request_review_comment"])
    func forkPullRequestEvents(_ on: String) throws {
        let outcome = try Self.audit([".github/workflows/t.yml": Self.workflow(on: on)], trust: Self.trust([Self.mainSubject]))
        #expect(!outcome.has("WF001"), "\(outcome)")
    }

    // MARK: Permissions (working)

    static let grantingPermissions: [(String, String, String, String)] = [
        ("write-all at workflow level", "", "permissions: write-all\n", "/permissions"),
        ("write-all on the job", "    permissions: write-all\n", "", "/jobs/job/permissions"),
        ("permissions as an expression", "    permissions: ${{ fromJSON('{\"id-token\":\"write\"}') }}\n", "", "/jobs/job/permissions"),
        ("id-token: WRITE", "    permissions:\n      id-token: WRITE\n", "", "/jobs/job/permissions/id-token"),
        ("quoted key and value", "    permissions:\n      \"id-token\": 'write'\n", "", "/jobs/job/permissions/id-token"),
        ("flow mapping", "    permissions: {id-token: write, contents: read}\n", "", "/jobs/job/permissions/id-token"),
        ("workflow level inherited", "", "permissions:\n  id-token: write\n", "/permissions/id-token"),
        ("null permissions", "    permissions:\n", "", "/jobs/job/permissions"),
        ("duplicate id-token key", "    permissions:\n      id-token: none\n      id-token: write\n", "", "/jobs/job/permissions/id-token"),
    ]

    @Test("every form of an id-token grant on a stranger's job is WF001 at the grant", arguments: grantingPermissions)
    func grantForms(_ name: String, _ jobPermissions: String, _ workflowPermissions: String, _ pointer: String) throws {
        let text = Self.workflow(on: "on: pull_request_target", permissions: jobPermissions, workflowPermissions: workflowPermissions)
        let outcome = try Self.audit([".github/workflows/t.yml": text], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.has("WF001", pointer: pointer), "\(name): \(outcome)")
    }

    @Test("a grant through a YAML anchor and alias, or a merge key, is WF001")
    func anchoredGrants() throws {
        let alias = """
        name: w
        on: pull_request_target
        jobs:
          a:
            runs-on: x
            permissions: &p
              id-token: write
            steps:
              - run: echo
          job:
            runs-on: ubuntu-latest
            permissions: *p
            steps:
              - run: make test

        """
        let outcome = try Self.audit([".github/workflows/t.yml": alias], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.has("WF001", pointer: "/jobs/job/permissions/id-token"), "\(outcome)")
        let merge = "name: w\non: pull_request_target\nx-perm: &p\n  id-token: write\njobs:\n  job:\n    runs-on: ubuntu-latest\n    permissions:\n      <<: *p\n    steps:\n      - run: make test\n"
        let merged = try Self.audit([".github/workflows/t.yml": merge], trust: Self.trust([Self.mainSubject]))
        #expect(merged.has("WF001", pointer: "/jobs/job/permissions/id-token"), "\(merged)")
    }

    @Test("a job that drops id-token (permissions: {} or read-all) is not WF001 and its deploy is WF004",
          arguments: ["    permissions: {}\n", "    permissions: read-all\n"])
    func droppedGrant(_ permissions: String) throws {
        let text = Self.workflow(on: "on: pull_request_target", permissions: permissions, workflowPermissions: "permissions:\n  id-token: write\n")
        let outcome = try Self.audit([".github/workflows/t.yml": text], trust: Self.trust([Self.mainSubject]))
        #expect(!outcome.has("WF001"), "\(outcome)")
        #expect(outcome.has("WF004", pointer: "/jobs/job/steps/0/with/role-to-assume"), "\(outcome)")
    }

    // MARK: Conditions (working)

    static let openConditions: [String] = [
        "github.event_name == 'push' || true",
        "\"!cancelled()\"",
        "contains(github.event_name, 'push')",
        "\"${{ github.event_name }} == 'push'\"",
        "\"${{ 'false' }}\"",
        "github.event_name == 'push' || 'false'",
        "github.event_name != 'pull_request'",
        "github.ref == 'refs/heads/main'",
        "startsWith(github.event_name, 'pull_request_target')",
        "endsWith(github.event_name, 'target')",
        "github.head_ref == 'main'",
        "github.actor == 'dependabot[bot]'",
        "github.event.pull_request.head.repo.full_name == github.repository",
        "github.event_name == 'PULL_REQUEST_TARGET'",
        "format('{0}', github.event_name) == 'push'",
        "\"!(github.event_name == 'push')\"",
        "github.event_name == null",
        "github.event_name == 0",
        "fromJSON('true')",
        ">-\n      github.event_name == 'push'\n      || true",
    ]

    @Test("an if: that looks restrictive but holds on pull_request_target keeps WF001", arguments: openConditions)
    func openCondition(_ condition: String) throws {
        let text = Self.workflow(on: "on: pull_request_target", condition: "    if: \(condition)\n")
        let outcome = try Self.audit([".github/workflows/t.yml": text], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.has("WF001", pointer: "/jobs/job/permissions/id-token"), "\(condition): \(outcome)")
    }

    static let closedConditions: [String] = [
        "github.event_name == 'push'",
        "${{ github.event_name == 'push' }}",
        "always() && github.event_name == 'push'",
        "github['event_name'] == 'push'",
    ]

    @Test("an if: that only holds on push keeps a pull_request_target job from running: no WF001", arguments: closedConditions)
    func closedCondition(_ condition: String) throws {
        let text = Self.workflow(on: "on: pull_request_target", condition: "    if: \(condition)\n")
        let outcome = try Self.audit([".github/workflows/t.yml": text], trust: Self.trust([Self.mainSubject]))
        #expect(!outcome.has("WF001"), "\(condition): \(outcome)")
    }

    // MARK: Environments (working)

    static func matrixWorkflow(strategy: String, environment: String) -> String {
        """
        name: w
        on: pull_request_target
        jobs:
          job:
            runs-on: ubuntu-latest
            strategy:
        \(strategy)
            environment: \(environment)
            permissions:
              id-token: write
            steps:
              - run: make test

        """
    }

    static let namedEnvironments: [(String, String)] = [
        ("      matrix:\n        env: [dev, prod]", "${{ matrix.env }}"),
        ("      matrix:\n        env: [dev, Prod]", "\n      name: ${{ matrix.env }}\n      url: https://x"),
        ("      matrix: ${{ fromJSON(vars.M) }}", "${{ matrix.env }}"),
        ("      matrix:\n        x: [1]", "PROD"),
    ]

    @Test("an environment from a matrix, an expression or another case reaches the environment-pinned trust: WF001",
          arguments: namedEnvironments)
    func environmentForms(_ strategy: String, _ environment: String) throws {
        let outcome = try Self.audit([".github/workflows/t.yml": Self.matrixWorkflow(strategy: strategy, environment: environment)],
                                     trust: Self.trust([Self.envSubject]), design: Self.design(githubEnvironment: true))
        #expect(outcome.has("WF001"), "\(environment): \(outcome)")
    }

    static let emptyEnvironments: [(String, String)] = [
        ("      matrix:\n        include:\n          - env: prod\n          - name: lint", "${{ matrix.env }}"),
        ("      matrix:\n        env: [prod, '']", "${{ matrix.env }}"),
        ("      matrix:\n        x: [1]", "${{ github.event_name == 'push' && 'prod' || '' }}"),
        ("      matrix:\n        x: [1]", "${{ vars.DEPLOY_ENV }}"),
        ("      matrix:\n        x: [1]", "''"),
    ]

    // Once missed (kept as a regression test): a job whose `environment:` evaluates to the empty string runs with no environment, so its token's subject is
    // the ref form `repo:OWNER/REPO:ref:refs/heads/main` (GitHub, "OpenID Connect reference", default subject: the
    // environment form only "if the job references an environment"; the `environment: ${{ cond && 'prod' || '' }}`
    // idiom relies on an empty name meaning no environment). `JobTokens.runs` drops empty candidates
    // (`for name in candidates where !name.isEmpty`) and reads an undecided name (`vars.X`, a conditional) as some
    // environment only, so a `pull_request_target` job under a trust pinned to `ref:refs/heads/main` is silent.
    // Expected: WF001 at the job's id-token line (line 11).
    @Test("an environment that may be empty leaves the ref subject open to strangers: WF001", arguments: emptyEnvironments)
    func emptyEnvironmentMintsRefSubject(_ strategy: String, _ environment: String) throws {
        let outcome = try Self.audit([".github/workflows/t.yml": Self.matrixWorkflow(strategy: strategy, environment: environment)],
                                     trust: Self.trust([Self.mainSubject]))
        let line = 9 + strategy.split(separator: "\n").count
        #expect(outcome.has("WF001", pointer: "/jobs/job/permissions/id-token", line: line), "\(environment): \(outcome)")
    }

    // MARK: Reusable workflows

    static func caller(_ uses: String, jobGrant: Bool = true) -> String {
        let permissions = jobGrant ? "    permissions:\n      id-token: write\n      contents: read\n" : ""
        return "name: caller\non: pull_request_target\n\(jobGrant ? "" : "permissions:\n  id-token: write\n")jobs:\n  call:\n\(permissions)    uses: \(uses)\n"
    }

    static func called(on: String = "on: workflow_call", environment: Bool = true, grant: Bool = false) -> String {
        """
        name: reusable
        \(on)
        jobs:
          deploy:
            runs-on: ubuntu-latest
        \(environment ? "    environment: prod\n" : "")\(grant ? "    permissions:\n      id-token: write\n" : "")    steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: \(role)
                  aws-region: eu-west-1

        """
    }

    @Test("a local reusable workflow called from pull_request_target is WF001 at the caller's grant")
    func localReusable() throws {
        let envTrust = Self.trust([Self.envSubject])
        let envDesign = Self.design(githubEnvironment: true)
        let plain = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yml"), ".github/workflows/r.yml": Self.called()],
                                   trust: envTrust, design: envDesign)
        #expect(plain.has("WF001", file: ".github/workflows/c.yml", pointer: "/jobs/call/permissions/id-token", line: 6), "\(plain)")
        let yaml = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yaml"), ".github/workflows/r.yaml": Self.called()],
                                  trust: envTrust, design: envDesign)
        #expect(yaml.has("WF001", file: ".github/workflows/c.yml"), "\(yaml)")
        let workflowLevel = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yml", jobGrant: false),
                                            ".github/workflows/r.yml": Self.called()], trust: envTrust, design: envDesign)
        #expect(workflowLevel.has("WF001", file: ".github/workflows/c.yml", pointer: "/permissions/id-token"), "\(workflowLevel)")
        let inherit = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yml") + "    secrets: inherit\n",
                                      ".github/workflows/r.yml": Self.called()], trust: envTrust, design: envDesign)
        #expect(inherit.has("WF001"), "\(inherit)")
        let ownGrant = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yml"), ".github/workflows/r.yml": Self.called(grant: true)],
                                      trust: envTrust, design: envDesign)
        #expect(ownGrant.has("WF001", file: ".github/workflows/r.yml", pointer: "/jobs/deploy/permissions/id-token"), "\(ownGrant)")
        let mainTrust = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yml"),
                                        ".github/workflows/r.yml": Self.called(environment: false)], trust: Self.trust([Self.mainSubject]))
        #expect(mainTrust.has("WF001", file: ".github/workflows/c.yml", pointer: "/jobs/call/permissions/id-token"), "\(mainTrust)")
    }

    @Test("a call into another repository from pull_request_target is WF001 at the caller's grant")
    func remoteReusable() throws {
        let outcome = try Self.audit([".github/workflows/c.yml": Self.caller("other-org/tools/.github/workflows/deploy.yml@v1")],
                                     trust: Self.trust([Self.mainSubject]))
        #expect(outcome.has("WF001", file: ".github/workflows/c.yml", pointer: "/jobs/call/permissions/id-token"), "\(outcome)")
    }

    // Once missed (kept as a regression test): a reusable workflow that has another trigger beside `workflow_call` (`on: {workflow_call:, push:}`) is read
    // only for its own triggers: the runs of its `pull_request_target` caller are dropped (`WorkflowReview` treats only
    // called-only workflows as called). GitHub runs the called job with the caller's event and the caller's id-token
    // grant ("Reusing workflows": the called workflow's GITHUB_TOKEN permissions are those of the caller, which it can
    // only downgrade; the OIDC token of a called job carries the caller's context), so the called job mints
    // `repo:example-org/deploy:environment:prod` on a fork's pull request. Expected: WF001. Actual: silence with the
    // called job's own grant, a wrong WF004 ("does not hold id-token: write") without it.
    @Test("a reusable workflow with a second trigger, called from pull_request_target: WF001", arguments: [true, false])
    func reusableWithOwnTrigger(_ calledGrant: Bool) throws {
        let called = Self.called(on: "on:\n  workflow_call:\n  push:\n    branches: [main]", grant: calledGrant)
        let outcome = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/r.yml"), ".github/workflows/r.yml": called],
                                     trust: Self.trust([Self.envSubject]), design: Self.design(githubEnvironment: true))
        #expect(outcome.has("WF001"), "\(outcome)")
        #expect(!outcome.has("WF004"), "\(outcome)")
    }

    // Once missed (kept as a regression test): a call of the repository's own reusable workflow written in the remote form
    // (`example-org/deploy/.github/workflows/r.yml@main`, GitHub "Reusing workflows": `{owner}/{repo}/.github/workflows/
    // {filename}@{ref}`) is not matched to `r.yml` in the run: the called job is reviewed as called from nowhere
    // (never stranger-started), though the design names `example-org/deploy` as this repository. Expected: WF001 for the
    // `pull_request_target` caller under a trust pinned to `environment:prod`. Actual: silence with the called job's
    // own grant, a wrong WF004 without it.
    @Test("the repository's own reusable workflow called by OWNER/REPO/path@ref from pull_request_target: WF001",
          arguments: [true, false])
    func sameRepositoryRemoteCall(_ calledGrant: Bool) throws {
        let outcome = try Self.audit([".github/workflows/c.yml": Self.caller("example-org/deploy/.github/workflows/r.yml@main"),
                                      ".github/workflows/r.yml": Self.called(grant: calledGrant)],
                                     trust: Self.trust([Self.envSubject]), design: Self.design(githubEnvironment: true))
        #expect(outcome.has("WF001"), "\(outcome)")
        #expect(!outcome.has("WF004"), "\(outcome)")
    }

    // Once missed (kept as a regression test): reusable workflows nest (GitHub "Reusing workflows": "you can connect a maximum of ten levels of
    // workflows"); `WorkflowReview` reads one level and a call of a call "as called from anywhere", but that
    // anywhere-run (`workflow_call`) is never stranger-started. A `pull_request_target` caller → `mid.yml` → `r.yml`
    // whose job has `environment: prod` mints `environment:prod` on a fork's pull request. Expected: WF001. Actual:
    // silence with the called job's own grant, a wrong WF004 without it.
    @Test("a reusable workflow called through another from pull_request_target: WF001", arguments: [true, false])
    func nestedReusable(_ calledGrant: Bool) throws {
        let outcome = try Self.audit([".github/workflows/c.yml": Self.caller("./.github/workflows/mid.yml"),
                                      ".github/workflows/mid.yml": "name: mid\non: workflow_call\njobs:\n  m:\n    uses: ./.github/workflows/r.yml\n",
                                      ".github/workflows/r.yml": Self.called(grant: calledGrant)],
                                     trust: Self.trust([Self.envSubject]), design: Self.design(githubEnvironment: true))
        #expect(outcome.has("WF001"), "\(outcome)")
        #expect(!outcome.has("WF004"), "\(outcome)")
    }

    // MARK: Jobs that do not deploy (WF002)

    static func deployAndChecks(role: String, checksSteps: String = "      - run: make test\n", prefix: String = "") -> String {
        """
        name: w
        on:
          push:
            branches: [main]
          pull_request:
        \(prefix)permissions:
          id-token: write
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: prod
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: \(role)
                  aws-region: eu-west-1
          checks:
            runs-on: ubuntu-latest
            steps:
        \(checksSteps)
        """
    }

    static let deployRoleForms: [(String, String)] = [
        ("ARN", "arn:aws:iam::111122223333:role/deploy-prod"),
        ("secret", "${{ secrets.ROLE }}"),
        ("ARN with a path", "arn:aws:iam::111122223333:role/team/deploy-prod"),
        ("name in another case", "arn:aws:iam::111122223333:role/Deploy-Prod"),
        ("env variable", "${{ env.ROLE }}"),
    ]

    @Test("a checks job inheriting id-token under a repo:* trust is WF002 at the workflow grant", arguments: deployRoleForms)
    func checksJobMintsDeployToken(_ name: String, _ role: String) throws {
        let prefix = name == "env variable" ? "env:\n  ROLE: \(Self.role)\n" : ""
        let outcome = try Self.audit([".github/workflows/t.yml": Self.deployAndChecks(role: role, prefix: prefix)],
                                     trust: Self.trust([Self.anySubject], op: "StringLike"))
        #expect(outcome.has("WF002", pointer: "/permissions/id-token"), "\(name): \(outcome)")
    }

    @Test("a checks job assuming an unread role still is WF002 for the deploy role it does not assume")
    func checksJobAssumesOtherRole() throws {
        let steps = "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/other\n          aws-region: eu-west-1\n"
        let outcome = try Self.audit([".github/workflows/t.yml": Self.deployAndChecks(role: Self.role, checksSteps: steps)],
                                     trust: Self.trust([Self.anySubject], op: "StringLike"))
        #expect(outcome.has("WF002", pointer: "/permissions/id-token"), "\(outcome)")
        #expect(outcome.has("WF008"), "\(outcome)")
    }

    // Once missed (kept as a regression test): a test job that inherits a workflow-level `id-token: write` and uses any action outside iam-audit's short
    // inert list (here `codecov/codecov-action`) counts as assuming a role, so neither WF002 nor WF003 fires, and the
    // run is quiet although the job does not deploy and can mint `repo:example-org/deploy:ref:refs/heads/main`, which
    // the deploy role admits (GitHub, "OpenID Connect reference": any step of a job holding id-token: write can request
    // a token; WF003's documented heuristic makes every third-party action a deploy). Expected: at least a warning
    // (WF003, or WF002) at `/permissions/id-token`. Actual: no finding.
    @Test("a test job with a third-party action inheriting the deploy's id-token is not quiet")
    func thirdPartyActionHidesTestJob() throws {
        let text = """
        name: ci
        on:
          push:
            branches: [main]
        permissions:
          id-token: write
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: \(Self.role)
                  aws-region: eu-west-1
          test:
            runs-on: ubuntu-latest
            steps:
              - run: make test
              - uses: codecov/codecov-action@v4

        """
        let outcome = try Self.audit([".github/workflows/ci.yml": text], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.loud.contains { ($0.rule == "WF002" || $0.rule == "WF003") && $0.pointer == "/permissions/id-token" }, "\(outcome)")
    }

    // MARK: Trust forms (working)

    static let denyStatement = #", {"Effect": "Deny", "Principal": {"Federated": "\#(provider)"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:event_name": "pull_request_target"}}}"#

    static func issuerTrust(_ issuer: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/\(issuer)"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"\(issuer):aud": "sts.amazonaws.com"}, "StringLike": {"\(issuer):sub": "\(anySubject)"}}}]}
        """
    }

    static func conditionTrust(_ condition: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "\(provider)"},
          "Action": "sts:AssumeRoleWithWebIdentity", "Condition": \(condition)}]}
        """
    }

    static let admittingTrusts: [(String, String)] = [
        ("StringLike repo:*", trust([anySubject], op: "StringLike")),
        ("job_workflow_ref only", conditionTrust(#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:job_workflow_ref": "example-org/deploy/.github/workflows/*@refs/heads/main"}}"#)),
        ("ref and repository only", conditionTrust(#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:ref": "refs/heads/main"}, "StringLike": {"token.actions.githubusercontent.com:repository": "example-org/deploy"}}"#)),
        ("Principal *", trust([anySubject], op: "StringLike", principal: #""*""#)),
        ("Federated *", trust([anySubject], op: "StringLike", principal: #"{"Federated": "*"}"#)),
        ("Deny on a key AWS does not expose", trust([anySubject], op: "StringLike", extraStatements: denyStatement)),
        ("enterprise issuer", issuerTrust("token.actions.githubusercontent.com/example-ent")),
        ("GHES issuer", issuerTrust("github.example.com/_services/token")),
        ("ForAnyValue:StringLike", trust([anySubject], op: "ForAnyValue:StringLike")),
        ("owner in another case", trust(["repo:Example-Org/Deploy:ref:refs/heads/main"])),
        ("StringEqualsIgnoreCase", trust(["REPO:EXAMPLE-ORG/DEPLOY:REF:REFS/HEADS/MAIN"], op: "StringEqualsIgnoreCase")),
        ("Action sts:*", trust([anySubject], op: "StringLike").replacingOccurrences(of: "\"sts:AssumeRoleWithWebIdentity\"", with: "\"sts:*\"")),
        ("Action list", trust([anySubject], op: "StringLike").replacingOccurrences(of: "\"sts:AssumeRoleWithWebIdentity\"", with: "[\"sts:TagSession\", \"sts:AssumeRoleWithWebIdentity\"]")),
    ]

    @Test("every trust form admitting the default branch lets a pull_request_target triage job in: WF001", arguments: admittingTrusts)
    func trustForms(_ name: String, _ trustPolicy: String) throws {
        let outcome = try Self.audit([".github/workflows/t.yml": Self.triage], trust: trustPolicy)
        #expect(outcome.has("WF001", pointer: "/jobs/triage/permissions/id-token", line: 7), "\(name): \(outcome)")
    }

    // MARK: Files (working)

    static let workflowFiles: [(String, String)] = [
        (".github/workflows/t.yaml", triage),
        ("ci/triage.yml", triage),
        (".github/workflows/t.YML", triage),
        (".github/workflows/sub/t.yml", triage),
        (".github/workflows/crlf.yml", triage.replacingOccurrences(of: "\n", with: "\r\n")),
        (".github/workflows/tab.yml", triage.replacingOccurrences(of: "id-token: write", with: "id-token:\twrite")),
        (".github/workflows/flow.yml", #"{"on": "pull_request_target", "jobs": {"triage": {"runs-on": "x", "permissions": {"id-token": "write"}, "steps": [{"run": "echo"}]}}}"# + "\n"),
        (".github/workflows/t.json", #"{"on": "pull_request_target", "jobs": {"triage": {"runs-on": "x", "permissions": {"id-token": "write"}, "steps": [{"run": "echo"}]}}}"#),
    ]

    @Test("a workflow named .yaml, outside .github/workflows, with CRLF or flow style is read: WF001", arguments: workflowFiles)
    func workflowFileForms(_ path: String, _ text: String) throws {
        let outcome = try Self.audit([path: text], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.has("WF001", file: path, pointer: "/jobs/triage/permissions/id-token"), "\(path): \(outcome)")
    }

    @Test("a workflow with a byte order mark is read: WF001")
    func byteOrderMark() throws {
        let outcome = try Self.auditBytes([".github/workflows/t.yml": [0xEF, 0xBB, 0xBF] + Array(Self.triage.utf8)],
                                          trust: Self.trust([Self.mainSubject]))
        #expect(outcome.has("WF001", pointer: "/jobs/triage/permissions/id-token", line: 7), "\(outcome)")
    }

    static var aliasBomb: String {
        var lines: [String] = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...6 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n" + triage.replacingOccurrences(of: "name: triage\n", with: "")
    }

    static let unreadableWorkflows: [(String, String, Int)] = [
        (".github/workflows/tab.yml", triage.replacingOccurrences(of: "    permissions:", with: "\tpermissions:"), 6),
        (".github/workflows/flow.yml", "on: pull_request_target\njobs:\n  x: [\n", 3),
        (".github/workflows/flow.yaml", "on: pull_request_target\njobs:\n  x: {\n", 3),
        (".github/workflows/docs.yml", "---\n" + triage + "---\nfoo: bar\n", 11),
        (".github/workflows/empty.yml", "", 1),
        (".github/workflows/bomb.yml", aliasBomb, 6),
    ]

    @Test("a workflow that does not parse is an IAM001 error at its position, never silence", arguments: unreadableWorkflows)
    func unreadableWorkflow(_ path: String, _ text: String, _ line: Int) throws {
        let outcome = try Self.audit([path: text], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.findings.contains { $0.rule == "IAM001" && $0.level == "error" && $0.file == path && $0.line == line }, "\(path): \(outcome)")
        #expect(outcome.code != .success)
    }

    // Once missed (kept as a regression test): a workflow with two `jobs:` keys is rejected by GitHub (YAML mapping keys must be unique, YAML 1.2 §3.2.1.1;
    // GitHub fails the workflow with "'jobs' is already defined"), yet iam-audit keeps the last `jobs:` and reports
    // nothing: the first block's `pull_request_target` job with id-token: write is never looked at. Expected: an
    // IAM001 error (or any error) on the file, as for any workflow iam-audit cannot read as GitHub does. Actual: quiet.
    @Test("a workflow with a duplicate jobs key is not silent")
    func duplicateJobsKey() throws {
        let text = Self.triage + "jobs:\n  other:\n    runs-on: x\n    steps:\n      - run: echo\n"
        let outcome = try Self.audit([".github/workflows/t.yml": text], trust: Self.trust([Self.mainSubject]))
        #expect(outcome.loud.contains { $0.file == ".github/workflows/t.yml" && $0.level == "error" }, "\(outcome)")
    }

    // MARK: Hardened workflows (no false positives)

    static let hardenedTwoEnvironments = """
    name: deploy
    on:
      push:
        branches: [main, develop]
      pull_request:
      workflow_dispatch:
    permissions:
      contents: read
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: make test
      deploy-dev:
        if: github.ref == 'refs/heads/develop' && github.event_name == 'push'
        needs: test
        runs-on: ubuntu-latest
        environment: dev
        permissions:
          id-token: write
          contents: read
        steps:
          - uses: actions/checkout@v4
          - uses: aws-actions/configure-aws-credentials@v4
            with:
              role-to-assume: arn:aws:iam::111122223333:role/deploy-dev
              aws-region: eu-west-1
          - run: make deploy
      deploy-prod:
        if: github.ref == 'refs/heads/main' && github.event_name == 'push'
        needs: test
        runs-on: ubuntu-latest
        environment:
          name: prod
          url: https://example.com
        permissions:
          id-token: write
          contents: read
        steps:
          - uses: actions/checkout@v4
          - uses: aws-actions/configure-aws-credentials@v4
            with:
              role-to-assume: arn:aws:iam::111122223333:role/deploy-prod
              aws-region: eu-west-1
              audience: sts.amazonaws.com
          - run: make deploy

    """

    @Test("hardened deploys (job-level id-token, protected environment, trust pinned to it) are quiet")
    func hardenedIsQuiet() throws {
        let envTrust = Self.trust([Self.envSubject])
        let envDesign = Self.design(githubEnvironment: true)
        let two = try Self.audit([".github/workflows/deploy.yml": Self.hardenedTwoEnvironments,
                                  "dev/trust-policy.json": Self.trust(["repo:example-org/deploy:environment:dev"])],
                                 trust: envTrust, design: Self.design(githubEnvironment: true, dev: true))
        #expect(two.findings.isEmpty && two.code == .success, "\(two)")
        let push = Self.workflow(on: "on:\n  push:\n    branches: [main]", environment: "    environment: prod\n")
        let single = try Self.audit([".github/workflows/deploy.yml": push], trust: envTrust, design: envDesign)
        #expect(single.findings.isEmpty && single.code == .success, "\(single)")
        let dispatch = try Self.audit([".github/workflows/deploy.yml": Self.workflow(on: "on: workflow_dispatch", environment: "    environment: prod\n")],
                                      trust: envTrust, design: envDesign)
        #expect(dispatch.findings.isEmpty && dispatch.code == .success, "\(dispatch)")
        let labeler = "name: triage\non: pull_request_target\npermissions:\n  contents: read\n  pull-requests: write\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n"
        let withTriage = try Self.audit([".github/workflows/deploy.yml": push, ".github/workflows/triage.yml": labeler], trust: envTrust, design: envDesign)
        #expect(withTriage.findings.isEmpty && withTriage.code == .success, "\(withTriage)")
        let chained = push.replacingOccurrences(of: "aws-region: eu-west-1\n", with: """
        aws-region: eu-west-1
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: arn:aws:iam::111122223333:role/other
                  role-chaining: true
                  aws-region: eu-west-1

        """)
        let chaining = try Self.audit([".github/workflows/deploy.yml": chained], trust: envTrust, design: envDesign)
        #expect(chaining.loud.isEmpty, "\(chaining)")
    }

    @Test("a dev deploy assuming the prod role is WF005; a pull_request_target job in environment prod is WF001")
    func crossEnvironmentAndStrangerInEnvironment() throws {
        let crossed = Self.hardenedTwoEnvironments.replacingOccurrences(of: "role/deploy-dev", with: "role/deploy-prod")
        let outcome = try Self.audit([".github/workflows/deploy.yml": crossed,
                                      "dev/trust-policy.json": Self.trust(["repo:example-org/deploy:environment:dev"])],
                                     trust: Self.trust([Self.envSubject, "repo:example-org/deploy:environment:dev"]),
                                     design: Self.design(githubEnvironment: true, dev: true))
        #expect(outcome.has("WF005", pointer: "/jobs/deploy-dev/steps/1/with/role-to-assume", line: 27), "\(outcome)")
        let stranger = try Self.audit([".github/workflows/t.yml": Self.workflow(on: "on: pull_request_target", environment: "    environment: prod\n")],
                                      trust: Self.trust([Self.envSubject]), design: Self.design(githubEnvironment: true))
        #expect(stranger.has("WF001", pointer: "/jobs/job/permissions/id-token", line: 8), "\(stranger)")
    }
}
