import IAMPolicy

/// DSN011: a deploy role's statement grants actions of a service no template of its environment needs.
public struct DeployRoleGrantsUnneededService: ProjectRule {
    public static let description = RuleDescription(
        code: "DSN011",
        name: "deploy-role-grants-unneeded-service",
        title: "The deploy role grants a service no template of its environment needs",
        level: .note,
        securitySeverity: 2.0,
        summary: """
        With a design file whose environment deploys templates (`templates`) and lists its deploy role's \
        `permissionPolicies`, reports an Allow statement of those policies whose `Action` names only services \
        that no template of the environment may call, at its `Action`. What a template may call is what \
        CloudFormation and SAM call themselves (`cloudformation`, `s3`), every service the CloudFormation registry \
        lists in the create, read, update and delete handler permissions of its resource types (optional ones \
        included, SAM types expanded), and what its dynamic references and SSM parameter types read. The tightest \
        statement that would do is none: the message says to remove it. Statements with a wildcard in a service \
        name or with `NotAction` are PRIV001 and PRIV005's to judge. An environment whose templates the run did not \
        all read, or one of whose templates holds a resource type iam-audit cannot place (a custom resource), gives \
        no finding. The examples use the design of DSN009.
        """,
        rationale: """
        A deploy role is assumed by a workflow on every push: whatever it grants beyond what the deploy needs is \
        yours to lose if that workflow, one of its actions or the repository is compromised. A service none of the \
        stack's resources is made of is usually left over from a resource since removed, or meant for a step the \
        pipeline runs with another role. Remove the statement, or give that step its own role.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
        ],
        reportedBy: .project,
        triggeringExamples: [
            RuleExample(DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues, """
                            {
                              "Sid": "ReadSecrets",
                              "Effect": "Allow",
                              "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                              "Resource": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:deploy/dev/*"
                            }
                        """).source, pointers: ["/Statement/2/Action"], kind: .identity, fileName: DeployRoleExamples.permissionPolicy,
                        design: DeployRoleExamples.design, environment: "dev",
                        companions: [RuleExample.Companion(DeployRoleExamples.template, DeployRoleExamples.template())]),
        ],
        nonTriggeringExamples: [
            RuleExample(DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues).source, kind: .identity,
                        fileName: DeployRoleExamples.permissionPolicy, design: DeployRoleExamples.design, environment: "dev",
                        companions: [RuleExample.Companion(DeployRoleExamples.template, DeployRoleExamples.template())]),
            // The template reads a secret with a dynamic reference: the deploy needs Secrets Manager.
            RuleExample(DeployRoleExamples.policy(DeployRoleExamples.tablesAndQueues, """
                            {
                              "Effect": "Allow",
                              "Action": "secretsmanager:GetSecretValue",
                              "Resource": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:deploy/dev/*"
                            }
                        """).source, kind: .identity, fileName: DeployRoleExamples.permissionPolicy,
                        design: DeployRoleExamples.design, environment: "dev",
                        companions: [RuleExample.Companion(DeployRoleExamples.template, DeployRoleExamples.template("""

                              Token:
                                Type: AWS::SSM::Parameter
                                Properties:
                                  Type: String
                                  Value: "{{resolve:secretsmanager:deploy/dev/token}}"
                            """))]),
        ]
    )

    public init() {}

    public func check(_ project: Project) -> [ProjectViolation] {
        project.deployRoleReview.unneeded.compactMap { item in
            guard let actions = item.statement.action else { return nil }
            return ProjectViolation(file: item.policy.file, violation: Violation(at: actions, Message.unneeded(item)),
                                    environment: item.environment)
        }
    }

    private enum Message {
        static func unneeded(_ item: DeployRoleReview.Unneeded) -> String {
            let name = item.statement.sid.map { "statement '\($0.value)'" } ?? "statement \(item.statement.index)"
            return "\(name) grants the deploy role of environment '\(item.environment)' \(item.services.joined(separator: ", ")) "
                + "actions, which no resource of \(item.templates.joined(separator: ", ")) needs: remove the statement"
        }
    }
}
