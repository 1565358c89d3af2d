import IAMPolicy

/// A resource a stack creates, as the deploying role must manage it: its CloudFormation type (a SAM type's
/// expansion), its name where the template and the stack settle it, and where the template names it.
public struct DeployedResource: Sendable, Hashable {
    /// The logical id of the resource as written (`WhatsAppQueue`); for a resource SAM generates, the id SAM gives it
    /// (`ChannelRouterFunctionRole`).
    public var logicalId: String
    /// The type CloudFormation deploys, e.g. `AWS::Lambda::Function` for an `AWS::Serverless::Function`.
    public var type: String
    /// The resource's name, resolved through the intrinsics with the stack's parameters; nil when CloudFormation
    /// generates it or the template leaves it open (a condition or parameter the stack does not settle).
    public var name: String?
    /// The template file, and where the name is written (the name property's value; the `Type` when the name is
    /// generated; the event of a SAM function for the event source mapping it implies).
    public var file: String
    public var pointer: JSONPointer
    public var span: SourceSpan
    /// The design environment whose stack the template is read as.
    public var environment: String

    public init(logicalId: String, type: String, name: String?, file: String, pointer: JSONPointer, span: SourceSpan, environment: String) {
        self.logicalId = logicalId
        self.type = type
        self.name = name
        self.file = file
        self.pointer = pointer
        self.span = span
        self.environment = environment
    }

    /// A finding of a rule over the whole run at the resource's name, in its environment.
    public func violation(_ message: String) -> ProjectViolation {
        ProjectViolation(file: file, violation: Violation(pointer: pointer, span: span, message: message), environment: environment)
    }
}

/// The services a stack's deploy may call, from one template read as an environment's stack: those CloudFormation
/// and SAM call themselves (`cloudformation`, `s3` for packaged artifacts), every service the handlers of its
/// resource types may call (optional actions included), and those its dynamic references and SSM parameter types
/// read. `complete` is false when a resource's type says nothing certain (a custom resource, a type neither the
/// handler table nor the action catalog knows): no service can then be called unneeded.
public struct StackServices: Sendable, Hashable {
    public var file: String
    public var environment: String
    public var services: Set<String>
    public var complete: Bool

    public init(file: String, environment: String, services: Set<String>, complete: Bool) {
        self.file = file
        self.environment = environment
        self.services = services
        self.complete = complete
    }
}

extension TemplateReader {
    /// The types the SAM transform turns a SAM resource into, for the services they call.
    static let samExpansions: [String: [String]] = [
        "AWS::Serverless::Function": ["AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::EventSourceMapping",
                                      "AWS::Lambda::Permission", "AWS::Lambda::Version", "AWS::Lambda::Alias"],
        "AWS::Serverless::Api": ["AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage",
                                 "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::ApiKey"],
        "AWS::Serverless::HttpApi": ["AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"],
        "AWS::Serverless::SimpleTable": ["AWS::DynamoDB::Table"],
        "AWS::Serverless::StateMachine": ["AWS::StepFunctions::StateMachine", "AWS::IAM::Role"],
        "AWS::Serverless::LayerVersion": ["AWS::Lambda::LayerVersion"],
        "AWS::Serverless::Application": ["AWS::CloudFormation::Stack"],
    ]

    /// The services the stack of ``stack`` may call; nil without a stack.
    func stackServices() -> StackServices? {
        guard let environment = stack?.name else { return nil }
        var services: Set<String> = ["cloudformation", "s3"]
        var complete = true
        for member in tree["Resources"]?.objectValue ?? [] {
            guard let declared = member.value["Type"]?.stringValue else { continue }
            for type in Self.samExpansions[declared] ?? [declared] {
                if let handlers = ResourceHandlers.byType[type] {
                    services.formUnion(handlers.servicesCalled)
                    continue
                }
                let parts = type.split(separator: ":", omittingEmptySubsequences: true)
                let prefix = parts.count == 3 && parts[0] == "AWS" ? parts[1].lowercased() : ""
                if ActionCatalog.shared.service(prefix) != nil && prefix != "serverless" {
                    services.insert(prefix)
                } else {
                    complete = false
                }
            }
        }
        for member in tree["Parameters"]?.objectValue ?? [] where member.value["Type"]?.stringValue?.hasPrefix("AWS::SSM::") == true {
            services.insert("ssm")
        }
        func visit(_ node: JSONNode, depth: Int) {
            guard depth < 64 else { return }
            switch node.value {
            case .string(let text) where TemplateText.contains("{{resolve:", in: text):
                if TemplateText.contains("{{resolve:secretsmanager:", in: text) { services.insert("secretsmanager") }
                if TemplateText.contains("{{resolve:ssm", in: text) { services.insert("ssm") }
            case .object(let members): for member in members { visit(member.value, depth: depth + 1) }
            case .array(let elements): for element in elements { visit(element, depth: depth + 1) }
            default: break
            }
        }
        visit(tree, depth: 0)
        return StackServices(file: file, environment: environment, services: services, complete: complete)
    }

    /// The resources the stack of ``stack`` creates, SAM's types expanded as the SAM transform expands them:
    /// `AWS::Serverless::Function` is a function, plus a role when it names none and an event source mapping per
    /// `SQS`, `Kinesis`, `DynamoDB` or `MSK` event; `AWS::Serverless::Api` a REST API; `AWS::Serverless::SimpleTable`
    /// a DynamoDB table. A resource whose `Condition` the stack's parameters do not settle true is left out.
    ///
    /// References: AWS SAM Developer Guide, "Generated AWS CloudFormation resources for AWS SAM"
    /// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html).
    func deployedResources(model: TemplateModel) -> [DeployedResource] {
        guard let environment = stack?.name else { return [] }
        var result: [DeployedResource] = []
        let resourcesPointer = JSONPointer(tokens: ["Resources"])
        for member in tree["Resources"]?.objectValue ?? [] {
            let logicalId = member.key, resource = member.value
            let pointer = resourcesPointer.appending(logicalId)
            guard let declared = resource["Type"]?.stringValue else { continue }
            // A resource under a condition the stack's parameters do not settle true may not be created: not checked.
            if let condition = resource["Condition"]?.stringValue, model.fixedConditions[condition] != true { continue }
            let typeSite = (pointer.appending("Type"), resource["Type"]?.span ?? resource.span)
            let properties = resource["Properties"]
            func add(_ id: String, _ type: String, nameProperty: String?, site: (JSONPointer, SourceSpan)) {
                var name: String?
                var place = site
                if let nameProperty, let node = properties?[nameProperty] {
                    place = (pointer.appending("Properties").appending(nameProperty), node.span)
                    var intrinsics = TemplateIntrinsics(template: model)
                    intrinsics.unchosenAreHoles = true
                    if let value = intrinsics.evaluate(node, pointer: place.0)?.stringValue, !TemplateIntrinsics.holds(value) {
                        name = value
                        if type == "AWS::IAM::Role", let path = properties?["Path"] {
                            var pathIntrinsics = TemplateIntrinsics(template: model)
                            let text = pathIntrinsics.evaluate(path, pointer: pointer)?.stringValue
                            name = text.flatMap { TemplateIntrinsics.holds($0) ? nil : String($0.drop { $0 == "/" }) + value }
                        }
                    }
                }
                result.append(DeployedResource(logicalId: id, type: type, name: name, file: file, pointer: place.0, span: place.1,
                                               environment: environment))
            }
            switch declared {
            case "AWS::Serverless::Function":
                add(logicalId, "AWS::Lambda::Function", nameProperty: "FunctionName", site: typeSite)
                if properties?["Role"] == nil { add(logicalId + "Role", "AWS::IAM::Role", nameProperty: nil, site: typeSite) }
                for event in properties?["Events"]?.objectValue ?? [] {
                    guard let kind = event.value["Type"]?.stringValue, ["SQS", "Kinesis", "DynamoDB", "MSK"].contains(kind) else { continue }
                    let eventPointer = pointer.appending("Properties").appending("Events").appending(event.key).appending("Type")
                    add(logicalId + event.key, "AWS::Lambda::EventSourceMapping", nameProperty: nil,
                        site: (eventPointer, event.value["Type"]?.span ?? event.value.span))
                }
            case "AWS::Serverless::Api":
                add(logicalId, "AWS::ApiGateway::RestApi", nameProperty: nil, site: typeSite)
            case "AWS::Serverless::SimpleTable":
                add(logicalId, "AWS::DynamoDB::Table", nameProperty: "TableName", site: typeSite)
            default:
                guard let handlers = ResourceHandlers.byType[declared] else { continue }
                add(logicalId, declared, nameProperty: handlers.nameProperty, site: typeSite)
            }
        }
        return result
    }
}
