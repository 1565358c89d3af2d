import IAMPolicy

/// The part a policy file plays for a design environment.
public enum PolicyRole: String, Sendable, Hashable, CaseIterable {
    /// The role's trust policy (`trustPolicy`).
    case trust
    /// One of the role's permission policies (`permissionPolicies`).
    case permission
}

extension Design {
    /// The folder holding the design file, as named (`.` when the name has no folder).
    public var folder: String {
        LexicalPath.folder(of: file)
    }

    /// `path`, written relative to the design file's folder, as a normalized path a file system call accepts.
    public func resolvedPath(_ path: String) -> String {
        LexicalPath.resolved(path, in: folder)
    }

    /// `path` relative to the design file's folder, or nil when it lies outside that folder.
    ///
    /// `ignore` globs are written relative to the design file; this gives the text to match them against, from the
    /// spelling of the paths alone (nil when one is absolute and the other relative: the caller, which owns the
    /// file system, compares real paths instead).
    public func pathRelativeToDesign(_ path: String) -> String? {
        let path = LexicalPath.normalized(path)
        let folder = LexicalPath.normalized(self.folder)
        guard LexicalPath.isAbsolute(path) == LexicalPath.isAbsolute(folder) else { return nil }
        return LexicalPath.relative(path, to: folder)
    }
}
