import IAMPolicy

/// How a value of an Allow statement widens what the role admits, from the most to the least severe, with the
/// whole token that shows it.
public enum GitHubSubjectExposure: Sendable, Hashable {
    /// Tokens of owners the policy does not name (`repo:*`, `repo:acme*`).
    case anyOwner(witness: [String: String])
    /// A custom subject that names no owner (`environment:prod`), so any owner's token can carry it.
    case noOwnerAnchor(witness: [String: String])
    /// Other repositories of a named owner (`repo:acme/*`).
    case anyRepository(owner: String, witness: [String: String])
    /// Refs and environments of a named repository beyond the literal ones (`repo:acme/app:*`), and maybe its
    /// pull requests; `kinds` lists them (`branch`, `tag`, `environment`, `pull_request`).
    case anyContext(repository: String, kinds: [String], witness: [String: String])
    /// The `pull_request` subject of a repository, which any pull request's workflow run presents.
    case pullRequest(witness: [String: String])

    public var witness: [String: String] {
        switch self {
        case .anyOwner(let witness), .noOwnerAnchor(let witness), .anyRepository(_, let witness),
             .anyContext(_, _, let witness), .pullRequest(let witness): witness
        }
    }
}

/// The threat questions the OIDC and DSN rules ask of a GitHub trust, answered over whole tokens
/// (``GitHubTokenSpace``): can a stranger's workflow get in, another repository of the owner, another ref
/// or environment of a named repository, a pull request? Each answer names a whole token and the value of
/// the policy to blame.
public struct GitHubSubjectReview: Sendable {
    /// One value of a positive condition (`StringEquals`, `StringLike`, their `IgnoreCase` forms) of an Allow statement.
    public struct Item: Sendable {
        public var statement: GitHubTrust.FederatedStatement
        public var clause: GitHubTrust.Clause
        public var value: Located<ConditionValue>
        /// The subjects of the tokens this value admits within its statement, after the Denies that apply.
        public var admitted: PatternSet
        /// The most severe exposure, or nil when the value admits only what the policy names literally.
        public var exposure: GitHubSubjectExposure?
        /// Whether the answer was read past a bound or an undocumented construct, admitting the most.
        public var bounded: Bool
    }

    /// A stranger's token an Allow statement admits with no value of a claim only an owner controls to blame:
    /// the statement pins nothing a stranger cannot present.
    public struct UnpinnedStatement: Sendable {
        public var statement: GitHubTrust.FederatedStatement
        /// Claims the statement tests with a positive operator (none of them keeps strangers out).
        public var testedClaims: [String]
        public var witness: [String: String]
        public var bounded: Bool
    }

    public var items: [Item]
    public var unpinned: [UnpinnedStatement]
    public var vocabulary: GitHubSubjectVocabulary

    private static let analysisKey = AnalysisKey<GitHubSubjectReview?>("GitHubSubjectReview")

    /// The review of `policy`'s GitHub trust, computed once per policy (the design is the run's).
    public static func of(_ policy: Policy, design: Design?) -> GitHubSubjectReview? {
        policy.analyses.value(analysisKey) {
            GitHubTrust.of(policy).map { GitHubSubjectReview(trust: $0, design: design, policy: policy) }
        }
    }

    /// Claims whose values only the repository's owner (or enterprise) can make a token carry.
    static let ownerClaims = ["sub", "repository", "repository_id", "enterprise_id"]

    /// - Parameter policy: the trust's policy, to check each witness with ``TrustSimulation`` (the reading of
    ///   a witness built past a bound or through a policy variable is then kept only when it is a real one).
    public init(trust: GitHubTrust, design: Design?, policy: Policy? = nil) {
        let vocabulary = GitHubSubjectVocabulary(trust: trust, design: design)
        self.vocabulary = vocabulary
        let threats = Threats(vocabulary: vocabulary)
        let space = trust.space
        var items: [Item] = []
        var unpinned: [UnpinnedStatement] = []
        for (index, statement) in trust.statements.enumerated() where statement.statement.isAllow && statement.allowsWebIdentity {
            // Every positive value of the statement, with what it admits.
            var reviewed: [(clause: GitHubTrust.Clause, value: Located<ConditionValue>, pattern: StringPattern)] = []
            for clause in statement.clauses where clause.isInRequest && Self.isPositivePin(clause.clause) {
                guard let op = clause.clause.parsedOperator else { continue }
                for value in clause.clause.values.items {
                    guard let pattern = StringPattern(value.value.text, operator: op.base, resolvesVariables: space.resolvesVariables) else { continue }
                    reviewed.append((clause, value, pattern))
                }
            }
            var exposures: [Int: (exposure: GitHubSubjectExposure, bounded: Bool)] = [:]
            /// The solution, its witness checked against the policy's own evaluation; a witness the evaluation refuses
            /// (a policy variable read as any value) is rebuilt once from the values the variables take in it, and
            /// kept, marked bounded, when still refused: the widest reading stands.
            func verified(_ solution: GitHubTokenSpace.Solution?, _ restriction: GitHubTokenSpace.Restriction) -> GitHubTokenSpace.Solution? {
                // `simulate` evaluates a statement whose provider it recognises (or everyone); a templated or
                // malformed `Federated` value is taken on the conditions alone.
                guard var solution, let policy, statement.principalIsEveryone || statement.providers.allSatisfy({ $0.arn != nil })
                else { return solution }
                if Self.admits(policy, solution.claims) { return solution }
                let preferred = Self.substitutedValues(statement, witness: solution.claims)
                if !preferred.isEmpty, let retried = space.solve(index, restriction, preferred: preferred), Self.admits(policy, retried.claims) {
                    return retried
                }
                solution.bounded = true
                return solution
            }
            func blame(_ restriction: GitHubTokenSpace.Restriction, order: [String], skipLiteral: (String, StringPattern) -> Bool,
                       _ make: (GitHubTokenSpace.Solution) -> GitHubSubjectExposure?) -> GitHubTokenSpace.Solution? {
                guard let whole = verified(space.solve(index, restriction), restriction) else { return nil }
                for claim in order {
                    let candidates = reviewed.indices.filter { reviewed[$0].clause.claim == claim }
                    guard !candidates.isEmpty else { continue }
                    for position in candidates where exposures[position] == nil {
                        let pattern = reviewed[position].pattern
                        if pattern.literalValue != nil, !pattern.ignoresCase, skipLiteral(claim, pattern) { continue }
                        var narrowed = restriction
                        narrowed.only = (claim, [pattern])
                        guard let solution = verified(space.solve(index, narrowed), narrowed), let exposure = make(solution) else { continue }
                        exposures[position] = (exposure, solution.bounded)
                    }
                    return whole
                }
                return whole
            }

            // Every token of a statement whose `sub` tests only name subjects of a named repository at a named ref or
            // environment is the owner's, at a place the policy names: no question has an answer (the other
            // conditions and the Denies only narrow). Most roles of an account are written so.
            let subjectPins = statement.clauses.filter { $0.isInRequest && $0.claim == "sub" }
            let pinnedToNamedPlaces = !subjectPins.isEmpty && subjectPins.contains { Self.isPositivePin($0.clause) }
                && subjectPins.allSatisfy { clause in
                    guard Self.isPositivePin(clause.clause), let op = clause.clause.parsedOperator,
                          op.base == .stringEquals || op.base == .stringLike else { return false }
                    return clause.clause.values.values.allSatisfy { value in
                        guard let pattern = StringPattern(value.text, operator: op.base, resolvesVariables: space.resolvesVariables),
                              let literal = pattern.literalValue, let parts = GitHubSubjectParts(literal),
                              parts.literalOwner != nil, parts.literalRepository != nil, let context = parts.context,
                              context.hasPrefix("ref:") || context.hasPrefix("environment:") else { return false }
                        return threats.anchored.contains(literal)
                    }
                }
            if pinnedToNamedPlaces {
                for entry in reviewed where entry.clause.claim == "sub" {
                    let literal = entry.pattern.literalValue ?? ""
                    guard statement.subjects.contains(literal) else { continue }
                    items.append(Item(statement: statement, clause: entry.clause, value: entry.value, admitted: PatternSet(literal: literal),
                                      exposure: nil, bounded: false))
                }
                continue
            }

            // A stranger's repository.
            if let stranger = blame(threats.stranger, order: Self.ownerClaims, skipLiteral: { claim, pattern in
                claim == "sub" && pattern.literalValue.map(threats.anchored.contains) == true
            }, { solution in
                let subject = solution.claims["sub"] ?? ""
                return solution.shape == .custom && !subject.hasPrefix("repo:") ? .noOwnerAnchor(witness: solution.claims) : .anyOwner(witness: solution.claims)
            }) {
                let pinned = reviewed.contains { Self.ownerClaims.contains($0.clause.claim) }
                if !pinned, !Self.hasOperatorFinding(statement) {
                    let tested = Array(Set(reviewed.map(\.clause.claim))).sorted()
                    unpinned.append(UnpinnedStatement(statement: statement, testedClaims: tested, witness: stranger.claims, bounded: stranger.bounded))
                }
            }
            // Another repository of a named owner.
            for owner in vocabulary.owners {
                _ = blame(threats.otherRepository(of: owner), order: ["sub", "repository", "repository_id"], skipLiteral: { claim, pattern in
                    guard let literal = pattern.literalValue, claim == "sub", let parts = GitHubSubjectParts(literal) else { return false }
                    return parts.literalRepository != nil
                }, { .anyRepository(owner: owner, witness: $0.claims) })
            }
            // Another ref or environment, or a pull request, of a named repository.
            // Another ref or environment, or a pull request, of a named repository (all of them in one question).
            if !vocabulary.repositories.isEmpty {
                let contextOrder = ["sub", "ref", "environment", "repository", "repository_id"]
                let literalContext: (String, StringPattern) -> Bool = { claim, pattern in
                    guard let literal = pattern.literalValue else { return false }
                    if claim == "sub", let parts = GitHubSubjectParts(literal), let context = parts.context { return context != "pull_request" }
                    return claim == "ref" || claim == "environment"
                }
                let repositories = vocabulary.repositories
                // The kinds are worked out below, once per value.
                _ = blame(threats.otherContext(of: repositories), order: contextOrder, skipLiteral: literalContext) {
                    .anyContext(repository: Self.repository(of: $0.claims, among: repositories), kinds: [], witness: $0.claims)
                }
                _ = blame(threats.pullRequest(of: repositories), order: contextOrder, skipLiteral: { _, _ in false }) { .pullRequest(witness: $0.claims) }
            }
            // Which kinds of context each value admits, for the messages.
            for (position, found) in exposures {
                guard case .anyContext(let repository, _, let witness) = found.exposure else { continue }
                var kinds: [String] = []
                let (clause, _, pattern) = reviewed[position]
                for (kind, restriction) in threats.contextKinds(of: [repository]) {
                    var narrowed = restriction
                    narrowed.only = (clause.claim, [pattern])
                    if space.solve(index, narrowed) != nil { kinds.append(kind) }
                }
                var narrowed = threats.pullRequest(of: [repository])
                narrowed.only = (clause.claim, [pattern])
                if space.solve(index, narrowed) != nil { kinds.append("pull_request") }
                exposures[position] = (.anyContext(repository: repository, kinds: kinds, witness: witness), found.bounded)
            }
            for (position, entry) in reviewed.enumerated() {
                var admitted = (subjects: PatternSet.empty, bounded: false)
                if entry.clause.claim == "sub" {
                    if let literal = entry.pattern.literalValue, !entry.pattern.ignoresCase {
                        // One subject: in the statement's subjects or not.
                        admitted.subjects = statement.subjects.contains(literal) ? PatternSet(literal: literal) : .empty
                    } else if design != nil {
                        // Only the design rules ask what a wildcard value admits.
                        var restriction = GitHubTokenSpace.Restriction()
                        restriction.only = (entry.clause.claim, [entry.pattern])
                        admitted = space.admitted(by: index, restriction: restriction)
                    } else {
                        admitted.subjects = statement.subjects
                    }
                }
                guard entry.clause.claim != "sub" || !admitted.subjects.isEmpty || exposures[position] != nil else { continue }
                items.append(Item(statement: statement, clause: entry.clause, value: entry.value, admitted: admitted.subjects,
                                  exposure: exposures[position]?.exposure, bounded: (exposures[position]?.bounded ?? false) || admitted.bounded))
            }
        }
        self.items = items
        self.unpinned = unpinned
    }

    /// Whether `simulate` allows the token `witness` names.
    static func admits(_ policy: Policy, _ witness: [String: String]) -> Bool {
        var claims = witness
        let issuer = claims.removeValue(forKey: "iss")
        return TrustSimulation.evaluate(policy, claims: claims, issuer: issuer).decision == .allow
    }

    /// For each claim a value of `statement` tests with a policy variable, that value with the variables put in
    /// from `witness` and its wildcards filled: the value a witness must carry for the variable to match.
    static func substitutedValues(_ statement: GitHubTrust.FederatedStatement, witness: [String: String]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for clause in statement.clauses where clause.isInRequest {
            for value in clause.clause.values.values where value.text.contains("${") {
                var text = ""
                var rest = Substring(value.text)
                while let start = rest.range(of: "${") {
                    text += rest[..<start.lowerBound]
                    guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
                    let body = rest[start.upperBound..<end].split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                    let name = ConditionKeyName(body)
                    switch body {
                    case "*", "?", "$": text += body
                    default: text += name.flatMap { witness[$0.claim] } ?? ""
                    }
                    rest = rest[rest.index(after: end)...]
                }
                text += rest
                text = text.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "x")
                result[clause.claim, default: []].append(text)
                // A claim written in the subject takes its value there too.
                guard let subject = witness["sub"], let parts = GitHubSubjectParts(subject), let name = parts.repositorySegment else { continue }
                let repository = "repo:\(parts.ownerSegment)/\(name)"
                switch clause.claim {
                case "ref": result["sub", default: []].append("\(repository):ref:\(text)")
                case "environment": result["sub", default: []].append("\(repository):environment:\(text)")
                case "repository": result["sub", default: []].append("repo:\(text):\(parts.context ?? "")")
                default: break
                }
            }
        }
        return result
    }

    /// A string operator that needs the claim present and one value to match.
    static func isPositivePin(_ clause: ConditionClause) -> Bool {
        guard let op = clause.parsedOperator else { return false }
        return op.base.category == .string && !op.base.isNegated && !op.ifExists && op.qualifier != .forAllValues
    }

    /// Whether an operator rule reports the statement's owner pin (a negated `sub` test, `IfExists` or
    /// `ForAllValues:` on a claim only an owner controls): that finding names the stranger's way in.
    static func hasOperatorFinding(_ statement: GitHubTrust.FederatedStatement) -> Bool {
        statement.clauses.contains { clause in
            guard clause.isInRequest, ownerClaims.contains(clause.claim), let op = clause.clause.parsedOperator else { return false }
            return op.ifExists || op.qualifier == .forAllValues || (clause.claim == "sub" && op.base.isNegated)
        }
    }

    /// The named repository a witness's token comes from (as the policy spells it).
    static func repository(of witness: [String: String], among repositories: [String]) -> String {
        let found = witness["repository"]?.lowercased()
        return repositories.first { $0.lowercased() == found } ?? witness["repository"] ?? repositories[0]
    }

    /// A member of `set` that reads like a real subject when there is one (`repo:x/x:ref:refs/heads/x`), else any member.
    public static func readableWitness(_ set: PatternSet) -> String? {
        for shape in ["repo:?*/?*:ref:refs/heads/?*", "repo:?*/?*:environment:?*", "repo:?*/?*:?*", "repo:?*"] {
            if let witness = set.intersection(PatternSet(StringPattern(shape, matching: .wildcard))).shortestWitness() { return witness }
        }
        return set.shortestWitness()
    }

    /// A witness token written for a message: `sub '…'`, then the other claims the statement tests, in a fixed order.
    static func describe(_ witness: [String: String], statement: GitHubTrust.FederatedStatement) -> String {
        var parts = ["sub '\(witness["sub"] ?? "")'"]
        let tested = Set(statement.clauses.filter(\.isInRequest).map(\.claim))
        for claim in ["repository", "repository_id", "ref", "environment", "job_workflow_ref", "workflow", "actor", "actor_id", "enterprise_id", "aud"]
        where tested.contains(claim) {
            if let value = witness[claim] { parts.append("\(claim) '\(value)'") } else { parts.append("no \(claim)") }
        }
        return parts.joined(separator: ", ")
    }
}

/// The threat scenarios, as restrictions of the token space.
struct Threats {
    let vocabulary: GitHubSubjectVocabulary
    let anchored: PatternSet

    init(vocabulary: GitHubSubjectVocabulary) {
        self.vocabulary = vocabulary
        anchored = vocabulary.ownerAnchored
    }

    /// A token a stranger can mint: their own repository (any name, ref, environment, template), calling any
    /// public reusable workflow (`job_workflow_ref` free), triggered by any actor.
    var stranger: GitHubTokenSpace.Restriction {
        let anchored = self.anchored
        let owners = vocabulary.owners.map { owner in
            [PatternSegment.pattern(StringPattern(owner, matching: .exactIgnoringCase, resolvesVariables: false), excluding: []),
             .literal("/"), GitHubTokenLayout.anything]
        }
        let ownedRepositories = PatternSet(sequences: owners)
        let repositoryIDs = PatternSet(anyOf: vocabulary.repositoryIDs.map { StringPattern.literal($0) })
        let enterpriseIDs = PatternSet(anyOf: vocabulary.enterpriseIDs.map { StringPattern.literal($0) })
        return GitHubTokenSpace.Restriction(subjects: { shape in
            GitHubTokenLayout.subjects(shape).subtracting(anchored)
        }, values: { claim, shape in
            switch claim {
            case "repository": GitHubTokenLayout.values(of: claim, in: shape).subtracting(ownedRepositories)
            case "repository_id": GitHubTokenLayout.values(of: claim, in: shape).subtracting(repositoryIDs)
            case "enterprise_id": GitHubTokenLayout.values(of: claim, in: shape).subtracting(enterpriseIDs)
            default: nil
            }
        })
    }

    /// A token of another repository of `owner`, under the default template.
    func otherRepository(of owner: String) -> GitHubTokenSpace.Restriction {
        let subjects = vocabulary.otherRepositorySubjects(of: owner)
        let ownerName = PatternSegment.pattern(StringPattern(owner, matching: .exactIgnoringCase, resolvesVariables: false), excluding: [])
        let named = vocabulary.repositories.filter { $0.lowercased().hasPrefix(owner.lowercased() + "/") }
        let repositories = PatternSet(sequences: [[ownerName, .literal("/"), GitHubTokenLayout.name]])
            .subtracting(PatternSet(anyOf: named.map { StringPattern($0, matching: .exactIgnoringCase, resolvesVariables: false) }))
        let repositoryIDs = PatternSet(anyOf: vocabulary.repositoryIDs.map { StringPattern.literal($0) })
        return GitHubTokenSpace.Restriction(shapes: GitHubTokenShape.allCases.filter { $0 != .custom }, subjects: { _ in subjects }, values: { claim, shape in
            switch claim {
            case "repository": repositories
            case "repository_id": GitHubTokenLayout.values(of: claim, in: shape).subtracting(repositoryIDs)
            default: nil
            }
        })
    }

    /// A token of one of `repositories` whose ref and environment are neither named literally (no pull request).
    func otherContext(of repositories: [String], shapes: [GitHubTokenShape] = [.ref, .refImmutable, .environment, .environmentImmutable],
                      within: PatternSet? = nil) -> GitHubTokenSpace.Restriction {
        let own = vocabulary.subjects(ofRepositories: repositories)
        let refs = GitHubSubjectVocabulary.literals(vocabulary.refs)
        // Environment names are not case sensitive: `Prod` is the environment `prod`.
        let environments = vocabulary.environments.map { StringPattern($0, matching: .exactIgnoringCase, resolvesVariables: false) }
        let namedRefs = PatternSet(anyOf: refs)
        let repositorySet = PatternSet(anyOf: repositories.map { StringPattern($0, matching: .exactIgnoringCase, resolvesVariables: false) })
        return GitHubTokenSpace.Restriction(shapes: shapes, subjects: { shape in
            var subjects = own
            if let within { subjects = subjects.intersection(within) }
            switch shape.context {
            case .ref: return subjects.subtracting(GitHubTokenLayout.subjects(shape, whose: "ref", matchesAnyOf: refs))
            case .environment: return subjects.subtracting(GitHubTokenLayout.subjects(shape, whose: "environment", matchesAnyOf: environments))
            default: return subjects
            }
        }, values: { claim, shape in
            switch claim {
            case "ref": GitHubTokenLayout.values(of: claim, in: shape).subtracting(namedRefs)
            case "repository": repositorySet
            default: nil
            }
        })
    }

    /// The context scenario split by kind: a branch, a tag, an environment.
    func contextKinds(of repositories: [String]) -> [(String, GitHubTokenSpace.Restriction)] {
        [
            ("branch", otherContext(of: repositories, shapes: [.ref, .refImmutable], within: PatternSet(StringPattern("repo:*:ref:refs/heads/*")))),
            ("tag", otherContext(of: repositories, shapes: [.ref, .refImmutable], within: PatternSet(StringPattern("repo:*:ref:refs/tags/*")))),
            ("environment", otherContext(of: repositories, shapes: [.environment, .environmentImmutable])),
        ]
    }

    /// A `pull_request` run of one of `repositories`.
    func pullRequest(of repositories: [String]) -> GitHubTokenSpace.Restriction {
        let own = vocabulary.subjects(ofRepositories: repositories)
        let repositorySet = PatternSet(anyOf: repositories.map { StringPattern($0, matching: .exactIgnoringCase, resolvesVariables: false) })
        return GitHubTokenSpace.Restriction(shapes: [.pullRequest, .pullRequestImmutable], subjects: { _ in own }, values: { claim, _ in
            claim == "repository" ? repositorySet : nil
        })
    }
}


extension GitHubSubjectReview {
    /// The note a finding reached by reading past a bound carries.
    static func boundedNote(_ bounded: Bool) -> String {
        bounded ? "; analysis bounded: read as admitting the most" : ""
    }
}
