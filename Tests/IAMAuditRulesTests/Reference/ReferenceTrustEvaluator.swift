import Foundation

/// How IAM decides an `AssumeRoleWithWebIdentity` request against a role trust policy, written from AWS's
/// documentation alone, as an oracle for `simulate` and the trust rules.
///
/// It shares no code with the tool: it reads the policy with `JSONSerialization`, and has its own wildcard
/// matcher, operator semantics and Allow/Deny combination. Each rule below names the documentation it follows.
///
/// - Principal ([Principal, all principals](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)):
///   `"*"` and `{"AWS": "*"}` are equivalent and match every caller. A `Federated` value matches the token when it
///   is the ARN `arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER` of the token's issuer in the role's account. The
///   role's account is given, or else is each account whose identity-provider ARN an Allow statement names (the
///   token is admitted when any of them admits it), or else unknown (then no account's provider ARN matches).
///   Readings of undocumented forms admit the most: a `Federated` value that is the bare issuer or `*` matches in an
///   Allow and not in a Deny. A statement without `Principal` (or with `NotPrincipal`, which trust policies reject)
///   never applies.
/// - Action ([Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html),
///   [NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)):
///   case-insensitive, `*` and `?` wildcards; `NotAction` applies to every action it does not match.
/// - Condition keys ([web identity federation keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)):
///   `ISSUER:claim`, names without case; present when the prefix is the token's issuer, the claim is one AWS
///   exposes for GitHub (``exposedClaims``) and the token carries it. Nothing else is in the request.
/// - Operators ([condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
///   [multiple keys and values](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html),
///   [set operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)):
///   blocks and keys AND, values OR, negated operators NOR. An absent key: `…IfExists` true; `ForAllValues:` true;
///   `ForAnyValue:` false; negated true; otherwise false. `Null` `true` wants the key absent, `false` present.
/// - A key written twice in one operator block (differing in case): undocumented; read as the one that admits
///   more in an Allow (any passes) and denies less in a Deny (all must pass).
/// - Policy variables ([variables](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)),
///   in version `2012-10-17` only: `${*}`, `${?}`, `${$}` are those characters; `${key}` the key's value, read
///   literally; `${key, 'default'}` the default when the key is absent; a variable with no value makes its policy
///   value match nothing.
/// - Combination ([evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)):
///   an applicable Deny wins, then an applicable Allow, else the request is denied implicitly.
struct ReferenceTrustEvaluator {
    enum Decision: String, Equatable, CustomStringConvertible {
        case allow
        case explicitDeny = "explicit-deny"
        case implicitDeny = "implicit-deny"

        var description: String { rawValue }
    }

    /// The token presented: its issuer as a provider URL names it, without scheme (`token.actions.githubusercontent.com`),
    /// and its claims by lowercased name.
    struct Token: CustomStringConvertible {
        var issuer: String
        var claims: [String: String]

        var description: String {
            "iss=\(issuer) " + claims.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    /// An AWS account in a partition.
    struct Account: Hashable {
        var partition: String
        var id: String
    }

    /// GitHub token claims AWS exposes as condition keys (IAM User Guide, "Available keys for AWS web identity
    /// federation", GitHub section), with `sub` and `aud`. The Service Authorization Reference's list of
    /// `sts:AssumeRoleWithWebIdentity` keys also names `repository_owner_id`; until that is settled in the tool's
    /// own list the generated policies do not test it.
    static let exposedClaims: Set<String> = [
        "sub", "aud", "actor", "actor_id", "job_workflow_ref", "repository", "repository_id", "workflow", "ref",
        "environment", "enterprise_id",
    ]

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    private enum Principal {
        case everyone
        case map([String: [String]])
        case none
    }

    private struct Statement {
        var effect: String
        var principal: Principal
        var actions: [String]?
        var notActions: [String]?
        /// Operator name → key as written → values as text.
        var conditions: [String: [String: [String]]]
    }

    private let statements: [Statement]
    private let resolvesVariables: Bool

    init(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Unreadable(description: "not a JSON object")
        }
        resolvesVariables = object["Version"] as? String == "2012-10-17"
        let list: [Any]
        if let many = object["Statement"] as? [Any] {
            list = many
        } else if let one = object["Statement"] as? [String: Any] {
            list = [one]
        } else {
            throw Unreadable(description: "no Statement")
        }
        statements = try list.map { item in
            guard let statement = item as? [String: Any] else { throw Unreadable(description: "a statement is not an object") }
            return try Self.statement(statement)
        }
    }

    private static func statement(_ object: [String: Any]) throws -> Statement {
        let principal: Principal
        if object["NotPrincipal"] != nil {
            principal = .none
        } else if let text = object["Principal"] as? String {
            principal = text == "*" ? .everyone : .none
        } else if let map = object["Principal"] as? [String: Any] {
            var entries: [String: [String]] = [:]
            for (type, value) in map { entries[type] = try strings(value) }
            principal = .map(entries)
        } else {
            principal = .none
        }
        var conditions: [String: [String: [String]]] = [:]
        if let block = object["Condition"] as? [String: Any] {
            for (op, keys) in block {
                guard let keys = keys as? [String: Any] else { throw Unreadable(description: "operator \(op) holds no keys") }
                var entries: [String: [String]] = [:]
                for (key, values) in keys { entries[key] = try strings(values) }
                conditions[op] = entries
            }
        }
        return Statement(effect: object["Effect"] as? String ?? "",
                         principal: principal,
                         actions: try object["Action"].map(strings),
                         notActions: try object["NotAction"].map(strings),
                         conditions: conditions)
    }

    /// A JSON scalar or array of scalars as texts, as IAM compares them.
    private static func strings(_ value: Any) throws -> [String] {
        func text(_ scalar: Any) throws -> String {
            if let string = scalar as? String { return string }
            if let number = scalar as? NSNumber {
                if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
                return number.stringValue
            }
            throw Unreadable(description: "a value is neither a string, a number nor a boolean")
        }
        if let array = value as? [Any] { return try array.map(text) }
        return [try text(value)]
    }

    // MARK: Deciding

    /// The decision for `token` when the role is in `roleAccount` (nil: worked out from the Allow statements); nil
    /// when the policy uses an operator this evaluator does not model (numeric, date, IP, ARN, binary, Bool).
    func decide(_ token: Token, roleAccount: Account?) -> Decision? {
        var token = token
        token.issuer = token.issuer.lowercased()
        let readings: [Account?]
        if let roleAccount {
            readings = [roleAccount]
        } else {
            let named = allowedProviderAccounts()
            readings = named.isEmpty ? [nil] : named
        }
        var first: Decision?
        for account in readings {
            guard let decision = decide(token, account: account) else { return nil }
            if decision == .allow { return .allow }
            first = first ?? decision
        }
        return first
    }

    private func decide(_ token: Token, account: Account?) -> Decision? {
        var allowed = false
        for statement in statements {
            guard statement.effect == "Allow" || statement.effect == "Deny" else { continue }
            let isAllow = statement.effect == "Allow"
            guard principalMatches(statement.principal, isAllow: isAllow, token: token, account: account),
                  actionMatches(statement) else { continue }
            guard let holds = conditionsHold(statement.conditions, isAllow: isAllow, token: token) else { return nil }
            guard holds else { continue }
            if !isAllow { return .explicitDeny }
            allowed = true
        }
        return allowed ? .allow : .implicitDeny
    }

    /// Every account whose identity-provider ARN (OIDC or SAML) an Allow statement names, in order.
    private func allowedProviderAccounts() -> [Account] {
        var accounts: [Account] = []
        for statement in statements where statement.effect == "Allow" {
            guard case .map(let entries) = statement.principal else { continue }
            for value in entries["Federated"] ?? [] {
                guard let arn = Self.arn(value), arn.service == "iam", !arn.account.isEmpty,
                      arn.resource.hasPrefix("oidc-provider/") || arn.resource.hasPrefix("saml-provider/") else { continue }
                let account = Account(partition: arn.partition, id: arn.account)
                if !accounts.contains(account) { accounts.append(account) }
            }
        }
        return accounts
    }

    private static func arn(_ text: String) -> (partition: String, service: String, account: String, resource: String)? {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        return (parts[1], parts[2], parts[4], parts[5])
    }

    private func principalMatches(_ principal: Principal, isAllow: Bool, token: Token, account: Account?) -> Bool {
        switch principal {
        case .none:
            return false
        case .everyone:
            return true
        case .map(let entries):
            if entries["AWS"]?.contains("*") == true { return true }
            for value in entries["Federated"] ?? [] {
                if value == "*" {
                    if isAllow { return true }
                    continue
                }
                if let arn = Self.arn(value) {
                    guard arn.service == "iam", arn.resource.hasPrefix("oidc-provider/"),
                          arn.resource.dropFirst("oidc-provider/".count).lowercased() == token.issuer else { continue }
                    if arn.account.isEmpty {
                        if isAllow { return true }
                    } else if let account, account == Account(partition: arn.partition, id: arn.account) {
                        return true
                    }
                } else if value.lowercased() == token.issuer, isAllow {
                    return true
                }
            }
            return false
        }
    }

    private func actionMatches(_ statement: Statement) -> Bool {
        let action = "sts:assumerolewithwebidentity"
        func matches(_ pattern: String) -> Bool {
            Self.wildcardMatch(Self.wildcardPattern(pattern.lowercased()), Array(action.unicodeScalars))
        }
        if let actions = statement.actions { return actions.contains(where: matches) }
        if let notActions = statement.notActions { return !notActions.contains(where: matches) }
        return false
    }

    // MARK: Conditions

    private enum Base: String {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case null = "Null"

        var negated: Bool { self == .stringNotEquals || self == .stringNotEqualsIgnoreCase || self == .stringNotLike }
    }

    /// IAM's other operators: conditions using them are outside what this evaluator models.
    private static let unmodelledBases: Set<String> = [
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
        "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
        "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike",
        "ArnNotEquals", "ArnNotLike",
    ]

    /// Whether every condition holds; nil when one is outside the model.
    private func conditionsHold(_ conditions: [String: [String: [String]]], isAllow: Bool, token: Token) -> Bool? {
        for (name, keys) in conditions {
            var rest = Substring(name)
            var qualifier: String?
            for prefix in ["ForAnyValue:", "ForAllValues:"] where rest.hasPrefix(prefix) {
                qualifier = String(prefix.dropLast())
                rest = rest.dropFirst(prefix.count)
            }
            var ifExists = false
            var base = Base(rawValue: String(rest))
            if base == nil, rest.hasSuffix("IfExists") {
                base = Base(rawValue: String(rest.dropLast("IfExists".count)))
                ifExists = true
            }
            guard let base else {
                let bare = rest.hasSuffix("IfExists") ? String(rest.dropLast("IfExists".count)) : String(rest)
                if Self.unmodelledBases.contains(bare) { return nil }
                return false  // not an operator: IAM rejects the policy; nothing matches
            }
            if base == .null, qualifier != nil || ifExists { return nil }
            // Keys compare without case; a key written more than once is read as its most admitting copy.
            var groups: [String: [[String]]] = [:]
            for (key, values) in keys { groups[key.lowercased(), default: []].append(values) }
            for (key, copies) in groups {
                let results = copies.map { evaluate(base: base, qualifier: qualifier, ifExists: ifExists, key: key, values: $0, token: token) }
                let holds = isAllow ? results.contains(true) : results.allSatisfy { $0 }
                if !holds { return false }
            }
        }
        return true
    }

    /// The value of `key` in the request, or nil when it is absent.
    private func lookup(_ key: String, token: Token) -> String? {
        let lower = key.lowercased()
        guard let colon = lower.lastIndex(of: ":") else { return nil }
        let prefix = String(lower[..<colon])
        let claim = String(lower[lower.index(after: colon)...])
        guard prefix == token.issuer, Self.exposedClaims.contains(claim) else { return nil }
        return token.claims[claim]
    }

    private func evaluate(base: Base, qualifier: String?, ifExists: Bool, key: String, values: [String], token: Token) -> Bool {
        let value = lookup(key, token: token)
        if base == .null {
            var wants: [Bool] = []
            for text in values {
                switch text.lowercased() {
                case "true": wants.append(true)
                case "false": wants.append(false)
                default: break
                }
            }
            return wants.contains(value == nil)
        }
        guard let value else {
            if ifExists { return true }
            if qualifier == "ForAllValues" { return true }
            if qualifier == "ForAnyValue" { return false }
            return base.negated
        }
        let matched = values.contains { policyValue in
            guard let pattern = resolve(policyValue, token: token) else { return false }
            switch base {
            case .stringEquals, .stringNotEquals:
                return pattern.map(\.scalar) == Array(value.unicodeScalars)
            case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
                return String(String.UnicodeScalarView(pattern.map(\.scalar))).lowercased() == value.lowercased()
            case .stringLike, .stringNotLike:
                return Self.wildcardMatch(pattern.map { $0.literal ? .literal($0.scalar) : Self.wildcard($0.scalar) },
                                          Array(value.unicodeScalars))
            case .null:
                return false
            }
        }
        return base.negated ? !matched : matched
    }

    /// One character of a policy value after its variables are put in: `literal` when it came from a variable
    /// (which is never a wildcard).
    private struct ValueCharacter {
        var scalar: Unicode.Scalar
        var literal: Bool
    }

    /// The policy value with its variables put in; nil when a variable has no value and no default.
    private func resolve(_ text: String, token: Token) -> [ValueCharacter]? {
        let scalars = Array(text.unicodeScalars)
        var out: [ValueCharacter] = []
        var index = 0
        while index < scalars.count {
            if resolvesVariables, scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
               let close = Self.closingBrace(scalars, from: index + 2) {
                let body = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                switch body {
                case "*", "?", "$":
                    out.append(ValueCharacter(scalar: body.unicodeScalars.first!, literal: true))
                default:
                    let parts = body.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    var resolved = lookup(parts[0], token: token)
                    if resolved == nil, parts.count == 2, parts[1].count >= 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'") {
                        resolved = String(parts[1].dropFirst().dropLast())
                    }
                    guard let resolved else { return nil }
                    out.append(contentsOf: resolved.unicodeScalars.map { ValueCharacter(scalar: $0, literal: true) })
                }
                index = close + 1
                continue
            }
            out.append(ValueCharacter(scalar: scalars[index], literal: false))
            index += 1
        }
        return out
    }

    /// The `}` that closes a variable starting at `start`, skipping a quoted default.
    private static func closingBrace(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var quoted = false
        for index in start..<scalars.count {
            if scalars[index] == "'" { quoted.toggle() }
            if scalars[index] == "}", !quoted { return index }
        }
        return nil
    }

    // MARK: Wildcards

    enum PatternElement: Equatable {
        case literal(Unicode.Scalar)
        case one
        case any
    }

    private static func wildcard(_ scalar: Unicode.Scalar) -> PatternElement {
        switch scalar {
        case "*": .any
        case "?": .one
        default: .literal(scalar)
        }
    }

    static func wildcardPattern(_ text: String) -> [PatternElement] {
        text.unicodeScalars.map(wildcard)
    }

    /// Whether `text` matches `pattern`, `*` any run of characters (empty too) and `?` exactly one: the classic
    /// backtracking over the last `*`.
    static func wildcardMatch(_ pattern: [PatternElement], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == .one || pattern[p] == .literal(text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == .any {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == .any { p += 1 }
        return p == pattern.count
    }
}
