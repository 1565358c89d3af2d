/// Writes an `Encodable` value as pretty-printed JSON with sorted keys and unescaped slashes: the bytes
/// Foundation's `JSONEncoder` gives with `[.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]`, built with
/// one object per container (none per number or string) and written as bytes, so that a report of thousands of
/// findings renders in a few milliseconds.
///
/// Supports what the reports encode: strings, integers, finite doubles, booleans, null, arrays, and objects
/// keyed by strings (structures, string dictionaries). Keys sort by their UTF-8 bytes. Coding paths are not
/// tracked (every container reports the top level's): the reports' values never fail to encode.
enum SortedJSONEncoder {
    /// The JSON text of `value`, without a final line break.
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = TreeEncoder(slot: Slot())
        try value.encode(to: encoder)
        var output = Output()
        output.write(encoder.slot, indent: 0)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// A JSON value that needs no container.
    enum Leaf {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    /// A member or element: a leaf in place, or a container filled in by its own encoder.
    enum Child {
        case leaf(Leaf)
        case container(Slot)
        /// A value that writes itself (`SortedJSONWritable`).
        case direct(any SortedJSONWritable)
    }

    /// Where an encoder's value ends up: a reference, so nested containers can fill it in after their parent
    /// has stored it.
    final class Slot {
        enum Kind { case single, object, array }

        var kind: Kind = .single
        var value: Leaf?
        /// An object's members in the order encoded; a key encoded again replaces its value.
        var members: [(key: String, child: Child)] = []
        var elements: [Child] = []

        func set(_ key: String, _ child: Child) {
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].child = child
            } else {
                members.append((key, child))
            }
        }

        /// Takes on another slot's contents (a single value container handed a structure or array).
        func adopt(_ child: Child) throws {
            switch child {
            case .direct(let value):
                // Kept as a tree here: the slot is what its container writes.
                let slot = Slot()
                try value.encode(to: TreeEncoder(slot: slot))
                try adopt(.container(slot))
            case .leaf(let leaf):
                kind = .single
                value = leaf
            case .container(let other):
                kind = other.kind
                value = other.value
                members = other.members
                elements = other.elements
            }
        }
    }

    /// The text of a double as `JSONEncoder` writes it: its shortest description, without a trailing `.0`.
    static func number(_ value: Double) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "non-finite number"))
        }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// The child for a value: strings, numbers and booleans in place, anything else through its `encode(to:)`.
    static func child<T: Encodable>(_ value: T) throws -> Child {
        switch value {
        case let direct as any SortedJSONWritable: return .direct(direct)
        case let text as String: return .leaf(.string(text))
        case let number as Int: return .leaf(.number(String(number)))
        case let number as Double: return .leaf(.number(try Self.number(number)))
        case let flag as Bool: return .leaf(.bool(flag))
        default:
            let slot = Slot()
            try value.encode(to: TreeEncoder(slot: slot))
            return slot.kind == .single ? .leaf(slot.value ?? .null) : .container(slot)
        }
    }

    final class TreeEncoder: Encoder {
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        let slot: Slot

        init(slot: Slot) {
            self.slot = slot
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if slot.kind != .object { slot.kind = .object; slot.members = [] }
            return KeyedEncodingContainer(Keyed<Key>(slot: slot))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if slot.kind != .array { slot.kind = .array; slot.elements = [] }
            return Unkeyed(slot: slot)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(slot: slot)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { slot.set(key.stringValue, .leaf(.null)) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.bool(value))) }
        mutating func encode(_ value: String, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.string(value))) }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            slot.set(key.stringValue, .leaf(.number(try SortedJSONEncoder.number(value))))
        }
        mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Double(value), forKey: key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { slot.set(key.stringValue, .leaf(.number(String(value)))) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            slot.set(key.stringValue, try SortedJSONEncoder.child(value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Slot()
            child.kind = .object
            slot.set(key.stringValue, .container(child))
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: child))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Slot()
            child.kind = .array
            slot.set(key.stringValue, .container(child))
            return Unkeyed(slot: child)
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> any Encoder {
            let child = Slot()
            slot.set(name, .container(child))
            return TreeEncoder(slot: child)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }
        var count: Int { slot.elements.count }

        mutating func encodeNil() throws { slot.elements.append(.leaf(.null)) }
        mutating func encode(_ value: Bool) throws { slot.elements.append(.leaf(.bool(value))) }
        mutating func encode(_ value: String) throws { slot.elements.append(.leaf(.string(value))) }
        mutating func encode(_ value: Double) throws { slot.elements.append(.leaf(.number(try SortedJSONEncoder.number(value)))) }
        mutating func encode(_ value: Float) throws { try encode(Double(value)) }
        mutating func encode(_ value: Int) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int8) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int16) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int32) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: Int64) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt8) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt16) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt32) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode(_ value: UInt64) throws { slot.elements.append(.leaf(.number(String(value)))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            slot.elements.append(try SortedJSONEncoder.child(value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Slot()
            child.kind = .object
            slot.elements.append(.container(child))
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: child))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Slot()
            child.kind = .array
            slot.elements.append(.container(child))
            return Unkeyed(slot: child)
        }

        mutating func superEncoder() -> any Encoder {
            let child = Slot()
            slot.elements.append(.container(child))
            return TreeEncoder(slot: child)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = .number(try SortedJSONEncoder.number(value)) }
        mutating func encode(_ value: Float) throws { try encode(Double(value)) }
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
        mutating func encode<T: Encodable>(_ value: T) throws {
            try slot.adopt(try SortedJSONEncoder.child(value))
        }
    }

    /// The UTF-8 bytes being written.
    struct Output {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(1 << 16) }

        mutating func write(_ slot: Slot, indent: Int) {
            switch slot.kind {
            case .single: write(slot.value ?? .null)
            case .array:
                open(UInt8(ascii: "["), empty: slot.elements.isEmpty)
                for (index, element) in slot.elements.enumerated() {
                    pad(indent + 1)
                    write(element, indent: indent + 1)
                    close(last: index == slot.elements.count - 1)
                }
                pad(indent)
                bytes.append(UInt8(ascii: "]"))
            case .object:
                open(UInt8(ascii: "{"), empty: slot.members.isEmpty)
                // Keys are compared as strings: for the UTF-8 text Swift strings hold, that is byte order.
                let members = slot.members.sorted { $0.key < $1.key }
                for (index, member) in members.enumerated() {
                    pad(indent + 1)
                    writeString(member.key)
                    append(" : ")
                    write(member.child, indent: indent + 1)
                    close(last: index == members.count - 1)
                }
                pad(indent)
                bytes.append(UInt8(ascii: "}"))
            }
        }

        private mutating func write(_ child: Child, indent: Int) {
            switch child {
            case .leaf(let leaf): write(leaf)
            case .container(let slot): write(slot, indent: indent)
            case .direct(let value): value.writeSortedJSON(to: &self, indent: indent)
            }
        }

        /// The elements of an array at `indent`, without its brackets and the line breaks after `[` and before
        /// `]`: what `write(_:indent:)` writes between them, for a long array written in pieces.
        mutating func writeElements<Element: SortedJSONWritable>(_ elements: some Collection<Element>, indent: Int) {
            for (index, element) in elements.enumerated() {
                if index > 0 { close(last: false) }
                pad(indent + 1)
                element.writeSortedJSON(to: &self, indent: indent + 1)
            }
        }

        /// An object whose members are leaves given in sorted key order, written as `write(_:indent:)` writes
        /// the same object built as a tree.
        mutating func writeObject(sortedLeaves members: [(key: String, leaf: Leaf)], indent: Int) {
            assert(zip(members, members.dropFirst()).allSatisfy { $0.key < $1.key }, "keys out of order")
            open(UInt8(ascii: "{"), empty: members.isEmpty)
            for (index, member) in members.enumerated() {
                pad(indent + 1)
                writeString(member.key)
                append(" : ")
                write(member.leaf)
                close(last: index == members.count - 1)
            }
            pad(indent)
            bytes.append(UInt8(ascii: "}"))
        }

        private mutating func write(_ leaf: Leaf) {
            switch leaf {
            case .string(let text): writeString(text)
            case .number(let text): append(text)
            case .bool(let value): append(value ? "true" : "false")
            case .null: append("null")
            }
        }

        /// `[` or `{` and its line break; an empty container has an empty line inside, as `JSONEncoder` writes it.
        private mutating func open(_ bracket: UInt8, empty: Bool) {
            bytes.append(bracket)
            bytes.append(0x0A)
            if empty { bytes.append(0x0A) }
        }

        private mutating func close(last: Bool) {
            if !last { bytes.append(UInt8(ascii: ",")) }
            bytes.append(0x0A)
        }

        private mutating func pad(_ level: Int) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }

        private mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }

        /// A JSON string: quotes, backslashes and control characters escaped, everything else as is.
        mutating func writeString(_ text: String) {
            var text = text
            bytes.append(UInt8(ascii: "\""))
            text.withUTF8 { utf8 in
                var plainStart = 0
                for index in utf8.indices {
                    let byte = utf8[index]
                    guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                    bytes.append(UInt8(ascii: "\\"))
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                    case 0x0A: bytes.append(UInt8(ascii: "n"))
                    case 0x0D: bytes.append(UInt8(ascii: "r"))
                    case 0x09: bytes.append(UInt8(ascii: "t"))
                    case 0x08: bytes.append(UInt8(ascii: "b"))
                    case 0x0C: bytes.append(UInt8(ascii: "f"))
                    default:
                        let hex = Array("0123456789abcdef".utf8)
                        bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                                  hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                    }
                    plainStart = index + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}

/// A value that writes its own JSON in `SortedJSONEncoder`'s layout rather than having the encoder build a tree
/// of it first: for the records a report holds thousands of. What it writes must equal what its `Encodable`
/// conformance gives through the tree (a test compares the two).
protocol SortedJSONWritable: Encodable {
    func writeSortedJSON(to output: inout SortedJSONEncoder.Output, indent: Int)
}
