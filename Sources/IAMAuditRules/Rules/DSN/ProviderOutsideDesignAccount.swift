import IAMPolicy

/// DSN004: the GitHub OIDC provider a trust policy names is in another account or partition than the design's.
public struct ProviderOutsideDesignAccount: Rule {
    public static let description = RuleDescription(
        code: "DSN004",
        name: "provider-outside-design-account",
        title: "GitHub OIDC provider is outside the design's account",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        With a design file, reports a `Federated` principal of an Allow statement in an environment's trust \
        policy that names a GitHub OIDC provider ARN whose account or partition is not the design's \
        (`arn:PARTITION:iam::ACCOUNT:oidc-provider/token.actions.githubusercontent.com`). The examples use a \
        design for account `111122223333` in partition `aws`.
        """,
        rationale: """
        A role trusts the identity provider its trust policy names, and an IAM OIDC provider belongs to the \
        account that created it. A provider ARN with another account (or partition) was written for somewhere \
        else, typically copied from another account's role: the role then depends on a provider that this \
        account neither owns nor configures (its audiences and thumbprints are someone else's), or on one that \
        does not exist here, in which case the deploy fails. Name the provider of the design's account: \
        `arn:aws:iam::ACCOUNT:oidc-provider/token.actions.githubusercontent.com`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:dev"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/Federated"], design: .example, environment: "dev"),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {
                    "Federated": [
                      "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
                      "arn:aws-cn:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
                    ]
                  },
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
            """, pointers: ["/Statement/0/Principal/Federated/1"], design: .example, environment: "prod"),
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:dev"
                    }
                  }
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // A file no environment claims is not compared with the design.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:dev"
                    }
                  }
                }
              ]
            }
            """, design: .example),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .trust, let placement = DesignPlacement(context), let trust = GitHubTrust.of(policy) else { return [] }
        let design = placement.design
        var violations: [Violation] = []
        for statement in trust.allowStatements {
            for provider in statement.providers {
                guard let arn = provider.arn else { continue }
                var found: [String] = []
                var expected: [String] = []
                if arn.partition != design.partition {
                    found.append("partition '\(arn.partition)'")
                    expected.append("'\(design.partition)'")
                }
                if let account = design.account, arn.account != account {
                    found.append("account '\(arn.account)'")
                    expected.append("'\(account)'")
                }
                guard !found.isEmpty else { continue }
                let fields = found.count == 1 ? String(found[0].prefix { $0 != " " }) : "partition and account"
                violations.append(Violation(at: provider.principal,
                    "provider '\(provider.principal.value)' is in \(found.joined(separator: " and ")), not the design's \(fields) \(expected.joined(separator: " and "))"))
            }
        }
        return violations
    }
}
