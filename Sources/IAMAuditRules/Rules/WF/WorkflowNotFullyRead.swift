import IAMPolicy

/// WF008: a part of a workflow iam-audit could not read, or a role a job assumes that the run did not read.
public struct WorkflowNotFullyRead: ProjectRule {
    public static let description = RuleDescription(
        code: "WF008",
        name: "workflow-not-fully-read",
        title: "A workflow names a role or holds a part iam-audit could not check",
        level: .note,
        securitySeverity: 2.0,
        summary: """
        Reports what the workflow rules could not decide: a `role-to-assume` written as an expression iam-audit \
        cannot resolve (`${{ secrets.ROLE }}`: the job's tokens are then checked against every role of the run), a \
        role the run did not read the trust policy of, a role whose trust expects a custom subject template (the \
        jobs' tokens are read under GitHub's default one), and parts of a workflow that are not what GitHub documents \
        (a job that is not a mapping). Reported at the value.
        """,
        rationale: """
        A workflow rule is only as good as the roles it sees: a job assuming a role whose trust is not in the run \
        was not checked at all. Audit the trust policies, templates or plans of the roles your workflows assume in \
        the same run, and name roles literally (or through `env:` and a literal matrix) so they can be matched.
        """,
        references: [
            "https://github.com/aws-actions/configure-aws-credentials#options",
            "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(role: "${{ secrets.DEPLOY_ROLE }}"), pointers: ["/jobs/deploy/steps/1/with/role-to-assume"],
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
            RuleExample(WorkflowExamples.deploy(role: "release-publisher"), pointers: ["/jobs/deploy/steps/1/with/role-to-assume"],
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
            // A custom template's subject: the job's default-template token is not compared with it.
            RuleExample(WorkflowExamples.deploy(), pointers: ["/jobs/deploy/steps/1/with/role-to-assume"],
                        fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:environment:prod:job_workflow_ref:example-org/deploy/.github/workflows/deploy.yml@refs/heads/main"])]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(), fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        let review = project.workflowReview
        var result: [ProjectViolation] = []
        for workflow in project.workflows {
            for problem in workflow.problems {
                result.append(ProjectViolation(file: workflow.file, violation: Violation(pointer: problem.site.pointer, span: problem.site.span,
                                                                                         message: problem.message)))
            }
        }
        for job in review.jobs {
            for assumption in job.assumptions {
                guard let value = assumption.step.roleToAssume else { continue }
                let message: String
                if assumption.names == nil {
                    message = "job '\(job.id)' assumes a role named by '\(value.text)', which iam-audit cannot resolve; "
                        + "its tokens were checked against every role of the run"
                } else if assumption.roles.isEmpty, let names = assumption.names {
                    message = "job '\(job.id)' assumes role \(names.joined(separator: " or ")), whose trust policy this run did not read, "
                        + "so its tokens were not checked against it; audit that role's trust policy, template or plan in the same run"
                } else if let custom = assumption.roles.first(where: { review.expectsCustomSubjects[$0] && job.admissions[$0] == nil }) {
                    message = "the trust of \(review.roleText(custom)) admits subjects of a custom template (include_claim_keys); "
                        + "iam-audit reads the tokens of job '\(job.id)' under GitHub's default template, so whether they get in is not checked"
                } else {
                    continue
                }
                result.append(ProjectViolation(file: job.file, violation: Violation(pointer: value.site.pointer, span: value.site.span, message: message),
                                               environment: job.environment))
            }
        }
        return result
    }
}
