import IAMPolicy

/// The GitHub Actions tokens a trust policy admits, as whole tokens: the union over Allow statements of the
/// conjunction of their conditions on every exposed claim, minus the Deny statements whose principal and
/// action apply (DESIGN.md §6).
///
/// Each statement is read per token shape (``GitHubTokenShape``): the claims written inside the subject
/// (`repository`, `ref`, `environment`) become conditions on the subject, so a statement is one set of
/// subjects plus one set per free claim. A Deny refuses a token when all its conditions hold, so a token
/// escapes it through any one claim; the search tries each Deny's claims in turn.
///
/// Readings: an Allow is read as admitting the most and a Deny as refusing the least wherever IAM's
/// behaviour is not documented (two keys of one operator that differ only in case, operators that cannot
/// compare a claim) or a bound is reached (an automaton over ``PatternSet/defaultStateLimit`` states, more
/// than ``searchBudget`` Deny combinations). Answers reached that way say so (``Solution/bounded``), and an
/// emptiness answer is never one of them.
struct GitHubTokenSpace: Sendable {
    /// The most Deny combinations one question tries before it reads the Denies as refusing nothing.
    static let searchBudget = 512

    enum Reading: Sendable { case widest, narrowest }

    /// One statement read for one shape.
    struct Conditions: Sendable {
        /// False when a condition on a claim the shape lacks, or on a key never in the request, fails.
        var feasible: Bool
        /// The subjects that pass every condition on a claim written in the subject.
        var subjects: PatternSet
        /// The free and optional claims the statement tests, with what passes.
        var free: [String: ClaimConstraint]
        /// Whether a bound was reached or an undocumented construct was read one way.
        var bounded: Bool
    }

    /// A token the question's answer names.
    struct Solution: Sendable {
        var claims: [String: String]
        var shape: GitHubTokenShape
        var bounded: Bool
    }

    /// What a question restricts tokens to (a threat scenario), beyond the policy's conditions.
    struct Restriction: Sendable {
        var shapes: [GitHubTokenShape] = GitHubTokenShape.allCases
        /// Per shape, the subjects allowed; nil allows all.
        var subjects: @Sendable (GitHubTokenShape) -> PatternSet? = { _ in nil }
        /// Per shape and free claim, the values allowed; nil allows all.
        var values: @Sendable (String, GitHubTokenShape) -> PatternSet? = { _, _ in nil }
        /// A further condition: `claim` matches one of these patterns (one value of a clause).
        var only: (claim: String, patterns: [StringPattern])?
    }

    let statements: [GitHubTrust.FederatedStatement]
    let resolvesVariables: Bool
    /// Each statement per shape, widest for Allow, narrowest for Deny (nil when it cannot apply).
    private let readings: [[GitHubTokenShape: Conditions]]
    /// Each Allow statement per shape, through the Denies (see ``ways(through:readings:index:)``).
    private let leaves: [[GitHubTokenShape: (leaves: [Conditions], bounded: Bool)]]

    init(statements: [GitHubTrust.FederatedStatement], resolvesVariables: Bool) {
        self.statements = statements
        self.resolvesVariables = resolvesVariables
        let readings: [[GitHubTokenShape: Conditions]] = statements.map { statement in
            var byShape: [GitHubTokenShape: Conditions] = [:]
            guard statement.allowsWebIdentity, statement.statement.parsedEffect != nil else { return byShape }
            let reading: Reading = statement.statement.isAllow ? .widest : .narrowest
            for shape in GitHubTokenShape.allCases {
                byShape[shape] = Self.conditions(of: statement, shape: shape, reading: reading, resolvesVariables: resolvesVariables)
            }
            return byShape
        }
        self.readings = readings
        leaves = statements.indices.map { Self.ways(through: statements, readings: readings, index: $0) }
    }

    // MARK: Questions

    /// Whether some token passes the conditions of statement `index`, Denies aside.
    func admitsAnyToken(_ index: Int) -> Bool {
        GitHubTokenShape.allCases.contains { shape in
            readings[index][shape].map { Self.isSatisfiable($0, shape: shape) } ?? false
        }
    }

    /// Whether `pattern`, a value of a positive condition on `claim`, matches that claim in some token.
    static func canMatch(_ pattern: StringPattern, claim: String) -> Bool {
        GitHubTokenShape.allCases.contains { shape in
            let role = shape.role(of: claim)
            guard role != .absent else { return false }
            return !matchSet([pattern], claim: claim, role: role, shape: shape).intersection(universe(of: claim, role: role, shape: shape)).isEmpty
        }
    }

    /// The subjects of the tokens Allow statement `index` admits after the Denies that apply to it.
    func subjects(ofStatement index: Int) -> PatternSet {
        admitted(by: index, restriction: Restriction()).subjects
    }

    /// A token Allow statement `index` admits within `restriction` that no applicable Deny refuses, or nil.
    /// - Parameter preferred: values to try first for a claim, in order, when the conditions allow them.
    func solve(_ index: Int, _ restriction: Restriction, preferred: [String: [String]] = [:]) -> Solution? {
        var result: Solution?
        _ = explore(index, restriction) { conditions, shape, bounded in
            guard let claims = Self.witness(conditions, shape: shape, provider: statements[index].providers[0].keyPrefix,
                                            preferred: preferred) else { return false }
            result = Solution(claims: claims, shape: shape, bounded: bounded)
            return true
        }
        return result
    }

    /// The subjects of every token Allow statement `index` admits within `restriction`.
    func admitted(by index: Int, restriction: Restriction) -> (subjects: PatternSet, bounded: Bool) {
        var subjects = PatternSet.empty
        let bounded = explore(index, restriction) { conditions, _, _ in
            subjects = subjects.union(conditions.subjects)
            return false
        }
        return (subjects, bounded)
    }

    /// Calls `visit` with each feasible reading of Allow statement `index` under `restriction` and one way of
    /// escaping every applicable Deny, until it returns true. Returns whether a bound was reached.
    @discardableResult
    private func explore(_ index: Int, _ restriction: Restriction,
                         _ visit: (Conditions, GitHubTokenShape, Bool) -> Bool) -> Bool {
        guard statements[index].statement.isAllow else { return false }
        var anyBounded = false
        for shape in restriction.shapes {
            guard let ways = leaves[index][shape] else { continue }
            if ways.bounded { anyBounded = true }
            for leaf in ways.leaves {
                guard let conditions = Self.restricted(leaf, restriction, shape: shape) else { continue }
                if visit(conditions, shape, ways.bounded || conditions.bounded) { return anyBounded }
            }
        }
        return anyBounded
    }

    /// `conditions` under `restriction` (its subjects, values and `only` condition), or nil when no token is left.
    static func restricted(_ leaf: Conditions, _ restriction: Restriction, shape: GitHubTokenShape) -> Conditions? {
        var conditions = leaf
        if let limit = restriction.subjects(shape) { conditions.subjects = conditions.subjects.intersection(limit) }
        for (claim, constraint) in conditions.free {
            if let limit = restriction.values(claim, shape) {
                conditions.free[claim] = ClaimConstraint(values: constraint.values.intersection(limit), allowsMissing: constraint.allowsMissing)
            }
        }
        // Claims the statement leaves free may still be limited by the question.
        for claim in GitHubOIDC.exposedClaims where conditions.free[claim] == nil {
            let role = shape.role(of: claim)
            guard role == .free || role == .optional, let limit = restriction.values(claim, shape) else { continue }
            conditions.free[claim] = ClaimConstraint(values: GitHubTokenLayout.values(of: claim, in: shape).intersection(limit),
                                                     allowsMissing: role == .optional)
        }
        if let only = restriction.only {
            let role = shape.role(of: only.claim)
            let universe = universe(of: only.claim, role: role, shape: shape)
            let matched = matchSet(only.patterns, claim: only.claim, role: role, shape: shape).intersection(universe)
            switch role {
            case .subject, .inSubject: conditions.subjects = conditions.subjects.intersection(matched)
            case .absent: return nil
            case .free, .optional:
                let previous = conditions.free[only.claim] ?? ClaimConstraint(values: universe, allowsMissing: role == .optional)
                conditions.free[only.claim] = ClaimConstraint(values: previous.values.intersection(matched), allowsMissing: false)
            }
        }
        return isSatisfiable(conditions, shape: shape) ? conditions : nil
    }

    /// For each shape, the readings of Allow statement `index` that escape every applicable Deny, one per way
    /// through them; `bounded` when a Deny was read past a bound or the ways were too many to try (the Denies are
    /// then read as refusing nothing).
    static func ways(through statements: [GitHubTrust.FederatedStatement], readings: [[GitHubTokenShape: Conditions]],
                     index: Int) -> [GitHubTokenShape: (leaves: [Conditions], bounded: Bool)] {
        let allow = statements[index]
        var result: [GitHubTokenShape: (leaves: [Conditions], bounded: Bool)] = [:]
        guard allow.statement.isAllow else { return result }
        for shape in GitHubTokenShape.allCases {
            guard let conditions = readings[index][shape], isSatisfiable(conditions, shape: shape) else { continue }
            var bounded = conditions.bounded
            var denies: [Conditions] = []
            for (other, statement) in statements.enumerated() {
                switch GitHubTrust.scope(of: statement, over: allow) {
                case .applies: break
                case .doesNotApply: continue
                case .dependsOnTheRoleAccount:
                    bounded = true
                    continue
                }
                guard let deny = readings[other][shape], deny.feasible else { continue }
                if deny.bounded { bounded = true }
                if deny.subjects.exceededStateLimit || deny.free.values.contains(where: { $0.values.exceededStateLimit }) {
                    // A Deny read past a bound may refuse more than IAM does: read it as refusing nothing.
                    bounded = true
                    continue
                }
                denies.append(deny)
            }
            var leaves: [Conditions] = []
            var budget = searchBudget
            var exhausted = false
            func search(_ current: Conditions, _ next: Int) {
                guard !exhausted, isSatisfiable(current, shape: shape) else { return }
                guard next < denies.count else {
                    leaves.append(current)
                    return
                }
                budget -= 1
                if budget < 0 {
                    exhausted = true
                    return
                }
                for escape in escapes(from: denies[next], within: current, shape: shape) {
                    search(escape, next + 1)
                }
            }
            search(conditions, 0)
            if exhausted {
                // Too many ways through the Denies: read them as refusing nothing, and say so.
                leaves = [conditions]
                bounded = true
            }
            result[shape] = (leaves, bounded)
        }
        return result
    }

    /// The readings of `current` that escape `deny`: through the subject, or through one free claim.
    static func escapes(from deny: Conditions, within current: Conditions, shape: GitHubTokenShape) -> [Conditions] {
        var result: [Conditions] = []
        let refusedSubjects = deny.subjects
        if !refusedSubjects.isUniversal {
            var escape = current
            escape.subjects = current.subjects.subtracting(refusedSubjects)
            result.append(escape)
        }
        for (claim, refused) in deny.free.sorted(by: { $0.key < $1.key }) {
            var escape = current
            let base = current.free[claim] ?? ClaimConstraint(values: GitHubTokenLayout.values(of: claim, in: shape),
                                                               allowsMissing: shape.role(of: claim) == .optional)
            escape.free[claim] = ClaimConstraint(values: base.values.subtracting(refused.values),
                                                 allowsMissing: base.allowsMissing && !refused.allowsMissing)
            result.append(escape)
        }
        return result
    }

    /// Whether some token of `shape` passes `conditions`.
    static func isSatisfiable(_ conditions: Conditions, shape: GitHubTokenShape) -> Bool {
        guard conditions.feasible, !conditions.subjects.isEmpty else { return false }
        for (claim, constraint) in conditions.free {
            let role = shape.role(of: claim)
            let present = !constraint.values.isEmpty
            let absent = role == .optional && constraint.allowsMissing
            if !present && !absent { return false }
        }
        return true
    }

    // MARK: Reading a statement

    /// What `statement` requires of a token of `shape`, under `reading`.
    static func conditions(of statement: GitHubTrust.FederatedStatement, shape: GitHubTokenShape, reading: Reading,
                           resolvesVariables: Bool) -> Conditions {
        // A Deny's subjects are only ever subtracted from an Allow's, which lie in the shape already.
        var result = Conditions(feasible: true, subjects: reading == .widest ? GitHubTokenLayout.subjects(shape) : .all, free: [:], bounded: false)
        // Clauses of one operator on one key written in several cases: IAM does not document which it reads.
        var groups: [(claim: String, members: [GitHubTrust.Clause])] = []
        for item in statement.clauses {
            if item.isInRequest {
                if let found = groups.firstIndex(where: { group in
                    group.members[0].clause.operatorName.pointer == item.clause.operatorName.pointer
                        && group.members[0].clause.normalizedKey == item.clause.normalizedKey
                }) {
                    groups[found].members.append(item)
                } else {
                    groups.append((item.claim, [item]))
                }
                continue
            }
            // A key AWS does not put in a GitHub token's request: another issuer's claim (its prefix is a host,
            // `gitlab.com:sub`) or a claim of this issuer AWS does not expose. Global and service keys
            // (`aws:SourceIp`) may be in the request with any value.
            let isGitHubKey = item.matchesProvider || item.looksLikeGitHub || item.prefix.contains(".") || item.prefix.contains("/")
            switch reading {
            case .widest:
                // Keys of other services (`aws:SourceIp`) may be in the request with any value: they restrict nothing here.
                if isGitHubKey, let constraint = item.constraint, !constraint.allowsMissing { result.feasible = false }
            case .narrowest:
                // Only a condition certainly true without the key (negated, IfExists, ForAllValues, Null) keeps the Deny.
                guard isGitHubKey, let constraint = item.constraint, constraint.allowsMissing else {
                    result.feasible = false
                    continue
                }
            }
        }
        for group in groups {
            let role = shape.role(of: group.claim)
            let passes: [Pass] = group.members.map {
                pass(of: $0.clause, claim: group.claim, role: role, shape: shape, reading: reading, resolvesVariables: resolvesVariables, matched: $0.matched)
            }
            guard var combined = passes.first else { continue }
            for other in passes.dropFirst() {
                switch reading {
                case .widest: combined = Pass(values: combined.values.union(other.values), allowsMissing: combined.allowsMissing || other.allowsMissing, bounded: true)
                case .narrowest: combined = Pass(values: combined.values.intersection(other.values), allowsMissing: combined.allowsMissing && other.allowsMissing, bounded: true)
                }
            }
            if combined.bounded { result.bounded = true }
            switch role {
            case .subject, .inSubject:
                result.subjects = result.subjects.intersection(combined.values)
            case .absent:
                if !combined.allowsMissing { result.feasible = false }
            case .free, .optional:
                let previous = result.free[group.claim] ?? ClaimConstraint(values: GitHubTokenLayout.values(of: group.claim, in: shape), allowsMissing: role == .optional)
                result.free[group.claim] = ClaimConstraint(values: previous.values.intersection(combined.values),
                                                           allowsMissing: previous.allowsMissing && combined.allowsMissing)
            }
        }
        if result.subjects.exceededStateLimit { result.bounded = true }
        return result
    }

    struct Pass {
        var values: PatternSet
        var allowsMissing: Bool
        var bounded: Bool
    }

    static func universe(of claim: String, role: GitHubTokenLayout.ClaimRole, shape: GitHubTokenShape) -> PatternSet {
        switch role {
        case .subject, .inSubject: GitHubTokenLayout.subjects(shape)
        case .free, .optional: GitHubTokenLayout.values(of: claim, in: shape)
        case .absent: .empty
        }
    }

    /// The values (subjects, for a claim written in the subject) one of `patterns` matches.
    static func matchSet(_ patterns: [StringPattern], claim: String, role: GitHubTokenLayout.ClaimRole, shape: GitHubTokenShape) -> PatternSet {
        guard !patterns.isEmpty else { return .empty }
        switch role {
        case .inSubject: return GitHubTokenLayout.subjects(shape, whose: claim, matchesAnyOf: patterns)
        default: return PatternSet(anyOf: patterns)
        }
    }

    /// What one clause lets through, following IAM's evaluation logic, read as `reading` where IAM leaves it open.
    ///
    /// Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
    /// - Parameter matched: the values the clause's patterns match as the policy reads them (``GitHubTrust/Clause/matched``).
    static func pass(of clause: ConditionClause, claim: String, role: GitHubTokenLayout.ClaimRole, shape: GitHubTokenShape,
                     reading: Reading, resolvesVariables: Bool, matched prebuilt: PatternSet? = nil) -> Pass {
        // A Deny's subjects are only subtracted from an Allow's, which lie in the shape already.
        let universe = role == .subject && reading == .narrowest ? PatternSet.all : universe(of: claim, role: role, shape: shape)
        let widest = reading == .widest
        guard let op = clause.parsedOperator else {
            // IAM rejects an unknown operator; read it as passing everything (Allow) or nothing (Deny).
            return Pass(values: widest ? universe : .empty, allowsMissing: widest, bounded: true)
        }
        var allowsMissing: Bool
        var values: PatternSet
        var bounded = false
        switch op.base.category {
        case .string:
            // The values that match: more of them widens an Allow's positive test and narrows a negated one.
            let overApproximate = widest != op.base.isNegated
            var patterns: [StringPattern] = []
            for value in clause.values.values {
                guard let pattern = StringPattern(value.text, operator: op.base, resolvesVariables: resolvesVariables) else { continue }
                if pattern.containsVariables {
                    bounded = true
                    // A policy variable is any string in an over-approximation and matches nothing in an under-approximation.
                    if !overApproximate { continue }
                }
                patterns.append(pattern)
            }
            // A `sub` clause without policy variables matches what the trust's reading already built.
            var matched = role == .subject && !bounded && prebuilt != nil ? prebuilt ?? .empty : matchSet(patterns, claim: claim, role: role, shape: shape)
            if matched.exceededStateLimit {
                bounded = true
                if !overApproximate { matched = .empty }
            }
            values = op.base.isNegated ? universe.subtracting(matched) : matched.intersection(universe)
            allowsMissing = op.base.isNegated
        case .null:
            let wanted = Set(clause.values.values.map { $0.text.lowercased() })
            if wanted == ["true"] {
                values = .empty
                allowsMissing = true
            } else if wanted == ["false"] {
                values = universe
                allowsMissing = false
            } else if wanted == ["true", "false"] {
                values = universe
                allowsMissing = true
            } else {
                values = widest ? universe : .empty
                allowsMissing = widest
                bounded = true
            }
            return Pass(values: values, allowsMissing: allowsMissing, bounded: bounded)
        default:
            // Numeric, date, Bool, address, binary and ARN operators on a token claim: read as passing every value
            // (Allow) or none (Deny).
            values = widest ? universe : .empty
            allowsMissing = widest ? true : op.ifExists
            bounded = true
            return Pass(values: values, allowsMissing: allowsMissing, bounded: bounded)
        }
        if op.ifExists { allowsMissing = true }
        switch op.qualifier {
        case .forAllValues: allowsMissing = true
        case .forAnyValue: if !op.ifExists { allowsMissing = false }
        case nil: break
        }
        return Pass(values: values, allowsMissing: allowsMissing, bounded: bounded)
    }

    // MARK: Witnesses

    /// Values a witness prefers for a free claim, when the conditions allow them.
    static let preferredValues: [String: [String]] = [
        "aud": [GitHubOIDC.defaultAudience],
        "ref": ["refs/heads/main", "refs/heads/feature", "refs/tags/v1", "refs/pull/1/merge"],
        "actor": ["stranger"],
        "actor_id": ["1001"],
        "repository_id": ["1001"],
        "enterprise_id": ["1001"],
        "workflow": ["deploy"],
    ]

    /// A whole token passing `conditions`, or nil when none does.
    static func witness(_ conditions: Conditions, shape: GitHubTokenShape, provider: String,
                        preferred: [String: [String]] = [:]) -> [String: String]? {
        guard isSatisfiable(conditions, shape: shape),
              let subject = preferred["sub", default: []].first(where: conditions.subjects.contains)
                ?? GitHubSubjectReview.readableWitness(conditions.subjects) else { return nil }
        var claims: [String: String] = ["sub": subject, "iss": provider]
        if shape != .custom {
            for (claim, value) in GitHubTokenLayout.claims(ofSubject: subject) { claims[claim] = value }
        }
        let free = ["repository", "ref", "aud", "job_workflow_ref", "workflow", "actor", "actor_id", "repository_id", "environment", "enterprise_id"]
        for claim in free {
            let role = shape.role(of: claim)
            guard role == .free || role == .optional else { continue }
            let constraint = conditions.free[claim] ?? ClaimConstraint(values: GitHubTokenLayout.values(of: claim, in: shape), allowsMissing: role == .optional)
            if role == .optional, constraint.allowsMissing {
                claims[claim] = nil
                continue
            }
            var candidates = preferred[claim, default: []] + (preferredValues[claim] ?? [])
            if claim == "repository", let repository = claims["repository"] { candidates.insert(repository, at: 0) }
            if claim == "job_workflow_ref", let repository = claims["repository"] {
                candidates.append("\(repository)/.github/workflows/deploy.yml@\(claims["ref"] ?? "refs/heads/main")")
            }
            if let value = candidates.first(where: constraint.values.contains) ?? constraint.values.shortestWitness() {
                claims[claim] = value
            } else {
                return nil
            }
        }
        return claims
    }
}
