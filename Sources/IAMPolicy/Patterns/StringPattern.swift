/// A string condition value read as IAM reads it under a string operator.
///
/// - `StringEquals` and `StringNotEquals` compare every character literally (`*` and `?` included).
/// - `StringEqualsIgnoreCase` and `StringNotEqualsIgnoreCase` do the same on the folded forms of both
///   strings (see ``Matching/exactIgnoringCase`` for the folding).
/// - `StringLike` and `StringNotLike` read `*` as any sequence of characters, possibly empty, and `?` as
///   exactly one character; both cross `/` and `:`.
///
/// Policy variables are read under every string operator: `${*}`, `${?}` and `${$}` stand for the literal
/// characters `*`, `?` and `$`; any other `${…}` (`${aws:username}`, `${aws:userid, 'anonymous'}`) is a value
/// known only when a request is evaluated, read here as *any string* so that the pattern over-approximates
/// what IAM matches (``containsVariables`` says when that happened).
///
/// Characters are Unicode scalars, compared without normalisation. The operator's negation and the key's
/// presence are the caller's business: a pattern only describes the values it matches.
///
/// References:
/// [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String),
/// [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars).
public struct StringPattern: Sendable, Hashable, CustomStringConvertible {
    /// One unit of a pattern.
    public enum Element: Sendable, Hashable {
        /// A character matched as written (or folded, when ignoring case).
        case literal(Unicode.Scalar)
        /// `?` under a wildcard operator: exactly one character.
        case anyCharacter
        /// `*` under a wildcard operator: any sequence of characters, possibly empty.
        case anyString
        /// A policy variable `${…}`, with the text between the braces; matched as any string.
        case variable(String)
    }

    /// How a value's characters are compared.
    public enum Matching: Sendable, Hashable {
        /// Every character literal, case-sensitive (`StringEquals`).
        case exact
        /// Every character literal, compared on folded forms (`StringEqualsIgnoreCase`): ASCII letters are
        /// lowercased, any other scalar takes its single-scalar Unicode lowercase mapping (as
        /// `String.lowercased()` does for that scalar), `İ` (U+0130) folds to `i`.
        case exactIgnoringCase
        /// `*` and `?` are wildcards, case-sensitive (`StringLike`).
        case wildcard
    }

    /// The value as written.
    public let source: String
    public let matching: Matching
    public let elements: [Element]

    /// Parses `value` under `matching`.
    /// - Parameter resolvesVariables: false for a policy whose `Version` is not `2012-10-17`, where IAM reads
    ///   `${…}` literally.
    public init(_ value: String, matching: Matching = .wildcard, resolvesVariables: Bool = true) {
        source = value
        self.matching = matching
        elements = Self.parse(value, wildcards: matching == .wildcard, variables: resolvesVariables).map(\.element)
    }

    /// Parses a value of a string condition operator; nil for operators that are not string operators
    /// (ARN operators have ``ARNPattern``).
    public init?(_ value: String, operator base: ConditionOperatorBase, resolvesVariables: Bool = true) {
        let matching: Matching
        switch base {
        case .stringEquals, .stringNotEquals: matching = .exact
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase: matching = .exactIgnoringCase
        case .stringLike, .stringNotLike: matching = .wildcard
        default: return nil
        }
        self.init(value, matching: matching, resolvesVariables: resolvesVariables)
    }

    /// A pattern matching exactly `string`.
    public static func literal(_ string: String) -> StringPattern {
        StringPattern(string, matching: .exact, resolvesVariables: false)
    }

    public var description: String { source }

    /// Whether the pattern ignores case.
    public var ignoresCase: Bool { matching == .exactIgnoringCase }

    /// The texts of the policy variables other than `${*}`, `${?}` and `${$}`, in order.
    public var variables: [String] {
        elements.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// Whether the pattern holds a policy variable, read as any string (the match is over-approximated).
    public var containsVariables: Bool { elements.contains { if case .variable = $0 { true } else { false } } }

    /// Whether the pattern holds a `*` or `?` wildcard.
    public var containsWildcards: Bool { elements.contains { $0 == .anyString || $0 == .anyCharacter } }

    /// The one string the pattern matches when it has neither wildcard nor variable (as written, not folded).
    public var literalValue: String? {
        var scalars = String.UnicodeScalarView()
        for element in elements {
            guard case .literal(let scalar) = element else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Whether `string` matches, reading variables as any string.
    public func matches(_ string: String) -> Bool { glob.matches(string) }

    /// The pattern as a scalar glob.
    var glob: Glob {
        let ignoresCase = self.ignoresCase
        return Glob(elements.map { element in
            switch element {
            case .literal(let scalar): .literal(ignoresCase ? CaseFolding.fold(scalar) : scalar)
            case .anyCharacter: .anyScalar(except: [])
            case .anyString, .variable: .anyString(except: [])
            }
        }, ignoresCase: ignoresCase)
    }

    /// The elements of `value`, each with the range of scalar offsets it was written with.
    static func parse(_ value: String, wildcards: Bool, variables: Bool) -> [(element: Element, range: Range<Int>)] {
        let scalars = Array(value.unicodeScalars)
        var elements: [(element: Element, range: Range<Int>)] = []
        elements.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if variables, scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
               let close = closingBrace(scalars, from: index + 2) {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars[(index + 2)..<close])
                let element: Element = switch String(text) {
                case "*": .literal("*")
                case "?": .literal("?")
                case "$": .literal("$")
                case let name: .variable(name)
                }
                elements.append((element, index..<(close + 1)))
                index = close + 1
                continue
            }
            let element: Element = if wildcards, scalar == "*" {
                .anyString
            } else if wildcards, scalar == "?" {
                .anyCharacter
            } else {
                .literal(scalar)
            }
            elements.append((element, index..<(index + 1)))
            index += 1
        }
        return elements
    }

    /// The index of the `}` closing a variable whose text starts at `start`; a default value in single
    /// quotes (`${aws:userid, 'a}b'}`) may hold `}`.
    private static func closingBrace(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var quoted = false
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "'": quoted.toggle()
            case "}" where !quoted: return index
            default: break
            }
            index += 1
        }
        return nil
    }
}
