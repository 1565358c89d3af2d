/// The ARN format of a resource type, such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`,
/// and the question whether a policy's resource ARN can name a resource of that type.
///
/// In a format, each `${…}` placeholder stands for any non-empty text and `*` for any text. In the first five
/// `:`-separated fields (`arn`, partition, service, region, account) neither crosses a `:`; in the resource part
/// (after the fifth `:`) both may contain `:` and `/`, except that a bucket-name placeholder (`${BucketName}`,
/// `${TableBucketName}`) never holds `/`, as bucket naming rules guarantee.
///
/// A class, so that passing a format around costs one reference count rather than one per stored array.
public final class ARNFormat: Sendable, Hashable, CustomStringConvertible {
    /// The format as the AWS reference writes it.
    public let template: String

    /// The tokens of the six fields, with `.fieldSeparator` between them.
    let tokens: [ARNToken]
    /// Where each field starts in `tokens`; `[6]` is the end. All zero when the template has fewer than six fields.
    let fieldStarts: SIMD8<Int32>
    /// The template's hash, computed once: formats are dictionary keys in hot loops.
    private let templateHash: Int
    /// Whether the account field is exactly `${Account}`.
    let accountIsVariable: Bool

    /// Parses `template`; a template with fewer than six fields matches no ARN.
    public init(_ template: String) {
        self.template = template
        let tokens = ARNToken.tokenize(template, isPolicyPattern: false)
        self.tokens = tokens
        self.fieldStarts = ARNToken.fieldStarts(tokens) ?? SIMD8()
        self.templateHash = template.hashValue
        self.accountIsVariable = Self.accountField(of: template).map { $0.elementsEqual("${Account}".utf8) } ?? false
    }

    public var description: String { template }

    /// The fifth `:`-separated field of `template` when it has at least six fields (the last may hold `:`).
    private static func accountField(of template: String) -> Substring.UTF8View? {
        let bytes = template.utf8
        var colons = 0
        var start = bytes.startIndex
        var end = bytes.startIndex
        for index in bytes.indices where bytes[index] == UInt8(ascii: ":") {
            colons += 1
            if colons == 4 { start = bytes.index(after: index) }
            if colons == 5 { end = index; break }
        }
        return colons == 5 ? template[start..<end].utf8 : nil
    }

    /// The service field as written, e.g. `s3`.
    public var service: String? {
        let fields = template.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        return fields.count > 2 ? String(fields[2]) : nil
    }

    /// Whether some ARN of this format is also matched by `resource`, a policy's `Resource` value:
    /// a concrete ARN, an ARN with `*` and `?` wildcards, or `*`.
    ///
    /// In `resource`, `*` and `?` do not cross `:` within the first five fields, except that a `*` ending a
    /// value with fewer than six fields extends over the rest (as IAM documents for a segment-final `*`).
    /// Policy variables (`${aws:username}`) stand for any non-empty text; `${*}`, `${?}` and `${$}` are
    /// the literal characters. Comparison is case-sensitive, as IAM compares ARNs.
    public func matches(_ resource: String) -> Bool {
        if resource == "*" { return true }
        guard fieldStarts[6] > 0 else { return false }
        return matches(ResourcePattern(resource))
    }

    /// A `Resource` value read once as ARN tokens, to be matched against many formats.
    struct ResourcePattern {
        let text: String
        let tokens: [ARNToken]
        let fieldStarts: SIMD8<Int32>?

        init(_ resource: String) {
            text = resource
            tokens = ARNToken.tokenize(resource, isPolicyPattern: true)
            fieldStarts = ARNToken.fieldStarts(tokens)
        }

        /// Whether the value has all six fields and an empty account field (`arn:aws:ssm:*::document/…`).
        var hasEmptyAccount: Bool {
            guard let starts = fieldStarts else { return false }
            return starts[5] - starts[4] == 1
        }
    }

    /// Whether some ARN that `resource` matches has this format; with `ignoringAccount`, whatever the two
    /// account fields hold.
    func matches(_ resource: ResourcePattern, ignoringAccount: Bool = false) -> Bool {
        if resource.text == "*" { return true }
        guard fieldStarts[6] > 0 else { return false }
        let pattern = resource.tokens
        if let patternStarts = resource.fieldStarts {
            // The most discriminating field first: service, then the others, then the resource part.
            for field in [2, 0, 1, 3, 4, 5] where !(ignoringAccount && field == 4) && !ARNToken.intersects(
                pattern[Int(patternStarts[field])..<Int(patternStarts[field + 1] - (field < 5 ? 1 : 0))],
                tokens[Int(fieldStarts[field])..<Int(fieldStarts[field + 1] - (field < 5 ? 1 : 0))]
            ) {
                return false
            }
            return true
        }
        // Fewer than six fields: only a final `*` can reach the fields the value leaves out.
        guard let last = pattern.last, last.isRun else { return false }
        let lastStart = (pattern.lastIndex(of: .fieldSeparator) ?? -1) + 1
        let lastField = pattern[..<lastStart].reduce(0) { $1 == .fieldSeparator ? $0 + 1 : $0 }
        var patternStart = 0
        for field in 0..<lastField {
            let patternEnd = pattern[patternStart...].firstIndex(of: .fieldSeparator) ?? pattern.count
            if !ARNToken.intersects(pattern[patternStart..<patternEnd], tokens[Int(fieldStarts[field])..<Int(fieldStarts[field + 1] - 1)]) {
                return false
            }
            patternStart = patternEnd + 1
        }
        var tail = Array(pattern[lastStart..<(pattern.count - 1)])
        tail.append(.run(.any))
        let rest = tokens[Int(fieldStarts[lastField])...].map { $0 == .fieldSeparator ? .one(.literal(UInt8(ascii: ":"))) : $0 }
        return ARNToken.intersects(tail[...], rest[...])
    }

    public static func == (lhs: ARNFormat, rhs: ARNFormat) -> Bool {
        lhs === rhs || (lhs.templateHash == rhs.templateHash && lhs.template == rhs.template)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(templateHash) }
}

/// One position of an ARN pattern: a single character from a class, a run of them (possibly empty), or the
/// `:` between two of the first six fields.
enum ARNToken: Sendable, Equatable {
    enum CharacterClass: Sendable, Equatable {
        case literal(UInt8)
        case any
        case anyButColon
        case anyButSlash

        func intersects(_ other: CharacterClass) -> Bool {
            switch (self, other) {
            case (.literal(let a), .literal(let b)): a == b
            case (.literal(let a), .anyButColon), (.anyButColon, .literal(let a)): a != UInt8(ascii: ":")
            case (.literal(let a), .anyButSlash), (.anyButSlash, .literal(let a)): a != UInt8(ascii: "/")
            default: true
            }
        }
    }

    case one(CharacterClass)
    case run(CharacterClass)
    case fieldSeparator

    var isRun: Bool {
        if case .run = self { return true }
        return false
    }

    /// Where each of six fields starts, and the end as `[6]`; nil when `tokens` has fewer than six fields.
    static func fieldStarts(_ tokens: [ARNToken]) -> SIMD8<Int32>? {
        var starts = SIMD8<Int32>()
        var field = 1
        for (index, token) in tokens.enumerated() where token == .fieldSeparator {
            starts[field] = Int32(index + 1)
            field += 1
        }
        guard field == 6 else { return nil }
        starts[6] = Int32(tokens.count)
        return starts
    }

    /// The tokens of an ARN format or a policy's resource pattern; `.fieldSeparator` marks the first five `:`
    /// (outside `${…}`); later `:` are plain text of the resource part.
    ///
    /// In a format, `${…}` is any non-empty text and `*` any text. In a policy pattern, `*` is any text,
    /// `?` any one character, `${*}`/`${?}`/`${$}` are literals and other `${…}` are policy variables
    /// (any non-empty text). Wildcards in the first five fields do not match `:`.
    static func tokenize(_ string: String, isPolicyPattern: Bool) -> [ARNToken] {
        var string = string
        return string.withUTF8 { bytes in
            var tokens: [ARNToken] = []
            tokens.reserveCapacity(bytes.count + 8)
            var separators = 0
            var index = 0
            while index < bytes.count {
                let characterClass: CharacterClass = separators < 5 ? .anyButColon : .any
                let byte = bytes[index]
                if byte == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{"),
                   let end = (index + 2..<bytes.count).first(where: { bytes[$0] == UInt8(ascii: "}") }) {
                    let inner = UnsafeBufferPointer(rebasing: bytes[(index + 2)..<end])
                    if isPolicyPattern, inner.count == 1,
                       [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "$")].contains(inner[0]) {
                        tokens.append(.one(.literal(inner[0])))
                    } else {
                        let placeholderClass = !isPolicyPattern && separators >= 5 && isBucketName(inner) ? .anyButSlash : characterClass
                        tokens.append(.one(placeholderClass))
                        tokens.append(.run(placeholderClass))
                    }
                    index = end + 1
                    continue
                }
                switch byte {
                case UInt8(ascii: ":") where separators < 5:
                    tokens.append(.fieldSeparator)
                    separators += 1
                case UInt8(ascii: "*"):
                    if tokens.last != .run(characterClass) { tokens.append(.run(characterClass)) }
                case UInt8(ascii: "?") where isPolicyPattern:
                    tokens.append(.one(characterClass))
                default:
                    tokens.append(.one(.literal(byte)))
                }
                index += 1
            }
            return tokens
        }
    }

    /// Whether a placeholder name ends in `BucketName`.
    private static func isBucketName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let suffix = "BucketName".utf8
        return name.count >= suffix.count && name.suffix(suffix.count).elementsEqual(suffix)
    }

    /// Whether some string is matched by both token sequences (neither holds a `.fieldSeparator`).
    static func intersects(_ a: ArraySlice<ARNToken>, _ b: ArraySlice<ARNToken>) -> Bool {
        var a = a
        var b = b
        // Equal literals at either end match each other; different ones rule out any common string.
        while case .one(.literal(let x))? = a.first, case .one(.literal(let y))? = b.first {
            guard x == y else { return false }
            a = a.dropFirst()
            b = b.dropFirst()
        }
        while case .one(.literal(let x))? = a.last, case .one(.literal(let y))? = b.last {
            guard x == y else { return false }
            a = a.dropLast()
            b = b.dropLast()
        }
        if let answer = againstClassRun(a, b) ?? againstClassRun(b, a) { return answer }
        if !a.contains(where: \.isWild), !b.contains(where: \.isWild) { return a.elementsEqual(b) }
        let n = a.count
        let m = b.count
        let a0 = a.startIndex
        let b0 = b.startIndex
        let width = m + 1
        // reach[i * width + j]: a[i...] and b[j...] have a common match. Filled from the ends backwards.
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: (n + 1) * width) { reach in
            reach.initialize(repeating: false)
            reach[n * width + m] = true
            var i = n
            while i >= 0 {
                var j = m
                while j >= 0 {
                    if i == n && j == m { j -= 1; continue }
                    var ok = false
                    if i < n, a[a0 + i].isRun, reach[(i + 1) * width + j] { ok = true }
                    if !ok, j < m, b[b0 + j].isRun, reach[i * width + j + 1] { ok = true }
                    if !ok, i < n, j < m {
                        switch (a[a0 + i], b[b0 + j]) {
                        case (.one(let x), .one(let y)):
                            ok = x.intersects(y) && reach[(i + 1) * width + j + 1]
                        case (.run(let x), .one(let y)):
                            ok = x.intersects(y) && reach[i * width + j + 1]
                        case (.one(let x), .run(let y)):
                            ok = x.intersects(y) && reach[(i + 1) * width + j]
                        default:
                            break
                        }
                    }
                    reach[i * width + j] = ok
                    j -= 1
                }
                i -= 1
            }
            return reach[0]
        }
    }

    /// The answer when `run` is a run of one class, `*` (`[run c]`) or a placeholder (`[one c, run c]`): some
    /// string of that class, non-empty for a placeholder, must be one `other` matches. Every class meets every
    /// other, so only `other`'s literals and its length can stand in the way. Nil for any other shape of `run`.
    private static func againstClassRun(_ run: ArraySlice<ARNToken>, _ other: ArraySlice<ARNToken>) -> Bool? {
        let characterClass: CharacterClass
        let nonEmpty: Bool
        switch run.count {
        case 1:
            guard case .run(let c) = run[run.startIndex] else { return nil }
            characterClass = c
            nonEmpty = false
        case 2:
            guard case .one(let c) = run[run.startIndex], case .run(c) = run[run.startIndex + 1] else { return nil }
            characterClass = c
            nonEmpty = true
        default:
            return nil
        }
        var canBeNonEmpty = false
        for token in other {
            switch token {
            case .one(let c):
                guard c.intersects(characterClass) else { return false }
                canBeNonEmpty = true
            case .run:
                canBeNonEmpty = true
            case .fieldSeparator:
                return false
            }
        }
        return !nonEmpty || canBeNonEmpty
    }

    private var isWild: Bool {
        switch self {
        case .one(.literal), .fieldSeparator: false
        default: true
        }
    }
}
