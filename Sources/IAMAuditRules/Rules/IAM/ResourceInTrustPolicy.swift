import IAMPolicy

/// IAM008: `Resource` or `NotResource` in a role trust policy.
public struct ResourceInTrustPolicy: Rule {
    public static let description = RuleDescription(
        code: "IAM008",
        name: "resource-in-trust-policy",
        title: "Trust policy has Resource or NotResource",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports a `Resource` or `NotResource` element in a statement of a role trust policy.",
        rationale: """
        A role trust policy is attached to the role: the role is the resource, so its statements name who may \
        assume it (`Principal`) and how (`Action`), never a `Resource`. IAM rejects a trust policy with \
        `Resource` or `NotResource` ("has prohibited field Resource"), so the role cannot be created or updated. \
        It often means a permission statement was pasted into the trust policy, or the trust statement into a \
        permission policy. Remove the element; put the permissions the role grants in its permission policies.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Service": "lambda.amazonaws.com"},
                  "Action": "sts:AssumeRole",
                  "Resource": "arn:aws:iam::111122223333:role/example-function-role"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/example-ci"},
                  "Action": ["sts:AssumeRole", "sts:TagSession"],
                  "NotResource": "arn:aws:iam::111122223333:role/admin"
                }
              ]
            }
            """, pointers: ["/Statement/0/NotResource"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/example-deploy"}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .trust else { return [] }
        var violations: [Violation] = []
        for statement in policy.document.statements {
            for (name, list) in [("Resource", statement.resource), ("NotResource", statement.notResource)] {
                guard let key = statement.elements.last(where: { $0.value == name }) else { continue }
                if let list {
                    violations.append(Violation(at: list, Message.prohibited(name, list.values)))
                } else {
                    violations.append(Violation(at: key, Message.prohibited(name, [])))
                }
            }
        }
        return violations
    }

    private enum Message {
        static func prohibited(_ element: String, _ values: [String]) -> String {
            let shown = values.prefix(2).map { "'\($0)'" }.joined(separator: ", ") + (values.count > 2 ? ", …" : "")
            return "'\(element)' is not allowed in a role trust policy" + (shown.isEmpty ? "" : " (\(shown))")
        }
    }
}
