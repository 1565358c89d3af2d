import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import Testing

/// `iam-audit simulate --workflow FILE --job NAME`: which roles a job can assume, on the seed's own pipelines.
@Suite("Simulate a workflow job")
struct SimulateWorkflowTests {
    static func run(_ arguments: [String]) -> RunResult {
        iamAudit(["simulate"] + arguments, workingDirectory: PackageRoot.url.path)
    }

    static func json(_ result: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
    }

    static func roles(_ report: [String: Any]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for role in report["roles"] as? [[String: Any]] ?? [] { result[role["name"] as? String ?? ""] = role }
        return result
    }

    static let dev = "GitHubActions-template-sender-engine-dev"
    static let prod = "GitHubActions-template-sender-engine-prod"

    @Test("the hardened dev deploy job assumes the dev role only, with its environment subject")
    func hardenedDeploy() throws {
        let result = Self.run(["--workflow", "policies/.github/workflows/dev_cicd.yml", "--job", "build-and-deploy-dev", "--format", "json"])
        #expect(result.code == .success, "\(result.stderr)")
        let roles = Self.roles(try Self.json(result))
        #expect(roles[Self.dev]?["canAssume"] as? Bool == true)
        #expect(roles[Self.prod]?["canAssume"] as? Bool == false)
        let witness = try #require(roles[Self.dev]?["witness"] as? [String: String])
        #expect(witness["sub"] == "repo:junksamiad/template-sender-engine:environment:dev")
    }

    @Test("the documented pr_checks job reaches both roles; the hardened one reaches none")
    func pullRequestChecks() throws {
        let documented = Self.run(["--workflow", "fixtures/seed-as-documented/.github/workflows/prod_cicd.yml", "--job", "pr_checks",
                                   "--format", "json"])
        #expect(documented.code == .success, "\(documented.stderr)")
        let roles = Self.roles(try Self.json(documented))
        #expect(roles[Self.prod]?["canAssume"] as? Bool == true)
        #expect(roles[Self.dev]?["canAssume"] as? Bool == true)
        let hardened = Self.run(["--workflow", "policies/.github/workflows/prod_cicd.yml", "--job", "pr_checks"])
        #expect(hardened.code == .findings)
        #expect(hardened.stdout.contains("holds id-token: none, so it cannot mint a token"), "\(hardened.stdout)")
    }

    @Test("every witness is allowed by simulate of the trust policy it names")
    func witnessesAgreeWithSimulate() throws {
        let result = Self.run(["--workflow", "fixtures/seed-as-documented/.github/workflows/dev_cicd.yml", "--job", "pr_checks",
                               "--format", "json"])
        for role in (try Self.json(result))["roles"] as? [[String: Any]] ?? [] {
            guard let witness = role["witness"] as? [String: String], let file = role["file"] as? String else { continue }
            var arguments = [file, "--sub", witness["sub"] ?? ""]
            for (key, value) in witness.sorted(by: { $0.key < $1.key }) where key != "sub" && key != "iss" {
                arguments += key == "aud" ? ["--aud", value] : ["--claim", "\(key)=\(value)"]
            }
            let simulated = Self.run(arguments)
            #expect(simulated.code == .success, "\(arguments): \(simulated.stdout) \(simulated.stderr)")
        }
    }

    @Test("the branch-pinned deploy is denied on its one event and ref; a pull_request never runs the deploy job")
    func denied() throws {
        let pinned = Self.run(["--workflow", "fixtures/seed-branch-pinned/.github/workflows/prod_cicd.yml", "--job", "build-and-deploy-prod",
                               "--event", "push", "--ref", "refs/heads/main"])
        #expect(pinned.code == .findings)
        #expect(pinned.stdout.contains("presents sub 'repo:junksamiad/template-sender-engine:environment:prod'"), "\(pinned.stdout)")
        #expect(pinned.stdout.contains("cannot assume role \(Self.prod)"), "\(pinned.stdout)")
        let never = Self.run(["--workflow", "policies/.github/workflows/prod_cicd.yml", "--job", "build-and-deploy-prod", "--event", "pull_request"])
        #expect(never.code == .findings)
        #expect(never.stdout.contains("it never runs on the event and ref given"), "\(never.stdout)")
    }

    @Test("a stranger's pull_request_target job is shown with the token the trust admits")
    func stranger() {
        let result = Self.run(["--workflow", "fixtures/workflows/pull-request-target/.github/workflows/label.yml", "--job", "label"])
        #expect(result.code == .success)
        #expect(result.stdout.contains("(anyone can cause it)"))
        #expect(result.stdout.contains("can assume role deploy-prod"))
        #expect(result.stdout.contains("sub 'repo:example-org/deploy:ref:refs/heads/main'"))
    }

    @Test("a missing job, a missing --job and a short ref are errors with exit 2")
    func errors() {
        let missing = Self.run(["--workflow", "policies/.github/workflows/dev_cicd.yml", "--job", "pr_check"])
        #expect(missing.code == .failure)
        #expect(missing.stderr.contains("no job 'pr_check' (did you mean 'pr_checks'?)"), "\(missing.stderr)")
        #expect(Self.run(["--workflow", "policies/.github/workflows/dev_cicd.yml"]).code == .failure)
        #expect(Self.run(["--workflow", "policies/.github/workflows/dev_cicd.yml", "--job", "x", "--ref", "main"]).code == .failure)
        #expect(Self.run(["--workflow", "policies/.github/workflows/dev_cicd.yml", "--job", "x", "--sub", "repo:a/b:ref:x"]).code == .failure)
        let notWorkflow = Self.run(["--workflow", "policies/dev/trust-policy.json", "--job", "x"])
        #expect(notWorkflow.code == .failure)
        #expect(notWorkflow.stderr.contains("not read as a GitHub workflow"), "\(notWorkflow.stderr)")
    }
}
