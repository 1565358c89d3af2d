import IAMPolicy

/// WF003: `id-token: write` granted to jobs that assume no role, by a workflow-level grant or `write-all`.
public struct IdTokenGrantedTooWidely: ProjectRule {
    public static let description = RuleDescription(
        code: "WF003",
        name: "id-token-granted-too-widely",
        title: "id-token: write is granted to jobs that assume no role",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports `id-token: write` granted at workflow level (by `id-token: write` or `write-all`) when some job that \
        inherits it assumes no role, and `write-all` on a job that assumes none. A job counts as assuming a role when \
        it configures AWS credentials with its token, calls a reusable workflow, uses a local composite action or \
        one whose name speaks of AWS, or runs a script that calls STS. Reported at the grant, with the jobs that \
        need it.
        """,
        rationale: """
        Every job that holds `id-token: write` can mint a token for any audience, and any trust that admits its \
        subject lets it in. A grant at workflow level hands that to tests, linters and pull request checks, which \
        run the most untrusted code. Grant it on the jobs that assume roles, and give the workflow `contents: read`.
        """,
        references: [
            "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions",
            "https://docs.github.com/en/actions/reference/github_token-reference",
            "https://docs.github.com/en/actions/reference/security/oidc",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.deploy(workflowPermissions: "id-token: write\n  contents: read", jobPermissions: nil,
                                                extraJobs: "  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"),
                        pointers: ["/permissions/id-token"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod()]),
            RuleExample(WorkflowExamples.deploy(extraJobs: "  lint:\n    runs-on: ubuntu-latest\n    permissions: write-all\n    steps:\n      - run: make lint\n"),
                        pointers: ["/jobs/lint/permissions"], fileName: WorkflowExamples.file, design: .example,
                        companions: [WorkflowExamples.prod()]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.deploy(workflowPermissions: "contents: read",
                                                extraJobs: "  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"),
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
            // Every job of the workflow assumes a role: the workflow-level grant is what they all need.
            RuleExample(WorkflowExamples.deploy(workflowPermissions: "id-token: write\n  contents: read", jobPermissions: nil),
                        fileName: WorkflowExamples.file, design: .example, companions: [WorkflowExamples.prod()]),
        ]
    )

    public init() {}

    /// Whether a job needs `id-token: write`: it assumes a role with its token, or may where iam-audit does not see.
    static func needsToken(_ job: WorkflowJob) -> Bool {
        job.credentialSteps.contains(where: \.usesWebIdentity) || job.call != nil || job.mayAssumeRoleUnseen
    }

    public func check(_ project: Project) -> [ProjectViolation] {
        var result: [ProjectViolation] = []
        for workflow in project.workflows {
            if let permissions = workflow.permissions, permissions.idToken == .write {
                let inheriting = workflow.jobs.filter { $0.permissions == nil }
                let idle = inheriting.filter { !Self.needsToken($0) }
                if !idle.isEmpty {
                    let needing = workflow.jobs.filter { job in Self.needsToken(job) && (job.permissions?.idToken ?? .write) == .write }
                    let grant = permissions.form == .writeAll ? "write-all" : "id-token: write"
                    let advice = needing.isEmpty ? "no job assumes a role: remove the grant"
                        : "grant it only on \(needing.count == 1 ? "job" : "jobs") \(needing.map { "'\($0.id)'" }.joined(separator: ", "))"
                    let message = "\(grant) at workflow level gives jobs \(idle.map { "'\($0.id)'" }.joined(separator: ", ")) "
                        + "an OpenID Connect token though they assume no role; \(advice)"
                    result.append(ProjectViolation(file: workflow.file, violation: Violation(pointer: permissions.grantSite.pointer,
                                                                                             span: permissions.grantSite.span, message: message)))
                }
            }
            for job in workflow.jobs {
                guard let permissions = job.permissions, permissions.form == .writeAll, !Self.needsToken(job) else { continue }
                result.append(ProjectViolation(file: workflow.file, violation: Violation(
                    pointer: permissions.site.pointer, span: permissions.site.span,
                    message: "write-all gives job '\(job.id)' an OpenID Connect token (id-token: write) though it assumes no role; name the scopes it needs")))
            }
        }
        return result
    }
}
