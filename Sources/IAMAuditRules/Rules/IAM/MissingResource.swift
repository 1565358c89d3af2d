import IAMPolicy

/// IAM009: a permission statement without `Resource` or `NotResource`, or with both.
public struct MissingResource: Rule {
    public static let description = RuleDescription(
        code: "IAM009",
        name: "missing-resource",
        title: "Statement has no Resource, or both Resource and NotResource",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a statement of an identity (permission) policy that has neither `Resource` nor `NotResource` (at the \
        statement), and a statement of an identity or resource policy that has both (at `NotResource`).
        """,
        rationale: """
        A permission statement must say which resources it covers, with exactly one of `Resource` or \
        `NotResource`. IAM rejects a statement without either ("policy statement must contain resources"), and \
        one with both leaves a reader unable to tell what was meant: `NotResource` widens the statement to every \
        other resource of every service. Add `Resource` with the ARNs the actions are for (`"*"` only for actions \
        that support no resource-level permissions). Role trust policies are the exception: they take no \
        `Resource` at all (IAM008).
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"]}
              ]
            }
            """, pointers: ["/Statement/0"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                {
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": "arn:aws:s3:::example-bucket/*",
                  "NotResource": "arn:aws:s3:::example-bucket/public/*"
                }
              ]
            }
            """, pointers: ["/Statement/1/NotResource"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders"},
                {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        // Trust policies take no Resource at all: IAM008 reports one that is there.
        guard policy.kind != .trust else { return [] }
        var violations: [Violation] = []
        for statement in policy.document.statements {
            let hasResource = statement.elements.contains { $0.value == "Resource" }
            let notResourceKey = statement.elements.last { $0.value == "NotResource" }
            if let notResourceKey, hasResource {
                if let list = statement.notResource {
                    violations.append(Violation(at: list, Message.both(list.values)))
                } else {
                    violations.append(Violation(at: notResourceKey, Message.both([])))
                }
            } else if !hasResource, notResourceKey == nil, policy.kind == .identity {
                violations.append(Violation(pointer: statement.pointer, span: statement.span, message: Message.missing(statement)))
            }
        }
        return violations
    }

    private enum Message {
        static func both(_ values: [String]) -> String {
            guard !values.isEmpty else { return "statement has both 'Resource' and 'NotResource'" }
            let shown = values.prefix(2).map { "'\($0)'" }.joined(separator: ", ") + (values.count > 2 ? ", …" : "")
            return "statement has both 'Resource' and 'NotResource' (\(shown))"
        }
        static func missing(_ statement: Statement) -> String {
            if let sid = statement.sid, !sid.value.isEmpty {
                return "statement '\(sid.value)' has no 'Resource' or 'NotResource' element"
            }
            return "statement \(statement.index) has no 'Resource' or 'NotResource' element"
        }
    }
}
