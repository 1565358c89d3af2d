import IAMPolicy

/// What `Ref` and `Fn::GetAtt … .Arn` of a template's resources return, for the resource types whose names
/// policies refer to: built from the resource's name property (itself evaluated), or with a hole where
/// CloudFormation generates the name.
///
/// References: the "Return values" section of each resource type in the AWS CloudFormation User Guide's
/// "AWS resource and property types reference"
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html), and the
/// ARN formats of the Service Authorization Reference.
struct TemplateResourceNames: Sendable {
    /// Logical id → resource (its `Type` and `Properties`).
    private var resources: [String: JSONNode] = [:]

    init(resources: JSONNode?) {
        for member in resources?.objectValue ?? [] { self.resources[member.key] = member.value }
    }

    /// How one resource type is named.
    struct Naming {
        /// The property holding the name, when the template may set it.
        var nameProperty: String?
        /// The ARN, with `{name}` for the name and `{partition}`, `{region}`, `{account}`.
        var arn: String
        /// What `Ref` returns: the name, or the ARN.
        var refIsARN: Bool = false
        /// A path property (IAM roles and policies) placed before the name in the ARN.
        var pathProperty: String? = nil
    }

    static let namings: [String: Naming] = [
        "AWS::SQS::Queue": Naming(nameProperty: "QueueName", arn: "arn:{partition}:sqs:{region}:{account}:{name}"),
        "AWS::SNS::Topic": Naming(nameProperty: "TopicName", arn: "arn:{partition}:sns:{region}:{account}:{name}", refIsARN: true),
        "AWS::S3::Bucket": Naming(nameProperty: "BucketName", arn: "arn:{partition}:s3:::{name}"),
        "AWS::DynamoDB::Table": Naming(nameProperty: "TableName", arn: "arn:{partition}:dynamodb:{region}:{account}:table/{name}"),
        "AWS::DynamoDB::GlobalTable": Naming(nameProperty: "TableName", arn: "arn:{partition}:dynamodb:{region}:{account}:table/{name}"),
        "AWS::Serverless::SimpleTable": Naming(nameProperty: "TableName", arn: "arn:{partition}:dynamodb:{region}:{account}:table/{name}"),
        "AWS::Lambda::Function": Naming(nameProperty: "FunctionName", arn: "arn:{partition}:lambda:{region}:{account}:function:{name}"),
        "AWS::Serverless::Function": Naming(nameProperty: "FunctionName", arn: "arn:{partition}:lambda:{region}:{account}:function:{name}"),
        "AWS::IAM::Role": Naming(nameProperty: "RoleName", arn: "arn:{partition}:iam::{account}:role{path}{name}", pathProperty: "Path"),
        "AWS::IAM::ManagedPolicy": Naming(nameProperty: "ManagedPolicyName", arn: "arn:{partition}:iam::{account}:policy{path}{name}",
                                          refIsARN: true, pathProperty: "Path"),
        "AWS::IAM::User": Naming(nameProperty: "UserName", arn: "arn:{partition}:iam::{account}:user{path}{name}", pathProperty: "Path"),
        "AWS::IAM::Group": Naming(nameProperty: "GroupName", arn: "arn:{partition}:iam::{account}:group{path}{name}", pathProperty: "Path"),
        "AWS::Logs::LogGroup": Naming(nameProperty: "LogGroupName", arn: "arn:{partition}:logs:{region}:{account}:log-group:{name}:*"),
        "AWS::SecretsManager::Secret": Naming(nameProperty: "Name", arn: "arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-??????",
                                              refIsARN: true),
        "AWS::KMS::Key": Naming(nameProperty: nil, arn: "arn:{partition}:kms:{region}:{account}:key/{name}"),
        "AWS::StepFunctions::StateMachine": Naming(nameProperty: "StateMachineName", arn: "arn:{partition}:states:{region}:{account}:stateMachine:{name}",
                                                   refIsARN: true),
        "AWS::Serverless::StateMachine": Naming(nameProperty: "Name", arn: "arn:{partition}:states:{region}:{account}:stateMachine:{name}", refIsARN: true),
        "AWS::ECR::Repository": Naming(nameProperty: "RepositoryName", arn: "arn:{partition}:ecr:{region}:{account}:repository/{name}"),
        "AWS::Kinesis::Stream": Naming(nameProperty: "Name", arn: "arn:{partition}:kinesis:{region}:{account}:stream/{name}"),
        "AWS::Events::EventBus": Naming(nameProperty: "Name", arn: "arn:{partition}:events:{region}:{account}:event-bus/{name}"),
        "AWS::SSM::Parameter": Naming(nameProperty: "Name", arn: "arn:{partition}:ssm:{region}:{account}:parameter/{name}"),
    ]

    /// `Fn::GetAtt logicalId.attribute`, when known: the `Arn` of a resource type of ``namings``, or its name
    /// attribute (`QueueName`, `TopicName`) where the attribute is named like the name property.
    func attribute(_ attribute: String, of logicalId: String, template: inout TemplateIntrinsics) -> String? {
        guard let (naming, properties) = naming(of: logicalId) else { return nil }
        if attribute == "Arn" { return arn(naming, properties: properties, template: &template) }
        if attribute == naming.nameProperty { return name(naming, properties: properties, template: &template) }
        return nil
    }

    /// `Ref logicalId`, when known.
    func reference(to logicalId: String, template: inout TemplateIntrinsics) -> String? {
        // An OpenID Connect provider's Ref is its ARN: the provider's host and path after `oidc-provider/`.
        if let resource = resources[logicalId], resource["Type"]?.stringValue == "AWS::IAM::OIDCProvider" {
            guard let url = resource["Properties"]?["Url"] else { return nil }
            var host = evaluated(url, in: &template)
            for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host.removeFirst(scheme.count) }
            let pseudo = template.template.pseudoParameters
            return "arn:\(pseudo["AWS::Partition"] ?? String(TemplateIntrinsics.hole)):iam::"
                + "\(pseudo["AWS::AccountId"] ?? String(TemplateIntrinsics.accountHole)):oidc-provider/\(host)"
        }
        guard let (naming, properties) = naming(of: logicalId) else { return nil }
        if naming.refIsARN { return arn(naming, properties: properties, template: &template) }
        return name(naming, properties: properties, template: &template)
    }

    private func naming(of logicalId: String) -> (Naming, JSONNode?)? {
        guard let resource = resources[logicalId], let type = resource["Type"]?.stringValue, let naming = Self.namings[type] else { return nil }
        return (naming, resource["Properties"])
    }

    /// The resource's name property, evaluated in `template` (so the choices it depends on are the document's),
    /// one level deeper: a cycle of names ends in a hole.
    private func name(_ naming: Naming, properties: JSONNode?, template: inout TemplateIntrinsics) -> String {
        guard let property = naming.nameProperty, let node = properties?[property] else { return String(TemplateIntrinsics.generatedHole) }
        return evaluated(node, in: &template)
    }

    private func evaluated(_ node: JSONNode, in template: inout TemplateIntrinsics) -> String {
        guard template.nameDepth < 8 else { return String(TemplateIntrinsics.hole) }
        template.nameDepth += 1
        defer { template.nameDepth -= 1 }
        return template.evaluate(node, pointer: .root)?.stringValue ?? String(TemplateIntrinsics.hole)
    }

    private func arn(_ naming: Naming, properties: JSONNode?, template: inout TemplateIntrinsics) -> String {
        let hole = String(TemplateIntrinsics.hole)
        let pseudo = template.template.pseudoParameters
        var path = "/"
        if let property = naming.pathProperty, let node = properties?[property] {
            path = evaluated(node, in: &template)
        }
        var arn = naming.arn
        for (placeholder, value) in [("{partition}", pseudo["AWS::Partition"] ?? hole), ("{region}", pseudo["AWS::Region"] ?? hole),
                                     ("{account}", pseudo["AWS::AccountId"] ?? hole), ("{path}", path),
                                     ("{name}", name(naming, properties: properties, template: &template))] {
            arn = TemplateText.replacing(placeholder, in: arn, with: value)
        }
        return arn
    }
}
