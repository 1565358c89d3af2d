import IAMPolicy

/// DSN007: a resource ARN of an environment's permission policy names another partition, account or region.
public struct ResourceInOtherAccountOrRegion: Rule {
    public static let description = RuleDescription(
        code: "DSN007",
        name: "resource-in-other-account-or-region",
        title: "Resource ARN is in another account, region or partition than the design's",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        With a design file, reports a `Resource` ARN of an Allow statement in an environment's permission policy \
        whose partition, region or account cannot be the design's: a region other than the design's (an empty \
        region, as global services write, and `*` are not), an account other than the design's (empty, `*` and \
        `aws`, the account of resources AWS owns such as the SAM transform, are not). A value already reported by \
        DSN005 or DSN006 is not reported again. The examples use a design for partition `aws`, account \
        `111122223333` and region `eu-west-1`, which scopes neither API Gateway nor Secrets Manager.
        """,
        rationale: """
        The design deploys one account in one region. A resource ARN elsewhere is either a copy-paste leftover \
        (the permission then grants nothing the deploy needs, and the deploy may fail) or a grant into an \
        account or region the design does not cover, where nobody reviews what the deploy role does. Correct \
        the account or region, or, if the access is intended, record it in the design.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["apigateway:GET", "apigateway:PATCH"],
                  "Resource": [
                    "arn:aws:apigateway:eu-west-1::/restapis/*",
                    "arn:aws:apigateway:us-east-1::/restapis/*"
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
                  "Action": "secretsmanager:GetSecretValue",
                  "Resource": "arn:aws:secretsmanager:eu-west-1:444455556666:secret:deploy/dev/*"
                },
                {
                  "Effect": "Allow",
                  "Action": "apigateway:GET",
                  "Resource": "arn:aws-cn:apigateway:cn-north-1::/restapis/*"
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
                  "Action": "cloudformation:CreateChangeSet",
                  "Resource": "arn:aws:cloudformation:eu-west-1:aws:transform/Serverless-2016-10-31"
                },
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::aws-sam-cli-managed-default-samclisourcebucket-*/*"
                },
                {
                  "Effect": "Allow",
                  "Action": "apigateway:GET",
                  "Resource": "arn:aws:apigateway:eu-west-1::/restapis/*"
                },
                {
                  "Effect": "Allow",
                  "Action": "secretsmanager:GetSecretValue",
                  "Resource": "arn:aws:secretsmanager:*:111122223333:secret:deploy/dev/*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
            // A scoped service in another region is outside the scope: DSN005 reports it, once.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "lambda:GetFunction",
                  "Resource": "arn:aws:lambda:us-east-1:111122223333:function:deploy-dev-*"
                }
              ]
            }
            """, design: .example, environment: "dev"),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let placement = DesignPlacement(context) else { return [] }
        return ResourceScopeReview.of(policy, placement: placement).items.compactMap { item in
            guard case .otherLocation(let mismatches) = item.verdict else { return nil }
            let parts = mismatches.map { "\($0.field) '\($0.value)' (the design's is '\($0.expected)')" }
            return Violation(at: item.value, "resource '\(item.value.value)' names \(parts.joined(separator: " and "))")
        }
    }
}
