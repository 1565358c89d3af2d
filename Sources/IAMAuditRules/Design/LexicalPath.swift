/// Path arithmetic on text alone, with `/` as the separator: no file system access, no symlink resolution.
public enum LexicalPath {
    public static func isAbsolute(_ path: String) -> Bool {
        path.hasPrefix("/")
    }

    /// `path` with empty and `.` components removed and each `..` cancelling the component before it.
    ///
    /// A relative path keeps the `..` components that lead above its start; an absolute path drops
    /// those that would climb above `/`. The result of an empty relative path is `.`.
    public static func normalized(_ path: String) -> String {
        // Nearly every path is normalized already (each finding's file goes through here): checked over bytes.
        isNormalized(path) ? path : componentwiseNormalized(path)
    }

    /// `normalized(path)`, component by component.
    public static func componentwiseNormalized(_ path: String) -> String {
        let absolute = isAbsolute(path)
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".":
                continue
            case "..":
                if let last = components.last, last != ".." {
                    components.removeLast()
                } else if !absolute {
                    components.append(component)
                }
            default:
                components.append(component)
            }
        }
        let joined = components.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `path` is normalized already: not empty, and no component (after a leading `/`) is empty or `.`,
    /// nor `..` but at the start of a relative path (`../../policies/a.json`). (`/` and `.` are normalized too, but
    /// take the longer way.)
    public static func isNormalized(_ path: String) -> Bool {
        var utf8 = path.utf8.makeIterator()
        var length = 0
        var dots = 0
        var first = true
        var absolute = false
        // Whether every component so far is `..` (which a relative path keeps).
        var climbing = true
        func componentIsPlain() -> Bool {
            guard length > 0 else { return false }
            if length == 2 && dots == 2 { return climbing && !absolute }
            climbing = false
            return !(length == 1 && dots == 1)
        }
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "/") {
                if first && length == 0 {
                    first = false
                    absolute = true
                    continue
                }
                guard componentIsPlain() else { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
            first = false
        }
        return componentIsPlain()
    }

    /// The folder holding `file`: everything before its last `/`, `.` when there is none.
    public static func folder(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        let folder = file[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `path` resolved against `folder` (unless absolute), normalized.
    public static func resolved(_ path: String, in folder: String) -> String {
        if isAbsolute(path) { return normalized(path) }
        return normalized(folder + "/" + path)
    }

    /// The normalized `path` relative to the normalized `folder`, or nil when it lies outside it.
    ///
    /// Both must be absolute or both relative.
    public static func relative(_ path: String, to folder: String) -> String? {
        let path = normalized(path)
        let folder = normalized(folder)
        if folder == "." { return path.hasPrefix("../") || path == ".." ? nil : path }
        if folder == "/" { return isAbsolute(path) && path != "/" ? String(path.dropFirst()) : nil }
        guard path.hasPrefix(folder + "/") else { return nil }
        return String(path.dropFirst(folder.count + 1))
    }

    /// The normalized absolute `path` relative to the normalized absolute `folder`, climbing with `..` where it lies
    /// outside it (`/repo/.github/workflows/x.yml` from `/repo/policies`: `../.github/workflows/x.yml`).
    public static func relativeClimbing(_ path: String, from folder: String) -> String {
        let pathParts = normalized(path).split(separator: "/")
        let folderParts = normalized(folder).split(separator: "/")
        var common = 0
        while common < pathParts.count, common < folderParts.count, pathParts[common] == folderParts[common] { common += 1 }
        let parts = Array(repeating: "..", count: folderParts.count - common) + pathParts[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
