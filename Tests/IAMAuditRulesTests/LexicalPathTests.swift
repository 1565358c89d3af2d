@testable import IAMAuditRules
import Testing

@Suite("Lexical paths")
struct LexicalPathTests {
    @Test("paths normalize by components", arguments: [
        ("policies/dev/a.json", "policies/dev/a.json"), ("./a.json", "a.json"), ("a//b/", "a/b"), ("a/./b", "a/b"),
        ("a/../b", "b"), ("../a", "../a"), ("a/../../b", "../b"), ("/../a", "/a"), ("/", "/"), ("//", "/"),
        ("", "."), (".", "."), ("..", ".."), ("/a/b/..", "/a"), (".hidden/a.", ".hidden/a."), ("a/...", "a/..."),
        ("é//ü", "é/ü"),
    ])
    func normalized(path: String, expected: String) {
        #expect(LexicalPath.normalized(path) == expected)
    }

    /// The fast check never accepts a path that normalization would change, and accepts the plain ones,
    /// over every path of up to five characters from `a`, `.` and `/`.
    @Test func normalizedCheckAgreesWithNormalization() {
        var paths = [""]
        var frontier = [""]
        for _ in 0..<5 {
            frontier = frontier.flatMap { prefix in ["a", ".", "/"].map { prefix + $0 } }
            paths += frontier
        }
        var accepted = 0
        for path in paths where LexicalPath.isNormalized(path) {
            accepted += 1
            #expect(LexicalPath.componentwiseNormalized(path) == path, "\(path)")
        }
        #expect(accepted > 20)
        for path in ["a", "/a", "a/b", "/a/.b/c.", "a/.../b", "..", "../a", "../../a/b"] {
            #expect(LexicalPath.isNormalized(path), "\(path)")
        }
    }
}
