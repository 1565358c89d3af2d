// Block context: nodes whose structure is given by indentation.
//
// The functions that recurse (`parseBlockNode`, `parseBlockSequence`, `parseBlockMapping`) only call other
// functions, so that each level of nesting costs little stack even in unoptimised builds; the work is in the
// helpers they call.

/// How a block node begins, as `beginBlockNode` found it.
struct YAMLBlockNodeStart {
    enum Kind { case empty, sequence, mapping, flowCollection, leaf }

    var kind: Kind
    var properties: YAMLNodeProperties
    var countBefore: Int
    /// Where the node's content (after its properties) starts.
    var start: Int
}

/// A block sequence or mapping being read.
struct YAMLBlockCollection {
    let start: SourcePosition
    /// The indentation of its entries.
    let indent: Int
    /// The end of its last entry so far.
    var end: SourcePosition
    var elements: [JSONNode] = []
    var members: [JSONMember] = []
    var mergeIndices: [Int] = []
}

extension YAMLReader {
    /// Reads the node after an indicator (`key:`, `- `, `? `, `---`) or at the start of a document.
    /// - Parameter parentIndent: the indentation of the enclosing block collection's entries (-1 for a root).
    /// - Parameter compact: whether a block collection may start on the current line (after `- `, `? `, `---`).
    /// - Parameter indentlessSequence: whether a sequence at `parentIndent` is this node (a mapping's value).
    mutating func parseBlockNode(parentIndent: Int, compact: Bool,
                                 indentlessSequence: Bool) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let begin = try beginBlockNode(parentIndent: parentIndent, compact: compact, indentlessSequence: indentlessSequence)
        switch begin.kind {
        case .empty:
            return try finishEmptyNode(begin)
        case .sequence:
            let sequence = try parseBlockSequence()
            return try finish(sequence, begin.properties, countBefore: begin.countBefore)
        case .mapping:
            let mapping = try parseBlockMapping()
            return try finish(mapping, begin.properties, countBefore: begin.countBefore)
        case .flowCollection:
            let collection = try parseFlowCollection()
            return try finishInlineNode(collection, begin)
        case .leaf:
            return try parseBlockLeaf(begin, parentIndent: parentIndent)
        }
    }

    /// Reads a block sequence whose first `-` is at `index`; its entries stand at that indentation.
    mutating func parseBlockSequence() throws(YAMLSyntaxError) -> YAMLParsedNode {
        var collection = try openBlockCollection()
        repeat {
            index += 1
            let element = try parseBlockNode(parentIndent: collection.indent, compact: true, indentlessSequence: false)
            collection.elements.append(element.node)
            collection.end = max(collection.end, element.node.span.end)
        } while try continuesSequence(indent: collection.indent)
        return closeBlockCollection(collection, value: .array(collection.elements))
    }

    /// Reads a block mapping whose first key (or its properties, or `?`) is at `index`.
    mutating func parseBlockMapping() throws(YAMLSyntaxError) -> YAMLParsedNode {
        var collection = try openBlockCollection()
        repeat {
            let explicit = current == YAMLByte.question && YAMLByte.isWhiteOrEnd(byte(index + 1))
            let key: YAMLParsedNode
            if explicit {
                index += 1
                key = try parseBlockNode(parentIndent: collection.indent, compact: true, indentlessSequence: false)
            } else {
                key = try parseImplicitKey(parentIndent: collection.indent)
            }
            if try blockValueFollows(key, explicit: explicit, indent: collection.indent) {
                let value = try parseBlockNode(parentIndent: collection.indent, compact: explicit, indentlessSequence: true)
                addMember(&collection, key: key, value: value)
            } else {
                nodeCount += 1
                addMember(&collection, key: key, value: emptyNode(at: key.node.span.end.offset))
            }
        } while try continuesMapping(indent: collection.indent)
        let members = try merging(collection.members, mergeIndices: collection.mergeIndices)
        return closeBlockCollection(collection, value: .object(members))
    }

    /// Reads a node's properties and finds where its content starts: on this line, or on a later one when this
    /// line ends first; a later line less indented than the node's parent (or a document marker) leaves it empty.
    mutating func beginBlockNode(parentIndent: Int, compact: Bool,
                                 indentlessSequence: Bool) throws(YAMLSyntaxError) -> YAMLBlockNodeStart {
        var begin = YAMLBlockNodeStart(kind: .empty, properties: YAMLNodeProperties(), countBefore: nodeCount, start: index)
        skipBlanks()
        var collectionAllowed = compact
        while true {
            if current == YAMLByte.hash || YAMLByte.isBreakOrEnd(current) {
                if current == YAMLByte.hash, !YAMLByte.isWhiteOrEnd(byte(index - 1)) {
                    throw error("a comment must be separated from what precedes it by a space", at: index)
                }
                skipComment()
                guard let indent = try moveToContentLine(), indent > parentIndent
                    || (indentlessSequence && indent == parentIndent && isSequenceEntry(at: index)) else {
                    return begin
                }
                collectionAllowed = true
                continue
            }
            guard current == YAMLByte.ampersand || current == YAMLByte.exclamation else { break }
            if collectionAllowed, startsImplicitKey(at: index) { break }
            let more = try readProperties(inFlow: false)
            if more.anchor != nil, begin.properties.anchor != nil { throw error("a node has two anchors", at: index) }
            if more.tag != nil, begin.properties.tag != nil { throw error("a node has two tags", at: more.tagOffset) }
            begin.properties.anchor = begin.properties.anchor ?? more.anchor
            if more.tag != nil {
                begin.properties.tag = more.tag
                begin.properties.tagOffset = more.tagOffset
                begin.properties.tagPosition = more.tagPosition
            }
            begin.start = index
        }
        begin.countBefore = nodeCount
        begin.start = index
        let isEntry = isSequenceEntry(at: index)
        let isExplicitKey = current == YAMLByte.question && YAMLByte.isWhiteOrEnd(byte(index + 1))
        if collectionAllowed, isEntry {
            begin.kind = .sequence
        } else if collectionAllowed, isExplicitKey || startsImplicitKey(at: index) {
            begin.kind = .mapping
        } else if isEntry || isExplicitKey {
            throw error("a block \(isEntry ? "sequence" : "mapping") cannot start on this line; start it on the next line, indented", at: index)
        } else if current == YAMLByte.openBracket || current == YAMLByte.openBrace {
            begin.kind = .flowCollection
        } else {
            begin.kind = .leaf
        }
        return begin
    }

    /// An empty node (null, or what its tag makes of an empty scalar), spanning nothing where its content would be.
    mutating func finishEmptyNode(_ begin: YAMLBlockNodeStart) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let empty = emptyNode(at: begin.start)
        return try finish(empty, begin.properties, countBefore: begin.countBefore)
    }

    /// Reads a scalar or an alias in block context.
    mutating func parseBlockLeaf(_ begin: YAMLBlockNodeStart, parentIndent: Int) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let parsed: YAMLParsedNode
        switch current {
        case YAMLByte.pipe, YAMLByte.greaterThan:
            return try finish(parseBlockScalar(parentIndent: parentIndent), begin.properties, countBefore: begin.countBefore)
        case YAMLByte.asterisk:
            if !begin.properties.isEmpty { throw error("an alias cannot have an anchor or a tag", at: begin.start) }
            parsed = try parseAlias()
            try rejectValueIndicator(after: parsed, start: begin.start)
            return parsed
        case YAMLByte.doubleQuote, YAMLByte.singleQuote:
            parsed = try parseQuotedScalar()
        default:
            guard canStartPlainScalar(at: index, inFlow: false) else {
                throw error("unexpected \(describe(at: index)), expected a value", at: index)
            }
            parsed = parsePlainScalar(parentIndent: parentIndent, inFlow: false, singleLine: false)
        }
        return try finishInlineNode(parsed, begin)
    }

    /// Finishes a node written on one line in block context (a scalar or a flow collection).
    mutating func finishInlineNode(_ parsed: YAMLParsedNode, _ begin: YAMLBlockNodeStart) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let result = try finish(parsed, begin.properties, countBefore: begin.countBefore)
        try rejectValueIndicator(after: parsed, start: begin.start)
        return result
    }

    /// A `: ` after a value in block context would make it a key where no key may start.
    mutating func rejectValueIndicator(after parsed: YAMLParsedNode, start: Int) throws(YAMLSyntaxError) {
        skipBlanks()
        guard current == YAMLByte.colon, YAMLByte.isWhiteOrEnd(byte(index + 1)) else { return }
        if parsed.scalarText == nil, parsed.isJSONLike {
            throw error(YAMLMessage.flowCollectionKey, at: start)
        }
        throw error(YAMLMessage.mappingValueNotAllowed, at: index)
    }

    mutating func openBlockCollection() throws(YAMLSyntaxError) -> YAMLBlockCollection {
        let start = index
        try enter(at: start)
        let position = position(at: start)
        return YAMLBlockCollection(start: position, indent: indentation(of: start), end: position)
    }

    mutating func closeBlockCollection(_ collection: YAMLBlockCollection, value: JSONValue) -> YAMLParsedNode {
        depth -= 1
        return YAMLParsedNode(node: JSONNode(value, span: SourceSpan(start: collection.start, end: collection.end)))
    }

    func isSequenceEntry(at offset: Int) -> Bool {
        byte(offset) == YAMLByte.hyphen && YAMLByte.isWhiteOrEnd(byte(offset + 1))
    }

    /// After a sequence entry: whether the next line holds another entry of the sequence at `indent`.
    mutating func continuesSequence(indent: Int) throws(YAMLSyntaxError) -> Bool {
        guard let next = try nextEntryIndentation(), next >= indent else { return false }
        if next > indent {
            throw error("bad indentation: this line is indented more than its sequence's entries (column \(indent + 1))", at: index)
        }
        return isSequenceEntry(at: index)
    }

    /// After a key: whether a value follows, past its `:` (which this consumes). An explicit key's value is a `:`
    /// at the mapping's indentation on a later line; an implicit key must be followed by `:` and white space.
    mutating func blockValueFollows(_ key: YAMLParsedNode, explicit: Bool, indent: Int) throws(YAMLSyntaxError) -> Bool {
        if explicit {
            if key.scalarText == nil {
                throw error(YAMLMessage.collectionKey, at: key.node.span.start.offset)
            }
            guard try nextEntryIndentation() == indent, current == YAMLByte.colon,
                  YAMLByte.isWhiteOrEnd(byte(index + 1)) else { return false }
        } else {
            skipBlanks()
            guard current == YAMLByte.colon, YAMLByte.isWhiteOrEnd(byte(index + 1)) else {
                throw error("expected ':' after the mapping key '\(key.scalarText ?? "")'", at: index)
            }
        }
        index += 1
        return true
    }

    mutating func addMember(_ collection: inout YAMLBlockCollection, key: YAMLParsedNode, value: YAMLParsedNode) {
        if key.isPlain, key.scalarText == "<<" { collection.mergeIndices.append(collection.members.count) }
        collection.members.append(JSONMember(key: key.scalarText ?? "", keySpan: key.node.span, value: value.node))
        collection.end = max(collection.end, key.node.span.end, value.node.span.end)
    }

    /// After a mapping entry: whether the next line holds another entry of the mapping at `indent`.
    mutating func continuesMapping(indent: Int) throws(YAMLSyntaxError) -> Bool {
        guard let next = try nextEntryIndentation(), next >= indent else { return false }
        if next > indent {
            throw error("bad indentation: this line is indented more than its mapping's keys (column \(indent + 1))", at: index)
        }
        if isSequenceEntry(at: index) {
            throw error("a sequence entry cannot stand among a mapping's keys", at: index)
        }
        return true
    }

    /// Reads an implicit key (a single-line scalar or an alias, with its properties) of a block mapping.
    mutating func parseImplicitKey(parentIndent: Int) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let properties = try readProperties(inFlow: false)
        let countBefore = nodeCount
        let start = index
        let key: YAMLParsedNode
        switch current {
        case YAMLByte.asterisk:
            if !properties.isEmpty { throw error("an alias cannot have an anchor or a tag", at: start) }
            key = try parseAlias()
        case YAMLByte.doubleQuote, YAMLByte.singleQuote:
            key = try finish(parseQuotedScalar(), properties, countBefore: countBefore)
        case YAMLByte.openBracket, YAMLByte.openBrace:
            throw error(YAMLMessage.flowCollectionKey, at: start)
        default:
            guard canStartPlainScalar(at: index, inFlow: false) else {
                throw error("unexpected \(describe(at: index)), expected a mapping key", at: index)
            }
            key = try finish(parsePlainScalar(parentIndent: parentIndent, inFlow: false, singleLine: true),
                             properties, countBefore: countBefore)
        }
        guard key.scalarText != nil else {
            throw error(YAMLMessage.collectionKey, at: start)
        }
        return key
    }

    /// Whether the line from `offset` holds an implicit mapping key: optional properties, then a single-line
    /// scalar, alias or flow collection followed by `:` and white space.
    func startsImplicitKey(at offset: Int) -> Bool {
        var cursor = offset
        while byte(cursor) == YAMLByte.ampersand || byte(cursor) == YAMLByte.exclamation {
            while !YAMLByte.isWhiteOrEnd(byte(cursor)) { cursor += 1 }
            while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
        }
        switch byte(cursor) {
        case YAMLByte.doubleQuote, YAMLByte.singleQuote, YAMLByte.openBracket, YAMLByte.openBrace:
            guard let end = endOfFlowTokenOnLine(at: cursor) else { return false }
            cursor = end
        case YAMLByte.asterisk:
            cursor += 1
            while !YAMLByte.isWhiteOrEnd(byte(cursor)), !YAMLByte.isFlowIndicator(byte(cursor)),
                  !(byte(cursor) == YAMLByte.colon && YAMLByte.isWhiteOrEnd(byte(cursor + 1))) {
                cursor += 1
            }
        default:
            guard canStartPlainScalar(at: cursor, inFlow: false) else { return false }
            while true {
                let value = byte(cursor)
                if YAMLByte.isBreakOrEnd(value) { return false }
                if value == YAMLByte.colon, YAMLByte.isWhiteOrEnd(byte(cursor + 1)) { return true }
                if YAMLByte.isBlank(value), byte(cursor + 1) == YAMLByte.hash { return false }
                cursor += 1
            }
        }
        while YAMLByte.isBlank(byte(cursor)) { cursor += 1 }
        return byte(cursor) == YAMLByte.colon && YAMLByte.isWhiteOrEnd(byte(cursor + 1))
    }

    /// The offset after a quoted scalar or a flow collection that starts at `offset` and ends on the same line.
    func endOfFlowTokenOnLine(at offset: Int) -> Int? {
        var cursor = offset
        var nesting = 0
        var quote: UInt8 = 0
        while true {
            let value = byte(cursor)
            if YAMLByte.isBreakOrEnd(value) { return nil }
            cursor += 1
            if quote != 0 {
                if quote == YAMLByte.doubleQuote, value == YAMLByte.backslash {
                    cursor += 1
                } else if value == quote {
                    if quote == YAMLByte.singleQuote, byte(cursor) == YAMLByte.singleQuote {
                        cursor += 1
                        continue
                    }
                    quote = 0
                    if nesting == 0 { return cursor }
                }
                continue
            }
            switch value {
            case YAMLByte.doubleQuote, YAMLByte.singleQuote:
                quote = value
            case YAMLByte.openBracket, YAMLByte.openBrace:
                nesting += 1
            case YAMLByte.closeBracket, YAMLByte.closeBrace:
                nesting -= 1
                if nesting <= 0 { return cursor }
            default:
                break
            }
        }
    }

    /// Whether a plain scalar may start at `offset`: not white space, not an indicator, except `-`, `?` and `:`
    /// followed by a character a plain scalar may hold.
    func canStartPlainScalar(at offset: Int, inFlow: Bool) -> Bool {
        let value = byte(offset)
        switch value {
        case 0, YAMLByte.space, YAMLByte.tab, YAMLByte.lineFeed, YAMLByte.carriageReturn:
            return false
        case YAMLByte.hyphen, YAMLByte.question, YAMLByte.colon:
            let next = byte(offset + 1)
            return !YAMLByte.isWhiteOrEnd(next) && !(inFlow && YAMLByte.isFlowIndicator(next))
        case YAMLByte.comma, YAMLByte.openBracket, YAMLByte.closeBracket, YAMLByte.openBrace, YAMLByte.closeBrace,
             YAMLByte.hash, YAMLByte.ampersand, YAMLByte.asterisk, YAMLByte.exclamation, YAMLByte.pipe,
             YAMLByte.greaterThan, YAMLByte.singleQuote, YAMLByte.doubleQuote, YAMLByte.percent, YAMLByte.at,
             YAMLByte.backtick:
            return false
        default:
            return true
        }
    }
}
