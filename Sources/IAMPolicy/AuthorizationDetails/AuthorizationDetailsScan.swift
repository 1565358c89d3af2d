import Foundation

/// The lists of `aws iam get-account-authorization-details` output whose entries hold policy documents.
public enum AuthorizationDetailsList: String, Sendable, Hashable, CaseIterable {
    case users = "UserDetailList"
    case groups = "GroupDetailList"
    case roles = "RoleDetailList"
    case policies = "Policies"
}

/// Where one entry of an authorization-details list lies in the file: its byte range and starting position.
public struct AuthorizationDetailsEntry: Sendable, Hashable {
    public var list: AuthorizationDetailsList
    /// 0-based index in its list.
    public var index: Int
    /// Byte range of the entry's JSON value.
    public var range: Range<Int>
    /// Position of the entry's first byte.
    public var start: SourcePosition
    /// Offset of the first byte of the line the entry starts on.
    public var lineStart: Int

    /// The RFC 6901 pointer of the entry (`/RoleDetailList/12`).
    public var pointer: JSONPointer { JSONPointer(tokens: [list.rawValue, String(index)]) }
}

/// A top-level skim of `aws iam get-account-authorization-details` output (DESIGN.md §4): it finds the byte
/// range of every entry of the four lists without building a tree, so each entry can be parsed, audited and
/// dropped on its own and a 100 MB dump never becomes one 100 MB tree.
///
/// The skim only matches brackets and strings; the entries themselves are checked by the full parser.
public struct AuthorizationDetailsScan: Sendable {
    /// Every entry of the four lists, in file order.
    public var entries: [AuthorizationDetailsEntry] = []
    /// A list member whose value is not an array: the message where it applies.
    public var problems: [Located<String>] = []
    /// A structural error outside every entry that stopped the skim (an error inside an entry is left to the
    /// parse of that entry).
    public var syntaxErrors: [PolicyLoader.SyntaxFailure] = []

    /// Whether `bytes` may be authorization-details output: a cheap search for one of the list names as a
    /// quoted key, so files that cannot be one are never skimmed.
    public static func mayHold(_ bytes: [UInt8]) -> Bool {
        let isListInitial = Self.isListInitial
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var index = 0
            let count = buffer.count
            // Every policy file passes through here: quotes are found with `memchr`, and only a quote followed by
            // the first letter of a list name is compared further.
            while index < count, let found = memchr(base + index, Int32(UInt8(ascii: "\"")), count - index) {
                let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                index = quote + 1
                guard index < count, isListInitial[Int(buffer[index])] else { continue }
                for name in quotedNames where quote + name.count <= count {
                    if UnsafeBufferPointer(rebasing: buffer[quote..<(quote + name.count)]).elementsEqual(name) { return true }
                }
            }
            return false
        }
    }

    /// Each list name in double quotes, as UTF-8.
    private static let quotedNames = AuthorizationDetailsList.allCases.map { Array("\"\($0.rawValue)\"".utf8) }
    /// Whether each byte value is the first letter of a list name: a table, as the test runs once per quote.
    private static let isListInitial: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for list in AuthorizationDetailsList.allCases { if let first = list.rawValue.utf8.first { table[Int(first)] = true } }
        return table
    }()

    /// Skims `bytes`; nil when they are not a JSON object with at least one of the four lists as a member.
    public static func scan(_ bytes: [UInt8]) -> AuthorizationDetailsScan? {
        guard mayHold(bytes) else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var skimmer = Skimmer(buffer)
            return skimmer.scanTopLevel()
        }
    }
}

/// Why a skim stopped.
private struct SkimFailure: Error {
    var message: String
    var position: SourcePosition
    /// Set when the failure lies inside an entry, recorded with the rest of the file as its range so that
    /// the full parser reports the error with its own message.
    var insideEntry = false
}

/// A byte cursor that tracks lines and columns the way `JSONParser` counts them.
private struct Skimmer {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var line = 1
    var lineStart = 0
    var cacheOffset = 0
    var cacheColumn = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func position(at offset: Int) -> SourcePosition {
        if offset < cacheOffset || cacheOffset < lineStart {
            cacheOffset = lineStart
            cacheColumn = 1
        }
        while cacheOffset < offset {
            if bytes[cacheOffset] & 0xC0 != 0x80 { cacheColumn += 1 }
            cacheOffset += 1
        }
        return SourcePosition(line: line, column: cacheColumn, offset: offset)
    }

    mutating func here() -> SourcePosition { position(at: index) }

    mutating func failure(_ message: String) -> SkimFailure {
        SkimFailure(message: message, position: here())
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Moves past one byte, counting `\n`, `\r\n` and a lone `\r` as line breaks.
    mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == 0x0A || (byte == 0x0D && (index == bytes.count || bytes[index] != 0x0A)) {
            line += 1
            lineStart = index
        }
    }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { advance() }
    }

    /// Reads a string at the opening quote; returns its raw bytes (escapes left as written).
    mutating func skipString() throws(SkimFailure) -> Range<Int> {
        index += 1
        let start = index
        guard skipStringContent() else { throw failure("unexpected end of input inside a string") }
        return start..<(index - 1)
    }

    /// Moves past the closing quote of the string whose content starts at `index`; false at the end of input.
    mutating func skipStringContent() -> Bool {
        var cursor = index
        let end = bytes.count
        while cursor < end {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return true
            }
            if byte == UInt8(ascii: "\\"), cursor + 1 < end, bytes[cursor + 1] != 0x0A, bytes[cursor + 1] != 0x0D {
                cursor += 2
            } else if byte == 0x0A || byte == 0x0D {
                index = cursor
                advance()
                cursor = index
            } else {
                cursor += 1
            }
        }
        index = end
        return false
    }

    /// Whether `byte` matters to bracket matching: a quote, a bracket, a brace or a line break (bit masks
    /// rather than a comparison chain, since almost every byte of a dump is none of them).
    @inline(__always)
    static func isStructural(_ byte: UInt8) -> Bool {
        let low: UInt64 = 1 << 0x0A | 1 << 0x0D | 1 << 0x22
        let high: UInt64 = 1 << (0x5B - 64) | 1 << (0x5D - 64) | 1 << (0x7B - 64) | 1 << (0x7D - 64)
        return byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : byte < 128 && (high >> UInt64(byte - 64)) & 1 != 0
    }

    /// Skips one value: a string, a bracketed object or array (brackets and strings matched), or a scalar.
    mutating func skipValue() throws(SkimFailure) {
        guard let first = current else { throw failure("unexpected end of input, expected a value") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var cursor = index
            let end = bytes.count
            while cursor < end {
                let byte = bytes[cursor]
                cursor += 1
                guard Self.isStructural(byte) else { continue }
                switch byte {
                case UInt8(ascii: "\""):
                    index = cursor
                    guard skipStringContent() else { throw failure("unexpected end of input inside a string") }
                    cursor = index
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index = cursor
                        return
                    }
                case 0x0A:
                    line += 1
                    lineStart = cursor
                case 0x0D:
                    if cursor == end || bytes[cursor] != 0x0A {
                        line += 1
                        lineStart = cursor
                    }
                default:
                    break
                }
            }
            index = end
            throw failure("unexpected end of input inside \(first == UInt8(ascii: "{") ? "an object" : "an array")")
        default:
            while let byte = current, !(byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                                         || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
                advance()
            }
        }
    }

    mutating func scanTopLevel() -> AuthorizationDetailsScan? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            lineStart = 3
            cacheOffset = 3
        }
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { return nil }
        advance()
        var scan = AuthorizationDetailsScan()
        var isDump = false
        do throws(SkimFailure) {
            skipWhitespace()
            if current == UInt8(ascii: "}") { return nil }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[try skipString()]), as: UTF8.self)
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':' after key \"\(key)\"") }
                advance()
                skipWhitespace()
                if let list = AuthorizationDetailsList(rawValue: key) {
                    isDump = true
                    try scanList(list, into: &scan)
                } else {
                    try skipValue()
                }
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","):
                    advance()
                case UInt8(ascii: "}"):
                    advance()
                    skipWhitespace()
                    if index < bytes.count { throw failure("unexpected data after the end of the JSON value") }
                    return isDump ? scan : nil
                default:
                    throw failure(current == nil ? "unexpected end of input inside the top-level object" : "expected ',' or '}'")
                }
            }
        } catch {
            guard isDump else { return nil }
            if error.insideEntry { return scan }
            scan.syntaxErrors.append(.init(message: error.message, pointer: .root, span: SourceSpan(at: error.position)))
            return scan
        }
    }

    /// Records the range of every element of the list value at `index`, or a problem when it is not an array.
    mutating func scanList(_ list: AuthorizationDetailsList, into scan: inout AuthorizationDetailsScan) throws(SkimFailure) {
        let pointer = JSONPointer(tokens: [list.rawValue])
        guard current == UInt8(ascii: "[") else {
            let start = here()
            let found = current.map { Self.typeName(startingWith: $0) } ?? "nothing"
            try skipValue()
            scan.problems.append(Located("'\(list.rawValue)' is \(found), not an array of entries", pointer: pointer,
                                         span: SourceSpan(start: start, end: here())))
            return
        }
        advance()
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            advance()
            return
        }
        var number = 0
        while true {
            skipWhitespace()
            let start = here()
            let startLine = lineStart
            do throws(SkimFailure) {
                try skipValue()
            } catch {
                var failure = error
                failure.insideEntry = true
                scan.entries.append(AuthorizationDetailsEntry(list: list, index: number, range: start.offset..<bytes.count, start: start, lineStart: startLine))
                throw failure
            }
            scan.entries.append(AuthorizationDetailsEntry(list: list, index: number, range: start.offset..<index, start: start, lineStart: startLine))
            number += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "]"):
                advance()
                return
            default:
                throw failure(current == nil ? "unexpected end of input inside '\(list.rawValue)'" : "expected ',' or ']' in '\(list.rawValue)'")
            }
        }
    }

    /// The JSON type a value starting with `byte` has, with its article (`a string`).
    static func typeName(startingWith byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }
}
