import IAMPolicy

/// WF001: a job that someone outside the repository can start holds `id-token: write` and can mint a token a role's
/// trust admits.
public struct StrangerStartedJobAdmitted: ProjectRule {
    public static let description = RuleDescription(
        code: "WF001",
        name: "stranger-started-job-admitted",
        title: "A job anyone can start mints a token a role's trust admits",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports a job that runs on an event someone without write access can cause (`pull_request_target`, \
        `issue_comment`, `issues`, `discussion`, `discussion_comment`, `fork`, `watch`, `workflow_run`, and `gollum`, \
        a wiki edit, since a public repository's wiki may let every GitHub user edit it), holds \
        `id-token: write`, and can mint an OpenID Connect token that the trust policy of a role in the run admits. \
        Reported at the `id-token` grant, naming the job, the event, the witness token and the role. The examples \
        use the design of `example-org/deploy` (roles `deploy-dev` and `deploy-prod`).
        """,
        rationale: """
        Such a job runs with the repository's token on a stranger's say-so: a comment, a fork's pull request. \
        `pull_request_target` and `issue_comment` runs use the default branch's ref (`pull_request_target` since \
        2025-12-08), so a trust pinned to `ref:refs/heads/main` admits them, and a job that checks out or builds the \
        pull request's code hands its credentials to the stranger. Grant `id-token: write` only to deploy jobs \
        started by `push` or `workflow_dispatch`, put them in a protected GitHub environment, and pin the trust to \
        `repo:OWNER/REPO:environment:NAME`.
        """,
        references: [
            "https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#pull_request_target",
            "https://docs.github.com/en/actions/reference/security/oidc",
            "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
            "https://docs.github.com/en/communities/documenting-your-project-with-wikis/changing-access-permissions-for-wikis",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(environment: nil, on: "pull_request_target:"),
                        pointers: ["/jobs/deploy/permissions/id-token"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:ref:refs/heads/main"])]),
            // A wiki edit: anyone's, when the wiki lets every GitHub user edit it.
            RuleExample(WorkflowExamples.deploy(environment: nil, on: "gollum:"),
                        pointers: ["/jobs/deploy/permissions/id-token"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:ref:refs/heads/main"])]),
            RuleExample(WorkflowExamples.deploy(environment: nil, workflowPermissions: "id-token: write", jobPermissions: nil, on: "issue_comment:"),
                        pointers: ["/permissions/id-token"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod(["repo:example-org/deploy:*"])]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(), fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod()]),
            // Started by strangers, but the trust admits only the protected environment's job.
            RuleExample(WorkflowExamples.deploy(environment: nil, on: "pull_request_target:"), fileName: WorkflowExamples.file,
                        design: .example, companions: [WorkflowExamples.prod()]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        let review = project.workflowReview
        var result: [ProjectViolation] = []
        for job in review.jobs where job.idToken == .write {
            guard let grant = job.grant else { continue }
            let admitted = job.admissions.filter(\.value.byStranger).sorted { $0.key < $1.key }
            guard let first = admitted.first else { continue }
            let roles = admitted.map { review.roleText($0.key) }
            let event = first.value.run.event
            let who = event == "gollum" ? "which anyone can cause when the wiki lets every GitHub user edit it (a repository setting iam-audit cannot see)"
                : "which anyone can cause from outside the repository"
            let message = "job '\(job.id)' runs on \(event), \(who), "
                + "holds id-token: write and can mint \(review.tokenText(first.value.witness, role: first.key)), which the trust of "
                + "\(roles.joined(separator: " and ")) admits" + (first.value.bounded ? " (analysis bounded; read as admitting)" : "")
            result.append(ProjectViolation(file: grant.file, violation: Violation(pointer: grant.site.pointer, span: grant.site.span,
                                                                                 message: message, witness: first.value.witness),
                                           environment: job.environment))
        }
        return result
    }
}
