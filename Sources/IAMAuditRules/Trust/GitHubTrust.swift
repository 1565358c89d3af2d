import IAMPolicy

/// The GitHub Actions tokens a trust policy admits, computed from the semantics of every operator, value
/// and statement (DESIGN.md §6): a union over Allow statements of the conjunction of their conditions,
/// minus Deny statements.
///
/// Claims are analysed one by one; `sub` is the one the questions of the OIDC and DSN rules are asked of.
/// The sets over-approximate what AWS admits where the policy leaves something unknown (policy variables,
/// non-string operators, keys of other services), so a "nothing foreign gets in" answer is safe.
public struct GitHubTrust: Sendable {
    /// One statement with a GitHub federated principal.
    public struct FederatedStatement: Sendable {
        public var statement: Statement
        public var providers: [GitHubProvider]
        /// Whether the statement's actions include `sts:AssumeRoleWithWebIdentity`.
        public var allowsWebIdentity: Bool
        /// Every condition clause, with its key split and whether AWS puts that key in the request.
        public var clauses: [Clause]
        /// The combined constraint per exposed claim of the statement's provider (claims without a
        /// condition are absent).
        public var constraints: [String: ClaimConstraint]
        /// A clause on a key that is never in the request, with a plain operator: the statement never matches.
        public var blockingClause: Clause?

        /// The `sub` values the statement lets through (empty when it never matches).
        public var subjects: PatternSet {
            guard allowsWebIdentity, blockingClause == nil, constraints.values.allSatisfy({ !$0.values.isEmpty || $0.allowsMissing }) else {
                return .empty
            }
            return constraints["sub"]?.values ?? .all
        }

        /// The constraint on `claim`, or unconstrained.
        public func constraint(_ claim: String) -> ClaimConstraint {
            constraints[claim] ?? .unconstrained
        }

        /// Whether any condition tests `claim` under the provider's prefix.
        public func tests(_ claim: String) -> Bool { constraints[claim] != nil }
    }

    /// A condition clause of a federated statement.
    public struct Clause: Sendable {
        public var clause: ConditionClause
        /// The key's prefix (lowercased), e.g. `token.actions.githubusercontent.com`.
        public var prefix: String
        /// The claim (lowercased), e.g. `sub`.
        public var claim: String
        /// Whether the prefix is the statement's provider's.
        public var matchesProvider: Bool
        /// Whether the prefix names a GitHub issuer, or looks like it meant to.
        public var looksLikeGitHub: Bool
        /// Whether AWS puts this key in the request: the provider's prefix and an exposed claim.
        public var isInRequest: Bool { matchesProvider && GitHubOIDC.exposedClaims.contains(claim) }
        /// What the clause requires, or nil for an unknown operator.
        public var constraint: ClaimConstraint?
    }

    public var statements: [FederatedStatement]
    /// Subjects some Allow statement admits and no unconditional Deny statement refuses.
    public var admittedSubjects: PatternSet

    /// The GitHub trust of `policy`, or nil when no statement has a GitHub federated principal.
    public init?(_ policy: Policy) {
        let resolvesVariables = policy.document.version?.value != "2008-10-17"
        var statements: [FederatedStatement] = []
        for statement in policy.document.statements {
            guard let principal = statement.principal else { continue }
            var providers = principal.values(ofType: "Federated").compactMap(GitHubProvider.init)
            if providers.isEmpty, let federated = principal.values(ofType: "Federated").first,
               let prefix = Self.issuerPrefix(in: statement) {
                // A templated or malformed provider (`${oidc_arn}`) whose conditions name a GitHub issuer.
                providers = [GitHubProvider(principal: federated, keyPrefix: prefix)]
            }
            guard !providers.isEmpty else { continue }
            statements.append(Self.analyse(statement, providers: providers, resolvesVariables: resolvesVariables))
        }
        guard !statements.isEmpty else { return nil }
        self.statements = statements
        let allowed = PatternSet.union(of: statements.filter { $0.statement.isAllow }.map(\.subjects))
        let denied = PatternSet.union(of: statements.filter { $0.statement.isDeny && Self.deniesOnSubjectAlone($0) }.map(\.subjects))
        admittedSubjects = allowed.subtracting(denied)
    }

    private static let analysisKey = AnalysisKey<GitHubTrust?>("GitHubTrust")

    /// The GitHub trust of `policy`, computed once per policy.
    public static func of(_ policy: Policy) -> GitHubTrust? {
        policy.analyses.value(analysisKey) { GitHubTrust(policy) }
    }

    /// The Allow statements.
    public var allowStatements: [FederatedStatement] { statements.filter { $0.statement.isAllow } }

    static func analyse(_ statement: Statement, providers: [GitHubProvider], resolvesVariables: Bool) -> FederatedStatement {
        let prefixes = Set(providers.map(\.keyPrefix))
        var clauses: [Clause] = []
        var constraints: [String: ClaimConstraint] = [:]
        var blocking: Clause?
        for clause in statement.condition?.clauses ?? [] {
            guard let name = ConditionKeyName(clause.key.value) else { continue }
            let matches = prefixes.contains(name.prefix)
            let item = Clause(clause: clause, prefix: name.prefix, claim: name.claim, matchesProvider: matches,
                              looksLikeGitHub: GitHubOIDC.looksLikeIssuer(name.prefix),
                              constraint: ClaimConstraint.from(clause, resolvesVariables: resolvesVariables))
            clauses.append(item)
            guard let constraint = item.constraint else { continue }
            if item.isInRequest {
                constraints[name.claim] = constraints[name.claim].map { $0.intersection(constraint) } ?? constraint
            } else if item.looksLikeGitHub || matches, !constraint.allowsMissing, blocking == nil {
                blocking = item
            }
        }
        return FederatedStatement(statement: statement, providers: providers,
                                  allowsWebIdentity: Self.includesWebIdentity(statement),
                                  clauses: clauses, constraints: constraints, blockingClause: blocking)
    }

    /// The GitHub issuer prefix of the statement's condition keys, when they name one.
    static func issuerPrefix(in statement: Statement) -> String? {
        for clause in statement.condition?.clauses ?? [] {
            if let name = ConditionKeyName(clause.key.value), GitHubOIDC.isIssuer(name.prefix) { return name.prefix }
        }
        return nil
    }

    /// Whether the statement's `Action` (or `NotAction`) covers `sts:AssumeRoleWithWebIdentity`.
    static func includesWebIdentity(_ statement: Statement) -> Bool {
        let target = "sts:assumerolewithwebidentity"
        func covers(_ pattern: String) -> Bool {
            StringPattern(pattern.lowercased(), matching: .wildcard, resolvesVariables: false).matches(target)
        }
        if let action = statement.action { return action.values.contains(where: covers) }
        if let notAction = statement.notAction { return !notAction.values.contains(where: covers) }
        return false
    }

    /// A Deny statement whose only GitHub conditions are on `sub` (and `aud`) refuses its subjects outright;
    /// any other Deny is left out (it refuses less, so leaving it out over-approximates what is admitted).
    static func deniesOnSubjectAlone(_ statement: FederatedStatement) -> Bool {
        statement.blockingClause == nil && statement.clauses.allSatisfy { $0.isInRequest && ($0.claim == "sub" || $0.claim == "aud") }
            && statement.constraint("aud").acceptsEveryValue
    }
}
