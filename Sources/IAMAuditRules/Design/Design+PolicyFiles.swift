import Foundation

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

    /// The environment that names `path` as its trust policy or one of its permission policies, and which.
    ///
    /// - Parameter path: a path as found on disk or named by the user; `./`, `..` and repeated `/` are
    ///   normalized, and a relative path is compared with an absolute one through the current directory.
    public func environment(forPolicyFile path: String) -> (environment: Environment, role: PolicyRole)? {
        let target = LexicalPath.normalized(path)
        for environment in environments {
            if let trust = environment.trustPolicy, samePath(resolvedPath(trust), target) {
                return (environment, .trust)
            }
            for permission in environment.permissionPolicies where samePath(resolvedPath(permission), target) {
                return (environment, .permission)
            }
        }
        return nil
    }

    /// `path` relative to the design file's folder, or nil when it lies outside that folder.
    ///
    /// `ignore` globs are written relative to the design file; this gives the text to match them against.
    public func pathRelativeToDesign(_ path: String) -> String? {
        let path = LexicalPath.normalized(path)
        let folder = LexicalPath.normalized(self.folder)
        if LexicalPath.isAbsolute(path) == LexicalPath.isAbsolute(folder) {
            return LexicalPath.relative(path, to: folder)
        }
        return LexicalPath.relative(Self.absolute(path), to: Self.absolute(folder))
    }

    private func samePath(_ lhs: String, _ rhs: String) -> Bool {
        if LexicalPath.isAbsolute(lhs) == LexicalPath.isAbsolute(rhs) { return lhs == rhs }
        return Self.absolute(lhs) == Self.absolute(rhs)
    }

    private static func absolute(_ path: String) -> String {
        LexicalPath.resolved(path, in: FileManager.default.currentDirectoryPath)
    }
}
