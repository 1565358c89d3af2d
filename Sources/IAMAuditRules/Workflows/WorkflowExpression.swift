/// A GitHub Actions expression (the text inside `${{ }}`, or an `if:` value), parsed.
///
/// Grammar and precedence follow GitHub, "Evaluate expressions in workflows and actions"
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions): literals (`true`, `false`,
/// `null`, numbers, strings in single quotes where `''` is a quote), context properties with `.name`, `['name']` and
/// `.*`, function calls, then `!`, `<` `<=` `>` `>=`, `==` `!=`, `&&`, `||`, with parentheses for grouping.
indirect enum WorkflowExpression: Sendable, Equatable {
    case string(String)
    case number(Double)
    case boolean(Bool)
    case null
    /// A context property, its names as written, outermost first (`github.event_name` is `["github", "event_name"]`).
    case property([String])
    /// A property reached through something iam-audit does not follow: an object filter (`.*`), an index that is
    /// not a string literal, or a property of a call's or a group's result.
    case unreadableProperty
    /// A function call; the name lowercased (function names ignore case).
    case call(String, [WorkflowExpression])
    case not(WorkflowExpression)
    case and([WorkflowExpression])
    case or([WorkflowExpression])
    case comparison(WorkflowComparison, WorkflowExpression, WorkflowExpression)

    /// The expression `text` holds, or nil when it is not one GitHub would accept (an unterminated string, an
    /// unbalanced parenthesis, an unknown character) or nests deeper than ``WorkflowExpressionParser/maxDepth``.
    static func parse(_ text: Substring) -> WorkflowExpression? {
        guard let tokens = WorkflowExpressionLexer.tokens(Array(text.utf8)) else { return nil }
        var parser = WorkflowExpressionParser(tokens: tokens)
        return parser.parseAll()
    }
}

enum WorkflowComparison: Sendable, Equatable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

enum WorkflowExpressionToken: Sendable, Equatable {
    case leftParen, rightParen, leftBracket, rightBracket, dot, comma, bang, star, and, or
    case comparison(WorkflowComparison)
    case string(String)
    case number(Double)
    case word(String)
}

/// Splits an expression into tokens; nil when a character has no place in GitHub's grammar.
enum WorkflowExpressionLexer {
    static func tokens(_ bytes: [UInt8]) -> [WorkflowExpressionToken]? {
        var tokens: [WorkflowExpressionToken] = []
        var index = 0
        func byte(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let current = bytes[index]
            switch current {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "("): tokens.append(.leftParen); index += 1
            case UInt8(ascii: ")"): tokens.append(.rightParen); index += 1
            case UInt8(ascii: "["): tokens.append(.leftBracket); index += 1
            case UInt8(ascii: "]"): tokens.append(.rightBracket); index += 1
            case UInt8(ascii: ","): tokens.append(.comma); index += 1
            case UInt8(ascii: "*"): tokens.append(.star); index += 1
            case UInt8(ascii: "."):
                if let next = byte(1), isDigit(next), tokens.last.map(endsOperand) != true {
                    guard let number = scanNumber(bytes, &index) else { return nil }
                    tokens.append(.number(number))
                } else {
                    tokens.append(.dot); index += 1
                }
            case UInt8(ascii: "!"):
                if byte(1) == UInt8(ascii: "=") { tokens.append(.comparison(.notEqual)); index += 2 } else { tokens.append(.bang); index += 1 }
            case UInt8(ascii: "="):
                guard byte(1) == UInt8(ascii: "=") else { return nil }
                tokens.append(.comparison(.equal)); index += 2
            case UInt8(ascii: "<"):
                if byte(1) == UInt8(ascii: "=") { tokens.append(.comparison(.lessOrEqual)); index += 2 } else { tokens.append(.comparison(.less)); index += 1 }
            case UInt8(ascii: ">"):
                if byte(1) == UInt8(ascii: "=") { tokens.append(.comparison(.greaterOrEqual)); index += 2 } else { tokens.append(.comparison(.greater)); index += 1 }
            case UInt8(ascii: "&"):
                guard byte(1) == UInt8(ascii: "&") else { return nil }
                tokens.append(.and); index += 2
            case UInt8(ascii: "|"):
                guard byte(1) == UInt8(ascii: "|") else { return nil }
                tokens.append(.or); index += 2
            case UInt8(ascii: "'"):
                var text: [UInt8] = []
                index += 1
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "'") {
                        if byte(1) == UInt8(ascii: "'") { text.append(UInt8(ascii: "'")); index += 2; continue }
                        index += 1
                        closed = true
                        break
                    }
                    text.append(bytes[index])
                    index += 1
                }
                guard closed else { return nil }
                tokens.append(.string(String(decoding: text, as: UTF8.self)))
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let number = scanNumber(bytes, &index) else { return nil }
                tokens.append(.number(number))
            default:
                guard isWordStart(current) else { return nil }
                let start = index
                while index < bytes.count, isWordStart(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                tokens.append(.word(String(decoding: bytes[start..<index], as: UTF8.self)))
            }
        }
        return tokens
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    /// Whether a token ends an operand, so that a following `.` is a property access, not a number's point.
    private static func endsOperand(_ token: WorkflowExpressionToken) -> Bool {
        switch token {
        case .rightParen, .rightBracket, .word, .string, .number, .star: true
        default: false
        }
    }

    /// A number: decimal, with a fraction and an exponent, or hexadecimal (`0xff`), with an optional sign.
    private static func scanNumber(_ bytes: [UInt8], _ index: inout Int) -> Double? {
        let start = index
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        while index < bytes.count {
            let byte = bytes[index]
            if isDigit(byte) || isWordStart(byte) || byte == UInt8(ascii: ".") {
                index += 1
            } else if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")), index > start,
                      bytes[index - 1] == UInt8(ascii: "e") || bytes[index - 1] == UInt8(ascii: "E") {
                index += 1
            } else {
                break
            }
        }
        var text = String(decoding: bytes[start..<index], as: UTF8.self)
        var sign = 1.0
        if text.hasPrefix("-") { sign = -1; text.removeFirst() } else if text.hasPrefix("+") { text.removeFirst() }
        if text.lowercased().hasPrefix("0x") {
            return Int(text.dropFirst(2), radix: 16).map { sign * Double($0) }
        }
        guard let first = text.utf8.first, isDigit(first) || first == UInt8(ascii: "."),
              text.utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
                  || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }),
              let value = Double(text) else { return nil }
        return sign * value
    }
}

/// A recursive-descent parser over ``WorkflowExpressionToken``s, bounded in depth so that no input exhausts the stack.
struct WorkflowExpressionParser {
    /// The deepest nesting of groups, indexes, calls and `!` read; deeper text is unreadable. Real conditions nest a
    /// few levels.
    static let maxDepth = 64
    /// The longest chain of comparisons (`a == b == c`) read.
    static let maxComparisonChain = 16

    struct Unreadable: Error {}

    private let tokens: [WorkflowExpressionToken]
    private var index = 0
    private var depth = 0

    init(tokens: [WorkflowExpressionToken]) {
        self.tokens = tokens
    }

    /// The whole token list as one expression, or nil.
    mutating func parseAll() -> WorkflowExpression? {
        guard !tokens.isEmpty, let expression = try? parseOr(), index == tokens.count else { return nil }
        return expression
    }

    private var current: WorkflowExpressionToken? { index < tokens.count ? tokens[index] : nil }

    private mutating func enter() throws(Unreadable) {
        depth += 1
        if depth > Self.maxDepth { throw Unreadable() }
    }

    private mutating func expect(_ token: WorkflowExpressionToken) throws(Unreadable) {
        guard current == token else { throw Unreadable() }
        index += 1
    }

    private mutating func parseOr() throws(Unreadable) -> WorkflowExpression {
        try enter()
        defer { depth -= 1 }
        var operands = [try parseAnd()]
        while current == .or {
            index += 1
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseAnd() throws(Unreadable) -> WorkflowExpression {
        var operands = [try parseEquality()]
        while current == .and {
            index += 1
            operands.append(try parseEquality())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseEquality() throws(Unreadable) -> WorkflowExpression {
        var left = try parseRelational()
        var chain = 0
        while case .comparison(let comparison) = current, comparison == .equal || comparison == .notEqual {
            chain += 1
            if chain > Self.maxComparisonChain { throw Unreadable() }
            index += 1
            left = .comparison(comparison, left, try parseRelational())
        }
        return left
    }

    private mutating func parseRelational() throws(Unreadable) -> WorkflowExpression {
        var left = try parseUnary()
        var chain = 0
        while case .comparison(let comparison) = current, comparison != .equal, comparison != .notEqual {
            chain += 1
            if chain > Self.maxComparisonChain { throw Unreadable() }
            index += 1
            left = .comparison(comparison, left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(Unreadable) -> WorkflowExpression {
        guard current == .bang else { return try parsePostfix() }
        index += 1
        try enter()
        defer { depth -= 1 }
        return .not(try parseUnary())
    }

    private mutating func parsePostfix() throws(Unreadable) -> WorkflowExpression {
        var expression = try parsePrimary()
        while let token = current, token == .dot || token == .leftBracket {
            index += 1
            var name: String?
            if token == .dot {
                switch current {
                case .word(let word): name = word
                case .star: name = nil
                default: throw Unreadable()
                }
                index += 1
            } else {
                try enter()
                let key = try parseOr()
                depth -= 1
                try expect(.rightBracket)
                if case .string(let string) = key { name = string }
            }
            if case .property(let path) = expression, let name {
                expression = .property(path + [name])
            } else {
                expression = .unreadableProperty
            }
        }
        return expression
    }

    private mutating func parsePrimary() throws(Unreadable) -> WorkflowExpression {
        guard let token = current else { throw Unreadable() }
        index += 1
        switch token {
        case .string(let string): return .string(string)
        case .number(let number): return .number(number)
        case .leftParen:
            // A group has its content's value: `(github.event).action` is `github.event.action`.
            let inner = try parseOr()
            try expect(.rightParen)
            return inner
        case .word(let word):
            // Literals are lowercase in GitHub's grammar; `TRUE` would be a context name, which it does not know.
            switch word {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            case "null": return .null
            default: break
            }
            guard current == .leftParen else { return .property([word]) }
            index += 1
            try enter()
            defer { depth -= 1 }
            var arguments: [WorkflowExpression] = []
            if current != .rightParen {
                arguments.append(try parseOr())
                while current == .comma {
                    index += 1
                    arguments.append(try parseOr())
                }
            }
            try expect(.rightParen)
            return .call(word.lowercased(), arguments)
        default:
            throw Unreadable()
        }
    }
}

/// The `${{ }}` expressions in a workflow value.
enum WorkflowInterpolation {
    enum Segment: Equatable {
        case text(String)
        /// The text between `${{` and `}}`.
        case expression(Substring)
    }

    /// The value cut into literal text and expressions; nil when an expression is not closed. An expression ends
    /// at the first `}}` outside a string literal.
    static func segments(_ value: String) -> [Segment]? {
        var segments: [Segment] = []
        var rest = value[...]
        while let open = rest.range(of: "${{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = closingBraces(rest[open.upperBound...]) else { return nil }
            segments.append(.expression(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return segments
    }

    /// The range of the `}}` closing an expression that starts at `text`'s start.
    static func closingBraces(_ text: Substring) -> Range<Substring.Index>? {
        var inString = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "'" {
                inString.toggle()
            } else if !inString, character == "}" {
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "}" { return index..<text.index(after: next) }
            }
            index = text.index(after: index)
        }
        return nil
    }
}

extension String {
    /// Whether the text holds a `${{` expression.
    var holdsWorkflowExpression: Bool { contains("${{") }
}
