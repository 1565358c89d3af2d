import IAMPolicy

/// IAM021: a `Resource`/`NotResource` value, or the ARN of an `AWS` or `Federated` principal, that is a
/// malformed ARN.
public struct InvalidARN: Rule {
    public static let description = RuleDescription(
        code: "IAM021",
        name: "invalid-arn",
        title: "Resource or principal ARN is malformed",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a `Resource` or `NotResource` value other than `*`, and an `arn:` value of an `AWS` or `Federated` \
        principal, that is not a well-formed ARN: no `arn:` prefix, fewer than six `:`-separated fields, an unknown \
        partition, an empty or non-lowercase service, a Region that is not a Region code (or any Region for IAM, STS, \
        CloudFront, Route 53 and S3 buckets and objects), an account that is neither empty, 12 digits, `aws` nor a \
        wildcard (unfilled placeholders such as `YOUR_ACCOUNT_ID` or `${AWS_ACCOUNT_ID}` above all), or an empty \
        resource part.
        """,
        rationale: """
        A malformed ARN matches no real resource or principal. IAM rejects many of them when the policy is saved \
        ("Invalid principal in policy", "MalformedPolicyDocument"), so the deployment that carries the policy fails; \
        the others are accepted and silently match nothing, so the permission the statement was written for never \
        takes effect, and a Deny or NotResource written with one protects nothing. Templates committed with an \
        unfilled account placeholder are the common case: the role's trust policy names an OIDC provider in account \
        `YOUR_ACCOUNT_ID`, which cannot exist. Write `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with the real \
        12-digit account id and Region code (`eu-north-1`); leave the Region empty for IAM, STS, CloudFront and \
        Route 53, and both Region and account empty for S3 buckets and objects (`arn:aws:s3:::bucket/key`). `*` and \
        `?` may stand in any field, policy variables such as `${aws:username}` may be used, and AWS-owned resources \
        use the account `aws` (`arn:aws:iam::aws:policy/ReadOnlyAccess`, \
        `arn:aws:cloudformation:REGION:aws:transform/Serverless-2016-10-31`).
        """,
        references: [
            "https://docs.aws.amazon.com/general/latest/gr/aws-arns-and-namespaces.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "sqs:SendMessage",
                  "Resource": [
                    "arn:aws:sqs:eu-north1:337909745089:ai-multi-comms-whatsapp-queue-dev",
                    "arn:aws:sqs:eu-north-1:YOUR_ACCOUNT_ID:ai-multi-comms-email-queue-dev"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam:eu-north-1:337909745089:role/ai-multi-comms-dev-lambda-role"
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": ["arn:aws:s3:::example-bucket/*", "example-bucket/*", "arn:aws:s3:::"]
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource/0", "/Statement/0/Resource/1", "/Statement/1/Resource",
                            "/Statement/2/Resource/1", "/Statement/2/Resource/2"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::{AWS_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:environment:dev"
                    }
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::33790974508:root", "arn:aws:iam::337909745089:role/ops"]},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/Federated", "/Statement/1/Principal/AWS/0"]),
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
                    "arn:aws:cloudformation:eu-north-1:337909745089:stack/ai-multi-comms-dev/*",
                    "arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": ["dynamodb:GetItem", "logs:PutLogEvents", "iam:PassRole"],
                  "Resource": [
                    "arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-dev-*",
                    "arn:aws:logs:*:*:log-group:/aws/lambda/ai-multi-comms-dev-*",
                    "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:*",
                  "Resource": [
                    "arn:aws:s3:::example-bucket/home/${aws:username}/*",
                    "arn:aws:s3:us-east-1:123456789012:accesspoint/reports",
                    "arn:aws-us-gov:s3:::gov-archive",
                    "*"
                  ]
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
                  "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:environment:prod"
                    }
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::337909745089:root", "123456789012"]},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"sts:ExternalId": "ops-2026"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for statement in policy.document.statements {
            // IAM013 supersedes the finding on an empty string.
            for item in [statement.resource, statement.notResource].compactMap({ $0 }).flatMap(\.items) where item.value != "*" {
                if let defect = ARNDefect.find(in: item.value) {
                    violations.append(Violation(at: item, "resource '\(item.value)' \(defect.explanation)"))
                }
            }
            for element in [statement.principal, statement.notPrincipal].compactMap({ $0 }) {
                for entry in element.entries where entry.type.value == "AWS" || entry.type.value == "Federated" {
                    for item in entry.values.items where item.value.hasPrefix("arn:") {
                        if let defect = ARNDefect.find(in: item.value) {
                            violations.append(Violation(at: item, "principal '\(item.value)' \(defect.explanation)"))
                        }
                    }
                }
            }
        }
        return violations
    }
}
