/// A syntax error in a JSON document (or a YAML stream, ``YAMLSyntaxError``), with the position where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition

    public init(message: String, position: SourcePosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(position.line):\(position.column): \(message)" }
}

/// A byte-level JSON parser (RFC 8259) that records the source span of every value and key.
///
/// It accepts a leading UTF-8 byte order mark, counts `\r\n` as one line break, keeps numbers as text
/// (so `1e999` and a 10,000-digit integer are read without loss or overflow), keeps duplicate keys,
/// and stops with a `JSONSyntaxError` naming the line and column on anything else: invalid UTF-8,
/// UTF-16 input, control characters in strings, `NaN`, trailing data, or nesting deeper than `maxDepth`.
public struct JSONParser: Sendable {
    /// The default nesting limit: far above any real policy, far below the stack's limit.
    public static let defaultMaxDepth = 512

    public var maxDepth: Int

    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON document.
    public func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONNode in
            var reader = ByteReader(buffer, maxDepth: maxDepth)
            return try reader.parseDocument()
        }
    }

    /// Parses the one JSON value that fills `range` of `bytes` (whitespace around it allowed), with positions in
    /// the coordinates of the whole buffer, so a slice of a large file parses into a tree of its own whose spans
    /// still point into the file.
    /// - Parameter start: the position of `range.lowerBound` in the buffer (1-based line and column).
    /// - Parameter lineStart: the offset of the first byte of `start`'s line.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, start: SourcePosition,
                      lineStart: Int) throws(JSONSyntaxError) -> JSONNode {
        var reader = ByteReader(UnsafeBufferPointer(rebasing: bytes[..<range.upperBound]), maxDepth: maxDepth)
        reader.index = range.lowerBound
        reader.line = start.line
        reader.lineStart = lineStart
        reader.cacheOffset = range.lowerBound
        reader.cacheColumn = start.column
        return try reader.parseSlice()
    }

    /// Parses one JSON document from a string.
    public func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
        try parse(Array(text.utf8))
    }
}

private struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0
    var line = 1
    var lineStart = 0
    // Column cache: the column of byte `cacheOffset` on the current line.
    var cacheOffset = 0
    var cacheColumn = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // MARK: Positions

    /// The position of byte `offset`, which must lie on the current line at or after `lineStart`.
    mutating func position(at offset: Int) -> SourcePosition {
        if offset < cacheOffset || cacheOffset < lineStart {
            cacheOffset = lineStart
            cacheColumn = 1
        }
        var column = cacheColumn
        var cursor = cacheOffset
        while cursor < offset {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        cacheOffset = offset
        cacheColumn = column
        return SourcePosition(line: line, column: column, offset: offset)
    }

    mutating func here() -> SourcePosition { position(at: index) }

    func error(_ message: String, at position: SourcePosition) -> JSONSyntaxError {
        JSONSyntaxError(message: message, position: position)
    }

    mutating func fail(_ message: String) -> JSONSyntaxError {
        error(message, at: here())
    }

    // MARK: Document

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        if let encoding = utf16Encoding() {
            throw fail("the file is UTF-16 encoded (\(encoding)); policies must be UTF-8")
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            lineStart = 3
            cacheOffset = 3
        }
        skipWhitespace()
        if index == bytes.count {
            throw fail(bytes.isEmpty ? "the file is empty" : "the file holds no JSON value")
        }
        return try parseSlice()
    }

    /// Parses the value between `index` and the end of the buffer, which must hold nothing else.
    mutating func parseSlice() throws(JSONSyntaxError) -> JSONNode {
        skipWhitespace()
        let root = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw fail("unexpected \(describeByte(at: index)) after the end of the JSON value")
        }
        return root
    }

    /// How the bytes look UTF-16 encoded (`little-endian, no byte order mark`), or nil: a byte order mark, or
    /// without one two ASCII characters each followed (little-endian) or preceded (big-endian) by a NUL byte,
    /// which JSON never holds.
    func utf16Encoding() -> String? {
        guard bytes.count >= 2 else { return nil }
        if bytes[0] == 0xFF && bytes[1] == 0xFE { return "little-endian byte order mark" }
        if bytes[0] == 0xFE && bytes[1] == 0xFF { return "big-endian byte order mark" }
        guard bytes.count >= 4 else { return nil }
        func isASCII(_ byte: UInt8) -> Bool { byte != 0 && byte < 0x80 }
        if isASCII(bytes[0]), bytes[1] == 0, isASCII(bytes[2]), bytes[3] == 0 { return "little-endian, no byte order mark" }
        if bytes[0] == 0, isASCII(bytes[1]), bytes[2] == 0, isASCII(bytes[3]) { return "big-endian, no byte order mark" }
        return nil
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09:
                index += 1
            case 0x0A:
                index += 1
                newLine()
            case 0x0D:
                index += 1
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                newLine()
            default:
                return
            }
        }
    }

    mutating func newLine() {
        line += 1
        lineStart = index
        cacheOffset = index
        cacheColumn = 1
    }

    func describeByte(at offset: Int) -> String {
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0 { return "NUL byte" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }

    // MARK: Values

    mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard index < bytes.count else { throw fail("unexpected end of input, expected a value") }
        let start = here()
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(start: start)
        case UInt8(ascii: "["):
            return try parseArray(start: start)
        case UInt8(ascii: "\""):
            let string = try parseString()
            return JSONNode(.string(string), span: SourceSpan(start: start, end: here()))
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return JSONNode(.bool(true), span: SourceSpan(start: start, end: here()))
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return JSONNode(.bool(false), span: SourceSpan(start: start, end: here()))
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return JSONNode(.null, span: SourceSpan(start: start, end: here()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try parseNumber()
            return JSONNode(.number(text), span: SourceSpan(start: start, end: here()))
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw fail("NaN and Infinity are not JSON values")
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            throw fail("unexpected \(describeByte(at: index)), expected a value")
        case UInt8(ascii: "'"):
            throw fail("strings must use double quotes, not single quotes")
        default:
            throw fail("unexpected \(describeByte(at: index)), expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let pointer = literal.utf8Start
        for offset in 0..<count {
            guard start + offset < bytes.count, bytes[start + offset] == pointer[offset] else {
                throw fail("invalid literal, expected '\(literal)'")
            }
        }
        index += count
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > maxDepth {
            throw fail("nesting deeper than \(maxDepth) levels")
        }
    }

    mutating func parseObject(start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        try enter()
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONNode(.object(members), span: SourceSpan(start: start, end: here()))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an object started at \(start)") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                if bytes[index] == UInt8(ascii: "}") { throw fail("trailing comma before '}'") }
                if bytes[index] == UInt8(ascii: "'") { throw fail("keys must use double quotes, not single quotes") }
                throw fail("unexpected \(describeByte(at: index)), expected a string key")
            }
            let keyStart = here()
            let key = try parseString()
            let keySpan = SourceSpan(start: keyStart, end: here())
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw fail(index < bytes.count ? "unexpected \(describeByte(at: index)), expected ':' after key \"\(key)\"" : "unexpected end of input, expected ':'")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONMember(key: key, keySpan: keySpan, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an object started at \(start)") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return JSONNode(.object(members), span: SourceSpan(start: start, end: here()))
            default:
                throw fail("unexpected \(describeByte(at: index)), expected ',' or '}'")
            }
        }
    }

    mutating func parseArray(start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        try enter()
        index += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return JSONNode(.array(elements), span: SourceSpan(start: start, end: here()))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an array started at \(start)") }
            if bytes[index] == UInt8(ascii: "]") { throw fail("trailing comma before ']'") }
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an array started at \(start)") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return JSONNode(.array(elements), span: SourceSpan(start: start, end: here()))
            default:
                throw fail("unexpected \(describeByte(at: index)), expected ',' or ']'")
            }
        }
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            if index < bytes.count, bytes[index] == UInt8(ascii: "I") { throw fail("NaN and Infinity are not JSON values") }
            throw fail("invalid number: expected a digit")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail("invalid number: leading zeros are not allowed") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number: expected a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number: expected a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    // MARK: Strings

    /// Reads a string starting at the opening quote and leaves `index` after the closing quote.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        let contentStart = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let result = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                index += 1
                return result
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacterError(byte) }
            if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        var scalars = Array(bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &scalars)
            case 0..<0x20:
                throw controlCharacterError(byte)
            case 0..<0x80:
                scalars.append(byte)
                index += 1
            default:
                let start = index
                try skipUTF8Sequence()
                scalars.append(contentsOf: bytes[start..<index])
            }
        }
        throw fail("unexpected end of input inside a string")
    }

    mutating func controlCharacterError(_ byte: UInt8) -> JSONSyntaxError {
        if byte == 0x0A || byte == 0x0D { return fail("unterminated string: line break inside a string") }
        if byte == 0 { return fail("NUL byte inside a string") }
        return fail("control character \(describeByte(at: index)) inside a string must be escaped")
    }

    /// Validates one multi-byte UTF-8 sequence at `index` and moves past it.
    mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        guard let (length, second) = UTF8Sequence.shape(lead: bytes[index]) else {
            throw fail("invalid UTF-8: \(describeByte(at: index))")
        }
        for offset in 1..<length {
            let cursor = index + offset
            guard cursor < bytes.count else { throw fail("invalid UTF-8: truncated sequence") }
            let byte = bytes[cursor]
            guard (offset == 1 ? second : 0x80...0xBF).contains(byte) else {
                throw fail("invalid UTF-8: \(describeByte(at: index)) followed by \(describeByte(at: cursor))")
            }
        }
        index += length
    }

    mutating func appendEscape(to scalars: inout [UInt8]) throws(JSONSyntaxError) {
        index += 1
        guard index < bytes.count else { throw fail("unexpected end of input inside a string") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scalars.append(0x22)
        case UInt8(ascii: "\\"): scalars.append(0x5C)
        case UInt8(ascii: "/"): scalars.append(0x2F)
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "u"):
            var code = try readHex4()
            if (0xD800...0xDBFF).contains(code) {
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try readHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                        code = 0xFFFD
                    }
                } else {
                    code = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(code) {
                code = 0xFFFD
            }
            let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
            scalars.append(contentsOf: UTF8.encode(scalar)!)
        default:
            index -= 2
            throw fail("invalid escape sequence '\\\(byte >= 0x21 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "?")' in a string")
        }
    }

    mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail("unexpected end of input inside a \\u escape") }
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
            default: throw fail("invalid \\u escape: expected four hexadecimal digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
