import IAMPolicy

/// PRIV004: `iam:PassRole` on every role, or without an `iam:PassedToService` condition.
public struct PassRoleUnscoped: Rule {
    public static let description = RuleDescription(
        code: "PRIV004",
        name: "pass-role-unscoped",
        title: "iam:PassRole on every role or to any service",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports an `Allow` statement of an identity or resource policy that grants `iam:PassRole`, literally or \
        through `iam:Pass*`, `iam:*`, `*` or a `NotAction` that does not exclude it, either on every resource \
        (`"Resource": "*"`, an all-wildcard ARN, or `NotResource`) or without a positive `iam:PassedToService` \
        condition (`StringEquals`/`StringLike` naming a service, without `IfExists`). Reported at the action value \
        that grants it, or at the `NotAction` element.
        """,
        rationale: """
        Passing a role hands its permissions to a service: a Lambda function, an EC2 instance or a CloudFormation \
        stack created with the role then acts with everything the role may do. `iam:PassRole` on `*` lets the \
        principal pass any role of the account, an administrator role included, so it can do indirectly whatever \
        that role can: the most common step of AWS privilege escalation. Without `iam:PassedToService`, even a \
        role meant for Lambda can be passed to any service that accepts roles. Name the roles \
        (`arn:aws:iam::111122223333:role/my-stack-*`) and add \
        `"Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}`. IAM Access Analyzer \
        reports the first half as PASS_ROLE_WITH_STAR_IN_RESOURCE.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "IamStackRoles",
                  "Effect": "Allow",
                  "Action": ["iam:GetRole", "iam:PassRole"],
                  "Resource": "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*"
                },
                {
                  "Sid": "PassAnyRoleToLambda",
                  "Effect": "Allow",
                  "Action": "iam:Pass*",
                  "Resource": "*",
                  "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1", "/Statement/1/Action"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["iam:*"],
                  "Resource": "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*",
                  "Condition": {"StringLike": {"iam:PassedToService": "*"}}
                },
                {
                  "Effect": "Allow",
                  "NotAction": ["iam:CreateUser", "iam:DeleteUser"],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*",
                  "Condition": {"StringEqualsIfExists": {"iam:PassedToService": "lambda.amazonaws.com"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/0", "/Statement/1/NotAction", "/Statement/2/Action"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "IamPassStackRoles",
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": [
                    "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*",
                    "arn:aws:iam::337909745089:role/ai-multi-comms-*-role-dev"
                  ],
                  "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
                },
                {
                  "Sid": "ReadRoles",
                  "Effect": "Allow",
                  "Action": ["iam:GetRole", "iam:List*"],
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
                  "NotAction": ["iam:PassRole", "iam:Create*"],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["iam:PassRole", "s3:GetObject"],
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
                },
                {
                  "Effect": "Deny",
                  "Action": "iam:PassRole",
                  "Resource": "*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let passRole = PassRole.action
        return PermissionStatement.all(in: policy).compactMap { statement in
            guard let grant = statement.grant(of: PassRole.name) else { return nil }
            if let passRole, !statement.reaches(passRole) { return nil }
            let onEveryRole = statement.everyResource != nil || statement.excludesResources
            let toAnyService = statement.passedToServices == nil
            guard onEveryRole || toAnyService else { return nil }
            return Violation(pointer: grant.pointer, span: grant.span,
                             message: Message.unscoped(grant, statement, onEveryRole: onEveryRole, toAnyService: toAnyService))
        }
    }

    private enum Message {
        static func unscoped(_ grant: ActionGrant, _ statement: PermissionStatement, onEveryRole: Bool, toAnyService: Bool) -> String {
            let granted = switch grant.shape {
            case .literal: "'iam:PassRole'"
            case .notAction: "'iam:PassRole' (not excluded by 'NotAction')"
            default: "'iam:PassRole' (through '\(grant.text)')"
            }
            let roles = if let star = statement.everyResource {
                "on every role (resource \(ScopeSuggestion.quoted(star.value)))"
            } else if statement.excludesResources {
                "on every role not in 'NotResource'"
            } else {
                "on \(ScopeSuggestion.list(statement.resources.map(\.value), limit: 2))"
            }
            switch (onEveryRole, toAnyService) {
            case (true, true):
                return "\(granted) \(roles) without an 'iam:PassedToService' condition: any role, an administrator's included, can be passed to any service"
            case (true, false):
                let services = ScopeSuggestion.list(statement.passedToServices ?? [], limit: 3)
                return "\(granted) \(roles): any role, an administrator's included, can be passed to \(services)"
            default:
                return "\(granted) \(roles) without an 'iam:PassedToService' condition: the roles can be passed to any service, not only the one they are for"
            }
        }
    }
}
