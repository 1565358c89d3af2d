import IAMPolicy

/// OIDC009: a condition key's prefix is not the trusted provider's issuer.
public struct GitHubConditionKeyWrongIssuer: Rule {
    public static let description = RuleDescription(
        code: "OIDC009",
        name: "github-condition-key-wrong-issuer",
        title: "Condition key prefix is not the provider's issuer",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a condition key in a GitHub OIDC trust statement whose prefix looks like a GitHub issuer but is \
        not the trusted provider's host and path: a misspelling (`token.actions.githubuser.content.com:aud`), or \
        GitHub.com's prefix under an enterprise issuer (`token.actions.githubusercontent.com/SLUG`).
        """,
        rationale: """
        AWS names the keys of a web-identity provider after the provider's URL without `https://`. A key with \
        another prefix is never in the request: under a plain operator the condition never matches (nobody can \
        assume the role), under a negated or `IfExists` operator it always matches (it restricts nothing). \
        Use the provider's exact host and path, including an enterprise slug when the provider has one.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
            "https://docs.github.com/en/enterprise-cloud@latest/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#switching-to-a-unique-token-url",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubuser.content.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubuser.content.com:aud"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com/example-enterprise"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com/example-enterprise:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com/example-enterprise"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com/example-enterprise:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com/example-enterprise:sub": "repo:example-org/deploy:environment:prod"
                    }
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
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "TOKEN.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    },
                    "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let trust = GitHubTrust.of(policy) else { return [] }
        var violations: [Violation] = []
        for statement in trust.statements {
            // Keys of another issuer the same statement trusts are that issuer's tokens' keys.
            for item in statement.clauses where item.looksLikeGitHub && !item.matchesProvider && !statement.statementIssuers.contains(item.prefix) {
                let effect = item.constraint.map { $0.allowsMissing ? "always matches" : "never matches" } ?? "cannot be evaluated"
                violations.append(Violation(at: item.clause.key,
                    "condition key '\(item.clause.key.value)' does not start with the provider's issuer '\(statement.providers[0].keyPrefix)'; the key is never in the request, so this condition \(effect)"))
            }
        }
        return violations
    }
}
