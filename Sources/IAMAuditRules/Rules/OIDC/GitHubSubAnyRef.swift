import IAMPolicy

/// OIDC004: a `sub` value admits refs, environments or events of a repository beyond the ones it names.
public struct GitHubSubAnyRef: Rule {
    public static let description = RuleDescription(
        code: "OIDC004",
        name: "github-sub-any-ref",
        title: "GitHub sub pattern admits any branch, tag or environment",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a `sub` value of a named repository with a wildcard in its context part (`repo:o/r:*`, \
        `…:ref:refs/heads/*`, `…:ref:refs/heads/main*`, `…:environment:*`), saying which kinds of subject it \
        admits (branches, tags, environments, pull requests) with an example.
        """,
        rationale: """
        The context part is what separates a reviewed deployment from anything else in the repository: \
        `repo:o/r:*` lets a workflow on any branch, any tag, any environment and any pull request assume the \
        role, so branch protection and environment approvals no longer guard it. `main*` also admits \
        `main-test`. Pin the context: `environment:NAME` for jobs that declare an environment (the subject a \
        job with `environment:` presents), `ref:refs/heads/BRANCH` otherwise.
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:*"}
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
                        "repo:example-org/deploy:ref:refs/heads/main",
                        "repo:example-org/deploy:ref:refs/heads/release*",
                        "repo:example-org/deploy:environment:*"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: [
                "/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub/1",
                "/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub/2",
            ]),
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
                        "repo:example-org/deploy:ref:refs/heads/main",
                        "repo:example-org/deploy:environment:prod"
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
            guard case .anyContext(let repository, let kinds, let witness) = item.exposure else { return nil }
            let token = GitHubSubjectReview.describe(witness, statement: item.statement)
            return Violation(pointer: item.value.pointer, span: item.value.span,
                             message: "\(item.clause.claim) pattern '\(item.value.value.text)' admits \(Self.describe(kinds)) of '\(repository)' (e.g. \(token))\(GitHubSubjectReview.boundedNote(item.bounded))",
                             witness: witness)
        }
    }

    /// `every branch, tag and environment, and pull_request events`, from the kinds admitted.
    static func describe(_ kinds: [String]) -> String {
        let scopes = kinds.filter { $0 != "pull_request" }
        var text = scopes.isEmpty ? "subjects it does not name" : "every " + Self.list(scopes)
        if kinds.contains("pull_request") { text += scopes.isEmpty ? ", pull_request events included" : ", and pull_request events" }
        return text
    }

    static func list(_ words: [String]) -> String {
        switch words.count {
        case 0: ""
        case 1: words[0]
        default: words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
        }
    }
}
