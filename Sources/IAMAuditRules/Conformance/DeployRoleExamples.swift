import IAMPolicy

/// The skeletons of the deploy-role rules' examples: a design whose `dev` environment deploys `template.yaml`, a
/// small SAM template naming its resources `deploy-<component>-<env>`, and the deploy role's permission policy.
enum DeployRoleExamples {
    static let template = "template.yaml"
    static let permissionPolicy = "dev/permissions-policy.json"

    /// Account `111122223333`, region `eu-west-1`; environment `dev` deploys `template.yaml` as stack `deploy-dev`
    /// with `Env` = `dev`, by the role whose permission policy is `dev/permissions-policy.json`.
    static let design: Design = {
        var dev = Design.Environment(name: "dev", branch: "develop", githubEnvironment: "dev", stackName: "deploy-dev",
                                     role: "deploy-dev", trustPolicy: "dev/trust-policy.json", permissionPolicies: [permissionPolicy])
        dev.templates = [template]
        dev.parameters = ["Env": "dev"]
        return Design(file: "iam-audit.json", partition: "aws", account: "111122223333", region: "eu-west-1",
                      github: Design.GitHub(repository: "example-org/deploy", audience: "sts.amazonaws.com"), environments: [dev])
    }()

    /// A template with a DynamoDB table `deploy-orders-<env>` and an SQS queue `deploy-orders-queue-<env>`, and
    /// `extra` resources appended (YAML, indented by four spaces).
    static func template(_ extra: String = "") -> String {
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env:
            Type: String
        Resources:
          OrdersTable:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub deploy-orders-${Env}
              BillingMode: PAY_PER_REQUEST
          OrdersQueue:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub deploy-orders-queue-${Env}
        """ + extra
    }

    /// The deploy role's permission policy: `statements` (JSON objects) inside a policy document.
    static func policy(_ statements: String...) -> RuleExample.Companion {
        RuleExample.Companion(permissionPolicy, """
        {
          "Version": "2012-10-17",
          "Statement": [
        \(statements.joined(separator: ",\n"))
          ]
        }
        """, environment: "dev", kind: .identity)
    }

    /// The statement that lets the role manage the template's table and queue.
    static let tablesAndQueues = """
        {
          "Effect": "Allow",
          "Action": ["dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable", "dynamodb:DescribeTable"],
          "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/deploy-*-dev"
        },
        {
          "Effect": "Allow",
          "Action": ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:GetQueueAttributes"],
          "Resource": "arn:aws:sqs:eu-west-1:111122223333:deploy-*-queue-dev"
        }
    """
}
