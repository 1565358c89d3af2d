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
        operator on an ARN key where it compares otherwise than the ARN operator would, a string operator on a \
        Boolean, numeric, date or IP-address key, or a `Bool`, `Numeric…`, `Date…`, `IpAddress`/`NotIpAddress` or \
        `BinaryEquals` operator on a key of another type. A string operator misreads an ARN when it ignores case \
        (`StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`) or when a `StringLike`/`StringNotLike` value holds \
        a `*` or `?` in one of the ARN's first five `:`-separated fields (or has fewer than six), where a wildcard \
        can span fields. Not reported: `StringEquals`/`StringNotEquals` on an ARN key, which compares exactly as \
        `ArnEquals` does (AWS's own permissions-boundary examples write `StringEquals` with \
        `iam:PermissionsBoundary`; a wildcard there is a literal character, IAM026's finding), and `StringLike` \
        values whose wildcards all stand in the resource part, where the text comparison and `ArnLike` agree \
        (Access Analyzer reports every `StringLike` on an ARN key). A multivalued key is judged by the type of its \
        values (`ArrayOfARN` as ARN). Accepted: `ArnLike`/`ArnEquals` on a String key (the reference types some \
        ARN-valued keys as String), `Date…` and `Numeric…` on `aws:EpochTime` (documented as both), and `Null` on \
        any key. Keys the catalog does not know or gives no type are left alone (IAM032 reports unknown keys).
        """,
        rationale: """
        IAM compares a key's value by the operator's type. The ARN operators compare an ARN field by field and \
        case-sensitively: a wildcard stays inside its field. `StringLike` compares the ARN as plain text, so a `*` \
        meant for one field crosses the `:` into the next: `arn:aws:lambda:*:111122223333:function:app-*` also \
        matches text whose fields are split differently but happen to fit (a `*` meant for the region can swallow \
        a region, an account and a resource type), and the `…IgnoreCase` operators match ARNs that differ from the \
        value in case, which the ARN operators keep apart. An exact `StringEquals` on an ARN, or a wildcard only \
        in the resource part, compares exactly as the ARN operator does, so it is not reported. Other mismatches \
        depend on the value's text: a numeric, date or IP-address comparison of a value that is not one never \
        matches, so an Allow grants nothing and a Deny never applies, and a string comparison of a Boolean or a \
        number works only as long as the service renders it exactly as written (Access Analyzer reports a type \
        mismatch). Use the operator family of the key's type: `ArnLike`/`ArnEquals` for ARNs, `Bool` for \
        Booleans, `Numeric…`, `Date…`, `IpAddress`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
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
                  "Condition": {"StringEqualsIgnoreCase": {"aws:SourceArn": "arn:aws:cloudwatch:eu-north-1:111122223333:alarm:cpu"}}
                },
                {
                  "Effect": "Deny",
                  "Action": "sqs:SendMessage",
                  "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders",
                  "Condition": {"StringNotLike": {"aws:SourceArn": ["arn:aws:sns:eu-north-1:111122223333:orders", "arn:aws:sns:*"]}}
                }
              ]
            }
            """, pointers: [
                "/Statement/0/Condition/StringLike/iam:AssociatedResourceARN", "/Statement/1/Condition/StringEqualsIgnoreCase/aws:SourceArn",
                "/Statement/2/Condition/StringNotLike/aws:SourceArn",
            ]),
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
            // An exact ARN under `StringEquals` compares as `ArnEquals` would: the form of AWS's own
            // permissions-boundary examples. A wildcard in the resource part alone spans no field.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "CreateRolesOnlyWithBoundary",
                  "Effect": "Allow",
                  "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
                  "Resource": "arn:aws:iam::111122223333:role/app-*",
                  "Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/AppBoundary"}}
                },
                {
                  "Effect": "Allow",
                  "Action": "sns:Publish",
                  "Resource": "arn:aws:sns:eu-north-1:111122223333:alerts",
                  "Condition": {
                    "StringEquals": {"aws:SourceArn": "arn:aws:cloudwatch:eu-north-1:111122223333:alarm:cpu"},
                    "StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-admin"}
                  }
                },
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam::111122223333:role/example-lambda",
                  "Condition": {"StringLike": {"iam:AssociatedResourceARN": "arn:aws:lambda:eu-north-1:111122223333:function:example-*"}}
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
            guard op.base.category == .string && expected.found == ConditionKeyType.arn.rawValue else {
                return Violation(at: clause.key, Message.doesNotFit(clause, found: expected.found, use: expected.use))
            }
            return Self.misreading(clause, op).map { Violation(at: clause.key, $0) }
        }
    }

    /// How a string operator misreads the ARNs of `clause`, as a message, or nil when it compares them exactly as
    /// the ARN operator would: an exact `StringEquals` or `StringNotEquals` (a wildcard there is IAM026's), or
    /// `…Like` values whose wildcards all stand in the resource part.
    private static func misreading(_ clause: ConditionClause, _ op: ConditionOperator) -> String? {
        let negated = op.base.isNegated
        switch op.base {
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            let use = ConditionOperator(qualifier: op.qualifier, base: negated ? .arnNotEquals : .arnEquals, ifExists: op.ifExists)
            return Message.ignoresCase(clause, use: use)
        case .stringLike, .stringNotLike:
            guard let value = clause.values.values.compactMap(\.stringValue).first(where: wildcardSpansFields) else { return nil }
            let use = ConditionOperator(qualifier: op.qualifier, base: negated ? .arnNotLike : .arnLike, ifExists: op.ifExists)
            return Message.spansFields(clause, value: value, use: use)
        default:
            return nil
        }
    }

    /// Whether a `…Like` value, read as plain text, has a `*` or `?` (outside policy variables) that can match
    /// across the `:` between an ARN's fields: one in the first five fields, or any when the value has fewer than
    /// six fields. In the resource part (after the fifth `:`) the ARN operators let a wildcard match `:` too.
    private static func wildcardSpansFields(_ value: String) -> Bool {
        let text = PolicyVariable.removingVariables(from: value)
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let leading = fields.count == 6 ? fields.dropLast() : fields[...]
        return leading.contains { $0.contains { $0 == "*" || $0 == "?" } }
    }

    private enum Message {
        static func doesNotFit(_ clause: ConditionClause, found: String, use: String) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)', a key of type \(found), does not fit; use \(use)"
        }

        static func ignoresCase(_ clause: ConditionClause, use: ConditionOperator) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)', a key of type ARN, compares the ARN ignoring case, "
                + "which the ARN operators keep; use \(use)"
        }

        static func spansFields(_ clause: ConditionClause, value: String, use: ConditionOperator) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)', a key of type ARN, compares the ARN as plain text: "
                + "a wildcard of '\(value)' can span its ':' fields; use \(use)"
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
