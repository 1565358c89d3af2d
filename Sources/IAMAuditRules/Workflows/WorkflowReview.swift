import IAMPolicy

/// The run's workflows against the trust policies of its roles, computed once for every workflow rule: for each
/// job, the tokens it can mint (``JobTokens``), where its `id-token` grant is written, the roles it assumes, and for
/// each role whose trust admits one of its tokens, a whole witness token.
public struct WorkflowReview: Sendable {
    /// One job of one workflow (a reusable workflow's job once, with the runs of every caller).
    public struct Job: Sendable {
        public var workflow: Int
        public var job: Int
        /// The workflow file (the caller's for a grant inherited from a caller).
        public var file: String
        public var id: String
        /// What the job's token may hold for `id-token`, and where that grant is written (nil: nowhere, none).
        public var idToken: WorkflowPermissions.Access
        public var grant: (file: String, site: WorkflowSite)?
        /// Whether the grant is the workflow's `permissions`, inherited by the job.
        public var grantIsWorkflowLevel: Bool
        /// Whether the job calls a reusable workflow of the run: it runs no step and mints no token itself (the
        /// called jobs do, with at most its grant). A job calling a workflow the run does not hold stands for the
        /// called jobs, which mint its repository's tokens.
        public var callsWorkflow: Bool
        public var runs: [JobTokens.Run]
        /// The steps assuming a role with the job's token, each with the names its `role-to-assume` may take (nil:
        /// undecided) and the roles of the run those names match.
        public var assumptions: [Assumption]
        /// Whether the job may assume roles iam-audit does not see: a composite or other action, a script calling
        /// STS, a reusable workflow outside the run, or a `role-to-assume` it cannot resolve.
        public var mayAssumeUnseen: Bool
        /// The design environment the job deploys to: by its GitHub environment, else by the one branch all its
        /// runs are on.
        public var environment: String?
        /// For each role index whose trust admits a token of the job: the witness, stranger-started runs first.
        public var admissions: [Int: Admission]
        /// The same over the runs only the repository's members start (a push, a dispatch, a pull request).
        public var memberAdmissions: [Int: Admission]
    }

    public struct Assumption: Sendable {
        public var step: CredentialStep
        /// The role names the step's `role-to-assume` may take; nil when an expression leaves it open.
        public var names: [String]?
        /// The roles of the run those names match (by name, ignoring case).
        public var roles: [Int]
    }

    public struct Admission: Sendable {
        public var run: JobTokens.Run
        public var witness: [String: String]
        /// Whether a stranger can start the run that mints the token.
        public var byStranger: Bool
        public var bounded: Bool
    }

    public var jobs: [Job]
    public var roles: [ProjectRole]
    /// The GitHub trust of each role (nil for a role whose trust names no GitHub provider).
    public var trusts: [GitHubTrust?]
    /// The repository the workflows belong to (the design's), when known.
    public var repository: String?
    /// For each role, whether its trust admits subjects of a custom template (`include_claim_keys`): the jobs'
    /// tokens are read under GitHub's default template, so whether the deploy works is not decided.
    public var expectsCustomSubjects: [Bool]

    public init(workflows: [GitHubWorkflow], roles: [ProjectRole], design: Design?) {
        self.roles = roles
        self.trusts = roles.map { GitHubTrust.of($0.trust) }
        self.expectsCustomSubjects = trusts.map { $0?.admittedSubjects.overlaps(GitHubTokenLayout.subjects(.custom)) ?? false }
        let repository = design?.github?.repository
        self.repository = repository
        // The runs of default-branch events (`pull_request_target`, `issue_comment`, `schedule`, …) carry the
        // default branch's ref: the design's, else any branch.
        let defaultBranch: JobTokens.Refs = .patterns([design?.github?.defaultBranch.map { StringPattern("refs/heads/\($0)", resolvesVariables: false) }
                                                       ?? StringPattern("refs/heads/*")])
        // Jobs of reusable workflows run with their callers' events and at most their callers' grant, calls of calls
        // included (GitHub nests up to ten levels). A call names the workflow by `./path` or, for the same
        // repository, `OWNER/REPO/path@ref`.
        func calls(_ call: WorkflowCall, _ target: GitHubWorkflow) -> Bool {
            if let local = call.localPath { return local == target.path }
            if let other = call.repository, let path = call.path, let repository { return other.lowercased() == repository.lowercased() && path == target.path }
            return false
        }
        var memo: [[Job?]] = workflows.map { Array(repeating: nil, count: $0.jobs.count) }
        var visiting = Set<[Int]>()
        func entry(_ workflowIndex: Int, _ jobIndex: Int, depth: Int) -> Job {
            if let known = memo[workflowIndex][jobIndex] { return known }
            let workflow = workflows[workflowIndex]
            visiting.insert([workflowIndex, jobIndex])
            var contexts: [(runs: [JobTokens.Run], idToken: WorkflowPermissions.Access, grant: (file: String, site: WorkflowSite)?, workflowLevel: Bool)]?
            if workflow.trigger("workflow_call") != nil || workflow.triggers.isEmpty, depth < 10 {
                var found: [(runs: [JobTokens.Run], idToken: WorkflowPermissions.Access, grant: (file: String, site: WorkflowSite)?, workflowLevel: Bool)] = []
                for (callerWorkflow, caller) in workflows.enumerated() {
                    for (callerJob, job) in caller.jobs.enumerated() {
                        guard let call = job.call, calls(call, workflow), !visiting.contains([callerWorkflow, callerJob]) else { continue }
                        let callerEntry = entry(callerWorkflow, callerJob, depth: depth + 1)
                        // Called by `OWNER/REPO/…@REF`: the called workflow's `job_workflow_ref` carries that ref, not the run's.
                        let runs = call.localPath != nil ? callerEntry.runs : callerEntry.runs.map { run in
                            var called = run
                            called.workflowRef = "*"
                            return called
                        }
                        found.append((runs, callerEntry.idToken, callerEntry.grant, callerEntry.grantIsWorkflowLevel))
                    }
                }
                if !found.isEmpty { contexts = found }
            }
            let inherited = contexts.map { list in
                list.max { $0.idToken < $1.idToken }.map { ($0.idToken, $0.grant, $0.workflowLevel) } ?? (.none, nil, false)
            }
            var result = Self.job(workflow.jobs[jobIndex], in: workflow, index: (workflowIndex, jobIndex), repository: repository,
                                  defaultBranch: defaultBranch, callers: contexts.map { $0.flatMap(\.runs) }, inherited: inherited,
                                  roles: roles, design: design)
            if let call = workflow.jobs[jobIndex].call { result.callsWorkflow = workflows.contains { calls(call, $0) } }
            visiting.remove([workflowIndex, jobIndex])
            memo[workflowIndex][jobIndex] = result
            return result
        }
        var jobs: [Job] = []
        for (workflowIndex, workflow) in workflows.enumerated() {
            for jobIndex in workflow.jobs.indices { jobs.append(entry(workflowIndex, jobIndex, depth: 0)) }
        }
        // Which roles admit which job's tokens.
        for index in jobs.indices where jobs[index].idToken == .write && !jobs[index].callsWorkflow {
            for (roleIndex, trust) in trusts.enumerated() {
                guard let trust else { continue }
                guard let admission = Self.admission(of: jobs[index].runs, by: trust, policy: roles[roleIndex].trust, audience: nil) else { continue }
                jobs[index].admissions[roleIndex] = admission
                let memberRuns = jobs[index].runs.filter { !$0.strangerCanTrigger }
                jobs[index].memberAdmissions[roleIndex] = admission.byStranger
                    ? Self.admission(of: memberRuns, by: trust, policy: roles[roleIndex].trust, audience: nil) : admission
            }
        }
        self.jobs = jobs
    }

    /// The review entry of one job.
    static func job(_ job: WorkflowJob, in workflow: GitHubWorkflow, index: (Int, Int), repository: String?, defaultBranch: JobTokens.Refs,
                    callers: [JobTokens.Run]?, inherited: (WorkflowPermissions.Access, (file: String, site: WorkflowSite)?, Bool)?,
                    roles: [ProjectRole], design: Design?) -> Job {
        // The job's own block wins over the workflow's; without either, GitHub's default gives `id-token: none`.
        var access = WorkflowPermissions.Access.none
        var grant: (file: String, site: WorkflowSite)?
        var workflowLevel = false
        if let own = job.permissions {
            access = own.idToken
            grant = (workflow.file, own.grantSite)
        } else if let level = workflow.permissions {
            access = level.idToken
            grant = (workflow.file, level.grantSite)
            workflowLevel = true
        }
        if let (callerAccess, callerGrant, callerLevel) = inherited {
            // Called: at most what the caller grants (the caller's grant when the workflow sets none). A workflow
            // that has triggers of its own also runs with its own grant: the larger one is read.
            let ownBlock = job.permissions != nil || workflow.permissions != nil
            let calledAccess = ownBlock ? min(access, callerAccess) : callerAccess
            let hasOwnTriggers = workflow.triggers.contains { $0.event.lowercased() != "workflow_call" }
            if !hasOwnTriggers || calledAccess > access {
                if !ownBlock {
                    grant = callerGrant
                    workflowLevel = callerLevel
                }
                access = hasOwnTriggers ? max(access, calledAccess) : calledAccess
            }
        }
        let runs = JobTokens.runs(of: job, in: workflow, repository: repository, defaultBranch: defaultBranch, callers: callers)
        var assumptions: [Assumption] = []
        var unseen = job.mayAssumeRoleUnseen
        if let call = job.call, call.localPath == nil { unseen = true }
        for step in job.credentialSteps where step.usesWebIdentity {
            guard let value = step.roleToAssume else { continue }
            let names = roleNames(value)
            if names == nil { unseen = true }
            let matched = roles.indices.filter { index in
                guard let name = roles[index].name else { return false }
                return names?.contains { $0.lowercased() == name.lowercased() } ?? false
            }
            assumptions.append(Assumption(step: step, names: names, roles: matched))
        }
        return Job(workflow: index.0, job: index.1, file: workflow.file, id: job.id, idToken: access, grant: grant,
                   grantIsWorkflowLevel: workflowLevel, callsWorkflow: false, runs: runs, assumptions: assumptions, mayAssumeUnseen: unseen,
                   environment: environment(of: job, runs: runs, design: design), admissions: [:], memberAdmissions: [:])
    }

    /// The role names a `role-to-assume` value may take: the last path segment of an ARN (`arn:aws:iam::1:role/path/name`)
    /// or the value itself; nil when an expression leaves the name open (an expression only in the account is fine).
    static func roleNames(_ value: WorkflowValue) -> [String]? {
        func name(_ text: String) -> String? {
            let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            var tail = trimmed
            if let range = trimmed.range(of: ":role/") { tail = String(trimmed[range.upperBound...]) }
            let last = tail.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? tail
            return last.isEmpty || last.contains("${{") || last.contains("}}") ? nil : last
        }
        if let candidates = value.candidates {
            let names = candidates.compactMap(name)
            return names.count == candidates.count && !names.isEmpty ? names : nil
        }
        return name(value.text).map { [$0] }
    }

    /// The design environment of a job: the one whose GitHub environment (or name) the job names; without an
    /// environment, the one whose branch every run is on.
    static func environment(of job: WorkflowJob, runs: [JobTokens.Run], design: Design?) -> String? {
        guard let design else { return nil }
        if let value = job.environment {
            guard let candidates = value.candidates, candidates.count == 1 else { return nil }
            let name = candidates[0].lowercased()
            return design.environments.first { ($0.githubEnvironment ?? $0.name).lowercased() == name }?.name
        }
        var found: String?
        for run in runs {
            guard case .patterns(let patterns) = run.refs, patterns.count == 1, let ref = patterns[0].literalValue?.lowercased()
                  ?? (patterns[0].ignoresCase ? patterns[0].description.lowercased() : nil) else { return nil }
            guard let environment = design.environments.first(where: { $0.branch.map { "refs/heads/\($0)".lowercased() == ref } ?? false })
            else { return nil }
            if let found, found != environment.name { return nil }
            found = environment.name
        }
        return found
    }

    /// The first run of `runs` (stranger-started ones first) one of whose tokens the trust admits, with the witness.
    /// - Parameter audience: the `aud` the job requests, or nil for any.
    static func admission(of runs: [JobTokens.Run], by trust: GitHubTrust, policy: Policy, audience: String?) -> Admission? {
        let ordered = runs.filter(\.strangerCanTrigger) + runs.filter { !$0.strangerCanTrigger }
        for run in ordered {
            let restriction = run.restriction(audience: audience)
            for (index, statement) in trust.statements.enumerated() where statement.statement.isAllow && statement.allowsWebIdentity {
                guard let solution = trust.space.solve(index, restriction) else { continue }
                var witness = solution.claims
                if witness["aud"] == nil, let audience { witness["aud"] = audience }
                // The claims are solved one by one: a `job_workflow_ref` at the run's ref reads best at the witness's ref.
                if run.workflowRef == nil, let path = run.workflowPath, let ref = witness["ref"], witness["job_workflow_ref"] != "\(path)@\(ref)" {
                    var aligned = witness
                    aligned["job_workflow_ref"] = "\(path)@\(ref)"
                    if GitHubSubjectReview.admits(policy, aligned) { witness = aligned }
                }
                let confirmed = GitHubSubjectReview.admits(policy, witness)
                return Admission(run: run, witness: witness, byStranger: run.strangerCanTrigger, bounded: solution.bounded || !confirmed)
            }
        }
        return nil
    }

    /// The roles a job assumes by name (resolved steps only).
    public func assumedRoles(_ job: Job) -> Set<Int> {
        Set(job.assumptions.flatMap(\.roles))
    }

    /// The name of a role for messages.
    public func roleText(_ index: Int) -> String { roles[index].label }

    /// A witness token for messages: `sub` first, then the other claims the role's trust tests (but `aud`).
    public func tokenText(_ witness: [String: String], role: Int) -> String {
        let tested = Set(trusts[role]?.statements.flatMap { $0.clauses.filter(\.isInRequest).map(\.claim) } ?? [])
        var parts: [String] = []
        if let sub = witness["sub"] { parts.append("sub '\(sub)'") }
        for key in witness.keys.sorted() where key != "sub" && key != "aud" && tested.contains(key) {
            if let value = witness[key] { parts.append("\(key) '\(value)'") }
        }
        return parts.joined(separator: ", ")
    }
}

extension WorkflowJob {
    /// Whether the job may assume a role where iam-audit does not see: a local composite action, an action whose
    /// name speaks of AWS, or a script calling STS. Other third-party actions (coverage uploaders, linters) are not
    /// read as assuming a role: a job using one still counts as not deploying.
    public var mayAssumeRoleUnseen: Bool {
        runMayAssume || otherActions.contains { action in
            let uses = action.text.lowercased()
            return uses.hasPrefix("./") || uses.contains("aws") || uses.contains("${{")
        }
    }
}

/// `iam-audit simulate --workflow FILE --job NAME`: which roles of the run one job can assume, and with which token.
public struct JobSimulation: Sendable {
    /// One role of the run and the token of the job its trust admits, if any.
    public struct Outcome: Sendable {
        public var role: ProjectRole
        public var admission: WorkflowReview.Admission?
        /// The admitted token for messages: `sub` and the claims the trust tests.
        public var token: String?
        /// Whether the role's trust takes GitHub tokens at all (a Lambda execution role's does not).
        public var takesGitHubTokens = true
    }

    public var job: WorkflowReview.Job
    /// The job's runs, narrowed to the event and ref asked about.
    public var runs: [JobTokens.Run]
    public var outcomes: [Outcome]
}

extension WorkflowReview {
    /// The roles the job `jobID` of the workflow read from `file` can assume, over its runs on `event` (any when
    /// nil) and `ref` (any when nil); nil when the run holds no such workflow or job.
    public func simulate(workflowFile file: String, job jobID: String, event: String?, ref: String?) -> JobSimulation? {
        guard let job = jobs.first(where: { $0.file == file && $0.id == jobID }) else { return nil }
        var runs = job.runs
        if let event { runs = runs.filter { $0.event == event.lowercased() } }
        if let ref {
            runs = runs.compactMap { run in
                guard run.refs.set.contains(ref) else { return nil }
                var narrowed = run
                narrowed.refs = .patterns([StringPattern(ref, matching: .exact, resolvesVariables: false)])
                return narrowed
            }
        }
        let outcomes = roles.indices.map { index in
            let admission = job.idToken == .write && !runs.isEmpty
                ? trusts[index].flatMap { Self.admission(of: runs, by: $0, policy: roles[index].trust, audience: nil) } : nil
            return JobSimulation.Outcome(role: roles[index], admission: admission, token: admission.map { tokenText($0.witness, role: index) },
                                         takesGitHubTokens: trusts[index] != nil)
        }
        return JobSimulation(job: job, runs: runs, outcomes: outcomes)
    }
}
