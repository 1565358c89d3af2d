import IAMPolicy

/// How much an action grants, as the AWS Service Authorization Reference classifies it.
public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
    case list = "List"
    case read = "Read"
    case write = "Write"
    case tagging = "Tagging"
    case permissionsManagement = "Permissions management"

    /// The level for its one-letter code in the generated records (`R W L T P`).
    init?(code: UInt8) {
        switch code {
        case UInt8(ascii: "R"): self = .read
        case UInt8(ascii: "W"): self = .write
        case UInt8(ascii: "L"): self = .list
        case UInt8(ascii: "T"): self = .tagging
        case UInt8(ascii: "P"): self = .permissionsManagement
        default: return nil
        }
    }
}

/// The data type of a condition key, which decides the condition operators that suit it.
public enum ConditionKeyType: String, Sendable, Hashable, CaseIterable {
    case string = "String"
    case arn = "ARN"
    case bool = "Bool"
    case numeric = "Numeric"
    case date = "Date"
    case ipAddress = "IPAddress"
    case binary = "Binary"
    case arrayOfString = "ArrayOfString"
    case arrayOfARN = "ArrayOfARN"
    case arrayOfBool = "ArrayOfBool"
    case arrayOfNumeric = "ArrayOfNumeric"
    case arrayOfDate = "ArrayOfDate"
    case arrayOfIPAddress = "ArrayOfIPAddress"
    case arrayOfBinary = "ArrayOfBinary"

    /// Whether the key carries a list of values in the request (a multivalued key).
    public var isMultivalued: Bool { rawValue.hasPrefix("ArrayOf") }

    /// The type of one value: `String` for `ArrayOfString`, the type itself for single-valued keys.
    public var elementType: ConditionKeyType {
        switch self {
        case .arrayOfString: .string
        case .arrayOfARN: .arn
        case .arrayOfBool: .bool
        case .arrayOfNumeric: .numeric
        case .arrayOfDate: .date
        case .arrayOfIPAddress: .ipAddress
        case .arrayOfBinary: .binary
        default: self
        }
    }
}

/// A condition key the catalog knows: a literal name (`s3:prefix`) or a template
/// (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) whose placeholders stand for any non-empty text.
public struct ConditionKey: Sendable, Hashable, CustomStringConvertible {
    /// The name as the catalog spells it, placeholders included.
    public let name: String
    /// The documented types; empty when the source gives none, two for `aws:EpochTime` (Date or Numeric).
    public let types: [ConditionKeyType]
    /// Whether this is a documented global key (`aws:…`, or a cross-service key such as `ec2:SourceInstanceArn`).
    public let isGlobal: Bool

    init(name: String, types: [ConditionKeyType], isGlobal: Bool) {
        self.name = name
        self.types = types
        self.isGlobal = isGlobal
    }

    /// A key whose type is named as in the source (`String`, `ArrayOfARN`); an empty or unknown name gives no type.
    init(name: String, typeName: String, isGlobal: Bool) {
        let type = ConditionKeyType(rawValue: typeName)
        assert(typeName.isEmpty || type != nil, "unknown condition key type \(typeName)")
        self.init(name: name, types: type.map { ConditionKey.single[$0] ?? [$0] } ?? [], isGlobal: isGlobal)
    }

    /// One-element type lists, shared so that thousands of keys need no allocation of their own.
    private static let single: [ConditionKeyType: [ConditionKeyType]] =
        Dictionary(uniqueKeysWithValues: ConditionKeyType.allCases.map { ($0, [$0]) })

    /// The main type, or nil when the source gives none.
    public var type: ConditionKeyType? { types.first }

    /// Whether the name holds a placeholder (`${TagKey}`, `<key>`).
    public var isTemplate: Bool { pattern.hasWildcards }

    /// Whether `key`, as written in a policy, is this key: case-insensitive; each placeholder matches non-empty text.
    public func matches(_ key: String) -> Bool {
        pattern.matches(key)
    }

    /// The name as a pattern: placeholders are wildcards.
    var pattern: WildcardPattern { WildcardPattern(conditionKeyTemplate: name) }

    public var description: String { name }

    public static func == (lhs: ConditionKey, rhs: ConditionKey) -> Bool {
        lhs.name == rhs.name && lhs.types == rhs.types && lhs.isGlobal == rhs.isGlobal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
    }
}

/// A kind of resource a service defines, with the ARN format that names it.
///
/// A class: actions hold their resource types, and the least-privilege rules pass them around in hot loops,
/// where a reference costs one count where a struct of strings and arrays costs five.
public final class ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// The service prefix, e.g. `s3`.
    public let service: String
    /// The resource type's name, e.g. `object`.
    public let name: String
    /// The ARN format, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    public let arnFormat: ARNFormat
    /// Condition keys that apply to resources of this type.
    public let conditionKeys: [String]

    init(service: String, name: String, arnFormat: ARNFormat, conditionKeys: [String]) {
        self.service = service
        self.name = name
        self.arnFormat = arnFormat
        self.conditionKeys = conditionKeys
    }

    public var description: String { "\(service):\(name)" }

    public static func == (lhs: ResourceType, rhs: ResourceType) -> Bool {
        lhs === rhs || (lhs.service == rhs.service && lhs.name == rhs.name && lhs.arnFormat == rhs.arnFormat
            && lhs.conditionKeys == rhs.conditionKeys)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(service)
        hasher.combine(name)
    }
}

/// One resource type an action accepts in the `Resource` element.
public final class ActionResourceType: Sendable, Hashable, CustomStringConvertible {
    /// The resource type, with its ARN format.
    public let resourceType: ResourceType
    /// Whether the action always acts on a resource of this type (marked `*` in the AWS reference).
    public let isRequired: Bool
    /// Condition keys the reference lists for the action on this resource type.
    public let conditionKeys: [String]

    init(resourceType: ResourceType, isRequired: Bool, conditionKeys: [String]) {
        self.resourceType = resourceType
        self.isRequired = isRequired
        self.conditionKeys = conditionKeys
    }

    /// The resource type's name.
    public var name: String { resourceType.name }
    /// The resource type's ARN format.
    public var arnFormat: ARNFormat { resourceType.arnFormat }

    public var description: String { resourceType.name + (isRequired ? "*" : "") }

    public static func == (lhs: ActionResourceType, rhs: ActionResourceType) -> Bool {
        lhs === rhs || (lhs.resourceType == rhs.resourceType && lhs.isRequired == rhs.isRequired
            && lhs.conditionKeys == rhs.conditionKeys)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(resourceType)
        hasher.combine(isRequired)
    }
}

/// An IAM action such as `s3:GetObject`.
///
/// A value type over one shared, immutable record: rules pass actions around by the thousand (`ec2:Describe*`
/// alone grants hundreds), and hashing is one precomputed number.
public struct Action: Sendable, Hashable, CustomStringConvertible {
    /// The action's data, shared by every copy of the action and by its service.
    final class Record: Sendable {
        let service: String
        let name: String
        let accessLevel: AccessLevel
        let resourceTypes: [ActionResourceType]
        let requiredResourceTypes: [ActionResourceType]
        let conditionKeys: [String]
        let description: String
        let hash: Int

        init(service: String, name: String, accessLevel: AccessLevel, resourceTypes: [ActionResourceType], conditionKeys: [String]) {
            self.service = service
            self.name = name
            self.accessLevel = accessLevel
            self.resourceTypes = resourceTypes
            // Most actions need all of their types or none: those share the array rather than filter a copy.
            let required = resourceTypes.reduce(0) { $0 + ($1.isRequired ? 1 : 0) }
            self.requiredResourceTypes = required == 0 ? [] : required == resourceTypes.count ? resourceTypes
                : resourceTypes.filter(\.isRequired)
            self.conditionKeys = conditionKeys
            // `service:name` copied in two pieces, and its hash over the copy (FNV-1a, as fingerprints are):
            // this runs for every action of every service parsed.
            var service = service
            var name = name
            let description = service.withUTF8 { service in
                name.withUTF8 { name in
                    String(unsafeUninitializedCapacity: service.count + 1 + name.count) { buffer in
                        _ = buffer.initialize(fromContentsOf: service)
                        buffer[service.count] = UInt8(ascii: ":")
                        _ = UnsafeMutableBufferPointer(rebasing: buffer[(service.count + 1)...]).initialize(fromContentsOf: name)
                        return service.count + 1 + name.count
                    }
                }
            }
            self.description = description
            self.hash = Int(truncatingIfNeeded: FNV1a.hash64(description.utf8))
        }

        /// For an action with several resource types, all optional: the one its name names, if any.
        var namedResourceType: ActionResourceType? {
            requiredResourceTypes.isEmpty && resourceTypes.count > 1 ? Record.namedType(in: resourceTypes, action: name) : nil
        }

        /// The resource type the action's name names (`bucket` for `s3:ListBucket`, `object` for
        /// `s3:GetObject`): the longest type name, without spaces, hyphens and underscores, that the action name
        /// contains, ignoring case.
        private static func namedType(in types: [ActionResourceType], action: String) -> ActionResourceType? {
            // Over ASCII bytes: the catalog's action and type names are ASCII, and this runs for every action
            // of every service parsed.
            let name = action.utf8.map(ASCIICaseInsensitive.fold)
            var best: (type: ActionResourceType, length: Int)?
            for type in types {
                let key = type.name.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") }
                    .map(ASCIICaseInsensitive.fold)
                guard key.count <= name.count, key.count > best?.length ?? -1 else { continue }
                let found = key.isEmpty || (0...(name.count - key.count)).contains { start in
                    name[start..<(start + key.count)].elementsEqual(key)
                }
                if found { best = (type, key.count) }
            }
            return best?.type
        }
    }

    fileprivate let record: Record

    /// The action of `record`.
    init(record: Record) {
        self.record = record
    }

    /// The service prefix, e.g. `s3`.
    public var service: String { record.service }
    /// The action's name as AWS spells it, e.g. `GetObject`.
    public var name: String { record.name }
    /// The access level the AWS reference assigns.
    public var accessLevel: AccessLevel { record.accessLevel }
    /// The resource types the action accepts; empty when it supports no resource-level permissions.
    public var resourceTypes: [ActionResourceType] { record.resourceTypes }
    /// Condition keys that apply to the action whatever the resource (the reference's action-level row).
    public var conditionKeys: [String] { record.conditionKeys }

    /// `service:Name`.
    public var description: String { record.description }

    /// Whether the `Resource` element can narrow the action; false when the action has no resource types,
    /// so it must be granted on `"*"`.
    public var supportsResourceLevelPermissions: Bool { !record.resourceTypes.isEmpty }

    /// The resource types the action always needs.
    public var requiredResourceTypes: [ActionResourceType] { record.requiredResourceTypes }

    /// For an action with several resource types, none required, the one its name names (`object` for
    /// `s3:GetObjectAttributes`); nil otherwise.
    var namedResourceType: ActionResourceType? { record.namedResourceType }

    /// Every condition key the reference relates to the action: action-level, per resource type row,
    /// and the keys of its resource types; sorted, without duplicates.
    public var applicableConditionKeys: [String] {
        var keys = Set(conditionKeys)
        for row in resourceTypes {
            keys.formUnion(row.conditionKeys)
            keys.formUnion(row.resourceType.conditionKeys)
        }
        return keys.sorted()
    }

    /// The action's resource types whose ARN format some ARN matched by `resource` has
    /// (a concrete ARN, an ARN with `*`/`?` wildcards, or `*`).
    public func resourceTypes(matching resource: String) -> [ActionResourceType] {
        resourceTypes.filter { $0.arnFormat.matches(resource) }
    }

    public static func == (lhs: Action, rhs: Action) -> Bool {
        lhs.record === rhs.record || (lhs.record.hash == rhs.record.hash && lhs.service == rhs.service && lhs.name == rhs.name)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(record.hash)
    }
}

/// An AWS service: its prefix, actions, resource types and condition keys.
public final class Service: Sendable, CustomStringConvertible {
    /// The prefix used in actions, e.g. `s3` in `s3:GetObject`.
    public let prefix: String
    /// The service's name, e.g. `Amazon S3`.
    public let name: String
    /// The actions, sorted by name ignoring case.
    public let actions: [Action]
    /// The resource types, sorted by name.
    public let resourceTypes: [ResourceType]
    /// The condition keys the service's reference page lists, with their types.
    public let conditionKeys: [ConditionKey]
    /// The action names in `actions` order, for lookups that compare bytes without touching the actions.
    private let names: FoldedNameTable

    /// The data of `actions`, which the actions refer to without counting.
    private let records: [Action.Record]

    /// - Parameter records: the actions' data, sorted by name ignoring case.
    init(prefix: String, name: String, records: [Action.Record], resourceTypes: [ResourceType], conditionKeys: [ConditionKey]) {
        self.prefix = prefix
        self.name = name
        self.records = records
        let actions = records.map(Action.init(record:))
        self.actions = actions
        self.resourceTypes = resourceTypes
        self.conditionKeys = conditionKeys
        self.names = FoldedNameTable(actions.map(\.name))
    }

    public var description: String { prefix }

    /// The action called `name`, ignoring case as IAM does.
    public func action(_ name: String) -> Action? {
        var name = name
        return name.withUTF8 { action(named: $0) }
    }

    /// The action whose name is `wanted` (UTF-8) ignoring case.
    func action(named wanted: UnsafeBufferPointer<UInt8>) -> Action? {
        names.position(of: wanted).map { actions[$0] }
    }

    /// The resource type called `name` (exact case).
    public func resourceType(_ name: String) -> ResourceType? {
        resourceTypes.first { $0.name == name }
    }
}
