#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates a file that must not exist yet, whole or not at all: the text goes to a temporary file beside it,
/// which is then linked to the destination (`link(2)` fails when the destination exists, so nothing is ever
/// overwritten, even by a file created in the meantime).
enum NewFileWriter {
    enum Failure: Error, Equatable {
        /// The destination exists.
        case exists
        /// Another step failed.
        case system(AtomicFileWriter.WriteFailure)
    }

    /// Writes `text` to the new file `path` (absolute) with mode 0644.
    static func create(_ text: String, at path: String) -> Result<Void, Failure> {
        if case .success = FileStatus.entry(at: path) { return .failure(.exists) }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        var template = Array(PathNames.join(folder, ".\(PathNames.lastComponent(path)).iam-audit-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            return .failure(.system(.init(step: "creating a temporary file beside it", code: errno)))
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(temporary) }
        _ = fchmod(descriptor, 0o644)
        var failure = AtomicFileWriter.writeAll(text, to: descriptor)
        if failure == nil, fsync(descriptor) != 0 { failure = .init(step: "flushing a temporary file", code: errno) }
        if close(descriptor) != 0, failure == nil { failure = .init(step: "closing a temporary file", code: errno) }
        if let failure { return .failure(.system(failure)) }
        guard link(temporary, path) == 0 else {
            return .failure(errno == EEXIST ? .exists : .system(.init(step: "linking the temporary file to it", code: errno)))
        }
        return .success(())
    }
}
