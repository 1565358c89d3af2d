#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IAMAuditRules

/// The paths a git repository tracks, read from its index file (gitformat-index(5): versions 2, 3 and 4, SHA-1 or
/// SHA-256 object names, sparse directory entries).
///
/// `.gitignore` rules apply to untracked files only: a file committed (or added with `git add -f`) and then matched
/// by an ignore pattern is still in the repository, so a walk must still audit it. An index iam-audit cannot read
/// whole (a split index, an unknown version, a truncated file) gives no answer, and the walk then leaves nothing out.
struct GitIndex: Sendable {
    /// Tracked paths relative to the repository's top, `/`-separated, sorted bytewise; a sparse directory entry ends
    /// with `/` and stands for everything under it.
    let paths: [[UInt8]]

    /// The largest index read (a repository of a million files has an index of about 100 MB).
    static let sizeLimit = 512 * 1024 * 1024

    /// The index of the git directory `gitDirectory`; nil when it is missing or cannot be read whole. A repository
    /// without an index (nothing ever added) tracks nothing.
    static func read(gitDirectory: String) -> GitIndex? {
        let file = PathNames.join(gitDirectory, "index")
        switch FileReader.read(path: file, limit: sizeLimit, requireRegular: true) {
        case .success(let bytes):
            return parse(bytes, hashLength: usesSHA256(gitDirectory: gitDirectory) ? 32 : 20)
        case .failure(let failure):
            if case .system(_, let code) = failure, code == ENOENT { return GitIndex(paths: []) }
            return nil
        }
    }

    /// Whether the repository's configuration names SHA-256 object names (`extensions.objectFormat = sha256`).
    private static func usesSHA256(gitDirectory: String) -> Bool {
        var files = [PathNames.join(gitDirectory, "config")]
        if case .success(let common) = FileReader.read(path: PathNames.join(gitDirectory, "commondir"), limit: 4096, requireRegular: true),
           let line = String(decoding: common, as: UTF8.self).split(whereSeparator: \.isNewline).first {
            files.append(PathNames.join(LexicalPath.resolved(String(line), in: gitDirectory), "config"))
        }
        for file in files {
            guard case .success(let bytes) = FileReader.read(path: file, limit: 1024 * 1024, requireRegular: true) else { continue }
            let text = String(decoding: bytes, as: UTF8.self).lowercased().filter { $0 != " " && $0 != "\t" }
            if text.contains("objectformat=sha256") { return true }
        }
        return false
    }

    /// The paths of an index file's bytes; nil for anything but a whole index this reader understands.
    static func parse(_ bytes: [UInt8], hashLength: Int) -> GitIndex? {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual(Array("DIRC".utf8)) else { return nil }
        func word(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        guard let version = word(4), (2...4).contains(version), let count = word(8) else { return nil }
        var paths: [[UInt8]] = []
        paths.reserveCapacity(min(count, bytes.count / 62))
        var offset = 12
        var previous: [UInt8] = []
        let fixed = 40 + hashLength + 2
        for _ in 0..<count {
            let start = offset
            guard offset + fixed <= bytes.count else { return nil }
            let flags = Int(bytes[offset + fixed - 2]) << 8 | Int(bytes[offset + fixed - 1])
            offset += fixed
            if flags & 0x4000 != 0 {
                guard version >= 3, offset + 2 <= bytes.count else { return nil }
                offset += 2
            }
            var path: [UInt8]
            if version == 4 {
                // The number of bytes to drop from the previous path, as a git varint, then the rest of the path.
                guard offset < bytes.count else { return nil }
                var byte = bytes[offset]
                offset += 1
                var drop = Int(byte & 0x7F)
                while byte & 0x80 != 0 {
                    guard offset < bytes.count, drop < Int.max >> 8 else { return nil }
                    byte = bytes[offset]
                    offset += 1
                    drop = ((drop + 1) << 7) + Int(byte & 0x7F)
                }
                guard drop <= previous.count, let end = bytes[offset...].firstIndex(of: 0) else { return nil }
                path = Array(previous.dropLast(drop)) + bytes[offset..<end]
                offset = end + 1
            } else {
                guard let end = bytes[offset...].firstIndex(of: 0) else { return nil }
                path = Array(bytes[offset..<end])
                // Padded with 1 to 8 NUL bytes to a multiple of 8 from the entry's start.
                offset = start + ((end - start) / 8 + 1) * 8
                guard offset <= bytes.count else { return nil }
            }
            previous = path
            // Stages 1 to 3 of a merge conflict repeat a path.
            if paths.last != path { paths.append(path) }
        }
        // Extensions: a split index keeps most entries in another file, which this reader does not follow.
        let checksumStart = bytes.count - hashLength
        while offset + 8 <= checksumStart {
            let signature = Array(bytes[offset..<(offset + 4)])
            if signature == Array("link".utf8) { return nil }
            guard let size = word(offset + 4), offset + 8 + size <= checksumStart else { return nil }
            offset += 8 + size
        }
        return GitIndex(paths: paths.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Whether git tracks the file at `path` (relative to the repository's top), or a sparse directory holds it.
    func tracks(_ path: String) -> Bool {
        let key = Array(path.utf8)
        if let found = firstIndex(notBefore: key), paths[found] == key { return true }
        return sparseDirectory(holding: key)
    }

    /// Whether git tracks any file under the folder `path` (or the folder lies in a sparse directory).
    func tracksSomething(under path: String) -> Bool {
        let prefix = Array(path.utf8) + [UInt8(ascii: "/")]
        if let found = firstIndex(notBefore: prefix), paths[found].starts(with: prefix) { return true }
        return sparseDirectory(holding: Array(path.utf8))
    }

    /// Whether a sparse directory entry (`dir/`) is an ancestor of `path`.
    private func sparseDirectory(holding path: [UInt8]) -> Bool {
        var end = path.count
        while let slash = path[..<end].lastIndex(of: UInt8(ascii: "/")) {
            let folder = Array(path[...slash])
            if let found = firstIndex(notBefore: folder), paths[found] == folder { return true }
            end = slash
        }
        return false
    }

    /// The first path not ordered before `key`.
    private func firstIndex(notBefore key: [UInt8]) -> Int? {
        var low = 0, high = paths.count
        while low < high {
            let middle = (low + high) / 2
            if paths[middle].lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return low < paths.count ? low : nil
    }
}
