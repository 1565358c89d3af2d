import IAMPolicy

/// WF002: a job that does not assume a role can mint a token that role's trust admits.
public struct JobMintsTokenOfRoleItDoesNotAssume: ProjectRule {
    public static let description = RuleDescription(
        code: "WF002",
        name: "job-mints-token-of-role-it-does-not-assume",
        title: "A job that does not assume a role can mint a token its trust admits",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a job holding `id-token: write` that never assumes a role (tests, lint, pull request checks, another \
        environment's deploy) but can mint, in a run the repository's members start, a token the role's trust policy \
        admits (runs strangers start are WF001's). Reported at the `id-token` grant, \
        naming the job, the event, the witness token and the role. A job whose role iam-audit cannot resolve \
        (`role-to-assume: ${{ secrets.ROLE }}`, a composite action) counts as assuming the one role that admits it, or \
        its design environment's. The examples use the design of `example-org/deploy`.
        """,
        rationale: """
        The token, not the step, is what the trust judges: any step of a job holding `id-token: write` can request a \
        token and call `AssumeRoleWithWebIdentity`. A pull request check with a workflow-level grant, under a trust \
        of `repo:OWNER/REPO:*`, runs code from the pull request with the power to deploy to production. Grant \
        `id-token: write` only on the job that deploys, and pin the trust to that job's subject (its environment).
        """,
        references: [
            "https://docs.github.com/en/actions/reference/security/oidc",
            "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(workflowPermissions: "id-token: write", jobPermissions: nil,
                                                extraJobs: "  checks:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
                                                on: "push:\n    branches: [main]\n  pull_request:"),
                        pointers: ["/permissions/id-token"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:*"])]),
            // The dev deploy can mint a token the prod role admits.
            RuleExample(WorkflowExamples.deploy(environment: "dev", role: "deploy-dev", on: "push:\n    branches: [develop]"),
                        pointers: ["/jobs/deploy/permissions/id-token"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.dev(), WorkflowExamples.prod(["repo:example-org/deploy:environment:*"])]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(extraJobs: "  checks:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
                                                on: "push:\n    branches: [main]\n  pull_request:"),
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod(["repo:example-org/deploy:*"])]),
            RuleExample(WorkflowExamples.deploy(environment: "dev", role: "deploy-dev", on: "push:\n    branches: [develop]"),
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.dev(), WorkflowExamples.prod()]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        let review = project.workflowReview
        var result: [ProjectViolation] = []
        for job in review.jobs where job.idToken == .write {
            // Runs a stranger starts are WF001's.
            guard let grant = job.grant, !job.memberAdmissions.isEmpty else { continue }
            let assumed = review.assumedRoles(job)
            let unresolved = job.mayAssumeUnseen || job.assumptions.contains { $0.names == nil }
            for (role, admission) in job.memberAdmissions.sorted(by: { $0.key < $1.key }) where !assumed.contains(role) {
                if unresolved {
                    // The job may assume this role where iam-audit does not see: the one role admitting it, or its
                    // environment's.
                    if job.memberAdmissions.count == 1 { continue }
                    if let environment = job.environment, review.roles[role].environment == environment { continue }
                }
                let roleText = review.roleText(role)
                let subject = admission.run.pullRequest ? "its pull_request runs" : "its \(admission.run.event) runs"
                let message = "job '\(job.id)' never assumes \(roleText), yet \(subject) can mint "
                    + "\(review.tokenText(admission.witness, role: role)), which the trust of \(roleText) admits: "
                    + "any step of the job can act as that role" + (admission.bounded ? " (analysis bounded; read as admitting)" : "")
                result.append(ProjectViolation(file: grant.file, violation: Violation(pointer: grant.site.pointer, span: grant.site.span,
                                                                                     message: message, witness: admission.witness),
                                               environment: job.environment))
            }
        }
        return result
    }
}
