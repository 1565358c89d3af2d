import IAMPolicy

/// OIDC001: a statement trusting GitHub's OIDC provider tests no claim that names a repository.
public struct GitHubTrustWithoutSubjectPin: Rule {
    public static let description = RuleDescription(
        code: "OIDC001",
        name: "github-trust-without-subject-pin",
        title: "GitHub OIDC trust pins no claim only the owner controls",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports an Allow statement trusting a GitHub Actions OIDC provider for `sts:AssumeRoleWithWebIdentity` \
        that a stranger's workflow can satisfy because it pins none of `sub`, `repository`, `repository_id` or \
        `enterprise_id`: no condition at all, only `aud`, only `job_workflow_ref`, only `actor`, only \
        `workflow`, `ref` or `environment`, or `Null` (which only asks that a claim exist). The message names \
        a whole token a stranger can mint.
        """,
        rationale: """
        Every workflow of every repository on GitHub can request a token from GitHub's issuer, and chooses its \
        audience. The other claims do not keep strangers out either: `job_workflow_ref` names the reusable \
        workflow a job runs, and any repository can call a public reusable workflow (its token then carries \
        that `job_workflow_ref` with the caller's `sub`); `actor` is whoever triggered the run, and a \
        stranger's workflow runs as anyone who comments on the stranger's issue or pull request; branch, \
        environment and workflow names are free for anyone to choose. Pin `sub` with `StringEquals` to the exact \
        subjects that deploy, such as `repo:OWNER/REPO:environment:prod`, and keep `job_workflow_ref` as an \
        extra condition beside it.
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
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:actor": "octocat"
                    },
                    "Null": {"token.actions.githubusercontent.com:sub": "false"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition"]),
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
                      "token.actions.githubusercontent.com:repository": "example-org/deploy",
                      "token.actions.githubusercontent.com:ref": "refs/heads/main",
                      "token.actions.githubusercontent.com:job_workflow_ref": "example-org/deploy/.github/workflows/deploy.yml@refs/heads/main"
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
        return review.unpinned.map { found in
            let statement = found.statement
            let token = GitHubSubjectReview.describe(found.witness, statement: statement)
            let issuer = statement.providers[0].keyPrefix
            var message: String
            if found.testedClaims.isEmpty {
                message = "trust in '\(issuer)' pins no claim only the repository's owner controls ('sub', 'repository', 'repository_id'), so any repository on GitHub can assume the role (e.g. \(token))"
            } else {
                let reasons = found.testedClaims.map { claim in "'\(claim)' (\(Self.whyNotAPin(claim)))" }
                message = "trust in '\(issuer)' pins only \(reasons.joined(separator: ", ")), so a stranger's repository can assume the role (e.g. \(token))"
            }
            message += GitHubSubjectReview.boundedNote(found.bounded)
            if let condition = statement.statement.condition {
                return Violation(pointer: condition.pointer, span: condition.span, message: message, witness: found.witness)
            }
            let principal = statement.providers[0].principal
            return Violation(pointer: principal.pointer, span: principal.span, message: message, witness: found.witness)
        }
    }

    /// Why a claim does not keep strangers out.
    static func whyNotAPin(_ claim: String) -> String {
        switch claim {
        case "job_workflow_ref": "a workflow in any repository that calls that reusable workflow presents it"
        case "actor", "actor_id": "a stranger's workflow runs as any user who triggers it, by a comment or a pull request"
        case "workflow": "any repository can name a workflow so"
        case "ref", "environment": "any repository can have that branch, tag or environment"
        case "aud": "the workflow that asks for the token chooses its audience"
        default: "a stranger can present the same value"
        }
    }
}
