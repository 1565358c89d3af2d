import IAMAuditRules
import IAMPolicy
import Testing

/// The resources a template read as an environment's stack creates, as the deploy-role rules (DSN009, DSN010) see
/// them: SAM types expanded, names resolved with the stack's parameters, conditions the stack does not settle true
/// left out.
@Suite("Resources a stack deploys")
struct DeployedResourcesTests {
    static let template = """
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Parameters:
      Env:
        Type: String
      Extra:
        Type: String
        Default: "no"
    Conditions:
      IsDev: !Equals [!Ref Env, dev]
      IsProd: !Equals [!Ref Env, prod]
      WantsExtra: !Equals [!Ref Extra, "yes"]
    Resources:
      Worker:
        Type: AWS::Serverless::Function
        Properties:
          FunctionName: !Sub app-worker-${Env}
          Events:
            Jobs:
              Type: SQS
              Properties:
                Queue: !GetAtt Jobs.Arn
            Http:
              Type: Api
              Properties:
                Path: /
                Method: get
      Jobs:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub app-jobs-${Env}
      DevOnly:
        Type: AWS::SNS::Topic
        Condition: IsDev
        Properties:
          TopicName: !Sub app-dev-only-${Env}
      ProdOnly:
        Type: AWS::SNS::Topic
        Condition: IsProd
      Maybe:
        Type: AWS::SNS::Topic
        Condition: WantsExtra
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: v1
      Unlisted:
        Type: Custom::Thing
    """

    @Test func samTypesExpandAndTheStackSettlesNamesAndConditions() {
        var dev = Design.Environment(name: "dev", stackName: "app-dev", permissionPolicies: ["dev.json"])
        dev.templates = ["template.yaml"]
        dev.parameters = ["Env": "dev"]
        let design = Design(file: "iam-audit.json", account: "111122223333", region: "eu-west-1", environments: [dev])
        let audit = Auditor(design: design).audit(file: "template.yaml", bytes: Array(Self.template.utf8), stacks: [dev])
        let found = audit.facts.deployedResources.map { "\($0.logicalId) \($0.type) \($0.name ?? "-") \($0.pointer) \($0.environment)" }
        #expect(found == [
            "Worker AWS::Lambda::Function app-worker-dev /Resources/Worker/Properties/FunctionName dev",
            "WorkerRole AWS::IAM::Role - /Resources/Worker/Type dev",
            "WorkerJobs AWS::Lambda::EventSourceMapping - /Resources/Worker/Properties/Events/Jobs/Type dev",
            "Jobs AWS::SQS::Queue app-jobs-dev /Resources/Jobs/Properties/QueueName dev",
            "DevOnly AWS::SNS::Topic app-dev-only-dev /Resources/DevOnly/Properties/TopicName dev",
            "Api AWS::ApiGateway::RestApi - /Resources/Api/Type dev",
        ], "\(found)")
        // Read without a stack, a template deploys nothing.
        #expect(Auditor(design: design).audit(file: "template.yaml", bytes: Array(Self.template.utf8)).facts.deployedResources.isEmpty)
    }

    @Test func theHandlerTableNamesTheSeedsTypes() throws {
        let queue = try #require(ResourceHandlers.byType["AWS::SQS::Queue"])
        #expect(queue.create == ["sqs:CreateQueue"] && queue.update == ["sqs:SetQueueAttributes"] && queue.delete == ["sqs:DeleteQueue"])
        #expect(queue.arn(name: "app-jobs-dev", partition: "aws", region: "eu-west-1", account: "111122223333")
                == "arn:aws:sqs:eu-west-1:111122223333:app-jobs-dev")
        let logs = try #require(ResourceHandlers.byType["AWS::Logs::LogGroup"])
        #expect(logs.arn(name: "/aws/lambda/f", partition: "aws", region: "eu-west-1", account: "1")
                == "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f")
        for type in ["AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::SNS::Topic", "AWS::IAM::Role", "AWS::SecretsManager::Secret",
                     "AWS::CloudWatch::Alarm", "AWS::ApiGateway::RestApi", "AWS::Lambda::EventSourceMapping"] {
            let handlers = try #require(ResourceHandlers.byType[type], "\(type)")
            #expect(!handlers.create.isEmpty && !handlers.delete.isEmpty && handlers.arnFormat != nil, "\(type)")
        }
        // An action without resource-level permissions is asked about on "*".
        let mapping = try #require(ResourceHandlers.byType["AWS::Lambda::EventSourceMapping"])
        #expect(mapping.requestResource(for: "lambda:CreateEventSourceMapping", arn: nil) == "*")
    }
}
