import IAMPolicy

/// The OpenID Connect tokens one job of a workflow can mint, run by run: for each event that starts the job, the
/// refs it can run on, its environment, and so the `sub`, `ref`, `environment`, `job_workflow_ref` and `workflow`
/// claims under GitHub's default subject template.
///
/// The reading is sound: what the workflow does not decide (an expression, a filter iam-audit does not model, an
/// event whose ref GitHub does not fix) admits every value, so a token the job can mint is never missing; the rules
/// that need the opposite reading (a deploy that is denied) say so.
///
/// References: GitHub, "OpenID Connect reference" (claims, default subject template)
/// (https://docs.github.com/en/actions/reference/security/oidc);
/// GitHub, "Events that trigger workflows" (`GITHUB_REF` of each event; `pull_request_target` runs on the default
/// branch since 2025-12-08) (https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows);
/// GitHub, "Workflow syntax for GitHub Actions" (branch and tag filters; a workflow with only branch filters does not
/// run for tags, and the reverse) (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#onpushbranchestagsbranches-ignoretags-ignore);
/// GitHub, "Expressions" (string comparisons ignore case)
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions).
public struct JobTokens: Sendable {
    /// The refs a run can carry: every ref, or those some pattern matches.
    public enum Refs: Sendable, Hashable {
        case all
        case patterns([StringPattern])
        case none

        var isEmpty: Bool { if case .none = self { true } else { false } }

        func union(_ other: Refs) -> Refs {
            switch (self, other) {
            case (.all, _), (_, .all): .all
            case (.none, let x), (let x, .none): x
            case (.patterns(let a), .patterns(let b)): .patterns(a + b)
            }
        }

        /// A superset of the intersection: the narrower side (patterns are not intersected).
        func narrowed(by other: Refs) -> Refs {
            switch (self, other) {
            case (.none, _), (_, .none): .none
            case (.all, let x): x
            case (let x, .all): x
            case (.patterns(let a), .patterns(let b)): a.count <= b.count ? self : .patterns(b)
            }
        }

        /// The refs as a set of strings (every branch, tag and pull request merge ref for `.all`).
        var set: PatternSet {
            switch self {
            case .all: GitHubTokenLayout.values(of: "ref", in: .environment)
            case .patterns(let patterns): PatternSet(anyOf: patterns).intersection(GitHubTokenLayout.values(of: "ref", in: .environment))
            case .none: .empty
            }
        }
    }

    /// One way the job runs: an event, the refs it can run on, and the subject context.
    public struct Run: Sendable {
        /// The event (`push`, `pull_request_target`), or the caller's for a job of a reusable workflow.
        public var event: String
        /// Whether someone without write access to the repository can start the run (a comment, a fork's pull
        /// request to a `pull_request_target` workflow).
        public var strangerCanTrigger: Bool
        public var refs: Refs
        /// Whether the subject names `pull_request` (a `pull_request` run of a job without environment).
        public var pullRequest: Bool
        /// The environment the job names: nil for none, `.some(nil)` for one iam-audit cannot decide.
        public var environment: String??
        /// The `job_workflow_ref` prefix before `@` (`OWNER/REPO/.github/workflows/x.yml`), nil when unknown, and
        /// a wildcard pattern of the ref after `@` for a reusable workflow called by `OWNER/REPO/…@REF` (`*`: the
        /// form GitHub writes that ref in is read as any); nil: the run's own ref.
        public var workflowPath: String?
        public var workflowRef: String?
        /// The `workflow` claim (the caller's workflow name for a reusable workflow's job).
        public var workflowName: String
        /// The `repository` claim, `OWNER/NAME`, when known (the design's repository, or the caller's).
        public var repository: String?
    }

    public var runs: [Run]

    // MARK: Events

    /// Events anyone who can open an issue, comment or fork can start on a public repository, with the
    /// repository's `id-token` grant (unlike `pull_request` from a fork, whose token has no `id-token`). `gollum`
    /// (a wiki page edited) is one too: a public repository's wiki may let every GitHub user edit it, a setting
    /// the repository's files do not show, so the reading that admits the most is taken.
    public static let strangerEvents: Set<String> = [
        "pull_request_target", "issue_comment", "issues", "discussion", "discussion_comment", "fork", "watch", "workflow_run",
        "gollum",
    ]

    /// Events whose run's subject names `pull_request` (the merge ref `refs/pull/N/merge`).
    static let pullRequestEvents: Set<String> = ["pull_request", "pull_request_review", "pull_request_review_comment"]

    /// Events that run on the default branch.
    static let defaultBranchEvents: Set<String> = [
        "pull_request_target", "issue_comment", "issues", "discussion", "discussion_comment", "fork", "watch", "workflow_run",
        "schedule", "label", "milestone", "page_build", "public", "gollum", "status", "check_run", "check_suite",
        "repository_dispatch", "project", "project_card", "project_column", "registry_package", "branch_protection_rule",
        "deployment_status",
    ]

    /// The refs of `trigger`'s runs, `defaultBranch` the refs the default branch may be.
    static func refs(of trigger: WorkflowTrigger, defaultBranch: Refs) -> Refs {
        let event = trigger.event.lowercased()
        if pullRequestEvents.contains(event) { return .patterns([StringPattern("refs/pull/*/merge")]) }
        if defaultBranchEvents.contains(event) { return defaultBranch }
        switch event {
        case "release": return .patterns([StringPattern("refs/tags/*")])
        case "merge_group": return .patterns([StringPattern("refs/heads/gh-readonly-queue/*")])
        case "push":
            guard !trigger.filtersUnreadable else { return .all }
            let branchFilter = trigger.branches != nil || trigger.branchesIgnore != nil
            let tagFilter = trigger.tags != nil || trigger.tagsIgnore != nil
            // Only branch filters: no tag runs; only tag filters: no branch runs.
            var result: Refs = .none
            if branchFilter || !tagFilter {
                result = result.union(filtered(trigger.branches, ignoring: trigger.branchesIgnore, prefix: "refs/heads/"))
            }
            if tagFilter || !branchFilter {
                result = result.union(filtered(trigger.tags, ignoring: trigger.tagsIgnore, prefix: "refs/tags/"))
            }
            return result
        default:
            // `workflow_dispatch`, `deployment`, `create`, `delete`, `workflow_call` and events iam-audit does not
            // know: any ref.
            return .all
        }
    }

    /// The refs a branch or tag filter admits. Filter patterns are read wider than GitHub's (`*` also crosses
    /// `/`, `+` and `[…]` match anything, `!` negations and `-ignore` lists are not subtracted): a run is never missed.
    static func filtered(_ patterns: [String]?, ignoring: [String]?, prefix: String) -> Refs {
        guard let patterns, !patterns.isEmpty else { return .patterns([StringPattern(prefix + "*")]) }
        if patterns.allSatisfy({ $0.hasPrefix("!") }) { return .patterns([StringPattern(prefix + "*")]) }
        var result: [StringPattern] = []
        for pattern in patterns where !pattern.hasPrefix("!") {
            var glob = ""
            var special = false
            for character in pattern {
                switch character {
                case "*": if !glob.hasSuffix("*") { glob.append("*") }
                case "?": glob.append("?")
                case "+", "[", "]", "\\":
                    special = true
                default: glob.append(character)
                }
            }
            result.append(StringPattern(special ? prefix + "*" : prefix + glob))
        }
        return .patterns(result)
    }

    // MARK: Conditions

    /// The refs on which `condition` may hold for `event` (may: an undecided part counts as holding).
    static func refs(where condition: JobCondition, event: String) -> Refs {
        mayHold(condition, event: event, want: true)
    }

    private static func mayHold(_ condition: JobCondition, event: String, want: Bool) -> Refs {
        switch condition {
        case .unknown: return .all
        case .constant(let value): return value == want ? .all : .none
        case .eventIs(let name): return (name.lowercased() == event.lowercased()) == want ? .all : .none
        case .refIs(let ref):
            // The other way is every ref but one: read as any ref.
            return want ? .patterns([StringPattern(ref, matching: .exactIgnoringCase)]) : .all
        case .refStartsWith(let prefix):
            return want ? .patterns([prefixPattern(prefix)]) : .all
        case .not(let inner): return mayHold(inner, event: event, want: !want)
        case .all(let parts):
            return want ? parts.reduce(Refs.all) { $0.narrowed(by: mayHold($1, event: event, want: true)) }
                : parts.reduce(Refs.none) { $0.union(mayHold($1, event: event, want: false)) }
        case .any(let parts):
            return want ? parts.reduce(Refs.none) { $0.union(mayHold($1, event: event, want: true)) }
                : parts.reduce(Refs.all) { $0.narrowed(by: mayHold($1, event: event, want: false)) }
        }
    }

    /// `startsWith(github.ref, prefix)`, compared ignoring case: the prefix up to `refs/heads/` or `refs/tags/` is
    /// kept as written in lower case; a rest holding letters (whose case GitHub ignores) is read as anything.
    static func prefixPattern(_ prefix: String) -> StringPattern {
        let lower = prefix.lowercased()
        for root in ["refs/heads/", "refs/tags/", "refs/pull/", "refs/"] where lower.hasPrefix(root) {
            let rest = lower.dropFirst(root.count)
            let safe = !rest.contains { $0.isLetter || $0 == "*" || $0 == "?" }
            return StringPattern(safe ? lower + "*" : root + "*")
        }
        return StringPattern(root: "*")
    }

    // MARK: Building

    /// The runs of `job` in `workflow`.
    /// - Parameters:
    ///   - repository: `OWNER/NAME` of the workflow's repository, when the design says it.
    ///   - defaultBranch: the refs the default branch may be.
    ///   - callers: for a reusable workflow (`workflow_call`), the runs of the jobs that call it in the run; nil when
    ///     no caller is in the run (any event, any repository).
    static func runs(of job: WorkflowJob, in workflow: GitHubWorkflow, repository: String?, defaultBranch: Refs,
                     callers: [Run]?) -> [Run] {
        var base: [Run] = []
        for trigger in workflow.triggers where trigger.event.lowercased() != "workflow_call" {
            let event = trigger.event.lowercased()
            base.append(Run(event: event, strangerCanTrigger: strangerEvents.contains(event),
                            refs: refs(of: trigger, defaultBranch: defaultBranch), pullRequest: pullRequestEvents.contains(event),
                            environment: nil, workflowPath: repository.map { "\($0)/\(workflow.path)" }, workflowRef: nil,
                            workflowName: workflow.workflowClaim, repository: repository))
        }
        if workflow.trigger("workflow_call") != nil || workflow.triggers.isEmpty {
            if let callers {
                for caller in callers {
                    var run = caller
                    // The called workflow's own path, at the caller's ref (a local call) or the ref it was called at.
                    if let path = caller.workflowPath, let slash = path.range(of: "/.github/") {
                        run.workflowPath = String(path[..<slash.lowerBound]) + "/" + workflow.path
                    }
                    base.append(run)
                }
            } else {
                base.append(Run(event: "workflow_call", strangerCanTrigger: false, refs: .all, pullRequest: false, environment: nil,
                                workflowPath: repository.map { "\($0)/\(workflow.path)" }, workflowRef: nil,
                                workflowName: workflow.workflowClaim, repository: repository))
            }
        }
        var result: [Run] = []
        for var run in base {
            run.refs = run.refs.narrowed(by: refs(where: job.condition, event: run.event))
            if run.refs.isEmpty { continue }
            // An environment that comes out empty (`''`, a matrix entry without it, `cond && 'prod' || ''`) is no
            // environment: the job then presents its ref or pull request subject. One iam-audit cannot decide may be
            // any name or empty.
            if let environment = job.environment {
                let candidates = environment.candidates
                for name in candidates ?? [] where !name.isEmpty {
                    var named = run
                    named.environment = .some(name)
                    named.pullRequest = false
                    result.append(named)
                }
                if candidates == nil {
                    var any = run
                    any.environment = .some(nil)
                    any.pullRequest = false
                    result.append(any)
                }
                if candidates == nil || candidates?.contains(where: \.isEmpty) == true || candidates?.isEmpty == true {
                    result.append(run)
                }
            } else {
                result.append(run)
            }
        }
        return result
    }
}

extension StringPattern {
    /// A wildcard pattern of `root` (a `*` is any string).
    init(root: String) { self.init(root, matching: .wildcard, resolvesVariables: false) }
}

extension JobTokens.Run {
    /// The subject of this run's tokens for messages, with `*` for the parts it does not fix.
    public var subjectText: String {
        let repo = "repo:\(repository ?? "OWNER/REPO")"
        if let environment { return "\(repo):environment:\(environment ?? "*")" }
        if pullRequest { return "\(repo):pull_request" }
        switch refs {
        case .patterns(let patterns) where patterns.count == 1: return "\(repo):ref:\(patterns[0].description)"
        default: return "\(repo):ref:*"
        }
    }

    /// The question to ask a trust's token space: the tokens of this run.
    /// - Parameter audience: the `aud` the job requests, or nil for any (a job holding `id-token: write` can ask for
    ///   any audience).
    func restriction(audience: String?) -> GitHubTokenSpace.Restriction {
        var restriction = GitHubTokenSpace.Restriction()
        let repository = self.repository
        let repositorySegments: @Sendable (Bool) -> [PatternSegment] = { immutable in
            guard let repository, let slash = repository.firstIndex(of: "/") else {
                return GitHubTokenLayout.prefix(immutable: immutable)
            }
            let owner = String(repository[..<slash])
            let name = String(repository[repository.index(after: slash)...])
            return GitHubTokenLayout.prefix(immutable: immutable, owner: .pattern(StringPattern(owner, matching: .exactIgnoringCase, resolvesVariables: false), excluding: []),
                                            name: .pattern(StringPattern(name, matching: .exactIgnoringCase, resolvesVariables: false), excluding: []))
        }
        let refs = self.refs
        let environment = self.environment
        let pullRequest = self.pullRequest
        if environment != nil {
            restriction.shapes = [.environment, .environmentImmutable]
        } else if pullRequest {
            restriction.shapes = [.pullRequest, .pullRequestImmutable]
        } else {
            restriction.shapes = [.ref, .refImmutable]
        }
        restriction.subjects = { shape in
            let prefix = repositorySegments(shape.isImmutable)
            if let environment {
                let value: PatternSegment = environment.map { .pattern(StringPattern($0, matching: .exactIgnoringCase, resolvesVariables: false), excluding: GitHubTokenLayout.environmentExcluded) }
                    ?? .field(excluding: GitHubTokenLayout.environmentExcluded, minimumLength: 1)
                return PatternSet(sequences: [prefix + [.literal(":environment:"), value]])
            }
            if pullRequest { return PatternSet(sequences: [prefix + [.literal(":pull_request")]]) }
            switch refs {
            case .all: return PatternSet(sequences: [prefix + GitHubTokenLayout.context(.ref)])
            case .none: return .empty
            case .patterns(let patterns):
                return PatternSet(sequences: patterns.map { prefix + [.literal(":ref:"), .pattern($0, excluding: GitHubTokenLayout.refExcluded)] })
            }
        }
        let refSet = refs.set
        let workflowPath = self.workflowPath
        let workflowRef = self.workflowRef
        let workflowName = self.workflowName
        restriction.values = { claim, shape in
            switch claim {
            case "ref": return shape.context == .pullRequest ? nil : refSet
            case "environment":
                if environment == nil { return .empty }
                if let name = environment ?? nil { return PatternSet(StringPattern(name, matching: .exactIgnoringCase, resolvesVariables: false)) }
                return nil
            case "job_workflow_ref":
                guard let workflowPath else { return nil }
                if let workflowRef { return PatternSet(StringPattern("\(workflowPath)@\(workflowRef)", matching: .wildcard, resolvesVariables: false)) }
                switch refs {
                case .all, .none: return PatternSet(StringPattern(workflowPath + "@*", matching: .wildcard, resolvesVariables: false))
                case .patterns(let patterns):
                    return PatternSet(anyOf: patterns.map { pattern in
                        let text = workflowPath + "@" + pattern.description
                        return StringPattern(text, matching: pattern.ignoresCase ? .exactIgnoringCase : .wildcard, resolvesVariables: false)
                    })
                }
            case "workflow": return PatternSet(literal: workflowName)
            case "repository": return repository.map { PatternSet(StringPattern($0, matching: .exactIgnoringCase, resolvesVariables: false)) }
            case "aud": return audience.map { PatternSet(literal: $0) }
            default: return nil
            }
        }
        return restriction
    }
}
