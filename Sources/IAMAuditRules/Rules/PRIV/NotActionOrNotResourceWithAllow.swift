import IAMPolicy

/// PRIV005: `NotAction` or `NotResource` in an Allow statement of a permission policy.
public struct NotActionOrNotResourceWithAllow: Rule {
    public static let description = RuleDescription(
        code: "PRIV005",
        name: "not-action-or-not-resource-with-allow",
        title: "NotAction or NotResource in an Allow statement",
        level: .warning,
        securitySeverity: 8.0,
        summary: """
        Reports a `NotAction` or `NotResource` element in an `Allow` statement of an identity or resource policy, \
        each at the element.
        """,
        rationale: """
        With `Allow`, `NotAction` grants every action of every service except those listed, and `NotResource` grants \
        the statement's actions on every resource except those listed: what the statement allows is everything the \
        author did not think of, including services and resources created after the policy was written. AWS's \
        documentation asks for care with either element under `Allow`, as it can grant more permissions than \
        intended, and says never to combine `"Action": "*"` with `NotResource` under `Allow`. Exclusions belong \
        in a `Deny` statement; allow by listing: the actions in `Action`, the resources in `Resource`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "EverythingButIam",
                  "Effect": "Allow",
                  "NotAction": ["iam:*", "organizations:*"],
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/NotAction"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "NotResource": "arn:aws:s3:::ai-multi-comms-prod-artifacts/*"
                },
                {
                  "Effect": "Allow",
                  "NotAction": "s3:DeleteBucket",
                  "NotResource": ["arn:aws:s3:::ai-multi-comms-prod-artifacts", "arn:aws:s3:::ai-multi-comms-prod-artifacts/*"]
                }
              ]
            }
            """, pointers: ["/Statement/0/NotResource", "/Statement/1/NotAction", "/Statement/1/NotResource"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "DenyAllButIamWithoutMfa",
                  "Effect": "Deny",
                  "NotAction": ["iam:*", "sts:GetSessionToken"],
                  "Resource": "*",
                  "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
                },
                {
                  "Sid": "ProtectProdArtifacts",
                  "Effect": "Deny",
                  "Action": "s3:DeleteObject",
                  "NotResource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
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
                  "Action": ["s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        PermissionStatement.all(in: policy).flatMap { statement -> [Violation] in
            var violations: [Violation] = []
            if let notAction = statement.statement.notAction {
                violations.append(Violation(at: notAction, Message.notAction(notAction, statement)))
            }
            if let notResource = statement.statement.notResource {
                violations.append(Violation(at: notResource, Message.notResource(notResource)))
            }
            return violations
        }
    }

    private enum Message {
        static func notAction(_ element: LocatedList<String>, _ statement: PermissionStatement) -> String {
            let listed = element.items.count == 1 ? "the one listed" : "the \(element.items.count) listed"
            let scope = statement.statement.resource == nil && statement.statement.notResource == nil
                ? "" : " " + ScopeSuggestion.resourceScope(of: statement)
            return "'NotAction' with 'Allow' grants every action of every service except \(listed)\(scope)"
        }

        static func notResource(_ element: LocatedList<String>) -> String {
            let listed = element.items.count == 1 ? "the one listed" : "the \(element.items.count) listed"
            return "'NotResource' with 'Allow' grants the statement's actions on every resource except \(listed)"
        }
    }
}
