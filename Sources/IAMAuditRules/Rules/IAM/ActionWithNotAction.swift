import IAMPolicy

/// IAM006: a statement with both `Action` and `NotAction`.
public struct ActionWithNotAction: Rule {
    public static let description = RuleDescription(
        code: "IAM006",
        name: "action-with-not-action",
        title: "Statement has both Action and NotAction",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports a statement that has both an `Action` and a `NotAction` element, at `NotAction`.",
        rationale: """
        A statement names its actions with exactly one of `Action` (these actions) or `NotAction` (every action \
        but these). IAM rejects a statement with both, and a reader cannot tell which one the author meant: \
        `NotAction` widens the statement to every other action of every service. Keep the one you mean; to \
        exclude a few actions from a grant, write an `Allow` with `Action` and a separate `Deny` with the \
        exceptions.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:*",
                  "NotAction": "s3:DeleteBucket",
                  "Resource": "arn:aws:s3:::example-bucket"
                }
              ]
            }
            """, pointers: ["/Statement/0/NotAction"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Deny",
                "Action": ["iam:CreateUser", "iam:CreateAccessKey"],
                "NotAction": ["iam:Get*", "iam:List*"],
                "Resource": "*"
              }
            }
            """, pointers: ["/Statement/NotAction"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*"},
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::example-bucket"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "NotAction": ["iam:Get*", "iam:List*"],
                  "Resource": "arn:aws:iam::111122223333:role/*",
                  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap { statement in
            guard statement.elements.contains(where: { $0.value == "Action" }),
                  let notAction = statement.elements.last(where: { $0.value == "NotAction" }) else { return nil }
            // NotAction of the wrong JSON type is located at its key (IAM012 reports the type).
            guard let list = statement.notAction else { return Violation(at: notAction, Message.both(nil)) }
            return Violation(at: list, Message.both(list.values))
        }
    }

    private enum Message {
        static func both(_ values: [String]?) -> String {
            guard let values, !values.isEmpty else { return "statement has both 'Action' and 'NotAction'" }
            let shown = values.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (values.count > 3 ? ", …" : "")
            return "statement has both 'Action' and 'NotAction' (\(shown))"
        }
    }
}
