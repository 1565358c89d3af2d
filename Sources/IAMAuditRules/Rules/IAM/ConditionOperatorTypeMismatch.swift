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
        Reports a condition whose operator family differs from the key's type in the action catalog: a string \
        operator (`StringLike`, `StringEquals`) on an ARN key, a string operator on a Boolean key, or a `Bool`, \
        `Numeric…`, `Date…` or `IpAddress` operator on a key of another type.
        """,
        rationale: """
        AWS compares a value by the operator's type. String operators on ARN keys work but compare the ARN as \
        plain text, so `*` crosses the ARN's `:` fields and a pattern can match more resources than intended \
        (AWS IAM Access Analyzer reports this as a security warning); use `ArnLike` or `ArnEquals`. Other \
        mismatches make the condition never match, or match differently than written. Use the operator family \
        of the key's type.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
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
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/iam:AssociatedResourceARN"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": "*",
                  "Condition": {"StringEquals": {"aws:SecureTransport": "false"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/aws:SecureTransport"]),
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
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let catalog = ActionCatalog.shared
        var violations: [Violation] = []
        for statement in policy.document.statements {
            for clause in statement.condition?.clauses ?? [] {
                guard let op = clause.parsedOperator, op.base.category != .null,
                      let key = catalog.conditionKey(clause.key.value), !key.types.isEmpty else { continue }
                let types = Set(key.types.map(\.elementType))
                guard let expected = Self.mismatch(op.base.category, keyTypes: types) else { continue }
                violations.append(Violation(at: clause.key,
                    "'\(clause.operatorName.value)' on '\(clause.key.value)', a key of type \(expected.found); use \(expected.use)"))
            }
        }
        return violations
    }

    /// The key's type and the operator family to use instead, when the operator's family does not fit.
    static func mismatch(_ category: ConditionOperatorBase.Category, keyTypes: Set<ConditionKeyType>) -> (found: String, use: String)? {
        func fits(_ type: ConditionKeyType) -> Bool {
            switch (category, type) {
            case (.string, .string): true
            case (.arn, .arn), (.arn, .string): true
            case (.bool, .bool): true
            case (.numeric, .numeric): true
            case (.date, .date), (.numeric, .date): true
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
