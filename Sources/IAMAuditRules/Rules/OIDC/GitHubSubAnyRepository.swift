import IAMPolicy

/// OIDC003: a `sub` value admits other repositories of a named owner.
public struct GitHubSubAnyRepository: Rule {
    public static let description = RuleDescription(
        code: "OIDC003",
        name: "github-sub-any-repository",
        title: "GitHub sub pattern admits any repository of the owner",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a `sub` value whose wildcard reaches into the repository part (`repo:acme/*`, `repo:acme/app*`), \
        naming a subject of another repository of the same owner that it admits.
        """,
        rationale: """
        `repo:acme/*` lets every repository of `acme` assume the role: a sandbox, a fork inside the organisation, \
        or a repository created tomorrow by anyone with permission to create repositories. `repo:acme/app*` also \
        admits `repo:acme/app-experiments`. Name each repository that deploys, in full.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/*"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub"]),
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy*:environment:prod"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub"]),
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
                      "token.actions.githubusercontent.com:sub": [
                        "repo:example-org/deploy:environment:prod",
                        "repo:example-org/infra:environment:prod"
                      ]
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org@*/deploy@*:environment:prod"}
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
            guard case .anyRepository(let owner, let witness) = item.exposure else { return nil }
            let token = GitHubSubjectReview.describe(witness, statement: item.statement)
            return Violation(pointer: item.value.pointer, span: item.value.span,
                             message: "\(item.clause.claim) pattern '\(item.value.value.text)' admits other repositories of '\(owner)' (e.g. \(token))\(GitHubSubjectReview.boundedNote(item.bounded))",
                             witness: witness)
        }
    }
}
