import IAMAuditRules

/// Finds the git repository holding a folder and the GitHub repository its remote names, by reading files only
/// (no `git` process): the first `.git` in the folder or above it, a directory or a file `gitdir: PATH` (a
/// worktree or submodule), and the `config` of that git directory and of its common directory (`commondir`).
enum GitRepository {
    /// The size a git configuration file may have; larger ones are not read.
    static let configurationLimit = 1024 * 1024

    /// What the remotes of the repository holding `folder` (absolute) say about its GitHub repository.
    static func evidence(forFolder folder: String) -> StarterDesign.RepositoryEvidence {
        guard let gitDirectory = gitDirectory(above: realPath(folder) ?? LexicalPath.normalized(folder)) else { return .noRepository }
        var configurations = [PathNames.join(gitDirectory, "config")]
        if let common = text(of: PathNames.join(gitDirectory, "commondir"))?.split(whereSeparator: \.isNewline).first {
            let commonDirectory = LexicalPath.resolved(String(common).trimmedBlanks, in: gitDirectory)
            configurations.append(PathNames.join(commonDirectory, "config"))
        }
        var remotes: [GitRemote.Remote] = []
        for file in configurations {
            for remote in GitRemote.remotes(inConfiguration: text(of: file) ?? "") where !remotes.contains(where: { $0.name == remote.name }) {
                remotes.append(remote)
            }
        }
        guard let remote = remotes.first(where: { $0.name == "origin" }) ?? remotes.first else { return .noRemote }
        guard let location = GitRemote.location(ofURL: remote.url) else { return .unrecognizedRemote(name: remote.name, url: remote.url) }
        return .remote(name: remote.name, url: remote.url, location: location)
    }

    /// The top folder of the repository holding `folder` (absolute): the nearest folder, `folder` itself or above
    /// it, that holds a `.git` entry; nil when none does.
    static func topFolder(above folder: String) -> String? {
        var candidate = LexicalPath.normalized(folder)
        while true {
            if case .success = FileStatus.entry(at: PathNames.join(candidate, ".git")) { return candidate }
            if candidate == "/" || candidate.isEmpty { return nil }
            candidate = LexicalPath.folder(of: candidate)
        }
    }

    /// The git directory of the repository holding `folder`: the nearest `.git` directory, or the one a `.git`
    /// file points at.
    static func gitDirectory(above folder: String) -> String? {
        var current = folder
        while true {
            let candidate = PathNames.join(current, ".git")
            if case .success(let status) = FileStatus.target(of: candidate) {
                if status.type == .directory { return candidate }
                if status.type == .regular, let contents = text(of: candidate) {
                    for line in contents.split(whereSeparator: \.isNewline) where line.hasPrefix("gitdir:") {
                        let path = String(line.dropFirst("gitdir:".count)).trimmedBlanks
                        return path.isEmpty ? nil : LexicalPath.resolved(path, in: current)
                    }
                }
            }
            if current == "/" || current.isEmpty { return nil }
            current = LexicalPath.folder(of: current)
        }
    }

    private static func text(of path: String) -> String? {
        guard case .success(let bytes) = FileReader.read(path: path, limit: configurationLimit, requireRegular: true) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension String {
    var trimmedBlanks: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
