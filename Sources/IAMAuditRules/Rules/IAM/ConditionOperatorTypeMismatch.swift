import IAMPolicy

/// IAM033: a condition operator whose type does not fit the condition key's type.
public struct ConditionOperatorTypeMismatch: Rule {
    public static let description = RuleDescription(
        code: "IAM033",
        name: "condition-operator-type-mismatch",
        title: "Condition operator does not fit the key's type",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a condition whose operator family does not fit the key's type in the action catalog: a string \
        operator (`StringLike`, `StringEquals`, …) on an ARN key, a string operator on a Boolean, numeric, date or \
        IP-address key, or a `Bool`, `Numeric…`, `Date…`, `IpAddress`/`NotIpAddress` or `BinaryEquals` operator on \
        a key of another type. A multivalued key is judged by the type of its values (`ArrayOfARN` as ARN). \
        Accepted: `ArnLike`/`ArnEquals` on a String key (the reference types some ARN-valued keys as String), \
        `Date…` and `Numeric…` on `aws:EpochTime` (documented as both), and `Null` on any key. Keys the catalog \
        does not know or gives no type are left alone (IAM032 reports unknown keys).
        """,
        rationale: """
        IAM compares a key's value by the operator's type. String operators on ARN keys work, but they compare \
        the ARN as plain text: `*` crosses the ARN's `:` fields, so `arn:aws:lambda:*:111122223333:function:app-*` \
        under `StringLike` also matches ARNs whose fields are split differently but happen to fit the text \
        (a `*` meant for the region can swallow a region, an account and a resource type). IAM Access Analyzer reports a string \
        operator on an ARN key as a security warning and asks for the ARN operator type instead. Other mismatches \
        depend on the value's text: a numeric, date or IP-address comparison of a value that is not one never \
        matches, so an Allow grants nothing and a Deny never applies, and a string comparison of a Boolean or a \
        number works only as long as the service renders it exactly as written (Access Analyzer reports a type \
        mismatch). Use the operator family of the key's type: `ArnLike`/`ArnEquals` for ARNs, `Bool` for \
        Booleans, `Numeric…`, `Date…`, `IpAddress`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-string-like-operator-with-arn-condition-keys",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-general-warning-type-mismatch",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam::111122223333:role/example-lambda",
                  "Condition": {"StringLike": {"iam:AssociatedResourceARN": "arn:aws:lambda:*:111122223333:function:example-*"}}
                },
                {
                  "Effect": "Allow",
                  "Action": "sns:Publish",
                  "Resource": "arn:aws:sns:eu-north-1:111122223333:alerts",
                  "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudwatch:eu-north-1:111122223333:alarm:cpu"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/iam:AssociatedResourceARN", "/Statement/1/Condition/StringEquals/aws:SourceArn"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": "*",
                  "Condition": {
                    "StringEquals": {"aws:SecureTransport": "false"},
                    "NumericLessThan": {"aws:CurrentTime": "1767225600"},
                    "DateGreaterThan": {"aws:MultiFactorAuthAge": "2026-01-01T00:00:00Z"},
                    "IpAddress": {"aws:SourceVpc": "10.0.0.0/16"},
                    "Bool": {"aws:username": "true"}
                  }
                }
              ]
            }
            """, pointers: [
                "/Statement/0/Condition/StringEquals/aws:SecureTransport", "/Statement/0/Condition/NumericLessThan/aws:CurrentTime",
                "/Statement/0/Condition/DateGreaterThan/aws:MultiFactorAuthAge", "/Statement/0/Condition/IpAddress/aws:SourceVpc",
                "/Statement/0/Condition/Bool/aws:username",
            ]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam::111122223333:role/example-lambda",
                  "Condition": {"ArnLike": {"iam:AssociatedResourceARN": "arn:aws:lambda:*:111122223333:function:example-*"}}
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": "*",
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}
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
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {
                    "NumericLessThan": {"aws:EpochTime": "1767225600"},
                    "DateGreaterThan": {"aws:EpochTime": "2026-01-01T00:00:00Z"},
                    "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                    "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"},
                    "ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": "lambda.amazonaws.com"},
                    "Null": {"aws:SourceArn": "false"}
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
            let (clause, op) = (typed.clause, typed.op)
            guard op.base.category != .null,
                  let expected = Self.mismatch(op.base.category, keyTypes: Set(typed.key.types.map(\.elementType))) else { return nil }
            let effect = op.base.category == .string && expected.found == ConditionKeyType.arn.rawValue
                ? "compares the ARN as plain text" : "does not fit"
            return Violation(at: clause.key,
                "'\(clause.operatorName.value)' on '\(clause.key.value)', a key of type \(expected.found), \(effect); use \(expected.use)")
        }
    }

    /// The key's type and the operator family to use instead, when the operator's family does not fit.
    static func mismatch(_ category: ConditionOperatorBase.Category, keyTypes: Set<ConditionKeyType>) -> (found: String, use: String)? {
        func fits(_ type: ConditionKeyType) -> Bool {
            switch (category, type) {
            case (.string, .string): true
            case (.arn, .arn), (.arn, .string): true
            case (.bool, .bool): true
            case (.numeric, .numeric): true
            case (.date, .date): true
            case (.ipAddress, .ipAddress): true
            case (.binary, .binary): true
            default: false
            }
        }
        guard !keyTypes.contains(where: fits), let type = keyTypes.sorted(by: { $0.rawValue < $1.rawValue }).first else { return nil }
        let use: String
        switch type {
        case .arn: use = "ArnLike or ArnEquals"
        case .bool: use = "Bool"
        case .numeric: use = "a Numeric operator"
        case .date: use = "a Date operator"
        case .ipAddress: use = "IpAddress or NotIpAddress"
        case .binary: use = "BinaryEquals"
        default: use = "a String operator"
        }
        return (type.rawValue, use)
    }
}
