import IAMPolicy

/// WF004: a job assumes a role whose trust admits none of the tokens the job presents: the deploy is denied.
public struct DeployJobDenied: ProjectRule {
    public static let description = RuleDescription(
        code: "WF004",
        name: "deploy-job-denied",
        title: "The role a job assumes admits none of the job's tokens",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a `configure-aws-credentials` step whose `role-to-assume` names a role of the run whose trust policy \
        admits none of the tokens the job can present, or whose job does not hold `id-token: write`. Reported at \
        `role-to-assume`, with the subjects the job presents. The audience is left to WF006; a trust that admits \
        subjects of a custom template is left to WF008 (the jobs' tokens are read under GitHub's default template).
        """,
        rationale: """
        The classic broken deploy: the trust is pinned to the branch (`repo:OWNER/REPO:ref:refs/heads/main`) while the \
        job declares `environment: prod`, so GitHub puts the environment in the subject \
        (`repo:OWNER/REPO:environment:prod`) and STS refuses every run. Pin the subject the job presents; and grant \
        `id-token: write` on the job, without which the action cannot request a token at all.
        """,
        references: [
            "https://docs.github.com/en/actions/reference/security/oidc",
            "https://github.com/aws-actions/configure-aws-credentials#oidc",
            "https://repost.aws/knowledge-center/iam-idp-access-error",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(), pointers: ["/jobs/deploy/steps/1/with/role-to-assume"], fileName: WorkflowExamples.file,
                        design: .example, companions: [WorkflowExamples.prod(["repo:example-org/deploy:ref:refs/heads/main"])]),
            RuleExample(WorkflowExamples.deploy(jobPermissions: "contents: read"), pointers: ["/jobs/deploy/steps/1/with/role-to-assume"],
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(), fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
            RuleExample(WorkflowExamples.deploy(environment: nil), fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:ref:refs/heads/main"])]),
            // A custom template's subject (WF008 says it is not compared).
            RuleExample(WorkflowExamples.deploy(), fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:environment:prod:job_workflow_ref:example-org/deploy/.github/workflows/deploy.yml@refs/heads/main"])]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        let review = project.workflowReview
        var result: [ProjectViolation] = []
        for job in review.jobs where !job.runs.isEmpty {
            for assumption in job.assumptions where !assumption.roles.isEmpty {
                guard let site = assumption.step.roleToAssume?.site else { continue }
                // Several readings of one role (a template's conditions) deny only when all of them do.
                var byName: [String: [Int]] = [:]
                for role in assumption.roles { byName[review.roles[role].name?.lowercased() ?? "", default: []].append(role) }
                for (_, roles) in byName.sorted(by: { $0.key < $1.key }) {
                    let roleText = review.roleText(roles[0])
                    let message: String
                    if job.idToken != .write {
                        message = "job '\(job.id)' assumes \(roleText) with its OpenID Connect token but does not hold id-token: write, "
                            + "so the step cannot request a token; grant id-token: write on the job"
                    } else if roles.allSatisfy({ job.admissions[$0] == nil }), !roles.contains(where: { review.expectsCustomSubjects[$0] }) {
                        let subjects = Array(Set(job.runs.map(\.subjectText))).sorted()
                        let shown = subjects.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (subjects.count > 3 ? ", …" : "")
                        let trusted = roles.contains { review.trusts[$0] != nil }
                        message = "the trust of \(roleText) admits none of the tokens job '\(job.id)' presents (\(shown))"
                            + (trusted ? "" : ", as it trusts no GitHub identity provider") + ", so the deploy is denied"
                    } else {
                        continue
                    }
                    result.append(ProjectViolation(file: job.file, violation: Violation(pointer: site.pointer, span: site.span, message: message),
                                                   environment: job.environment))
                }
            }
        }
        return result
    }
}
