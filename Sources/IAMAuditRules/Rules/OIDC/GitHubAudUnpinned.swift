import IAMPolicy

/// OIDC008: the `aud` claim is not pinned to the audience the design (or the AWS action) uses.
public struct GitHubAudUnpinned: Rule {
    public static let description = RuleDescription(
        code: "OIDC008",
        name: "github-aud-unpinned",
        title: "GitHub trust does not pin aud",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports an Allow statement trusting GitHub's OIDC provider with no condition on `aud`, with a wildcard \
        or negated `aud` condition, or, when a design file declares `github.audience`, with an `aud` other than it.
        """,
        rationale: """
        AWS and GitHub both document `token.actions.githubusercontent.com:aud` = `sts.amazonaws.com` next to the \
        `sub` condition. Pinning the audience keeps tokens minted for other services (a token requested with a \
        custom audience for some other cloud or tool) from being replayed against AWS. Add \
        `"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
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
                    "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"},
                    "StringLike": {"token.actions.githubusercontent.com:aud": "*"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:aud"]),
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
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
                  "Principal": {"Service": "lambda.amazonaws.com"},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let trust = GitHubTrust.of(policy) else { return [] }
        let expected = context.design?.github?.audience
        var violations: [Violation] = []
        for statement in trust.allowStatements where statement.allowsWebIdentity && !statement.subjects.isEmpty {
            let audClauses = statement.clauses.filter { $0.claim == "aud" && $0.isInRequest }
            guard !audClauses.isEmpty else {
                let message = "trust in '\(statement.providers[0].keyPrefix)' does not test 'aud'; pin it to '\(expected ?? GitHubOIDC.defaultAudience)'"
                if let condition = statement.statement.condition {
                    violations.append(Violation(pointer: condition.pointer, span: condition.span, message: message))
                } else {
                    violations.append(Violation(at: statement.providers[0].principal, message))
                }
                continue
            }
            let audiences = statement.constraint("aud").values
            for item in audClauses {
                guard let op = item.clause.parsedOperator else { continue }
                for value in item.clause.values.items {
                    let text = value.value.text
                    if op.base.isNegated || (op.base.supportsWildcards && text.containsGlobWildcard) {
                        let example = audiences.witness(avoiding: PatternSet(literal: expected ?? GitHubOIDC.defaultAudience)) ?? text
                        violations.append(Violation(at: value, "aud condition '\(op) \(text)' admits audiences other than '\(expected ?? GitHubOIDC.defaultAudience)' (e.g. '\(example)')"))
                    } else if let expected, text != expected {
                        violations.append(Violation(at: value, "aud '\(text)' is not the design's audience '\(expected)'"))
                    }
                }
            }
        }
        return violations
    }
}
