/// What deploying a CloudFormation resource type asks of the deploying role: the IAM actions its create, update and
/// delete handlers need in every deploy, the property that names a resource of the type, and the ARN format (from
/// the action catalog) that names it in policies.
///
/// The actions are the minimal set `scripts/generate-resource-handlers.py` chooses from the registry schema's
/// handler permissions (``ResourceHandlersData``): the type's own service actions whose verb is the handler's
/// (`sqs:CreateQueue`, `sqs:SetQueueAttributes`, `sqs:DeleteQueue`), never the optional ones a property may add.
///
/// References: AWS CloudFormation CLI, "Resource type schema" (`handlers`, `permissions`)
/// (https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html); Service
/// Authorization Reference, the resource types and ARN formats of each service
/// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
public struct ResourceHandlers: Sendable, Hashable {
    /// The CloudFormation type, e.g. `AWS::SQS::Queue`.
    public let type: String
    /// The IAM service prefix, e.g. `sqs`.
    public let service: String
    /// The IAM resource type whose ARN format names the resource, e.g. `queue`.
    public let iamResourceType: String
    /// The property whose value is the resource's name in its ARN; nil when the name is generated.
    public let nameProperty: String?
    /// The qualified actions (`sqs:CreateQueue`) of each handler.
    public let create: [String]
    public let update: [String]
    public let delete: [String]
    /// Every service the type's handlers may call, optional actions included (`dynamodb`, `kinesis`, `kms`, …).
    public let servicesCalled: [String]

    /// Each handler's actions with the handler's name (`create`, `update`, `delete`).
    public var handlerActions: [(handler: String, actions: [String])] {
        [("create", create), ("update", update), ("delete", delete)]
    }

    /// Resource type → its handlers, parsed once from the generated table.
    public static let byType: [String: ResourceHandlers] = {
        var table: [String: ResourceHandlers] = [:]
        for line in ResourceHandlersData.records.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8 else { continue }
            func actions(_ field: String) -> [String] {
                field.split(separator: ",").map { "\(fields[1]):\($0)" }
            }
            table[fields[0]] = ResourceHandlers(type: fields[0], service: fields[1], iamResourceType: fields[2],
                                                nameProperty: fields[3].isEmpty ? nil : fields[3],
                                                create: actions(fields[4]), update: actions(fields[5]), delete: actions(fields[6]),
                                                servicesCalled: fields[7].split(separator: ",").map(String.init))
        }
        return table
    }()

    /// The ARN format of the resource type, as the catalog writes it (`arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`).
    public var arnFormat: String? {
        ActionCatalog.shared.service(service)?.resourceTypes.first { $0.name == iamResourceType }?.arnFormat.template
    }

    /// The ARN of the resource named `name`: the format's one placeholder other than partition, region and account
    /// holds the name. Nil when the format is unknown.
    public func arn(name: String, partition: String, region: String, account: String) -> String? {
        guard let format = arnFormat else { return nil }
        var result = ""
        var rest = Substring(format)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return nil }
            switch rest[open.upperBound..<close] {
            case "Partition": result += partition
            case "Region": result += region
            case "Account": result += account
            default: result += name
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The resource to ask about `action` (qualified) on for a resource of this type: `*` for an action without
    /// resource-level permissions (only `Resource: "*"` grants it), `arn` for an action that takes this type, and
    /// nil when the action takes other resource types only (a collection such as API Gateway's `/restapis`) or the
    /// ARN is not known.
    public func requestResource(for action: String, arn: String?) -> String? {
        guard let entry = ActionCatalog.shared.action(action) else { return arn }
        if !entry.supportsResourceLevelPermissions { return "*" }
        return entry.resourceTypes.contains { $0.name == iamResourceType } ? arn : nil
    }
}
