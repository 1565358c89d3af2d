extension Design {
    /// The design the DSN rules' examples are audited with, shaped like the seed system's (DESIGN.md §2):
    /// repository `example-org/deploy` in account `111122223333`, region `eu-west-1`; environment `dev`
    /// deploys branch `develop` to GitHub environment `dev` and stack `deploy-dev`, environment `prod` branch
    /// `main` to `prod` and `deploy-prod`; each environment's scope covers its stack's Lambda functions, SQS
    /// queues, DynamoDB tables, IAM roles and log groups, plus the SAM transform.
    static let example = Design(
        file: "iam-audit.json",
        partition: "aws",
        account: "111122223333",
        region: "eu-west-1",
        github: GitHub(repository: "example-org/deploy", audience: "sts.amazonaws.com"),
        resources: [
            "cloudformation": [
                "arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/*",
                "arn:${partition}:cloudformation:${region}:aws:transform/Serverless-2016-10-31",
            ],
            "lambda": [
                "arn:${partition}:lambda:${region}:${account}:function:${stackName}-*",
                "arn:${partition}:lambda:${region}:${account}:event-source-mapping:*",
            ],
            "sqs": ["arn:${partition}:sqs:${region}:${account}:deploy-*-queue-${env}"],
            "dynamodb": ["arn:${partition}:dynamodb:${region}:${account}:table/deploy-${env}-*"],
            "iam": [
                "arn:${partition}:iam::${account}:role/deploy-${env}-*",
                "arn:${partition}:iam::${account}:role/deploy-*-role-${env}",
            ],
            "logs": ["arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/deploy-${env}-*"],
        ],
        environments: [
            Environment(name: "dev", branch: "develop", githubEnvironment: "dev", stackName: "deploy-dev",
                        role: "deploy-dev", trustPolicy: "dev/trust-policy.json",
                        permissionPolicies: ["dev/permissions-policy.json"]),
            Environment(name: "prod", branch: "main", githubEnvironment: "prod", stackName: "deploy-prod",
                        role: "deploy-prod", trustPolicy: "prod/trust-policy.json",
                        permissionPolicies: ["prod/permissions-policy.json"]),
        ]
    )
}
