import IAMPolicy

/// IAM026: `*` or `?` in a value of a string operator that compares exactly, where they are literal characters.
public struct WildcardInExactOperator: Rule {
    public static let description = RuleDescription(
        code: "IAM026",
        name: "wildcard-in-exact-operator",
        title: "Wildcard under an exact string operator",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a condition value holding `*` or `?` (outside a policy variable) under `StringEquals`, \
        `StringNotEquals`, `StringEqualsIgnoreCase` or `StringNotEqualsIgnoreCase`, with or without a set qualifier or \
        `IfExists`. Only the `…Like` string operators treat these characters as wildcards. A `?` in a value that holds \
        a URL (`://`) is taken as the query separator it usually is and not reported.
        """,
        rationale: """
        Under an exact operator `*` and `?` are ordinary characters, so the value matches only a request whose key \
        holds that literal text. A trust policy with `StringEquals` on `token.actions.githubusercontent.com:sub` \
        and `repo:acme/app:*` admits no workflow at all, and the deployment breaks; a Deny with \
        `StringNotEquals` on `aws:PrincipalArn` and `…:role/admin-*` excludes no one, so it also denies the admins it \
        meant to spare. Use `StringLike` (or `StringNotLike`) to match a pattern (they compare case-sensitively, so list the spellings \
        an `…IgnoreCase` operator covered), or write the exact value; when a \
        literal `*` or `?` is really meant under a `…Like` operator, write `${*}` or `${?}`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars",
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:*"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "iam:*",
                  "Resource": "*",
                  "Condition": {
                    "StringNotEquals": {"aws:PrincipalArn": ["arn:aws:iam::337909745089:role/admin-*", "arn:aws:iam::337909745089:role/breakglass"]},
                    "ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": "team-?"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringNotEquals/aws:PrincipalArn/0",
                            "/Statement/0/Condition/ForAnyValue:StringEqualsIgnoreCase/aws:TagKeys"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:ref:refs/tags/v*"}
                  }
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::example-bucket",
                  "Condition": {
                    "StringEquals": {"s3:prefix": ["", "home/", "home/${aws:username}/"]},
                    "ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:337909745089:trail/*"},
                    "StringEqualsIfExists": {"aws:Referer": "https://example.com/reports?view=all"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap(\.condition).flatMap(\.clauses).flatMap { clause -> [Violation] in
            guard let parsed = clause.parsedOperator, parsed.base.category == .string, !parsed.base.supportsWildcards else { return [] }
            let pattern = ConditionOperator(qualifier: parsed.qualifier, base: parsed.base.isNegated ? .stringNotLike : .stringLike,
                                            ifExists: parsed.ifExists)
            return clause.values.items.compactMap { item in
                guard case .string(let text) = item.value, let wildcard = Self.literalWildcard(in: text) else { return nil }
                return Violation(at: item, "'\(wildcard)' in '\(text)' is a literal character under \(clause.operatorName.value); "
                                 + "use \(pattern) to match a pattern")
            }
        }
    }

    /// The first `*` or `?` of `text` outside policy variables, or nil.
    static func literalWildcard(in text: String) -> Character? {
        // Most values hold neither byte: no need to look at their characters.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) else { return nil }
        let outside = PolicyVariable.removingVariables(from: text)
        let isURL = outside.containsLiteral("://")
        return outside.first { $0 == "*" || ($0 == "?" && !isURL) }
    }
}
