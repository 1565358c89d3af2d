import IAMPolicy

/// DSN010: a template uses a service its environment's deploy role has no statement for.
public struct DeployRoleLacksTemplateService: ProjectRule {
    public static let description = RuleDescription(
        code: "DSN010",
        name: "deploy-role-lacks-template-service",
        title: "The environment's deploy role has no statement for a service its template uses",
        level: .error,
        securitySeverity: 2.0,
        summary: """
        With a design file whose environment deploys a template (`templates`) and lists its deploy role's \
        `permissionPolicies`, reports each resource the template creates (SAM types expanded) whose service \
        (`sns` for `AWS::SNS::Topic`, `cloudwatch` for `AWS::CloudWatch::Alarm`) no Allow statement of those \
        policies grants any action of, at the resource's name property (or its `Type` when the name is generated). \
        The message names the resource, the service, the actions its handlers need and the environment. Templates \
        no environment deploys, environments without `permissionPolicies`, and policies the run did not read give \
        no finding. The examples use the design of DSN009.
        """,
        rationale: """
        CloudFormation creates a stack's resources with the deploying role's permissions: a resource of a service \
        the role was never given fails the first deploy that adds it (an alarm topic, a CloudWatch alarm added \
        after the deploy policy was written). Add a statement for the service, scoped to the names the template \
        gives its resources.
        """,
        references: [
            "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(DeployRoleExamples.template(Self.alertsTopic), pointers: ["/Resources/AlertsTopic/Properties/TopicName"],
                        fileName: DeployRoleExamples.template, design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues)]),
        ],
        nonTriggeringExamples: [
            RuleExample(DeployRoleExamples.template(Self.alertsTopic), fileName: DeployRoleExamples.template, design: DeployRoleExamples.design,
                        companions: [DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues, """
                            {
                              "Effect": "Allow",
                              "Action": ["sns:CreateTopic", "sns:SetTopicAttributes", "sns:DeleteTopic"],
                              "Resource": "arn:aws:sns:eu-west-1:111122223333:deploy-*-dev"
                            }
                        """)]),
        ]
    )

    /// An SNS topic `deploy-alerts-<env>`, appended to the examples' template.
    private static let alertsTopic = """

          AlertsTopic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub deploy-alerts-${Env}
        """

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        project.deployRoleReview.unserved.map { $0.resource.violation(Message.unserved($0)) }
    }

    private enum Message {
        static func unserved(_ item: DeployRoleReview.Unserved) -> String {
            "the deploy role of environment '\(item.resource.environment)' has no statement for \(item.service), which resource "
                + "\(item.resource.logicalId) (\(item.resource.type)) needs (\(item.actions.joined(separator: ", "))), so the deploy fails"
        }
    }
}
