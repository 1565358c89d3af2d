import IAMPolicy

/// DSN008: `Resource: "*"` grants actions of a service the design scopes beyond the environment's scope.
public struct WildcardResourceOutsideEnvironmentScope: Rule {
    public static let description = RuleDescription(
        code: "DSN008",
        name: "wildcard-resource-outside-environment-scope",
        title: "Resource \"*\" grants actions of a scoped service beyond the environment's scope",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        With a design file, reports `"Resource": "*"` (or an all-wildcard ARN such as `arn:*:*:*:*:*`) in an \
        Allow statement of an environment's permission policy that grants actions of a service the design scopes \
        (`docs/design-file.md`): actions that support resource-level permissions in the action catalog, literal, matched by \
        a pattern or by `service:*`, and actions that accept only `*` but have a condition key holding the ARN of a \
        resource the scope names (`lambda:CreateEventSourceMapping` and `lambda:FunctionArn`) when no condition \
        on that key keeps them inside the scope. The message gives the scope's concrete ARN patterns for each \
        group of actions, placeholders expanded for the environment, and the working form of the actions that \
        accept only `*`. Actions that accept only `*` with no such key (`lambda:ListFunctions`, \
        `cloudformation:ValidateTemplate`) are not reported, nor are services the design does not scope (PRIV003 \
        weighs them) and statements another rule reports for a more specific reason: `*` actions (PRIV001), \
        `NotAction` (PRIV005), credential reads (PRIV006), IAM writes (PRIV007), `iam:PassRole` (PRIV004), and \
        statements a resource-tag condition scopes. PRIV003 leaves the actions of scoped services to this rule. \
        The examples use the design of DSN005 (account `111122223333`, region `eu-west-1`, environment `dev` \
        scoped to Lambda functions `deploy-dev-*` and event source mappings, SQS queues `deploy-*-queue-dev`, \
        DynamoDB tables `deploy-dev-*`, IAM roles, log groups and its stack).
        """,
        rationale: """
        A design that scopes a service says which of its resources the environment's deploy may touch. On `*` \
        the actions touch every resource of their type in the account instead: every function, queue or stack, \
        another environment's and other applications' included, so a workflow that can assume the dev role can \
        rewrite production functions. For actions that support resource-level permissions the Service \
        Authorization Reference lists the resource types and ARN formats they act on, so the statement can name \
        the scope's patterns. Actions that accept only `*` cannot be narrowed by `Resource`; where the reference \
        gives them a condition key holding the resource's ARN, that key narrows them: \
        `lambda:CreateEventSourceMapping` stays on `*` under `ArnLike` on `lambda:FunctionArn` with the scope's \
        function pattern, in a statement of its own (the key is absent from the other actions' requests, so the \
        condition would deny them). Splitting those actions out is the usual reason a stricter policy \
        "failed" and was widened to `*`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html",
            "https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "LambdaFunctions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:TagResource"],
                  "Resource": "*"
                },
                {
                  "Sid": "LambdaFunctionsAndEventSources",
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionConfiguration", "lambda:CreateEventSourceMapping", "lambda:ListFunctions"],
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource", "/Statement/1/Resource"], design: .example, environment: "dev"),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["sqs:CreateQueue", "sqs:GetQueueAttributes", "dynamodb:DescribeTable", "states:StartExecution"],
                  "Resource": "arn:aws:*:*:*:*"
                },
                {
                  "Effect": "Allow",
                  "Action": "lambda:CreateEventSourceMapping",
                  "Resource": "*",
                  "Condition": {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:*"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource", "/Statement/1/Resource"], design: .example, environment: "dev"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "LambdaFunctions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:TagResource"],
                  "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"
                },
                {
                  "Sid": "LambdaCreateEventSourceMapping",
                  "Effect": "Allow",
                  "Action": "lambda:CreateEventSourceMapping",
                  "Resource": "*",
                  "Condition": {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"}}
                },
                {
                  "Sid": "NoResourceLevelPermissions",
                  "Effect": "Allow",
                  "Action": ["lambda:ListFunctions", "lambda:GetAccountSettings", "cloudformation:ValidateTemplate", "logs:DescribeLogGroups"],
                  "Resource": "*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // Services the design does not scope, and statements other rules report for a more specific reason.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["states:StartExecution", "sns:Publish"],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["iam:CreateRole", "iam:PassRole"],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": "lambda:UpdateFunctionCode",
                  "Resource": "*",
                  "Condition": {"StringEquals": {"aws:ResourceTag/env": "dev"}}
                },
                {
                  "Effect": "Deny",
                  "Action": "lambda:DeleteFunction",
                  "Resource": "*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // Without a design, `*` is the least-privilege rules' question (PRIV003).
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode"],
                  "Resource": "*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let placement = DesignPlacement(context) else { return [] }
        return WildcardScopeReview.of(policy, placement: placement).items.map { item in
            Violation(at: item.value, Message.beyondScope(item, environment: placement.environment.name))
        }
    }

    private enum Message {
        static func beyondScope(_ item: WildcardScopeReview.Item, environment: String) -> String {
            let count = item.actionCount
            let services = item.services.count == 1 ? item.services[0]
                : item.services.dropLast().joined(separator: ", ") + " and " + (item.services.last ?? "")
            var parts = item.groups.prefix(4).map { group in
                let names = ScopeSuggestion.list(group.actions.map(\.description), limit: 3)
                return group.patterns.isEmpty ? "the scope names no resource of \(names)"
                    : "scope to \(quotedList(group.patterns)) (\(names))"
            }
            if item.groups.count > 4 { parts.append("and \(item.groups.count - 4) more groups of actions") }
            let ownStatement = item.grantsOtherActions ? " in a statement of its own" : ""
            parts += item.conditioned.map { conditioned in
                "\(conditioned.action) accepts only \"*\": grant it\(ownStatement) with the condition "
                    + condition(key: conditioned.key, patterns: conditioned.patterns)
            }
            return "resource \(ScopeSuggestion.quoted(item.value.value)) grants \(count) \(services) action\(count == 1 ? "" : "s") "
                + "outside the scope of environment '\(environment)': " + parts.joined(separator: "; ")
        }

        /// `{"ArnLike": {"KEY": "PATTERN"}}`, or with a list of patterns: the condition as it is written in a policy.
        static func condition(key: String, patterns: [String]) -> String {
            let values = patterns.map { "\"\($0)\"" }
            let value = values.count == 1 ? values[0] : "[" + values.joined(separator: ", ") + "]"
            return "{\"ArnLike\": {\"\(key)\": \(value)}}"
        }
    }
}
