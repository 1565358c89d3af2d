/// A place where a policy does not fit the grammar's types, found while decoding.
///
/// Decoding never fails on such a place: the element is left out of the model and the issue is
/// kept, so that a rule can report it with its position.
public struct ModelIssue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A value of the wrong JSON type; `expected` names what the grammar allows.
        case wrongType(expected: String)
        /// An empty string, list or object where IAM needs a value.
        case empty
    }

    public var kind: Kind
    public var pointer: JSONPointer
    public var span: SourceSpan
    /// What was found, in words (`a number`, `an empty list`).
    public var found: String

    public init(kind: Kind, pointer: JSONPointer, span: SourceSpan, found: String) {
        self.kind = kind
        self.pointer = pointer
        self.span = span
        self.found = found
    }
}

/// Reads values out of a keyed container without ever throwing for a wrong type.
struct LenientReader {
    let decoder: TreeDecoder
    let members: [JSONMember]
    var issues: [ModelIssue] = []

    init(_ decoder: any Decoder) throws {
        guard let tree = decoder as? TreeDecoder else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "policy models decode only through JSONTreeDecoder"))
        }
        guard case .object(let members) = tree.node.value else {
            throw tree.typeMismatch([String: Any].self, expected: "an object")
        }
        self.decoder = tree
        self.members = members
    }

    var node: JSONNode { decoder.node }
    var pointer: JSONPointer { decoder.pointer }

    /// The member keys, in source order, each with its key span.
    var keys: [Located<String>] {
        members.map { Located($0.key, pointer: pointer.appending($0.key), span: $0.keySpan) }
    }

    func child(_ key: String) -> TreeDecoder? {
        guard let member = members.last(where: { $0.key == key }) else { return nil }
        return decoder.child(member.value, key: PointerKey(stringValue: key))
    }

    mutating func wrongType(_ child: TreeDecoder, expected: String) {
        issues.append(ModelIssue(kind: .wrongType(expected: expected), pointer: child.pointer, span: child.node.span, found: child.node.value.articleTypeName))
    }

    /// A string member; a value of another type becomes an issue.
    mutating func string(_ key: String) -> Located<String>? {
        guard let child = child(key) else { return nil }
        guard case .string(let string) = child.node.value else {
            wrongType(child, expected: "a string")
            return nil
        }
        return Located(string, pointer: child.pointer, span: child.node.span)
    }

    /// A string or a list of strings.
    mutating func stringList(_ key: String) -> LocatedList<String>? {
        guard let child = child(key) else { return nil }
        return stringList(child)
    }

    mutating func stringList(_ child: TreeDecoder) -> LocatedList<String>? {
        switch child.node.value {
        case .string(let string):
            return LocatedList(items: [Located(string, pointer: child.pointer, span: child.node.span)], pointer: child.pointer, span: child.node.span, isArray: false)
        case .array(let elements):
            var items: [Located<String>] = []
            items.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                let pointer = child.pointer.appending(index)
                if case .string(let string) = element.value {
                    items.append(Located(string, pointer: pointer, span: element.span))
                } else {
                    issues.append(ModelIssue(kind: .wrongType(expected: "a string"), pointer: pointer, span: element.span, found: element.value.articleTypeName))
                }
            }
            return LocatedList(items: items, pointer: child.pointer, span: child.node.span, isArray: true)
        default:
            wrongType(child, expected: "a string or a list of strings")
            return nil
        }
    }

    /// Decodes a nested model; a failure becomes a wrong-type issue.
    mutating func model<T: Decodable>(_ key: String, _ type: T.Type, expected: String) -> T? {
        guard let child = child(key) else { return nil }
        do {
            return try T(from: child)
        } catch {
            wrongType(child, expected: expected)
            return nil
        }
    }
}

extension JSONValue {
    /// The type name with an article, for messages: `a string`, `an array`, `null`.
    public var articleTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A string-or-list element (`Action`, `Resource`, a principal's values), with every item located.
public struct LocatedList<Element: Sendable>: Sendable {
    public var items: [Located<Element>]
    /// The pointer and span of the whole element (the string, or the array).
    public var pointer: JSONPointer
    public var span: SourceSpan
    /// Whether the source wrote a JSON array rather than a single value.
    public var isArray: Bool

    public init(items: [Located<Element>], pointer: JSONPointer, span: SourceSpan, isArray: Bool) {
        self.items = items
        self.pointer = pointer
        self.span = span
        self.isArray = isArray
    }

    public var values: [Element] { items.map { $0.value } }
}

extension LocatedList: Equatable where Element: Equatable {}
