#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read.
enum ReadFailure: Error, Equatable {
    /// The file (of `size` bytes, when known beforehand) is over the `--max-file-size` limit.
    case tooLarge(size: Int?, limit: Int)
    /// A system call failed with `errno`.
    case system(operation: String, errno: Int32)
    /// A file found during a walk turned out not to be a regular file when opened.
    case notRegular(FileType)

    /// One lowercase clause for an `AuditError`.
    var message: String {
        switch self {
        case .tooLarge(let size?, let limit):
            "file is \(size) bytes, over the \(limit)-byte limit (raise it with --max-file-size)"
        case .tooLarge(nil, let limit):
            "input is over the \(limit)-byte limit (raise it with --max-file-size)"
        case .system(let operation, let code):
            "cannot \(operation): \(systemMessage(code))"
        case .notRegular(let type):
            "skipped, \(type.phrase) is not a regular file"
        }
    }
}

/// Reads whole files with a size limit, using POSIX calls so that the kind of file is checked before reading.
enum FileReader {
    /// The default `--max-file-size`: 256 MiB, room for the account authorization dump of a large account.
    static let defaultLimit = 256 * 1024 * 1024

    /// Reads the file at `path`.
    /// - Parameter requireRegular: open without blocking and refuse anything but a regular file (for files found
    ///   during a directory walk, which may have been replaced by a FIFO since they were listed).
    static func read(path: String, limit: Int, requireRegular: Bool) -> Result<[UInt8], ReadFailure> {
        read(path: Array(path.utf8), limit: limit, requireRegular: requireRegular)
    }

    /// Reads the file at a path given as bytes, which need not be valid UTF-8.
    static func read(path: [UInt8], limit: Int, requireRegular: Bool) -> Result<[UInt8], ReadFailure> {
        var flags = O_RDONLY | O_CLOEXEC
        if requireRegular { flags |= O_NONBLOCK | O_NOCTTY }
        var descriptor: Int32
        repeat {
            descriptor = withCString(path) { open($0, flags) }
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { return .failure(.system(operation: "open", errno: errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.system(operation: "inspect", errno: errno)) }
        let type = FileType(mode: info.st_mode)
        if requireRegular && type != .regular { return .failure(.notRegular(type)) }
        if type == .directory { return .failure(.system(operation: "read", errno: EISDIR)) }
        var expectedSize: Int?
        if type == .regular {
            let size = Int(info.st_size)
            if size > limit { return .failure(.tooLarge(size: size, limit: limit)) }
            expectedSize = size
        }
        if requireRegular {
            // Back to blocking reads: a regular file never blocks, and O_NONBLOCK only guarded the open.
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        }
        return read(descriptor: descriptor, limit: limit, expectedSize: expectedSize)
    }

    /// Reads `descriptor` to its end, failing once more than `limit` bytes arrive.
    static func read(descriptor: Int32, limit: Int, expectedSize: Int?) -> Result<[UInt8], ReadFailure> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(limit, expectedSize.map { $0 + 1 } ?? 65_536))
        // A file of known size is read in one chunk a byte larger (to see it end), so small files cost small buffers.
        let chunkSize = min(65_536, (expectedSize ?? 65_535) + 1)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress, chunkSize)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.system(operation: "read", errno: errno))
            }
            if count == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { return .failure(.tooLarge(size: expectedSize, limit: limit)) }
        }
    }
}

/// `read(2)`, named apart from `FileReader.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Darwin)
    Darwin.read(descriptor, buffer, count)
    #elseif canImport(Musl)
    Musl.read(descriptor, buffer, count)
    #else
    Glibc.read(descriptor, buffer, count)
    #endif
}

/// `strerror` text for an `errno` value, lowercased at the start (`no such file or directory`).
func systemMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    let message = String(cString: text)
    guard let first = message.first else { return "error \(code)" }
    return first.lowercased() + message.dropFirst()
}
