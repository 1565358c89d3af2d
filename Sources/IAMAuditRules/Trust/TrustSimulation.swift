import IAMPolicy

/// How AWS STS decides an `AssumeRoleWithWebIdentity` request that presents one GitHub Actions OIDC token,
/// worked out statement by statement and condition by condition (`iam-audit simulate`).
///
/// The rules followed, from AWS's documentation:
/// - **Principals.** `Principal: "*"` and `{"AWS": "*"}` are equivalent and match every caller, a web-identity
///   caller included ([Principal, all principals](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)).
///   A `Federated` value matches when it is the ARN of the identity provider the token is presented through: the
///   provider of the token's issuer in the role's own account. Any other principal (`AWS` or `Service` values,
///   another issuer's provider, another account's provider) does not match, whatever the statement's effect: a
///   `Deny` applies only where its principal and action apply.
/// - **The role's account** is not written in its trust policy. It is the account of `provider` when one is given;
///   else the account of the identity-provider ARNs the `Allow` statements name (when they name several accounts,
///   the token is admitted when it is admitted under any one of them); else it is unknown, and a `Deny` that names
///   one account's provider is read as not applying. Where AWS's behaviour is undocumented, the reading is the one
///   that admits the most: a `Federated` value that is a bare issuer (no account) or `*` matches for an `Allow` and
///   not for a `Deny`. ``notes`` says which reading was taken.
/// - **Action.** The statement's `Action` must cover `sts:AssumeRoleWithWebIdentity` (or its `NotAction` leave it
///   out); names compare without case, with `*` and `?` as wildcards.
/// - **Conditions.** Operators and keys are ANDed, the values of one key ORed, and a negated operator's values NORed
///   ([conditions with multiple keys or values](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html)).
///   A key absent from the request makes a condition false, a negated operator's true; `…IfExists` is true and
///   `Null` tests presence ([condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)).
///   `ForAllValues:` is true and `ForAnyValue:` false when the key is absent
///   ([single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html));
///   a token claim is single-valued, so with the key present both qualifiers test that one value.
/// - **One key twice in one operator block** (`…:sub` and `…:SUB`, or a repeated JSON key): IAM's behaviour is
///   undocumented and Access Analyzer reports it as an error. The block is read with whichever one of the duplicates
///   admits more for an `Allow` (the key passes when any of them passes) and denies less for a `Deny` (it passes only
///   when all of them pass), and the condition's reason says so.
/// - **Strings** compare as ``StringPattern`` reads them: exact, case-folded for `…IgnoreCase`, and with `*` (any
///   sequence, `/` and `:` included, possibly empty) and `?` only under `StringLike`/`StringNotLike`.
/// - **Policy variables** resolve from the request, with their default when the key is absent, in a policy of
///   version `2012-10-17` only; a resolved value is read literally. A variable with no value and no default makes
///   its policy value match nothing, so a plain operator fails on that value and a negated one passes
///   ([policy variables with no value](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value)).
/// - **Keys.** A key `<issuer>:<claim>` is in the request only when its prefix is the token's issuer (its host and
///   path, compared without case, as every condition key is), the claim is one AWS exposes
///   (``GitHubOIDC/exposedClaims``) and the token carries it
///   ([web identity federation keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)).
///   Other keys (`aws:SourceIp`, `sts:RoleSessionName`) are read as absent, and the reason says so.
/// - Numeric, `Bool` and `IpAddress` operators compare the claim's text when it is a number, a boolean or an
///   address; any other comparison (dates, ARNs, binary, a claim of the wrong form) is treated as not matching,
///   which fails the condition whatever its negation, and the reason says so.
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
        /// Whether the clause counts as true in the statement: its own result, or, for a key written more than
        /// once in its operator block, the reading of the duplicates (see ``TrustSimulation``).
        public var passed: Bool
        /// Why, lowercase: `value 'repo:acme/app:pull_request' matches none of the 2 values`.
        public var reason: String
    }

    /// What one statement came to.
    public struct StatementOutcome: Sendable {
        public enum Status: String, Sendable, Hashable, Codable {
            /// The statement applies to the request: its principal, action and every condition match.
            case matches
            /// The statement's principal matches the caller, but its action or a condition does not match.
            case doesNotMatch = "does-not-match"
            /// The statement's principal is not the caller (an `AWS` or `Service` principal, another issuer's or
            /// another account's provider), or the statement is not one IAM evaluates (no valid `Effect`).
            case notApplicable = "not-applicable"
        }

        public var statement: Statement
        /// The statement's span, in the file.
        public var span: SourceSpan
        public var status: Status
        /// Why the statement does not match or is not applicable, when no condition says it.
        public var reason: String?
        /// Every condition clause, in source order, for a statement whose principal and action match.
        public var conditions: [ConditionOutcome]
        /// Why a statement whose principal could be the caller's provider was left out, when a reading decided it.
        var leftOut: LeftOut? = nil

        /// A reading that left a statement out (see ``TrustSimulation``).
        enum LeftOut {
            /// It names a provider of an account other than the role's, or the role's account is unknown.
            case account
            /// It is a Deny whose federated principal (a bare issuer, `*`) names no account's provider.
            case undocumentedPrincipal
        }

        /// The first condition that is false, which decides a `doesNotMatch`.
        public var firstFailure: ConditionOutcome? { conditions.first { !$0.passed } }

        public var effect: Effect? { statement.parsedEffect }
    }

    /// The account whose identity provider the token is presented through: the role's own account.
    public struct RoleAccount: Sendable, Hashable, CustomStringConvertible {
        public var partition: String
        public var account: String

        public init(partition: String, account: String) {
            self.partition = partition
            self.account = account
        }

        /// `111122223333`, or `aws-cn:111122223333` outside the `aws` partition.
        public var description: String { partition == "aws" ? account : "\(partition):\(account)" }
    }

    public var decision: Decision
    /// The statement that decided: the first applying `Deny`, else the first applying `Allow`; nil for an
    /// implicit deny.
    public var decidingStatement: StatementOutcome?
    /// Every statement, in source order.
    public var statements: [StatementOutcome]
    /// The claims of the token (lowercased names), `aud` included.
    public var claims: [String: String]
    /// The issuer the token is taken to come from (lowercased host and path, as condition keys name it).
    public var issuer: String
    /// Every distinct GitHub issuer the policy's `Federated` principals name, in source order.
    public var policyIssuers: [String]
    /// The role's account the decision was worked out for; nil when it is unknown.
    public var roleAccount: RoleAccount?
    /// The readings taken where the policy leaves a fact open or AWS's behaviour is undocumented, each a
    /// lowercase sentence (the role's account, the token's issuer, a key written twice).
    public var notes: [String]

    /// Whether some statement can apply to a web-identity request from GitHub: it names a GitHub identity
    /// provider, or every principal (`"*"`, `{"AWS": "*"}`). Otherwise there is nothing to simulate.
    public var appliesToGitHubTokens: Bool

    /// Evaluates `policy` for a web-identity request carrying `claims`.
    /// - Parameters:
    ///   - claims: claim name → value; names compare without case. `aud` defaults to ``GitHubOIDC/defaultAudience``;
    ///     `iss` (`https://token.actions.githubusercontent.com`) names the issuer when neither `issuer` nor
    ///     `provider` does.
    ///   - issuer: the token's issuer as a provider ARN names it (`token.actions.githubusercontent.com/acme`);
    ///     nil takes `provider`'s, then `iss`, then the first GitHub provider the policy names, then GitHub.com's.
    ///   - provider: the ARN of the identity provider the token is presented through
    ///     (`arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com`), which gives the role's
    ///     account; nil works the account out from the policy (see ``TrustSimulation``).
    public static func evaluate(_ policy: Policy, claims: [String: String], issuer: String? = nil,
                                provider: String? = nil) -> TrustSimulation {
        var normalized: [String: String] = [:]
        for (name, value) in claims { normalized[name.lowercased()] = value }
        if normalized["aud"] == nil { normalized["aud"] = GitHubOIDC.defaultAudience }

        let statements = policy.document.statements
        var policyIssuers: [String] = []
        for statement in statements {
            for provider in statement.principal?.values(ofType: "Federated").compactMap(GitHubProvider.init) ?? []
            where !policyIssuers.contains(provider.keyPrefix) {
                policyIssuers.append(provider.keyPrefix)
            }
        }
        let given = provider.flatMap(ProviderName.init)
        var notes: [String] = []
        let tokenIssuer: String
        if let issuer {
            tokenIssuer = issuerKeyPrefix(issuer)
        } else if let given {
            tokenIssuer = given.issuer
        } else if let iss = normalized["iss"] {
            tokenIssuer = issuerKeyPrefix(iss)
        } else if let first = policyIssuers.first {
            tokenIssuer = first
            if policyIssuers.count > 1 {
                notes.append("the policy trusts \(policyIssuers.count) GitHub issuers; the token is taken to come from '\(first)', the first (--claim iss sets it)")
            }
        } else {
            tokenIssuer = keyIssuers(statements).first ?? GitHubOIDC.issuerHost
        }

        // The role's account: given, else each account the Allow statements' providers name, else unknown.
        let readings: [AccountReading]
        if let given {
            readings = [AccountReading(account: given.account, source: .given)]
        } else {
            let candidates = allowedProviderAccounts(statements)
            readings = candidates.isEmpty
                ? [AccountReading(account: nil, source: .unknown)]
                : candidates.map { AccountReading(account: $0.account, source: .allowStatement($0.statement, of: candidates.count)) }
        }
        let resolvesVariables = policy.document.version?.value == "2012-10-17"
        var results: [(reading: AccountReading, outcomes: [StatementOutcome], decision: Decision)] = []
        for reading in readings {
            let request = Request(claims: normalized, issuer: tokenIssuer, account: reading, resolvesVariables: resolvesVariables)
            let outcomes = statements.map { request.evaluate($0, in: policy) }
            let decision = decide(outcomes)
            results.append((reading, outcomes, decision))
            if decision == .allow { break }
        }
        let chosen = results.first { $0.decision == .allow } ?? results[0]
        if let note = chosen.reading.note(readings: readings, outcomes: chosen.outcomes) { notes.append(note) }
        for outcome in chosen.outcomes where outcome.leftOut == .undocumentedPrincipal {
            notes.append("statement \(outcome.statement.index): \(outcome.reason ?? "")")
        }
        notes.append(contentsOf: duplicateNotes(chosen.outcomes))

        let deny = chosen.outcomes.first { $0.status == .matches && $0.effect == .deny }
        let allow = chosen.outcomes.first { $0.status == .matches && $0.effect == .allow }
        let applies = statements.contains { statement in
            guard let principal = statement.principal else { return false }
            return principal.isEveryone
                || principal.values(ofType: "Federated").contains { $0.value == "*" || GitHubProvider($0) != nil }
        }
        return TrustSimulation(decision: chosen.decision, decidingStatement: deny ?? allow, statements: chosen.outcomes,
                               claims: normalized, issuer: tokenIssuer, policyIssuers: policyIssuers,
                               roleAccount: chosen.reading.account, notes: notes, appliesToGitHubTokens: applies)
    }

    /// The issuer host and path as condition keys and provider ARNs name it: `https://Token.Actions.GitHubUserContent.com/`
    /// → `token.actions.githubusercontent.com`.
    public static func issuerKeyPrefix(_ text: String) -> String {
        var lower = text.lowercased()
        for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
            lower.removeFirst(scheme.count)
        }
        while lower.hasSuffix("/") { lower.removeLast() }
        return lower
    }

    /// The decision for the outcomes of every statement: an applying `Deny` wins, then an applying `Allow`.
    static func decide(_ outcomes: [StatementOutcome]) -> Decision {
        if outcomes.contains(where: { $0.status == .matches && $0.effect == .deny }) { return .explicitDeny }
        if outcomes.contains(where: { $0.status == .matches && $0.effect == .allow }) { return .allow }
        return .implicitDeny
    }

    /// The distinct accounts of the identity-provider ARNs that `Allow` statements name as `Federated`
    /// principals (any provider: a role can only use its own account's), in source order, each with the first
    /// statement that names it.
    static func allowedProviderAccounts(_ statements: [Statement]) -> [(account: RoleAccount, statement: Int)] {
        var accounts: [(account: RoleAccount, statement: Int)] = []
        for statement in statements where statement.isAllow {
            for value in statement.principal?.values(ofType: "Federated") ?? [] {
                guard let name = ProviderName(value.value) else { continue }
                if !accounts.contains(where: { $0.account == name.account }) {
                    accounts.append((name.account, statement.index))
                }
            }
        }
        return accounts
    }

    /// The GitHub issuers that condition keys name by their prefix, in source order.
    static func keyIssuers(_ statements: [Statement]) -> [String] {
        var issuers: [String] = []
        for statement in statements {
            for clause in statement.condition?.clauses ?? [] {
                guard let name = ConditionKeyName(clause.key.value),
                      let provider = GitHubProvider(Located(name.prefix, pointer: clause.key.pointer, span: clause.key.span)),
                      !issuers.contains(provider.keyPrefix) else { continue }
                issuers.append(provider.keyPrefix)
            }
        }
        return issuers
    }

    /// A note for each statement that tests one key more than once in an operator block.
    static func duplicateNotes(_ outcomes: [StatementOutcome]) -> [String] {
        var notes: [String] = []
        for outcome in outcomes {
            var seen: Set<ClauseGroupKey> = []
            for condition in outcome.conditions {
                let key = ClauseGroupKey(condition.clause)
                let count = outcome.conditions.filter { ClauseGroupKey($0.clause) == key }.count
                guard count > 1, seen.insert(key).inserted else { continue }
                let effect = outcome.effect == .deny ? "a Deny" : "an Allow"
                let admits = outcome.effect == .deny ? "denies less" : "admits more"
                notes.append("statement \(outcome.statement.index) tests '\(condition.clause.key.value)' \(count) times in "
                    + "'\(condition.clause.operatorName.value)'; IAM's reading is undocumented (Access Analyzer reports it as an "
                    + "error), so it is read as whichever one \(admits) for \(effect)")
            }
        }
        return notes
    }
}

/// The clauses of one operator block that test one key, whatever the case it is written in.
private struct ClauseGroupKey: Hashable {
    var operatorName: String
    var key: String

    init(_ clause: ConditionClause) {
        operatorName = clause.operatorName.value
        key = clause.normalizedKey
    }
}

/// An identity-provider ARN taken apart: the account it lives in and the issuer it names.
private struct ProviderName {
    var account: TrustSimulation.RoleAccount
    /// The issuer host and path, lowercased (`token.actions.githubusercontent.com`); empty for a SAML provider.
    var issuer: String

    init?(_ text: String) {
        guard let arn = ARN(parsing: text), arn.service == "iam", !arn.account.isEmpty else { return nil }
        if arn.resource.hasPrefix("oidc-provider/") {
            issuer = TrustSimulation.issuerKeyPrefix(String(arn.resource.dropFirst("oidc-provider/".count)))
        } else if arn.resource.hasPrefix("saml-provider/") {
            issuer = ""
        } else {
            return nil
        }
        account = TrustSimulation.RoleAccount(partition: arn.partition, account: arn.account)
    }
}

/// Which account the role is taken to be in, and why.
private struct AccountReading {
    enum Source {
        /// `provider` named it.
        case given
        /// The `Allow` statement at this index names a provider of this account; `count` accounts are named.
        case allowStatement(Int, of: Int)
        /// No `Allow` statement names an identity-provider ARN.
        case unknown
    }

    var account: TrustSimulation.RoleAccount?
    var source: Source

    /// What to tell about the reading, when it changed an outcome: a statement left out for naming another
    /// account's provider (or any account's, when the account is unknown), or several accounts to choose from.
    func note(readings: [AccountReading], outcomes: [TrustSimulation.StatementOutcome]) -> String? {
        let leftOut = outcomes.filter { $0.leftOut == .account }
        switch source {
        case .given:
            return nil
        case .allowStatement(let index, let count):
            let account = account.map(\.description) ?? ""
            if count > 1 {
                let all = readings.compactMap { $0.account?.description }.joined(separator: ", ")
                return "the Allow statements name identity providers of \(count) accounts (\(all)); the role is in one of them, "
                    + "and the token is taken to be admitted when it is admitted under any one: here \(account), "
                    + "named by statement \(index) (--provider sets the account)"
            }
            guard !leftOut.isEmpty else { return nil }
            return "the trust policy does not say which account the role is in; it is taken to be \(account), whose identity "
                + "provider statement \(index) allows (--provider sets it)"
        case .unknown:
            guard !leftOut.isEmpty else { return nil }
            return "the trust policy does not say which account the role is in and no Allow statement names an identity "
                + "provider, so a Deny naming one account's provider is read as not applying, the narrowest reading "
                + "(--provider sets the account)"
        }
    }
}

/// One web-identity request: the token's claims and issuer, and the account of the provider it comes through.
private struct Request {
    var claims: [String: String]
    var issuer: String
    var account: AccountReading
    var resolvesVariables: Bool

    static let action = "sts:AssumeRoleWithWebIdentity"

    func evaluate(_ statement: Statement, in policy: Policy) -> TrustSimulation.StatementOutcome {
        var outcome = TrustSimulation.StatementOutcome(statement: statement, span: policy.reportSpan(statement.span),
                                                       status: .notApplicable, reason: nil, conditions: [])
        guard let effect = statement.parsedEffect else {
            outcome.reason = statement.effect.map { "effect '\($0.value)' is neither Allow nor Deny" } ?? "the statement has no Effect"
            return outcome
        }
        if let mismatch = principalMismatch(statement, effect: effect) {
            outcome.reason = mismatch.text
            outcome.leftOut = mismatch.leftOut
            return outcome
        }
        outcome.status = .doesNotMatch
        guard statement.covers(action: Self.action) else {
            let written = statement.actionElement.map { list in list.values.map { "'\($0)'" }.joined(separator: ", ") } ?? "nothing"
            outcome.reason = "action \(written) does not cover \(Self.action)"
            return outcome
        }
        var conditions = (statement.condition?.clauses ?? []).map { clause in
            var result = evaluate(clause)
            result.span = policy.reportSpan(clause.key.span)
            return result
        }
        Self.readDuplicates(&conditions, effect: effect)
        outcome.conditions = conditions
        if conditions.allSatisfy(\.passed) { outcome.status = .matches }
        return outcome
    }

    /// Why the statement's principal does not match the caller, and the reading that decided it; nil when it matches.
    func principalMismatch(_ statement: Statement, effect: Effect) -> (text: String, leftOut: TrustSimulation.StatementOutcome.LeftOut?)? {
        guard let principal = statement.principal else {
            if statement.notPrincipal != nil {
                return ("'NotPrincipal' is not supported in a role trust policy; IAM rejects the policy", nil)
            }
            return ("the statement has no Principal", nil)
        }
        if principal.isEveryone { return nil }
        let federated = principal.values(ofType: "Federated")
        var otherAccounts: [String] = []
        var otherIssuers: [String] = []
        var undecided: [String] = []
        for value in federated {
            if value.value == "*" {
                if effect == .allow { return nil }
                undecided.append("'*'")
                continue
            }
            guard let provider = GitHubProvider(value) else { continue }
            guard provider.keyPrefix == issuer else {
                otherIssuers.append("'\(provider.keyPrefix)'")
                continue
            }
            guard let arn = provider.arn, !arn.account.isEmpty else {
                if effect == .allow { return nil }
                undecided.append("'\(value.value)'")
                continue
            }
            let named = TrustSimulation.RoleAccount(partition: arn.partition, account: arn.account)
            if let account = account.account {
                if named == account { return nil }
                otherAccounts.append(named.description)
            } else {
                otherAccounts.append(named.description)
            }
        }
        if !otherAccounts.isEmpty {
            let named = otherAccounts.joined(separator: ", ")
            if let account = account.account {
                return ("the federated principal names the identity provider of account \(named), not of the role's account "
                    + "\(account) (\(accountOrigin)); a web-identity token is presented through the provider of the role's account", .account)
            }
            return ("the federated principal names the identity provider of account \(named), and the role's account is unknown "
                + "(no Allow statement names an identity provider); a Deny is read as applying only where it surely does, so it "
                + "does not apply", .account)
        }
        if !undecided.isEmpty {
            return ("how IAM reads the federated principal \(undecided.joined(separator: ", ")), which names no account's identity "
                + "provider, is undocumented; a Deny is read as applying only where it surely does, so it does not apply", .undocumentedPrincipal)
        }
        if !otherIssuers.isEmpty {
            return ("the federated principal names issuer \(otherIssuers.joined(separator: ", ")), not the token's '\(issuer)'", nil)
        }
        let entries = principal.entries.map { entry in
            "\(entry.type.value) " + entry.values.values.map { "'\($0)'" }.joined(separator: ", ")
        }
        let written = entries.isEmpty ? "an invalid principal" : "principal " + entries.joined(separator: "; ")
        return ("\(written) is not a GitHub identity provider, so it does not match a web-identity request from GitHub", nil)
    }

    /// Where the role's account was taken from, for a reason.
    var accountOrigin: String {
        switch account.source {
        case .given: "given with --provider"
        case .allowStatement(let index, _): "taken from the provider statement \(index) allows"
        case .unknown: "unknown"
        }
    }

    /// Reads the clauses that test one key more than once in an operator block as one: for an Allow, the key
    /// passes when any of them passes; for a Deny, only when all of them pass.
    static func readDuplicates(_ conditions: inout [TrustSimulation.ConditionOutcome], effect: Effect) {
        var groups: [ClauseGroupKey: [Int]] = [:]
        for (index, condition) in conditions.enumerated() { groups[ClauseGroupKey(condition.clause), default: []].append(index) }
        for members in groups.values where members.count > 1 {
            let results = members.map { conditions[$0].passed }
            let passed = effect == .allow ? results.contains(true) : results.allSatisfy { $0 }
            let keys = members.map { "'\(conditions[$0].clause.key.value)'" }.joined(separator: ", ")
            for index in members {
                let own = conditions[index].passed
                var reading = "the key is written \(members.count) times in this operator block (\(keys)); IAM's reading is undocumented, "
                reading += effect == .allow
                    ? "so an Allow is read with whichever one admits more"
                    : "so a Deny is read with whichever one denies less"
                if own != passed {
                    reading += passed ? ", and another one passes" : ", and another one fails"
                }
                conditions[index].reason += "; " + reading
                conditions[index].passed = passed
            }
        }
    }

    // MARK: Keys

    /// The value of a condition key in the request, or why the key is absent.
    func lookup(_ key: String) -> Result<String, Absence> {
        guard let name = ConditionKeyName(key) else {
            return .failure(Absence("key '\(key)' has no service or issuer prefix, so it is never in the request"))
        }
        guard name.prefix == issuer else {
            if GitHubOIDC.looksLikeIssuer(name.prefix) {
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
        case .success(let comparison):
            let shown = "value '\(value)'"
            let matched = comparison.matched
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
            if matched == nil, let variable = comparison.unresolved.first {
                let more = comparison.unresolved.count > 1 ? " (and \(comparison.unresolved.count - 1) more)" : ""
                outcome.reason += "; policy variable '${\(variable)}'\(more) has no value in this request, so its value matches nothing"
            }
        }
        return outcome
    }

    /// The first policy value that a value matches, and the variables that made other values match nothing.
    struct Comparison {
        var matched: String?
        var unresolved: [String] = []
    }

    /// The first policy value that `value` matches under the operator's un-negated comparison, or nil; a failure
    /// when the comparison cannot be made.
    func compare(_ value: String, with values: [String], base: ConditionOperatorBase) -> Result<Comparison, Absence> {
        switch base.category {
        case .string:
            var comparison = Comparison()
            for text in values {
                switch pattern(text, base: base) {
                case .success(let pattern):
                    if pattern.matches(value) {
                        comparison.matched = text
                        return .success(comparison)
                    }
                case .failure(let unresolved):
                    comparison.unresolved.append(unresolved.text)
                }
            }
            return .success(comparison)
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
                if holds { return .success(Comparison(matched: text)) }
            }
            return .success(Comparison())
        case .bool:
            guard ConditionValueText.isBoolean(value) else {
                return .failure(Absence("'Bool' cannot compare the claim value '\(value)', which is not true or false"))
            }
            return .success(Comparison(matched: values.first { $0.lowercased() == value.lowercased() }))
        case .ipAddress:
            guard let address = CIDRBlock(parsing: value), !value.containsASCII("/") else {
                return .failure(Absence("'\(base.rawValue)' cannot compare the claim value '\(value)', which is not an IP address"))
            }
            for text in values {
                guard let block = CIDRBlock(parsing: text) else {
                    return .failure(Absence("'\(base.rawValue)' cannot compare with '\(text)', which is not an address or CIDR block"))
                }
                if block.contains(address) { return .success(Comparison(matched: text)) }
            }
            return .success(Comparison())
        case .date, .arn, .binary:
            return .failure(Absence("simulate does not compare a token claim under '\(base.rawValue)'"))
        case .null:
            return .success(Comparison())
        }
    }

    /// The pattern a string operator reads `text` as, with the request's values put in for policy variables; a
    /// failure naming the variable (its text between the braces) that has no value in the request.
    func pattern(_ text: String, base: ConditionOperatorBase) -> Result<StringPattern, Absence> {
        guard let parsed = StringPattern(text, operator: base, resolvesVariables: resolvesVariables) else {
            return .success(StringPattern(text, matching: .exact, resolvesVariables: false))
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
                guard let value = resolve(variable: body) else { return .failure(Absence(body)) }
                source += Self.literal(value)
            }
        }
        return .success(StringPattern(source, matching: parsed.matching, resolvesVariables: true))
    }

    /// The value of the policy variable `${body}`: the request's value of its key, else its default, else nil.
    func resolve(variable body: String) -> String? {
        let parts = body.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
        let key = parts.first ?? ""
        if case .success(let value) = lookup(key) { return value }
        if parts.count == 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'"), parts[1].count >= 2 {
            return String(parts[1].dropFirst().dropLast())
        }
        return nil
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
