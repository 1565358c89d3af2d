import IAMPolicy

/// DSN009: the deploy role of the environment that deploys a template cannot create, update or delete one of the
/// template's resources.
public struct DeployRoleCannotManageResource: ProjectRule {
    public static let description = RuleDescription(
        code: "DSN009",
        name: "deploy-role-cannot-manage-resource",
        title: "The environment's deploy role cannot create, update or delete a resource of its template",
        level: .error,
        securitySeverity: 2.0,
        summary: """
        With a design file whose environment deploys a template (`templates`) and lists its deploy role's \
        `permissionPolicies`, names every resource the template creates (SAM types expanded as the SAM transform \
        does), resolving the name property (`TableName`, `QueueName`, `FunctionName`, `LogGroupName`, `RoleName`, \
        `TopicName`, …) through the intrinsics with the environment's stack parameters, builds its ARN from the \
        action catalog's ARN format, and reports the resource at its name property when those policies grant none of \
        an action its create, update or delete handler needs on that ARN. The actions are the minimal ones of the \
        CloudFormation registry's handler permissions (the type's own service actions whose verb is the handler's, \
        such as `dynamodb:CreateTable`, `dynamodb:UpdateTable`, `dynamodb:DeleteTable`); an action without \
        resource-level permissions is asked about on `*`. The message names the resource, the action, the ARN and \
        the environment. Only certain failures are reported: an Allow's conditions are taken to hold and a Deny's \
        not to. A resource whose name is generated or left open by the stack is asked about only for actions that \
        take no resource. A resource of a service the role has no statement for is DSN010's finding instead. \
        Templates no environment deploys, environments without `permissionPolicies`, and policies the run did not \
        read give no finding. The examples use a design whose `dev` environment deploys `template.yaml` with \
        `Env` = `dev` in account `111122223333`, region `eu-west-1`.
        """,
        rationale: """
        CloudFormation creates, updates and deletes a stack's resources with the deploying role's permissions: an \
        action the role lacks fails the deploy and rolls the stack back. The usual cause is a deploy policy scoped \
        to a naming convention the template does not follow (`app-dev-*` for a table named `app-orders-dev`), and \
        the usual workaround, widening the policy to `*`, loses the scope altogether. Scope the policy to the names \
        the template really gives its resources, or name the resources the way the policy expects.
        """,
        references: [
            "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        ],
        reportedBy: .project,
        triggeringExamples: [
            // The table's policy assumes `deploy-dev-*`; the template names it `deploy-orders-dev`.
            RuleExample(DeployRoleExamples.template(), pointers: ["/Resources/OrdersTable/Properties/TableName"],
                        fileName: DeployRoleExamples.template, design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy("""
                            {
                              "Effect": "Allow",
                              "Action": ["dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable"],
                              "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/deploy-dev-*"
                            },
                            {
                              "Effect": "Allow",
                              "Action": ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue"],
                              "Resource": "arn:aws:sqs:eu-west-1:111122223333:deploy-*-queue-dev"
                            }
                        """)]),
            // An unconditional Deny of deletes blocks the queue's delete handler.
            RuleExample(DeployRoleExamples.template(), pointers: ["/Resources/OrdersQueue/Properties/QueueName"],
                        fileName: DeployRoleExamples.template, design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues, """
                            {"Effect": "Deny", "Action": "sqs:Delete*", "Resource": "*"}
                        """)]),
        ],
        nonTriggeringExamples: [
            RuleExample(DeployRoleExamples.template(), fileName: DeployRoleExamples.template, design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues)]),
            // A conditional Deny may not apply, and a conditional Allow may grant: never reported.
            RuleExample(DeployRoleExamples.template(), fileName: DeployRoleExamples.template, design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues, """
                            {"Effect": "Deny", "Action": "sqs:Delete*", "Resource": "*",
                             "Condition": {"Bool": {"aws:ViaAWSService": "false"}}}
                        """)]),
            // No design environment deploys the template: nothing to check it against.
            RuleExample(DeployRoleExamples.template(), fileName: "other.yaml", design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy("""
                            {"Effect": "Allow", "Action": "sqs:GetQueueUrl", "Resource": "*"}
                        """)]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        project.deployRoleReview.blocked.map { $0.resource.violation(Message.blocked($0)) }
    }

    private enum Message {
        static func blocked(_ item: DeployRoleReview.Blocked) -> String {
            let also = item.otherActions.isEmpty ? "" : " (nor \(item.otherActions.joined(separator: ", ")))"
            return "the deploy role of environment '\(item.resource.environment)' cannot \(item.handler) resource "
                + "\(item.resource.logicalId): no statement of its policies allows \(item.action) on '\(item.arn)'\(also), "
                + "so the deploy fails"
        }
    }
}
