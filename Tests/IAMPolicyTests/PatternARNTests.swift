import IAMPolicy
import Testing

@Suite("Pattern ARNs")
struct PatternARNTests {
    func condition(_ value: String) throws -> ARNPattern { try #require(ARNPattern(value, context: .condition)) }
    func resource(_ value: String) throws -> ARNPattern { try #require(ARNPattern(value, context: .resource)) }

    /// (pattern, ARN, matches under ArnLike).
    static let conditionTable: [(String, String, Bool)] = [
        // AWS's own example: the first `*` matches only the region under ArnLike.
        ("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false),
        ("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:111122223333:finance/document.txt", true),
        ("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice::111122223333:finance/", true),
        // The resource field keeps further `:` and `/`, and its wildcards cross them.
        ("arn:aws:lambda:eu-north-1:123456789012:function:*", "arn:aws:lambda:eu-north-1:123456789012:function:f:live", true),
        ("arn:aws:logs:*:*:log-group:/aws/lambda/app-*", "arn:aws:logs:eu-north-1:1:log-group:/aws/lambda/app-x:log-stream:y", true),
        ("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/:", true),
        // `?` in the first five fields never matches `:`.
        ("arn:aws:iam::?:role/x", "arn:aws:iam:::role/x", false),
        ("arn:aws:iam:?:?:role/x", "arn:aws:iam:a:b:role/x", true),
        ("arn:aws:*:*:*:*", "arn:aws:s3:::bucket", true),
        ("arn:aws:*:*:*:*", "arn:aws-cn:s3:::bucket", false),
        ("arn:*:*:*:*:*", "arn:aws:s3:::", true),
        // Case-sensitive.
        ("arn:aws:iam::123456789012:role/Deploy", "arn:aws:iam::123456789012:role/deploy", false),
        // Not an ARN.
        ("arn:aws:s3:::*", "arn:aws:s3::bucket", false),
        ("*", "arn:aws:s3:::bucket", true),
        ("*", "not-an-arn", false),
        ("*", "arn:a:b:c:d", false),
        // Scalars, not characters: a combining mark after `:` is part of the next field.
        ("arn:*:s3:::b", "arn:\u{301}aws:s3:::b", true),
        ("arn:aws:s3:::b", "arn:aws:s3:::b\u{301}", false),
        // Variables are any string, `:` included.
        ("arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/alice/notes", true),
        ("arn:aws:sqs:us-east-2:${aws:PrincipalAccount}:queue", "arn:aws:sqs:us-east-2:123456789012:queue", true),
        ("arn:aws:iam::${aws:PrincipalAccount}", "arn:aws:iam::123456789012:role/x", true),
        // Escapes are literal.
        ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", true),
        ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", false),
    ]

    @Test(arguments: conditionTable)
    func matchesFieldByField(_ pattern: String, _ arn: String, _ expected: Bool) throws {
        let parsed = try condition(pattern)
        #expect(parsed.contains(arn) == expected, "ArnLike '\(pattern)' vs '\(arn)'")
        #expect(parsed.language.contains(arn) == expected, "language of '\(pattern)' vs '\(arn)'")
    }

    @Test func resourceElementLetsAFieldFinalStarCrossColons() throws {
        let pattern = try resource("arn:aws:someservice:*:111122223333:finance/*")
        // The region `*` ends its field, so in a Resource element it may expand beyond the colon.
        #expect(pattern.contains("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"))
        // A `*` inside a field (not its last character) still stays within it.
        let inside = try resource("arn:aws:sqs:eu-*-1:123456789012:queue")
        #expect(inside.contains("arn:aws:sqs:eu-north-1:123456789012:queue"))
        #expect(!inside.contains("arn:aws:sqs:eu-x:9:y-1:123456789012:queue"))
        #expect(try condition("arn:aws:sqs:eu-*-1:123456789012:queue").isSubset(of: inside))
        #expect(try condition("arn:aws:someservice:*:111122223333:finance/*").isSubset(of: pattern))
        #expect(try !pattern.isSubset(of: condition("arn:aws:someservice:*:111122223333:finance/*")))
        // Fewer than six fields only when the last one ends in a crossing `*`.
        #expect(ARNPattern("arn:aws:s3:*", context: .resource) != nil)
        #expect(ARNPattern("arn:aws:s3:*", context: .condition) == nil)
        #expect(ARNPattern("arn:aws:s3", context: .resource) == nil)
        #expect(try resource("arn:aws:s3:*").contains("arn:aws:s3:::bucket/key"))
        #expect(try !resource("arn:aws:s3:*").contains("arn:aws:s3"))
    }

    @Test func parsesSixFields() throws {
        let pattern = try condition("arn:aws:iam::${aws:PrincipalAccount}:role/a:b")
        #expect(pattern.fields.map(\.source) == ["arn", "aws", "iam", "", "${aws:PrincipalAccount}", "role/a:b"])
        #expect(pattern.containsVariables)
        #expect(pattern.language.precision == .superset)
        #expect(try !condition("arn:aws:iam::1:role/x").containsWildcards)
        #expect(try condition("*").matchesEveryARN)
        #expect(ARNPattern("arn:aws:iam::1") == nil)
        #expect(ARNPattern("") == nil)
    }

    @Test func containmentOfDesignScopes() throws {
        let scope = try resource("arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-dev-*")
        #expect(try resource("arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-dev-conversations").isSubset(of: scope))
        #expect(try resource("arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-dev-*/index/*").isSubset(of: scope))
        #expect(try !resource("arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-*").isSubset(of: scope))
        #expect(try resource("arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-*").overlaps(scope))
        #expect(try !resource("arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-prod-*").overlaps(scope))
        #expect(try !resource("*").isSubset(of: scope))
        #expect(try scope.isSubset(of: resource("*")))
        // Another account or region is outside, even with wildcards elsewhere.
        #expect(try !resource("arn:aws:dynamodb:*:337909745089:table/ai-multi-comms-dev-x").isSubset(of: scope))
        // A grant inside the union of two scope patterns, though inside neither alone.
        let queues = ARNPattern.language(anyOf: try [
            resource("arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-*-queue-dev"),
            resource("arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-dev-*"),
        ])
        let grant = try resource("arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-dev-*-queue-dev")
        #expect(grant.language.isSubset(of: queues))
        let wider = try resource("arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-*")
        #expect(wider.language.witness(avoiding: queues) == "arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-")
        #expect(wider.language.subtracting(queues).shortestWitness()?.hasPrefix("arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-") == true)
    }

    @Test func witnessesAreARNs() throws {
        let any = try condition("arn:aws:iam::*:role/*")
        let own = try condition("arn:aws:iam::337909745089:role/*")
        let witness = try #require(any.language.witness(avoiding: own.language))
        #expect(witness == "arn:aws:iam::x:role/x")
        #expect(any.contains(witness))
        #expect(!own.contains(witness))
        #expect(ARNPattern.allARNs.shortestWitness() == "arn:x:x:x:x:x")
    }
}
