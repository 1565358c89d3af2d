import IAMPolicy

/// WF007: a role's trust admits subjects that no workflow of the run presents.
public struct TrustAdmitsUnusedSubjects: ProjectRule {
    public static let description = RuleDescription(
        code: "WF007",
        name: "trust-admits-unused-subjects",
        title: "A role's trust admits subjects no workflow presents",
        level: .note,
        securitySeverity: 2.0,
        summary: """
        For a role some job of the run assumes, reports a trust policy that admits subjects no job holding \
        `id-token: write` and assuming it presents, with the exact list those jobs do present: the tightest trust that keeps every \
        deploy working. Reported on the trust's `sub` condition.
        """,
        rationale: """
        A subject no workflow presents is a door nobody uses: a branch or environment a later workflow, or someone \
        with push access to a new branch, can walk through. Admitting exactly what the deploy jobs present costs \
        nothing and makes any new path a deliberate change of the trust.
        """,
        references: [
            "https://docs.github.com/en/actions/reference/security/oidc",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(WorkflowExamples.trust(["repo:example-org/deploy:environment:prod", "repo:example-org/deploy:ref:refs/heads/main"]),
                        pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"],
                        fileName: "prod/trust-policy.json", design: .example, environment: "prod",
                        companions: [RuleExample.Companion(WorkflowExamples.file, WorkflowExamples.deploy())]),
        ],
        nonTriggeringExamples: [
            RuleExample(WorkflowExamples.trust(["repo:example-org/deploy:environment:prod"]), fileName: "prod/trust-policy.json",
                        design: .example, environment: "prod",
                        companions: [RuleExample.Companion(WorkflowExamples.file, WorkflowExamples.deploy())]),
        ]
    )

    public init() {}

    /// Subjects a real run presents, the better examples, in order: a branch, a tag, an environment, a pull request.
    static let likelySubjects: [PatternSet] = {
        let prefix = GitHubTokenLayout.prefix(immutable: false)
        let field = PatternSegment.field(excluding: GitHubTokenLayout.refExcluded, minimumLength: 1)
        return [[.literal(":ref:refs/heads/"), field], [.literal(":ref:refs/tags/"), field],
                GitHubTokenLayout.context(.environment), GitHubTokenLayout.context(.pullRequest)]
            .map { PatternSet(sequences: [prefix + $0]) }
    }()

    public func check(_ project: Project) -> [ProjectViolation] {
        let review = project.workflowReview
        var result: [ProjectViolation] = []
        let assumed = Set(review.jobs.flatMap { review.assumedRoles($0) })
        for role in assumed.sorted() {
            guard let trust = review.trusts[role] else { continue }
            // What the jobs assuming the role present: the subjects the trust must admit for every deploy to work.
            var presented = PatternSet.empty
            var subjects: Set<String> = []
            for job in review.jobs where job.idToken == .write && review.assumedRoles(job).contains(role) {
                for run in job.runs {
                    let restriction = run.restriction(audience: nil)
                    for shape in restriction.shapes {
                        presented = presented.union(restriction.subjects(shape) ?? .empty)
                    }
                    subjects.insert(run.subjectText)
                }
            }
            let extra = trust.admittedSubjects.subtracting(presented)
            guard !subjects.isEmpty, !extra.isEmpty else { continue }
            guard let example = Self.likelySubjects.lazy.compactMap({ extra.intersection($0).shortestWitness() }).first
                ?? extra.shortestWitness() else { continue }
            let policy = review.roles[role].trust
            let location = trust.subjectLocation
            var message = "the trust of \(review.roleText(role)) admits subjects no job assuming it presents (e.g. '\(example)'); "
                + "the jobs assuming it present only \(subjects.sorted().map { "'\($0)'" }.joined(separator: ", "))"
            if let label = policy.label { message += " (\(label))" }
            var pointer = location.pointer
            if let embedding = policy.embedding, !pointer.hasPrefix(embedding.pointer) { pointer = embedding.pointer }
            result.append(ProjectViolation(file: policy.file, violation: Violation(pointer: pointer, span: policy.reportSpan(location.span), message: message),
                                           environment: review.roles[role].environment))
        }
        return result
    }
}
