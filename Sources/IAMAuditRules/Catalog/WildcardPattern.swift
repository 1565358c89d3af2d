/// A case-insensitive wildcard pattern over a concrete string: literal bytes, "any one character"
/// and "any run of characters" (possibly empty).
///
/// Built from an IAM action pattern (`s3:Get*Object`: `*` and `?`) or from a condition-key template
/// (`aws:RequestTag/${TagKey}`: each `${…}` or `<…>` placeholder is any non-empty text).
/// Matching is by bytes: `?` and placeholders count UTF-8 bytes, which is exact for the ASCII names IAM uses.
struct WildcardPattern: Sendable {
    enum Token: Sendable, Equatable {
        case literal(UInt8)
        case anyOne
        case anyRun
    }

    let tokens: [Token]

    /// Whether the pattern holds anything but literals.
    var hasWildcards: Bool { tokens.contains { $0 == .anyOne || $0 == .anyRun } }

    /// The lowercased literal text before the first wildcard.
    var literalPrefix: String {
        var bytes: [UInt8] = []
        for token in tokens {
            guard case .literal(let byte) = token else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An IAM action or glob pattern: `*` is any run, `?` any one character, the rest literal.
    init(glob: String) {
        var tokens: [Token] = []
        for byte in glob.utf8 {
            switch byte {
            case UInt8(ascii: "*"):
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case UInt8(ascii: "?"): tokens.append(.anyOne)
            default: tokens.append(.literal(ASCIICaseInsensitive.fold(byte)))
            }
        }
        self.tokens = tokens
    }

    /// A condition-key template: `${…}` and `<…>` placeholders are any non-empty text.
    init(conditionKeyTemplate template: String) {
        var template = template
        self.tokens = template.withUTF8 { Self.templateTokens($0) }
    }

    private static func templateTokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var close: UInt8?
            var open = index
            if byte == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") {
                close = UInt8(ascii: "}")
                open = index + 2
            } else if byte == UInt8(ascii: "<") {
                close = UInt8(ascii: ">")
                open = index + 1
            }
            if let close, let end = (open..<bytes.count).first(where: { bytes[$0] == close }), end > open {
                tokens.append(.anyOne)
                tokens.append(.anyRun)
                index = end + 1
            } else {
                tokens.append(.literal(ASCIICaseInsensitive.fold(byte)))
                index += 1
            }
        }
        return tokens
    }

    /// Whether the whole of `string` matches, ignoring ASCII case.
    func matches(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { matches($0) }
    }

    /// Whether the whole of `bytes` matches, ignoring ASCII case.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Classic glob matching with backtracking to the last `anyRun`: linear for the usual patterns.
        var token = 0
        var position = 0
        var starToken = -1
        var starPosition = 0
        while position < bytes.count {
            if token < tokens.count {
                switch tokens[token] {
                case .literal(let byte) where byte == ASCIICaseInsensitive.fold(bytes[position]):
                    token += 1
                    position += 1
                    continue
                case .anyOne:
                    token += 1
                    position += 1
                    continue
                case .anyRun:
                    starToken = token
                    starPosition = position
                    token += 1
                    continue
                default:
                    break
                }
            }
            guard starToken >= 0 else { return false }
            token = starToken + 1
            starPosition += 1
            position = starPosition
        }
        while token < tokens.count, tokens[token] == .anyRun { token += 1 }
        return token == tokens.count
    }
}
