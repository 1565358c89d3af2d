import IAMPolicy

/// IAM012: a policy element whose JSON type the grammar does not allow.
public struct InvalidElementType: Rule {
    public static let description = RuleDescription(
        code: "IAM012",
        name: "invalid-element-type",
        title: "Policy element has the wrong JSON type",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports an element whose JSON type the policy grammar does not allow: an `Effect`, `Version` or `Sid` that \
        is not a string, an `Action` or `Resource` item that is not a string, a statement that is not an object, \
        a `Condition` operator whose value is not an object of condition keys, a condition value that is a list \
        or object inside a list, and the like.
        """,
        rationale: """
        IAM rejects a document whose elements have the wrong type, so the deployment that carries it fails, and \
        iam-audit cannot judge the element either: it is left out of every other check. The usual causes are a \
        number or boolean where a string belongs (`"Version": 2012`), a nested list (`"Action": [["s3:GetObject"]]`), \
        or a condition written without its operator (`"Condition": {"aws:SourceIp": "10.0.0.0/8"}`). Write the \
        element with the type the grammar gives it; condition values may be written as strings in every case.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": true, "Action": ["s3:GetObject", 42], "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """, pointers: ["/Statement/0/Effect", "/Statement/0/Action/1"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {
                    "Bool": "aws:SecureTransport",
                    "IpAddress": {"aws:SourceIp": [["192.0.2.0/24"]]}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/Bool", "/Statement/0/Condition/IpAddress/aws:SourceIp/0"]),
            RuleExample("""
            {
              "Version": 2012,
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"},
                "sqs:ReceiveMessage"
              ]
            }
            """, pointers: ["/Version", "/Statement/1"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:ListBucket"],
                  "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
                  "Condition": {
                    "NumericLessThanEquals": {"s3:max-keys": 100},
                    "Bool": {"aws:SecureTransport": true}
                  }
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
                "Action": "sts:AssumeRole"
              }
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.issues.compactMap { issue in
            guard case .wrongType(let expected) = issue.kind else { return nil }
            return Violation(pointer: issue.pointer, span: issue.span, message: Message.wrongType(at: issue.pointer, expected: expected, found: issue.found))
        }
    }

    private enum Message {
        static func wrongType(at pointer: JSONPointer, expected: String, found: String) -> String {
            "\(elementName(pointer)) must be \(expected), found \(found)"
        }

        /// `'Effect'` for a member, `item 1 of 'Action'` for a list item.
        static func elementName(_ pointer: JSONPointer) -> String {
            let tokens = pointer.tokens
            guard let last = tokens.last else { return "the policy document" }
            if tokens.count >= 2, let index = Int(last), String(index) == last {
                return "item \(index) of '\(tokens[tokens.count - 2])'"
            }
            return "'\(last)'"
        }
    }
}
