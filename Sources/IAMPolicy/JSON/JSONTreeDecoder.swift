import Foundation

/// Decodes `Decodable` values from a `JSONNode` tree, so a model decodes in the same pass that
/// recorded source spans.
///
/// Values of type `Located<T>` pick up the span of the node they are decoded from. Coding paths
/// become RFC 6901 pointers (see `JSONPointer(codingPath:)`), starting at `basePointer`.
public struct JSONTreeDecoder {
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// Decodes `type` from `node`, which sits at `basePointer` in its file.
    public func decode<T: Decodable>(_ type: T.Type, from node: JSONNode, at basePointer: JSONPointer = .root) throws -> T {
        let decoder = TreeDecoder(node: node, pointer: basePointer, baseDepth: basePointer.count, userInfo: userInfo)
        return try T(from: decoder)
    }
}

/// Gives `Located` values the node and pointer they were decoded from.
protocol NodeProviding {
    var node: JSONNode { get }
    var pointer: JSONPointer { get }
}

struct PointerKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; self.intValue = nil }
    init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

final class TreeDecoder: Decoder, NodeProviding {
    let node: JSONNode
    let pointer: JSONPointer
    /// The depth of the pointer the decoding started at: the coding path is the pointer's tokens below it.
    let baseDepth: Int
    let userInfo: [CodingUserInfoKey: Any]

    init(node: JSONNode, pointer: JSONPointer, baseDepth: Int, userInfo: [CodingUserInfoKey: Any]) {
        self.node = node
        self.pointer = pointer
        self.baseDepth = baseDepth
        self.userInfo = userInfo
    }

    /// Built from the pointer when asked for (only errors ask): a decoder is made for every member and element
    /// decoded, and keeping a path array in each cost an array per value.
    var codingPath: [any CodingKey] {
        pointer.tokens.dropFirst(baseDepth).map { PointerKey(stringValue: $0) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = node.value else {
            throw typeMismatch([String: Any].self, expected: "an object")
        }
        return KeyedDecodingContainer(KeyedTreeContainer<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = node.value else {
            throw typeMismatch([Any].self, expected: "an array")
        }
        return UnkeyedTreeContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueTreeContainer(decoder: self)
    }

    func typeMismatch(_ type: Any.Type, expected: String) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(node.value.typeName)"))
    }

    func child(_ node: JSONNode, key: any CodingKey) -> TreeDecoder {
        TreeDecoder(node: node, pointer: pointer.appending(key.stringValue), baseDepth: baseDepth, userInfo: userInfo)
    }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TreeDecoder
    let members: [JSONMember]
    let index: [String: Int]

    init(decoder: TreeDecoder, members: [JSONMember]) {
        self.decoder = decoder
        self.members = members
        var index: [String: Int] = [:]
        index.reserveCapacity(members.count)
        for (position, member) in members.enumerated() { index[member.key] = position }
        self.index = index
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        var seen = Set<String>()
        return members.compactMap { seen.insert($0.key).inserted ? Key(stringValue: $0.key) : nil }
    }

    func contains(_ key: Key) -> Bool { index[key.stringValue] != nil }

    func childDecoder(_ key: Key) throws -> TreeDecoder {
        guard let position = index[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member '\(key.stringValue)'"))
        }
        return decoder.child(members[position].value, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try childDecoder(key).node.isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try childDecoder(key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { try childDecoder(key) }
}

private struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let decoder: TreeDecoder
    let elements: [JSONNode]
    var currentIndex = 0

    init(decoder: TreeDecoder, elements: [JSONNode]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func nextDecoder() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
        }
        let child = decoder.child(elements[currentIndex], key: PointerKey(intValue: currentIndex))
        currentIndex += 1
        return child
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if elements[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try nextDecoder().decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try nextDecoder() }
}

private struct SingleValueTreeContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = decoder.node.value else { throw decoder.typeMismatch(type, expected: "a boolean") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let value) = decoder.node.value else { throw decoder.typeMismatch(type, expected: "a string") }
        return value
    }

    func number() throws -> String {
        guard case .number(let text) = decoder.node.value else { throw decoder.typeMismatch(Double.self, expected: "a number") }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        let text = try number()
        guard let value = Double(text), value.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "number \(text) does not fit a Double"))
        }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try number()
        guard let value = T(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "number \(text) does not fit \(T.self)"))
        }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeValue(type)
    }
}

extension TreeDecoder {
    /// Decodes a value, taking the primitive fast paths without going through `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        let single = SingleValueTreeContainer(decoder: self)
        switch type {
        case is String.Type: return try single.decode(String.self) as! T
        case is Bool.Type: return try single.decode(Bool.self) as! T
        case is Int.Type: return try single.decode(Int.self) as! T
        case is Double.Type: return try single.decode(Double.self) as! T
        case is JSONNode.Type: return node as! T
        default: return try T(from: self)
        }
    }
}

extension JSONNode: Decodable {
    /// Decodes the raw node when decoded through `JSONTreeDecoder`; other decoders are not supported.
    public init(from decoder: any Decoder) throws {
        guard let provider = decoder as? NodeProviding else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "JSONNode decodes only through JSONTreeDecoder"))
        }
        self = provider.node
    }
}

/// A value together with where it came from: its RFC 6901 pointer and source span.
public struct Located<Value> {
    public var value: Value
    public var pointer: JSONPointer
    public var span: SourceSpan

    public init(_ value: Value, pointer: JSONPointer, span: SourceSpan) {
        self.value = value
        self.pointer = pointer
        self.span = span
    }

    public func map<T>(_ transform: (Value) -> T) -> Located<T> {
        Located<T>(transform(value), pointer: pointer, span: span)
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

extension Located: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        if let tree = decoder as? TreeDecoder {
            self.init(try tree.decodeValue(Value.self), pointer: tree.pointer, span: tree.node.span)
        } else {
            let value = try Value(from: decoder)
            self.init(value, pointer: JSONPointer(tokens: decoder.codingPath.map(\.stringValue)), span: SourceSpan(at: .start))
        }
    }
}
