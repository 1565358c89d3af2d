import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inputs built to break a parser or a directory walk (DESIGN.md §9): each ends as a finding or a run error that
/// names the place, with the exit code of DESIGN.md §8, and the valid file beside it is still audited.
@Suite("Hostile inputs")
struct HostileInputTests {
    /// The JSON report of a run, decoded.
    struct JSONReport: Decodable {
        struct Summary: Decodable { var files: Int; var policies: Int }
        struct Finding: Decodable { var ruleId: String; var message: String; var file: String; var line: Int; var column: Int }
        struct Diagnostic: Decodable { var file: String; var message: String }
        var summary: Summary
        var findings: [Finding]
        var errors: [Diagnostic]
        var notices: [Diagnostic]

        /// `name:line:column RULE message` for each finding, with the file's last component as its name.
        var located: [String] {
            findings.map { "\(PathNames.lastComponent($0.file)):\($0.line):\($0.column) \($0.ruleId) \($0.message)" }
        }
    }

    /// Runs `check --format json` with `arguments`; nil (a failed expectation) when it does not end in `seconds`.
    static func jsonRun(_ arguments: [String], within seconds: Double = 120) throws -> (code: ExitCode, report: JSONReport)? {
        guard let run = runWithin(seconds, ["--format", "json"] + arguments) else {
            Issue.record("iam-audit did not finish within \(seconds) s: \(arguments)")
            return nil
        }
        return (run.code, try JSONDecoder().decode(JSONReport.self, from: Data(run.stdout.utf8)))
    }

    /// Runs the command line on another thread and waits at most `seconds` for it.
    static func runWithin(_ seconds: Double, _ arguments: [String]) -> RunResult? {
        final class Slot: @unchecked Sendable { var result: RunResult? }
        let slot = Slot()
        let done = DispatchSemaphore(value: 0)
        Thread {
            slot.result = iamAudit(arguments)
            done.signal()
        }.start()
        return done.wait(timeout: .now() + seconds) == .success ? slot.result : nil
    }

    /// A folder holding `good.json` (a valid policy with no IAM001 finding) and `hostile` written as `bytes`.
    static func folder(hostile name: String, _ bytes: [UInt8]) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("good.json", Sample.permission)
        try Data(bytes).write(to: URL(fileURLWithPath: folder.url(name)))
        return folder
    }

    /// Audits `bytes` as `hostile.json` beside `good.json` for IAM001; returns the findings located.
    static func invalidJSON(_ bytes: [UInt8]) throws -> [String] {
        let folder = try folder(hostile: "hostile.json", bytes)
        defer { folder.remove() }
        guard let (code, report) = try jsonRun(["--select", "IAM001", folder.path]) else { return [] }
        #expect(code == .findings)
        #expect(report.summary.files == 2)
        #expect(report.summary.policies == 1, "good.json is audited")
        #expect(report.errors.isEmpty)
        return report.located
    }

    // MARK: Parser

    @Test func nestingAHundredThousandDeepIsAFindingAtTheLimit() throws {
        let depth = 100_000
        let arrays = Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8)
        #expect(try Self.invalidJSON(arrays) == ["hostile.json:1:513 IAM001 nesting deeper than 512 levels"])
        let objects = Array((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
        #expect(try Self.invalidJSON(objects) == ["hostile.json:1:2561 IAM001 nesting deeper than 512 levels"])
        // Never closed: the limit is met before the end of input.
        let unclosed = Array(String(repeating: #"[{"a":"#, count: depth).utf8)
        #expect(try Self.invalidJSON(unclosed) == ["hostile.json:1:1537 IAM001 nesting deeper than 512 levels"])
    }

    @Test func hugeNumbersAreReadAsTextWithoutOverflow() throws {
        let digits = String(repeating: "9", count: 10_000)
        let policy = """
        {"Version": "2012-10-17", "Statement": [{"Sid": \(digits), "Effect": "Allow", "Action": "s3:ListBucket",
          "Resource": "arn:aws:s3:::bucket", "Condition": {"NumericLessThan": {"s3:max-keys": 1e999},
          "NumericGreaterThan": {"s3:max-keys": "1e999"}, "NumericEquals": {"s3:max-keys": "\(digits)"}}}]}
        """
        let folder = try Self.folder(hostile: "numbers.json", Array(policy.utf8))
        defer { folder.remove() }
        guard let (code, report) = try Self.jsonRun(["--select", "IAM001,IAM012,IAM024", folder.path]) else { return }
        #expect(code == .findings)
        #expect(report.summary.policies == 2)
        // The 10,000-digit Sid is a number where a string belongs; the string "1e999" is no decimal number; the
        // number 1e999 and the 10,000-digit decimal string are valid values, read without overflow.
        #expect(report.located == ["numbers.json:1:49 IAM012 'Sid' must be a string, found a number",
                                   "numbers.json:3:41 IAM024 value '1e999' under NumericGreaterThan is not an integer or decimal number"])
    }

    @Test func nanAndInfinityAreNotJSON() throws {
        #expect(try Self.invalidJSON(Array("{\n  \"a\": NaN\n}".utf8)) == ["hostile.json:2:8 IAM001 NaN and Infinity are not JSON values"])
        #expect(try Self.invalidJSON(Array("[1,\n Infinity]".utf8)) == ["hostile.json:2:2 IAM001 NaN and Infinity are not JSON values"])
        #expect(try Self.invalidJSON(Array("[1,\n -Infinity]".utf8)) == ["hostile.json:2:3 IAM001 NaN and Infinity are not JSON values"])
    }

    @Test func invalidUTF8IsAFindingAtItsByte() throws {
        let inString: [UInt8] = Array("{\n  \"Version\": \"20".utf8) + [0xFF] + Array("12-10-17\"\n}".utf8)
        #expect(try Self.invalidJSON(inString) == ["hostile.json:2:17 IAM001 invalid UTF-8: byte 0xFF"])
        let outside: [UInt8] = Array("{\n  ".utf8) + [0xC3, 0x28] + Array(" \"Version\": 1}".utf8)
        #expect(try Self.invalidJSON(outside) == ["hostile.json:2:3 IAM001 unexpected byte 0xC3, expected a string key"])
        let truncated: [UInt8] = Array("[\"caf".utf8) + [0xC3]
        #expect(try Self.invalidJSON(truncated) == ["hostile.json:1:6 IAM001 invalid UTF-8: truncated sequence"])
    }

    @Test func utf16FilesAreNamedAsUTF16() throws {
        let text = "{\"Version\": \"2012-10-17\"}"
        let littleEndian = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let message = "hostile.json:1:1 IAM001 the file is UTF-16 encoded"
        #expect(try Self.invalidJSON([0xFF, 0xFE] + littleEndian) == ["\(message) (little-endian byte order mark); policies must be UTF-8"])
        #expect(try Self.invalidJSON([0xFE, 0xFF] + bigEndian) == ["\(message) (big-endian byte order mark); policies must be UTF-8"])
        #expect(try Self.invalidJSON(littleEndian) == ["\(message) (little-endian, no byte order mark); policies must be UTF-8"])
        #expect(try Self.invalidJSON(bigEndian) == ["\(message) (big-endian, no byte order mark); policies must be UTF-8"])
    }

    /// A UTF-8 byte order mark is accepted and takes no column.
    @Test func utf8ByteOrderMarkIsAcceptedAndTakesNoColumn() throws {
        let broken = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]}"#
        let expected = ["hostile.json:1:103 IAM001 trailing comma before '}'"]
        #expect(try Self.invalidJSON(Array(broken.utf8)) == expected)
        #expect(try Self.invalidJSON([0xEF, 0xBB, 0xBF] + Array(broken.utf8)) == expected)
        let report = try checkReport(["--select", "IAM001", "-"], stdin: .bytes([0xEF, 0xBB, 0xBF] + Array(Sample.permission.utf8)))
        #expect(report.findings.isEmpty)
        #expect(report.policyCount == 1)
    }

    @Test func nulBytesAreFindingsAtTheirPosition() throws {
        #expect(try Self.invalidJSON(Array("{\n  \"Version\"".utf8) + [0] + Array(": 1}".utf8))
                == ["hostile.json:2:12 IAM001 unexpected NUL byte, expected ':' after key \"Version\""])
        #expect(try Self.invalidJSON(Array("{\n  \"Version\": \"a".utf8) + [0] + Array("b\"}".utf8))
                == ["hostile.json:2:16 IAM001 NUL byte inside a string"])
        #expect(try Self.invalidJSON([UInt8](repeating: 0, count: 4096)) == ["hostile.json:1:1 IAM001 unexpected NUL byte, expected a value"])
    }

    // MARK: Size

    /// A 100 MB one-line file with a 100 MB `Sid`: audited in linear time, the message quoting the Sid clipped and
    /// the text excerpt cut to a window, so the report stays small.
    @Test func hundredMegabyteStringIsAuditedWithBoundedOutput() throws {
        let prefix = #"{"Version": "2012-10-17", "Statement": [{"Sid": ""#
        let suffix = #"-", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#
        var bytes = Array(prefix.utf8)
        bytes += repeatElement(UInt8(ascii: "a"), count: 100_000_000)
        bytes += Array(suffix.utf8)
        let folder = try Self.folder(hostile: "huge.json", bytes)
        defer { folder.remove() }
        bytes = []
        let arguments = ["--max-file-size", "200000000", "--select", "IAM001,IAM016", "--fail-on", "warning", folder.path]
        guard let run = Self.runWithin(300, arguments) else {
            Issue.record("a 100 MB string did not finish within 300 s")
            return
        }
        #expect(run.code == .findings)
        #expect(run.stdout.utf8.count < 3_000, "\(run.stdout.utf8.count) bytes of text report")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        let location = "\(folder.url("huge.json")):1:49: warning[IAM016]: "
        #expect(header.hasPrefix(location + "Sid 'aaaa"))
        #expect(header.hasSuffix(" … has characters other than A-Z, a-z and 0-9: '-'"))
        // The message is a summary of at most 300 characters; the whole, clipped to 900 around the note of what was
        // left out, is the JSON report's detail.
        #expect(header.count - location.count <= 300)
        // The excerpt: from 40 columns before the Sid's opening quote (column 49), 158 cells, cut with ellipses.
        let window = String(prefix.dropFirst(8)) + String(repeating: "a", count: 158 - (prefix.count - 8))
        #expect(lines.count > 2 && lines[1] == "…" + window + "…")
        #expect(lines.count > 2 && lines[2] == String(repeating: " ", count: 41) + "^" + String(repeating: "~", count: 117))
        #expect(lines.last == "0 errors, 1 warning, 0 notes in 2 files (2 policies)")
    }

    @Test func findingMessagesAreClipped() {
        let long = "action '" + String(repeating: "x", count: 5_000) + "' is unknown"
        let clipped = Finding.clipped(long)
        #expect(clipped.hasPrefix("action 'xxx"))
        #expect(clipped.hasSuffix("xxx' is unknown"))
        #expect(clipped.contains("…[4120 characters left out]…"))
        #expect(clipped.unicodeScalars.count == 900 + "…[4120 characters left out]…".unicodeScalars.count)
        let short = String(repeating: "é", count: Finding.maxMessageLength)
        #expect(Finding.clipped(short) == short)
    }

    /// Clipping counts Unicode scalars, not bytes: multi-byte scalars (two, three and four bytes) at and around
    /// the cut points stay whole, and the count of what was left out is in scalars.
    @Test func clippingKeepsMultiByteScalarsWhole() {
        let scalars: [Unicode.Scalar] = ["a", "é", "→", "😀"]
        let long = String(String.UnicodeScalarView((0..<1_234).map { scalars[$0 % scalars.count] }))
        let clipped = Finding.clipped(long)
        let expected = String(String.UnicodeScalarView(long.unicodeScalars.prefix(600)))
            + "…[334 characters left out]…" + String(String.UnicodeScalarView(long.unicodeScalars.suffix(300)))
        #expect(clipped == expected)
        // Over the limit in bytes but not in scalars: kept as it is.
        let wide = String(repeating: "😀", count: Finding.maxMessageLength)
        #expect(Finding.clipped(wide) == wide)
    }

    /// A 2 GB sparse file is refused by its size, never read; the other file is audited.
    @Test func twoGigabyteSparseFileIsRefusedBySize() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("good.json", Sample.permission)
        let descriptor = open(folder.url("sparse.json"), O_CREAT | O_WRONLY, 0o644)
        try #require(descriptor >= 0)
        let truncated = ftruncate(descriptor, 2 << 30)
        close(descriptor)
        try #require(truncated == 0)
        guard let (code, report) = try Self.jsonRun(["--select", "IAM001", folder.path], within: 30) else { return }
        #expect(code == .failure)
        #expect(report.errors.map { "\(PathNames.lastComponent($0.file)): \($0.message)" }
                == ["sparse.json: file is 2147483648 bytes, over the 268435456-byte limit (raise it with --max-file-size)"])
        #expect(report.summary.files == 1)
        #expect(report.summary.policies == 1)
    }

    // MARK: File system

    /// A FIFO and a socket met in a walk are skipped with notices and never opened, so the run cannot block.
    @Test func fifoAndSocketAreSkippedWithoutBlocking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("good.json", Sample.permission)
        try folder.fifo("pipe.json")
        let socket = try folder.socket("socket.json")
        defer { close(socket) }
        guard let (code, report) = try Self.jsonRun(["--select", "IAM001", folder.path], within: 30) else { return }
        #expect(code == .success)
        #expect(report.notices.map { "\(PathNames.lastComponent($0.file)): \($0.message)" }
                == ["pipe.json: skipped, a FIFO (named pipe) is not a regular file",
                    "socket.json: skipped, a socket is not a regular file"])
        #expect(report.summary.files == 1)
        #expect(report.summary.policies == 1)
    }

    @Test func symbolicLinkLoopsAreReportedNotFollowed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("scan/good.json", Sample.permission)
        try folder.symlink("scan/loop", to: ".")
        try folder.symlink("scan/self.json", to: "self.json")
        guard let (code, report) = try Self.jsonRun(["--select", "IAM001", folder.url("scan")], within: 30) else { return }
        #expect(code == .failure)
        #expect(report.errors.map { "\(PathNames.lastComponent($0.file)): \($0.message)" } == ["self.json: symbolic link loop"])
        #expect(report.notices.map { "\(PathNames.lastComponent($0.file)): \($0.message)" }
                == ["loop: skipped, symbolic link loop back to '\(folder.url("scan"))'"])
        #expect(report.summary.policies == 1)
        // Named, the looping link is an error too, and the run goes on.
        let named = try checkReport([folder.url("scan/self.json"), folder.url("scan/good.json")])
        #expect(named.errors.map(\.message) == ["symbolic link loop"])
        #expect(named.policyCount == 1)
    }

    /// Root reads every file whatever its mode, so the permission cannot be denied there.
    @Test(.enabled(if: geteuid() != 0, "running as root, which reads a file of mode 000"))
    func unreadableFileIsAnErrorAndTheRunGoesOn() throws {
        let folder = try Self.folder(hostile: "locked.json", Array(Sample.permission.utf8))
        defer { folder.remove() }
        chmod(folder.url("locked.json"), 0)
        defer { chmod(folder.url("locked.json"), 0o644) }
        guard let (code, report) = try Self.jsonRun(["--select", "IAM001", folder.path], within: 30) else { return }
        #expect(code == .failure)
        #expect(report.errors.map { "\(PathNames.lastComponent($0.file)): \($0.message)" } == ["locked.json: cannot open: permission denied"])
        #expect(report.summary.policies == 1)
    }

    /// A file found by the walk and removed before it is read: `--jobs 1` reads in order, and the named FIFO read
    /// first waits for a writer that removes the file before writing.
    @Test func fileRemovedAfterDiscoveryIsAnErrorAndTheRunGoesOn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.fifo("first")
        try folder.write("scan/a-vanishing.json", Sample.permission)
        try folder.write("scan/b-good.json", Sample.permission)
        let fifo = folder.url("first")
        let vanishing = folder.url("scan/a-vanishing.json")
        Thread {
            let descriptor = open(fifo, O_WRONLY)  // blocks until the audit opens the FIFO: discovery is over
            unlink(vanishing)
            let bytes = Array(Sample.permission.utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }.start()
        guard let (code, report) = try Self.jsonRun(["--jobs", "1", "--select", "IAM001", fifo, folder.url("scan")], within: 30) else { return }
        #expect(code == .failure)
        #expect(report.errors.map { "\(PathNames.lastComponent($0.file)): \($0.message)" }
                == ["a-vanishing.json: cannot open: no such file or directory"])
        #expect(report.summary.files == 2)
        #expect(report.summary.policies == 2)
    }

    /// A name that is not UTF-8 is opened byte for byte and reported with `\xFF` escapes (text, JSON) or `%FF`
    /// (SARIF URIs).
    @Test func nonUTF8FileNamesAreReadAndEscaped() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("good.json", Sample.permission)
        let base = Array(folder.path.utf8)
        let directory = base + Array("/d".utf8) + [0xFE]
        #expect(withCString(directory) { mkdir($0, 0o755) } == 0)
        for path in [base + Array("/bad".utf8) + [0xFF] + Array(".json".utf8), directory + Array("/p.json".utf8)] {
            let descriptor = withCString(path) { open($0, O_CREAT | O_WRONLY, 0o644) }
            try #require(descriptor >= 0)
            let bytes = Array(Sample.malformed.utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        guard let (code, report) = try Self.jsonRun(["--select", "IAM001", folder.path]) else { return }
        #expect(code == .findings)
        #expect(report.errors.isEmpty)
        #expect(report.findings.map(\.file) == [folder.url("bad\\xFF.json"), folder.url("d\\xFE/p.json")])
        #expect(report.summary.policies == 1)
        let text = iamAudit(["--select", "IAM001", folder.path])
        #expect(text.stdout.hasPrefix("\(folder.url("bad\\xFF.json")):3:79: error[IAM001]: trailing comma before '}'\n"))
        let sarif = iamAudit(["--select", "IAM001", "--format", "sarif", folder.path])
        let encodedFolder = folder.path.split(separator: "/").joined(separator: "/")
        #expect(sarif.stdout.contains(#""uri" : "file:///\#(encodedFolder)/bad%FF.json""#), "\(sarif.stdout.prefix(2_000))")
        #expect(sarif.stdout.contains(#""uri" : "file:///\#(encodedFolder)/d%FE/p.json""#))
    }

    /// A file name carrying terminal escape sequences cannot reach the terminal through a notice, a run error or
    /// the text report: the escape and the BEL print as U+FFFD, and the JSON report keeps the name exactly.
    @Test func controlCharactersInFileNamesNeverReachTheTerminal() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let name = "a\u{1B}]0;title\u{07}\u{1B}[2J"
        try folder.write("\(name).json", #"{"name": "not a policy"}"#)
        try folder.write("\(name)-bad.json", Sample.malformed)
        let run = iamAudit([folder.path, folder.url("\(name)-missing.json")])
        #expect(run.code == .failure)
        let shown = folder.url("a\u{FFFD}]0;title\u{FFFD}\u{FFFD}[2J")
        #expect(run.stderrLines.contains("iam-audit: notice: skipped 1 file without IAM (\(shown).json); name a file to have it read whatever it holds"),
                "\(run.stderr)")
        #expect(run.stderrLines.contains("iam-audit: error: \(shown)-missing.json: no such file or directory"),
                "\(run.stderr)")
        #expect(run.stdout.contains("\(shown)-bad.json:3:79: error[IAM001]"))
        for output in [run.stdout, run.stderr] {
            #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        }
        guard let (_, report) = try Self.jsonRun(["--select", "IAM001", folder.path]) else { return }
        #expect(report.findings.map(\.file) == [folder.url("\(name)-bad.json")])
    }

    @Test func escapedFileNamesRoundTrip() {
        let bytes: [UInt8] = Array("a/é".utf8) + [0xFF, 0xC3] + Array("x\\y".utf8) + [0xED, 0xA0, 0x80]
        let text = EscapedFileName.text(bytes)
        #expect(text == "a/é\\xFF\\xC3x\\y\\xED\\xA0\\x80")
        #expect(EscapedFileName.bytes(text) == bytes)
        #expect(EscapedFileName.bytes("plain\\x41.json") == Array("plain\\x41.json".utf8))
    }

    // MARK: Simulation

    /// Numeric conditions compare exactly: a 400-digit bound is not infinity, so a claim just below it is admitted
    /// and one just above it is not.
    @Test func simulateComparesHugeNumbersExactly() throws {
        let bound = "1" + String(repeating: "0", count: 400)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let trust = try folder.write("trust.json", """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"},
            "NumericLessThan": {"token.actions.githubusercontent.com:repository_id": "\(bound)"}}}]}
        """)
        func simulate(_ claim: String) -> RunResult {
            iamAudit(["simulate", trust, "--sub", "repo:acme/app:ref:refs/heads/main", "--claim", "repository_id=\(claim)"])
        }
        let below = simulate(String(repeating: "9", count: 400))
        #expect(below.code == .success)
        #expect(below.stdout.hasPrefix("allow: statement 0"))
        let above = simulate(bound.dropLast() + "1" + "0")
        #expect(above.code == .findings)
        #expect(above.stdout.hasPrefix("deny: no statement admits"))
        #expect(simulate("0.5").code == .success)
    }

    @Test func decimalsCompareExactly() {
        let cases: [(String, String, Int)] = [
            ("10", "9", 1), ("-10", "9", -1), ("-0", "0.000", 0), ("007", "7.0", 0), ("1.45", "1.5", -1),
            ("-1.45", "-1.5", 1), (String(repeating: "9", count: 400), "1" + String(repeating: "0", count: 400), -1),
            ("+3", "3", 0),
        ]
        for (lhs, rhs, order) in cases {
            #expect(ConditionValueText.compareDecimals(lhs, rhs) == order, "\(lhs) vs \(rhs)")
        }
        #expect(ConditionValueText.compareDecimals("1e999", "1") == nil)
    }
}
