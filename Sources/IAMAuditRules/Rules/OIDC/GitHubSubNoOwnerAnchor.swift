import IAMPolicy

/// OIDC011: a custom `sub` value names no owner, so any owner's token can carry it.
public struct GitHubSubNoOwnerAnchor: Rule {
    public static let description = RuleDescription(
        code: "OIDC011",
        name: "github-sub-no-owner-anchor",
        title: "GitHub custom sub value names no owner",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports a `sub` value that does not start with `repo:OWNER/` or `repository_owner:OWNER` \
        (`environment:prod`, `repository_visibility:private:environment:prod`), naming a subject it admits.
        """,
        rationale: """
        GitHub lets every organisation and repository customise the claims its subject is built from. A \
        subject template without the repository or its owner produces values such as `environment:prod` that \
        any other organisation can produce too, by choosing the same template and an environment of that name. \
        Include `repo` or `repository_owner` (better `repository_owner_id`) in the subject template and pin it \
        in the trust policy.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#customizing-the-subject-claims-for-an-organization-or-repository",
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
                      "token.actions.githubusercontent.com:sub": "environment:prod"
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
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": ["repository_visibility:private:*"]}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub/0"]),
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
                      "token.actions.githubusercontent.com:sub": "repository_owner:example-org:environment:prod"
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
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "environment:prod",
                      "token.actions.githubusercontent.com:repository": "example-org/deploy"
                    }
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let review = GitHubSubjectReview.of(policy, design: context.design) else { return [] }
        return review.items.compactMap { item in
            guard case .noOwnerAnchor(let witness) = item.exposure else { return nil }
            let token = GitHubSubjectReview.describe(witness, statement: item.statement)
            return Violation(pointer: item.value.pointer, span: item.value.span,
                             message: "sub value '\(item.value.value.text)' names no owner, so a token of any owner can carry it (e.g. \(token))\(GitHubSubjectReview.boundedNote(item.bounded))",
                             witness: witness)
        }
    }
}
