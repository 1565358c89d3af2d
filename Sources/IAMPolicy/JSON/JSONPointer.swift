/// An RFC 6901 JSON pointer such as `/Statement/0/Condition`.
public struct JSONPointer: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// One token and the pointer it extends, shared by every pointer that extends it: each value of a policy
    /// carries its pointer, and appending a token costs one small node rather than a copy of the whole path.
    private final class Node: Sendable {
        let parent: Node?
        let token: String
        /// The number of tokens up to and including this one.
        let depth: Int

        init(parent: Node?, token: String) {
            self.parent = parent
            self.token = token
            self.depth = (parent?.depth ?? 0) + 1
        }
    }

    /// The last token; nil for the root pointer.
    private var last: Node?

    private init(last: Node?) {
        self.last = last
    }

    /// The unescaped reference tokens, outermost first.
    public var tokens: [String] {
        get {
            var tokens = [String](repeating: "", count: count)
            var node = last
            while let current = node {
                tokens[current.depth - 1] = current.token
                node = current.parent
            }
            return tokens
        }
        set { self = JSONPointer(tokens: newValue) }
    }

    /// The number of tokens.
    public var count: Int { last?.depth ?? 0 }

    public init(tokens: [String] = []) {
        var node: Node?
        for token in tokens { node = Node(parent: node, token: token) }
        last = node
    }

    /// Parses the RFC 6901 string form; returns nil when it does not start with `/` and is not empty,
    /// or when it holds a `~` not followed by `0` or `1`.
    public init?(parsing string: String) {
        if string.isEmpty { self.init(tokens: []); return }
        guard string.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for raw in string.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                if character == "~" {
                    switch iterator.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                } else {
                    token.append(character)
                }
            }
            tokens.append(token)
        }
        self.init(tokens: tokens)
    }

    public init(stringLiteral value: String) {
        self = JSONPointer(parsing: value) ?? JSONPointer(tokens: [value])
    }

    public static let root = JSONPointer()

    public func appending(_ key: String) -> JSONPointer {
        JSONPointer(last: Node(parent: last, token: key))
    }

    public func appending(_ index: Int) -> JSONPointer {
        JSONPointer(last: Node(parent: last, token: index >= 0 && index < Self.indexTokens.count ? Self.indexTokens[index] : String(index)))
    }

    /// The tokens of the first array indexes, made once: every element of every list gets a pointer.
    private static let indexTokens = (0..<256).map { String($0) }

    public func appending(_ other: JSONPointer) -> JSONPointer {
        var node = last
        for token in other.tokens { node = Node(parent: node, token: token) }
        return JSONPointer(last: node)
    }

    /// Whether `self` equals `other` or lies inside it.
    public func hasPrefix(_ other: JSONPointer) -> Bool {
        guard count >= other.count else { return false }
        var node = last
        while let current = node, current.depth > other.count { node = current.parent }
        return JSONPointer(last: node) == other
    }

    public var isRoot: Bool { last == nil }

    public var parent: JSONPointer? {
        last.map { JSONPointer(last: $0.parent) }
    }

    public var lastToken: String? { last?.token }

    public static func == (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var left = lhs.last
        var right = rhs.last
        while let a = left, let b = right, a !== b {
            guard a.token == b.token else { return false }
            left = a.parent
            right = b.parent
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        var node = last
        while let current = node {
            hasher.combine(current.token)
            node = current.parent
        }
    }

    public var description: String {
        var text = ""
        for token in tokens {
            text += "/"
            if token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) {
                text += token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            } else {
                text += token
            }
        }
        return text
    }

    /// Orders pointers token by token, numeric tokens numerically.
    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        for (a, b) in zip(lhs.tokens, rhs.tokens) where a != b {
            if let x = Int(a), let y = Int(b) { return x < y }
            return a < b
        }
        return lhs.count < rhs.count
    }

    public init(from decoder: Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let pointer = JSONPointer(parsing: string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid JSON pointer '\(string)'"))
        }
        self = pointer
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

private extension String {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
