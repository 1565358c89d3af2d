@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The workflow `yaml` read as `file`.
private func workflow(_ yaml: String, file: String = "repo/.github/workflows/deploy.yml") throws -> GitHubWorkflow {
    let tree = try YAMLParser(options: .init()).parse(yaml)
    return GitHubWorkflowReader.read(tree, file: file)
}

/// The one job of `yaml`.
private func job(_ yaml: String) throws -> WorkflowJob {
    let jobs = try workflow(yaml).jobs
    try #require(jobs.count == 1)
    return jobs[0]
}

/// The first credential step of the one job of `yaml`.
private func credentialStep(_ yaml: String) throws -> CredentialStep {
    try #require(try job(yaml).credentialSteps.first)
}

/// A one-job workflow whose job holds `body` (indented four spaces).
private func oneJob(_ body: String, workflowPrefix: String = "") -> String {
    workflowPrefix + "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n" + body
}

private func at(_ line: Int, _ column: Int) -> String { "\(line):\(column)" }

private extension WorkflowSite {
    var start: String { "\(span.start.line):\(span.start.column)" }
}

/// The reader of GitHub Actions workflows, one nested suite per part of the workflow.
@Suite("GitHub workflow reader")
struct GitHubWorkflowReaderTests {}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: conditions")
    struct Conditions {
        static let refMain: JobCondition = .refIs("refs/heads/main")

        @Test(arguments: [
            ("github.event_name == 'push'", JobCondition.eventIs("push")),
            ("'push' == github.event_name", .eventIs("push")),
            ("${{ github.event_name == 'push' }}", .eventIs("push")),
            ("  ${{github.event_name=='push'}}  ", .eventIs("push")),
            ("GITHUB.EVENT_NAME == 'Push'", .eventIs("push")),
            ("GitHub.Event_Name == 'PUSH'", .eventIs("push")),
            ("github['event_name'] == 'push'", .eventIs("push")),
            ("(github).event_name == 'push'", .eventIs("push")),
            ("github.event_name != 'pull_request'", .not(.eventIs("pull_request"))),
            ("'pull_request' != github.event_name", .not(.eventIs("pull_request"))),
            ("github.ref == 'refs/heads/main'", refMain),
            ("github['ref'] == 'refs/heads/main'", refMain),
            ("github.ref == 'it''s'", .refIs("it's")),
            ("${{ github.ref == '}}' }}", .refIs("}}")),
            ("github.ref_name == 'main'", .any([refMain, .refIs("refs/tags/main")])),
            ("github.ref_name == '12/merge'", .any([.refIs("refs/heads/12/merge"), .refIs("refs/tags/12/merge"), .refIs("refs/pull/12/merge")])),
            ("github.ref_type == 'tag'", .refStartsWith("refs/tags/")),
            ("github.ref_type == 'Tag'", .refStartsWith("refs/tags/")),
            ("github.ref_type == 'branch'", .not(.refStartsWith("refs/tags/"))),
            ("github.ref_type != 'tag'", .not(.refStartsWith("refs/tags/"))),
            ("github.ref_type != 'branch'", .not(.refStartsWith("refs/heads/"))),
            ("!(github.ref_type == 'branch')", .not(.refStartsWith("refs/heads/"))),
            ("!(github.ref_type != 'branch')", .not(.refStartsWith("refs/tags/"))),
            ("github.ref_type == 'other'", .unknown),
            ("startsWith(github.ref, 'refs/tags/')", .refStartsWith("refs/tags/")),
            ("StartsWith(GitHub.Ref, 'refs/tags/v')", .refStartsWith("refs/tags/v")),
            ("!startsWith(github.ref, 'refs/tags/')", .not(.refStartsWith("refs/tags/"))),
            ("success()", .constant(true)),
            ("always()", .constant(true)),
            ("${{ always() }}", .constant(true)),
            ("!always()", .constant(false)),
            ("failure()", .unknown),
            ("cancelled()", .unknown),
            ("!cancelled()", .unknown),
            ("!success()", .unknown),
            ("!(success() && github.event_name == 'push')", .not(.all([.unknown, .eventIs("push")]))),
            ("true", .constant(true)),
            ("false", .constant(false)),
            ("${{ false }}", .constant(false)),
            ("'text'", .constant(true)),
            ("''", .constant(false)),
            ("null", .constant(false)),
            ("1", .constant(true)),
            ("0x0", .constant(false)),
            ("github.event_name == 'push' && github.ref == 'refs/heads/main'", .all([.eventIs("push"), refMain])),
            ("github.event_name == 'push' || github.event_name == 'workflow_dispatch'", .any([.eventIs("push"), .eventIs("workflow_dispatch")])),
            ("(github.event_name == 'push' || github.event_name == 'release') && startsWith(github.ref, 'refs/tags/')",
             .all([.any([.eventIs("push"), .eventIs("release")]), .refStartsWith("refs/tags/")])),
            ("success() && github.event_name == 'push'", .eventIs("push")),
            ("always() || github.event_name == 'push'", .constant(true)),
            ("github.event_name == 'push' && github.actor == 'me'", .all([.eventIs("push"), .unknown])),
            ("github.event_name == github.event_name", .constant(true)),
            ("github.ref != github.ref", .constant(false)),
            ("'a' == 'A'", .constant(true)),
            ("'a' == 'b'", .constant(false)),
            ("1 == 1.0", .constant(true)),
            ("startsWith('refs/tags/v1', 'refs/tags/')", .constant(true)),
            ("!!(github.event_name == 'push')", .eventIs("push")),
        ])
        func reads(_ text: String, _ expected: JobCondition) {
            #expect(GitHubWorkflowReader.condition(text) == expected)
        }

        /// What iam-audit does not model is unknown: never false, never a narrowing.
        @Test(arguments: [
            "github.actor == 'me'",
            "github.head_ref == 'main'",
            "github.base_ref == 'main'",
            "github.event.pull_request.merged",
            "github.event.action == 'published'",
            "contains(github.ref, 'main')",
            "contains(fromJSON('[\"push\"]'), github.event_name)",
            "endsWith(github.ref, '/main')",
            "startsWith(github.ref_name, 'v')",
            "startsWith(github.ref)",
            "startsWith('refs/tags/', github.ref)",
            "needs.build.outputs.deploy == 'true'",
            "steps.check.outputs.changed",
            "format('{0}', github.ref) == 'refs/heads/main'",
            "github.event_name == 1",
            "github.event_name == true",
            "github.event_name == null",
            "github.event_name == github.ref",
            "github.event_name < 'push'",
            "'a' == 1",
            "'é' == 'É'",
            "github.*.ref == 'refs/heads/main'",
            "github[github.ref] == 'x'",
            "fromJSON('{}').ref == 'refs/heads/main'",
            "(github.event_name == 'push') == true",
            "TRUE",
            "False",
            "github",
        ])
        func unmodelledIsUnknown(_ text: String) {
            #expect(GitHubWorkflowReader.condition(text) == .unknown)
        }

        /// Text that is not one expression GitHub would accept is unknown.
        @Test(arguments: [
            "", "   ", "(github.event_name == 'push'", "github.event_name == 'push')", "github.event_name == 'push",
            "github.event_name = 'push'", "github.event_name == \"push\"", "${{ github.event_name == 'push'",
            "${{ github.event_name == 'push' }} && true", "${{ github.event_name }} == 'push'",
            "${{ true }} && ${{ true }}", "github.event_name == 'push' }}", ")(", "!", "&&", "||", "a ==", "== 'a'",
            "github.", "github[", "github['ref'", "github.ref[]", "f(", "f(,)", "f(a,)", "a & b", "a | b", "1.2.3",
            "-x", "0xZZ", "github.event_name == 'push' # comment", "@", "$", "`true`", "${{ }}", "${{", "}}",
        ])
        func malformedIsUnknown(_ text: String) {
            #expect(GitHubWorkflowReader.condition(text) == .unknown)
        }

        @Test func deepNestingIsUnknownWithoutExhaustingTheStack() {
            let depth = 10_000
            #expect(GitHubWorkflowReader.condition(String(repeating: "(", count: depth) + "true" + String(repeating: ")", count: depth)) == .unknown)
            #expect(GitHubWorkflowReader.condition(String(repeating: "!", count: depth) + "true") == .unknown)
            #expect(GitHubWorkflowReader.condition(String(repeating: "(", count: depth)) == .unknown)
            #expect(GitHubWorkflowReader.condition("github" + String(repeating: "[github", count: depth) + String(repeating: "]", count: depth)) == .unknown)
            #expect(GitHubWorkflowReader.condition(String(repeating: "f(", count: depth) + String(repeating: ")", count: depth)) == .unknown)
            #expect(GitHubWorkflowReader.condition(Array(repeating: "true", count: depth).joined(separator: " == ")) == .unknown)
            // Long flat chains are read, not refused.
            let chain = Array(repeating: "github.event_name == 'push'", count: depth).joined(separator: " || ")
            guard case .any(let operands) = GitHubWorkflowReader.condition(chain) else {
                Issue.record("a chain of || is not read as any")
                return
            }
            #expect(operands.count == depth)
            #expect(GitHubWorkflowReader.condition(Array(repeating: "true", count: depth).joined(separator: " && ")) == .constant(true))
        }

        @Test func modestNestingIsRead() {
            let depth = 20
            let text = String(repeating: "(", count: depth) + "github.event_name == 'push'" + String(repeating: ")", count: depth)
            #expect(GitHubWorkflowReader.condition(text) == .eventIs("push"))
        }

        @Test func yamlBooleansAndOtherScalarsInIf() throws {
            let yaml = """
            on: push
            jobs:
              a:
                if: true
                runs-on: x
              b:
                if: false
                runs-on: x
              c:
                if: 1
                runs-on: x
              d:
                if: ${{ github.event_name == 'push' }}
                runs-on: x
              e:
                if: "!cancelled()"
                runs-on: x
              f:
                runs-on: x
            """
            let jobs = try workflow(yaml).jobs
            #expect(jobs.map(\.condition) == [.constant(true), .constant(false), .unknown, .eventIs("push"), .unknown, .constant(true)])
            #expect(jobs[0].conditionSite?.start == at(4, 5))
            #expect(jobs[0].conditionSite?.pointer == "/jobs/a/if")
            #expect(jobs[5].conditionSite == nil)
        }
    }
}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: triggers")
    struct Triggers {
        @Test func singleEvent() throws {
            let read = try workflow("on: push\njobs: {}\n")
            #expect(read.triggers.map(\.event) == ["push"])
            #expect(read.triggers[0].site.pointer == "/on")
            #expect(read.triggers[0].site.start == at(1, 5))
            #expect(read.triggersSite?.start == at(1, 1))
            #expect(read.triggersSite?.pointer == "/on")
            #expect(read.problems.isEmpty)
        }

        @Test func listOfEvents() throws {
            let read = try workflow("on: [push, pull_request]\njobs: {}\n")
            #expect(read.triggers.map(\.event) == ["push", "pull_request"])
            #expect(read.triggers.map(\.site.pointer) == ["/on/0", "/on/1"])
            #expect(read.triggers[1].site.start == at(1, 12))
            #expect(read.trigger("pull_request") != nil)
            #expect(read.trigger("schedule") == nil)
        }

        @Test func mappingOfEventsWithFilters() throws {
            let yaml = """
            on:
              push:
                branches: [main, 'release/**']
                tags: ['v*']
                paths: ['src/**']
              pull_request:
              pull_request_target:
                types: opened
                branches-ignore: wip
                tags-ignore: [old]
              workflow_dispatch: {}
              workflow_run:
                workflows: [Build]
                types: [completed]
              schedule:
                - cron: '0 0 * * *'
            jobs: {}
            """
            let read = try workflow(yaml)
            #expect(read.triggers.map(\.event) == ["push", "pull_request", "pull_request_target", "workflow_dispatch", "workflow_run", "schedule"])
            let push = try #require(read.trigger("push"))
            #expect(push.branches == ["main", "release/**"])
            #expect(push.tags == ["v*"])
            #expect(push.branchesIgnore == nil && push.tagsIgnore == nil && push.types == nil)
            #expect(!push.filtersUnreadable)
            #expect(push.site.start == at(2, 3))
            #expect(push.site.pointer == "/on/push")
            let pullRequest = try #require(read.trigger("pull_request"))
            #expect(pullRequest.branches == nil && !pullRequest.filtersUnreadable)
            let target = try #require(read.trigger("pull_request_target"))
            #expect(target.types == ["opened"])
            #expect(target.branchesIgnore == ["wip"])
            #expect(target.tagsIgnore == ["old"])
            #expect(read.trigger("workflow_run")?.workflows == ["Build"])
            #expect(read.trigger("workflow_run")?.types == ["completed"])
            #expect(read.trigger("schedule")?.filtersUnreadable == false)
            #expect(read.trigger("workflow_dispatch")?.filtersUnreadable == false)
            #expect(read.problems.isEmpty)
        }

        @Test(arguments: [
            "branches: ${{ github.ref }}",
            "branches: ['${{ vars.BRANCH }}']",
            "branches: [main, 1]",
            "branches: 7",
            "tags: {a: b}",
            "tags: []",
            "types: [[opened]]",
            "workflows: true",
        ])
        func unreadableFilterAdmitsEverything(_ filter: String) throws {
            let read = try workflow("on:\n  push:\n    \(filter)\njobs: {}\n")
            let push = try #require(read.trigger("push"))
            #expect(push.filtersUnreadable)
            #expect(push.branches == nil && push.tags == nil && push.types == nil && push.workflows == nil)
        }

        @Test func eventWithAScalarValueIsReadWithoutFilters() throws {
            let push = try #require(try workflow("on:\n  push: main\njobs: {}\n").trigger("push"))
            #expect(push.filtersUnreadable)
            #expect(push.branches == nil)
        }

        @Test func yaml11BooleanKeyIsAcceptedForOn() throws {
            let read = try workflow("\"true\": [push]\njobs: {}\n")
            #expect(read.triggers.map(\.event) == ["push"])
            #expect(read.triggersSite?.pointer == "/true")
        }

        @Test func triggerEntryThatIsNotAStringIsAProblem() throws {
            let read = try workflow("on: [push, 5, {a: b}]\njobs: {}\n")
            #expect(read.triggers.map(\.event) == ["push"])
            #expect(read.problems.map(\.site.pointer) == ["/on/1", "/on/2"])
            #expect(read.problems[0].site.start == at(1, 12))
            #expect(read.problems[0].message == "trigger entry is a number, not an event name")
        }

        @Test func onOfAnotherTypeIsAProblem() throws {
            let read = try workflow("on: 5\njobs: {}\n")
            #expect(read.triggers.isEmpty)
            #expect(read.problems.count == 1)
            #expect(read.triggersSite != nil)
        }

        @Test func absentOn() throws {
            let read = try workflow("jobs: {}\n")
            #expect(read.triggers.isEmpty && read.triggersSite == nil && read.problems.isEmpty)
        }
    }
}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: permissions")
    struct Permissions {
        @Test func scopesWithPositions() throws {
            let yaml = """
            on: push
            permissions:
              contents: read
              id-token: write
            jobs:
              deploy:
                runs-on: x
                permissions:
                  id-token: read
              test:
                runs-on: x
                permissions: { contents: read }
            """
            let read = try workflow(yaml)
            let permissions = try #require(read.permissions)
            #expect(permissions.form == .scopes && permissions.idToken == .write)
            #expect(permissions.site.pointer == "/permissions")
            #expect(permissions.site.start == at(2, 1))
            #expect(permissions.idTokenSite?.pointer == "/permissions/id-token")
            #expect(permissions.idTokenSite?.start == at(4, 3))
            #expect(permissions.idTokenSite?.span.end.column == 18)
            #expect(permissions.grantSite == permissions.idTokenSite)
            let deploy = try #require(read.jobs[0].permissions)
            #expect(deploy.form == .scopes && deploy.idToken == .read)
            #expect(deploy.site.pointer == "/jobs/deploy/permissions")
            #expect(deploy.site.start == at(8, 5))
            #expect(deploy.idTokenSite?.start == at(9, 7))
            let test = try #require(read.jobs[1].permissions)
            #expect(test.form == .scopes && test.idToken == .none && test.idTokenSite == nil)
            #expect(test.grantSite == test.site)
            #expect(read.jobs[0].permissions != nil)
        }

        @Test(arguments: [
            ("write-all", WorkflowPermissions.Form.writeAll, WorkflowPermissions.Access.write, false),
            ("read-all", .readAll, .read, false),
            ("{}", .empty, .none, false),
            ("{id-token: none}", .scopes, .none, true),
            ("{id-token: read}", .scopes, .read, true),
            ("{id-token: write}", .scopes, .write, true),
            ("{id-token: writ}", .unreadable, .write, true),
            ("{id-token: Write}", .unreadable, .write, true),
            ("{id-token: '${{ inputs.token }}'}", .unreadable, .write, true),
            ("{id-token: 1}", .unreadable, .write, true),
            ("{id-token: }", .unreadable, .write, true),
            ("{ID-Token: write}", .scopes, .none, false),
            ("{id_token: write}", .scopes, .none, false),
            ("${{ inputs.permissions }}", .unreadable, .write, false),
            ("Write-All", .unreadable, .write, false),
            ("5", .unreadable, .write, false),
            ("[id-token]", .unreadable, .write, false),
            ("", .unreadable, .write, false),
        ])
        func forms(_ text: String, _ form: WorkflowPermissions.Form, _ idToken: WorkflowPermissions.Access, _ names: Bool) throws {
            let permissions = try #require(try workflow("on: push\npermissions: \(text)\njobs: {}\n").permissions)
            #expect(permissions.form == form)
            #expect(permissions.idToken == idToken)
            #expect((permissions.idTokenSite != nil) == names)
            #expect(permissions.site.start == at(2, 1))
        }

        @Test func absentPermissions() throws {
            let read = try workflow(oneJob("    steps: []\n"))
            #expect(read.permissions == nil && read.jobs[0].permissions == nil)
        }
    }
}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: jobs and calls")
    struct Jobs {
        @Test func jobsInOrderWithKeySites() throws {
            let yaml = """
            name: Deploy
            on: push
            jobs:
              build:
                name: Build it
                runs-on: x
              'deploy-prod':
                name: Deploy ${{ matrix.env }}
                runs-on: x
            """
            let read = try workflow(yaml)
            #expect(read.name?.value == "Deploy")
            #expect(read.name?.pointer == "/name")
            #expect(read.workflowClaim == "Deploy")
            #expect(read.jobs.map(\.id) == ["build", "deploy-prod"])
            #expect(read.jobs.map(\.site.pointer) == ["/jobs/build", "/jobs/deploy-prod"])
            #expect(read.jobs.map(\.site.start) == [at(4, 3), at(7, 3)])
            #expect(read.jobs[0].name == "Build it")
            #expect(read.jobs[1].name == nil)
            #expect(read.jobs[0].condition == .constant(true))
            #expect(read.problems.isEmpty)
        }

        @Test func workflowClaimFallsBackToThePath() throws {
            let read = try workflow("on: push\njobs: {}\n", file: "checkout/.github/workflows/ci.yaml")
            #expect(read.name == nil)
            #expect(read.workflowClaim == ".github/workflows/ci.yaml")
        }

        @Test(arguments: [
            ("repo/.github/workflows/deploy.yml", ".github/workflows/deploy.yml"),
            (".github/workflows/deploy.yml", ".github/workflows/deploy.yml"),
            ("/abs/a/.github/workflows/b/.github/workflows/c.yml", ".github/workflows/c.yml"),
            ("deploy.yml", ".github/workflows/deploy.yml"),
            ("ci/workflows/deploy.yml", ".github/workflows/deploy.yml"),
            ("repo\\.github\\workflows\\deploy.yml", ".github/workflows/deploy.yml"),
            ("x.github/workflows/deploy.yml", ".github/workflows/deploy.yml"),
        ])
        func path(_ file: String, _ expected: String) throws {
            #expect(try workflow("on: push\njobs: {}\n", file: file).path == expected)
        }

        @Test func malformedJobsAreProblems() throws {
            let yaml = """
            on: push
            jobs:
              a: 5
              b:
                runs-on: x
                steps: run tests
              c:
                runs-on: x
                steps:
                  - run: echo
                  - just text
                  - 7
              d: [x]
            """
            let read = try workflow(yaml)
            #expect(read.jobs.map(\.id) == ["b", "c"])
            #expect(read.problems.map(\.site.pointer) == ["/jobs/a", "/jobs/b/steps", "/jobs/c/steps/1", "/jobs/c/steps/2", "/jobs/d"])
            #expect(read.problems[0].site.start == at(3, 3))
            #expect(read.problems[0].message == "job 'a' is a number, not a mapping")
            #expect(read.problems[1].message == "'steps' is a string, not a list of steps")
        }

        @Test(arguments: ["jobs: 5", "jobs: [a, b]", "jobs: text", "jobs:"])
        func jobsNotAMappingIsAProblem(_ jobs: String) throws {
            let read = try workflow("on: push\n\(jobs)\n")
            #expect(read.jobs.isEmpty)
            #expect(read.problems.map(\.site.pointer) == ["/jobs"])
        }

        @Test func environments() throws {
            let yaml = """
            on: push
            env:
              STAGE: prod
            jobs:
              a:
                runs-on: x
                environment: production
              b:
                runs-on: x
                environment:
                  name: staging
                  url: https://example.com
              c:
                runs-on: x
                strategy:
                  matrix:
                    env: [dev, prod]
                environment: ${{ matrix.env }}
              d:
                runs-on: x
                environment: ${{ inputs.environment }}
              e:
                runs-on: x
                environment: ${{ env.STAGE }}
              f:
                runs-on: x
                environment:
                  url: https://example.com
              g:
                runs-on: x
              h:
                runs-on: x
                environment: { name: "${{ matrix['env'] }}-east" }
                strategy: { matrix: { env: [dev] } }
            """
            let jobs = try workflow(yaml).jobs
            #expect(jobs[0].environment?.text == "production")
            #expect(jobs[0].environment?.candidates == ["production"])
            #expect(jobs[0].environment?.site.pointer == "/jobs/a/environment")
            #expect(jobs[0].environment?.site.start == at(7, 18))
            #expect(jobs[1].environment?.candidates == ["staging"])
            #expect(jobs[1].environment?.site.pointer == "/jobs/b/environment/name")
            #expect(jobs[2].environment?.candidates == ["dev", "prod"])
            #expect(jobs[2].environment?.hasExpression == true)
            #expect(jobs[3].environment?.text == "${{ inputs.environment }}")
            #expect(jobs[3].environment?.candidates == nil)
            // `env` is not available to `jobs.<id>.environment`.
            #expect(jobs[4].environment?.candidates == nil)
            #expect(jobs[5].environment != nil && jobs[5].environment?.candidates == nil)
            #expect(jobs[6].environment == nil)
            #expect(jobs[7].environment?.candidates == ["dev-east"])
        }

        @Test func reusableWorkflowCalls() throws {
            let yaml = """
            on: push
            jobs:
              local:
                uses: ./.github/workflows/deploy.yml
              remote:
                uses: acme/infra/.github/workflows/deploy.yml@v2
                permissions:
                  id-token: write
              sha:
                uses: acme/infra/.github/workflows/nested/x.yml@0123456789abcdef
              odd:
                uses: ${{ inputs.target }}
              bad:
                uses: [x]
              steps:
                runs-on: x
                steps: []
            """
            let read = try workflow(yaml)
            let calls = read.jobs.map(\.call)
            #expect(calls[0]?.localPath == ".github/workflows/deploy.yml")
            #expect(calls[0]?.repository == nil)
            #expect(calls[0]?.uses.site.pointer == "/jobs/local/uses")
            #expect(calls[0]?.uses.site.start == at(4, 11))
            #expect(calls[1]?.repository == "acme/infra")
            #expect(calls[1]?.path == ".github/workflows/deploy.yml")
            #expect(calls[1]?.ref == "v2")
            #expect(calls[1]?.localPath == nil)
            #expect(calls[1]?.uses.candidates == ["acme/infra/.github/workflows/deploy.yml@v2"])
            #expect(read.jobs[1].permissions?.idToken == .write)
            #expect(calls[2]?.path == ".github/workflows/nested/x.yml")
            #expect(calls[2]?.ref == "0123456789abcdef")
            #expect(calls[3] != nil && calls[3]?.repository == nil && calls[3]?.localPath == nil && calls[3]?.uses.candidates == nil)
            #expect(calls[4] != nil && calls[4]?.uses.candidates == nil)
            #expect(calls[5] == nil)
            #expect(read.problems.map(\.site.pointer) == ["/jobs/bad/uses"])
        }
    }
}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: steps")
    struct Steps {
        @Test func credentialStepWithPositions() throws {
            let yaml = """
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - name: Configure
                    uses: aws-actions/configure-aws-credentials@v4
                    if: github.ref == 'refs/heads/main'
                    with:
                      role-to-assume: arn:aws:iam::123456789012:role/deploy
                      audience: sts.amazonaws.com
                      aws-region: eu-west-1
            """
            let read = try workflow(yaml)
            let step = try #require(read.jobs.first?.credentialSteps.first)
            #expect(step.uses.text == "aws-actions/configure-aws-credentials@v4")
            #expect(step.uses.site.pointer == "/jobs/deploy/steps/1/uses")
            #expect(step.uses.site.start == at(8, 15))
            #expect(step.roleToAssume?.text == "arn:aws:iam::123456789012:role/deploy")
            #expect(step.roleToAssume?.candidates == ["arn:aws:iam::123456789012:role/deploy"])
            #expect(step.roleToAssume?.site.pointer == "/jobs/deploy/steps/1/with/role-to-assume")
            #expect(step.roleToAssume?.site.start == at(11, 27))
            #expect(step.audience?.text == "sts.amazonaws.com")
            #expect(step.region?.text == "eu-west-1")
            #expect(step.condition == .refIs("refs/heads/main"))
            #expect(!step.roleChaining && !step.usesOtherCredentials && step.usesWebIdentity)
            #expect(read.jobs[0].otherActions.isEmpty)
            #expect(!read.jobs[0].runMayAssume)
        }

        @Test(arguments: [
            "aws-actions/configure-aws-credentials@v4",
            "AWS-Actions/Configure-AWS-Credentials@V4",
            "myfork/configure-aws-credentials@main",
            "aws-actions/configure-aws-credentials",
            "aws-actions/configure-aws-credentials@0123456789abcdef0123456789abcdef01234567",
            "./actions/configure-aws-credentials",
        ])
        func credentialActionNames(_ uses: String) throws {
            let step = try credentialStep(oneJob("    steps:\n      - uses: '\(uses)'\n        with: { role-to-assume: r }\n"))
            #expect(step.roleToAssume?.text == "r")
        }

        @Test(arguments: [
            "configure-aws-credentials@v4",
            "aws-actions/configure-aws-credentials-extra@v4",
            "aws-actions/configure-aws-credentials/sub@v4",
        ])
        func otherActionNamesAreNotCredentialSteps(_ uses: String) throws {
            let read = try job(oneJob("    steps:\n      - uses: '\(uses)'\n        with: { role-to-assume: r }\n"))
            #expect(read.credentialSteps.isEmpty)
            #expect(read.otherActions.map(\.text) == [uses])
        }

        @Test(arguments: [
            ("role-chaining: true", true),
            ("role-chaining: 'true'", true),
            ("role-chaining: ' TRUE '", true),
            ("role-chaining: false", false),
            ("role-chaining: ${{ inputs.chain }}", false),
            ("role-chaining: yes", false),
            ("role-chaining: 1", false),
        ])
        func roleChaining(_ input: String, _ expected: Bool) throws {
            let step = try credentialStep(oneJob("    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: r\n          \(input)\n"))
            #expect(step.roleChaining == expected)
            #expect(step.usesWebIdentity == !expected)
        }

        @Test(arguments: [
            ("aws-access-key-id: ${{ secrets.KEY }}", true),
            ("aws-access-key-id: AKIAEXAMPLE", true),
            ("aws-access-key-id: ''", false),
            ("aws-access-key-id: '  '", false),
            ("aws-access-key-id:", false),
            ("web-identity-token-file: /tmp/token", true),
            ("web-identity-token-file: ''", false),
            ("aws-region: us-east-1", false),
        ])
        func otherCredentials(_ input: String, _ expected: Bool) throws {
            let step = try credentialStep(oneJob("    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: r\n          \(input)\n"))
            #expect(step.usesOtherCredentials == expected)
        }

        @Test func emptyInputsAreAbsent() throws {
            let step = try credentialStep(oneJob("    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: ''\n          audience:\n          aws-region: ' '\n"))
            #expect(step.roleToAssume == nil && step.audience == nil && step.region == nil)
            #expect(!step.usesWebIdentity)
            let bare = try credentialStep(oneJob("    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n"))
            #expect(bare.roleToAssume == nil)
        }

        @Test func unreadableWithIsAnyRoleAndAProblem() throws {
            let read = try workflow(oneJob("    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with: ${{ fromJSON(inputs.with) }}\n"))
            let step = try #require(read.jobs.first?.credentialSteps.first)
            #expect(step.roleToAssume?.candidates == nil)
            #expect(step.usesWebIdentity)
            #expect(read.problems.map(\.site.pointer) == ["/jobs/deploy/steps/0/with"])
        }

        @Test func otherActions() throws {
            let yaml = oneJob("""
                steps:
                  - uses: actions/checkout@v4
                  - uses: Actions/Checkout@v4
                  - uses: actions/setup-node@v4
                  - uses: actions/setup-python@v5
                  - uses: actions/cache@v4
                  - uses: actions/cache/restore@v4
                  - uses: actions/upload-artifact@v4
                  - uses: actions/download-artifact@v4
                  - uses: docker/login-action@v3
                  - uses: Docker/build-push-action@v6
                  - uses: ./.github/actions/deploy
                  - uses: acme/assume-role-action@v1
                  - uses: docker://alpine:3
                  - uses: actions/github-script@v7
                  - uses: actions
                  - uses: 5
                  - run: echo hi

            """)
            let read = try job(yaml)
            #expect(read.otherActions.map(\.text) == ["./.github/actions/deploy", "acme/assume-role-action@v1", "docker://alpine:3",
                                                      "actions/github-script@v7", "actions", "5"])
            #expect(read.otherActions[0].site.pointer == "/jobs/deploy/steps/10/uses")
            #expect(read.credentialSteps.isEmpty)
        }

        @Test(arguments: [
            ("aws sts assume-role --role-arn arn:aws:iam::1:role/x --role-session-name s", true),
            ("AWS STS ASSUME-ROLE-WITH-WEB-IDENTITY", true),
            ("aws sts get-caller-identity", false),
            ("AWS sts get-caller-identity; aws s3 ls", false),
            ("curl -H \"Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN\" \"$ACTIONS_ID_TOKEN_REQUEST_URL\"", true),
            ("aws eks update-kubeconfig --role-arn arn:aws:iam::1:role/x", true),
            ("python -c \"import boto3; boto3.client('sts').assume_role(RoleArn='x')\"", true),
            ("echo sts.amazonaws.com", true),
            ("echo sts token", true),
            ("echo posts done", false),
            ("aws s3 sync dist s3://bucket", false),
            ("npm test", false),
        ])
        func runScripts(_ script: String, _ mayAssume: Bool) throws {
            let read = try job(oneJob("    steps:\n      - run: |\n          \(script)\n"))
            #expect(read.runMayAssume == mayAssume)
        }
    }
}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: values and their candidates")
    struct Values {
        /// The candidates of the first credential step's `role-to-assume` in a workflow with `workflowEnv`, a job with
        /// `jobExtra` and a step with `stepExtra`.
        private func roleCandidates(_ role: String, workflowEnv: String = "", jobExtra: String = "", stepExtra: String = "",
                                    before: String = "") throws -> [String]? {
            let yaml = workflowEnv + "on: push\njobs:\n  deploy:\n    runs-on: x\n" + jobExtra + "    steps:\n" + before
                + "      - uses: aws-actions/configure-aws-credentials@v4\n" + stepExtra
                + "        with:\n          role-to-assume: \"\(role)\"\n"
            return try #require(try credentialStep(yaml).roleToAssume).candidates
        }

        @Test func envResolutionOrder() throws {
            let workflowEnv = "env:\n  ROLE: wf\n  ONLY_WF: w\n  ACCOUNT: 123456789012\n"
            let jobEnv = "    env:\n      ROLE: job\n      ONLY_JOB: j\n"
            let stepEnv = "        env:\n          ROLE: step\n"
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: workflowEnv, jobExtra: jobEnv, stepExtra: stepEnv) == ["step"])
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: workflowEnv, jobExtra: jobEnv) == ["job"])
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: workflowEnv) == ["wf"])
            #expect(try roleCandidates("${{ env.ONLY_WF }}-${{ env.ONLY_JOB }}", workflowEnv: workflowEnv, jobExtra: jobEnv) == ["w-j"])
            #expect(try roleCandidates("arn:aws:iam::${{ env.ACCOUNT }}:role/x", workflowEnv: workflowEnv) == ["arn:aws:iam::123456789012:role/x"])
            #expect(try roleCandidates("${{ env['ROLE'] }}", workflowEnv: workflowEnv) == ["wf"])
            #expect(try roleCandidates("${{ ENV.ROLE }}", workflowEnv: workflowEnv) == ["wf"])
            #expect(try roleCandidates("${{env.ROLE}}", workflowEnv: workflowEnv) == ["wf"])
        }

        @Test func envValuesThatAreNotLiteralsAreUndecided() throws {
            // The innermost definition decides, even when it is an expression: no fall-through to an outer literal.
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: "env:\n  ROLE: wf\n", jobExtra: "    env:\n      ROLE: ${{ vars.ROLE }}\n") == nil)
            #expect(try roleCandidates("${{ env.MISSING }}", workflowEnv: "env:\n  ROLE: wf\n") == nil)
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: "env:\n  ROLE: wf\n  role: other\n") == nil)
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: "env: ${{ fromJSON(vars.ENV) }}\n") == nil)
            #expect(try roleCandidates("${{ env.ACCOUNT }}", workflowEnv: "env:\n  ACCOUNT: 012345678901\n") == nil)
            #expect(try roleCandidates("${{ env.ACCOUNT }}", workflowEnv: "env:\n  ACCOUNT: 1.5\n") == nil)
            #expect(try roleCandidates("${{ env.FLAG }}", workflowEnv: "env:\n  FLAG: true\n") == ["true"])
            // A step that writes $GITHUB_ENV may change env for the steps after it.
            #expect(try roleCandidates("${{ env.ROLE }}", workflowEnv: "env:\n  ROLE: wf\n",
                                       before: "      - run: echo \"ROLE=other\" >> $GITHUB_ENV\n") == nil)
        }

        @Test(arguments: [
            "${{ secrets.ROLE }}", "${{ vars.ROLE }}", "${{ inputs.role }}", "${{ github.repository }}", "${{ steps.a.outputs.role }}",
            "${{ needs.build.outputs.role }}", "${{ format('{0}', env.ROLE) }}", "${{ env }}", "${{ env.ROLE.x }}", "${{ matrix }}",
            "${{ env.ROLE", "arn:${{ ", "${{ 'a' == 'b' }}", "${{ env.ROLE || 'x' }}",
        ])
        func undecidedExpressions(_ role: String) throws {
            #expect(try roleCandidates(role, workflowEnv: "env:\n  ROLE: wf\n") == nil)
        }

        @Test func literalValues() throws {
            #expect(try roleCandidates("arn:aws:iam::123456789012:role/x") == ["arn:aws:iam::123456789012:role/x"])
            #expect(try roleCandidates("${{ 'arn:aws:iam::1:role/x' }}") == ["arn:aws:iam::1:role/x"])
            #expect(try roleCandidates("${{ '}}' }}") == ["}}"])
        }

        @Test func matrices() throws {
            let matrix = "    strategy:\n      matrix:\n        role: [dev, prod]\n        account: ['111111111111', '222222222222']\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: matrix) == ["dev", "prod"])
            #expect(try roleCandidates("${{ matrix['role'] }}", jobExtra: matrix) == ["dev", "prod"])
            #expect(try roleCandidates("arn:aws:iam::${{ matrix.account }}:role/${{ matrix.role }}", jobExtra: matrix) == [
                "arn:aws:iam::111111111111:role/dev", "arn:aws:iam::111111111111:role/prod",
                "arn:aws:iam::222222222222:role/dev", "arn:aws:iam::222222222222:role/prod",
            ])
            #expect(try roleCandidates("${{ matrix.missing }}", jobExtra: matrix) == nil)
            #expect(try roleCandidates("${{ matrix.role }}") == nil)
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: "    strategy:\n      matrix: ${{ fromJSON(needs.a.outputs.m) }}\n") == nil)
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: "    strategy: ${{ fromJSON(vars.S) }}\n") == nil)
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: "    strategy:\n      matrix:\n        role: ${{ fromJSON(vars.R) }}\n") == nil)
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: "    strategy:\n      matrix:\n        role: [dev, 1]\n") == nil)
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: "    strategy:\n      matrix:\n        role: [dev, '${{ vars.X }}']\n") == nil)
        }

        @Test func matrixIncludes() throws {
            let include = """
                strategy:
                  matrix:
                    role: [dev]
                    include:
                      - role: prod
                      - role: dev
                        extra: 1

            """
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: include) == ["dev", "prod"])
            let onlyInclude = "    strategy:\n      matrix:\n        include:\n          - role: a\n          - role: b\n          - other: c\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: onlyInclude) == ["a", "b", ""])
            // An entry that overwrites a dimension may form a combination of its own, without the variable.
            let newCombination = "    strategy:\n      matrix:\n        role: [dev]\n        os: [linux]\n        include:\n          - os: windows\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: newCombination) == ["dev", ""])
            // A variable only includes define is empty in the combinations they do not extend.
            let partial = "    strategy:\n      matrix:\n        os: [linux, mac]\n        include:\n          - os: linux\n            role: r\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: partial) == ["r", ""])
            let expressionEntry = "    strategy:\n      matrix:\n        role: [dev]\n        include:\n          - role: ${{ vars.R }}\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: expressionEntry) == nil)
            let expressionInclude = "    strategy:\n      matrix:\n        role: [dev]\n        include: ${{ fromJSON(vars.I) }}\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: expressionInclude) == nil)
            let excluded = "    strategy:\n      matrix:\n        role: [dev, prod]\n        exclude:\n          - role: prod\n"
            #expect(try roleCandidates("${{ matrix.role }}", jobExtra: excluded) == ["dev", "prod"])
        }

        @Test func candidatesAreCapped() throws {
            let nine = "[" + (1...9).map { "'v\($0)'" }.joined(separator: ", ") + "]"
            let matrix = "    strategy:\n      matrix:\n        a: \(nine)\n        b: \(nine)\n        c: [x, y]\n"
            #expect(try roleCandidates("${{ matrix.a }}${{ matrix.c }}", jobExtra: matrix)?.count == 18)
            #expect(try roleCandidates("${{ matrix.a }}-${{ matrix.b }}", jobExtra: matrix) == nil)
        }

        @Test func scopeResolvesOnlyWhatItHolds() {
            #expect(WorkflowValueScope.literalOnly.candidates("plain") == ["plain"])
            #expect(WorkflowValueScope.literalOnly.candidates("${{ env.X }}") == nil)
            #expect(WorkflowValueScope.literalOnly.candidates("a${{ 'b' }}c${{ 'd' }}") == ["abcd"])
            #expect(WorkflowInterpolation.segments("a${{ 'x}}' }}b") == [.text("a"), .expression(" 'x}}' "), .text("b")])
            #expect(WorkflowInterpolation.segments("a${{ b") == nil)
        }
    }
}

extension GitHubWorkflowReaderTests {
    @Suite("GitHub workflows: recognition and robustness")
    struct Robustness {
        @Test(arguments: [
            ("on: push\njobs: {}\n", true),
            ("\"true\": push\njobs: {}\n", true),
            ("jobs:\n  a:\n    runs-on: x\n", true),
            ("jobs:\n  a:\n    uses: ./.github/workflows/x.yml\n", true),
            ("jobs:\n  a:\n    steps: []\n", false),
            ("on: push\n", false),
            ("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", false),
            ("- on\n- jobs\n", false),
            ("jobs: 5\n", false),
            ("text\n", false),
        ])
        func recognition(_ yaml: String, _ expected: Bool) throws {
            let tree = try YAMLParser(options: .init()).parse(yaml)
            #expect(GitHubWorkflowReader.isWorkflow(tree) == expected)
        }

        @Test(arguments: ["- a\n- b\n", "text\n", "5\n", "~\n", "{}\n"])
        func rootsThatAreNotWorkflows(_ yaml: String) throws {
            let read = try workflow(yaml)
            #expect(read.jobs.isEmpty && read.triggers.isEmpty)
        }

        @Test func nonMappingRootIsAProblem() throws {
            let read = try workflow("- a\n")
            #expect(read.problems.map(\.site.pointer) == [""])
        }

        @Test func scalarsWhereStringsAreExpected() throws {
            let yaml = """
            name: 5
            on: {push: {branches: [1]}, 7: null}
            permissions: 3
            env: [a]
            jobs:
              a:
                name: [x]
                if: [x]
                runs-on: 5
                environment: 9
                permissions: [id-token]
                strategy: [x]
                env: 4
                steps:
                  - uses: aws-actions/configure-aws-credentials@v4
                    if: {a: b}
                    env: 5
                    with:
                      role-to-assume: 12
                      audience: [a]
                      aws-region: {a: b}
                      role-chaining: [true]
                      aws-access-key-id: 0
                  - run: 5
                  - uses: aws-actions/configure-aws-credentials@v4
                    with:
                      role-to-assume: ${{ env.X }}
            """
            let read = try workflow(yaml)
            #expect(read.name == nil)
            #expect(read.permissions?.form == .unreadable)
            let job = try #require(read.jobs.first)
            #expect(job.condition == .unknown)
            #expect(job.environment?.candidates == nil)
            #expect(job.permissions?.idToken == .write)
            let step = try #require(job.credentialSteps.first)
            #expect(step.condition == .unknown)
            #expect(step.roleToAssume?.text == "12" && step.roleToAssume?.candidates == nil)
            #expect(step.audience?.candidates == nil)
            #expect(!step.roleChaining)
            #expect(step.usesOtherCredentials)
            #expect(job.credentialSteps[1].roleToAssume?.candidates == nil)
        }

        @Test func largeWorkflowIsRead() throws {
            var yaml = "on: push\njobs:\n"
            for index in 0..<500 {
                yaml += "  job\(index):\n    runs-on: x\n    if: github.ref == 'refs/heads/b\(index)'\n    steps:\n"
                yaml += "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: r\(index)\n"
            }
            let read = try workflow(yaml)
            #expect(read.jobs.count == 500)
            #expect(read.jobs[499].condition == .refIs("refs/heads/b499"))
            #expect(read.jobs[499].credentialSteps.first?.roleToAssume?.text == "r499")
        }

        /// Seeded mutations of real-shaped workflows: every tree the YAML parser yields is read without a crash, and
        /// conditions built from the grammar's tokens never crash either.
        @Test func randomMutationsNeverCrash() {
            var random = SplitMix64(seed: 0x1A3_A0D1)
            let bases = [Self.fullWorkflow, Self.matrixWorkflow]
            let fragments = ["${{", "}}", "[", "]", "{", "}", ":", "- ", "'", "\"", "true", "null", "5", "(", ")", "!", "&&", "||",
                             "==", "env.", "matrix.", "github.ref", " ", "\n", "  ", "#", "*", "&a", "*a", ",", "on", "jobs", "steps"]
            var parsed = 0
            for _ in 0..<400 {
                var lines = bases[Int(random.next() % UInt64(bases.count))].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let line = Int(random.next() % UInt64(lines.count))
                    switch random.next() % 4 {
                    case 0: lines.remove(at: line)
                    case 1: lines.insert(lines[line], at: line)
                    case 2:
                        var text = Array(lines[line])
                        let position = text.isEmpty ? 0 : Int(random.next() % UInt64(text.count + 1))
                        text.insert(contentsOf: fragments[Int(random.next() % UInt64(fragments.count))], at: position)
                        lines[line] = String(text)
                    default:
                        var text = Array(lines[line])
                        if !text.isEmpty { text.remove(at: Int(random.next() % UInt64(text.count))) }
                        lines[line] = String(text)
                    }
                    if lines.isEmpty { lines = ["on: push"] }
                }
                guard let tree = try? YAMLParser(options: .init()).parse(lines.joined(separator: "\n")) else { continue }
                parsed += 1
                _ = GitHubWorkflowReader.isWorkflow(tree)
                _ = GitHubWorkflowReader.read(tree, file: "fuzz.yml")
                _ = GitHubWorkflowReader.read(Self.scramble(tree, &random, depth: 0), file: "fuzz.yml")
            }
            #expect(parsed > 100)

            let tokens = ["github.event_name", "github.ref", "GITHUB.REF_NAME", "github['ref']", "'push'", "'refs/tags/'", "'it''s'",
                          "==", "!=", "&&", "||", "!", "(", ")", "[", "]", ",", ".", "*", "startsWith(", "success()", "always()",
                          "failure()", "true", "false", "null", "1", "0x1", "-2.5e3", "${{", "}}", "'", "contains(", "<", ">="]
            let safeTokens = tokens.filter { !["false", "!", "!=", "==", "null", "'", "(", ")", "0x1", "-2.5e3", "1"].contains($0) }
            for round in 0..<3000 {
                let pool = round % 2 == 0 ? tokens : safeTokens
                let count = 1 + Int(random.next() % 12)
                let text = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }.joined(separator: " ")
                let condition = GitHubWorkflowReader.condition(text)
                if round % 2 == 1 {
                    // Without `false`, `!`, comparisons, `null` or numbers, nothing can be read as never true.
                    #expect(!Self.holdsFalse(condition), "\(text) read as \(condition)")
                }
            }
        }

        private static func holdsFalse(_ condition: JobCondition) -> Bool {
            switch condition {
            case .constant(false), .not: true
            case .all(let parts), .any(let parts): parts.contains(where: holdsFalse)
            default: false
            }
        }

        /// `node` with some subtrees replaced by scalars, lists and mappings of the wrong kind.
        private static func scramble(_ node: JSONNode, _ random: inout SplitMix64, depth: Int) -> JSONNode {
            if depth > 0, random.next() % 7 == 0 {
                let replacements: [JSONValue] = [.null, .bool(true), .number("7"), .string("${{ x }}"), .array([]), .object([]),
                                                 .array([JSONNode(.number("1"), span: node.span)])]
                return JSONNode(replacements[Int(random.next() % UInt64(replacements.count))], span: node.span)
            }
            switch node.value {
            case .array(let elements):
                return JSONNode(.array(elements.map { scramble($0, &random, depth: depth + 1) }), span: node.span)
            case .object(let members):
                return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: $0.keySpan, value: scramble($0.value, &random, depth: depth + 1)) }),
                                span: node.span)
            default:
                return node
            }
        }

        static let fullWorkflow = """
        name: Deploy
        on:
          push:
            branches: [main]
            tags: ['v*']
          pull_request:
          workflow_dispatch: {}
        permissions:
          id-token: write
        env:
          ACCOUNT: '123456789012'
        jobs:
          deploy:
            if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')
            runs-on: ubuntu-latest
            environment: { name: production, url: https://example.com }
            permissions: { id-token: write, contents: read }
            env:
              ROLE: deploy
            steps:
              - uses: actions/checkout@v4
              - uses: aws-actions/configure-aws-credentials@v4
                if: ${{ always() }}
                with:
                  role-to-assume: arn:aws:iam::${{ env.ACCOUNT }}:role/${{ env.ROLE }}
                  aws-region: us-east-1
                  role-chaining: false
              - run: aws sts get-caller-identity
          call:
            uses: acme/infra/.github/workflows/x.yml@v1
        """

        static let matrixWorkflow = """
        on: [push, pull_request]
        jobs:
          deploy:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                env: [dev, prod]
                include:
                  - env: test
                    region: eu-west-1
            environment: ${{ matrix.env }}
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: ${{ matrix['env'] }}-deployer
                  aws-access-key-id: ${{ secrets.KEY }}
              - uses: ./.github/actions/x
          local:
            uses: ./.github/workflows/y.yml
        """
    }
}

/// A small seeded generator, so that a failure reproduces.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
