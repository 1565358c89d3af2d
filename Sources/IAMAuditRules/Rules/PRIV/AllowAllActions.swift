import IAMPolicy

/// PRIV001: `Action: "*"` in an Allow statement of a permission policy.
public struct AllowAllActions: Rule {
    public static let description = RuleDescription(
        code: "PRIV001",
        name: "allow-all-actions",
        title: "Allow statement grants every action of every service",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports an `Action` value of an `Allow` statement in an identity or resource policy that is `*` (or `*:*`): \
        every action of every AWS service. Trust policies are left to the trust rules.
        """,
        rationale: """
        `"Action": "*"` grants every action AWS has and every action it will add, on the statement's resources. On \
        `"Resource": "*"` it is full administrator access: the principal can read every secret, delete every \
        resource, and rewrite IAM to keep the access after the policy is gone. A deploy role never needs it. AWS's \
        first IAM best practice is to grant least privilege: list the actions the workload calls (`lambda:CreateFunction`, \
        `sqs:CreateQueue`, …), on the resources it manages. IAM Access Analyzer can generate such a policy from \
        CloudTrail activity, and a permissions boundary can cap a role whose policy must stay broad.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
            "https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "DeployEverything",
                  "Effect": "Allow",
                  "Action": "*",
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:GetFunction", "*:*"],
                  "Resource": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"
                },
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::337909745089:role/ops"},
                  "Action": "*",
                  "Resource": ["arn:aws:s3:::ai-multi-comms-dev-artifacts", "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"]
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1", "/Statement/1/Action"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "UpdateStackFunctions",
                  "Effect": "Allow",
                  "Action": ["lambda:GetFunction", "lambda:UpdateFunctionCode"],
                  "Resource": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"
                },
                {
                  "Sid": "NothingElse",
                  "Effect": "Deny",
                  "Action": "*",
                  "Resource": "*",
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}
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
                  "Action": ["s3:GetObject", "ec2:Describe*"],
                  "Resource": "*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        PermissionStatement.all(in: policy).compactMap { statement in
            guard let grant = statement.grants.first(where: { $0.shape == .everyAction }) else { return nil }
            return Violation(pointer: grant.pointer, span: grant.span, message: Message.everyAction(grant, statement))
        }
    }

    private enum Message {
        static func everyAction(_ grant: ActionGrant, _ statement: PermissionStatement) -> String {
            "action '\(grant.text)' grants every action of every service \(ScopeSuggestion.resourceScope(of: statement))"
        }
    }
}
