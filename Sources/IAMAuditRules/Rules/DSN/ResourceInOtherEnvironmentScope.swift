import IAMPolicy

/// DSN006: a resource of an environment's permission policy reaches into another environment's scope.
public struct ResourceInOtherEnvironmentScope: Rule {
    public static let description = RuleDescription(
        code: "DSN006",
        name: "resource-in-other-environment-scope",
        title: "Resource reaches into another environment's scope",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        With a design file, reports a `Resource` value of an Allow statement in an environment's permission \
        policy that matches ARNs outside the environment's own scope and inside another environment's scope for \
        the same service: the dev role touching prod's functions, queues or tables. Reported instead of DSN005 \
        for that value, with an ARN of the other environment it reaches. Patterns the environments share by \
        construction (the SAM artifact bucket, `event-source-mapping:*`, IAM role patterns that can both match a \
        name) are not findings: only the part of a value outside its own scope counts. The examples use a design \
        whose `dev` and `prod` environments scope Lambda functions to `deploy-dev-*` and `deploy-prod-*`, SQS \
        queues to `deploy-*-queue-dev` and `deploy-*-queue-prod`, DynamoDB tables to `deploy-dev-*` and \
        `deploy-prod-*`, and IAM roles to `deploy-ENV-*` and `deploy-*-role-ENV`.
        """,
        rationale: """
        Separate roles per environment only separate anything if each role's permissions stay in its \
        environment. A dev permission that reaches prod resources lets every workflow that can assume the dev \
        role (usually far more of them, on unprotected branches) change production: update its functions, \
        purge its queues, delete its tables. Narrow the value to the environment's own patterns \
        (`${stackName}-*`, `…-${env}`), never a prefix the environments share.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionCode", "lambda:GetFunction"],
                  "Resource": [
                    "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*",
                    "arn:aws:lambda:eu-west-1:111122223333:function:deploy-prod-*"
                  ]
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource/1"], design: .example, environment: "dev"),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["sqs:CreateQueue", "sqs:SetQueueAttributes"],
                  "Resource": "arn:aws:sqs:eu-west-1:111122223333:deploy-*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["dynamodb:DescribeTable", "dynamodb:DeleteTable"],
                  "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource", "/Statement/1/Resource"], design: .example, environment: "prod"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["lambda:UpdateFunctionCode", "lambda:GetFunction"],
                  "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["sqs:CreateQueue", "sqs:SetQueueAttributes"],
                  "Resource": "arn:aws:sqs:eu-west-1:111122223333:deploy-*-queue-dev"
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // `role/deploy-dev-*` can name `deploy-dev-x-role-prod`, which prod's `role/deploy-*-role-prod` also
            // matches: an overlap of the design's own patterns, inside dev's scope, so not a finding.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
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
                  "Action": "lambda:GetFunction",
                  "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:legacy-*"
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
            guard case .otherEnvironmentScope(let service, let scope, let other, let example) = item.verdict else { return nil }
            return Violation(at: item.value,
                             "resource '\(item.value.value)' reaches into the \(service) scope of environment '\(other)'"
                             + (example == item.value.value ? "" : " (e.g. '\(example)')")
                             + "; the \(service) scope of environment '\(environment)' is \(quotedList(scope))")
        }
    }
}
