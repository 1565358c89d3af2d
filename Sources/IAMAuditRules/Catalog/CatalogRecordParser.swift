#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the generated catalog records (format: the top of `scripts/generate-catalog.py`) into services.
///
/// Works on the UTF-8 bytes of the compiled-in string in place: `index(_:)` finds the services and the key
/// table in one scan, `service(prefix:name:records:)` parses one service when it is first needed. A malformed
/// record is skipped (and trips an assertion in debug builds): the data is generated and tested.
enum CatalogRecordParser {
    /// Where each service's records are, and the catalog-wide condition-key lines: found by one scan of the
    /// line starts, without parsing the records.
    struct ServiceIndex {
        var prefixes: [String] = []
        var names: [String] = []
        /// The bytes of each service's K, R and A records.
        var ranges: [Range<Int>] = []
        /// The `C` lines (catalog-wide condition keys), sorted by lowercased key.
        var keyLines: [Range<Int>] = []
    }

    /// The bytes of a compiled-in string, valid for the life of the program.
    static func bytes(of records: StaticString) -> UnsafeBufferPointer<UInt8> {
        precondition(records.hasPointerRepresentation, "catalog records must be a UTF-8 string literal")
        return UnsafeBufferPointer(start: records.utf8Start, count: records.utf8CodeUnitCount)
    }

    static func index(_ bytes: UnsafeBufferPointer<UInt8>) -> ServiceIndex {
        var index = ServiceIndex()
        index.prefixes.reserveCapacity(512)
        index.names.reserveCapacity(512)
        index.ranges.reserveCapacity(512)
        index.keyLines.reserveCapacity(2048)
        var lineStart = 0
        var bodyStart = -1
        while lineStart < bytes.count {
            let lineEnd = endOfLine(bytes, from: lineStart)
            switch bytes[lineStart] {
            case UInt8(ascii: "S"):
                if bodyStart >= 0 { index.ranges.append(bodyStart..<lineStart) }
                let fields = Fields(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
                index.prefixes.append(fields.string(1))
                index.names.append(fields.string(2))
                bodyStart = min(lineEnd + 1, bytes.count)
            case UInt8(ascii: "C"):
                index.keyLines.append(lineStart..<lineEnd)
            default:
                break
            }
            lineStart = lineEnd + 1
        }
        if bodyStart >= 0 { index.ranges.append(bodyStart..<bytes.count) }
        return index
    }

    /// One service from its records.
    static func service(prefix: String, name: String, records: UnsafeBufferPointer<UInt8>) -> Service {
        var builder = ServiceBuilder(prefix: prefix, name: name)
        forEachRecord(in: records) { kind, fields in
            switch kind {
            case UInt8(ascii: "K"):
                builder.addConditionKey(name: fields.string(1), type: fields.string(2))
            case UInt8(ascii: "R"):
                builder.addResourceType(name: fields.string(1), arn: fields.string(2), keys: fields.bytes(3))
            case UInt8(ascii: "A"):
                builder.addAction(fields)
            default:
                assertionFailure("unexpected catalog record kind \(kind) in \(prefix)")
            }
        }
        return builder.build()
    }

    /// The condition key of a `C` or `K` line.
    static func conditionKey(line: UnsafeBufferPointer<UInt8>) -> ConditionKey {
        let fields = Fields(line)
        return ConditionKey(name: fields.string(1), typeName: fields.string(2), isGlobal: false)
    }

    /// The key field of a `C` or `K` line.
    static func keyField(line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard line.count > 2 else { return UnsafeBufferPointer(rebasing: line[0..<0]) }
        var end = 2
        while end < line.count, line[end] != UInt8(ascii: "\t") { end += 1 }
        return UnsafeBufferPointer(rebasing: line[2..<end])
    }

    /// Calls `body` with each record's kind and fields.
    private static func forEachRecord(in bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt8, Fields) -> Void) {
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = endOfLine(bytes, from: lineStart)
            if lineEnd > lineStart {
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                body(line[0], Fields(line))
            }
            lineStart = lineEnd + 1
        }
    }

    /// The position of the next newline at or after `start`, or the end.
    private static func endOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count,
              let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The tab-separated fields of one record (at most seven), without allocating.
    struct Fields {
        private let line: UnsafeBufferPointer<UInt8>
        /// Start of each field; the entry after the last field is one past the line's end.
        private var starts = SIMD8<Int32>()
        private var count = 1

        init(_ line: UnsafeBufferPointer<UInt8>) {
            self.line = line
            var index = 0
            while index < line.count && count < 7 {
                if line[index] == UInt8(ascii: "\t") {
                    starts[count] = Int32(index + 1)
                    count += 1
                }
                index += 1
            }
            starts[count] = Int32(line.count + 1)
        }

        func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            guard index < count else { return UnsafeBufferPointer(rebasing: line[0..<0]) }
            return UnsafeBufferPointer(rebasing: line[Int(starts[index])..<Int(starts[index + 1] - 1)])
        }

        func string(_ index: Int) -> String {
            String(decoding: bytes(index), as: UTF8.self)
        }
    }

    /// Collects one service's records, which arrive in the order K, R, A.
    struct ServiceBuilder {
        let prefix: String
        let name: String
        var conditionKeys: [ConditionKey] = []
        var resourceTypes: [ResourceType] = []
        var records: [Action.Record] = []
        /// The rows without condition keys made so far, at `2 * type index + (required ? 1 : 0)`.
        private var plainRows: [ActionResourceType?] = []

        init(prefix: String, name: String) {
            self.prefix = prefix
            self.name = name
        }

        mutating func addConditionKey(name: String, type: String) {
            conditionKeys.append(ConditionKey(name: name, typeName: type, isGlobal: false))
        }

        mutating func addResourceType(name: String, arn: String, keys: UnsafeBufferPointer<UInt8>) {
            resourceTypes.append(ResourceType(service: prefix, name: name, arnFormat: ARNFormat(arn),
                                              conditionKeys: keyNames(keys, separator: UInt8(ascii: ","))))
        }

        mutating func addAction(_ fields: Fields) {
            guard let level = fields.bytes(2).first.flatMap(AccessLevel.init(code:)) else {
                assertionFailure("bad access level in catalog record for \(prefix):\(fields.string(1))")
                return
            }
            var rows: [ActionResourceType] = []
            let references = fields.bytes(3)
            if !references.isEmpty {
                var start = 0
                for index in 0...references.count where index == references.count || references[index] == UInt8(ascii: ",") {
                    if let row = resourceRow(UnsafeBufferPointer(rebasing: references[start..<index])) { rows.append(row) }
                    start = index + 1
                }
            }
            records.append(Action.Record(service: prefix, name: fields.string(1), accessLevel: level, resourceTypes: rows,
                                         conditionKeys: keyNames(fields.bytes(4), separator: UInt8(ascii: ","))))
        }

        /// `index['*']['=' key.key…]`.
        private mutating func resourceRow(_ text: UnsafeBufferPointer<UInt8>) -> ActionResourceType? {
            var end = 0
            var index = 0
            while end < text.count, text[end] &- UInt8(ascii: "0") < 10 {
                index = index * 10 + Int(text[end] &- UInt8(ascii: "0"))
                end += 1
            }
            guard end > 0, index < resourceTypes.count else {
                assertionFailure("bad resource reference in \(prefix)")
                return nil
            }
            let required = end < text.count && text[end] == UInt8(ascii: "*")
            if required { end += 1 }
            guard end < text.count, text[end] == UInt8(ascii: "=") else {
                // Most rows name a type and nothing else: one shared row per type and requiredness.
                let slot = 2 * index + (required ? 1 : 0)
                if slot < plainRows.count, let row = plainRows[slot] { return row }
                let row = ActionResourceType(resourceType: resourceTypes[index], isRequired: required, conditionKeys: [])
                if plainRows.count < 2 * resourceTypes.count { plainRows = Array(repeating: nil, count: 2 * resourceTypes.count) }
                plainRows[slot] = row
                return row
            }
            let keys = keyNames(UnsafeBufferPointer(rebasing: text[(end + 1)...]), separator: UInt8(ascii: "."))
            return ActionResourceType(resourceType: resourceTypes[index], isRequired: required, conditionKeys: keys)
        }

        /// The names of the keys at the decimal indexes in `bytes`, such as `4,8,16`.
        private func keyNames(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) -> [String] {
            guard !bytes.isEmpty else { return [] }
            var names: [String] = []
            var value = 0
            func flush() {
                if value < conditionKeys.count { names.append(conditionKeys[value].name) } else { assertionFailure("bad key index in \(prefix)") }
                value = 0
            }
            for byte in bytes {
                if byte == separator { flush() } else { value = value * 10 + Int(byte &- UInt8(ascii: "0")) }
            }
            flush()
            return names
        }

        func build() -> Service {
            Service(prefix: prefix, name: name, records: records, resourceTypes: resourceTypes, conditionKeys: conditionKeys)
        }
    }
}
