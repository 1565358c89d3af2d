import IAMPolicy

/// The trusts of a policy in the providers of `WebIdentityProviders`, each Allow statement asked one question: can a
/// token minted for someone else's tenant satisfy it, once the Deny statements that certainly apply have refused
/// what they refuse?
///
/// A token is modelled as its claims, one value each. A stranger's token carries a stranger's value in every
/// tenant claim (a group, namespace id or pool id the policy does not name) and any value it likes in the other
/// claims (the audience, the ref, the user). An Allow statement admits one when every claim it tests has such a
/// value that passes, or passes without the claim (`…IfExists`, `ForAllValues:`, a negated operator).
///
/// The reading errs towards admitting, so that silence is safe: keys of AWS services and global keys are read as
/// satisfied, policy variables as any text, and a Deny statement refuses only when its principal is the same
/// `Federated` value or `"*"`, its action covers `sts:AssumeRoleWithWebIdentity`, and its conditions test a single
/// claim of the provider (or nothing). A condition on a key that is never in the request (another issuer's, or a
/// claim AWS does not expose) with an operator that needs the key makes a statement admit nothing.
///
/// References: [condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
/// [policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
struct WebIdentityTenantReview: Sendable {
    /// A provider as one statement trusts it.
    struct Trusted: Sendable {
        var provider: any WebIdentityProvider
        /// The issuer, lowercased host and path: the prefix of the provider's condition keys.
        var issuer: String
        /// The `Federated` value naming the provider; nil when the statement's principal is everyone.
        var federated: Located<String>?
    }

    /// Why a stranger's token passes an Allow statement.
    enum Cause: Sendable {
        /// The statement tests none of the tenant claims.
        case untested
        /// A value of a positive operator admits the stranger's value.
        case value(ConditionClause, Located<ConditionValue>)
        /// A negated operator admits every value it does not list.
        case negated(ConditionClause)
        /// `…IfExists` or `ForAllValues:` passes a token without the claim.
        case passesWhenAbsent(ConditionClause)
        /// `Null` tests only that the claim is there.
        case presenceOnly(ConditionClause)
        /// An operator that does not compare the claim as text.
        case notCompared(ConditionClause)
    }

    /// One Allow statement that admits a stranger's token.
    struct Exposure: Sendable {
        var statement: Statement
        var trusted: Trusted
        /// The tenant claim the cause is about; nil when none is tested.
        var claim: String?
        var cause: Cause
        /// The stranger's token: a value for each tenant claim and each tested claim (lowercased names), and `iss`.
        var witness: [String: String]
        /// The claim whose value the message shows, and that value.
        var example: (claim: String, value: String)?
    }

    var exposures: [Exposure]

    private static let analysisKey = AnalysisKey<WebIdentityTenantReview>("WebIdentityTenantReview")

    /// The review of `policy`, computed once per policy.
    static func of(_ policy: Policy) -> WebIdentityTenantReview {
        policy.analyses.value(analysisKey) { WebIdentityTenantReview(policy) }
    }

    init(_ policy: Policy) {
        var exposures: [Exposure] = []
        // Only a statement with a principal trusts a provider: a permission policy has nothing to review.
        let trusting = policy.document.statements.filter { $0.isAllow && $0.principal != nil && WebIdentityPatterns.coversWebIdentity($0) }
        guard !trusting.isEmpty else {
            self.exposures = []
            return
        }
        let context = Context(policy: policy)
        for statement in trusting {
            for trusted in Self.trustedProviders(of: statement) {
                if let exposure = context.review(statement, trusted) { exposures.append(exposure) }
            }
        }
        self.exposures = exposures
    }

    /// The providers `statement` trusts: named by its `Federated` values, or, when a value is a template or the
    /// principal is everyone, by the prefixes of its condition keys.
    static func trustedProviders(of statement: Statement) -> [Trusted] {
        guard let principal = statement.principal else { return [] }
        let keys = (statement.condition?.clauses ?? []).compactMap { clause in WebIdentityPatterns.keyName(clause.key.value).map { (clause, $0) } }
        func subjects(_ issuer: String) -> [String] {
            keys.filter { $0.1.prefix == issuer && $0.1.claim == "sub" }.flatMap { $0.0.values.values.map(\.text) }
        }
        var prefixes: [String] = []
        for (_, key) in keys where !prefixes.contains(key.prefix) && WebIdentityPatterns.isIssuerLike(key.prefix) { prefixes.append(key.prefix) }
        func byKeys(_ federated: Located<String>?) -> [Trusted] {
            prefixes.compactMap { prefix in
                WebIdentityProviders.provider(forIssuer: prefix, subjects: subjects(prefix)).map { Trusted(provider: $0, issuer: prefix, federated: federated) }
            }
        }
        var trusted: [Trusted] = []
        for federated in principal.values(ofType: "Federated") {
            switch WebIdentityPatterns.issuer(ofFederated: federated.value) {
            case .issuer(let issuer):
                if let provider = WebIdentityProviders.provider(forIssuer: issuer, subjects: subjects(issuer)) {
                    trusted.append(Trusted(provider: provider, issuer: issuer, federated: federated))
                }
            case .template:
                trusted += byKeys(federated)
            case .other:
                continue
            }
        }
        if principal.isEveryone {
            // Everyone, `{"AWS": "*"}` included (read as admitting): the providers its keys name, beside any `Federated` one.
            trusted += byKeys(nil).filter { candidate in !trusted.contains { $0.issuer == candidate.issuer } }
        }
        return trusted
    }
}

// MARK: - The review of one statement

extension WebIdentityTenantReview {
    /// What a stranger's token may carry in one claim: values that pass so far, and whether a token without the
    /// claim passes.
    struct ClaimSpace {
        var values: PatternSet
        var missing: Bool
        var isEmpty: Bool { values.isEmpty && !missing }
    }

    /// What a Deny statement refuses of one provider's tokens, when that is certain.
    enum Refusal {
        /// Every token.
        case everything
        /// Tokens whose `claim` satisfies `constraint`.
        case claim(String, ClaimConstraint)
    }

    /// The policy-wide facts a statement's review needs.
    struct Context {
        var policy: Policy
        var resolvesVariables: Bool
        /// The Deny statements that cover `sts:AssumeRoleWithWebIdentity`.
        var denies: [Statement]

        init(policy: Policy) {
            self.policy = policy
            resolvesVariables = policy.document.version?.value != "2008-10-17"
            denies = policy.document.statements.filter { $0.isDeny && WebIdentityPatterns.coversWebIdentity($0) }
        }

        /// The exposure of `statement` through `trusted`, or nil when no stranger's token gets in.
        func review(_ statement: Statement, _ trusted: Trusted) -> Exposure? {
            let provider = trusted.provider
            let exposed = provider.exposedClaims(issuer: trusted.issuer)
            let tenants = provider.tenantClaims(issuer: trusted.issuer)
            var constraints: [String: ClaimConstraint] = [:]
            var clausesByClaim: [String: [ConditionClause]] = [:]
            // The same key twice under one operator (a duplicate JSON key, or a spelling that differs in case) is
            // ambiguous: either may be the one IAM reads, so the group admits what either admits.
            var groups: [(key: WebIdentityPatterns.KeyName, place: WebIdentityPatterns.Place, constraint: ClaimConstraint)] = []
            var groupIndex: [String: Int] = [:]
            for clause in statement.condition?.clauses ?? [] {
                guard let key = WebIdentityPatterns.keyName(clause.key.value),
                      let constraint = WebIdentityPatterns.constraint(of: clause, resolvesVariables: resolvesVariables) else { continue }
                let place = WebIdentityPatterns.place(of: key, trusted: trusted, exposed: exposed)
                if place == .claim { clausesByClaim[key.claim, default: []].append(clause) }
                let groupKey = clause.operatorName.value + "\u{0}" + clause.key.value.lowercased()
                if let index = groupIndex[groupKey] {
                    groups[index].constraint = WebIdentityPatterns.either(groups[index].constraint, constraint)
                } else {
                    groupIndex[groupKey] = groups.count
                    groups.append((key, place, constraint))
                }
            }
            for group in groups {
                switch group.place {
                case .claim:
                    let admitting = WebIdentityPatterns.admittingReading(group.constraint)
                    constraints[group.key.claim] = constraints[group.key.claim].map { $0.intersection(admitting) } ?? admitting
                case .absent:
                    // A key this provider's tokens never put in the request: only an operator that passes without it lets any token through.
                    if !group.constraint.allowsMissing { return nil }
                case .unknown:
                    continue
                }
            }
            if constraints.values.contains(where: { $0.values.isEmpty && !$0.allowsMissing }) { return nil }
            // Every token carries `sub` and `aud`: a condition no value of them passes (`Null` with `true`) admits none.
            if ["sub", "aud"].contains(where: { constraints[$0]?.values.isEmpty == true }) { return nil }

            var spaces: [String: ClaimSpace] = [:]
            var strangers: [String: PatternSet] = [:]
            var namedTenants: [String: [String]] = [:]
            for tenant in tenants {
                let named = self.namedTenants(tenant, trusted: trusted)
                namedTenants[tenant.claim] = named
                let stranger = WebIdentityPatterns.strangerValues(tenant.encoding, excluding: named)
                strangers[tenant.claim] = stranger
                if let constraint = constraints[tenant.claim] {
                    spaces[tenant.claim] = ClaimSpace(values: constraint.values.intersection(stranger), missing: constraint.allowsMissing)
                } else {
                    spaces[tenant.claim] = ClaimSpace(values: stranger, missing: false)
                }
            }
            for (claim, constraint) in constraints where spaces[claim] == nil {
                spaces[claim] = ClaimSpace(values: constraint.values, missing: constraint.allowsMissing)
            }
            for deny in denies {
                switch refusal(of: deny, trusted: trusted, exposed: exposed) {
                case nil:
                    continue
                case .everything:
                    return nil
                case .claim(let claim, let constraint):
                    var space = spaces[claim] ?? ClaimSpace(values: strangers[claim] ?? .all, missing: false)
                    let refused = constraint.values
                    if (refused.precision == .exact || refused.precision == .subset) && !refused.exceededStateLimit {
                        let rest = space.values.subtracting(refused)
                        if !rest.exceededStateLimit { space.values = rest }
                    }
                    if constraint.allowsMissing { space.missing = false }
                    spaces[claim] = space
                }
            }
            guard !spaces.values.contains(where: \.isEmpty) else { return nil }

            var witness: [String: String] = ["iss": trusted.issuer]
            for (claim, space) in spaces {
                let tenant = tenants.first { $0.claim == claim }
                if let value = WebIdentityPatterns.witness(in: space.values, tenant: tenant, named: namedTenants[claim] ?? []) {
                    witness[claim] = value
                }
            }
            let blamed = tenants.first { clausesByClaim[$0.claim] != nil }
            var cause = Cause.untested
            if let blamed { cause = self.cause(for: blamed.claim, clauses: clausesByClaim[blamed.claim] ?? [], witness: witness[blamed.claim]) }
            let exampleClaim = blamed.flatMap { witness[$0.claim] != nil ? $0.claim : nil }
                ?? tenants.first { witness[$0.claim] != nil }?.claim
            return Exposure(statement: statement, trusted: trusted, claim: blamed?.claim, cause: cause, witness: witness,
                            example: exampleClaim.flatMap { claim in witness[claim].map { (claim, $0) } })
        }

        /// The tenants the policy's conditions on `tenant`'s claim name (or mean), from every statement.
        func namedTenants(_ tenant: TenantClaim, trusted: Trusted) -> [String] {
            var named: [String] = []
            for statement in policy.document.statements {
                for clause in statement.condition?.clauses ?? [] {
                    guard let key = WebIdentityPatterns.keyName(clause.key.value), key.claim == tenant.claim,
                          trusted.provider.acceptsKeyPrefix(key.prefix, issuer: trusted.issuer) else { continue }
                    for value in clause.values.values {
                        if let name = WebIdentityPatterns.namedTenant(value.text, clause: clause, encoding: tenant.encoding,
                                                                     resolvesVariables: resolvesVariables),
                           !named.contains(name) {
                            named.append(name)
                        }
                    }
                }
            }
            return named
        }

        /// What `deny` certainly refuses of `trusted`'s tokens, or nil when it may refuse nothing.
        func refusal(of deny: Statement, trusted: Trusted, exposed: Set<String>) -> Refusal? {
            guard deny.notPrincipal == nil, let principal = deny.principal else { return nil }
            switch principal.shape {
            case .everyone:
                break
            case .invalidString:
                return nil
            case .map:
                // `{"AWS": "*"}` is everyone, as `"*"` is (Principal element reference).
                guard principal.isEveryone || (trusted.federated.map { federated in
                    principal.values(ofType: "Federated").contains(where: { $0.value == federated.value })
                } ?? false) else { return nil }
            }
            var constraints: [String: ClaimConstraint] = [:]
            for clause in deny.condition?.clauses ?? [] {
                guard let key = WebIdentityPatterns.keyName(clause.key.value),
                      let constraint = WebIdentityPatterns.constraint(of: clause, resolvesVariables: resolvesVariables) else { return nil }
                switch WebIdentityPatterns.place(of: key, trusted: trusted, exposed: exposed) {
                case .claim:
                    constraints[key.claim] = constraints[key.claim].map { $0.intersection(constraint) } ?? constraint
                case .absent:
                    // True for every token only when the operator passes without the key; otherwise the Deny never applies.
                    if !constraint.allowsMissing { return nil }
                case .unknown:
                    return nil
                }
            }
            switch constraints.count {
            case 0: return .everything
            case 1: return constraints.first.map { .claim($0.key, $0.value) }
            default: return nil
            }
        }

        /// The clause of `claim` that lets the stranger's `witness` value (or a token without the claim) through.
        func cause(for claim: String, clauses: [ConditionClause], witness: String?) -> Cause {
            guard let witness else {
                if let clause = clauses.first(where: { WebIdentityPatterns.constraint(of: $0, resolvesVariables: resolvesVariables)?.allowsMissing == true }) {
                    return .passesWhenAbsent(clause)
                }
                return clauses.first.map(Cause.passesWhenAbsent) ?? .untested
            }
            var plainMatch: Cause?
            for clause in clauses {
                guard let op = clause.parsedOperator, op.base.category == .string, !op.base.isNegated else { continue }
                for value in clause.values.items {
                    guard let pattern = StringPattern(value.value.text, operator: op.base, resolvesVariables: resolvesVariables),
                          pattern.matches(witness) else { continue }
                    if pattern.containsWildcards || pattern.containsVariables { return .value(clause, value) }
                    if plainMatch == nil { plainMatch = .value(clause, value) }
                }
            }
            for clause in clauses {
                guard let op = clause.parsedOperator else { continue }
                if op.base.isNegated { return .negated(clause) }
                if op.base.category == .null { return .presenceOnly(clause) }
                if op.base.category != .string && op.base != .numericEquals { return .notCompared(clause) }
            }
            if let plainMatch { return plainMatch }
            if let clause = clauses.first(where: { $0.parsedOperator?.ifExists == true || $0.parsedOperator?.qualifier == .forAllValues }) {
                return .passesWhenAbsent(clause)
            }
            return .untested
        }
    }
}

// MARK: - Patterns and keys

/// Small pure helpers of the review: key names, constraints, tenant names and stranger values.
enum WebIdentityPatterns {
    /// A condition key split at its last colon, both parts lowercased.
    struct KeyName {
        var prefix: String
        var claim: String
    }

    static func keyName(_ key: String) -> KeyName? {
        guard let colon = key.lastIndex(of: ":") else { return nil }
        return KeyName(prefix: key[..<colon].lowercased(), claim: key[key.index(after: colon)...].lowercased())
    }

    /// Whether a key prefix names an issuer (a host, maybe with a path) rather than a service (`aws`, `sts`).
    static func isIssuerLike(_ prefix: String) -> Bool {
        prefix.containsASCII(".") || prefix.containsASCII("/")
    }

    /// Where a condition key stands for tokens of `trusted`.
    enum Place {
        /// A claim AWS puts in the request.
        case claim
        /// A key never in the request for these tokens: another issuer's, or a claim AWS does not expose.
        case absent
        /// A service or global key, read as satisfiable.
        case unknown
    }

    static func place(of key: KeyName, trusted: WebIdentityTenantReview.Trusted, exposed: Set<String>) -> Place {
        if trusted.provider.acceptsKeyPrefix(key.prefix, issuer: trusted.issuer) {
            return exposed.contains(key.claim) ? .claim : .absent
        }
        return isIssuerLike(key.prefix) ? .absent : .unknown
    }

    /// What `clause` requires of its claim, as `ClaimConstraint` reads it, with two readings of this review's own:
    ///
    /// - `NumericEquals` (without `IfExists` or a set qualifier) is the set of its values, so that a numeric id
    ///   pins its tenant.
    /// - `StringEqualsIgnoreCase` and `StringNotEqualsIgnoreCase` compare with the values as written and
    ///   lowercased. The providers compare tenant names without case, so the other spellings IAM also matches
    ///   name the same tenants, and a stranger's tenant is admitted or refused just the same.
    static func constraint(of clause: ConditionClause, resolvesVariables: Bool) -> ClaimConstraint? {
        guard let op = clause.parsedOperator else { return nil }
        if op.base == .numericEquals, !op.ifExists, op.qualifier == nil {
            let values = clause.values.values.map { PatternSet(literal: $0.text) }
            return ClaimConstraint(values: PatternSet.union(of: values), allowsMissing: false)
        }
        guard var constraint = ClaimConstraint.from(clause, resolvesVariables: resolvesVariables) else { return nil }
        if op.base == .stringEqualsIgnoreCase || op.base == .stringNotEqualsIgnoreCase {
            let spellings = clause.values.values.flatMap { value in
                [value.text, value.text.lowercased()].map { StringPattern($0, matching: .exact, resolvesVariables: resolvesVariables) }
            }
            let matched = PatternSet(anyOf: spellings)
            constraint.values = op.base.isNegated ? matched.complement() : matched
        }
        return constraint
    }

    /// What either constraint admits.
    static func either(_ first: ClaimConstraint, _ second: ClaimConstraint) -> ClaimConstraint {
        ClaimConstraint(values: first.values.union(second.values), allowsMissing: first.allowsMissing || second.allowsMissing)
    }

    /// `constraint` read so that it admits at least what IAM does: a set that may have lost values (the
    /// complement of a policy variable's reading) becomes every value.
    static func admittingReading(_ constraint: ClaimConstraint) -> ClaimConstraint {
        switch constraint.values.precision {
        case .exact, .superset: constraint
        case .subset, .unknown: ClaimConstraint(values: .all, allowsMissing: constraint.allowsMissing)
        }
    }

    /// The tenant a condition value names, or means: the literal tenant of `project_path:acme/app:*`, or `acme` of
    /// `project_path:acme*` (the text before the wildcard), so that a stranger's example is not the owner's own.
    static func namedTenant(_ value: String, clause: ConditionClause, encoding: TenantClaim.Encoding, resolvesVariables: Bool) -> String? {
        let literal: String
        if let op = clause.parsedOperator, op.base.category == .string,
           let pattern = StringPattern(value, operator: op.base, resolvesVariables: resolvesVariables) {
            literal = literalPrefix(of: pattern)
        } else {
            literal = value
        }
        switch encoding {
        case .wholeValue:
            return literal.isEmpty ? nil : literal
        case .segment(let prefix, let terminator):
            guard literal.hasPrefix(prefix) else { return nil }
            let rest = literal.dropFirst(prefix.count)
            if let end = rest.firstIndex(of: terminator) { return rest[..<end].isEmpty ? nil : String(rest[..<end]) }
            // No terminator: the literal text is the whole tenant (`project_path:acme` exact) or the start of it
            // (`project_path:acme*`); either way the owner's, not a stranger's.
            return rest.isEmpty ? nil : String(rest)
        }
    }

    /// The text a pattern matches literally before its first wildcard or variable.
    static func literalPrefix(of pattern: StringPattern) -> String {
        var scalars = String.UnicodeScalarView()
        for element in pattern.elements {
            guard case .literal(let scalar) = element else { break }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Values of a tenant claim whose tenant is none of `named`.
    ///
    /// A name is subtracted as written and lowercased (providers compare tenant names without case). The names go
    /// in one union; should it exceed the automaton bound, they go one at a time, and a step that would exceed the
    /// bound is skipped, which keeps the result a superset.
    static func strangerValues(_ encoding: TenantClaim.Encoding, excluding named: [String]) -> PatternSet {
        var names: [String] = []
        for name in named {
            for variant in [name, name.lowercased()] where !names.contains(variant) { names.append(variant) }
        }
        let base: PatternSet
        var patterns: [String] = []
        switch encoding {
        case .wholeValue:
            base = PatternSet(StringPattern("?*", matching: .wildcard))
            patterns = names.map(LiteralPattern.escaped)
        case .segment(let prefix, let terminator):
            let head = LiteralPattern.escaped(prefix)
            let end = LiteralPattern.escaped(String(terminator))
            base = PatternSet(StringPattern(head + "?*", matching: .wildcard))
            patterns = [head + end + "*"] + names.flatMap { [head + LiteralPattern.escaped($0) + end + "*", head + LiteralPattern.escaped($0)] }
        }
        guard !patterns.isEmpty else { return base }
        let all = PatternSet(anyOf: patterns.map { StringPattern($0, matching: .wildcard) })
        if !all.exceededStateLimit {
            let result = base.subtracting(all)
            if !result.exceededStateLimit { return result }
        }
        var result = base
        for pattern in patterns {
            let next = result.subtracting(PatternSet(StringPattern(pattern, matching: .wildcard)))
            if !next.exceededStateLimit { result = next }
        }
        return result
    }

    /// A readable member of `values`: the tenant claim's stranger example when it is one; else a short member of the
    /// claim's shape (or of `values`) whose tenant is renamed to read as a stranger's where that stays a member.
    static func witness(in values: PatternSet, tenant: TenantClaim?, named: [String] = []) -> String? {
        guard !values.isEmpty else { return nil }
        guard let tenant else { return values.shortestWitness() }
        if values.contains(tenant.strangerExample) { return tenant.strangerExample }
        var short: String?
        if let shape = tenant.shape {
            short = values.intersection(PatternSet(StringPattern(shape, matching: .wildcard))).shortestWitness()
        }
        guard let member = short ?? values.shortestWitness() else { return nil }
        guard case .segment(let prefix, let terminator) = tenant.encoding, member.hasPrefix(prefix) else { return member }
        let rest = member.dropFirst(prefix.count)
        let end = rest.firstIndex(of: terminator) ?? rest.endIndex
        let own = String(rest[..<end])
        var names: [String] = []
        if let example = segment(of: tenant.strangerExample, prefix: prefix, terminator: terminator) { names.append(example) }
        names += named.map { $0 + "-stranger" } + ["stranger-" + own, own + "-stranger"]
        // The rest of the example reads better than the shortest rest (`:ref_type:x:ref:x`); try it first.
        let exampleRest = tenant.strangerExample.hasPrefix(prefix)
            ? tenant.strangerExample.dropFirst(prefix.count).drop { $0 != terminator } : Substring("")
        for tail in [exampleRest, rest[end...]] where !tail.isEmpty || end == rest.endIndex {
            for name in names {
                let renamed = prefix + name + tail
                if values.contains(renamed) { return renamed }
            }
        }
        return member
    }

    /// The tenant segment of `value`: the text after `prefix` up to `terminator`.
    static func segment(of value: String, prefix: String, terminator: Character) -> String? {
        guard value.hasPrefix(prefix) else { return nil }
        let rest = value.dropFirst(prefix.count)
        return String(rest[..<(rest.firstIndex(of: terminator) ?? rest.endIndex)])
    }

    /// What a `Federated` value names.
    enum FederatedName {
        /// An issuer, lowercased host and path: an `oidc-provider/…` ARN's or a built-in provider's host.
        case issuer(String)
        /// A value the policy leaves to a template (`${oidc_provider_arn}`): the condition keys tell the issuer.
        case template
        /// Something else: a SAML provider, a malformed value.
        case other
    }

    static func issuer(ofFederated value: String) -> FederatedName {
        if value.containsLiteral("${") || value.containsLiteral("{{") {
            // `arn:aws:iam::${AWS::AccountId}:oidc-provider/gitlab.com`: the issuer may still be written out.
            if let range = value.rangeOfLiteral(":oidc-provider/") {
                let issuer = value[range.upperBound...]
                if !issuer.isEmpty, !issuer.containsASCII("$"), !issuer.containsASCII("{") { return .issuer(issuer.lowercased()) }
            }
            return .template
        }
        if let arn = ARN(parsing: value) {
            guard arn.resource.hasPrefix("oidc-provider/") else { return .other }
            let issuer = String(arn.resource.dropFirst("oidc-provider/".count)).lowercased()
            return issuer.isEmpty || issuer.containsASCII("$") ? .template : .issuer(issuer)
        }
        if value.hasPrefix("arn:") { return .template }
        guard value.containsASCII("."), !value.containsASCII(" "), !value.containsASCII(":") else { return .other }
        return .issuer(value.lowercased())
    }

    /// Whether the statement's `Action` (or `NotAction`) covers `sts:AssumeRoleWithWebIdentity`.
    static func coversWebIdentity(_ statement: Statement) -> Bool {
        let target = "sts:assumerolewithwebidentity"
        func covers(_ pattern: String) -> Bool {
            // ASCII without `*` or `?` names one action: its glob matches the target exactly when the texts are equal.
            // Most actions of most statements are such names, and building their globs cost more than the rule.
            if pattern.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") }) {
                return pattern.lowercased() == target
            }
            return StringPattern(pattern.lowercased(), matching: .wildcard, resolvesVariables: false).matches(target)
        }
        if let action = statement.action { return action.values.contains(where: covers) }
        if let notAction = statement.notAction { return !notAction.values.contains(where: covers) }
        return false
    }
}
