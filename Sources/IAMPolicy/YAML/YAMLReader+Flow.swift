// Flow context: `[…]` and `{…}`, where indentation carries no structure.
//
// The functions that recurse (`parseFlowCollection`, `parseFlowNode`) only call other functions, so that each
// level of nesting costs little stack even in unoptimised builds; the work is in the helpers they call.

/// A flow collection being read.
struct YAMLFlowCollection {
    /// The offset of its `[` or `{`.
    let open: Int
    let openPosition: SourcePosition
    let isSequence: Bool
    var elements: [JSONNode] = []
    var members: [JSONMember] = []
    var mergeIndices: [Int] = []
    /// The key of the entry being read, once read; in a sequence, a lone node waits here too.
    var key: YAMLParsedNode?
    /// Whether the entry began with `?`.
    var isExplicit = false

    var close: UInt8 { isSequence ? YAMLByte.closeBracket : YAMLByte.closeBrace }
}

extension YAMLReader {
    /// Reads the flow sequence or mapping whose bracket is at `index`.
    mutating func parseFlowCollection() throws(YAMLSyntaxError) -> YAMLParsedNode {
        var collection = try openFlowCollection()
        while try beginFlowEntry(&collection) {
            if collection.key == nil {
                collection.key = try parseFlowNode(open: collection.open)
            }
            if try flowEntryHasValue(&collection) {
                let value = try parseFlowNode(open: collection.open)
                addFlowEntry(&collection, value: value)
            }
            try endFlowEntry(&collection)
        }
        return try closeFlowCollection(collection)
    }

    /// Reads one node inside a flow collection.
    mutating func parseFlowNode(open: Int) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let properties = try readFlowProperties(open: open)
        let countBefore = nodeCount
        guard current == YAMLByte.openBracket || current == YAMLByte.openBrace else {
            return try parseFlowLeaf(properties, countBefore: countBefore)
        }
        let collection = try parseFlowCollection()
        return try finish(collection, properties, countBefore: countBefore)
    }

    mutating func openFlowCollection() throws(YAMLSyntaxError) -> YAMLFlowCollection {
        let open = index
        try enter(at: open)
        index += 1
        return YAMLFlowCollection(open: open, openPosition: position(at: open), isSequence: bytes[open] == YAMLByte.openBracket)
    }

    /// Moves to the next entry; false at the closing bracket. An entry's empty key (`: v`, `? ,`) is set here.
    mutating func beginFlowEntry(_ collection: inout YAMLFlowCollection) throws(YAMLSyntaxError) -> Bool {
        try skipFlowWhiteSpace(open: collection.open)
        if current == collection.close { return false }
        collection.key = nil
        collection.isExplicit = false
        if current == YAMLByte.question, isFlowSeparated(byte(index + 1)) {
            collection.isExplicit = true
            index += 1
            try skipFlowWhiteSpace(open: collection.open)
        }
        let emptyKey = (current == YAMLByte.colon && isFlowSeparated(byte(index + 1)))
            || (collection.isExplicit && (current == YAMLByte.comma || current == collection.close))
        if emptyKey {
            collection.key = emptyNode(at: index)
            nodeCount += 1
        }
        return true
    }

    /// After an entry's key: whether a value follows its `:`. Without one, the entry is complete (a sequence's lone
    /// node, or a key with an empty value), and so is an entry whose value is empty (`a: ,`).
    mutating func flowEntryHasValue(_ collection: inout YAMLFlowCollection) throws(YAMLSyntaxError) -> Bool {
        guard let key = collection.key else { return false }
        try skipFlowWhiteSpace(open: collection.open)
        let isValueIndicator = current == YAMLByte.colon && (isFlowSeparated(byte(index + 1)) || key.isJSONLike)
        guard isValueIndicator else {
            if collection.isSequence, !collection.isExplicit {
                collection.elements.append(key.node)
            } else {
                try requireScalarKey(key)
                nodeCount += 1
                addFlowEntry(&collection, value: emptyNode(at: key.node.span.end.offset))
            }
            return false
        }
        try requireScalarKey(key)
        let afterColon = index + 1
        index += 1
        try skipFlowWhiteSpace(open: collection.open)
        if current == YAMLByte.comma || current == collection.close {
            nodeCount += 1
            addFlowEntry(&collection, value: emptyNode(at: afterColon))
            return false
        }
        return true
    }

    /// Adds the current key with `value`: to a mapping as a member, to a sequence as a mapping of one member.
    mutating func addFlowEntry(_ collection: inout YAMLFlowCollection, value: YAMLParsedNode) {
        guard let key = collection.key else { return }
        let member = JSONMember(key: key.scalarText ?? "", keySpan: key.node.span, value: value.node)
        if collection.isSequence {
            nodeCount += 1
            let span = SourceSpan(start: key.node.span.start, end: max(key.node.span.end, value.node.span.end))
            collection.elements.append(JSONNode(.object([member]), span: span))
        } else {
            if key.isPlain, key.scalarText == "<<" { collection.mergeIndices.append(collection.members.count) }
            collection.members.append(member)
        }
    }

    /// After an entry: a `,`, or the closing bracket.
    mutating func endFlowEntry(_ collection: inout YAMLFlowCollection) throws(YAMLSyntaxError) {
        try skipFlowWhiteSpace(open: collection.open)
        if current == YAMLByte.comma {
            index += 1
        } else if current != collection.close {
            let expected = collection.isSequence ? "',' or ']'" : "',' or '}'"
            throw error("unexpected \(describe(at: index)) in a flow \(collection.isSequence ? "sequence" : "mapping"), expected \(expected)", at: index)
        }
    }

    mutating func closeFlowCollection(_ collection: YAMLFlowCollection) throws(YAMLSyntaxError) -> YAMLParsedNode {
        index += 1
        depth -= 1
        let value: JSONValue = collection.isSequence
            ? .array(collection.elements)
            : .object(try merging(collection.members, mergeIndices: collection.mergeIndices))
        var parsed = YAMLParsedNode(node: JSONNode(value, span: SourceSpan(start: collection.openPosition, end: position(at: index))))
        parsed.isJSONLike = true
        return parsed
    }

    func isFlowSeparated(_ next: UInt8) -> Bool {
        YAMLByte.isWhiteOrEnd(next) || YAMLByte.isFlowIndicator(next)
    }

    mutating func requireScalarKey(_ key: YAMLParsedNode) throws(YAMLSyntaxError) {
        guard key.scalarText == nil else { return }
        throw error(YAMLMessage.flowCollectionKey, at: key.node.span.start.offset)
    }

    mutating func readFlowProperties(open: Int) throws(YAMLSyntaxError) -> YAMLNodeProperties {
        let properties = try readProperties(inFlow: true)
        if !properties.isEmpty { try skipFlowWhiteSpace(open: open) }
        return properties
    }

    /// Reads a scalar or an alias inside a flow collection, or an empty node after properties.
    mutating func parseFlowLeaf(_ properties: YAMLNodeProperties, countBefore: Int) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let start = index
        let parsed: YAMLParsedNode
        switch current {
        case YAMLByte.doubleQuote, YAMLByte.singleQuote:
            parsed = try parseQuotedScalar()
        case YAMLByte.asterisk:
            if !properties.isEmpty { throw error("an alias cannot have an anchor or a tag", at: start) }
            return try parseAlias()
        case YAMLByte.pipe, YAMLByte.greaterThan:
            throw error("a block scalar cannot stand inside a flow collection", at: start)
        default:
            if !properties.isEmpty, current == YAMLByte.comma || current == YAMLByte.closeBracket
                || current == YAMLByte.closeBrace || current == YAMLByte.colon {
                parsed = emptyNode(at: start)
            } else if isSequenceEntry(at: index) {
                throw error("a block sequence entry ('- ') cannot stand inside a flow collection", at: start)
            } else if canStartPlainScalar(at: index, inFlow: true) {
                parsed = parsePlainScalar(parentIndent: -1, inFlow: true, singleLine: false)
            } else {
                throw error("unexpected \(describe(at: index)), expected a value", at: index)
            }
        }
        return try finish(parsed, properties, countBefore: countBefore)
    }

    /// Skips white space, line breaks and comments inside the flow collection opened at `open`; the end of the
    /// input or a document marker there means it was never closed.
    mutating func skipFlowWhiteSpace(open: Int) throws(YAMLSyntaxError) {
        while true {
            let value = current
            if YAMLByte.isBlank(value) {
                index += 1
            } else if YAMLByte.isBreak(value) {
                consumeBreak()
                if isDocumentMarker(at: index) { throw unclosed(open) }
            } else if value == YAMLByte.hash {
                skipComment()
            } else if value == 0 {
                throw unclosed(open)
            } else {
                return
            }
        }
    }

    mutating func unclosed(_ open: Int) -> YAMLSyntaxError {
        let isSequence = bytes[open] == YAMLByte.openBracket
        return error("unclosed flow \(isSequence ? "sequence" : "mapping"): this '\(isSequence ? "[" : "{")' has no matching '\(isSequence ? "]" : "}")'", at: open)
    }
}
