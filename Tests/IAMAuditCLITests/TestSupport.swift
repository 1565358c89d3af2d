import Foundation
import IAMAuditCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one `CLI.run` produced.
struct RunResult {
    var code: ExitCode
    var stdout: String
    var stderr: String

    var stderrLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}

/// Runs the command line in-process with captured streams; standard input is empty unless given.
func iamAudit(_ arguments: [String], stdin: InputSource = .text(""), environment: [String: String] = [:],
              workingDirectory: String? = nil, terminal: Bool = false) -> RunResult {
    let stdout = CapturedOutput(isTerminal: terminal)
    let stderr = CapturedOutput()
    let code = CLI.run(arguments: arguments, stdin: stdin, stdout: stdout, stderr: stderr, environment: environment,
                       workingDirectory: workingDirectory)
    return RunResult(code: code, stdout: stdout.text, stderr: stderr.text)
}

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "iam-audit-cli-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let created = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Resolve /tmp → /private/tmp (macOS) so paths compare equal to what the file system reports.
        path = URL(fileURLWithPath: created).resolvingSymlinksInPath().path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    func url(_ relative: String) -> String {
        path + "/" + relative
    }

    /// Writes `text` to `relative`, creating folders on the way; returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let file = url(relative)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: url(relative), withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: (url(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url(relative), withDestinationPath: destination)
    }

    func fifo(_ relative: String) throws {
        guard mkfifo(url(relative), 0o644) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// A bound Unix-domain socket at `relative`; returns its descriptor, for the caller to close.
    func socket(_ relative: String) throws -> Int32 {
        #if canImport(Glibc)
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = Darwin.socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(url(relative).utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            close(descriptor)
            throw POSIXError(.ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return descriptor
    }
}

/// Locates the package root and the optional shared corpus beside it.
enum PackageRoot {
    static let url: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the package, when present (a user's clone has none); `IAM_AUDIT_SHARED` names another
    /// folder, for a checkout that does not sit beside it (a git worktree).
    static var shared: URL? {
        let url = ProcessInfo.processInfo.environment["IAM_AUDIT_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? PackageRoot.url.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// Small policies for tests.
enum Sample {
    static let permission = """
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]
    }
    """

    /// Not valid JSON: a trailing comma, so reading stops at the `}` on line 3, column 79.
    static let malformed = """
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]
    }
    """
}
