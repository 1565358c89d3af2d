import IAMPolicy

/// How AWS STS decides an `AssumeRoleWithWebIdentity` request that presents one GitHub Actions OIDC token,
/// worked out statement by statement and condition by condition (`iam-audit simulate`).
///
/// The rules followed, from AWS's documentation:
/// - A statement applies when its principal names the token's identity provider, its action covers
///   `sts:AssumeRoleWithWebIdentity`, and every condition is true: operators and keys are ANDed, the values of
///   one key ORed, and a negated operator's values NORed
///   ([conditions with multiple keys or values](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html)).
/// - A key absent from the request makes a condition false, a negated operator's true; `…IfExists` is true and
///   `Null` tests presence
///   ([condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)).
///   `ForAllValues:` is true and `ForAnyValue:` false when the key is absent
///   ([single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html));
///   a token claim is single-valued, so with the key present both qualifiers test that one value.
/// - String operators compare as ``StringPattern`` reads them: exact, case-folded for `…IgnoreCase`, and with
///   `*` (any sequence, `/` and `:` included, possibly empty) and `?` only under `StringLike`/`StringNotLike`.
///   Policy variables resolve from the request, with their default when the key is absent, in a policy of
///   version `2012-10-17` only ([policy variables](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)).
/// - A key `<issuer>:<claim>` is in the request only when its prefix is the token's issuer (its provider's
///   host and path, compared without case, as every condition key is), the claim is one AWS exposes
///   (``GitHubOIDC/exposedClaims``) and the token carries it
///   ([OIDC federation keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html)).
///   Other keys (`aws:SourceIp`, `sts:RoleSessionName`) are read as absent, and the reason says so.
/// - Numeric, `Bool` and `IpAddress` operators compare the claim's text when it is a number, a boolean or an
///   address; any other comparison (dates, ARNs, binary, a claim of the wrong form) is treated as not
///   matching, which fails the condition whatever its negation, and the reason says so.
/// - An explicit `Deny` wins over any `Allow`; with no applicable `Allow` the request is denied implicitly
///   ([policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)).
public struct TrustSimulation: Sendable {
    /// The outcome for the request.
    public enum Decision: String, Sendable, Hashable, Codable {
        case allow
        /// A `Deny` statement applies.
        case explicitDeny = "explicit-deny"
        /// No `Allow` statement applies.
        case implicitDeny = "implicit-deny"

        public var isAllowed: Bool { self == .allow }
    }

    /// What one condition clause came to.
    public struct ConditionOutcome: Sendable {
        public var clause: ConditionClause
        /// The clause's key span, in the file (see ``Policy/reportSpan(_:)``).
        public var span: SourceSpan
        /// The claim value the key had in the request, or nil when the key was absent.
        public var requestValue: String?
        public var passed: Bool
        /// Why, lowercase: `value 'repo:acme/app:pull_request' matches none of the 2 values`.
        public var reason: String
    }

    /// What one statement came to.
    public struct StatementOutcome: Sendable {
        public enum Status: String, Sendable, Hashable, Codable {
            /// The statement applies to the request: its principal, action and every condition match.
            case matches
            /// The statement could apply to a web-identity request from this issuer, but its action or a condition
            /// does not match.
            case doesNotMatch = "does-not-match"
            /// The statement's principal is not the token's identity provider (an `AWS` or `Service` principal,
            /// another issuer), or the statement is not one IAM evaluates (no valid `Effect`).
            case notApplicable = "not-applicable"
            /// The statement may apply, but simulate does not evaluate it (`Principal: "*"`).
            case notEvaluated = "not-evaluated"
        }

        public var statement: Statement
        /// The statement's span, in the file.
        public var span: SourceSpan
        public var status: Status
        /// Why the statement does not match, is not applicable or is not evaluated, when no condition says it.
        public var reason: String?
        /// Every condition clause, in source order, for a statement whose principal and action match.
        public var conditions: [ConditionOutcome]

        /// The first condition that is false, which decides a `doesNotMatch`.
        public var firstFailure: ConditionOutcome? { conditions.first { !$0.passed } }

        public var effect: Effect? { statement.parsedEffect }
    }

    public var decision: Decision
    /// The statement that decided: the first applying `Deny`, else the first applying `Allow`; nil for an
    /// implicit deny.
    public var decidingStatement: StatementOutcome?
    /// Every statement, in source order.
    public var statements: [StatementOutcome]
    /// The claims of the token (lowercased names), `aud` included.
    public var claims: [String: String]
    /// The issuer the token is taken to come from (lowercased host and path), or nil when the policy names no
    /// GitHub identity provider.
    public var issuer: String?
    /// Every distinct GitHub issuer the policy's statements name, in source order.
    public var policyIssuers: [String]

    /// Whether some statement names a GitHub identity provider: otherwise there is nothing to simulate.
    public var hasGitHubStatement: Bool { !policyIssuers.isEmpty }

    /// Evaluates `policy` for a web-identity request carrying `claims`.
    /// - Parameters:
    ///   - claims: claim name → value; names compare without case. `aud` defaults to ``GitHubOIDC/defaultAudience``.
    ///   - issuer: the token's issuer as a provider ARN names it (`token.actions.githubusercontent.com/acme`);
    ///     nil takes the first GitHub provider the policy names.
    public static func evaluate(_ policy: Policy, claims: [String: String], issuer: String? = nil) -> TrustSimulation {
        var normalized: [String: String] = [:]
        for (name, value) in claims { normalized[name.lowercased()] = value }
        if normalized["aud"] == nil { normalized["aud"] = GitHubOIDC.defaultAudience }

        var policyIssuers: [String] = []
        for statement in policy.document.statements {
            for provider in statement.principal?.values(ofType: "Federated").compactMap(GitHubProvider.init) ?? []
            where !policyIssuers.contains(provider.keyPrefix) {
                policyIssuers.append(provider.keyPrefix)
            }
        }
        let request = Request(claims: normalized, issuer: issuer?.lowercased() ?? policyIssuers.first,
                              resolvesVariables: policy.document.version?.value == "2012-10-17")
        let outcomes = policy.document.statements.map { request.evaluate($0, in: policy) }
        let deny = outcomes.first { $0.status == .matches && $0.effect == .deny }
        let allow = outcomes.first { $0.status == .matches && $0.effect == .allow }
        let decision: Decision = deny != nil ? .explicitDeny : allow != nil ? .allow : .implicitDeny
        return TrustSimulation(decision: decision, decidingStatement: deny ?? allow, statements: outcomes,
                               claims: normalized, issuer: request.issuer, policyIssuers: policyIssuers)
    }
}

/// One web-identity request: the token's claims and issuer.
private struct Request {
    var claims: [String: String]
    var issuer: String?
    var resolvesVariables: Bool

    static let action = "sts:AssumeRoleWithWebIdentity"

    func evaluate(_ statement: Statement, in policy: Policy) -> TrustSimulation.StatementOutcome {
        var outcome = TrustSimulation.StatementOutcome(statement: statement, span: policy.reportSpan(statement.span),
                                                       status: .notApplicable, reason: nil, conditions: [])
        guard statement.parsedEffect != nil else {
            outcome.reason = statement.effect.map { "effect '\($0.value)' is neither Allow nor Deny" } ?? "the statement has no Effect"
            return outcome
        }
        if let reason = principalMismatch(statement) {
            outcome.reason = reason.text
            if reason.evaluated == false { outcome.status = .notEvaluated }
            return outcome
        }
        outcome.status = .doesNotMatch
        guard statement.covers(action: Self.action) else {
            let written = statement.actionElement.map { list in list.values.map { "'\($0)'" }.joined(separator: ", ") } ?? "nothing"
            outcome.reason = "action \(written) does not cover \(Self.action)"
            return outcome
        }
        outcome.conditions = (statement.condition?.clauses ?? []).map { clause in
            var result = evaluate(clause)
            result.span = policy.reportSpan(clause.key.span)
            return result
        }
        if outcome.conditions.allSatisfy(\.passed) { outcome.status = .matches }
        return outcome
    }

    /// Why the statement's principal is not the token's provider (nil when it is); `evaluated` is false when
    /// the principal may match but simulate does not model it.
    func principalMismatch(_ statement: Statement) -> (text: String, evaluated: Bool)? {
        guard let principal = statement.principal else {
            if statement.notPrincipal != nil {
                return ("'NotPrincipal' is not supported in a role trust policy; IAM rejects the policy", true)
            }
            return ("the statement has no Principal", true)
        }
        if case .everyone = principal.shape {
            return ("principal '*' may match a web-identity caller, but simulate evaluates only statements that name a GitHub identity provider", false)
        }
        let providers = principal.values(ofType: "Federated").compactMap(GitHubProvider.init)
        guard !providers.isEmpty else {
            let entries = principal.entries.map { entry in
                "\(entry.type.value) " + entry.values.values.map { "'\($0)'" }.joined(separator: ", ")
            }
            let written = entries.isEmpty ? "an invalid principal" : "principal " + entries.joined(separator: "; ")
            return ("\(written) is not a GitHub identity provider, so it does not match a web-identity request from GitHub", true)
        }
        guard let issuer, providers.contains(where: { $0.keyPrefix == issuer }) else {
            let named = providers.map { "'\($0.keyPrefix)'" }.joined(separator: ", ")
            return ("the federated principal names issuer \(named), not the token's '\(issuer ?? "")'", true)
        }
        return nil
    }

    // MARK: Keys

    /// The value of a condition key in the request, or why the key is absent.
    func lookup(_ key: String) -> Result<String, Absence> {
        guard let name = ConditionKeyName(key) else {
            return .failure(Absence("key '\(key)' has no service or issuer prefix, so it is never in the request"))
        }
        guard let issuer, name.prefix == issuer else {
            if let issuer, GitHubOIDC.looksLikeIssuer(name.prefix) {
                return .failure(Absence("key prefix '\(name.prefix)' is not the token issuer's '\(issuer)', so '\(key)' is never in the request"))
            }
            return .failure(Absence("key '\(key)' is not a claim of the token; simulate reads it as absent"))
        }
        guard GitHubOIDC.exposedClaims.contains(name.claim) else {
            return .failure(Absence("AWS does not expose the claim '\(name.claim)' as a condition key, so '\(key)' is never in the request"))
        }
        guard let value = claims[name.claim] else {
            return .failure(Absence("the token has no '\(name.claim)' claim"))
        }
        return .success(value)
    }

    struct Absence: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    // MARK: Conditions

    func evaluate(_ clause: ConditionClause) -> TrustSimulation.ConditionOutcome {
        var outcome = TrustSimulation.ConditionOutcome(clause: clause, span: clause.key.span, requestValue: nil, passed: false, reason: "")
        guard let op = clause.parsedOperator else {
            outcome.reason = "'\(clause.operatorName.value)' is not a condition operator IAM knows; IAM rejects the policy"
            return outcome
        }
        let lookedUp = lookup(clause.key.value)
        let value = try? lookedUp.get()
        outcome.requestValue = value
        let values = clause.values.values.map(\.text)

        if op.base == .null {
            let wanted = values.compactMap { text -> Bool? in
                switch text.lowercased() {
                case "true": true
                case "false": false
                default: nil
                }
            }
            guard !wanted.isEmpty else {
                outcome.reason = "'Null' takes true or false, not \(Self.list(values))"
                return outcome
            }
            let absent = value == nil
            outcome.passed = wanted.contains(absent)
            let presence = absent ? "the key is absent (\(Self.absence(lookedUp)))" : "the key is present ('\(value ?? "")')"
            if Set(wanted).count == 2 {
                outcome.reason = "\(presence), and 'Null' with both true and false accepts either"
            } else if outcome.passed {
                outcome.reason = "\(presence), as 'Null': \(absent) requires"
            } else {
                outcome.reason = "\(presence), but 'Null': \(!absent) requires it \(absent ? "present" : "absent")"
            }
            return outcome
        }

        guard let value else {
            let why = Self.absence(lookedUp)
            if op.ifExists {
                outcome.passed = true
                outcome.reason = "\(why); '\(op)' passes when the key is absent"
            } else if op.qualifier == .forAllValues {
                outcome.passed = true
                outcome.reason = "\(why); 'ForAllValues:' passes when the key is absent"
            } else if op.qualifier == .forAnyValue {
                outcome.reason = "\(why); 'ForAnyValue:' fails when the key is absent"
            } else if op.base.isNegated {
                outcome.passed = true
                outcome.reason = "\(why); the negated '\(op)' passes when the key is absent"
            } else {
                outcome.reason = why
            }
            return outcome
        }

        switch compare(value, with: values, base: op.base) {
        case .failure(let unsupported):
            outcome.reason = "\(unsupported.text); treated as not matching"
        case .success(let matched):
            let shown = "value '\(value)'"
            if op.base.isNegated {
                outcome.passed = matched == nil
                if let matched {
                    outcome.reason = "\(shown) matches '\(matched)', which '\(op)' excludes"
                } else {
                    outcome.reason = "\(shown) \(Self.matchesNone(values)), as '\(op)' requires"
                }
            } else {
                outcome.passed = matched != nil
                outcome.reason = matched.map { "\(shown) matches '\($0)'" } ?? "\(shown) \(Self.matchesNone(values))"
            }
        }
        return outcome
    }

    /// The first policy value that `value` matches under the operator's un-negated comparison, or nil; a failure
    /// when the comparison cannot be made.
    func compare(_ value: String, with values: [String], base: ConditionOperatorBase) -> Result<String?, Absence> {
        switch base.category {
        case .string:
            for text in values {
                switch pattern(text, base: base) {
                case .success(let pattern): if pattern.matches(value) { return .success(text) }
                case .failure(let failure): return .failure(failure)
                }
            }
            return .success(nil)
        case .numeric:
            guard ConditionValueText.isDecimal(value) else {
                return .failure(Absence("'\(base.rawValue)' cannot compare the claim value '\(value)', which is not a number"))
            }
            for text in values {
                // Exact decimal comparison: a 400-digit bound is not infinity.
                guard let order = ConditionValueText.compareDecimals(value, text) else {
                    return .failure(Absence("'\(base.rawValue)' cannot compare with '\(text)', which is not a number"))
                }
                let holds = switch base {
                case .numericLessThan: order < 0
                case .numericLessThanEquals: order <= 0
                case .numericGreaterThan: order > 0
                case .numericGreaterThanEquals: order >= 0
                default: order == 0
                }
                if holds { return .success(text) }
            }
            return .success(nil)
        case .bool:
            guard ConditionValueText.isBoolean(value) else {
                return .failure(Absence("'Bool' cannot compare the claim value '\(value)', which is not true or false"))
            }
            return .success(values.first { $0.lowercased() == value.lowercased() })
        case .ipAddress:
            guard let address = CIDRBlock(parsing: value), !value.containsASCII("/") else {
                return .failure(Absence("'\(base.rawValue)' cannot compare the claim value '\(value)', which is not an IP address"))
            }
            for text in values {
                guard let block = CIDRBlock(parsing: text) else {
                    return .failure(Absence("'\(base.rawValue)' cannot compare with '\(text)', which is not an address or CIDR block"))
                }
                if block.contains(address) { return .success(text) }
            }
            return .success(nil)
        case .date, .arn, .binary:
            return .failure(Absence("simulate does not compare a token claim under '\(base.rawValue)'"))
        case .null:
            return .success(nil)
        }
    }

    /// The pattern a string operator reads `text` as, with the request's values put in for policy variables.
    func pattern(_ text: String, base: ConditionOperatorBase) -> Result<StringPattern, Absence> {
        guard let parsed = StringPattern(text, operator: base, resolvesVariables: resolvesVariables) else {
            return .failure(Absence("'\(base.rawValue)' is not a string operator"))
        }
        guard parsed.containsVariables else { return .success(parsed) }
        // Rewrite the value with each variable replaced by its value, written so that it reads literally.
        var source = ""
        for element in parsed.elements {
            switch element {
            case .literal(let scalar): source += Self.literal(String(scalar))
            case .anyCharacter: source += "?"
            case .anyString: source += "*"
            case .variable(let body):
                switch resolve(variable: body) {
                case .success(let value): source += Self.literal(value)
                case .failure(let failure): return .failure(failure)
                }
            }
        }
        return .success(StringPattern(source, matching: parsed.matching, resolvesVariables: true))
    }

    /// The value of the policy variable `${body}`: the request's value of its key, else its default.
    func resolve(variable body: String) -> Result<String, Absence> {
        let parts = body.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
        let key = parts.first ?? ""
        if case .success(let value) = lookup(key) { return .success(value) }
        if parts.count == 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'"), parts[1].count >= 2 {
            return .success(String(parts[1].dropFirst().dropLast()))
        }
        return .failure(Absence("policy variable '${\(body)}' has no value in this request"))
    }

    /// `text` written so that a string operator reads every character literally.
    static func literal(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "*", "?", "$": out += "${\(scalar)}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func absence(_ lookedUp: Result<String, Absence>) -> String {
        if case .failure(let absence) = lookedUp { return absence.text }
        return ""
    }

    static func matchesNone(_ values: [String]) -> String {
        values.count == 1 ? "does not match '\(values[0])'" : "matches none of the \(values.count) values"
    }

    static func list(_ values: [String]) -> String {
        values.count == 1 ? "'\(values[0])'" : "[" + values.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }
}

private extension String {
    /// The string without leading and trailing `character`s.
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}

private extension Substring {
    func trimmingCharacters(in character: Character) -> String {
        String(self).trimmingCharacters(in: character)
    }
}

private extension CIDRBlock {
    /// Whether the single address `address` lies in this block.
    func contains(_ address: CIDRBlock) -> Bool {
        guard family == address.family else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(self.address, address.address) {
            guard remaining > 0 else { return true }
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }
}
