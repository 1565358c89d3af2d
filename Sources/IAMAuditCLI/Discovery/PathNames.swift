/// Path spelling for reports and for the file system.
///
/// Reports name a file as the user wrote it, tidied (`./policies//` → `policies`), joined with the relative path
/// found under a named directory using `/`. The file system is reached through the same path made absolute
/// against the run's working directory.
enum PathNames {
    /// The user's path tidied for reports: repeated `/` collapsed, `.` components and a trailing `/` dropped
    /// (`..` is kept: without resolving symbolic links it cannot be removed safely).
    static func tidy(_ path: String) -> String {
        guard !path.isEmpty, !isTidy(path) else { return path }
        let absolute = path.hasPrefix("/")
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        let joined = components.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `path` is already as `tidy` leaves it: no empty or `.` component, no trailing `/` (a lone `/`
    /// excepted). Checked over bytes, so the common case costs no allocation.
    private static func isTidy(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var length = 0, first: UInt8 = 0, index = 0
        for byte in path.utf8 {
            if byte == slash {
                // Past the root of an absolute path, a `/` ends a component that must be neither empty nor `.`.
                if index > 0 && (length == 0 || (length == 1 && first == dot)) { return false }
                length = 0
            } else {
                if length == 0 { first = byte }
                length += 1
            }
            index += 1
        }
        if index == 1 && first == 0 { return true } // "/"
        return length != 0 && !(length == 1 && first == dot)
    }

    /// `name` under the directory `base`, both as tidied report paths (`.` + `a.json` → `a.json`).
    static func join(_ base: String, _ name: String) -> String {
        if base == "." || base.isEmpty { return name }
        if base.hasSuffix("/") { return base + name }
        return base + "/" + name
    }

    /// `path` made absolute against `workingDirectory` for system calls.
    static func absolute(_ path: String, in workingDirectory: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "." { return workingDirectory }
        return join(workingDirectory, path)
    }

    /// The last component of a path.
    static func lastComponent(_ path: String) -> String {
        // Over bytes: `/` is ASCII, so it never falls inside a multi-byte character.
        let utf8 = path.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
        guard end > utf8.startIndex else { return path }
        var start = end
        while start > utf8.startIndex, utf8[utf8.index(before: start)] != UInt8(ascii: "/") { start = utf8.index(before: start) }
        return String(path[start..<end])
    }
}
