import IAMPolicy

/// PRIV007: IAM write or permissions-management actions on every resource.
public struct IAMWriteOnAnyResource: Rule {
    public static let description = RuleDescription(
        code: "PRIV007",
        name: "iam-write-on-any-resource",
        title: "IAM write or permissions-management actions on every resource",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports `"Resource": "*"` (or an all-wildcard ARN) in an `Allow` statement of an identity or resource policy \
        that grants IAM actions whose access level in the action catalog is *Write* or *Permissions management* \
        and that support resource-level permissions (`iam:CreateRole`, `iam:PutRolePolicy`, `iam:CreateAccessKey`), \
        literally or through a pattern, `iam:*` or `NotAction` (`*` alone is PRIV001's). Not reported: \
        `iam:PassRole` (PRIV004); actions that can only be granted on `*` (`iam:UpdateAccountPasswordPolicy`); \
        `iam:CreateServiceLinkedRole` limited by a positive `iam:AWSServiceName` condition naming services; \
        statements a condition keeps to resources carrying a tag (`…:ResourceTag/…` tested positively or with \
        `Null` `false`). Reported at the wildcard resource; the finding supersedes PRIV003's on the same wildcard.
        """,
        rationale: """
        IAM writes change who may do what: create roles and users, attach or write policies, issue access keys, \
        reset passwords, rewrite trust policies. On `*` they apply to every principal and policy of the account, \
        so the principal can grant itself or a role it controls any permission; most of the documented AWS \
        privilege-escalation methods are one such action on `*`. A deploy role that manages its stack's roles \
        needs them only on those roles: scope the statement to the stack's ARN pattern \
        (`arn:aws:iam::111122223333:role/my-stack-*`), and consider a permissions boundary that the roles it \
        creates must carry (`iam:PermissionsBoundary`).
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
        ],
        supersedes: [Supersession("PRIV003", at: .samePointer, reason: """
            the IAM write is the graver finding on the same wildcard, and its message lists the scoping of the \
            statement's other actions too
            """)],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "IamStackRoles",
                  "Effect": "Allow",
                  "Action": ["iam:CreateRole", "iam:GetRole", "iam:PutRolePolicy", "iam:TagRole"],
                  "Resource": "*"
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
                  "Action": ["iam:Attach*", "iam:List*"],
                  "Resource": ["arn:aws:iam::337909745089:role/ai-multi-comms-dev-*", "*"]
                },
                {
                  "Effect": "Allow",
                  "Action": "iam:*",
                  "Resource": "arn:*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource/1", "/Statement/1/Resource"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "IamStackRoles",
                  "Effect": "Allow",
                  "Action": ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy"],
                  "Resource": "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*"
                },
                {
                  "Sid": "ReadIam",
                  "Effect": "Allow",
                  "Action": ["iam:Get*", "iam:List*", "iam:UpdateAccountPasswordPolicy"],
                  "Resource": "*"
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
                  "Action": "iam:CreateServiceLinkedRole",
                  "Resource": "*",
                  "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}
                },
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "*"
                },
                {
                  "Effect": "Deny",
                  "Action": "iam:*",
                  "Resource": "*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        zip(PermissionStatement.all(in: policy), IAMWrites.of(policy)).compactMap { statement, writes in
            guard let star = statement.everyResource, !writes.isEmpty else { return nil }
            return Violation(at: star, Message.writes(star.value, writes, statement, known: ScopeSuggestion.KnownValues(context)))
        }
    }

    private enum Message {
        static func writes(_ value: String, _ writes: [Action], _ statement: PermissionStatement, known: ScopeSuggestion.KnownValues) -> String {
            let levels = Set(writes.map(\.accessLevel))
            let kind = levels.count > 1 ? "write and permissions-management"
                : levels.contains(.write) ? "write" : "permissions-management"
            let count = writes.count == 1 ? "1 IAM \(kind) action" : "\(writes.count) IAM \(kind) actions"
            return "resource \(ScopeSuggestion.quoted(value)) grants \(count) on every IAM principal and policy: scope "
                + ScopeSuggestion.scoping(ScopeSuggestion.unique(ScopeSuggestion.actions(of: statement).scopable + writes), filling: known)
        }
    }
}
