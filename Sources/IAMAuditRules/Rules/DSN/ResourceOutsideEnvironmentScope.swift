import IAMPolicy

/// DSN005: a resource of an environment's permission policy lies outside the environment's resource scope.
public struct ResourceOutsideEnvironmentScope: Rule {
    public static let description = RuleDescription(
        code: "DSN005",
        name: "resource-outside-environment-scope",
        title: "Resource lies outside the environment's scope",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        With a design file, reports a `Resource` value of an Allow statement in an environment's permission \
        policy that matches ARNs outside the environment's scope for the value's service (the service field of \
        its ARN), when the design scopes that service (`docs/design-file.md`). Containment is decided on ARN pattern \
        languages, field by field; the message names an ARN outside the scope and the scope's patterns. A value \
        that names every resource (`*`, `arn:aws:*:*:*:*`) is weighed by the actions it grants (DSN008, PRIV003), \
        and a value that reaches into another environment's scope is DSN006's finding instead. The examples use a design for account `111122223333`, region `eu-west-1`, whose \
        `dev` environment is scoped to Lambda functions `deploy-dev-*`, SQS queues `deploy-*-queue-dev`, DynamoDB \
        tables `deploy-dev-*`, IAM roles `deploy-dev-*` and `deploy-*-role-dev`, log groups \
        `/aws/lambda/deploy-dev-*`, its stack and the SAM transform.
        """,
        rationale: """
        The scope is what the environment's deploy is meant to touch: its stack's functions, queues, tables, \
        roles and log groups. A resource beyond it lets the deploy role (and whoever can run its workflow) \
        change things the design never gave it, such as another application's functions or shared tables, and \
        a region or account wildcard stretches it to every region or account. Narrow the value to the scope's \
        patterns, or widen the design's `resources` if the resource really belongs to the environment.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionCode", "lambda:GetFunction"],
                  "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:legacy-*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource"], design: .example, environment: "dev"),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["dynamodb:DescribeTable", "dynamodb:UpdateTable"],
                  "Resource": [
                    "arn:aws:dynamodb:eu-west-1:111122223333:table/deploy-dev-*",
                    "arn:aws:dynamodb:eu-west-1:111122223333:table/shared-config"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                  "Resource": "arn:aws:logs:*:111122223333:log-group:/aws/lambda/deploy-dev-*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource/1", "/Statement/1/Resource"], design: .example, environment: "dev"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"],
                  "Resource": [
                    "arn:aws:cloudformation:eu-west-1:111122223333:stack/deploy-dev/*",
                    "arn:aws:cloudformation:eu-west-1:aws:transform/Serverless-2016-10-31"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionCode", "lambda:GetFunction"],
                  "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping"],
                  "Resource": "arn:aws:lambda:eu-west-1:111122223333:event-source-mapping:*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["iam:GetRole", "iam:PutRolePolicy"],
                  "Resource": [
                    "arn:aws:iam::111122223333:role/deploy-dev-*",
                    "arn:aws:iam::111122223333:role/deploy-*-role-dev"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": "apigateway:GET",
                  "Resource": "arn:aws:apigateway:eu-west-1::/restapis/*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // `*` is weighed by the actions it grants (DSN008, PRIV003); these accept only `*`.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:ListFunctions", "cloudformation:ValidateTemplate"],
                  "Resource": "*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let placement = DesignPlacement(context) else { return [] }
        let environment = placement.environment.name
        return ResourceScopeReview.of(policy, placement: placement).items.compactMap { item in
            guard case .outsideScope(let service, let scope, let example) = item.verdict else { return nil }
            let value = item.value.value
            let instance = example == value ? "" : " (e.g. '\(example)')"
            return Violation(at: item.value,
                             "resource '\(value)' lies outside the \(service) scope of environment '\(environment)'\(instance); the scope is \(quotedList(scope))")
        }
    }
}
