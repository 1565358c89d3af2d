/// The bytes YAML's grammar gives a meaning to.
enum YAMLByte {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let exclamation = UInt8(ascii: "!")
    static let doubleQuote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let percent = UInt8(ascii: "%")
    static let ampersand = UInt8(ascii: "&")
    static let singleQuote = UInt8(ascii: "'")
    static let asterisk = UInt8(ascii: "*")
    static let comma = UInt8(ascii: ",")
    static let hyphen = UInt8(ascii: "-")
    static let period = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let question = UInt8(ascii: "?")
    static let at = UInt8(ascii: "@")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let backtick = UInt8(ascii: "`")
    static let openBrace = UInt8(ascii: "{")
    static let pipe = UInt8(ascii: "|")
    static let closeBrace = UInt8(ascii: "}")

    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }
    static func isBreak(_ byte: UInt8) -> Bool { byte == lineFeed || byte == carriageReturn }
    /// A line break or the end of the input (read as NUL, which validated input never holds).
    static func isBreakOrEnd(_ byte: UInt8) -> Bool { isBreak(byte) || byte == 0 }
    static func isWhiteOrEnd(_ byte: UInt8) -> Bool { isBlank(byte) || isBreakOrEnd(byte) }
    static func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == comma || byte == openBracket || byte == closeBracket || byte == openBrace || byte == closeBrace
    }
}

/// Messages the reader gives in more than one place.
enum YAMLMessage {
    static let flowCollectionKey = "a flow mapping or sequence cannot be a mapping key (complex keys are not supported)"
    static let collectionKey = "a mapping or sequence cannot be a mapping key (complex keys are not supported)"
    static let mappingValueNotAllowed = "a mapping value is not allowed here (a ': ' inside a plain scalar, or a key on the line of another key?)"
    static let directiveWithoutDocument = "a directive must be followed by a document ('---')"
}

/// A node as the reader builds it: the tree node and what the grammar still needs to know of it.
struct YAMLParsedNode {
    var node: JSONNode
    /// The content of a scalar, after escapes and folding; nil for a mapping or a sequence.
    var scalarText: String?
    /// Whether the scalar was written plain: only an untagged plain `<<` is a merge key.
    var isPlain = false
    /// Whether it was quoted or a flow collection, after which a flow mapping's `:` may follow without a space.
    var isJSONLike = false
}

/// An anchored node and how many nodes it holds, counting the copies of aliases inside it.
struct YAMLAnchoredNode {
    var parsed: YAMLParsedNode
    var nodeCount: Int
}

/// The anchor and tag written before a node.
struct YAMLNodeProperties {
    var anchor: String?
    var tag: YAMLTag?
    /// The offset of the tag's `!`.
    var tagOffset = 0
    var tagPosition = SourcePosition.start

    var isEmpty: Bool { anchor == nil && tag == nil }
}

/// The state of one pass over a YAML stream: the cursor, the line table for positions, anchors and bounds.
///
/// Offsets index `bytes`; the reader reads past the end as NUL (validated input holds none), which ends every
/// loop that looks for a line break.
struct YAMLReader {
    let bytes: [UInt8]
    let options: YAMLParser.Options
    var index: Int
    /// The offset of the first byte of each line; line 1 starts after a byte order mark.
    let lineStarts: [Int]
    /// The offset where the last document read began.
    var documentStart = 0
    var depth = 0
    /// Nodes read so far, aliases counting every node they copy.
    var nodeCount = 0
    /// Nodes copied by aliases so far.
    var expandedNodes = 0
    var anchors: [String: YAMLAnchoredNode] = [:]
    /// `%TAG` handles of the current document, each with its prefix.
    var tagHandles: [String: String] = [:]
    private var lastLine = 0
    private var columnCacheLine = -1
    private var columnCacheOffset = 0
    private var columnCacheColumn = 1

    /// Checks that `bytes` are UTF-8 text without control characters, and records where each line starts.
    init(_ bytes: [UInt8], options: YAMLParser.Options) throws(YAMLSyntaxError) {
        self.bytes = bytes
        self.options = options
        var starts = [0]
        var cursor = 0
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw YAMLSyntaxError(message: "the file is UTF-16 encoded; YAML files must be UTF-8", position: .start)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            cursor = 3
            starts[0] = 3
        }
        func failure(_ message: String, at offset: Int) -> YAMLSyntaxError {
            let lineStart = starts[starts.count - 1]
            let column = 1 + bytes[lineStart..<offset].lazy.filter { $0 & 0xC0 != 0x80 }.count
            return YAMLSyntaxError(message: message, position: SourcePosition(line: starts.count, column: column, offset: offset))
        }
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte < 0x80 {
                cursor += 1
                if byte == YAMLByte.lineFeed {
                    starts.append(cursor)
                } else if byte == YAMLByte.carriageReturn {
                    if cursor < bytes.count, bytes[cursor] == YAMLByte.lineFeed { cursor += 1 }
                    starts.append(cursor)
                } else if byte < 0x20, byte != YAMLByte.tab {
                    throw failure(byte == 0 ? "NUL byte in the file" : "control character 0x\(String(byte, radix: 16, uppercase: true)) in the file", at: cursor - 1)
                }
                continue
            }
            guard let (length, second) = UTF8Sequence.shape(lead: byte) else {
                throw failure("invalid UTF-8: byte 0x\(String(byte, radix: 16, uppercase: true))", at: cursor)
            }
            for offset in 1..<length {
                guard cursor + offset < bytes.count,
                      (offset == 1 ? second : 0x80...0xBF).contains(bytes[cursor + offset]) else {
                    throw failure("invalid UTF-8: truncated or malformed sequence", at: cursor)
                }
            }
            cursor += length
        }
        self.lineStarts = starts
        self.index = starts[0]
    }

    // MARK: Bytes

    func byte(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }

    var current: UInt8 { byte(index) }

    mutating func skipBlanks() {
        while YAMLByte.isBlank(current) { index += 1 }
    }

    /// Moves to the line break (or end) that ends a comment at `index`, if there is one.
    mutating func skipComment() {
        guard current == YAMLByte.hash else { return }
        while !YAMLByte.isBreakOrEnd(current) { index += 1 }
    }

    mutating func consumeBreak() {
        if current == YAMLByte.carriageReturn {
            index += 1
            if current == YAMLByte.lineFeed { index += 1 }
        } else if current == YAMLByte.lineFeed {
            index += 1
        }
    }

    /// Whether `offset` starts a line, or follows a byte order mark that does.
    func isAtLineStart(_ offset: Int) -> Bool {
        func startsLine(_ offset: Int) -> Bool {
            offset == lineStarts[0] || (offset > 0 && YAMLByte.isBreak(byte(offset - 1)))
        }
        if startsLine(offset) { return true }
        return offset >= 3 && byte(offset - 3) == 0xEF && byte(offset - 2) == 0xBB && byte(offset - 1) == 0xBF
            && startsLine(offset - 3)
    }

    /// Whether `---` or `...` stands at `offset`, at the start of a line and followed by white space or the end.
    func isDocumentMarker(at offset: Int) -> Bool {
        guard isAtLineStart(offset), YAMLByte.isWhiteOrEnd(byte(offset + 3)) else { return false }
        let first = byte(offset)
        guard first == YAMLByte.hyphen || first == YAMLByte.period else { return false }
        return byte(offset + 1) == first && byte(offset + 2) == first
    }

    // MARK: Positions

    /// The 0-based index of the line holding `offset`.
    mutating func lineIndex(of offset: Int) -> Int {
        if offset >= lineStarts[lastLine], lastLine + 1 == lineStarts.count || offset < lineStarts[lastLine + 1] {
            return lastLine
        }
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        lastLine = low
        return low
    }

    /// How many bytes precede `offset` on its line: its indentation when only spaces precede it.
    mutating func indentation(of offset: Int) -> Int {
        offset - lineStarts[lineIndex(of: offset)]
    }

    /// The 1-based line and column (in Unicode scalars, as `SourcePosition` counts them) of byte `offset`.
    mutating func position(at offset: Int) -> SourcePosition {
        let line = lineIndex(of: offset)
        let lineStart = lineStarts[line]
        var column = 1
        var cursor = lineStart
        if columnCacheLine == line, columnCacheOffset <= offset {
            column = columnCacheColumn
            cursor = columnCacheOffset
        }
        while cursor < offset {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        columnCacheLine = line
        columnCacheOffset = max(offset, lineStart)
        columnCacheColumn = column
        return SourcePosition(line: line + 1, column: column, offset: offset)
    }

    mutating func span(from start: Int, to end: Int) -> SourceSpan {
        SourceSpan(start: position(at: start), end: position(at: end))
    }

    /// An error at `offset`; a message made long by the text it quotes keeps its first and last 200 characters.
    mutating func error(_ message: String, at offset: Int) -> YAMLSyntaxError {
        var clipped = message
        if message.count > 500 { clipped = message.prefix(200) + " … " + message.suffix(200) }
        return YAMLSyntaxError(message: clipped, position: position(at: offset))
    }

    /// How a message names the character at `offset`.
    func describe(at offset: Int) -> String {
        let value = byte(offset)
        if offset >= bytes.count { return "the end of the file" }
        if YAMLByte.isBreak(value) { return "a line break" }
        if value == YAMLByte.tab { return "a tab" }
        if value < 0x80 { return "'\(Character(Unicode.Scalar(value)))'" }
        let length = UTF8Sequence.shape(lead: value)?.length ?? 1
        return "'\(String(decoding: bytes[offset..<min(offset + length, bytes.count)], as: UTF8.self))'"
    }

    // MARK: Lines

    /// From a line break, the end, or a place where only blanks precede on the line, moves past blank and
    /// comment-only lines to the first character of content; returns the offset of a tab in that line's
    /// indentation, if there is one.
    mutating func skipLinesWithoutContent() -> Int? {
        while true {
            if YAMLByte.isBreak(current) { consumeBreak() }
            var tabOffset: Int?
            while YAMLByte.isBlank(current) {
                if current == YAMLByte.tab, tabOffset == nil { tabOffset = index }
                index += 1
            }
            if current == YAMLByte.hash { skipComment() }
            if YAMLByte.isBreak(current) { continue }
            return current == 0 ? nil : tabOffset
        }
    }

    /// Moves to the next line holding content and returns its indentation (the spaces before its content or its
    /// first tab), or nil at the end of the stream or at a document marker.
    ///
    /// Tabs may separate a flow node or a scalar from the indentation before it, as YAML allows, but a tab before
    /// a block sequence entry or a mapping key would indent it, which YAML forbids.
    mutating func moveToContentLine() throws(YAMLSyntaxError) -> Int? {
        let tabOffset = skipLinesWithoutContent()
        if current == 0 || isDocumentMarker(at: index) { return nil }
        guard let tabOffset else { return indentation(of: index) }
        try rejectTabIndentation(at: tabOffset)
        return indentation(of: tabOffset)
    }

    /// Throws when the content at `index`, preceded on its line by the tab at `tabOffset`, is block structure.
    mutating func rejectTabIndentation(at tabOffset: Int) throws(YAMLSyntaxError) {
        let next = byte(index + 1)
        let isIndicator = (current == YAMLByte.hyphen || current == YAMLByte.question || current == YAMLByte.colon)
            && YAMLByte.isWhiteOrEnd(next)
        if isIndicator || startsImplicitKey(at: index) {
            throw error("a tab indents this line; YAML indents with spaces only", at: tabOffset)
        }
    }

    /// After a node in block context, the indentation of the line where the next entry could start (nil at the
    /// end or a document marker); content left on the node's own line is an error.
    mutating func nextEntryIndentation() throws(YAMLSyntaxError) -> Int? {
        let lineStart = lineStarts[lineIndex(of: index)]
        if !bytes[lineStart..<min(index, bytes.count)].allSatisfy(YAMLByte.isBlank) {
            skipBlanks()
            if current == YAMLByte.hash, YAMLByte.isBlank(byte(index - 1)) { skipComment() }
            guard YAMLByte.isBreakOrEnd(current) else {
                if current == YAMLByte.colon {
                    throw error(YAMLMessage.mappingValueNotAllowed, at: index)
                }
                throw error("unexpected \(describe(at: index)) after a value", at: index)
            }
        }
        return try moveToContentLine()
    }

    // MARK: Documents

    /// Reads the next document of the stream, or returns nil at its end.
    mutating func nextDocument() throws(YAMLSyntaxError) -> JSONNode? {
        anchors = [:]
        tagHandles = [:]
        var directiveOffset: Int?
        var sawVersion = false
        while true {
            if let tabOffset = skipLinesWithoutContent() { try rejectTabIndentation(at: tabOffset) }
            if current == 0 {
                if let directiveOffset { throw error(YAMLMessage.directiveWithoutDocument, at: directiveOffset) }
                return nil
            }
            if current == 0xEF, byte(index + 1) == 0xBB, byte(index + 2) == 0xBF, isAtLineStart(index) {
                // A byte order mark may open any document of a stream.
                index += 3
                continue
            }
            if current == YAMLByte.percent, isAtLineStart(index) {
                directiveOffset = index
                try readDirective(sawVersion: &sawVersion)
            } else if current == YAMLByte.period, isDocumentMarker(at: index) {
                index += 3
                try finishMarkerLine()
            } else {
                break
            }
        }
        documentStart = index
        let root: YAMLParsedNode
        if current == YAMLByte.hyphen, isDocumentMarker(at: index) {
            index += 3
            root = try parseBlockNode(parentIndent: -1, compact: true, indentlessSequence: false)
        } else {
            if let directiveOffset { throw error(YAMLMessage.directiveWithoutDocument, at: directiveOffset) }
            root = try parseBlockNode(parentIndent: -1, compact: true, indentlessSequence: false)
        }
        if try nextEntryIndentation() != nil {
            throw error("unexpected \(describe(at: index)) after the end of the document's root node (check its indentation)", at: index)
        }
        if current == YAMLByte.period, isDocumentMarker(at: index) {
            index += 3
            try finishMarkerLine()
        }
        return root.node
    }

    /// After `...`, only blanks and a comment may end the line.
    mutating func finishMarkerLine() throws(YAMLSyntaxError) {
        skipBlanks()
        skipComment()
        guard YAMLByte.isBreakOrEnd(current) else {
            throw error("unexpected \(describe(at: index)) after a document marker", at: index)
        }
    }

    /// Reads a `%YAML` or `%TAG` directive line; other directives are reserved and skipped, as YAML 1.2 asks.
    mutating func readDirective(sawVersion: inout Bool) throws(YAMLSyntaxError) {
        let start = index
        index += 1
        let name = readToken()
        switch name {
        case "YAML":
            if sawVersion { throw error("a second %YAML directive for one document", at: start) }
            sawVersion = true
            skipBlanks()
            let versionOffset = index
            let version = readToken()
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isWholeNumber } }) else {
                throw error("invalid %YAML version '\(version)'", at: versionOffset)
            }
            guard parts[0] == "1" else {
                throw error("YAML version \(version) is not supported (YAML 1.x only)", at: versionOffset)
            }
        case "TAG":
            skipBlanks()
            let handleOffset = index
            let handle = readToken()
            guard YAMLTag.isValidHandle(handle) else {
                throw error("invalid %TAG handle '\(handle)' (expected '!', '!!' or '!name!')", at: handleOffset)
            }
            skipBlanks()
            let prefixOffset = index
            let prefix = readToken()
            guard !prefix.isEmpty else { throw error("a %TAG directive needs a prefix after its handle", at: prefixOffset) }
            tagHandles[handle] = prefix
        default:
            while !YAMLByte.isBreakOrEnd(current) { index += 1 }
        }
        skipBlanks()
        skipComment()
        guard YAMLByte.isBreakOrEnd(current) else {
            throw error("unexpected \(describe(at: index)) in a directive", at: index)
        }
    }

    /// Reads the run of non-white characters at `index`.
    mutating func readToken() -> String {
        let start = index
        while !YAMLByte.isWhiteOrEnd(current) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: Nesting and nodes

    /// Counts one more level of nesting, stopping before the reader recurses past `maxDepth`.
    mutating func enter(at offset: Int) throws(YAMLSyntaxError) {
        depth += 1
        if depth > options.maxDepth {
            throw error("nesting deeper than \(options.maxDepth) levels", at: offset)
        }
    }

    /// Reads the anchor and tag before a node, each followed by white space (or, in flow, an indicator).
    mutating func readProperties(inFlow: Bool) throws(YAMLSyntaxError) -> YAMLNodeProperties {
        var properties = YAMLNodeProperties()
        while current == YAMLByte.ampersand || current == YAMLByte.exclamation {
            let start = index
            if current == YAMLByte.ampersand {
                if properties.anchor != nil { throw error("a node has two anchors", at: start) }
                index += 1
                let name = readAnchorName()
                if name.isEmpty { throw error("an anchor needs a name after '&'", at: start) }
                properties.anchor = name
            } else {
                if properties.tag != nil { throw error("a node has two tags", at: start) }
                let text = readTagText(inFlow: inFlow)
                properties.tag = try resolveTag(text, at: start)
                properties.tagOffset = start
                properties.tagPosition = position(at: start)
            }
            guard YAMLByte.isWhiteOrEnd(current) || (inFlow && YAMLByte.isFlowIndicator(current)) else {
                throw error("unexpected \(describe(at: index)) after a node's anchor or tag (a space must follow)", at: index)
            }
            skipBlanks()
        }
        return properties
    }

    /// An anchor or alias name: the characters up to white space, a flow indicator, or a `:` followed by white space.
    mutating func readAnchorName() -> String {
        let start = index
        while !YAMLByte.isWhiteOrEnd(current), !YAMLByte.isFlowIndicator(current),
              !(current == YAMLByte.colon && YAMLByte.isWhiteOrEnd(byte(index + 1))) {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A tag as written: `!`, `!!name`, `!handle!name`, `!name` or `!<verbatim>`.
    mutating func readTagText(inFlow: Bool) -> String {
        let start = index
        if byte(index + 1) == YAMLByte.lessThan {
            while !YAMLByte.isBreakOrEnd(current), current != YAMLByte.greaterThan { index += 1 }
            if current == YAMLByte.greaterThan { index += 1 }
        } else {
            while !YAMLByte.isWhiteOrEnd(current), !(inFlow && YAMLByte.isFlowIndicator(current)) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Reads `*name` and returns a copy of the node anchored as `name`, its root spanning the alias.
    mutating func parseAlias() throws(YAMLSyntaxError) -> YAMLParsedNode {
        let start = index
        index += 1
        let name = readAnchorName()
        if name.isEmpty { throw error("an alias needs a name after '*'", at: start) }
        guard let anchored = anchors[name] else {
            throw error("undefined alias '*\(name)' (an alias must follow its anchor '&\(name)')", at: start)
        }
        expandedNodes += anchored.nodeCount
        if expandedNodes > options.maxAliasExpansion {
            throw error("aliases expand to more than \(options.maxAliasExpansion) nodes", at: start)
        }
        nodeCount += anchored.nodeCount
        var copy = anchored.parsed
        copy.node.span = span(from: start, to: index)
        copy.isJSONLike = false
        return copy
    }

    /// Applies a node's tag and records its anchor; `countBefore` is `nodeCount` before the node was read.
    mutating func finish(_ parsed: YAMLParsedNode, _ properties: YAMLNodeProperties,
                         countBefore: Int) throws(YAMLSyntaxError) -> YAMLParsedNode {
        nodeCount += 1
        var result = parsed
        if let tag = properties.tag {
            result = try apply(tag, of: properties, to: parsed)
        } else if parsed.isPlain, let text = parsed.scalarText {
            result.node.value = YAMLCoreSchema.value(ofPlain: text)
        }
        if let anchor = properties.anchor {
            anchors[anchor] = YAMLAnchoredNode(parsed: result, nodeCount: nodeCount - countBefore)
        }
        return result
    }

    /// An empty node (`key:` with nothing after it): a null, or an empty string under a tag.
    mutating func emptyNode(at offset: Int) -> YAMLParsedNode {
        YAMLParsedNode(node: JSONNode(.null, span: SourceSpan(at: position(at: offset))), scalarText: "", isPlain: true)
    }

    /// A scalar's node; plain scalars are typed when they are finished, once their tag is known.
    mutating func scalarNode(_ text: String, from start: Int, to end: Int, plain: Bool) -> YAMLParsedNode {
        YAMLParsedNode(node: JSONNode(.string(text), span: span(from: start, to: end)), scalarText: text,
                       isPlain: plain, isJSONLike: !plain)
    }

    /// The members of a mapping with its merge keys (`<<`) replaced by the members they bring: explicit keys win,
    /// and of several merged mappings the earlier wins.
    mutating func merging(_ members: [JSONMember], mergeIndices: [Int]) throws(YAMLSyntaxError) -> [JSONMember] {
        guard !mergeIndices.isEmpty else { return members }
        let merges = Set(mergeIndices)
        var seen = Set<String>()
        for (offset, member) in members.enumerated() where !merges.contains(offset) {
            seen.insert(member.key)
        }
        var result: [JSONMember] = []
        for (offset, member) in members.enumerated() {
            guard merges.contains(offset) else {
                result.append(member)
                continue
            }
            var sources: [[JSONMember]] = []
            switch member.value.value {
            case .object(let merged):
                sources = [merged]
            case .array(let elements):
                for element in elements {
                    guard case .object(let merged) = element.value else {
                        throw YAMLSyntaxError(message: "a merge key's sequence must hold only mappings", position: element.span.start)
                    }
                    sources.append(merged)
                }
            default:
                throw YAMLSyntaxError(message: "a merge key ('<<') needs a mapping or a sequence of mappings",
                                      position: member.value.span.start)
            }
            for source in sources {
                let added = source.filter { !seen.contains($0.key) }
                result.append(contentsOf: added)
                seen.formUnion(added.map(\.key))
            }
        }
        return result
    }
}
