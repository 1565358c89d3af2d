/// Maps positions in the decoded text of a JSON string literal back to the file that holds the literal, so a policy
/// document embedded as a string (an AWS CLI wrapper, a Terraform plan) is reported at the exact line and column of
/// each value inside the string.
///
/// Only a literal written on one line with JSON escapes is mapped (every JSON string is: a raw line break is not
/// allowed in one); RFC 8259 §7 lists the escapes.
struct EmbeddedStringMap {
    /// Decoded byte offset → raw byte offset in the file, one entry per decoded byte and one past the end.
    private var rawOffsets: [Int] = []
    private let source: [UInt8]
    private let start: SourcePosition

    /// The map of the literal `span` covers in `source` (its opening quote at `span.start`); nil when the span does
    /// not hold a one-line JSON string literal whose decoding is `decoded`.
    init?(source: [UInt8], span: SourceSpan, decoded: [UInt8]) {
        let open = span.start.offset
        guard open >= 0, span.end.offset <= source.count, open < span.end.offset, source[open] == UInt8(ascii: "\"") else { return nil }
        self.source = source
        start = span.start
        var index = open + 1
        let end = span.end.offset - 1
        var offsets: [Int] = []
        offsets.reserveCapacity(decoded.count + 1)
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var value: UInt32 = 0
            for byte in source[at..<(at + 4)] {
                guard let digit = (byte >= 0x30 && byte <= 0x39) ? byte - 0x30 : (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66 ? (byte | 0x20) - 0x57 : nil
                else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < end {
            let byte = source[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return nil }
            guard byte == UInt8(ascii: "\\") else {
                offsets.append(index)
                index += 1
                continue
            }
            guard index + 1 < end else { return nil }
            if source[index + 1] != UInt8(ascii: "u") {
                offsets.append(index)
                index += 2
                continue
            }
            guard var scalar = hex(index + 2) else { return nil }
            var length = 6
            if (0xD800...0xDBFF).contains(scalar), source.count > index + 7, source[index + 6] == UInt8(ascii: "\\"),
               source[index + 7] == UInt8(ascii: "u"), let low = hex(index + 8), (0xDC00...0xDFFF).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                length = 12
            }
            let width = scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
            for _ in 0..<width { offsets.append(index) }
            index += length
        }
        guard offsets.count == decoded.count else { return nil }
        offsets.append(end)
        rawOffsets = offsets
    }

    /// The file position of a position in the decoded text.
    func position(_ decoded: SourcePosition) -> SourcePosition {
        let offset = rawOffsets[min(max(decoded.offset, 0), rawOffsets.count - 1)]
        // Columns count Unicode scalars: every byte but a UTF-8 continuation byte starts one.
        var column = start.column
        var index = start.offset
        while index < offset {
            if source[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: start.line, column: column, offset: offset)
    }

    /// `node` with every span, keys' included, moved into the file.
    func relocated(_ node: JSONNode) -> JSONNode {
        let span = SourceSpan(start: position(node.span.start), end: position(node.span.end))
        switch node.value {
        case .array(let elements):
            return JSONNode(.array(elements.map(relocated)), span: span)
        case .object(let members):
            return JSONNode(.object(members.map { member in
                JSONMember(key: member.key, keySpan: SourceSpan(start: position(member.keySpan.start), end: position(member.keySpan.end)),
                           value: relocated(member.value))
            }), span: span)
        default:
            return JSONNode(node.value, span: span)
        }
    }
}
