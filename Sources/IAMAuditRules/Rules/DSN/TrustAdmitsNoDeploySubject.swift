import IAMPolicy

/// DSN002: an environment's trust policy admits none of the subjects its deploy job presents.
public struct TrustAdmitsNoDeploySubject: Rule {
    public static let description = RuleDescription(
        code: "DSN002",
        name: "trust-admits-no-deploy-subject",
        title: "Trust policy admits no subject the environment's deploy job presents",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        With a design file, reports an environment's trust policy that admits none of the subjects its deploy \
        job presents: `repo:OWNER/REPO:environment:NAME` when the environment sets `githubEnvironment` (a job \
        that declares `environment:` presents that subject and no branch subject), else the branch form \
        `repo:OWNER/REPO:ref:refs/heads/BRANCH`; the immutable forms and the environment's `subjects` count too. \
        Reported on the `sub` condition (or the statement's `Condition`, or its `Federated` principal). The \
        examples use a design for `example-org/deploy` whose `dev` environment sets branch `develop` and GitHub \
        environment `dev`.
        """,
        rationale: """
        A trust policy that admits none of the deploy's subjects is not a hole but a broken deploy: STS refuses \
        the web identity token and the workflow fails with AccessDenied ("Not authorized to perform \
        sts:AssumeRoleWithWebIdentity"). The common cause is pinning the branch, as many guides recommend, while \
        the deploy job declares `environment: dev`: GitHub then puts the environment in the subject \
        (`repo:OWNER/REPO:environment:dev`), not the branch. Pin the subject the job presents: the environment \
        form for jobs with `environment:`, the branch form otherwise.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
            "https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments",
            "https://repost.aws/knowledge-center/iam-idp-access-error",
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/develop"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"],
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {
                      "token.actions.githubusercontent.com:sub": [
                        "repo:example-org/deploy:ref:refs/heads/*",
                        "repo:example-org/deploy:environment:development"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub"],
            design: .example, environment: "dev"),
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
            """, design: .example, environment: "prod"),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .trust, let placement = DesignPlacement(context), let trust = GitHubTrust.of(policy) else { return [] }
        let candidates = placement.deploySubjects
        guard let presented = candidates.first, !candidates.contains(where: trust.admittedSubjects.contains) else { return [] }
        let environment = placement.environment
        let job: String
        if let name = environment.githubEnvironment {
            job = "a job with 'environment: \(name)' presents '\(presented)'"
        } else if let branch = environment.branch {
            job = "a job on branch '\(branch)' presents '\(presented)'"
        } else {
            job = "it presents one of \(quotedList(candidates))"
        }
        let location = trust.subjectLocation
        return [Violation(pointer: location.pointer, span: location.span,
                          message: "trust admits no subject the deploy job of environment '\(environment.name)' presents: \(job), so the deploy would fail with AccessDenied")]
    }
}
