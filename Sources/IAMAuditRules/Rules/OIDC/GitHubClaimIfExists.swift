import IAMPolicy

/// OIDC006: `…IfExists` or `ForAllValues:` on a GitHub claim in an Allow statement.
public struct GitHubClaimIfExists: Rule {
    public static let description = RuleDescription(
        code: "OIDC006",
        name: "github-claim-if-exists",
        title: "IfExists or ForAllValues on a GitHub claim in an Allow",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a condition on a GitHub token claim, in an Allow statement, whose operator ends in `IfExists` \
        or starts with `ForAllValues:`: both pass when the claim is absent from the request. `sub` and `aud` are \
        not reported in a statement that trusts only GitHub's providers: every token GitHub signs carries them, so \
        there the forms restrict as the plain operator does.
        """,
        rationale: """
        `StringEqualsIfExists` and `ForAllValues:StringEquals` evaluate to true when the key is not in the \
        request. Claims such as `environment` are absent from every job that declares no environment, and a key \
        with a misspelt or wrong issuer prefix is always absent: the condition then restricts nothing. For \
        single-valued claims use the plain operator (`StringEquals`, `StringLike`), which fails when the key is \
        missing.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    },
                    "StringEqualsIfExists": {"token.actions.githubusercontent.com:environment": "prod"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEqualsIfExists"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:*"},
                    "ForAllValues:StringEquals": {"token.actions.githubusercontent.com:environment": "prod"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/ForAllValues:StringEquals"]),
        ],
        nonTriggeringExamples: [
            // Every GitHub token carries `sub` and `aud`: `IfExists` on them restricts as the plain operator does.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEqualsIfExists": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLikeIfExists": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"}
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
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod",
                      "token.actions.githubusercontent.com:environment": "prod"
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
                  "Effect": "Deny",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringNotEqualsIfExists": {"token.actions.githubusercontent.com:environment": "prod"}}
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    }
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    /// Claims every GitHub Actions token carries.
    static let alwaysPresent: Set<String> = ["sub", "aud"]

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let trust = GitHubTrust.of(policy) else { return [] }
        var violations: [Violation] = []
        var reported = Set<JSONPointer>()
        for statement in trust.allowStatements {
            // Keys never in the request (wrong issuer, unexposed claim) are OIDC009's and OIDC010's: one root cause, one finding.
            // `sub` and `aud` are in every token GitHub signs (STS requires both): on them the forms restrict as the
            // plain operator does, when the statement trusts only GitHub's providers. With `Principal: "*"` another
            // provider's token, or a caller that is not federated, has no such key and passes.
            for item in statement.clauses where item.isInRequest && (statement.principalIsEveryone || !Self.alwaysPresent.contains(item.claim)) {
                guard let op = item.clause.parsedOperator, op.ifExists || op.qualifier == .forAllValues,
                      reported.insert(item.clause.operatorName.pointer).inserted else { continue }
                let form = op.ifExists ? "IfExists" : "ForAllValues:"
                violations.append(Violation(at: item.clause.operatorName,
                    "'\(item.clause.operatorName.value)' on '\(item.clause.key.value)' passes when the claim is absent; \(form) restricts nothing then"))
            }
        }
        return violations
    }
}
