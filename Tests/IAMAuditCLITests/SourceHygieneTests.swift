import Foundation
import Testing

/// The module boundaries the architecture promises, checked on the source text: they fail the build when a
/// forbidden construct comes back.
@Suite("Source hygiene")
struct SourceHygieneTests {
    /// Every Swift file under `Sources/`, with its path relative to the package root and its text.
    static func sources() throws -> [(path: String, text: String)] {
        let root = PackageRoot.url.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(PackageRoot.url.path.count + 1))
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The lines of `text` holding `needle` outside comments, as `path:line`.
    static func uses(_ needle: String, in file: (path: String, text: String)) -> [String] {
        file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line in
            let code = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line[...]
            return code.contains(needle) ? "\(file.path):\(number + 1)" : nil
        }
    }

    @Test("no unchecked memory-lifetime or isolation escapes anywhere in Sources", arguments: ["unowned(unsafe)", "nonisolated(unsafe)", "Unmanaged<"])
    func noUnsafeEscapes(_ construct: String) throws {
        let files = try Self.sources()
        #expect(files.count > 50, "Sources/ not found under \(PackageRoot.url.path)")
        let found = files.flatMap { Self.uses(construct, in: $0) }
        #expect(found.isEmpty, "\(construct) in \(found)")
    }

    @Test("only the command-line module touches the file system or the current directory", arguments: [
        "FileManager", "currentDirectoryPath", "FileHandle", "contentsOfFile", "Data(contentsOf", "fopen(", "opendir(",
        "getcwd(", "chdir(", "ProcessInfo",
    ])
    func fileSystemOnlyInTheCLI(_ call: String) throws {
        let files = try Self.sources().filter { !$0.path.hasPrefix("Sources/IAMAuditCLI/") && !$0.path.hasPrefix("Sources/iam-audit/") }
        #expect(files.count > 50)
        let found = files.flatMap { Self.uses(call, in: $0) }
        #expect(found.isEmpty, "\(call) outside the CLI module: \(found)")
    }
}
