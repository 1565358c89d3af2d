import IAMPolicy

/// IAM027: one condition operator tests the same key twice, written in different case.
public struct ConditionKeyCaseDuplicate: Rule {
    public static let description = RuleDescription(
        code: "IAM027",
        name: "condition-key-case-duplicate",
        title: "Condition key repeated under one operator in another case",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a condition key that appears a second time under the same operator, written in another case \
        (`token.actions.githubusercontent.com:sub` and `token.actions.githubusercontent.com:SUB`).
        """,
        rationale: """
        Condition key names are not case sensitive, so the two entries name one key, and IAM does not document \
        which of them it evaluates; Access Analyzer reports such a policy as an error. A reviewer sees two \
        conditions, but the policy may admit what only one of them allows: iam-audit reads an Allow as \
        admitting whatever either entry admits. Merge the values into one entry.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
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
                    "StringLike": {
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/main",
                      "token.actions.githubusercontent.com:SUB": "repo:*"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:SUB"]),
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/main"},
                    "StringNotLike": {"token.actions.githubusercontent.com:SUB": "repo:example-org/deploy:pull_request"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for condition in policy.document.statements.compactMap(\.condition) {
            for (index, clause) in condition.clauses.enumerated() {
                guard let first = condition.clauses[..<index].first(where: { earlier in
                    earlier.operatorName.pointer == clause.operatorName.pointer && earlier.normalizedKey == clause.normalizedKey
                        && earlier.key.value != clause.key.value
                }) else { continue }
                violations.append(Violation(at: clause.key,
                    "condition key '\(clause.key.value)' repeats '\(first.key.value)' under '\(clause.operatorName.value)' in another case; IAM does not document which one it evaluates"))
            }
        }
        return violations
    }
}
