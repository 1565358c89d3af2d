import IAMPolicy

/// OIDC002: a `sub` value admits repositories of owners the policy does not name.
public struct GitHubSubAnyOwner: Rule {
    public static let description = RuleDescription(
        code: "OIDC002",
        name: "github-sub-any-owner",
        title: "GitHub sub pattern admits any owner",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports a `sub` value of a GitHub OIDC trust whose wildcard reaches into the owner part of \
        `repo:OWNER/REPO:…` (`repo:*`, `repo:*/app:*`, `repo:acme*`), naming a subject of a stranger's \
        repository that it admits.
        """,
        rationale: """
        Under `StringLike`, `*` matches any characters, `/` and `:` included, and the empty string. A wildcard \
        in the owner part admits repositories of owners you do not control: `repo:acme*/app:*` admits \
        `repo:acme-evil/app:…`, which anyone can create. Write the owner literally, and prefer the \
        immutable form `repo:OWNER@OWNER_ID/REPO@REPO_ID:…` that survives renames.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}
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
                    "StringLike": {
                      "token.actions.githubusercontent.com:sub": [
                        "repo:example-org/deploy:environment:prod",
                        "repo:*example-org/deploy:environment:prod"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub/1"]),
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
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org@*/deploy@*:ref:refs/heads/main"}
                  }
                }
              ]
            }
            """),
            // Owner and repository names are not case sensitive: this names `example-org/deploy`, and only it.
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
                    "StringEqualsIgnoreCase": {"token.actions.githubusercontent.com:sub": "REPO:EXAMPLE-ORG/DEPLOY:ENVIRONMENT:PROD"}
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
            guard case .anyOwner(let witness) = item.exposure else { return nil }
            let token = GitHubSubjectReview.describe(witness, statement: item.statement)
            return Violation(pointer: item.value.pointer, span: item.value.span,
                             message: "\(item.clause.claim) pattern '\(item.value.value.text)' admits repositories of any owner (e.g. \(token))\(GitHubSubjectReview.boundedNote(item.bounded))",
                             witness: witness)
        }
    }
}
