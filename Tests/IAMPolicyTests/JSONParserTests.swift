import IAMPolicy
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    let parser = JSONParser()

    func parse(_ text: String) throws -> JSONNode {
        try parser.parse(text)
    }

    func syntaxError(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do {
            _ = try parser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    func syntaxError(_ text: String) -> JSONSyntaxError? {
        syntaxError(Array(text.utf8))
    }

    @Test func parsesEveryValueKind() throws {
        let node = try parse(#"{"a": [1, -2.5e3, true, false, null, "x"], "b": {}}"#)
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
        let values = try #require(node["a"]?.arrayValue).map(\.value)
        #expect(values == [.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null, .string("x")])
        #expect(node["b"]?.objectValue?.isEmpty == true)
    }

    @Test func spansAreOneBasedWithExclusiveEnd() throws {
        let text = "{\n  \"Effect\": \"Allow\"\n}"
        let node = try parse(text)
        let member = try #require(node.member("Effect"))
        #expect(member.keySpan == SourceSpan(start: SourcePosition(line: 2, column: 3, offset: 4), end: SourcePosition(line: 2, column: 11, offset: 12)))
        #expect(member.value.span.start.line == 2 && member.value.span.start.column == 13)
        #expect(member.value.span.end.column == 20)
        #expect(node.span.start == SourcePosition(line: 1, column: 1, offset: 0))
        #expect(node.span.end == SourcePosition(line: 3, column: 2, offset: text.utf8.count))
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let node = try parse(#"{"ü€😀": "x", "k": 1}"#)
        let member = try #require(node.member("k"))
        // `{"ü€😀": "x", ` is 13 scalars (19 bytes) before the key "k".
        #expect(member.keySpan.start.column == 14)
        #expect(member.keySpan.start.offset == 19)
    }

    @Test func crlfAndLoneCRCountAsOneLineBreak() throws {
        let node = try parse("{\r\n\"a\": 1,\r\"b\": 2\n}")
        #expect(node.member("a")?.keySpan.start.line == 2)
        #expect(node.member("b")?.keySpan.start.line == 3)
        #expect(node.span.end.line == 4)
    }

    @Test func byteOrderMarkIsSkippedAndColumnsStartAfterIt() throws {
        let node = try parser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8))
        #expect(node.span.start.column == 1)
        #expect(node.member("a")?.keySpan.start.column == 2)
    }

    @Test func duplicateKeysAreKeptAndLastWins() throws {
        let node = try parse(#"{"Effect": "Deny", "Effect": "Allow"}"#)
        #expect(node.objectValue?.count == 2)
        #expect(node["Effect"]?.stringValue == "Allow")
        #expect(node.duplicateMembers.map(\.key) == ["Effect"])
        #expect(node.duplicateMembers.first?.keySpan.start.column == 20)
    }

    @Test func numbersKeepTheirText() throws {
        let digits = String(repeating: "9", count: 10_000)
        let node = try parse("[\(digits), 1e999, -0.0]")
        #expect(node.arrayValue?.map(\.value) == [.number(digits), .number("1e999"), .number("-0.0")])
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let node = try parse(#"["a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00", "\ud800x"]"#)
        #expect(node.arrayValue?.map(\.stringValue) == ["a\"b\\c/d\n\t", "é😀", "\u{FFFD}x"])
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9, "trailing comma"),
        ("[1, 2,]", 1, 7, "trailing comma"),
        ("{\n  \"a\": tru\n}", 2, 8, "invalid literal"),
        ("{'a': 1}", 1, 2, "double quotes"),
        ("[NaN]", 1, 2, "NaN"),
        ("[-Infinity]", 1, 3, "NaN and Infinity"),
        ("[01]", 1, 3, "leading zeros"),
        ("{\"a\" 1}", 1, 6, "expected ':'"),
        ("{\"a\": 1} x", 1, 10, "after the end"),
        ("\"abc", 1, 5, "end of input inside a string"),
        ("[\"a\nb\"]", 1, 4, "line break inside a string"),
        ("[\"\\x\"]", 1, 3, "invalid escape"),
        ("", 1, 1, "empty"),
        ("   \n ", 2, 2, "no JSON value"),
        ("[1 2]", 1, 4, "expected ',' or ']'"),
    ])
    func syntaxErrorsNameTheirPosition(text: String, line: Int, column: Int, fragment: String) throws {
        let error = try #require(syntaxError(text))
        #expect(error.position.line == line && error.position.column == column, "\(error)")
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test func invalidUTF8IsAnErrorWithPosition() throws {
        let error = try #require(syntaxError(Array("{\"a\": \"x".utf8) + [0xC3, 0x28] + Array("\"}".utf8)))
        #expect(error.message.contains("invalid UTF-8"))
        #expect(error.position.column == 9)
        #expect(syntaxError([0x22, 0xED, 0xA0, 0x80, 0x22]) != nil, "encoded surrogates are not UTF-8")
        #expect(syntaxError([0x22, 0xF0, 0x9F, 0x98]) != nil, "truncated sequence")
    }

    @Test func utf16AndNULAreErrors() throws {
        #expect(try #require(syntaxError([0xFF, 0xFE, 0x7B, 0x00])).message.contains("UTF-16"))
        #expect(try #require(syntaxError([0x5B, 0x00, 0x5D])).message.contains("NUL"))
        #expect(try #require(syntaxError([0x22, 0x00, 0x22])).message.contains("NUL"))
    }

    @Test func nestingBeyondTheLimitIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(syntaxError(deep))
        #expect(error.message.contains("nesting deeper than 512"))
        #expect(error.position.column == 513)
        let limited = JSONParser(maxDepth: 4)
        #expect(throws: JSONSyntaxError.self) { try limited.parse("[[[[[1]]]]]") }
        #expect(try limited.parse("[[[[1]]]]").arrayValue?.count == 1)
    }

    @Test func pointersResolveToSpans() throws {
        let text = """
        {"Statement": [{"Sid": "A"}, {"Sid": "B", "a/b": {"m~n": 7}}]}
        """
        let node = try parse(text)
        #expect(node.resolve("/Statement/1/Sid")?.stringValue == "B")
        #expect(node.resolve("/Statement/1/a~1b/m~0n")?.value == .number("7"))
        #expect(node.resolve("/Statement/2") == nil)
        #expect(node.resolve("/Statement/01") == nil)
        #expect(node.resolve("")?.span == node.span)
        #expect(node.resolve("/Statement/0/Sid")?.span.start.column == 24)
    }
}

@Suite("JSON pointer")
struct JSONPointerTests {
    @Test func roundTripsEscapes() throws {
        let pointer = try #require(JSONPointer(parsing: "/a~1b/c~0d/0"))
        #expect(pointer.tokens == ["a/b", "c~d", "0"])
        #expect(pointer.description == "/a~1b/c~0d/0")
        #expect(JSONPointer(parsing: "a") == nil)
        #expect(JSONPointer(parsing: "/a~2") == nil)
        #expect(JSONPointer(parsing: "")?.isRoot == true)
    }

    @Test func ordersNumericTokensNumerically() {
        let pointers: [JSONPointer] = ["/Statement/10", "/Statement/2", "/Statement/2/Action", "/Id"]
        #expect(pointers.sorted().map(\.description) == ["/Id", "/Statement/2", "/Statement/2/Action", "/Statement/10"])
    }
}
