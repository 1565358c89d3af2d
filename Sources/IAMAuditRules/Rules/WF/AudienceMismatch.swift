import IAMPolicy

/// WF006: the audience a job requests is not the one the trust (or the design) expects.
public struct AudienceMismatch: ProjectRule {
    public static let description = RuleDescription(
        code: "WF006",
        name: "audience-mismatch",
        title: "The audience a job requests is not the one the role's trust admits",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a `configure-aws-credentials` step whose `audience` (`sts.amazonaws.com` when absent) differs from the \
        design's `github.audience`, or that the trust of the role it assumes does not admit although the trust admits \
        the job's tokens otherwise. Reported at `audience`, or at `role-to-assume` when the step relies on the default.
        """,
        rationale: """
        STS compares the token's `aud` with the trust's `aud` condition and the provider's client ids: a mismatch \
        denies every run, and a trust or provider widened to accept the odd audience accepts tokens minted for other \
        services too. Request the audience the design names, and pin it in the trust.
        """,
        references: [
            "https://github.com/aws-actions/configure-aws-credentials#oidc-audience",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(with: "\n          audience: api://AzureADTokenExchange"),
                        pointers: ["/jobs/deploy/steps/1/with/audience"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod()]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(with: "\n          audience: sts.amazonaws.com"), fileName: WorkflowExamples.file,
                        design: .example, companions: [WorkflowExamples.prod()]),
            RuleExample(WorkflowExamples.deploy(), fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        let review = project.workflowReview
        let expected = project.design?.github?.audience
        var result: [ProjectViolation] = []
        for job in review.jobs where !job.runs.isEmpty {
            for assumption in job.assumptions {
                let step = assumption.step
                let audiences = step.audience.map { $0.candidates } ?? [GitHubOIDC.defaultAudience]
                guard let audiences, let site = step.audience?.site ?? step.roleToAssume?.site else { continue }
                for audience in Set(audiences).sorted() {
                    if let expected, audience != expected {
                        result.append(ProjectViolation(file: job.file, violation: Violation(
                            pointer: site.pointer, span: site.span,
                            message: "job '\(job.id)' requests audience '\(audience)', not the design's '\(expected)'"), environment: job.environment))
                        continue
                    }
                    for role in assumption.roles where job.idToken == .write && job.admissions[role] != nil {
                        guard let trust = review.trusts[role],
                              WorkflowReview.admission(of: job.runs, by: trust, policy: review.roles[role].trust, audience: audience) == nil
                        else { continue }
                        result.append(ProjectViolation(file: job.file, violation: Violation(
                            pointer: site.pointer, span: site.span,
                            message: "the trust of \(review.roleText(role)) admits job '\(job.id)' only with another audience than the "
                                + "'\(audience)' it requests, so the deploy is denied"), environment: job.environment))
                    }
                }
            }
        }
        return result
    }
}
