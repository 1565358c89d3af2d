import IAMPolicy

/// The statements of a trust policy that decide who holding a GitHub Actions token can assume the role, read
/// for the token model (``GitHubTokenSpace``): every statement whose principal a web-identity request through a
/// GitHub identity provider matches — the provider named as `Federated`, or everyone (`"*"`, `{"AWS": "*"}`).
///
/// References: [Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
/// (`"*"` and `{"AWS": "*"}` are the same: every principal, federated ones included);
/// [policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
/// (a Deny counts only when its principal, action and conditions match the request).
public struct GitHubTrust: Sendable {
    /// One statement a GitHub token's request can match.
    public struct FederatedStatement: Sendable {
        public var statement: Statement
        /// The GitHub providers it names; for a statement whose principal is everyone, the issuer its condition
        /// keys name (GitHub.com's when they name none).
        public var providers: [GitHubProvider]
        /// Whether the principal is everyone (`"*"`, `{"AWS": "*"}`, `{"Federated": "*"}`) rather than a named provider.
        public var principalIsEveryone: Bool
        /// Whether the principal is `{"Federated": "*"}`.
        public var namesEveryProvider = false
        /// The issuers of every provider the statement names (a statement trusting several is read once per issuer).
        public var statementIssuers: Set<String> = []
        /// Whether the statement's actions include `sts:AssumeRoleWithWebIdentity`.
        public var allowsWebIdentity: Bool
        /// Every condition clause, with its key split and whether AWS puts that key in the request.
        public var clauses: [Clause]
        /// The combined constraint per exposed claim of the statement's provider, each claim read on its own
        /// (claims without a condition are absent).
        public var constraints: [String: ClaimConstraint]
        /// A clause on a key that is never in the request, with an operator that needs it: the statement never matches.
        public var blockingClause: Clause?
        /// The `sub` values of the tokens the statement admits (empty when it never matches), every claim
        /// tested taken into account: a `ref` condition narrows the subjects that carry a ref.
        public var subjects: PatternSet

        /// The constraint on `claim`, or unconstrained.
        public func constraint(_ claim: String) -> ClaimConstraint {
            constraints[claim] ?? .unconstrained
        }

        /// Whether any condition tests `claim` under the provider's prefix.
        public func tests(_ claim: String) -> Bool { constraints[claim] != nil }

        /// The clauses on `claim` that AWS puts in the request.
        func clauses(on claim: String) -> [Clause] {
            clauses.filter { $0.claim == claim && $0.isInRequest }
        }
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
        /// What the clause requires, read on its own, or nil for an unknown operator.
        public var constraint: ClaimConstraint?
        /// Whether another clause of the same operator tests the same key written in another case.
        public var hasCaseDuplicate: Bool
        /// For a string operator, the values its patterns match (policy variables read as any string), before negation.
        var matched: PatternSet?
    }

    public var statements: [FederatedStatement]
    /// The `sub` values of the tokens some Allow statement admits and no applicable Deny refuses.
    public var admittedSubjects: PatternSet
    /// The whole-token analysis the OIDC rules ask their questions of.
    var space: GitHubTokenSpace

    /// The GitHub trust of `policy`, or nil when no statement has a GitHub federated principal (or everyone
    /// with conditions on a GitHub issuer's claims).
    public init?(_ policy: Policy) {
        let resolvesVariables = policy.document.version?.value == "2012-10-17"
        var statements: [FederatedStatement] = []
        for statement in policy.document.statements {
            guard let principal = statement.principal else { continue }
            let federated = principal.values(ofType: "Federated")
            var providers = federated.compactMap(GitHubProvider.init)
            var everyone = false
            if providers.isEmpty, let first = federated.first(where: { Self.mayBeGitHub($0.value) }), let prefix = Self.issuerPrefix(in: statement) {
                // A templated, malformed or unrecognised provider whose conditions name a GitHub issuer or use
                // GitHub's subject grammar (`${oidc_arn}`, a GitHub Enterprise Server host).
                providers = [GitHubProvider(principal: first, keyPrefix: prefix)]
            }
            // `{"Federated": "*"}` names no provider in particular: read, like everyone, as matching a GitHub token.
            let everyProvider = federated.contains { $0.value == "*" }
            if providers.isEmpty, principal.isEveryone || everyProvider {
                everyone = true
                let located = Located("*", pointer: principal.pointer, span: principal.span)
                providers = [GitHubProvider(principal: located, keyPrefix: Self.issuerPrefix(in: statement) ?? GitHubOIDC.issuerHost)]
            }
            guard !providers.isEmpty else { continue }
            // A token comes from one issuer: a statement trusting several is read once per issuer, the other
            // issuers' keys absent.
            var issuers: [String] = []
            for provider in providers where !issuers.contains(provider.keyPrefix) { issuers.append(provider.keyPrefix) }
            for issuer in issuers {
                var analysed = Self.analyse(statement, providers: providers.filter { $0.keyPrefix == issuer }, everyone: everyone,
                                            resolvesVariables: resolvesVariables)
                analysed.namesEveryProvider = everyProvider
                analysed.statementIssuers = Set(issuers)
                statements.append(analysed)
            }
        }
        // A policy whose only GitHub-looking statements have everyone as principal and no GitHub condition is
        // the TRUST rules' business.
        guard statements.contains(where: { !$0.principalIsEveryone || $0.namesEveryProvider || Self.issuerPrefix(in: $0.statement) != nil })
        else { return nil }
        let space = GitHubTokenSpace(statements: statements, resolvesVariables: resolvesVariables)
        // The subjects of what each Allow admits (a Deny's are not asked for).
        for index in statements.indices where statements[index].statement.isAllow {
            statements[index].subjects = space.subjects(ofStatement: index)
        }
        self.statements = statements
        self.space = space
        admittedSubjects = PatternSet.union(of: statements.filter(\.statement.isAllow).map(\.subjects))
    }

    private static let analysisKey = AnalysisKey<GitHubTrust?>("GitHubTrust")

    /// The GitHub trust of `policy`, computed once per policy.
    public static func of(_ policy: Policy) -> GitHubTrust? {
        policy.analyses.value(analysisKey) { GitHubTrust(policy) }
    }

    /// The Allow statements.
    public var allowStatements: [FederatedStatement] { statements.filter { $0.statement.isAllow } }

    static func analyse(_ statement: Statement, providers: [GitHubProvider], everyone: Bool, resolvesVariables: Bool) -> FederatedStatement {
        let prefixes = Set(providers.map(\.keyPrefix))
        var clauses: [Clause] = []
        var constraints: [String: ClaimConstraint] = [:]
        var blocking: Clause?
        let all = statement.condition?.clauses ?? []
        for clause in all {
            guard let name = ConditionKeyName(clause.key.value) else { continue }
            let matches = prefixes.contains(name.prefix)
            let duplicate = all.contains { other in
                other.operatorName.pointer == clause.operatorName.pointer && other.key.value != clause.key.value
                    && other.normalizedKey == clause.normalizedKey
            }
            let matched = ClaimConstraint.matchedValues(clause, resolvesVariables: resolvesVariables)
            let item = Clause(clause: clause, prefix: name.prefix, claim: name.claim, matchesProvider: matches,
                              looksLikeGitHub: GitHubOIDC.looksLikeIssuer(name.prefix),
                              constraint: ClaimConstraint.from(clause, matched: matched), hasCaseDuplicate: duplicate, matched: matched)
            clauses.append(item)
            guard let constraint = item.constraint else { continue }
            if item.isInRequest {
                constraints[name.claim] = constraints[name.claim].map { $0.intersection(constraint) } ?? constraint
            } else if item.looksLikeGitHub || matches, !constraint.allowsMissing, blocking == nil {
                blocking = item
            }
        }
        return FederatedStatement(statement: statement, providers: providers, principalIsEveryone: everyone,
                                  allowsWebIdentity: Self.includesWebIdentity(statement),
                                  clauses: clauses, constraints: constraints, blockingClause: blocking, subjects: .empty)
    }

    /// The GitHub issuer prefix of the statement's condition keys, when they name one or use GitHub's
    /// subject grammar under some prefix (`github.example.com/_services/token:sub` = `repo:…`).
    static func issuerPrefix(in statement: Statement) -> String? {
        let clauses = statement.condition?.clauses ?? []
        for clause in clauses {
            if let name = ConditionKeyName(clause.key.value), GitHubOIDC.isIssuer(name.prefix) { return name.prefix }
        }
        for clause in clauses {
            guard let name = ConditionKeyName(clause.key.value), name.claim == "sub", name.prefix.containsASCII("."),
                  clause.values.values.contains(where: { $0.text.hasPrefix("repo:") }) else { continue }
            return name.prefix
        }
        return nil
    }

    /// Whether a `Federated` value GitHubProvider does not recognise may still name a GitHub provider: a
    /// template (`${oidc_arn}`) or a value that is no identity-provider ARN. An `oidc-provider/HOST` ARN of
    /// another host (`gitlab.com`) never passes a GitHub token.
    static func mayBeGitHub(_ value: String) -> Bool {
        if value.contains("${") || value.contains("{{") { return true }
        // A malformed ARN (`arn:aws:iam::-provider/…`) may be a GitHub provider mistyped; a bare host names its issuer.
        guard let arn = ARN(parsing: value) else { return value.hasPrefix("arn:") || !value.contains(".") }
        return !arn.resource.hasPrefix("oidc-provider/")
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

    /// Whether a Deny statement applies to the requests an Allow statement admits.
    enum DenyScope {
        /// Its principal and action apply.
        case applies
        /// It cannot apply (another provider or issuer, another action).
        case doesNotApply
        /// It applies only if the role is in the account its provider ARN names, which the policy does not say:
        /// read as not applying (it then refuses less), and the answer is marked bounded.
        case dependsOnTheRoleAccount
    }

    /// The scope of Deny `deny` over the tokens Allow `allow` admits: its principal must be everyone or name the
    /// same provider (same issuer, and the same account when both are ARNs; for an Allow that names no provider
    /// ARN, the provider is the issuer's in the role's account, which the policy does not name), its keys the
    /// Allow's issuer's, and its action must cover `sts:AssumeRoleWithWebIdentity`.
    static func scope(of deny: FederatedStatement, over allow: FederatedStatement) -> DenyScope {
        guard deny.statement.isDeny, deny.allowsWebIdentity else { return .doesNotApply }
        // `{"Federated": "*"}` names no provider for certain: read as not refusing.
        if deny.namesEveryProvider { return .doesNotApply }
        let issuers = Set(allow.providers.map(\.keyPrefix))
        if deny.principalIsEveryone {
            // Everyone, with conditions on another issuer's keys (or misspelt ones): those keys are absent from
            // this issuer's tokens; the Deny is read as not applying.
            return deny.providers.contains { issuers.contains($0.keyPrefix) } ? .applies : .doesNotApply
        }
        var dependsOnAccount = false
        let covered = allow.providers.allSatisfy { granted in
            deny.providers.contains { refused in
                guard refused.keyPrefix == granted.keyPrefix, let refusedARN = refused.arn else { return false }
                guard let grantedARN = granted.arn else {
                    dependsOnAccount = true
                    return false
                }
                return refusedARN.account == grantedARN.account && refusedARN.partition == grantedARN.partition
            }
        }
        if covered { return .applies }
        return dependsOnAccount ? .dependsOnTheRoleAccount : .doesNotApply
    }
}
