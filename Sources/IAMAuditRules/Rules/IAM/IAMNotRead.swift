import IAMPolicy

/// IAM037: a file grants permissions iam-audit cannot read, so its audit is incomplete.
///
/// The engine reports this rule from what a source says while reading a file.
public struct IAMNotRead: LoaderReportedRule {
    public static let description = RuleDescription(
        code: "IAM037",
        name: "iam-not-read",
        title: "Permissions iam-audit cannot read",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports IAM that a file grants but iam-audit does not read — a SAM policy template it does not know, a policy document that is neither an object nor a JSON string — so a run never passes on permissions it did not see.",
        rationale: """
        A quiet run must mean every permission was checked. When a template grants permissions in a form iam-audit \
        does not read, the rest of the file is still audited, but the run fails on this finding rather than \
        passing silently. Write the statements out, or suppress the finding with a reasoned `ignore` entry in the \
        design once they have been reviewed.
        """,
        references: [
            "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html",
        ],
        reportedBy: .loader,
        triggeringExamples: [
            RuleExample("""
            {
              "Transform": "AWS::Serverless-2016-10-31",
              "Resources": {
                "Handler": {
                  "Type": "AWS::Serverless::Function",
                  "Properties": {
                    "Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "src/",
                    "Policies": [{"DynamoDbCrudPolicy": {"TableName": "orders"}}]
                  }
                }
              }
            }
            """, pointers: ["/Resources/Handler/Properties/Policies/0/DynamoDbCrudPolicy"], fileName: "template.json"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Transform": "AWS::Serverless-2016-10-31",
              "Resources": {
                "Handler": {
                  "Type": "AWS::Serverless::Function",
                  "Properties": {
                    "Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "src/",
                    "Policies": [{"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                                                 "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]}]
                  }
                }
              }
            }
            """, fileName: "template.json"),
        ]
    )

    public init() {}
}
