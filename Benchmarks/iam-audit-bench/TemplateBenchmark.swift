// Templates: the YAML reader's throughput and a generated SAM template of about 5,000 lines audited end to end.

import Foundation
import IAMAuditRules
import IAMPolicy

/// A SAM template of `functions` functions, each with a queue, a table, an execution role with inline statements
/// scoped through `!Sub`/`!GetAtt`, and a policy template call: shaped like the seed system's template, repeated.
func generatedSAMTemplate(functions: Int) -> String {
    var lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31",
                 "Parameters:", "  Env:", "    Type: String", "    AllowedValues: [dev, prod]", "Resources:"]
    for index in 0..<functions {
        lines += [
            "  Queue\(index):", "    Type: AWS::SQS::Queue", "    Properties:",
            "      QueueName: !Sub ai-multi-comms-component\(index)-queue-${Env}",
            "      VisibilityTimeout: 900",
            "  Table\(index):", "    Type: AWS::DynamoDB::Table", "    Properties:",
            "      TableName: !Sub ai-multi-comms-${Env}-table\(index)",
            "      BillingMode: PAY_PER_REQUEST",
            "      AttributeDefinitions:", "        - AttributeName: id", "          AttributeType: S",
            "      KeySchema:", "        - AttributeName: id", "          KeyType: HASH",
            "  Role\(index):", "    Type: AWS::IAM::Role", "    Properties:",
            "      RoleName: !Sub ai-multi-comms-component\(index)-role-${Env}",
            "      AssumeRolePolicyDocument:", "        Version: '2012-10-17'", "        Statement:",
            "          - Effect: Allow", "            Principal:", "              Service: lambda.amazonaws.com",
            "            Action: sts:AssumeRole",
            "      Policies:", "        - PolicyName: access", "          PolicyDocument:", "            Version: '2012-10-17'",
            "            Statement:",
            "              - Effect: Allow", "                Action: [sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage]",
            "                Resource: !GetAtt Queue\(index).Arn",
            "              - Effect: Allow", "                Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]",
            "                Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/ai-multi-comms-${Env}-table\(index)",
            "  Function\(index):", "    Type: AWS::Serverless::Function", "    Properties:",
            "      FunctionName: !Sub ai-multi-comms-component\(index)-${Env}",
            "      Handler: app.handler", "      Runtime: python3.12", "      CodeUri: src/",
            "      Role: !GetAtt Role\(index).Arn",
            "      Policies:", "        - SQSPollerPolicy:", "            QueueName: !GetAtt Queue\(index).QueueName",
        ]
    }
    return lines.joined(separator: "\n") + "\n"
}

func runTemplateBenchmark(_ options: Options) {
    print("Templates:")
    let template = generatedSAMTemplate(functions: 102)
    let bytes = Array(template.utf8)
    let lineCount = template.split(separator: "\n", omittingEmptySubsequences: false).count
    let parser = YAMLParser(options: YAMLParser.Options(cloudFormationTags: true))
    let reading = best(options.repetitions) { _ = try? parser.parse(bytes) }
    print(String(format: "  YAML reader (%d lines, %.0f KB)          %9.1f ms %9.1f MB/s", lineCount, Double(bytes.count) / 1024,
                 reading * 1000, Double(bytes.count) / 1_048_576 / reading))
    let auditor = Auditor()
    var findings = 0
    let audit = best(options.repetitions) { findings = auditor.audit(file: "template.yaml", bytes: bytes, jobs: 2).findings.count }
    print(String(format: "  SAM template audited in process        %9.1f ms  %d findings (target: < 50 ms)", audit * 1000, findings))
    guard FileManager.default.isExecutableFile(atPath: options.tool) else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iam-audit-bench-template-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("template.yaml")
    guard (try? Data(bytes).write(to: file)) != nil else { return }
    var fastest = Double.infinity
    for _ in 0..<max(1, options.repetitions) {
        fastest = min(fastest, spawn(options.tool, [file.path, "--format", "json", "--fail-on", "never"]).seconds)
    }
    print(String(format: "  SAM template, shipped binary           %9.1f ms  (%d lines)", fastest * 1000, lineCount))
}
