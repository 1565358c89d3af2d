/// A position in a source file: 1-based line and column, 0-based byte offset.
///
/// Columns count Unicode scalar values from the start of the line (SARIF `columnKind`
/// `unicodeCodePoints`); a line break is `\n`, `\r\n` or a lone `\r`.
public struct SourcePosition: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode scalar values.
    public var column: Int
    /// 0-based byte offset into the file.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static let start = SourcePosition(line: 1, column: 1, offset: 0)

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column, lhs.offset) < (rhs.line, rhs.column, rhs.offset)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range of source text: `end` is the position just after the last character,
/// as in SARIF's `endColumn`.
public struct SourceSpan: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// An empty span at one position.
    public init(at position: SourcePosition) {
        self.start = position
        self.end = position
    }

    public var description: String { "\(start.line):\(start.column)-\(end.line):\(end.column)" }
}
