/// The `Condition` element: operator → condition key → values.
public struct ConditionBlock: Sendable {
    public var pointer: JSONPointer
    public var span: SourceSpan
    /// One clause per (operator, key) pair, in source order.
    public var clauses: [ConditionClause]
    /// Operator entries, located at their keys, whatever their value (for rules about operators).
    public var operators: [Located<String>]

    init?(decoder: TreeDecoder, reader: inout LenientReader) {
        pointer = decoder.pointer
        span = decoder.node.span
        guard case .object(let members) = decoder.node.value else {
            reader.wrongType(decoder, expected: "an object of condition operators")
            return nil
        }
        clauses = []
        operators = []
        for member in members {
            let operatorDecoder = decoder.child(member.value, key: PointerKey(stringValue: member.key))
            let operatorName = Located(member.key, pointer: operatorDecoder.pointer, span: member.keySpan)
            operators.append(operatorName)
            guard case .object(let keys) = member.value.value else {
                reader.wrongType(operatorDecoder, expected: "an object of condition keys")
                continue
            }
            if keys.isEmpty {
                reader.issues.append(ModelIssue(kind: .empty, pointer: operatorDecoder.pointer, span: member.value.span, found: "an empty object"))
            }
            let parsed = ConditionOperator(parsing: member.key)
            for key in keys {
                let keyDecoder = operatorDecoder.child(key.value, key: PointerKey(stringValue: key.key))
                let located = Located(key.key, pointer: keyDecoder.pointer, span: key.keySpan)
                guard let values = ConditionClause.values(keyDecoder, reader: &reader) else { continue }
                clauses.append(ConditionClause(operatorName: operatorName, parsedOperator: parsed, key: located, values: values))
            }
        }
    }
}

/// One condition test: an operator applied to a key with one or more values.
public struct ConditionClause: Sendable {
    /// The operator as written, located at its key (`ForAnyValue:StringLike`).
    public var operatorName: Located<String>
    /// The parsed operator, or nil when the base name is not an IAM condition operator.
    public var parsedOperator: ConditionOperator?
    /// The condition key as written, located at its key (`token.actions.githubusercontent.com:sub`).
    public var key: Located<String>
    /// The values; a single value is a one-item list with `isArray == false`.
    public var values: LocatedList<ConditionValue>

    /// The key in lower case: IAM condition keys are case-insensitive.
    public var normalizedKey: String { key.value.lowercased() }

    static func values(_ decoder: TreeDecoder, reader: inout LenientReader) -> LocatedList<ConditionValue>? {
        func scalar(_ node: JSONNode, pointer: JSONPointer) -> Located<ConditionValue>? {
            switch node.value {
            case .string(let string): return Located(.string(string), pointer: pointer, span: node.span)
            case .bool(let bool): return Located(.bool(bool), pointer: pointer, span: node.span)
            case .number(let text): return Located(.number(text), pointer: pointer, span: node.span)
            case .null: return Located(.null, pointer: pointer, span: node.span)
            case .array, .object:
                reader.issues.append(ModelIssue(kind: .wrongType(expected: "a string, number or boolean"), pointer: pointer, span: node.span, found: node.value.articleTypeName))
                return nil
            }
        }
        let node = decoder.node
        if case .array(let elements) = node.value {
            let items = elements.enumerated().compactMap { scalar($1, pointer: decoder.pointer.appending($0)) }
            return LocatedList(items: items, pointer: decoder.pointer, span: node.span, isArray: true)
        }
        guard let item = scalar(node, pointer: decoder.pointer) else { return nil }
        return LocatedList(items: [item], pointer: decoder.pointer, span: node.span, isArray: false)
    }
}

/// A condition value as written: IAM accepts strings, numbers and booleans.
public enum ConditionValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    /// A number, as its source text.
    case number(String)
    case null

    /// The value as IAM compares it: every scalar is compared as its text.
    public var text: String {
        switch self {
        case .string(let string): string
        case .bool(let bool): bool ? "true" : "false"
        case .number(let text): text
        case .null: "null"
        }
    }

    public var description: String { text }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }
}

/// A parsed condition operator: optional set qualifier, base operator, optional `IfExists`.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    public enum Qualifier: String, Sendable, Hashable {
        case forAnyValue = "ForAnyValue"
        case forAllValues = "ForAllValues"
    }

    public var qualifier: Qualifier?
    public var base: ConditionOperatorBase
    public var ifExists: Bool

    public init(qualifier: Qualifier? = nil, base: ConditionOperatorBase, ifExists: Bool = false) {
        self.qualifier = qualifier
        self.base = base
        self.ifExists = ifExists
    }

    /// Parses `ForAnyValue:StringLikeIfExists` and the like; nil when the base is unknown.
    /// Operator names are matched exactly, as IAM does.
    public init?(parsing name: String) {
        // Over the UTF-8 bytes, with the base found in a table: every condition clause of every policy is
        // parsed here, several times over.
        var name = name
        guard let parsed = name.withUTF8(Self.parse) else { return nil }
        (qualifier, base, ifExists) = parsed
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (Qualifier?, ConditionOperatorBase, Bool)? {
        var rest = bytes
        var qualifier: Qualifier?
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let head = UnsafeBufferPointer(rebasing: bytes[..<colon])
            if head.elementsEqual(Qualifier.forAnyValue.rawValue.utf8) {
                qualifier = .forAnyValue
            } else if head.elementsEqual(Qualifier.forAllValues.rawValue.utf8) {
                qualifier = .forAllValues
            } else {
                return nil
            }
            rest = UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])
        }
        if let base = ConditionOperatorBase.named(rest) { return (qualifier, base, false) }
        let suffix = ifExistsSuffix.count
        guard rest.count > suffix, UnsafeBufferPointer(rebasing: rest[(rest.count - suffix)...]).elementsEqual(ifExistsSuffix),
              let base = ConditionOperatorBase.named(UnsafeBufferPointer(rebasing: rest[..<(rest.count - suffix)])) else { return nil }
        return (qualifier, base, true)
    }

    private static let ifExistsSuffix = Array("IfExists".utf8)

    public var description: String {
        (qualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
    }
}

/// The base condition operators of IAM.
public enum ConditionOperatorBase: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case numericEquals = "NumericEquals"
    case numericNotEquals = "NumericNotEquals"
    case numericLessThan = "NumericLessThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThan = "NumericGreaterThan"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case dateEquals = "DateEquals"
    case dateNotEquals = "DateNotEquals"
    case dateLessThan = "DateLessThan"
    case dateLessThanEquals = "DateLessThanEquals"
    case dateGreaterThan = "DateGreaterThan"
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    case bool = "Bool"
    case binaryEquals = "BinaryEquals"
    case ipAddress = "IpAddress"
    case notIpAddress = "NotIpAddress"
    case arnEquals = "ArnEquals"
    case arnLike = "ArnLike"
    case arnNotEquals = "ArnNotEquals"
    case arnNotLike = "ArnNotLike"
    case null = "Null"

    public enum Category: String, Sendable, Hashable {
        case string, numeric, date, bool, binary, ipAddress, arn, null
    }

    /// The operator spelled exactly `name` (UTF-8): a lookup by length and then a comparison with the few
    /// names of that length, where `init(rawValue:)` compares with every name.
    static func named(_ name: UnsafeBufferPointer<UInt8>) -> ConditionOperatorBase? {
        guard name.count < byLength.count else { return nil }
        for (spelling, base) in byLength[name.count] where spelling.elementsEqual(name) { return base }
        return nil
    }

    /// The operators and their names as UTF-8, by the length of their names.
    private static let byLength: [[(spelling: [UInt8], base: ConditionOperatorBase)]] = {
        var table = [[(spelling: [UInt8], base: ConditionOperatorBase)]](
            repeating: [], count: (allCases.map(\.rawValue.utf8.count).max() ?? 0) + 1)
        for base in allCases { table[base.rawValue.utf8.count].append((Array(base.rawValue.utf8), base)) }
        return table
    }()

    public var category: Category {
        switch self {
        case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike, .stringNotLike: .string
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals: .numeric
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals: .date
        case .bool: .bool
        case .binaryEquals: .binary
        case .ipAddress, .notIpAddress: .ipAddress
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: .arn
        case .null: .null
        }
    }

    /// Whether the operator matches when the value does *not* match (`StringNotEquals`, `NotIpAddress`, …).
    public var isNegated: Bool {
        switch self {
        case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals, .notIpAddress, .arnNotEquals, .arnNotLike: true
        default: false
        }
    }

    /// Whether `*` and `?` are wildcards under this operator.
    public var supportsWildcards: Bool {
        switch self {
        case .stringLike, .stringNotLike, .arnLike, .arnNotLike, .arnEquals, .arnNotEquals: true
        default: false
        }
    }
}
