import IAMPolicy

/// IAM015: a `Sid` used by more than one statement of a policy.
public struct DuplicateSid: Rule {
    public static let description = RuleDescription(
        code: "IAM015",
        name: "duplicate-sid",
        title: "Sid is used by more than one statement",
        level: .warning,
        securitySeverity: 2.0,
        summary: "Reports each statement whose `Sid` an earlier statement of the same policy already uses, at its `Sid`.",
        rationale: """
        In IAM a `Sid` must be unique within a policy, and IAM rejects a policy that repeats one. A repeated `Sid` \
        usually means a statement was copied and edited, so reviews and suppressions that refer to the statement \
        by its `Sid` may look at the wrong one. Give every statement its own `Sid` that says what it grants \
        (`ReadOrdersTable`, `DeployApiFunction`).
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "ReadOrders", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders"},
                {"Sid": "ReadOrders", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders/index/*"}
              ]
            }
            """, pointers: ["/Statement/1/Sid"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "Deploy", "Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example-api"},
                {"Sid": "Logs", "Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "arn:aws:logs:eu-north-1:111122223333:log-group:/aws/lambda/example-api"},
                {"Sid": "Deploy", "Effect": "Allow", "Action": "lambda:UpdateFunctionConfiguration", "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example-api"},
                {"Sid": "Deploy", "Effect": "Allow", "Action": "lambda:PublishVersion", "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example-api"}
              ]
            }
            """, pointers: ["/Statement/2/Sid", "/Statement/3/Sid"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "ReadOrders", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders"},
                {"Sid": "QueryOrderIndexes", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders/index/*"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"},
                {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var firstIndex: [String: Int] = [:]
        var violations: [Violation] = []
        for statement in policy.document.statements {
            // An empty Sid is IAM013's.
            guard let sid = statement.sid, !sid.value.isEmpty else { continue }
            if let first = firstIndex[sid.value] {
                violations.append(Violation(at: sid, Message.duplicate(sid.value, firstIndex: first)))
            } else {
                firstIndex[sid.value] = statement.index
            }
        }
        return violations
    }

    private enum Message {
        static func duplicate(_ sid: String, firstIndex: Int) -> String {
            "Sid '\(sid)' is already used by statement \(firstIndex)"
        }
    }
}
