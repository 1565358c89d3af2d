import IAMPolicy

/// Whether a condition clause limits *who* a statement admits: the test the TRUST rules apply before they
/// call a wildcard principal or a cross-account principal unguarded.
///
/// A clause narrows when it tests a key that names the caller (its account, organization, ARN, source,
/// external id, service-ness, or a federated provider's identifying claims) under a positive operator that
/// needs the key present (no `…IfExists`, no `ForAllValues:`, no negation, not `Null`), with values that
/// each leave something out (not all-wildcard; an ARN's account field not a wildcard).
///
/// References:
/// [Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
/// (a negated operator is true when the key is absent, `…IfExists` is true when it is absent);
/// [multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
/// (`ForAllValues` is true when the key is absent);
/// [global condition keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
enum PrincipalNarrowing {
    /// Global and STS condition keys (lowercased) whose value identifies or scopes the caller.
    ///
    /// `aws:SourceVpce` and `aws:SourceVpc` are here too: endpoint and VPC ids are unique to one account, and a
    /// resource policy with `Principal: "*"` limited to one VPC endpoint is AWS's documented pattern.
    static let principalKeys: Set<String> = [
        "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn",
        "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "sts:externalid",
        "aws:principalisawsservice", "aws:sourcevpce", "aws:sourcevpc",
    ]

    /// Keys whose values are ARNs: a wildcard account field admits every account.
    static let arnKeys: Set<String> = ["aws:principalarn", "aws:sourcearn"]

    /// Keys that place the caller in one organization.
    static let organizationKeys: Set<String> = ["aws:principalorgid", "aws:principalorgpaths"]

    /// Keys whose whole value names one account, organization, endpoint or network: a wildcard anywhere in it
    /// admits others (`o-*` is every organization, `vpce-*` every endpoint, and anyone can create either).
    static let identifierKeys: Set<String> = [
        "aws:principalaccount", "aws:sourceaccount", "aws:principalorgid", "aws:sourceorgid", "aws:sourcevpce", "aws:sourcevpc",
    ]

    /// Keys whose values are organization paths (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`): the organization id,
    /// before the first `/`, must be literal.
    static let organizationPathKeys: Set<String> = ["aws:principalorgpaths", "aws:sourceorgpaths"]

    /// What a clause does to the set of callers.
    enum Verdict: Equatable {
        /// The clause keeps out callers that do not carry the tested value.
        case narrows
        /// The key names the caller, but the clause lets everyone through; the reason, lowercase.
        case doesNotNarrow(String)
        /// The key says nothing about who the caller is.
        case unrelated
    }

    /// Whether `key` (as written) names the caller: a principal key above, or an identifying claim of a
    /// federated provider (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`, `saml:sub`).
    static func isPrincipalKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return principalKeys.contains(lower) || federatedClaim(lower) != nil
    }

    /// For a federated provider's key, whether its claim identifies the caller, with the reason when it does not.
    private static func federatedClaim(_ lowerKey: String) -> Verdict? {
        guard let name = ConditionKeyName(lowerKey) else { return nil }
        if GitHubOIDC.isIssuer(name.prefix) {
            return GitHubOIDC.anchoringClaims.contains(name.claim) ? .narrows
                : .doesNotNarrow("'\(name.claim)' is not tied to one repository or owner: any GitHub workflow can present the same value")
        }
        if name.prefix == "saml" {
            return name.claim == "aud" ? .doesNotNarrow("'saml:aud' is the AWS sign-in endpoint, the same for every SAML user") : .narrows
        }
        // Other web identity providers are named by host: `accounts.google.com`, `cognito-identity.amazonaws.com`.
        guard name.prefix.containsASCII(".") else { return nil }
        return name.claim == "amr" ? .doesNotNarrow("'amr' only says how the user signed in") : .narrows
    }

    /// Judges one clause.
    /// - Parameter principalIsEveryone: the statement's principal is `*`: an external ID then keeps nobody out,
    ///   since AWS documents it as an identifier the trusted party knows, not a secret.
    static func verdict(_ clause: ConditionClause, principalIsEveryone: Bool = false) -> Verdict {
        let key = clause.normalizedKey
        let claimVerdict = federatedClaim(key)
        guard principalKeys.contains(key) || claimVerdict != nil else { return .unrelated }
        if case .doesNotNarrow = claimVerdict { return claimVerdict ?? .unrelated }
        guard let op = clause.parsedOperator else {
            return .doesNotNarrow("'\(clause.operatorName.value)' is not a condition operator IAM knows")
        }
        if op.ifExists { return .doesNotNarrow("'\(op)' passes when the key is absent") }
        if op.qualifier == .forAllValues { return .doesNotNarrow("'\(op)' passes when the key is absent") }
        if op.base.isNegated { return .doesNotNarrow("'\(op)' admits every value it does not list") }
        let values = clause.values.values.map(\.text)
        guard !values.isEmpty else { return .doesNotNarrow("it lists no value") }
        switch op.base.category {
        case .null:
            return .doesNotNarrow("'Null' only tests whether the key is present")
        case .bool:
            guard key == "aws:principalisawsservice" else { return .doesNotNarrow("'Bool' does not compare '\(clause.key.value)'") }
            if let other = values.first(where: { $0.lowercased() != "true" }) {
                return .doesNotNarrow("'\(other)' admits every caller that is not an AWS service")
            }
            return .narrows
        case .string, .arn:
            if key == "aws:principalisawsservice" { return .doesNotNarrow("'\(clause.key.value)' is compared with 'Bool'") }
            if key == "sts:externalid", principalIsEveryone {
                return .doesNotNarrow("with 'Principal: \"*\"' an external ID keeps no account out: AWS documents it as an identifier, not a secret, so any account that learns it gets in")
            }
            for value in values {
                if isAllWildcard(value) { return .doesNotNarrow("value '\(value)' matches any value") }
                if identifierKeys.contains(key), hasWildcard(value) {
                    return .doesNotNarrow("value '\(value)' is a pattern: it matches identifiers other than one, and anyone can create an account, organization or endpoint that matches")
                }
                if organizationPathKeys.contains(key), hasWildcard(String(value.prefix { $0 != "/" })) || !value.contains("/") && hasWildcard(value) {
                    return .doesNotNarrow("value '\(value)' does not name the organization literally: it matches paths of other organizations")
                }
                if arnKeys.contains(key) {
                    // An ARN names its account, or (an S3 bucket) a globally unique name: either must be literal.
                    guard let arn = ARNFields(parsing: value),
                          arn.account.isEmpty ? arn.service == "s3" && !hasWildcard(String(arn.resource.prefix { $0 != "/" })) && !arn.resource.isEmpty
                                              : !hasWildcard(arn.account) else {
                        return .doesNotNarrow("value '\(value)' matches principals of every account")
                    }
                }
            }
            return .narrows
        case .numeric, .date, .binary, .ipAddress:
            return .doesNotNarrow("'\(op.base.rawValue)' does not compare '\(clause.key.value)'")
        }
    }

    /// Whether `value` holds a wildcard character.
    static func hasWildcard(_ value: String) -> Bool {
        value.contains { $0 == "*" || $0 == "?" }
    }

    /// Whether `value` is made of wildcard characters only (`*`, `**`, `?*`): it matches any value.
    static func isAllWildcard(_ value: String) -> Bool {
        !value.isEmpty && value.allSatisfy { $0 == "*" || $0 == "?" }
    }

    /// Whether some clause of `statement` narrows its callers.
    static func narrows(_ statement: Statement) -> Bool {
        let everyone = statement.principal?.isEveryone == true
        return statement.condition?.clauses.contains { verdict($0, principalIsEveryone: everyone) == .narrows } ?? false
    }

    /// Whether some clause of `statement` on one of `keys` (lowercased) narrows its callers.
    static func narrows(_ statement: Statement, on keys: Set<String>) -> Bool {
        statement.condition?.clauses.contains { keys.contains($0.normalizedKey) && verdict($0) == .narrows } ?? false
    }

    /// The first clause of `statement` that tests who the caller is but lets everyone through, with the reason.
    static func firstIneffective(in statement: Statement, on keys: Set<String>? = nil) -> (clause: ConditionClause, reason: String)? {
        for clause in statement.condition?.clauses ?? [] {
            if let keys, !keys.contains(clause.normalizedKey) { continue }
            if case .doesNotNarrow(let reason) = verdict(clause, principalIsEveryone: statement.principal?.isEveryone == true) { return (clause, reason) }
        }
        return nil
    }
}
