/// Writes an `Encodable` value as pretty-printed JSON with sorted keys and unescaped slashes: the bytes
/// Foundation's `JSONEncoder` gives with `[.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]`, built
/// without its generic boxing so that a report of thousands of findings renders in a few milliseconds.
///
/// Supports what the reports encode: strings, integers, finite doubles, booleans, null, arrays, and objects
/// keyed by strings (structures, string dictionaries). Keys sort by their UTF-8 bytes.
enum SortedJSONEncoder {
    /// The JSON text of `value`, without a final line break.
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = TreeEncoder(codingPath: [])
        try value.encode(to: encoder)
        var output = ""
        output.reserveCapacity(4096)
        write(encoder.slot.node, indent: 0, to: &output)
        return output
    }

    /// One JSON value, with an object's members kept in a dictionary until written.
    indirect enum Node {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case array([Node])
        case object([String: Node])
    }

    private static func write(_ node: Node, indent: Int, to output: inout String) {
        switch node {
        case .string(let text): writeString(text, to: &output)
        case .number(let text): output += text
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .array(let elements):
            output += "[\n"
            if elements.isEmpty { output += "\n" }
            for (index, element) in elements.enumerated() {
                pad(indent + 1, &output)
                write(element, indent: indent + 1, to: &output)
                output += index == elements.count - 1 ? "\n" : ",\n"
            }
            pad(indent, &output)
            output += "]"
        case .object(let members):
            output += "{\n"
            if members.isEmpty { output += "\n" }
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                pad(indent + 1, &output)
                writeString(key, to: &output)
                output += " : "
                write(members[key] ?? .null, indent: indent + 1, to: &output)
                output += index == keys.count - 1 ? "\n" : ",\n"
            }
            pad(indent, &output)
            output += "}"
        }
    }

    private static func pad(_ level: Int, _ output: inout String) {
        for _ in 0..<level { output += "  " }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as is.
    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        var plainStart = text.utf8.startIndex
        var index = plainStart
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                output += Substring(utf8[plainStart..<index])
                switch byte {
                case UInt8(ascii: "\""): output += "\\\""
                case UInt8(ascii: "\\"): output += "\\\\"
                case 0x0A: output += "\\n"
                case 0x0D: output += "\\r"
                case 0x09: output += "\\t"
                case 0x08: output += "\\b"
                case 0x0C: output += "\\f"
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    output += "\\u00"
                    output.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                    output.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
                }
                utf8.formIndex(after: &index)
                plainStart = index
            } else {
                utf8.formIndex(after: &index)
            }
        }
        output += Substring(utf8[plainStart..<utf8.endIndex])
        output += "\""
    }

    /// The text of a double as `JSONEncoder` writes it: its shortest description, without a trailing `.0`.
    static func number(_ value: Double) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "non-finite number"))
        }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// Where an encoder's or container's value ends up: a reference, so nested containers can fill it in after
    /// their parent has stored it.
    final class Slot {
        var value: Node?
        /// Members of an object being filled, or elements of an array.
        var members: [String: Slot] = [:]
        var elements: [Slot] = []
        var kind: Kind = .single

        enum Kind { case single, object, array }

        /// The finished value, with nested slots resolved.
        var node: Node {
            switch kind {
            case .single: value ?? .null
            case .object: .object(members.mapValues(\.node))
            case .array: .array(elements.map(\.node))
            }
        }
    }

    final class TreeEncoder: Encoder {
        let codingPath: [any CodingKey]
        let userInfo: [CodingUserInfoKey: Any] = [:]
        let slot: Slot

        init(codingPath: [any CodingKey], slot: Slot = Slot()) {
            self.codingPath = codingPath
            self.slot = slot
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if slot.kind != .object { slot.kind = .object; slot.members = [:] }
            return KeyedEncodingContainer(Keyed<Key>(slot: slot, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if slot.kind != .array { slot.kind = .array; slot.elements = [] }
            return Unkeyed(slot: slot, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(slot: slot, codingPath: codingPath)
        }
    }

    /// The node for a value: primitives directly, anything else through its own `encode(to:)`.
    static func node<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> Slot {
        let slot = Slot()
        switch value {
        case let text as String: slot.value = .string(text)
        case let number as Int: slot.value = .number(String(number))
        case let number as Double: slot.value = .number(try Self.number(number))
        case let flag as Bool: slot.value = .bool(flag)
        default: try value.encode(to: TreeEncoder(codingPath: codingPath, slot: slot))
        }
        return slot
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(try SortedJSONEncoder.number(value)))
        }
        mutating func encode(_ value: Int, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { slot.members[key.stringValue] = SortedJSONEncoder.leaf(.number(String(value))) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Double(value), forKey: key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            slot.members[key.stringValue] = try SortedJSONEncoder.node(value, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Slot()
            child.kind = .object
            slot.members[key.stringValue] = child
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Slot()
            child.kind = .array
            slot.members[key.stringValue] = child
            return Unkeyed(slot: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> any Encoder {
            let child = Slot()
            slot.members[name] = child
            return TreeEncoder(codingPath: codingPath, slot: child)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        var count: Int { slot.elements.count }

        mutating func encodeNil() throws { slot.elements.append(SortedJSONEncoder.leaf(.null)) }
        mutating func encode(_ value: Bool) throws { slot.elements.append(SortedJSONEncoder.leaf(.bool(value))) }
        mutating func encode(_ value: String) throws { slot.elements.append(SortedJSONEncoder.leaf(.string(value))) }
        mutating func encode(_ value: Double) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(try SortedJSONEncoder.number(value)))) }
        mutating func encode(_ value: Int) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int8) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int16) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int32) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int64) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt8) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt16) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt32) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt64) throws { slot.elements.append(SortedJSONEncoder.leaf(.number(String(value)))) }
        mutating func encode(_ value: Float) throws { try encode(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            slot.elements.append(try SortedJSONEncoder.node(value, codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Slot()
            child.kind = .object
            slot.elements.append(child)
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: child, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Slot()
            child.kind = .array
            slot.elements.append(child)
            return Unkeyed(slot: child, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            let child = Slot()
            slot.elements.append(child)
            return TreeEncoder(codingPath: codingPath, slot: child)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = .number(try SortedJSONEncoder.number(value)) }
        mutating func encode(_ value: Int) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: Int8) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: Int16) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: Int32) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: Int64) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: UInt) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: UInt8) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: UInt16) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: UInt32) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: UInt64) throws { slot.value = .number(String(value)) }
        mutating func encode(_ value: Float) throws { try encode(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let child = try SortedJSONEncoder.node(value, codingPath: codingPath)
            slot.kind = child.kind
            slot.value = child.value
            slot.members = child.members
            slot.elements = child.elements
        }
    }

    static func leaf(_ node: Node) -> Slot {
        let slot = Slot()
        slot.value = node
        return slot
    }
}
