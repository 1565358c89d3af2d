// Scalars: plain, single- and double-quoted, literal and folded.
extension YAMLReader {
    /// Reads a plain scalar at `index`, folding its lines (a line break becomes a space, each empty line a `\n`).
    /// - Parameter parentIndent: in block context, continuation lines must be indented more than this.
    /// - Parameter singleLine: for implicit keys, which never continue on the next line.
    mutating func parsePlainScalar(parentIndent: Int, inFlow: Bool, singleLine: Bool) -> YAMLParsedNode {
        let start = index
        var folded: [UInt8]?
        var end = index
        while true {
            let segmentStart = index
            scanPlainLine(inFlow: inFlow)
            end = index
            if folded != nil { folded?.append(contentsOf: bytes[segmentStart..<end]) }
            if singleLine { break }
            guard let (continuation, emptyLines) = plainContinuation(parentIndent: parentIndent, inFlow: inFlow) else { break }
            if folded == nil { folded = Array(bytes[start..<end]) }
            if emptyLines == 0 {
                folded?.append(YAMLByte.space)
            } else {
                folded?.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: emptyLines))
            }
            index = continuation
        }
        index = end
        let text = folded.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: bytes[start..<end], as: UTF8.self)
        return scalarNode(text, from: start, to: end, plain: true)
    }

    /// Moves `index` to the end of the plain text on this line: before `: `, ` #`, trailing blanks, a line break,
    /// or (in flow) a flow indicator.
    mutating func scanPlainLine(inFlow: Bool) {
        while true {
            let value = current
            if YAMLByte.isBreakOrEnd(value) { return }
            if value == YAMLByte.colon {
                let next = byte(index + 1)
                if YAMLByte.isWhiteOrEnd(next) || (inFlow && YAMLByte.isFlowIndicator(next)) { return }
            }
            if inFlow, YAMLByte.isFlowIndicator(value) { return }
            if YAMLByte.isBlank(value) {
                var cursor = index
                while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
                let after = byte(cursor)
                if after == YAMLByte.hash || YAMLByte.isBreakOrEnd(after) { return }
                if inFlow, YAMLByte.isFlowIndicator(after) { return }
                if after == YAMLByte.colon, YAMLByte.isWhiteOrEnd(byte(cursor + 1)) || (inFlow && YAMLByte.isFlowIndicator(byte(cursor + 1))) {
                    return
                }
                index = cursor
                continue
            }
            index += 1
        }
    }

    /// Where a plain scalar that stopped at `index` continues on a later line, with the number of empty lines
    /// between; nil when it ends here.
    func plainContinuation(parentIndent: Int, inFlow: Bool) -> (offset: Int, emptyLines: Int)? {
        var cursor = index
        while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
        guard YAMLByte.isBreak(byte(cursor)) else { return nil }
        var emptyLines = -1
        while YAMLByte.isBreak(byte(cursor)) {
            emptyLines += 1
            cursor += byte(cursor) == YAMLByte.carriageReturn && byte(cursor + 1) == YAMLByte.lineFeed ? 2 : 1
            let lineStart = cursor
            while byte(cursor) == YAMLByte.space { cursor += 1 }
            let spaces = cursor - lineStart
            while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
            if YAMLByte.isBreak(byte(cursor)) { continue }
            let value = byte(cursor)
            if value == 0 || value == YAMLByte.hash || isDocumentMarker(at: lineStart) { return nil }
            if !inFlow, spaces <= parentIndent { return nil }
            if inFlow, YAMLByte.isFlowIndicator(value) { return nil }
            if value == YAMLByte.colon {
                let next = byte(cursor + 1)
                if YAMLByte.isWhiteOrEnd(next) || (inFlow && YAMLByte.isFlowIndicator(next)) { return nil }
            }
            return (cursor, emptyLines)
        }
        return nil
    }

    // MARK: Quoted

    /// Reads a single- or double-quoted scalar at `index`, with its escapes and line folding.
    mutating func parseQuotedScalar() throws(YAMLSyntaxError) -> YAMLParsedNode {
        let start = index
        let quote = current
        let isDouble = quote == YAMLByte.doubleQuote
        index += 1
        var text: [UInt8] = []
        while true {
            let value = current
            if value == 0 {
                throw error("unterminated \(isDouble ? "double" : "single")-quoted string", at: start)
            }
            if value == quote {
                if !isDouble, byte(index + 1) == YAMLByte.singleQuote {
                    text.append(YAMLByte.singleQuote)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            if isDouble, value == YAMLByte.backslash {
                if YAMLByte.isBreak(byte(index + 1)) {
                    index += 1
                    consumeBreak()
                    let emptyLines = try skipQuotedLinePrefix(quoteStart: start, isDouble: isDouble)
                    text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: emptyLines))
                } else {
                    try appendEscape(to: &text)
                }
                continue
            }
            if YAMLByte.isBlank(value) || YAMLByte.isBreak(value) {
                var cursor = index
                while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
                if YAMLByte.isBreak(byte(cursor)) {
                    index = cursor
                    consumeBreak()
                    let emptyLines = try skipQuotedLinePrefix(quoteStart: start, isDouble: isDouble)
                    if emptyLines == 0 {
                        text.append(YAMLByte.space)
                    } else {
                        text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: emptyLines))
                    }
                } else {
                    text.append(contentsOf: bytes[index..<cursor])
                    index = cursor
                }
                continue
            }
            text.append(value)
            index += 1
        }
        return scalarNode(String(decoding: text, as: UTF8.self), from: start, to: index, plain: false)
    }

    /// After a line break inside a quoted scalar, skips empty lines and the next line's leading white space;
    /// returns how many empty lines there were.
    mutating func skipQuotedLinePrefix(quoteStart: Int, isDouble: Bool) throws(YAMLSyntaxError) -> Int {
        var emptyLines = 0
        while true {
            if isDocumentMarker(at: index) {
                throw error("unterminated \(isDouble ? "double" : "single")-quoted string (a document marker inside it)", at: quoteStart)
            }
            skipBlanks()
            guard YAMLByte.isBreak(current) else { break }
            emptyLines += 1
            consumeBreak()
        }
        if current == 0 {
            throw error("unterminated \(isDouble ? "double" : "single")-quoted string", at: quoteStart)
        }
        return emptyLines
    }

    /// Appends the character a double-quoted scalar's escape at `index` (the backslash) stands for.
    mutating func appendEscape(to text: inout [UInt8]) throws(YAMLSyntaxError) {
        let start = index
        let letter = byte(index + 1)
        index += 2
        let scalar: UInt32
        switch letter {
        case UInt8(ascii: "0"): scalar = 0
        case UInt8(ascii: "a"): scalar = 0x07
        case UInt8(ascii: "b"): scalar = 0x08
        case UInt8(ascii: "t"), YAMLByte.tab: scalar = 0x09
        case UInt8(ascii: "n"): scalar = 0x0A
        case UInt8(ascii: "v"): scalar = 0x0B
        case UInt8(ascii: "f"): scalar = 0x0C
        case UInt8(ascii: "r"): scalar = 0x0D
        case UInt8(ascii: "e"): scalar = 0x1B
        case YAMLByte.space, YAMLByte.doubleQuote, UInt8(ascii: "/"), YAMLByte.backslash: scalar = UInt32(letter)
        case UInt8(ascii: "N"): scalar = 0x85
        case UInt8(ascii: "_"): scalar = 0xA0
        case UInt8(ascii: "L"): scalar = 0x2028
        case UInt8(ascii: "P"): scalar = 0x2029
        case UInt8(ascii: "x"): scalar = try readHexadecimal(digits: 2, escapeStart: start)
        case UInt8(ascii: "U"): scalar = try readHexadecimal(digits: 8, escapeStart: start)
        case UInt8(ascii: "u"): scalar = completingSurrogatePair(try readHexadecimal(digits: 4, escapeStart: start))
        default:
            index = start
            throw error("invalid escape sequence: a backslash followed by \(describe(at: start + 1)) in a double-quoted string", at: start)
        }
        guard let value = Unicode.Scalar(scalar) else {
            throw error("escape sequence names no Unicode character (U+\(String(scalar, radix: 16, uppercase: true)))", at: start)
        }
        text.append(contentsOf: UTF8.encode(value)!)
    }

    /// Reads `digits` hexadecimal digits at `index` and moves past them.
    mutating func readHexadecimal(digits: Int, escapeStart: Int) throws(YAMLSyntaxError) -> UInt32 {
        guard let value = hexadecimalValue(at: index, digits: digits) else {
            throw error("invalid escape sequence: expected \(digits) hexadecimal digits", at: escapeStart)
        }
        index += digits
        return value
    }

    /// The value of `digits` hexadecimal digits at `offset`, or nil when they are not all there.
    func hexadecimalValue(at offset: Int, digits: Int) -> UInt32? {
        var value: UInt32 = 0
        for cursor in offset..<offset + digits {
            let digit = byte(cursor)
            guard YAMLCoreSchema.isHexadecimalDigit(digit) else { return nil }
            value = value << 4 | UInt32(digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x61 + 10)
        }
        return value
    }

    /// The character a `\u` escape's `code` stands for. A high surrogate followed by a `\u` escape of a low one
    /// (JSON's way of writing characters beyond U+FFFF) is their pair, and `index` moves past the second escape;
    /// a lone surrogate is U+FFFD, as the JSON parser reads it.
    mutating func completingSurrogatePair(_ code: UInt32) -> UInt32 {
        guard (0xD800...0xDFFF).contains(code) else { return code }
        guard code <= 0xDBFF, byte(index) == YAMLByte.backslash, byte(index + 1) == UInt8(ascii: "u"),
              let low = hexadecimalValue(at: index + 2, digits: 4), (0xDC00...0xDFFF).contains(low) else {
            return 0xFFFD
        }
        index += 6
        return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
    }

    // MARK: Block scalars

    /// Reads a literal (`|`) or folded (`>`) block scalar from its indicator to the end of its last content line,
    /// and leaves `index` at the start of the first line after it.
    mutating func parseBlockScalar(parentIndent: Int) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let start = index
        let isFolded = current == YAMLByte.greaterThan
        index += 1
        var chomping: UInt8 = 0
        var explicitIndent: Int?
        for _ in 0..<2 {
            if chomping == 0, current == YAMLByte.hyphen || current == UInt8(ascii: "+") {
                chomping = current
            } else if explicitIndent == nil, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(current) {
                explicitIndent = Int(current - 0x30)
            } else {
                break
            }
            index += 1
        }
        let headerEnd = index
        skipBlanks()
        if current == YAMLByte.hash, index > headerEnd { skipComment() }
        guard YAMLByte.isBreakOrEnd(current) else {
            throw error("unexpected \(describe(at: index)) in a block scalar's header (expected an indentation digit 1-9, '-' or '+')", at: index)
        }
        consumeBreak()
        // An indentation indicator counts from the parent's indentation; at a document's root, from column 1, as
        // libyaml and the emitters built on it write it.
        let contentIndent = explicitIndent.map { max(parentIndent, 0) + $0 } ?? detectBlockIndentation(parentIndent: parentIndent)
        var text: [UInt8] = []
        var pendingBreaks = 0
        var contentEnd = headerEnd
        var sawContent = false
        var previousMoreIndented = false
        var endsWithBreak = false
        while current != 0 {
            let lineStart = index
            if isDocumentMarker(at: lineStart) { break }
            while current == YAMLByte.space, index - lineStart < contentIndent { index += 1 }
            if index - lineStart < contentIndent || YAMLByte.isBreakOrEnd(current) {
                var cursor = index
                while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
                guard YAMLByte.isBreakOrEnd(byte(cursor)) else {
                    index = lineStart
                    break
                }
                index = cursor
                if current == 0 { break }
                pendingBreaks += 1
                consumeBreak()
                continue
            }
            let textStart = index
            while !YAMLByte.isBreakOrEnd(current) { index += 1 }
            let moreIndented = YAMLByte.isBlank(bytes[textStart])
            if !sawContent {
                text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: pendingBreaks))
            } else if isFolded, !previousMoreIndented, !moreIndented {
                if pendingBreaks == 0 {
                    text.append(YAMLByte.space)
                } else {
                    text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: pendingBreaks))
                }
            } else {
                text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: pendingBreaks + 1))
            }
            text.append(contentsOf: bytes[textStart..<index])
            sawContent = true
            previousMoreIndented = moreIndented
            pendingBreaks = 0
            contentEnd = index
            endsWithBreak = current != 0
            consumeBreak()
        }
        switch chomping {
        case YAMLByte.hyphen:
            break
        case UInt8(ascii: "+"):
            text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: pendingBreaks + (sawContent && endsWithBreak ? 1 : 0)))
        default:
            if sawContent, endsWithBreak { text.append(YAMLByte.lineFeed) }
        }
        return scalarNode(String(decoding: text, as: UTF8.self), from: start, to: contentEnd, plain: false)
    }

    /// The indentation of a block scalar's first non-empty line (at least one more than its parent's).
    func detectBlockIndentation(parentIndent: Int) -> Int {
        var cursor = index
        while true {
            let lineStart = cursor
            while byte(cursor) == YAMLByte.space { cursor += 1 }
            let spaces = cursor - lineStart
            while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
            if YAMLByte.isBreak(byte(cursor)) {
                cursor += byte(cursor) == YAMLByte.carriageReturn && byte(cursor + 1) == YAMLByte.lineFeed ? 2 : 1
                continue
            }
            return max(spaces, parentIndent + 1)
        }
    }
}
