/// A glob over `/`-separated paths, in the syntax of `.gitignore` and `--exclude`: `*` matches any run of
/// characters but `/`, `?` one character but `/`, `[abc]`, `[a-z]` and `[!a-z]` (or `[^a-z]`) one character of a
/// class, `\` makes the next character literal, and `**` as a whole component matches any number of folders
/// (`**/build`, `a/**/b`; a trailing `logs/**` matches what is inside `logs`, not `logs` itself).
///
/// Matching runs over the path's components, each against its segment of the pattern with a table of
/// `segment × name` states, so no pattern backtracks exponentially.
struct GlobPattern: Sendable, Equatable {
    /// A mistake in a pattern, for the usage error.
    struct SyntaxError: Error, Equatable {
        var message: String
    }

    enum Token: Sendable, Equatable {
        case literal(Character)
        /// `?`
        case one
        /// `*`
        case star
        /// `[...]`: ranges of characters (a single character is a range of one), negated or not.
        case set([ClosedRange<Character>], negated: Bool)
    }

    enum Segment: Sendable, Equatable {
        /// `**`: any number of components, none included.
        case anyFolders
        case name([Token])
    }

    let segments: [Segment]

    init(_ text: String) throws(SyntaxError) {
        guard !text.isEmpty else { throw SyntaxError(message: "empty pattern") }
        var segments: [Segment] = []
        for part in Self.components(of: text) {
            if part == "**" {
                if segments.last != .anyFolders { segments.append(.anyFolders) }
            } else {
                segments.append(.name(try Self.tokens(of: part)))
            }
        }
        self.segments = segments
    }

    /// Whether the whole `path` (components separated by `/`, no leading or trailing `/`) matches.
    func matches(_ path: String) -> Bool {
        let names = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
        // reachable[i][j]: the first i segments can match the first j names.
        var reachable = Array(repeating: Array(repeating: false, count: names.count + 1), count: segments.count + 1)
        reachable[0][0] = true
        for (index, segment) in segments.enumerated() {
            for count in 0...names.count where reachable[index][count] {
                switch segment {
                case .anyFolders:
                    // A trailing `/**` matches what is inside, not the folder itself.
                    let fewest = index == segments.count - 1 && index > 0 ? 1 : 0
                    for later in count...names.count where later - count >= fewest { reachable[index + 1][later] = true }
                case .name(let tokens):
                    if count < names.count, Self.match(tokens, names[count]) { reachable[index + 1][count + 1] = true }
                }
            }
        }
        return reachable[segments.count][names.count]
    }

    /// The pattern's components, split at `/` that no `\` escapes.
    private static func components(of text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "/" {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    private static func tokens(of part: String) throws(SyntaxError) -> [Token] {
        let characters = Array(part)
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            switch character {
            case "\\":
                // A trailing backslash stands for itself.
                if index < characters.count {
                    tokens.append(.literal(characters[index]))
                    index += 1
                } else {
                    tokens.append(.literal("\\"))
                }
            case "?":
                tokens.append(.one)
            case "*":
                if tokens.last != .star { tokens.append(.star) }
            case "[":
                var cursor = index
                var negated = false
                if cursor < characters.count, characters[cursor] == "!" || characters[cursor] == "^" {
                    negated = true
                    cursor += 1
                }
                var ranges: [ClosedRange<Character>] = []
                var first = true
                var closed = false
                while cursor < characters.count {
                    var low = characters[cursor]
                    if low == "]" && !first {
                        closed = true
                        cursor += 1
                        break
                    }
                    first = false
                    cursor += 1
                    if low == "\\", cursor < characters.count {
                        low = characters[cursor]
                        cursor += 1
                    }
                    if cursor + 1 < characters.count, characters[cursor] == "-", characters[cursor + 1] != "]" {
                        var high = characters[cursor + 1]
                        cursor += 2
                        if high == "\\", cursor < characters.count {
                            high = characters[cursor]
                            cursor += 1
                        }
                        guard low <= high else { throw SyntaxError(message: "range '\(low)-\(high)' runs backwards") }
                        ranges.append(low...high)
                    } else {
                        ranges.append(low...low)
                    }
                }
                guard closed else { throw SyntaxError(message: "'[' without its closing ']'") }
                tokens.append(.set(ranges, negated: negated))
                index = cursor
            default:
                tokens.append(.literal(character))
            }
        }
        return tokens
    }

    /// Whether one component matches one segment's tokens.
    private static func match(_ tokens: [Token], _ name: [Character]) -> Bool {
        // states[j]: the tokens so far can match the first j characters.
        var states = Array(repeating: false, count: name.count + 1)
        states[0] = true
        for token in tokens {
            var next = Array(repeating: false, count: name.count + 1)
            switch token {
            case .star:
                var reached = false
                for index in 0...name.count {
                    reached = reached || states[index]
                    next[index] = reached
                }
            default:
                for index in 0..<name.count where states[index] {
                    let character = name[index]
                    let matched = switch token {
                    case .literal(let literal): literal == character
                    case .one: true
                    case .set(let ranges, let negated): ranges.contains { $0.contains(character) } != negated
                    case .star: false
                    }
                    if matched { next[index + 1] = true }
                }
            }
            states = next
            if !states.contains(true) { return false }
        }
        return states[name.count]
    }
}

/// One line of a `.gitignore` (or one `--exclude` pattern), with the folder it applies under.
struct IgnoreRule: Sendable, Equatable {
    var pattern: GlobPattern
    /// `!pattern`: what it matches is not ignored after all.
    var negated: Bool
    /// `pattern/`: matches folders only.
    var foldersOnly: Bool
    /// Whether the pattern matches the path under ``base`` (it holds a `/`), or any entry's name.
    var anchored: Bool
    /// The folder the rule applies under, relative to the root paths are given from; empty for the root.
    var base: String

    /// The rule of one `.gitignore` line, or nil for a blank line, a comment or a line that is not a pattern.
    init?(line: String, base: String) {
        var text = Substring(line)
        if text.hasSuffix("\r") { text = text.dropLast() }
        // Trailing spaces are dropped unless a backslash escapes them.
        while text.hasSuffix(" "), !text.hasSuffix("\\ ") { text = text.dropLast() }
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        negated = text.hasPrefix("!")
        if negated { text = text.dropFirst() }
        foldersOnly = text.hasSuffix("/") && !text.hasSuffix("\\/")
        while text.hasSuffix("/") { text = text.dropLast() }
        // A `/` at the start or in the middle anchors the pattern to its folder.
        anchored = text.contains("/")
        while text.hasPrefix("/") { text = text.dropFirst() }
        guard !text.isEmpty, let pattern = try? GlobPattern(String(text)) else { return nil }
        self.pattern = pattern
        self.base = base
    }

    /// Whether the rule matches the entry at `path` (relative to the root, `/`-separated); nil when it does not
    /// apply, else whether it ignores the entry (false for a matching `!` rule).
    func verdict(on path: String, isFolder: Bool) -> Bool? {
        if foldersOnly && !isFolder { return nil }
        var relative = Substring(path)
        if !base.isEmpty {
            guard path.hasPrefix(base + "/") else { return nil }
            relative = path.dropFirst(base.count + 1)
        }
        let subject = anchored ? String(relative) : String(relative.split(separator: "/").last ?? relative)
        return pattern.matches(subject) ? !negated : nil
    }

    /// Whether `rules` (in order, the last match winning) ignore the entry at `path`.
    static func ignores(_ rules: [IgnoreRule], path: String, isFolder: Bool) -> Bool {
        var ignored = false
        for rule in rules {
            if let verdict = rule.verdict(on: path, isFolder: isFolder) { ignored = verdict }
        }
        return ignored
    }

    /// The rules of a `.gitignore` file's text.
    static func rules(of text: String, base: String) -> [IgnoreRule] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { IgnoreRule(line: String($0), base: base) }
    }
}

extension IgnoreRule {
    /// The rule of one `--exclude GLOB`: a pattern without `/` matches any entry of that name, one with `/` the
    /// path from the working directory; a trailing `/` matches folders only. `#` and `!` have no meaning here.
    static func exclusion(_ text: String) throws(GlobPattern.SyntaxError) -> IgnoreRule {
        _ = try GlobPattern(text.trimmingSlashes())
        let escaped = text.hasPrefix("#") || text.hasPrefix("!") ? "\\" + text : text
        guard let rule = IgnoreRule(line: escaped, base: "") else { throw GlobPattern.SyntaxError(message: "not a pattern") }
        return rule
    }
}

extension String {
    /// The string without its leading and trailing `/`, or `/` itself when that is all it is.
    func trimmingSlashes() -> String {
        let trimmed = drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed()
        return trimmed.isEmpty ? self : String(trimmed)
    }
}
