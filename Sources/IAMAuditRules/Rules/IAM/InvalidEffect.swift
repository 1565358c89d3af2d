import IAMPolicy

/// IAM005: a statement without `Effect`, or with an `Effect` other than exactly `Allow` or `Deny`.
public struct InvalidEffect: Rule {
    public static let description = RuleDescription(
        code: "IAM005",
        name: "invalid-effect",
        title: "Statement Effect is missing or not Allow or Deny",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a statement with no `Effect` element (at the statement) and an `Effect` string that is not exactly \
        `Allow` or `Deny` (at the value). The comparison is case-sensitive: `allow` is invalid.
        """,
        rationale: """
        `Effect` is required and takes exactly two values, `Allow` and `Deny`, spelt with a capital first letter. \
        IAM rejects any other value, so the policy cannot be deployed; and a tool or service that reads the value \
        loosely may treat an intended `Deny` as something else, leaving the guard rail out. Write \
        `"Effect": "Allow"` or `"Effect": "Deny"` in every statement.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "allow", "Action": "logs:PutLogEvents", "Resource": "arn:aws:logs:eu-north-1:111122223333:log-group:/aws/lambda/example-api:*"}
              ]
            }
            """, pointers: ["/Statement/0/Effect"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                {"Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                {"Effect": "Denied", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::example-bucket"}
              ]
            }
            """, pointers: ["/Statement/1", "/Statement/2/Effect"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"
              }
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for statement in policy.document.statements {
            if let effect = statement.effect {
                if Effect(rawValue: effect.value) == nil {
                    violations.append(Violation(at: effect, Message.invalid(effect.value)))
                }
            } else if !statement.elements.contains(where: { $0.value == "Effect" }) {
                // An Effect of the wrong JSON type is IAM012's; a misspelt one IAM002 reports instead (it supersedes this).
                violations.append(Violation(pointer: statement.pointer, span: statement.span, message: Message.missing(statement)))
            }
        }
        return violations
    }

    private enum Message {
        static func missing(_ statement: Statement) -> String {
            if let sid = statement.sid, !sid.value.isEmpty {
                return "statement '\(sid.value)' has no 'Effect' element"
            }
            return "statement \(statement.index) has no 'Effect' element"
        }
        static func invalid(_ value: String) -> String {
            if let match = Effect.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) {
                return "Effect '\(value)' is not 'Allow' or 'Deny'; the value is case-sensitive: write '\(match.rawValue)'"
            }
            return "Effect '\(value)' is not 'Allow' or 'Deny'"
        }
    }
}
