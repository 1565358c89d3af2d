import IAMPolicy

/// IAM036: a policy value of a template depends on something the template does not fix, and is read as the value
/// that admits the most.
///
/// The engine reports this rule from what the template source says while reading.
public struct TemplateValueReadWidest: LoaderReportedRule {
    public static let description = RuleDescription(
        code: "IAM036",
        name: "template-value-read-widest",
        title: "Template policy value not known; read as admitting the most",
        level: .note,
        securitySeverity: 2.0,
        summary: "Notes a value of a template's policy that depends on a parameter without default, an import, an attribute or a generated name, and says how it was read: as `*` in Action, Resource and principals, a Deny that depends on it as denying nothing, a condition on it as always true.",
        rationale: """
        A template's policy is only known once CloudFormation resolves its intrinsic functions. iam-audit evaluates \
        `Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`, `Fn::If` (every branch), `Fn::Select`, `Fn::Split` and \
        `Fn::FindInMap` over the template's parameters (their allowed values or default), pseudo parameters (from the \
        design when it gives them) and resources. Where a value stays unknown, reading it as anything narrower \
        could hide access, so the other findings on the policy assume the widest value; this note says which value \
        that was. Give the parameter a default or allowed values, or declare the account and region in the design, \
        to have the exact value checked.
        """,
        references: [
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",
        ],
        reportedBy: .loader,
        triggeringExamples: [
            RuleExample("""
            {
              "AWSTemplateFormatVersion": "2010-09-09",
              "Parameters": {"BucketName": {"Type": "String"}},
              "Resources": {
                "ReadPolicy": {
                  "Type": "AWS::IAM::ManagedPolicy",
                  "Properties": {
                    "PolicyDocument": {
                      "Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                     "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${BucketName}/*"}}]
                    }
                  }
                }
              }
            }
            """, pointers: ["/Resources/ReadPolicy/Properties/PolicyDocument/Statement/0/Resource"], fileName: "template.json"),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "AWSTemplateFormatVersion": "2010-09-09",
              "Parameters": {"BucketName": {"Type": "String", "Default": "reports"}},
              "Resources": {
                "ReadPolicy": {
                  "Type": "AWS::IAM::ManagedPolicy",
                  "Properties": {
                    "PolicyDocument": {
                      "Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                     "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${BucketName}/*"}}]
                    }
                  }
                }
              }
            }
            """, fileName: "template.json"),
        ]
    )

    public init() {}
}
