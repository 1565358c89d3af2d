import IAMAuditRules
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The kind of a file system entry, from `st_mode`.
enum FileType: Sendable, Equatable {
    case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }

    /// The kind with an article, for messages: `a FIFO (named pipe)`.
    var phrase: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .unknown: "a special file"
        }
    }
}

/// A file's identity on its machine: device and inode numbers.
typealias FileIdentity = FileKey

/// What `lstat` or `stat` says about a path.
struct FileStatus: Sendable {
    var type: FileType
    var identity: FileIdentity
    var size: Int

    /// The entry itself, not following a final symbolic link (`lstat`); a failure is the `errno`.
    static func entry(at path: String) -> Result<FileStatus, SystemError> {
        entry(at: Array(path.utf8))
    }

    /// The entry at a path given as bytes (which need not be UTF-8), not following a final symbolic link.
    static func entry(at path: [UInt8]) -> Result<FileStatus, SystemError> {
        var info = stat()
        guard withCString(path, { lstat($0, &info) }) == 0 else { return .failure(SystemError(code: errno)) }
        return .success(FileStatus(info))
    }

    /// What the path leads to, following symbolic links (`stat`); a failure is the `errno`.
    static func target(of path: String) -> Result<FileStatus, SystemError> {
        target(of: Array(path.utf8))
    }

    /// What a path given as bytes (which need not be UTF-8) leads to, following symbolic links.
    static func target(of path: [UInt8]) -> Result<FileStatus, SystemError> {
        var info = stat()
        guard withCString(path, { stat($0, &info) }) == 0 else { return .failure(SystemError(code: errno)) }
        return .success(FileStatus(info))
    }

    private init(_ info: stat) {
        type = FileType(mode: info.st_mode)
        identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        size = Int(info.st_size)
    }
}

/// A failed system call's `errno`.
struct SystemError: Error, Equatable {
    var code: Int32

    var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    var message: String { systemMessage(code) }
}

/// The canonical absolute path of an existing file or folder (every symbolic link, `.` and `..` resolved), or nil.
func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// Calls `body` with `path` as a NUL-terminated C string, byte for byte (a path need not be valid UTF-8).
func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
    (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { body($0.baseAddress!) }
}
