import IAMPolicy
import Testing

@Suite("Pattern syntax")
struct PatternSyntaxTests {
    /// (pattern, operator, string, matches): the edge cases of IAM's string operators.
    static let matchTable: [(String, ConditionOperatorBase, String, Bool)] = [
        // `*` matches the empty string and crosses `/` and `:`.
        ("*", .stringLike, "", true),
        ("*", .stringLike, "repo:acme/app:ref:refs/heads/main", true),
        ("repo:acme/*", .stringLike, "repo:acme/", true),
        ("repo:acme/*", .stringLike, "repo:acme/app:ref:refs/heads/main", true),
        ("repo:acme/*", .stringLike, "repo:acme", false),
        ("repo:acme/*", .stringLike, "repo:acmeX/app", false),
        ("repo:*/app:*", .stringLike, "repo:a/b/app:x", true),
        ("a*b*c", .stringLike, "abc", true),
        ("a*b*c", .stringLike, "aXbYbZc", true),
        ("a*b*c", .stringLike, "acb", false),
        ("**", .stringLike, "", true),
        // `?` needs exactly one character, any character.
        ("?", .stringLike, "", false),
        ("?", .stringLike, "x", true),
        ("?", .stringLike, ":", true),
        ("?", .stringLike, "é", true),
        ("?", .stringLike, "xy", false),
        ("repo:acme/ap?", .stringLike, "repo:acme/app", true),
        ("repo:acme/ap?", .stringLike, "repo:acme/ap", false),
        ("?*", .stringLike, "", false),
        ("?*", .stringLike, "/", true),
        // `${*}`, `${?}`, `${$}` are literal characters.
        ("${*}", .stringLike, "*", true),
        ("${*}", .stringLike, "x", false),
        ("${?}", .stringLike, "?", true),
        ("${?}", .stringLike, "x", false),
        ("a${$}b", .stringLike, "a$b", true),
        ("${*}${*}", .stringEquals, "**", true),
        ("$x", .stringLike, "$x", true),
        ("${", .stringLike, "${", true),
        ("a${*", .stringLike, "a${XYZ", true),
        // Any other variable is an unknown value: any string.
        ("home/${aws:username}/*", .stringLike, "home/alice/notes", true),
        ("home/${aws:username}", .stringEquals, "home/", true),
        ("home/${aws:username}", .stringEquals, "home:alice", false),
        ("${aws:userid, 'anon}ymous'}x", .stringEquals, "whateverx", true),
        // StringEquals: `*` and `?` are literal.
        ("repo:acme/*", .stringEquals, "repo:acme/*", true),
        ("repo:acme/*", .stringEquals, "repo:acme/app", false),
        ("?", .stringEquals, "?", true),
        ("?", .stringEquals, "x", false),
        ("Repo", .stringEquals, "repo", false),
        ("", .stringEquals, "", true),
        ("", .stringEquals, "x", false),
        // StringLike is case-sensitive.
        ("repo:Acme/*", .stringLike, "repo:acme/app", false),
        // IgnoreCase.
        ("Repo:ACME/App", .stringEqualsIgnoreCase, "repo:acme/app", true),
        ("repo:acme/app", .stringNotEqualsIgnoreCase, "REPO:ACME/APP", true),
        ("repo:acme/*", .stringEqualsIgnoreCase, "REPO:ACME/*", true),
        ("repo:acme/*", .stringEqualsIgnoreCase, "repo:acme/app", false),
        ("ÉTÉ", .stringEqualsIgnoreCase, "été", true),
        ("k", .stringEqualsIgnoreCase, "\u{212A}", true),
        ("\u{212A}", .stringEqualsIgnoreCase, "K", true),
        ("ΣΑ", .stringEqualsIgnoreCase, "σα", true),
        ("σ", .stringEqualsIgnoreCase, "ς", false),
        ("i", .stringEqualsIgnoreCase, "İ", true),
        ("ß", .stringEqualsIgnoreCase, "ẞ", true),
        ("ss", .stringEqualsIgnoreCase, "ß", false),
    ]

    @Test(arguments: matchTable)
    func matchesAsIAMDoes(_ pattern: String, _ base: ConditionOperatorBase, _ string: String, _ expected: Bool) throws {
        let parsed = try #require(StringPattern(pattern, operator: base))
        #expect(parsed.matches(string) == expected, "\(base.rawValue) '\(pattern)' vs '\(string)'")
        #expect(PatternSet(parsed).contains(string) == expected, "PatternSet of \(base.rawValue) '\(pattern)' vs '\(string)'")
    }

    @Test func parsesElements() {
        let pattern = StringPattern("a*?${*}${?}${$}${aws:username}$", matching: .wildcard)
        #expect(pattern.elements == [.literal("a"), .anyString, .anyCharacter, .literal("*"), .literal("?"), .literal("$"),
                                     .variable("aws:username"), .literal("$")])
        #expect(pattern.variables == ["aws:username"])
        #expect(pattern.containsVariables)
        #expect(pattern.containsWildcards)
        #expect(pattern.literalValue == nil)
        #expect(pattern.description == "a*?${*}${?}${$}${aws:username}$")

        let exact = StringPattern("a*?${*}", matching: .exact)
        #expect(exact.elements == [.literal("a"), .literal("*"), .literal("?"), .literal("*")])
        #expect(!exact.containsWildcards)
        #expect(exact.literalValue == "a*?*")

        let escapes = StringPattern("${*}${?}${$}")
        #expect(!escapes.containsVariables)
        #expect(!escapes.containsWildcards)
        #expect(escapes.literalValue == "*?$")
    }

    @Test func githubClaimVariableIsAnyString() {
        let pattern = StringPattern("repo:acme/${token.actions.githubusercontent.com:sub}", matching: .exact)
        #expect(pattern.variables == ["token.actions.githubusercontent.com:sub"])
        #expect(pattern.matches("repo:acme/anything:at/all"))
        #expect(PatternSet(pattern).precision == .superset)
        #expect(PatternSet(StringPattern("repo:acme/*")).precision == .exact)
    }

    @Test func variablesAreLiteralWithoutPolicyVersion() {
        let pattern = StringPattern("home/${aws:username}", matching: .exact, resolvesVariables: false)
        #expect(!pattern.containsVariables)
        #expect(pattern.literalValue == "home/${aws:username}")
        #expect(pattern.matches("home/${aws:username}"))
        #expect(!pattern.matches("home/alice"))
        // Without variables, `${*}` is no escape: its `*` is a wildcard under StringLike.
        let like = StringPattern("${*}", matching: .wildcard, resolvesVariables: false)
        #expect(like.matches("${anything}"))
    }

    @Test func operatorsWithoutStringPatterns() {
        #expect(StringPattern("x", operator: .numericEquals) == nil)
        #expect(StringPattern("x", operator: .arnLike) == nil)
        #expect(StringPattern("x", operator: .stringNotLike)?.matching == .wildcard)
        #expect(StringPattern("x", operator: .stringNotEquals)?.matching == .exact)
        #expect(StringPattern("x", operator: .stringEqualsIgnoreCase)?.ignoresCase == true)
    }
}
