import IAMPolicy

/// PRIV003: `Resource: "*"` in an Allow statement for actions that could be scoped to resources.
public struct WildcardResourceForScopableActions: Rule {
    public static let description = RuleDescription(
        code: "PRIV003",
        name: "wildcard-resource-for-scopable-actions",
        title: "Resource \"*\" for actions that support resource-level permissions",
        level: .warning,
        securitySeverity: 8.0,
        summary: """
        Reports `"Resource": "*"` (or an all-wildcard ARN such as `arn:*:*:*:*:*`) in an `Allow` statement of an \
        identity or resource policy when some of the statement's actions, literal or matched by a pattern, support \
        resource-level permissions in the action catalog. The message lists the actions that could be scoped and \
        the ARN shape of the resource each needs, and names the actions of the statement that must stay on `*`. \
        Statements whose actions all lack resource-level support (`lambda:ListFunctions`, \
        `cloudformation:ValidateTemplate`, `logs:DescribeLogGroups`, `lambda:CreateEventSourceMapping`) are never \
        reported. Left to other rules: `*` and `service:*` values (PRIV001, PRIV002), `NotAction` (PRIV005), \
        `iam:PassRole` (PRIV004); a PRIV006 or PRIV007 finding on the same wildcard supersedes this one. A \
        condition that keeps the statement to resources carrying a tag (`…:ResourceTag/…` tested positively or \
        with `Null` `false`: attribute-based access control) counts as scoping. With a design file, the actions of services the environment's scope \
        covers are DSN008's (which names the scope's own ARN patterns), and only the other services' actions are \
        reported here.
        """,
        rationale: """
        `"Resource": "*"` lets the actions touch every resource of their type in the account (and in other \
        accounts whose resource policies admit the principal): every function, stack or queue, not only the \
        workload's. When an action supports \
        resource-level permissions, the Service Authorization Reference lists the resource types it acts on and \
        their ARN formats, so the statement can name the workload's resources instead (for example \
        `arn:aws:lambda:eu-north-1:111122223333:function:my-stack-*`). Actions with no resource type in the \
        reference (`lambda:ListFunctions`, `cloudformation:ValidateTemplate`) can only be granted on `*`: split them \
        into a statement of their own and scope the rest. This is the usual reason a stricter policy "failed" and \
        was widened to `*`: the no-resource actions were scoped with the others and were denied.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "LambdaFunctions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:GetFunction"],
                  "Resource": "*"
                },
                {
                  "Sid": "ListAndDeploy",
                  "Effect": "Allow",
                  "Action": ["lambda:ListFunctions", "cloudformation:DescribeStacks"],
                  "Resource": ["arn:aws:cloudformation:eu-north-1:337909745089:stack/ai-multi-comms-dev/*", "*"]
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource", "/Statement/1/Resource/1"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Action": ["sqs:Get*", "dynamodb:DescribeTable"],
                "Resource": "arn:aws:*:*:*:*"
              }
            }
            """, pointers: ["/Statement/Resource"]),
            // With a design that scopes Lambda (and not Step Functions), only the state machine action is left here.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionCode", "states:StartExecution"],
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource"], design: .example, environment: "dev"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "NoResourceLevelPermissions",
                  "Effect": "Allow",
                  "Action": ["lambda:ListFunctions", "lambda:GetAccountSettings", "cloudformation:ValidateTemplate", "logs:DescribeLogGroups"],
                  "Resource": "*"
                },
                {
                  "Sid": "LambdaCreateEventSourceMapping",
                  "Effect": "Allow",
                  "Action": "lambda:CreateEventSourceMapping",
                  "Resource": "*",
                  "Condition": {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"}}
                },
                {
                  "Sid": "LambdaFunctions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode"],
                  "Resource": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "TeamFunctionsByTag",
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionCode", "lambda:GetFunction"],
                  "Resource": "*",
                  "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
                },
                {
                  "Sid": "LeftToOtherRules",
                  "Effect": "Allow",
                  "Action": ["apigateway:*", "iam:PassRole", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                  "Resource": "*"
                },
                {
                  "Effect": "Deny",
                  "Action": "lambda:DeleteFunction",
                  "Resource": "*"
                }
              ]
            }
            """),
            // With a design that scopes Lambda and SQS, DSN008 reports this `*` with the scope's own ARNs.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "sqs:GetQueueAttributes"],
                  "Resource": "*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let statements = PermissionStatement.all(in: policy)
        guard statements.contains(where: { $0.everyResource != nil }) else { return [] }
        // With a design, the actions of the services the environment scopes are DSN008's.
        let scoped = DesignPlacement(context)?.scopedServices ?? []
        return statements.compactMap { statement in
            // PRIV006 and PRIV007 supersede this finding where they report the same wildcard (one root cause, one finding).
            guard let star = statement.everyResource, statement.statement.action != nil, !statement.limitedByResourceTag else { return nil }
            var (scopable, unscopable) = ScopeSuggestion.actions(of: statement)
            if !scoped.isEmpty {
                scopable.removeAll { scoped.contains($0.service) }
                unscopable.removeAll { scoped.contains($0.service) }
            }
            guard !scopable.isEmpty else { return nil }
            return Violation(at: star, Message.scopable(star.value, scopable, unscopable, known: ScopeSuggestion.KnownValues(context)))
        }
    }

    private enum Message {
        static func scopable(_ value: String, _ scopable: [Action], _ unscopable: [Action], known: ScopeSuggestion.KnownValues) -> String {
            let count = scopable.count == 1 ? "1 action that supports" : "\(scopable.count) actions that support"
            var text = "resource \(ScopeSuggestion.quoted(value)) grants \(count) resource-level permissions: scope "
                + ScopeSuggestion.scoping(scopable, filling: known)
            if !unscopable.isEmpty {
                text += "; only \(ScopeSuggestion.list(unscopable, limit: 8)) must stay on \"*\" (no resource-level permissions)"
            }
            return text
        }
    }
}
