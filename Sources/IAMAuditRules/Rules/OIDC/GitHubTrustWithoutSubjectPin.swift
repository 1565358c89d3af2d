import IAMPolicy

/// OIDC001: a statement trusting GitHub's OIDC provider tests no claim that names a repository.
public struct GitHubTrustWithoutSubjectPin: Rule {
    public static let description = RuleDescription(
        code: "OIDC001",
        name: "github-trust-without-subject-pin",
        title: "GitHub OIDC trust does not pin sub or job_workflow_ref",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports an Allow statement trusting a GitHub Actions OIDC provider for `sts:AssumeRoleWithWebIdentity` \
        without a condition on `sub`, `job_workflow_ref`, `repository` or another claim only the repository's \
        owner controls.
        """,
        rationale: """
        Every workflow of every repository on GitHub can request a token from GitHub's issuer. An `aud` check \
        does not help: the audience is chosen by the workflow that asks for the token. Without a condition on \
        `token.actions.githubusercontent.com:sub` (or `job_workflow_ref`), any stranger's workflow can assume \
        the role. Pin `sub` with `StringEquals` to the exact subjects that deploy, such as \
        `repo:OWNER/REPO:environment:prod` or `repo:OWNER/REPO:ref:refs/heads/main`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#configuring-the-oidc-trust-with-the-cloud",
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                "Action": "sts:AssumeRoleWithWebIdentity"
              }
            }
            """, pointers: ["/Statement/Principal/Federated"]),
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
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:job_workflow_ref": "example-org/shared-workflows/.github/workflows/deploy.yml@refs/heads/main"
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
        guard let trust = GitHubTrust.of(policy) else { return [] }
        return trust.allowStatements.compactMap { statement in
            guard statement.allowsWebIdentity, statement.blockingClause == nil,
                  !GitHubOIDC.anchoringClaims.contains(where: { statement.tests($0) }) else { return nil }
            let example = "repo:stranger/any-repo:ref:refs/heads/main"
            let message = "trust in '\(statement.providers[0].keyPrefix)' tests no 'sub' or 'job_workflow_ref', so any repository on GitHub can assume the role (e.g. sub '\(example)')"
            if let condition = statement.statement.condition {
                return Violation(pointer: condition.pointer, span: condition.span, message: message)
            }
            return Violation(at: statement.providers[0].principal, message)
        }
    }
}
