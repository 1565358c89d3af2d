import IAMPolicy

/// WF005: a job of one design environment assumes another environment's role.
public struct JobAssumesOtherEnvironmentRole: ProjectRule {
    public static let description = RuleDescription(
        code: "WF005",
        name: "job-assumes-other-environment-role",
        title: "A job of one environment assumes another environment's role",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        With a design, reports a `configure-aws-credentials` step of a job of one environment (its GitHub \
        `environment:` is the design environment's `githubEnvironment`, or every run is on the environment's branch) \
        whose `role-to-assume` names another environment's `role`. Reported at `role-to-assume`.
        """,
        rationale: """
        A dev job holding the prod role deploys untested code to production with the dev environment's (weaker) \
        protection rules: reviewers and branch rules of the prod environment never see it. Each environment's jobs \
        assume that environment's role; the prod trust should admit only the prod environment's subject.
        """,
        references: [
            "https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments",
            "https://docs.github.com/en/actions/reference/security/oidc",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(environment: "dev", role: "deploy-prod", on: "push:\n    branches: [develop]"),
                        pointers: ["/jobs/deploy/steps/1/with/role-to-assume"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.dev(), WorkflowExamples.prod()]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(environment: "dev", role: "deploy-dev", on: "push:\n    branches: [develop]"),
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.dev(), WorkflowExamples.prod()]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        guard let design = project.design else { return [] }
        let review = project.workflowReview
        var result: [ProjectViolation] = []
        for job in review.jobs {
            guard let environment = job.environment else { continue }
            for assumption in job.assumptions {
                guard let names = assumption.names, let site = assumption.step.roleToAssume?.site else { continue }
                for name in names {
                    guard let other = design.environments.first(where: { $0.role?.lowercased() == name.lowercased() }),
                          other.name != environment else { continue }
                    result.append(ProjectViolation(file: job.file, violation: Violation(
                        pointer: site.pointer, span: site.span,
                        message: "job '\(job.id)' of environment '\(environment)' assumes role \(name) of environment '\(other.name)'"),
                        environment: environment))
                }
            }
        }
        return result
    }
}
