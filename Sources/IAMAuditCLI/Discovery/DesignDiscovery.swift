import IAMAuditRules

/// Finds the design file that governs each audited file, as ruff and ESLint find their configuration.
///
/// With `--design`, that file governs every file of the run. Otherwise a file is governed by the nearest
/// `iam-audit.json` in its folder or the folders above it, up to the repository root (the first folder holding
/// `.git`) or `/`. The folders are those of the path as the user spelled it and, when that finds nothing, those of
/// the file's real path (symbolic links resolved), so a file reached through a link outside the project still
/// finds its design.
struct DesignDiscovery {
    let workingDirectory: String
    /// Folder (absolute) → the design file found from it, absolute; nil when none.
    private var nearest: [String: String?] = [:]

    init(workingDirectory: String) {
        self.workingDirectory = workingDirectory
    }

    /// The absolute path of the design file governing the file at `systemPath` (absolute), or nil.
    mutating func design(governing systemPath: String) -> String? {
        let folder = LexicalPath.folder(of: LexicalPath.normalized(systemPath))
        if let found = search(from: folder) { return found }
        guard let real = realPath(systemPath) else { return nil }
        return search(from: LexicalPath.folder(of: real))
    }

    /// The nearest design file in `folder` or its ancestors (absolute, normalized), memoized per folder.
    private mutating func search(from folder: String) -> String? {
        if let known = nearest[folder] { return known }
        let candidate = PathNames.join(folder, DesignLoader.fileName)
        let found: String?
        if isRegularFile(candidate) {
            found = candidate
        } else if folder == "/" || exists(PathNames.join(folder, ".git")) {
            found = nil
        } else {
            found = search(from: LexicalPath.folder(of: folder))
        }
        nearest[folder] = found
        return found
    }

    private func isRegularFile(_ path: String) -> Bool {
        if case .success(let status) = FileStatus.target(of: path) { return status.type == .regular }
        return false
    }

    private func exists(_ path: String) -> Bool {
        if case .success = FileStatus.entry(at: path) { return true }
        return false
    }

    /// How reports name a design file found at `systemPath`: relative to the working directory when it lies
    /// inside it or a few folders above (`../iam-audit.json`), else absolute.
    func reportName(of systemPath: String) -> String {
        let path = LexicalPath.normalized(systemPath)
        let base = LexicalPath.normalized(workingDirectory)
        let pathParts = path.split(separator: "/")
        let baseParts = base.split(separator: "/")
        var common = 0
        while common < pathParts.count, common < baseParts.count, pathParts[common] == baseParts[common] { common += 1 }
        let climbs = baseParts.count - common
        guard common > 0, climbs <= 3 else { return path }
        let parts = Array(repeating: "..", count: climbs) + pathParts[common...].map(String.init)
        return parts.joined(separator: "/")
    }
}
