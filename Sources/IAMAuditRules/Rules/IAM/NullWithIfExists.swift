import IAMPolicy

/// IAM023: the `Null` condition operator written with the `IfExists` suffix.
public struct NullWithIfExists: Rule {
    public static let description = RuleDescription(
        code: "IAM023",
        name: "null-with-if-exists",
        title: "Null operator with IfExists",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports the condition operator `NullIfExists` (with or without a set qualifier): `IfExists` may follow every condition operator except `Null`.",
        rationale: """
        `Null` already tests whether a key is present (`true`: absent, `false`: present), so `IfExists`, which makes \
        a test pass when the key is absent, has no meaning on it, and IAM rejects the policy ("The Null condition \
        operator cannot be used with the IfExists suffix"): the deployment that carries it fails. Write `Null` alone \
        to test presence, or keep `IfExists` on the operator that compares the value (`StringEqualsIfExists`).
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-null-with-if-exists",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "ec2:RunInstances",
                  "Resource": "*",
                  "Condition": {"NullIfExists": {"aws:RequestTag/cost-center": "true"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/NullIfExists"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "ec2:CreateTags",
                  "Resource": "*",
                  "Condition": {
                    "ForAllValues:NullIfExists": {"aws:TagKeys": "false"},
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/ForAllValues:NullIfExists"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "ec2:RunInstances",
                  "Resource": "*",
                  "Condition": {"Null": {"aws:RequestTag/cost-center": "true"}}
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
                  "Action": "ec2:StartInstances",
                  "Resource": "*",
                  "Condition": {
                    "StringEqualsIfExists": {"aws:ResourceTag/team": "platform"},
                    "Null": {"aws:PrincipalTag/team": "false"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap(\.condition).flatMap(\.operators).compactMap { name in
            guard let parsed = ConditionOperator(parsing: name.value), parsed.base == .null, parsed.ifExists else { return nil }
            return Violation(at: name, "operator '\(name.value)' adds IfExists to Null, which IAM does not accept")
        }
    }
}
