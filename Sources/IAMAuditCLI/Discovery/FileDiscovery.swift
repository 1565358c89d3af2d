#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IAMAuditRules

/// A file to audit: where to read it and what to call it in reports.
struct PolicySource: Sendable, Equatable {
    enum Location: Sendable, Equatable {
        /// An absolute path.
        case path(String)
        case standardInput
    }

    /// The name reports use: the user's path, or the path found under a named directory (forward slashes).
    var name: String
    var location: Location
    /// Whether the user named the file (then it is read whatever it is, and a JSON file holding no policy is an
    /// error); files found in a directory walk are opened only when regular.
    var explicit: Bool
    /// The path's bytes when they are not valid UTF-8 (a name found in a directory walk): these are opened, and
    /// `location` and `name` only spell them (`name` with `\xFF` escapes, ``EscapedFileName``).
    var rawPath: [UInt8]? = nil
    /// The file's identity, which the design's placement is decided by; nil for standard input.
    var identity: FileIdentity? = nil

    /// The report name of standard input.
    static let standardInputName = "<stdin>"
}

/// Turns the command line's paths into the files to audit (DESIGN.md §4).
///
/// A named file is read whatever its name; a named directory is walked recursively for `*.json`, in byte order of
/// names, skipping hidden entries (which covers `.build`) but for `.github/workflows`. Symbolic links are followed, but a directory already on
/// the walk's path (a loop) or already scanned is not entered again. FIFOs, sockets and devices met during a walk
/// are reported as notices and never opened. `iam-audit.json` is a design file, never audited as a policy.
struct FileDiscovery {
    /// The design file's name, found in a scanned directory.
    static let designFileName = DesignLoader.fileName

    let workingDirectory: String
    /// The design file in use, excluded from the policies.
    let design: (name: String, identity: FileIdentity)?

    private(set) var sources: [PolicySource] = []
    private(set) var errors: [AuditError] = []
    private(set) var notices: [AuditNotice] = []
    private var scannedDirectories: [FileIdentity: String] = [:]
    private var collectedFiles: [FileIdentity: String] = [:]

    /// `--exclude` rules, matched against paths from the working directory.
    let exclusions: [IgnoreRule]
    /// Whether walks inside a git repository leave out what its `.gitignore` files and `.git/info/exclude` ignore.
    let respectsGitIgnore: Bool
    /// Entries a walk left out because git ignores them, as reports name them (the notice lists them).
    private(set) var gitIgnored: [String] = []
    /// Entries a walk left out because an `--exclude` pattern matches them.
    private(set) var excludedCount = 0

    /// The name reports give standard input (`--stdin-filename`, else `<stdin>`).
    let standardInputName: String

    init(workingDirectory: String, design: (name: String, identity: FileIdentity)?, exclusions: [IgnoreRule] = [],
         respectsGitIgnore: Bool = true, standardInputName: String = PolicySource.standardInputName) {
        self.workingDirectory = workingDirectory
        self.standardInputName = standardInputName
        self.design = design
        self.exclusions = exclusions
        self.respectsGitIgnore = respectsGitIgnore
    }

    /// The ignore rules in force during a walk inside a git repository: the repository's top folder (absolute,
    /// normalized), the rules of the `.gitignore` files met from it down to the folder being walked, and the paths
    /// git tracks, which no ignore rule leaves out.
    struct GitIgnores {
        var root: String
        var rules: [IgnoreRule]
        var index: GitIndex

        /// Whether the entry at `path` (relative to ``root``) is ignored and holds nothing git tracks.
        func leavesOut(_ path: String, isFolder: Bool) -> Bool {
            guard IgnoreRule.ignores(rules, path: path, isFolder: isFolder) else { return false }
            // A folder holding a tracked file, or a submodule (tracked as one entry), stays.
            return isFolder ? !(index.tracksSomething(under: path) || index.tracks(path)) : !index.tracks(path)
        }
    }

    /// The repository holding the folder `systemPath` and the rules of `.git/info/exclude` and of the
    /// `.gitignore` files of the folders from the repository's top down to, not including, `systemPath`. Paths are
    /// real (symbolic links resolved), as git sees them.
    private func gitIgnores(above systemPath: String) -> GitIgnores? {
        guard respectsGitIgnore, let folder = realPath(systemPath), let root = GitRepository.topFolder(above: folder),
              var ignores = Self.repository(at: root) else { return nil }
        var base = ""
        for part in (LexicalPath.relative(folder, to: root) ?? "").split(separator: "/") {
            ignores.rules += Self.ignoreFile(PathNames.join(PathNames.join(root, base), ".gitignore"), base: base)
            base = PathNames.join(base.isEmpty ? "." : base, String(part))
        }
        return ignores
    }

    /// The repository whose top is the real folder `root` (it holds `.git`), with `.git/info/exclude`'s rules; nil
    /// when its git directory or index cannot be read (then an ignore rule could hide a committed policy, and
    /// nothing is left out).
    private static func repository(at root: String) -> GitIgnores? {
        guard let gitDirectory = GitRepository.gitDirectory(above: root),
              case .success(let status) = FileStatus.target(of: gitDirectory), status.type == .directory,
              case .success = FileStatus.entry(at: PathNames.join(gitDirectory, "HEAD")),
              let index = GitIndex.read(gitDirectory: gitDirectory) else { return nil }
        return GitIgnores(root: root, rules: ignoreFile(PathNames.join(gitDirectory, "info/exclude"), base: ""), index: index)
    }

    /// The rules of the ignore file at `path`; none when it is missing or unreadable (git reads it the same way).
    private static func ignoreFile(_ path: String, base: String) -> [IgnoreRule] {
        guard case .success(let bytes) = FileReader.read(path: Array(path.utf8), limit: 1 << 20, requireRegular: true) else { return [] }
        return IgnoreRule.rules(of: String(decoding: bytes, as: UTF8.self), base: base)
    }

    /// Adds one path as the user wrote it (`-` is standard input).
    mutating func add(path: String) {
        if path == "-" {
            sources.append(PolicySource(name: standardInputName, location: .standardInput, explicit: true))
            return
        }
        let name = PathNames.tidy(path)
        let systemPath = PathNames.absolute(name, in: workingDirectory)
        let status: FileStatus
        switch FileStatus.target(of: systemPath) {
        case .success(let target):
            status = target
        case .failure(let error):
            if case .success(let entry) = FileStatus.entry(at: systemPath), entry.type == .symbolicLink {
                errors.append(AuditError(file: name, message: error.code == ELOOP ? "symbolic link loop" : "dangling symbolic link"))
            } else {
                errors.append(AuditError(file: name, message: error.message))
            }
            return
        }
        switch status.type {
        case .directory:
            if let earlier = scannedDirectories[status.identity] {
                notices.append(AuditNotice(file: name, message: "same folder as '\(earlier)', scanned once"))
                return
            }
            var ancestors: Set<FileIdentity> = []
            let before = sources.count
            walk(directory: Array(systemPath.utf8), name: name, identity: status.identity, ancestors: &ancestors,
                 ignores: gitIgnores(above: systemPath))
            if sources.count == before {
                notices.append(AuditNotice(file: name, message: "no policy, template or Terraform files (*.json, *.yaml, *.yml, *.template, *.tf) found in this folder"))
            }
        case .regular, .fifo, .characterDevice:
            if PathNames.lastComponent(name) == Self.designFileName || status.identity == design?.identity {
                if design == nil { namedDesigns.append((name, systemPath)) }
                skipDesign(name: name, identity: status.identity)
                return
            }
            collect(PolicySource(name: name, location: .path(systemPath), explicit: true), identity: status.identity)
        case .socket, .blockDevice, .symbolicLink, .unknown:
            errors.append(AuditError(file: name, message: "\(status.type.phrase) cannot be audited"))
        }
    }

    /// Design files the user named as paths (their absolute paths), to be read and checked though they are not
    /// audited as policies.
    private(set) var namedDesigns: [(name: String, systemPath: String)] = []
    /// Design files a folder walk met, whose declarations apply even to files a nearer design would govern.
    private(set) var walkedDesigns: [(name: String, systemPath: String)] = []

    /// A design file met as a path or in a walk: it governs the files near it (``DesignDiscovery``) unless
    /// `--design` names another, which the notice says.
    private mutating func skipDesign(name: String, identity: FileIdentity) {
        guard let design, identity != design.identity else { return }
        notices.append(AuditNotice(file: name, message: "design file not in use (the design is '\(design.name)'), not audited as a policy"))
    }

    private mutating func collect(_ source: PolicySource, identity: FileIdentity) {
        if let earlier = collectedFiles[identity] {
            notices.append(AuditNotice(file: source.name, message: "same file as '\(earlier)', audited once"))
            return
        }
        collectedFiles[identity] = source.name
        var source = source
        source.identity = identity
        sources.append(source)
    }

    /// Walks `directory` (its path as bytes: names found on the way need not be UTF-8).
    private mutating func walk(directory: [UInt8], name: String, identity: FileIdentity, ancestors: inout Set<FileIdentity>,
                               ignores: GitIgnores?) {
        scannedDirectories[identity] = name
        ancestors.insert(identity)
        defer { ancestors.remove(identity) }
        var ignores = ignores
        let directoryPath = LexicalPath.normalized(String(decoding: directory, as: UTF8.self))
        // Ignore rules are matched on real paths, inside the repository they belong to: a nested repository (a
        // submodule) has its own index and rules; a folder whose real path is unknown leaves nothing out.
        let directoryReal = ignores == nil ? nil : realPath(directoryPath)
        if let inRepository = ignores {
            if let directoryReal, directoryReal == inRepository.root || LexicalPath.relative(directoryReal, to: inRepository.root) != nil {
                if directoryReal != inRepository.root, case .success = FileStatus.entry(at: PathNames.join(directoryReal, ".git")) {
                    ignores = Self.repository(at: directoryReal)
                }
            } else {
                ignores = nil
            }
        }
        if var inRepository = ignores, let directoryReal {
            let base = LexicalPath.relative(directoryReal, to: inRepository.root) ?? ""
            inRepository.rules += Self.ignoreFile(PathNames.join(directoryReal, ".gitignore"), base: base)
            ignores = inRepository
        }
        let entries: [[UInt8]]
        switch Self.entries(of: directory) {
        case .success(let names): entries = names
        case .failure(let error):
            errors.append(AuditError(file: name, message: "cannot read directory: \(error.message)"))
            return
        }
        // Hidden entries are skipped, except a repository's workflows: `.github/workflows/` mints the tokens its
        // roles admit. Of `.github` only `workflows` is walked.
        let inGitHubFolder = directory.split(separator: UInt8(ascii: "/")).last.map { Array($0) == Array(".github".utf8) } ?? false
        for entryBytes in entries where inGitHubFolder ? entryBytes == Array("workflows".utf8)
            : entryBytes.first != UInt8(ascii: ".") || entryBytes == Array(".github".utf8) {
            let childPathBytes = directory + (directory.last == UInt8(ascii: "/") ? [] : [UInt8(ascii: "/")]) + entryBytes
            let entry = EscapedFileName.text(entryBytes)
            let childName = PathNames.join(name, entry)
            // A file some source reads (`*.json` for policies and account dumps).
            let isJSON = SourceCatalog.all.contains { $0.walks(fileName: entry) }
            var status: FileStatus
            switch FileStatus.entry(at: childPathBytes) {
            case .success(let entryStatus): status = entryStatus
            case .failure(let error):
                errors.append(AuditError(file: childName, message: error.message))
                continue
            }
            let viaLink = status.type == .symbolicLink
            if viaLink {
                switch FileStatus.target(of: childPathBytes) {
                case .success(let target): status = target
                case .failure(let error):
                    let message = error.code == ELOOP ? "symbolic link loop" : "dangling symbolic link"
                    if isJSON {
                        errors.append(AuditError(file: childName, message: message))
                    } else {
                        notices.append(AuditNotice(file: childName, message: "skipped, \(message)"))
                    }
                    continue
                }
            }
            // `--exclude` and, inside a git repository, its ignore files leave entries out of the walk.
            let childPath = PathNames.join(directoryPath, entry)
            let isFolder = status.type == .directory
            if !exclusions.isEmpty {
                let fromWorkingDirectory = LexicalPath.relative(childPath, to: LexicalPath.normalized(workingDirectory)) ?? childName
                if IgnoreRule.ignores(exclusions, path: fromWorkingDirectory, isFolder: isFolder) {
                    excludedCount += 1
                    continue
                }
            }
            if let ignores, let directoryReal, let inRepository = LexicalPath.relative(PathNames.join(directoryReal, entry), to: ignores.root),
               ignores.leavesOut(inRepository, isFolder: isFolder && !viaLink) {
                if isFolder || isJSON { gitIgnored.append(childName) }
                continue
            }
            switch status.type {
            case .directory:
                if ancestors.contains(status.identity) {
                    let target = scannedDirectories[status.identity] ?? "an enclosing folder"
                    notices.append(AuditNotice(file: childName, message: "skipped, symbolic link loop back to '\(target)'"))
                } else if let earlier = scannedDirectories[status.identity] {
                    notices.append(AuditNotice(file: childName, message: "same folder as '\(earlier)', scanned once"))
                } else {
                    // Git does not follow a symbolic link to a folder: inside one, nothing is left out.
                    walk(directory: childPathBytes, name: childName, identity: status.identity, ancestors: &ancestors,
                         ignores: viaLink ? nil : ignores)
                }
            case .regular:
                guard isJSON else { continue }
                if entry == Self.designFileName || status.identity == design?.identity {
                    if design == nil, entry == Self.designFileName { walkedDesigns.append((childName, String(decoding: childPathBytes, as: UTF8.self))) }
                    skipDesign(name: childName, identity: status.identity)
                    continue
                }
                let location = String(decoding: childPathBytes, as: UTF8.self)
                collect(PolicySource(name: childName, location: .path(location), explicit: false,
                                     rawPath: location.utf8.elementsEqual(childPathBytes) ? nil : childPathBytes),
                        identity: status.identity)
            case .fifo, .socket, .characterDevice, .blockDevice, .unknown:
                notices.append(AuditNotice(file: childName, message: "skipped, \(status.type.phrase) is not a regular file"))
            case .symbolicLink:
                continue
            }
        }
    }

    /// The names in a directory as bytes (they need not be UTF-8), `.` and `..` excluded, sorted bytewise.
    static func entries(of directory: [UInt8]) -> Result<[[UInt8]], SystemError> {
        guard let stream = withCString(directory, { opendir($0) }) else { return .failure(SystemError(code: errno)) }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { return .failure(SystemError(code: errno)) }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name != Array(".".utf8) && name != Array("..".utf8) { names.append(name) }
        }
        return .success(names.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
