import IAMPolicy

/// DSN001: a `sub` value of an environment's trust policy admits a subject the design does not allow for it.
public struct TrustAdmitsUndeclaredSubject: Rule {
    public static let description = RuleDescription(
        code: "DSN001",
        name: "trust-admits-undeclared-subject",
        title: "Trust policy admits a subject the design does not allow for its environment",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        With a design file, reports a `sub` value of an environment's trust policy that admits a subject outside \
        the environment's allowed set (`docs/design-file.md`: the branch form `repo:OWNER/REPO:ref:refs/heads/BRANCH`, the \
        environment form `repo:OWNER/REPO:environment:NAME`, the environment's `subjects`, and the immutable \
        `repo:OWNER@ID/REPO@ID:…` forms when `github.ownerId` and `github.repositoryId` are set), naming one such \
        subject. Values with a wildcard exposure are left to the OIDC rules, subjects of another environment to \
        DSN003. The examples are audited with a design for `example-org/deploy` whose `dev` environment deploys \
        branch `develop` to GitHub environment `dev`, and whose `prod` environment deploys `main` to `prod`.
        """,
        rationale: """
        The design is the reviewed statement of who may deploy each environment; every other subject the role \
        admits is a way in that nobody reviewed: a feature branch (`ref:refs/heads/feature`) skips the branch \
        protection of `develop`, another repository of the same owner (`repo:example-org/tools:…`) lets its \
        maintainers deploy, a tag (`ref:refs/tags/v1.0.0`) deploys a release nobody approved for this \
        environment. Remove the value, or, if the subject is meant to deploy, declare it in the design \
        (`branch`, `githubEnvironment` or the environment's `subjects`).
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
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": [
                        "repo:example-org/deploy:ref:refs/heads/develop",
                        "repo:example-org/deploy:environment:dev",
                        "repo:example-org/deploy:ref:refs/heads/feature"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub/2"],
            design: .example, environment: "dev"),
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
                        "repo:example-org/deploy:environment:dev",
                        "repo:example-org/tools:environment:dev"
                      ]
                    }
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/tags/v1.0.0"
                    }
                  }
                }
              ]
            }
            """, pointers: [
                "/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub/1",
                "/Statement/1/Condition/StringEquals/token.actions.githubusercontent.com:sub",
            ], design: .example, environment: "dev"),
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
                        "repo:example-org/deploy:ref:refs/heads/develop",
                        "repo:example-org/deploy:environment:dev"
                      ]
                    }
                  }
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // A wildcard value is the OIDC rules' finding (OIDC004 here), not a second one.
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
            """, design: .example, environment: "dev"),
            // Without a design, nothing is declared and the rule stays silent.
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/feature"
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
        guard policy.kind == .trust, let placement = DesignPlacement(context),
              let review = GitHubSubjectReview.of(policy, design: context.design) else { return [] }
        let allowed = placement.allowedSubjects
        guard !allowed.isEmpty else { return [] }
        // Subjects of other environments are DSN003's finding.
        let declared = allowed + placement.foreignSubjects.flatMap(\.subjects)
        let declaredSet = PatternSet(anyOf: declared.map(StringPattern.literal))
        let name = placement.environment.name
        return review.items.compactMap { item in
            guard item.clause.claim == "sub" else { return nil }
            // A value with an exposure is reported by the OIDC rules: one root cause, one finding.
            guard item.exposure == nil, let example = item.admitted.witness(avoiding: declaredSet) else { return nil }
            let text = item.value.value.text
            let found = example == text ? "sub '\(text)' is" : "sub pattern '\(text)' admits '\(example)',"
            return Violation(at: item.value, "\(found) not a subject environment '\(name)' allows (it allows \(quotedList(allowed)))")
        }
    }
}
