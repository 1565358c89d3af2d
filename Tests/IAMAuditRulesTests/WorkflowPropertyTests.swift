@testable import IAMAuditRules
import IAMPolicy
import Testing

/// Generated workflows against generated trusts, judged by an oracle written here from GitHub's documented token
/// claims and AWS's evaluation (``TrustSimulation``), not from the workflow model:
/// - the audit never crashes and every WF finding points into a file of the run;
/// - every WF001/WF002 witness is a token the job can mint (its subject is one the oracle lists for the job) and one
///   the role's trust admits;
/// - every concrete token the oracle mints for a job holding `id-token: write` that a role it does not assume admits
///   is reported (WF001 or WF002) at the job's grant.
@Suite("Workflow rules, property-tested")
struct WorkflowPropertyTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    static let repository = "example-org/deploy"

    /// One generated job, with what the oracle needs to know of it.
    struct Job {
        var id: String
        var environments: [String]?   // nil: no environment; ["*"]: any name
        var permissions: String?        // job-level block, as written
        var condition: String?          // if:
        var role: String?               // literal role name, "${{ secrets.ROLE }}", or nil
        var composite: Bool
        var callsReusable = false       // `uses: ./.github/workflows/reusable.yml`: no steps of its own
    }

    /// The reusable workflow some generated jobs call: one job, `inner`, with its own environment, grant and role.
    struct Reusable {
        var text: String
        var workflowPermissions: String?
        var job: Job
    }

    static let triggers: [(yaml: String, events: [(event: String, refs: [String])])] = [
        ("push:\n    branches: [main]", [("push", ["refs/heads/main"])]),
        ("push:\n    branches: [develop]", [("push", ["refs/heads/develop"])]),
        ("push:", [("push", ["refs/heads/main", "refs/heads/develop", "refs/heads/feature", "refs/tags/v1"])]),
        ("pull_request:", [("pull_request", ["refs/pull/7/merge"])]),
        ("pull_request_target:", [("pull_request_target", ["refs/heads/main"])]),
        ("issue_comment:\n    types: [created]", [("issue_comment", ["refs/heads/main"])]),
        ("workflow_dispatch:", [("workflow_dispatch", ["refs/heads/main", "refs/heads/feature"])]),
    ]

    static let subjects: [[String]] = [
        ["repo:example-org/deploy:environment:prod"], ["repo:example-org/deploy:environment:dev"],
        ["repo:example-org/deploy:ref:refs/heads/main"], ["repo:example-org/deploy:ref:refs/heads/develop"],
        ["repo:example-org/deploy:*"], ["repo:example-org/deploy:pull_request"], ["repo:example-org/*"],
        ["repo:example-org/deploy:ref:refs/heads/*"], ["repo:example-org/deploy:environment:*"],
    ]

    /// The condition forms and, per event and ref, whether the job may run.
    static let conditions: [(text: String?, runs: @Sendable (String, String) -> Bool)] = [
        (nil, { _, _ in true }),
        ("github.event_name == 'push'", { event, _ in event == "push" }),
        ("github.event_name == 'pull_request'", { event, _ in event == "pull_request" }),
        ("github.event_name == 'push' && github.ref == 'refs/heads/main'", { event, ref in event == "push" && ref == "refs/heads/main" }),
        ("github.actor == 'octocat'", { _, _ in true }),
        ("${{ !cancelled() }}", { _, _ in true }),
        ("github.event_name != 'pull_request'", { event, _ in event != "pull_request" }),
    ]

    static func workflow(_ generator: inout Generator) -> (text: String, events: [(event: String, refs: [String])], workflowPermissions: String?, jobs: [Job], conditions: [Int]) {
        var events: [(event: String, refs: [String])] = []
        var lines = ["name: generated", "on:"]
        var used = Set<String>()
        for _ in 0..<(1 + Int(generator.next() % 3)) {
            let trigger = generator.pick(triggers)
            guard used.insert(trigger.events[0].event).inserted else { continue }
            lines.append("  " + trigger.yaml)
            events += trigger.events
        }
        let workflowPermissions = generator.pick([nil, "id-token: write", "write-all", "contents: read"] as [String?])
        if let workflowPermissions {
            lines.append(workflowPermissions == "write-all" ? "permissions: write-all" : "permissions:\n  \(workflowPermissions)")
        }
        lines.append("jobs:")
        var jobs: [Job] = []
        var conditionIndices: [Int] = []
        for index in 0..<(1 + Int(generator.next() % 3)) {
            let environment = generator.pick([nil, "dev", "prod", "${{ matrix.env }}", "${{ inputs.env }}"] as [String?])
            let permissions = generator.pick([nil, "id-token: write", "write-all", "contents: read"] as [String?])
            let conditionIndex = Int(generator.next() % UInt64(conditions.count))
            let role = generator.pick([nil, "deploy-dev", "deploy-prod", "${{ secrets.ROLE }}"] as [String?])
            let composite = generator.chance(15)
            let id = "job\(index)"
            lines.append("  \(id):")
            if let text = conditions[conditionIndex].text { lines.append("    if: \(text)") }
            if generator.chance(25) {
                // A caller: `environment` and `steps` are not allowed beside `uses`.
                if let permissions {
                    lines.append(permissions == "write-all" ? "    permissions: write-all" : "    permissions:\n      \(permissions)")
                }
                lines.append("    uses: ./.github/workflows/reusable.yml")
                jobs.append(Job(id: id, environments: nil, permissions: permissions, condition: conditions[conditionIndex].text,
                                role: nil, composite: false, callsReusable: true))
                conditionIndices.append(conditionIndex)
                continue
            }
            lines.append("    runs-on: ubuntu-latest")
            var environments: [String]?
            switch environment {
            case "${{ matrix.env }}":
                lines.append("    strategy:\n      matrix:\n        env: [dev, prod]")
                lines.append("    environment: ${{ matrix.env }}")
                environments = ["dev", "prod"]
            case "${{ inputs.env }}":
                lines.append("    environment: ${{ inputs.env }}")
                environments = ["*"]
            case let name?:
                lines.append("    environment: \(name)")
                environments = [name]
            case nil:
                break
            }
            if let permissions {
                lines.append(permissions == "write-all" ? "    permissions: write-all" : "    permissions:\n      \(permissions)")
            }
            lines.append("    steps:")
            lines.append("      - run: make test")
            if composite { lines.append("      - uses: ./.github/actions/deploy") }
            if let role {
                let arn = role.hasPrefix("${{") ? role : "arn:aws:iam::111122223333:role/\(role)"
                lines.append("      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: \(arn)\n          aws-region: eu-west-1")
            }
            jobs.append(Job(id: id, environments: environments, permissions: permissions, condition: conditions[conditionIndex].text,
                            role: role, composite: composite))
            conditionIndices.append(conditionIndex)
        }
        return (lines.joined(separator: "\n") + "\n", events, workflowPermissions, jobs, conditionIndices)
    }

    static func reusable(_ generator: inout Generator) -> Reusable {
        let workflowPermissions = generator.pick([nil, "id-token: write", "contents: read"] as [String?])
        let permissions = generator.pick([nil, "id-token: write", "contents: read"] as [String?])
        let environment = generator.pick([nil, "dev", "prod"] as [String?])
        let role = generator.pick(["deploy-dev", "deploy-prod", "${{ secrets.ROLE }}"])
        var lines = ["name: reusable", "on: workflow_call"]
        if let workflowPermissions { lines.append("permissions:\n  \(workflowPermissions)") }
        lines += ["jobs:", "  inner:", "    runs-on: ubuntu-latest"]
        if let environment { lines.append("    environment: \(environment)") }
        if let permissions { lines.append("    permissions:\n      \(permissions)") }
        let arn = role.hasPrefix("${{") ? role : "arn:aws:iam::111122223333:role/\(role)"
        lines.append("    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: \(arn)\n          aws-region: eu-west-1")
        return Reusable(text: lines.joined(separator: "\n") + "\n", workflowPermissions: workflowPermissions,
                        job: Job(id: "inner", environments: environment.map { [$0] }, permissions: permissions, condition: nil,
                                 role: role, composite: false))
    }

    /// The concrete tokens the oracle says a job mints: per event and ref it runs on, per environment.
    static func tokens(of job: Job, condition: Int, events: [(event: String, refs: [String])]) -> [[String: String]] {
        var result: [[String: String]] = []
        for (event, refs) in events {
            for ref in refs where conditions[condition].runs(event, ref) {
                var base = ["aud": "sts.amazonaws.com", "ref": ref, "repository": repository,
                            "job_workflow_ref": "\(repository)/.github/workflows/\(job.id == "inner" ? "reusable" : "generated").yml@\(ref)", "workflow": "generated"]
                if let environments = job.environments {
                    for name in environments.map({ $0 == "*" ? "qa" : $0 }) + (environments == ["*"] ? ["dev", "prod"] : []) {
                        base["environment"] = name
                        base["sub"] = "repo:\(repository):environment:\(name)"
                        result.append(base)
                    }
                } else {
                    base["sub"] = event == "pull_request" ? "repo:\(repository):pull_request" : "repo:\(repository):ref:\(ref)"
                    result.append(base)
                }
            }
        }
        return result
    }

    /// Subjects a job can present, as patterns (a ref the oracle does not list may still be one GitHub mints).
    static func mintable(_ job: Job, events: [(event: String, refs: [String])]) -> [StringPattern] {
        var result: [StringPattern] = []
        if let environments = job.environments {
            result = environments.map { StringPattern("repo:\(repository):environment:\($0)") }
            // An environment written as an expression may come out empty: no environment.
            guard environments == ["*"] else { return result }
        }
        for (event, refs) in events {
            if event == "pull_request" {
                result.append(StringPattern("repo:\(repository):pull_request"))
            } else if event == "push", refs.count == 1 {
                result.append(StringPattern("repo:\(repository):ref:\(refs[0])"))
            } else {
                result.append(StringPattern("repo:\(repository):ref:refs/*"))
            }
        }
        return result
    }

    static func idToken(_ permissions: String?) -> Bool? {
        guard let permissions else { return nil }
        return permissions == "id-token: write" || permissions == "write-all"
    }

    @Test("generated workflows: no crash, witnesses minted and admitted, admitted tokens reported")
    func generated() {
        var generator = Generator(state: 0x5eed_1234)
        let design = Design.example
        let auditor = Auditor(design: design)
        var checkedWitnesses = 0
        var expectedReports = 0
        for round in 0..<150 {
            let generated = Self.workflow(&generator)
            let devSubjects = generator.pick(Self.subjects)
            let prodSubjects = generator.pick(Self.subjects)
            let workflowFile = ".github/workflows/generated.yml"
            let reusable = generated.jobs.contains(where: \.callsReusable) ? Self.reusable(&generator) : nil
            let files: [(name: String, text: String, environment: String?)] = [
                (workflowFile, generated.text, nil),
                (".github/workflows/reusable.yml", reusable?.text ?? "", nil),
                ("dev/trust-policy.json", WorkflowExamples.trust(devSubjects), "dev"),
                ("prod/trust-policy.json", WorkflowExamples.trust(prodSubjects), "prod"),
            ]
            var facts = ProjectFacts()
            var policies: [String: Policy] = [:]
            for file in files where !file.text.isEmpty {
                let audit = auditor.audit(file: file.name, bytes: Array(file.text.utf8), kind: file.environment == nil ? nil : .trust,
                                          environment: file.environment)
                #expect(audit.errors.isEmpty, "round \(round): \(audit.errors.map(\.message))")
                facts.merge(audit.facts)
                if let environment = file.environment { policies[environment] = PolicyLoader().load(file: file.name, bytes: Array(file.text.utf8)).policies.first }
            }
            #expect(facts.workflows.count == (reusable == nil ? 1 : 2), "round \(round): a workflow was not read\n\(generated.text)")
            let findings = auditor.projectFindings(facts)
            let context = "round \(round)\n\(generated.text)\n\(reusable?.text ?? "")\ndev: \(devSubjects)\nprod: \(prodSubjects)"
            for finding in findings {
                #expect([workflowFile, ".github/workflows/reusable.yml", "dev/trust-policy.json", "prod/trust-policy.json"].contains(finding.file), "\(context)")
            }
            // The jobs that mint tokens, each with the runs it has (its own, or its callers') and whether it holds
            // id-token: write. A called workflow can only lower its caller's grant.
            var minting: [(job: Job, condition: Int, holds: Bool)] = []
            for (index, job) in generated.jobs.enumerated() {
                let holds = Self.idToken(job.permissions) ?? Self.idToken(generated.workflowPermissions) ?? false
                if job.callsReusable, let reusable {
                    let own = Self.idToken(reusable.job.permissions) ?? Self.idToken(reusable.workflowPermissions)
                    minting.append((reusable.job, generated.conditions[index], own.map { $0 && holds } ?? holds))
                } else if !job.callsReusable {
                    minting.append((job, generated.conditions[index], holds))
                }
            }
            // Witnesses: minted by the job, admitted by the role.
            for finding in findings where finding.ruleCode == "WF001" || finding.ruleCode == "WF002" {
                guard let witness = finding.witness, let sub = witness["sub"],
                      let job = minting.map(\.job).first(where: { finding.message.contains("job '\($0.id)'") }) else {
                    Issue.record("\(finding.ruleCode) without a witness or job: \(finding.message)\n\(context)")
                    continue
                }
                #expect(Self.mintable(job, events: generated.events).contains { $0.matches(sub) }, "\(finding.message)\n\(context)")
                let admitted = policies.values.contains { TrustSimulation.evaluate($0, claims: witness).decision == .allow }
                #expect(admitted, "witness not admitted: \(finding.message)\n\(context)")
                checkedWitnesses += 1
            }
            // Every admitted token of a job holding id-token: write that does not assume the role is reported.
            for (job, condition, holds) in minting {
                guard holds, !job.composite, job.role.map({ !$0.hasPrefix("${{") }) ?? true else { continue }
                for token in Self.tokens(of: job, condition: condition, events: generated.events) {
                    for (environment, policy) in policies where job.role != "deploy-\(environment)" {
                        guard TrustSimulation.evaluate(policy, claims: token).decision == .allow else { continue }
                        expectedReports += 1
                        let reported = findings.contains { ($0.ruleCode == "WF001" || $0.ruleCode == "WF002") && $0.message.contains("job '\(job.id)'")
                            && $0.message.contains("deploy-\(environment)") }
                        #expect(reported, "token \(token) of job \(job.id) admitted by deploy-\(environment), not reported\n\(context)")
                    }
                }
            }
        }
        #expect(checkedWitnesses > 20)
        #expect(expectedReports > 20)
    }

    /// A reusable workflow called as `OWNER/REPO/…@v1` runs with `job_workflow_ref` at that ref, not the caller's: a
    /// trust pinned to the called workflow at a tag still admits a stranger-started caller's run.
    @Test("a remote-form call carries the called workflow's ref in job_workflow_ref")
    func remoteCallRef() {
        let caller = """
        name: triage
        on: pull_request_target
        jobs:
          call:
            permissions:
              id-token: write
            uses: example-org/deploy/.github/workflows/r.yml@v1
        """
        let called = """
        name: reusable
        on: workflow_call
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: ./deploy.sh
        """
        let trust = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:job_workflow_ref": "example-org/deploy/.github/workflows/r.yml@refs/tags/v1"}}}]}
        """
        let auditor = Auditor(design: .example)
        var facts = ProjectFacts()
        for (name, text, environment) in [(".github/workflows/c.yml", caller, nil), (".github/workflows/r.yml", called, nil),
                                          ("prod/trust-policy.json", trust, "prod")] as [(String, String, String?)] {
            facts.merge(auditor.audit(file: name, bytes: Array(text.utf8), kind: environment == nil ? nil : .trust, environment: environment).facts)
        }
        let findings = auditor.projectFindings(facts).filter { $0.ruleCode == "WF001" }
        #expect(findings.map(\.file) == [".github/workflows/c.yml"], "\(findings.map(\.message))")
        #expect(findings.first?.witness?["job_workflow_ref"]?.hasPrefix("example-org/deploy/.github/workflows/r.yml@") == true)
    }
}
