/// Reads the remotes of a git configuration file and the GitHub repository a remote's URL names.
///
/// Reference: git, "git-config" (file syntax: sections, subsections in double quotes, case-insensitive section and
/// key names, `#` and `;` comments) (https://git-scm.com/docs/git-config#_syntax); git, "git-clone", GIT URLS
/// (`https://host/path`, `ssh://[user@]host[:port]/path`, the scp-like `[user@]host:path`)
/// (https://git-scm.com/docs/git-clone#_git_urls).
public enum GitRemote {
    /// One `[remote "NAME"]` section's `url`.
    public struct Remote: Sendable, Hashable {
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// The repository a remote URL names on its host.
    public struct Location: Sendable, Hashable {
        /// `OWNER/NAME`.
        public var repository: String
        /// The host, lowercased (`github.com`).
        public var host: String
    }

    /// The remotes of a git configuration file's text, in file order, each with its first `url`.
    public static func remotes(inConfiguration text: String) -> [Remote] {
        var remotes: [Remote] = []
        var section: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmed(where: { $0.isWhitespace })
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                section = remoteName(ofSectionHeader: line)
                continue
            }
            guard let name = section, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmed(where: { $0.isWhitespace }).lowercased()
            guard key == "url", !remotes.contains(where: { $0.name == name }) else { continue }
            let value = configurationValue(line[line.index(after: equals)...])
            if !value.isEmpty { remotes.append(Remote(name: name, url: value)) }
        }
        return remotes
    }

    /// The `OWNER/NAME` and host a remote URL names, or nil when it is a local path or has another shape.
    public static func location(ofURL url: String) -> Location? {
        let text = url.trimmed(where: { $0.isWhitespace })
        var hostAndPath: Substring
        var separator: Character
        if let scheme = text.range(of: "://") {
            let name = text[..<scheme.lowerBound].lowercased()
            guard ["https", "http", "ssh", "git", "git+ssh", "ssh+git"].contains(name) else { return nil }
            hostAndPath = text[scheme.upperBound...]
            separator = "/"
        } else {
            // The scp-like form `[user@]host:path`: a colon before any slash.
            guard let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") else { return nil }
            hostAndPath = text[...]
            separator = ":"
        }
        guard let split = hostAndPath.firstIndex(of: separator) else { return nil }
        var host = hostAndPath[..<split]
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if separator == "/", let port = host.lastIndex(of: ":") { host = host[..<port] }
        var path = Substring(hostAndPath[hostAndPath.index(after: split)...])
        while path.hasPrefix("/") { path = path.dropFirst() }
        while path.hasSuffix("/") { path = path.dropLast() }
        if path.hasSuffix(".git") { path = path.dropLast(4) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !host.isEmpty, parts.count == 2, DesignValidator.isRepository(String(path)) else { return nil }
        return Location(repository: String(path), host: host.lowercased())
    }

    /// The remote name of a `[remote "NAME"]` (or old-style `[remote.NAME]`) header; nil for any other section.
    private static func remoteName(ofSectionHeader line: String) -> String? {
        guard let close = line.lastIndex(of: "]") else { return nil }
        let inside = line[line.index(after: line.startIndex)..<close].trimmed(where: { $0.isWhitespace })
        if let quote = inside.firstIndex(of: "\"") {
            guard inside[..<quote].trimmed(where: { $0.isWhitespace }).lowercased() == "remote" else { return nil }
            let rest = inside[inside.index(after: quote)...]
            guard let end = rest.lastIndex(of: "\"") else { return nil }
            return String(rest[..<end]).replacing("\\\"", with: "\"").replacing("\\\\", with: "\\")
        }
        let lower = inside.lowercased()
        guard lower.hasPrefix("remote.") else { return nil }
        return String(inside.dropFirst("remote.".count))
    }

    /// A value as git reads it: surrounding blanks dropped, double quotes removed, a comment outside quotes cut.
    private static func configurationValue(_ raw: Substring) -> String {
        var value = ""
        var quoted = false
        var escaped = false
        for character in raw {
            if escaped {
                value.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if !quoted && (character == "#" || character == ";") {
                break
            } else {
                value.append(character)
            }
        }
        return value.trimmed(where: { $0.isWhitespace })
    }
}

private extension StringProtocol {
    /// The text without the leading and trailing characters `isTrimmed` accepts.
    func trimmed(where isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
