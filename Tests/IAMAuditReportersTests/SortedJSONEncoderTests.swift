import Foundation
import Testing
@testable import IAMAuditReporters

/// The reports' own JSON writer gives the bytes Foundation's `JSONEncoder` gives with sorted keys, pretty printing
/// and unescaped slashes, for every shape the reports use.
@Suite("Sorted JSON encoder")
struct SortedJSONEncoderTests {
    struct Inner: Encodable {
        var name: String
        var count: Int
        var optional: String?
    }

    enum Level: String, Encodable { case error, warning }

    struct Outer: Encodable {
        var schema: String
        var items: [Inner]
        var empty: [Inner]
        var emptyObject: [String: String]
        var dictionary: [String: String]
        var numbers: [Double]
        var integers: [Int]
        var flags: [Bool]
        var level: Level
        var nested: [[String]]
        var explicitNull: String?
        var tiny: Int8
        var large: UInt64

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", items, empty, emptyObject, dictionary, numbers, integers, flags, level, nested
            case explicitNull, tiny, large
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(schema, forKey: .schema)
            try container.encode(items, forKey: .items)
            try container.encode(empty, forKey: .empty)
            try container.encode(emptyObject, forKey: .emptyObject)
            try container.encode(dictionary, forKey: .dictionary)
            try container.encode(numbers, forKey: .numbers)
            try container.encode(integers, forKey: .integers)
            try container.encode(flags, forKey: .flags)
            try container.encode(level, forKey: .level)
            try container.encode(nested, forKey: .nested)
            try container.encode(explicitNull, forKey: .explicitNull)
            try container.encode(tiny, forKey: .tiny)
            try container.encode(large, forKey: .large)
        }
    }

    static func foundation<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Every control character, quotes, backslashes, slashes, and text beyond ASCII.
    static let awkwardText: String = {
        var text = "plain / \"quoted\" back\\slash \u{7F} caf\u{E9} \u{2028} \u{1F600} "
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return text + " end"
    }()

    @Test func matchesFoundationOnEveryShape() throws {
        let value = Outer(
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            items: [Inner(name: Self.awkwardText, count: -3, optional: nil), Inner(name: "b", count: 0, optional: "x")],
            empty: [],
            emptyObject: [:],
            dictionary: ["security-severity": "8.0", "securitySeverity": "x", "a.b": "1", "Zeta": "2", "alpha": "3",
                         "primaryLocationLineHash": "4", "primary": "5", "10": "6", "9": "7", "_": "8", "": "9"],
            numbers: [8.0, 5.5, 9.1, 0.1, 1e-7, 1e21, 123456789.125, -2.5, 0, 100],
            integers: [0, -1, Int.max, Int.min],
            flags: [true, false],
            level: .warning,
            nested: [[], ["a", "b"], []],
            explicitNull: nil,
            tiny: -8,
            large: UInt64.max)
        #expect(try SortedJSONEncoder.encode(value) == Self.foundation(value))
    }

    @Test func matchesFoundationOnTopLevelValues() throws {
        #expect(try SortedJSONEncoder.encode([Inner(name: "n", count: 1, optional: "o")]) == Self.foundation([Inner(name: "n", count: 1, optional: "o")]))
        #expect(try SortedJSONEncoder.encode(["k": [1, 2]]) == Self.foundation(["k": [1, 2]]))
        #expect(try SortedJSONEncoder.encode([String]()) == Self.foundation([String]()))
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try SortedJSONEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder.encode(["x": Double.infinity]) }
    }
}
