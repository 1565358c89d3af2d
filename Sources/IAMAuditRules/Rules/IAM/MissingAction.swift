import IAMPolicy

/// IAM007: a statement with neither `Action` nor `NotAction`.
public struct MissingAction: Rule {
    public static let description = RuleDescription(
        code: "IAM007",
        name: "missing-action",
        title: "Statement has no Action or NotAction",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports a statement that has neither an `Action` nor a `NotAction` element, at the statement.",
        rationale: """
        Every statement must say which actions it covers, with `Action` or `NotAction`. IAM rejects a statement \
        without either, so the policy cannot be deployed; it usually means the element was misspelt (`Actions`, \
        see IAM002) or lost in a merge. Add `Action` with the exact actions the statement is for; in a role trust \
        policy that is `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"},
                {"Effect": "Allow", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders-dlq"}
              ]
            }
            """, pointers: ["/Statement/1"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"}
              }
            }
            """, pointers: ["/Statement"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Deny", "NotAction": ["sts:GetCallerIdentity"], "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap { statement in
            guard !statement.elements.contains(where: { $0.value == "Action" || $0.value == "NotAction" }) else { return nil }
            return Violation(pointer: statement.pointer, span: statement.span, message: Message.missing(statement))
        }
    }

    private enum Message {
        static func missing(_ statement: Statement) -> String {
            if let sid = statement.sid, !sid.value.isEmpty {
                return "statement '\(sid.value)' has no 'Action' or 'NotAction' element"
            }
            return "statement \(statement.index) has no 'Action' or 'NotAction' element"
        }
    }
}
