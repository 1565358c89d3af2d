import IAMPolicy

/// DSN012: a policy of one environment names another environment's deploy role as its principal.
public struct PrincipalIsOtherEnvironmentRole: Rule {
    public static let description = RuleDescription(
        code: "DSN012",
        name: "principal-is-other-environment-role",
        title: "Another environment's deploy role is a principal of this environment's policy",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        With a design file, reports an `AWS` principal of an Allow statement, in a trust or resource policy placed \
        in an environment, that names the deploy role of another environment of the design \
        (`arn:aws:iam::ACCOUNT:role/NAME`, or a session of it, `arn:aws:sts::ACCOUNT:assumed-role/NAME/…`). Role \
        names compare without regard to case, as IAM's do. The examples use the design of `example-org/deploy` \
        (roles `deploy-dev` and `deploy-prod`).
        """,
        rationale: """
        In one account a resource-based policy that names a principal grants it access on its own: no identity \
        policy of the caller needs to allow the call, and a role trust policy is such a policy. A prod role whose \
        trust names dev's deploy role, or a prod bucket whose policy does, lets every workflow run that can assume \
        dev's role (a push to `develop`, perhaps a pull request) act in prod, though prod's own trust pins `main` \
        and its scope stays inside prod. Name only the environment's own roles, or, for a real cross-environment \
        hand-off, a dedicated role whose trust pins the subjects allowed to make it.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html",
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    }
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::111122223333:role/Deploy-Dev", "arn:aws:iam::111122223333:role/ops-breakglass"]},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """, pointers: ["/Statement/1/Principal/AWS/0"], design: .example, environment: "prod"),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:sts::111122223333:assumed-role/deploy-dev/GitHubActions"},
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-org-prod-artifacts/*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/AWS"], design: .example, environment: "prod"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy-prod"},
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-org-prod-artifacts/*"
                },
                {
                  "Effect": "Deny",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy-dev"},
                  "Action": "s3:*",
                  "Resource": "arn:aws:s3:::example-org-prod-artifacts/*"
                }
              ]
            }
            """, design: .example, environment: "prod"),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let placement = DesignPlacement(context) else { return [] }
        // Other environments' deploy roles, by lowercased name (IAM role names are unique without regard to case).
        var others: [String: String] = [:]
        for other in placement.otherEnvironments {
            if let role = other.role, role.lowercased() != placement.environment.role?.lowercased() { others[role.lowercased()] = other.name }
        }
        guard !others.isEmpty else { return [] }
        var violations: [Violation] = []
        for statement in policy.document.statements where statement.isAllow {
            for principal in statement.principal?.values(ofType: "AWS") ?? [] {
                guard let name = Self.roleName(principal.value), let environment = others[name.lowercased()] else { continue }
                violations.append(Violation(at: principal,
                    "principal '\(principal.value)' is the deploy role of environment '\(environment)': every run that can assume it "
                    + "reaches environment '\(placement.environment.name)' through this policy"))
            }
        }
        return violations
    }

    /// The role a principal ARN names: `role/PATH/NAME` (the last segment), or the role of an assumed-role session.
    static func roleName(_ value: String) -> String? {
        let fields = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn" else { return nil }
        let resource = fields[5]
        if fields[2] == "iam", resource.hasPrefix("role/") {
            return resource.split(separator: "/").last.map(String.init)
        }
        if fields[2] == "sts", resource.hasPrefix("assumed-role/") {
            let parts = resource.split(separator: "/")
            return parts.count >= 2 ? String(parts[1]) : nil
        }
        return nil
    }
}
