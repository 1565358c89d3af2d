import IAMPolicy

/// OIDC010: a condition tests a GitHub token claim that AWS does not put in the request.
public struct GitHubClaimNotExposed: Rule {
    public static let description = RuleDescription(
        code: "OIDC010",
        name: "github-claim-not-exposed",
        title: "Condition on a GitHub claim AWS does not expose",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a condition on `<issuer>:<claim>` for a claim of GitHub's token that AWS does not make a \
        condition key (`repository_owner`, `event_name`, `repository_visibility`, …).
        """,
        rationale: """
        AWS does not support custom claims from GitHub's token: only some claims become condition keys. A \
        condition on another claim tests a key that is never in the request: a plain operator never matches \
        (the role cannot be assumed), a negated or `IfExists` operator always matches (the condition restricts \
        nothing, a silent hole). Express the restriction through `sub` (or a customised subject template) instead.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
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
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod",
                      "token.actions.githubusercontent.com:repository_owner": "example-org"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:repository_owner"]),
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
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/main"
                    },
                    "StringNotEquals": {"token.actions.githubusercontent.com:event_name": "pull_request"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringNotEquals/token.actions.githubusercontent.com:event_name"]),
        ],
        nonTriggeringExamples: [
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
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod",
                      "token.actions.githubusercontent.com:repository": "example-org/deploy"
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
                  "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-north-1:12345678-1234-1234-1234-123456789012"},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
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
            for item in statement.clauses where item.matchesProvider && !GitHubOIDC.exposedClaims.contains(item.claim) {
                let noOne = statement.statement.isDeny ? "never matches, so the Deny refuses no one" : "never matches, so the statement admits no one"
                let effect = item.constraint.map { $0.allowsMissing ? "always matches, restricting nothing" : noOne } ?? "cannot be evaluated"
                violations.append(Violation(at: item.clause.key,
                    "AWS does not expose the GitHub claim '\(item.claim)' as a condition key; this condition \(effect)"))
            }
        }
        return violations
    }
}
