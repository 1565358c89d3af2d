import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import IAMPolicy
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The report `check` builds for a command line, before any reporter runs.
func checkReport(_ arguments: [String], stdin: InputSource = .text(""), workingDirectory: String? = nil) throws -> AuditReport {
    guard case .check(let configuration) = try CLI.parse(arguments) else { throw UsageError("not a check command") }
    let context = RunContext(standardInput: stdin, standardOutput: CapturedOutput(), standardError: CapturedOutput(),
                             environment: [:], workingDirectory: workingDirectory ?? FileManager.default.currentDirectoryPath)
    return try CheckCommand(configuration: configuration, context: context).audit()
}

@Suite("File discovery")
struct FileDiscoveryTests {
    @Test func malformedFilesAreFindingsAndTheOthersAreAudited() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("a-good.json", Sample.permission)
        try folder.write("b-broken.json", Sample.malformed)
        try folder.write("c-empty.json", "")
        try folder.write("nested/d-good.json", Sample.permission)
        let report = try checkReport(["--select", "IAM001", folder.path])
        #expect(report.fileCount == 4)
        #expect(report.policyCount == 2)
        #expect(report.errors.isEmpty, "\(report.errors)")
        let located = report.findings.map { "\(PathNames.lastComponent($0.file)):\($0.span.start.line):\($0.span.start.column) \($0.ruleCode)" }
        #expect(located == ["b-broken.json:3:79 IAM001", "c-empty.json:1:1 IAM001"])
        // The line a finding starts on is in the report, for the reporters to quote.
        let broken = folder.url("b-broken.json")
        #expect(report.sourceLines[broken]?[3] == #"  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]"#)
        #expect(report.sourceLines[folder.url("c-empty.json")]?[1] == "")
        let run = iamAudit(["--select", "IAM001", folder.path])
        #expect(run.code == .findings)
    }

    @Test func emptyNamedFileIsInvalidJSON() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let empty = try folder.write("empty", "")
        let report = try checkReport([empty])
        #expect(report.findings.map(\.ruleCode) == ["IAM001"])
        #expect(report.findings.first?.span.start == SourcePosition(line: 1, column: 1, offset: 0))
        #expect(iamAudit([empty]).code == .findings)
    }

    /// A FIFO, a socket, a character device link and a symbolic link loop in a scanned folder are reported as
    /// notices and never opened, so the run cannot block on them.
    @Test func specialFilesAndLoopsAreSkippedWithNotices() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("policies/good.json", Sample.permission)
        try folder.fifo("policies/pipe.json")
        try folder.fifo("policies/pipe-without-extension")
        let socket = try folder.socket("policies/socket.json")
        defer { close(socket) }
        try folder.symlink("policies/device.json", to: "/dev/zero")
        try folder.symlink("policies/loop", to: "..")
        try folder.symlink("policies/nested/self", to: ".")
        let report = try checkReport(["--select", "IAM001", folder.url("policies")])
        #expect(report.fileCount == 1)
        #expect(report.findings.isEmpty)
        #expect(report.errors.isEmpty, "\(report.errors)")
        let notices = Dictionary(report.notices.map { (PathNames.lastComponent($0.file), $0.message) }) { $1 }
        #expect(notices["pipe.json"] == "skipped, a FIFO (named pipe) is not a regular file")
        #expect(notices["pipe-without-extension"] == "skipped, a FIFO (named pipe) is not a regular file")
        #expect(notices["socket.json"] == "skipped, a socket is not a regular file")
        #expect(notices["device.json"] == "skipped, a character device is not a regular file")
        #expect(notices["self"]?.hasPrefix("skipped, symbolic link loop back to") == true, "\(report.notices)")
        // `loop` leads to the temporary folder, which is not on the walk's path: it is walked once, and its
        // `policies` link back is the loop.
        #expect(report.notices.contains { $0.file.hasSuffix("policies/loop/policies") && $0.message.contains("symbolic link loop") },
                "\(report.notices)")

        let run = iamAudit(["--select", "IAM001", folder.url("policies")])
        #expect(run.code == .success)
        #expect(run.stderrLines.contains { $0.hasPrefix("iam-audit: notice: ") && $0.hasSuffix("pipe.json: skipped, a FIFO (named pipe) is not a regular file") })
        #expect(iamAudit(["--quiet", folder.url("policies")]).stderr.isEmpty)

        // Named, a socket cannot be read: an error, not a hang; the other paths are still audited.
        let named = try checkReport([folder.url("policies/socket.json"), folder.url("policies/good.json")])
        #expect(named.errors.map(\.message) == ["a socket cannot be audited"])
        #expect(named.fileCount == 1)
    }

    @Test func namedFIFOIsRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.fifo("pipe")
        let path = folder.url("pipe")
        let writer = Thread {
            let descriptor = open(path, O_WRONLY)
            let bytes = Array(Sample.malformed.utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        writer.start()
        let report = try checkReport([path])
        #expect(report.fileCount == 1)
        #expect(report.findings.map(\.ruleCode) == ["IAM001"])
    }

    @Test func hiddenEntriesBuildFoldersAndOtherExtensionsAreNotWalked() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(".hidden.json", Sample.malformed)
        try folder.write(".git/config.json", Sample.malformed)
        try folder.write(".build/debug/x.json", Sample.malformed)
        try folder.write("notes.txt", Sample.malformed)
        try folder.write("no-extension", Sample.malformed)
        try folder.write("UPPER.JSON", Sample.permission)
        let report = try checkReport(["--select", "IAM001", folder.path])
        #expect(report.findings.isEmpty)
        #expect(report.fileCount == 1)
        // Named, a file is read whatever its name.
        #expect(try checkReport(["--select", "IAM001", folder.url("notes.txt"), folder.url(".hidden.json")]).findings.count == 2)
    }

    @Test func walkOrderIsSortedAndPathsAreJoinedAsWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for name in ["b.json", "a/z.json", "a.json", "B.json", "a/b/c.json"] {
            try folder.write("policies/\(name)", Sample.malformed)
        }
        let expected = ["policies/B.json", "policies/a.json", "policies/a/b/c.json", "policies/a/z.json", "policies/b.json"]
        for spelling in ["policies", "policies/", "./policies", "./policies//", "policies/."] {
            let report = try checkReport([spelling], workingDirectory: folder.path)
            #expect(report.findings.map(\.file) == expected, "\(spelling)")
        }
        let dot = try checkReport(["."], workingDirectory: folder.url("policies"))
        #expect(dot.findings.map(\.file) == expected.map { String($0.dropFirst("policies/".count)) })
        let absolute = try checkReport([folder.url("policies")])
        #expect(absolute.findings.first?.file == folder.url("policies/B.json"))
    }

    @Test func symlinkedFilesAndFoldersAreFollowedOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("real/policy.json", Sample.malformed)
        try folder.write("other/linked-file.json", "")
        try folder.symlink("scan/folder-link", to: "../real")
        try folder.symlink("scan/file-link.json", to: "../other/linked-file.json")
        try folder.symlink("scan/same-folder-again", to: "../real")
        let report = try checkReport([folder.url("scan")])
        #expect(report.findings.map { $0.file.replacingOccurrences(of: folder.path + "/", with: "") }
                == ["scan/file-link.json", "scan/folder-link/policy.json"])
        #expect(report.notices.contains { $0.file.hasSuffix("same-folder-again") && $0.message.contains("scanned once") })
    }

    @Test func danglingSymlinksAndMissingPathsAreErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("policies/good.json", Sample.permission)
        try folder.symlink("policies/dangling.json", to: "missing.json")
        try folder.symlink("policies/dangling-other", to: "missing")
        try folder.symlink("named-link", to: "nowhere")
        let report = try checkReport([folder.url("policies"), folder.url("absent.json"), folder.url("named-link")])
        #expect(report.fileCount == 1)
        #expect(report.errors.map { PathNames.lastComponent($0.file) + ": " + $0.message }
                == ["dangling.json: dangling symbolic link", "absent.json: no such file or directory",
                    "named-link: dangling symbolic link"])
        #expect(report.notices.contains { $0.file.hasSuffix("dangling-other") && $0.message == "skipped, dangling symbolic link" })
        let run = iamAudit(["--format", "json", folder.url("policies"), folder.url("absent.json")])
        #expect(run.code == .failure)
        #expect(run.stderrLines.contains("iam-audit: error: \(folder.url("absent.json")): no such file or directory"))
    }

    @Test func unreadableFileIsAnErrorAndTheRunGoesOn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("a.json", Sample.malformed)
        let locked = try folder.write("b.json", Sample.permission)
        chmod(locked, 0)
        defer { chmod(locked, 0o644) }
        guard geteuid() != 0 else {
            print("skipped the unreadable-file check: running as root, which reads every file")
            return
        }
        let report = try checkReport(["--select", "IAM001", folder.path])
        #expect(report.findings.count == 1)
        #expect(report.errors.map(\.message) == ["cannot open: permission denied"])
        #expect(iamAudit([folder.path]).code == .failure)
    }

    @Test func sizeLimitRefusesWithoutReading() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("big.json", Sample.permission)
        let size = Sample.permission.utf8.count
        let report = try checkReport(["--max-file-size", "\(size - 1)", folder.path])
        #expect(report.fileCount == 0)
        #expect(report.errors.map(\.message) == ["file is \(size) bytes, over the \(size - 1)-byte limit (raise it with --max-file-size)"])
        #expect(try checkReport(["--max-file-size", "\(size)", folder.path]).errors.isEmpty)
        let stdin = try checkReport(["--max-file-size", "4", "-"], stdin: .text(Sample.permission))
        #expect(stdin.errors.map(\.message) == ["input is over the 4-byte limit (raise it with --max-file-size)"])
    }

    @Test func standardInput() throws {
        let report = try checkReport(["-"], stdin: .text(Sample.malformed))
        #expect(report.findings.map(\.file) == ["<stdin>"])
        #expect(report.sourceLines["<stdin>"]?[3]?.contains(#""Resource": "*","#) == true)
        #expect(iamAudit(["-"], stdin: .text(Sample.malformed)).code == .findings)
        #expect(iamAudit(["--select", "IAM001", "-"], stdin: .text(Sample.permission)).code == .success)
    }

    @Test func emptyFolderGetsANoticeAndFailsTheRun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let report = try checkReport([folder.path])
        #expect(report.fileCount == 0)
        #expect(report.notices.map(\.message) == ["no policy, template or Terraform files (*.json, *.yaml, *.yml, *.template, *.tf) found in this folder"])
        #expect(report.errors.map(\.message) == ["no policy or template with IAM found; nothing was audited"])
        #expect(iamAudit([folder.path]).code == .failure)
        // A folder of files without IAM (a package manifest, a workflow) fails the same way.
        try folder.write("package.json", #"{"name": "x"}"#)
        try folder.write("ci.yml", "on: push\n")
        #expect(iamAudit([folder.path]).code == .failure)
    }

    @Test func sourceLinesSplitOnEveryLineBreak() {
        let bytes = Array("one\r\ntwo\rthree\nfour".utf8)
        #expect(SourceLines.extract([1, 2, 3, 4, 5], from: bytes) == [1: "one", 2: "two", 3: "three", 4: "four"])
        #expect(SourceLines.extract([2], from: Array("a\n\nb".utf8)) == [2: ""])
        #expect(SourceLines.extract([3], from: Array("a\n\n".utf8)) == [3: ""])
    }

    @Test func pathTidying() {
        #expect(PathNames.tidy("./policies//dev/") == "policies/dev")
        #expect(PathNames.tidy("././a.json") == "a.json")
        #expect(PathNames.tidy("./") == ".")
        #expect(PathNames.tidy("a/./b/../c") == "a/b/../c")
        #expect(PathNames.tidy("/") == "/")
        #expect(PathNames.tidy("//tmp//x") == "/tmp/x")
        // Paths already tidy come back unchanged; each untidy shape is still tidied.
        for tidy in ["policies/dev/a.json", "/tmp/x", "..", "a/..", ".hidden", "a/.b", "a/b.", "x", "/.."] {
            #expect(PathNames.tidy(tidy) == tidy)
        }
        #expect(PathNames.tidy("//") == "/")
        #expect(PathNames.tidy("a/") == "a")
        #expect(PathNames.tidy("/.") == "/")
        #expect(PathNames.tidy("./a") == "a")
        #expect(PathNames.tidy(".") == ".")
        #expect(PathNames.tidy("a/.") == "a")
        #expect(PathNames.join(".", "a.json") == "a.json")
        #expect(PathNames.join("/", "a.json") == "/a.json")
    }

    @Test func lastComponents() {
        let cases = ["a/b.json": "b.json", "b.json": "b.json", "a/b/": "b", "/": "/", "//": "//", "": "",
                     "/x": "x", "a//b//": "b", "é/ü.json": "ü.json", "d\\xFE/p.json": "p.json"]
        for (path, last) in cases {
            #expect(PathNames.lastComponent(path) == last, "\(path)")
        }
    }
}
