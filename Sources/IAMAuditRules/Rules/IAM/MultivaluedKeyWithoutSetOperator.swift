import IAMPolicy

/// IAM035: a multivalued condition key tested without `ForAnyValue:` or `ForAllValues:`.
public struct MultivaluedKeyWithoutSetOperator: Rule {
    public static let description = RuleDescription(
        code: "IAM035",
        name: "multivalued-key-without-set-operator",
        title: "Multivalued condition key without a set operator",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a condition that tests a multivalued key (one the action catalog types `ArrayOf…`, such as \
        `aws:TagKeys`, `aws:CalledVia` or `events:source`) with an operator that has no `ForAnyValue:` or \
        `ForAllValues:` qualifier. `Null`, which only tests whether the key is present, is left alone, as are keys \
        the catalog does not know or also lists as single-valued.
        """,
        rationale: """
        A multivalued key can carry several values in one request, and IAM documents that such keys need a \
        condition set operator: `ForAnyValue:` (some value of the request matches) or `ForAllValues:` (every value \
        does). Without one the condition does not say which of the values it tests, so it may match requests the \
        author meant to refuse or refuse the ones meant to pass; IAM Access Analyzer reports it as an error \
        (missing qualifier). Choose the set operator that states the intent, keeping in mind that \
        `ForAllValues:` also matches a request without the key.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "events:PutRule",
                  "Resource": "arn:aws:events:eu-north-1:111122223333:rule/deploy-*",
                  "Condition": {"StringEquals": {"events:source": "aws.ssm"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/events:source"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "ec2:CreateTags",
                  "Resource": "*",
                  "Condition": {"StringNotLike": {"aws:TagKeys": ["team", "cost-*"]}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringNotLike/aws:TagKeys"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "events:PutRule",
                  "Resource": "arn:aws:events:eu-north-1:111122223333:rule/deploy-*",
                  "Condition": {"ForAnyValue:StringEquals": {"events:source": "aws.ssm"}}
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
                  "Action": "ec2:CreateTags",
                  "Resource": "*",
                  "Condition": {
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]},
                    "Null": {"aws:TagKeys": "false"},
                    "StringEquals": {"aws:RequestTag/team": "platform"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        TypedConditionClause.all(in: policy).compactMap { typed in
            let (clause, op, key) = (typed.clause, typed.op, typed.key)
            guard op.qualifier == nil, op.base.category != .null, key.types.allSatisfy(\.isMultivalued) else { return nil }
            let name = clause.operatorName.value
            return Violation(at: clause.key,
                "'\(clause.key.value)' is multivalued (\(key.types.map(\.rawValue).joined(separator: ", "))) but '\(name)' has no set operator; write 'ForAnyValue:\(name)' (some value matches) or 'ForAllValues:\(name)' (every value matches)")
        }
    }
}
