import IAMPolicy

/// OIDC012: `job_workflow_ref` is pinned to a branch or tag rather than a commit SHA.
public struct GitHubJobWorkflowRefMutable: Rule {
    public static let description = RuleDescription(
        code: "OIDC012",
        name: "github-job-workflow-ref-mutable",
        title: "job_workflow_ref pinned to a branch or tag",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a `job_workflow_ref` value that names a reusable workflow at a branch or tag \
        (`…/deploy.yml@refs/heads/main`) or with a wildcard after `@`, rather than at a full commit SHA.
        """,
        rationale: """
        Pinning `job_workflow_ref` trusts whatever the reusable workflow contains at that ref. A branch or tag \
        moves: anyone who can push to it changes what the role runs. A 40-character commit SHA \
        (`…/deploy.yml@3f1c…`) cannot move.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/using-openid-connect-with-reusable-workflows",
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod",
                      "token.actions.githubusercontent.com:job_workflow_ref": "example-org/shared-workflows/.github/workflows/deploy.yml@refs/heads/main"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:job_workflow_ref"]),
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
                      "token.actions.githubusercontent.com:job_workflow_ref": [
                        "example-org/shared-workflows/.github/workflows/deploy.yml@0123456789abcdef0123456789abcdef01234567",
                        "example-org/shared-workflows/.github/workflows/deploy.yml@refs/tags/v*"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:job_workflow_ref/1"]),
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
                      "token.actions.githubusercontent.com:job_workflow_ref": "example-org/shared-workflows/.github/workflows/deploy.yml@0123456789abcdef0123456789abcdef01234567"
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
        guard let trust = GitHubTrust.of(policy) else { return [] }
        var violations: [Violation] = []
        for statement in trust.allowStatements {
            for item in statement.clauses where item.claim == "job_workflow_ref" && item.matchesProvider {
                guard let op = item.clause.parsedOperator, !op.base.isNegated else { continue }
                for value in item.clause.values.items {
                    let text = value.value.text
                    guard let at = text.lastIndex(of: "@") else { continue }
                    let ref = String(text[text.index(after: at)...])
                    if Self.isCommitSHA(ref, wildcards: op.base.supportsWildcards) { continue }
                    violations.append(Violation(at: value, "job_workflow_ref '\(text)' trusts the workflow at '\(ref)', which can move; pin a full commit SHA"))
                }
            }
        }
        return violations
    }

    /// Whether `ref` is exactly 40 hexadecimal digits (no wildcard under a Like operator).
    static func isCommitSHA(_ ref: String, wildcards: Bool) -> Bool {
        ref.utf8.count == 40 && ref.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
        }
    }
}
