#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old content or the whole new one, never a part.
///
/// The text goes to a temporary file in the destination's folder (so the rename stays on one file system),
/// is flushed to disk, and is renamed over the destination.
enum AtomicFileWriter {
    /// Writes `text` to `path` (absolute); on failure, nothing is left behind and `path` is unchanged.
    ///
    /// A symbolic link is kept and its target replaced. A destination that exists and is not a regular file
    /// (`/dev/stdout`, a FIFO) cannot be replaced by a rename, so it is written in place.
    static func write(_ text: String, to path: String) -> Result<Void, WriteFailure> {
        switch FileStatus.target(of: path) {
        case .success(let status) where status.type == .directory:
            return .failure(WriteFailure(step: "checking the destination", code: EISDIR))
        case .success(let status) where status.type != .regular:
            return writeInPlace(text, to: path)
        case .success:
            if case .success(let entry) = FileStatus.entry(at: path), entry.type == .symbolicLink,
               let resolved = realpath(path, nil) {
                defer { free(resolved) }
                return replace(path: String(cString: resolved), with: text)
            }
            return replace(path: path, with: text)
        case .failure:
            return replace(path: path, with: text)
        }
    }

    private static func writeInPlace(_ text: String, to path: String) -> Result<Void, WriteFailure> {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(WriteFailure(step: "opening it", code: errno)) }
        defer { close(descriptor) }
        if let failure = writeAll(text, to: descriptor) { return .failure(failure) }
        return .success(())
    }

    /// Writes every byte of `text`, retrying partial writes; nil on success.
    static func writeAll(_ text: String, to descriptor: Int32) -> WriteFailure? {
        var failure: WriteFailure?
        var bytes = text
        bytes.withUTF8 { buffer in
            guard var pointer = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = systemWrite(descriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = WriteFailure(step: "writing", code: errno)
                    return
                }
                pointer += written
                remaining -= written
            }
        }
        return failure
    }

    /// Writes a temporary file beside `path` and renames it over `path`.
    private static func replace(path: String, with text: String) -> Result<Void, WriteFailure> {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let base = PathNames.lastComponent(path)
        var template = Array(PathNames.join(folder, ".\(base).iam-audit-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return .failure(WriteFailure(step: "creating a temporary file beside it", code: errno)) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        // mkstemp creates the file 0600; give it the destination's mode, or the usual 0644 for a new file.
        var existing = stat()
        let mode: mode_t = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
        _ = fchmod(descriptor, mode)
        var failure = writeAll(text, to: descriptor)
        if failure == nil, fsync(descriptor) != 0 { failure = WriteFailure(step: "flushing a temporary file", code: errno) }
        if close(descriptor) != 0, failure == nil { failure = WriteFailure(step: "closing a temporary file", code: errno) }
        if let failure { return .failure(failure) }
        guard rename(temporary, path) == 0 else { return .failure(WriteFailure(step: "renaming the temporary file over it", code: errno)) }
        succeeded = true
        return .success(())
    }

    /// The step that failed and its `errno`.
    struct WriteFailure: Error, Equatable {
        var step: String
        var code: Int32

        /// A lowercase clause: `no such file or directory (creating a temporary file beside it)`.
        var message: String { "\(systemMessage(code)) (\(step))" }
    }
}
