import IAMPolicy

/// OIDC005: a `sub` value admits the `pull_request` subject.
public struct GitHubSubPullRequest: Rule {
    public static let description = RuleDescription(
        code: "OIDC005",
        name: "github-sub-pull-request",
        title: "GitHub trust admits pull_request workflow runs",
        level: .error,
        securitySeverity: 8.0,
        summary: "Reports a `sub` value that admits `repo:OWNER/REPO:pull_request`, the subject of every workflow run triggered by a pull request.",
        rationale: """
        A workflow triggered by `pull_request` runs the code of the pull request's branch before anyone has \
        reviewed it, and its subject is the same for every pull request of the repository. A role trusted for \
        that subject can be assumed by unreviewed code. Give pull-request checks a separate role with \
        read-only permissions, or none; trust deploy roles only for `environment:` or protected-branch subjects.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#filtering-for-pull_request-events",
            "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
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
                      "token.actions.githubusercontent.com:sub": [
                        "repo:example-org/deploy:ref:refs/heads/main",
                        "repo:example-org/deploy:pull_request"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub/1"]),
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_reques?"}
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
                  "Effect": "Deny",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_request"}}
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/main"
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
            guard case .pullRequest(let witness) = item.exposure else { return nil }
            let token = GitHubSubjectReview.describe(witness, statement: item.statement)
            return Violation(pointer: item.value.pointer, span: item.value.span,
                             message: "\(item.clause.claim) value '\(item.value.value.text)' admits workflow runs of pull requests (e.g. \(token))\(GitHubSubjectReview.boundedNote(item.bounded))",
                             witness: witness)
        }
    }
}
