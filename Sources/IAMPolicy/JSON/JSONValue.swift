/// A parsed JSON value with the source span of every value and key.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, kept as its source text so that no digits are lost.
    case number(String)
    case string(String)
    case array([JSONNode])
    /// Members in source order; duplicate keys are kept.
    case object([JSONMember])

    /// The JSON type name used in messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON value and the span of source text it was parsed from.
public struct JSONNode: Sendable, Equatable {
    public var value: JSONValue
    public var span: SourceSpan

    public init(_ value: JSONValue, span: SourceSpan) {
        self.value = value
        self.span = span
    }

    public var stringValue: String? {
        if case .string(let string) = value { return string }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let bool) = value { return bool }
        return nil
    }

    public var arrayValue: [JSONNode]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    public var objectValue: [JSONMember]? {
        if case .object(let members) = value { return members }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// The value of the last member named `key` (IAM, like most JSON readers, keeps the last duplicate).
    public subscript(key: String) -> JSONNode? {
        member(key)?.value
    }

    /// The last member named `key`.
    public func member(_ key: String) -> JSONMember? {
        guard case .object(let members) = value else { return nil }
        return members.last { $0.key == key }
    }

    /// The node an RFC 6901 pointer designates, or nil when it designates nothing.
    public func resolve(_ pointer: JSONPointer) -> JSONNode? {
        var node = self
        for token in pointer.tokens {
            switch node.value {
            case .object:
                guard let next = node[token] else { return nil }
                node = next
            case .array(let elements):
                guard let index = Int(token), token == String(index), elements.indices.contains(index) else { return nil }
                node = elements[index]
            default:
                return nil
            }
        }
        return node
    }

    /// Keys that appear more than once in this object, each with every member after the first.
    public var duplicateMembers: [JSONMember] {
        guard case .object(let members) = value, members.count > 1 else { return [] }
        var duplicates: [JSONMember] = []
        // Policy objects have a handful of members: comparing each with those before it beats hashing them all.
        if members.count <= 12 {
            for index in 1..<members.count where members[..<index].contains(where: { $0.key == members[index].key }) {
                duplicates.append(members[index])
            }
            return duplicates
        }
        var seen = Set<String>(minimumCapacity: members.count)
        for member in members where !seen.insert(member.key).inserted {
            duplicates.append(member)
        }
        return duplicates
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var keySpan: SourceSpan
    public var value: JSONNode

    public init(key: String, keySpan: SourceSpan, value: JSONNode) {
        self.key = key
        self.keySpan = keySpan
        self.value = value
    }
}
