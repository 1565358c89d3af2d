/// An ARN with wildcards, as the ARN condition operators and the `Resource` element read it.
///
/// An ARN has six `:`-separated fields, `arn:partition:service:region:account-id:resource`; the sixth, the
/// resource, keeps any further `:` and `/`. Matching is case-sensitive and field by field:
///
/// - ``Context/condition`` (`ArnLike`, `ArnEquals`, `ArnNotLike`, `ArnNotEquals`, which behave alike):
///   "each of the six colon-delimited components of the ARN is checked separately", so a `*` or `?` in one
///   of the first five fields never matches a `:`. AWS's own example: `arn:aws:someservice:*:111122223333:finance/*`
///   does not match `arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt`
///   under `ArnLike`, though it does under `StringLike`.
/// - ``Context/resource`` (`Resource`, `NotResource`): wildcards work within each field as above, except
///   that "if the `*` wildcard is the last character of a resource ARN segment, it can expand to match beyond
///   the colon boundaries"; such a `*` is read as crossing `:` (a sound over-approximation of an
///   underspecified rule). In both contexts `*` and `?` in the resource field match `/` and `:`.
///
/// The value `*` alone matches every ARN (documented for `Resource`; read the same way, as an
/// over-approximation, under the ARN operators). A policy variable `${…}` is read as any string, `:`
/// included, since its value may hold colons (the match is over-approximated; ``containsVariables`` says
/// so). The strings matched are always ARNs: `arn:`, four fields without `:` each followed by `:`, then the
/// resource.
///
/// ``language`` builds an automaton on every call: keep the result when asking several questions.
///
/// References:
/// [IAM JSON policy elements: Condition operators, ARN condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN),
/// [IAM JSON policy elements: Resource, wildcards in resource ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards),
/// [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
public struct ARNPattern: Sendable, Hashable, CustomStringConvertible {
    /// Where the pattern is written, which decides whether a field-final `*` crosses `:`.
    public enum Context: Sendable, Hashable {
        /// A value of an ARN condition operator: no wildcard crosses `:` in the first five fields.
        case condition
        /// An entry of `Resource` or `NotResource`: a `*` ending one of the first five fields may cross `:`.
        case resource
    }

    /// The value as written.
    public let source: String
    /// Where the value is written.
    public let context: Context
    /// The fields as written: six, the last keeping any further `:`; fewer only when the last one ends in a
    /// `*` or variable that may cross `:`; one (`*`) for ``matchesEveryARN``.
    public let fields: [StringPattern]
    /// The whole-ARN glob: fields joined by `:`, wildcards of the first five fields excluding `:`.
    let glob: Glob

    /// Parses `value`; nil when it is not `*` and has fewer than six fields (unless its last field ends in a
    /// `*` or variable that may cross `:`, so that the missing fields can still be matched).
    /// - Parameter resolvesVariables: false for a policy whose `Version` is not `2012-10-17`.
    public init?(_ value: String, context: Context = .condition, resolvesVariables: Bool = true) {
        source = value
        self.context = context
        let parsed = StringPattern.parse(value, wildcards: true, variables: resolvesVariables)
        if parsed.count == 1 && parsed[0].element == .anyString {
            fields = [StringPattern(value, matching: .wildcard, resolvesVariables: resolvesVariables)]
            glob = Glob([.anyString(except: [])])
            return
        }
        // Split at the first five ':' written as such (a variable's text may hold ':' too).
        let scalars = Array(value.unicodeScalars)
        var bounds: [Int] = []
        for item in parsed where item.element == .literal(":") && bounds.count < 5 {
            bounds.append(item.range.lowerBound)
        }
        var fields: [StringPattern] = []
        var start = 0
        for end in bounds + [scalars.count] {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<end])
            fields.append(StringPattern(String(text), matching: .wildcard, resolvesVariables: resolvesVariables))
            start = end + 1
        }
        self.fields = fields
        glob = Self.glob(fields, context: context)
        if fields.count < 6 {
            switch fields.last?.elements.last {
            case .variable?: break
            case .anyString? where context == .resource: break
            default: return nil
            }
        }
    }

    public var description: String { source }

    /// Whether the pattern is `*`, matching every ARN.
    public var matchesEveryARN: Bool { fields.count == 1 && fields[0].elements == [.anyString] }

    /// Whether the pattern holds a policy variable, read as any string (the match is over-approximated).
    public var containsVariables: Bool { fields.contains { $0.containsVariables } }

    /// Whether the pattern holds a `*` or `?` wildcard.
    public var containsWildcards: Bool { fields.contains { $0.containsWildcards } }

    /// The ARNs the pattern matches.
    public var language: PatternSet { Self.language(anyOf: [self]) }

    /// The ARNs any of `patterns` matches.
    public static func language(anyOf patterns: some Sequence<ARNPattern>) -> PatternSet {
        let patterns = Array(patterns)
        let globs = patterns.map(\.glob)
        let set = PatternSet(globs: globs, precision: patterns.contains(where: \.containsVariables) ? .superset : .exact)
        // A glob of the form `arn:` + four `:`-free fields + resource matches ARNs only: no need to intersect.
        return globs.allSatisfy(matchesOnlyARNs) ? set : set.intersection(allARNs)
    }

    /// Whether every string `glob` matches is an ARN.
    private static func matchesOnlyARNs(_ glob: Glob) -> Bool {
        let tokens = glob.tokens
        guard tokens.starts(with: [.literal("a"), .literal("r"), .literal("n"), .literal(":")]) else { return false }
        var separators = 1
        for token in tokens.dropFirst(4) where separators < 5 {
            switch token {
            case .literal(":"): separators += 1
            case .literal, .anyScalar(except: [":"]), .anyString(except: [":"]): break
            case .anyScalar, .anyString: return false
            }
        }
        return separators == 5
    }

    /// Whether `arn` matches.
    public func contains(_ arn: String) -> Bool {
        Self.isARN(arn) && glob.matches(arn)
    }

    /// Whether every ARN this pattern matches, `other` matches too.
    public func isSubset(of other: ARNPattern) -> Bool { language.isSubset(of: other.language) }

    /// Whether some ARN matches both patterns.
    public func overlaps(_ other: ARNPattern) -> Bool { language.overlaps(other.language) }

    /// Every ARN: `arn:`, four fields without `:`, each followed by `:`, then the resource.
    public static let allARNs: PatternSet = {
        let field = Glob.Token.anyString(except: [":"])
        let tokens: [Glob.Token] = [.literal("a"), .literal("r"), .literal("n"), .literal(":"),
                                    field, .literal(":"), field, .literal(":"), field, .literal(":"), field, .literal(":"),
                                    .anyString(except: [])]
        return PatternSet(globs: [Glob(tokens)], precision: .exact)
    }()

    /// Whether `string` has the shape of an ARN, compared scalar by scalar like the patterns.
    static func isARN(_ string: String) -> Bool {
        string.unicodeScalars.starts(with: "arn:".unicodeScalars) && string.unicodeScalars.reduce(0) { $1 == ":" ? $0 + 1 : $0 } >= 5
    }

    private static func glob(_ fields: [StringPattern], context: Context) -> Glob {
        var tokens: [Glob.Token] = []
        for (number, field) in fields.enumerated() {
            if number > 0 { tokens.append(.literal(":")) }
            let isResource = number == 5
            for (position, element) in field.elements.enumerated() {
                switch element {
                case .literal(let scalar):
                    tokens.append(.literal(scalar))
                case .anyCharacter:
                    tokens.append(.anyScalar(except: isResource ? [] : [":"]))
                case .anyString:
                    let crosses = isResource || (context == .resource && position == field.elements.count - 1)
                    tokens.append(.anyString(except: crosses ? [] : [":"]))
                case .variable:
                    tokens.append(.anyString(except: []))
                }
            }
        }
        return Glob(tokens)
    }
}
