import IAMPolicy

/// IAM024: a condition value of the wrong form for its operator (a Bool that is not true/false, a date
/// that is not ISO 8601, an IP range with an octet above 255, …).
public struct InvalidConditionValue: Rule {
    public static let description = RuleDescription(
        code: "IAM024",
        name: "invalid-condition-value",
        title: "Condition value does not fit its operator",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a condition value whose form the operator cannot read: `Bool` and `Null` take `true` or `false`; \
        `Numeric…` operators take an integer or decimal; `Date…` operators take a W3C ISO 8601 date \
        (`2026-01-01`, `2026-01-01T00:00:00Z`) or epoch seconds; `IpAddress` and `NotIpAddress` take IPv4 or IPv6 \
        addresses and CIDR blocks (octets up to 255, prefixes up to /32 and /128); `BinaryEquals` takes base64. \
        Policy variables are reported under the operators that do not substitute them (all of these but `Bool`).
        """,
        rationale: """
        A value the operator cannot read never matches, or IAM rejects the policy when it is saved. Either way the \
        condition does not say what was meant: an Allow that requires `"aws:MultiFactorAuthPresent": "yes"` admits \
        no one, a Deny on `"aws:SourceIp": "10.0.0.0/33"` or on a date written `01/02/2026` denies nothing, and a \
        `NotIpAddress` guard with a broken range stops guarding. Write booleans as `true`/`false`, numbers without \
        units, dates as `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` (or epoch seconds), addresses as `203.0.113.0/24` or \
        `2001:db8::/32`, and binary values in base64. Policy variables work only with string, ARN and `Bool` operators.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            "https://www.w3.org/TR/NOTE-datetime",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-invalid-variable-for-operator",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::example-bucket",
                  "Condition": {
                    "Bool": {"aws:MultiFactorAuthPresent": "yes", "aws:SecureTransport": ""},
                    "NumericLessThanEquals": {"s3:max-keys": "ten"}
                  }
                },
                {
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {
                    "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.256", "2001:db8::/129"]}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/Bool/aws:MultiFactorAuthPresent",
                            "/Statement/0/Condition/Bool/aws:SecureTransport",
                            "/Statement/0/Condition/NumericLessThanEquals/s3:max-keys",
                            "/Statement/1/Condition/NotIpAddress/aws:SourceIp/1",
                            "/Statement/1/Condition/NotIpAddress/aws:SourceIp/2"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "iam:*AccessKey*",
                  "Resource": "arn:aws:iam::337909745089:user/*",
                  "Condition": {
                    "DateGreaterThan": {"aws:CurrentTime": "01/02/2026"},
                    "Null": {"aws:TokenIssueTime": "no"},
                    "DateLessThan": {"aws:TokenIssueTime": "${aws:CurrentTime}"},
                    "BinaryEquals": {"example:key": "not base64!"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/DateGreaterThan/aws:CurrentTime",
                            "/Statement/0/Condition/Null/aws:TokenIssueTime",
                            "/Statement/0/Condition/DateLessThan/aws:TokenIssueTime",
                            "/Statement/0/Condition/BinaryEquals/example:key"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::example-bucket",
                  "Condition": {
                    "Bool": {"aws:SecureTransport": true, "aws:MultiFactorAuthPresent": "True"},
                    "NumericLessThanEquals": {"s3:max-keys": ["10", 100, "2.5"]},
                    "DateLessThan": {"aws:CurrentTime": ["2026-12-31", "2026-12-31T23:59:59Z", "2026-06-30T12:00:00.000+02:00", "1798675200"]},
                    "Null": {"aws:TokenIssueTime": "false"}
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
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {
                    "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7", "2001:DB8:1234:5678::/64", "::ffff:192.0.2.1", "::/0"]},
                    "BinaryEquals": {"example:key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
                    "Bool": {"aws:SecureTransport": "false"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap(\.condition).flatMap(\.clauses).flatMap { clause -> [Violation] in
            guard let parsed = clause.parsedOperator else { return [] }
            let operatorName = clause.operatorName.value
            return clause.values.items.compactMap { item in
                Self.defect(in: item.value, base: parsed.base).map {
                    Violation(at: item, "value '\(item.value.text)' under \(operatorName) \($0)")
                }
            }
        }
    }

    /// What is wrong with `value` under an operator of `base`, in words after the value, or nil.
    static func defect(in value: ConditionValue, base: ConditionOperatorBase) -> String? {
        let category = base.category
        guard [.bool, .null, .numeric, .date, .ipAddress, .binary].contains(category) else { return nil }
        if case .string(let text) = value {
            if PolicyVariable.containsVariable(text) {
                return category == .bool ? nil : "is a policy variable, which only string, ARN and Bool operators substitute"
            }
        }
        switch category {
        case .bool, .null:
            switch value {
            case .bool: return nil
            case .string(let text) where ConditionValueText.isBoolean(text): return nil
            default: return category == .null ? "is not true (key absent) or false (key present)" : "is not true or false"
            }
        case .numeric:
            switch value {
            case .number: return nil
            case .string(let text) where ConditionValueText.isDecimal(text): return nil
            default: return "is not an integer or decimal number"
            }
        case .date:
            switch value {
            case .number(let text) where ConditionValueText.isEpochSeconds(text): return nil
            case .string(let text) where ConditionValueText.isEpochSeconds(text) || W3CDateTime.isValid(text): return nil
            default: return "is not an ISO 8601 date (2026-01-01 or 2026-01-01T00:00:00Z) or epoch seconds"
            }
        case .ipAddress:
            guard case .string(let text) = value else { return "is not an IP address or CIDR block" }
            return CIDRBlock.defect(in: text).map { "is not an IP address or CIDR block: \($0)" }
        case .binary:
            guard case .string(let text) = value, ConditionValueText.isBase64(text) else { return "is not base64" }
            return nil
        case .string, .arn:
            return nil
        }
    }
}
