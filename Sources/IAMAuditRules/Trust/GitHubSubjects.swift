import Foundation
import IAMPolicy

/// The parts of a GitHub `sub` value written `repo:OWNER/NAME:CONTEXT`, as far as they are literal.
///
/// Owners and names may carry the immutable-ID suffix GitHub uses since 2026-07-15
/// (`repo:acme@1234/app@5678:ref:refs/heads/main`); the suffix is split off.
public struct GitHubSubjectParts: Sendable, Hashable {
    /// The owner as written before `/`, ID suffix included.
    public var ownerSegment: String
    /// The repository as written between `/` and the next `:`, ID suffix included.
    public var repositorySegment: String?
    /// Everything after the repository's `:`, when present.
    public var context: String?

    /// Splits `value`; nil when it does not start with `repo:`.
    public init?(_ value: String) {
        guard value.hasPrefix("repo:") else { return nil }
        let rest = value.dropFirst("repo:".count)
        guard let slash = rest.firstIndex(of: "/") else {
            ownerSegment = String(rest)
            return
        }
        ownerSegment = String(rest[..<slash])
        let afterSlash = rest[rest.index(after: slash)...]
        if let colon = afterSlash.firstIndex(of: ":") {
            repositorySegment = String(afterSlash[..<colon])
            context = String(afterSlash[afterSlash.index(after: colon)...])
        } else {
            repositorySegment = String(afterSlash)
        }
    }

    /// The owner name without its ID suffix, when written without wildcards or variables.
    public var literalOwner: String? { Self.literalName(ownerSegment) }

    /// The literal text before the first wildcard of an owner segment that has one (`acme` of `acme*`), if any.
    public var literalOwnerPrefix: String? {
        literalOwner == nil ? Self.literalPrefix(ownerSegment) : nil
    }

    /// The text of `segment` before its first wildcard, variable or ID suffix, when not empty.
    static func literalPrefix(_ segment: String) -> String? {
        let prefix = segment.prefix { $0 != "*" && $0 != "?" && $0 != "$" && $0 != "@" }
        return prefix.isEmpty ? nil : String(prefix)
    }

    /// The repository name without its ID suffix, when written without wildcards or variables.
    public var literalRepository: String? { repositorySegment.flatMap(Self.literalName) }

    /// Whether the context part is written without wildcards or variables.
    public var hasLiteralContext: Bool {
        guard let context else { return false }
        return !Self.hasPatternCharacters(context)
    }

    /// The immutable ID after `@` in a segment (`app@5678` → `5678`), when written as digits.
    static func literalID(_ segment: String) -> String? {
        guard let at = segment.lastIndex(of: "@") else { return nil }
        let id = segment[segment.index(after: at)...]
        return !id.isEmpty && id.allSatisfy({ $0.isASCII && $0.isNumber }) ? String(id) : nil
    }

    /// The owner's immutable ID, when written as digits.
    public var ownerID: String? { Self.literalID(ownerSegment) }

    /// The repository's immutable ID, when written as digits.
    public var repositoryID: String? { repositorySegment.flatMap(Self.literalID) }

    static func literalName(_ segment: String) -> String? {
        let name = segment.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? segment
        guard !name.isEmpty, !hasPatternCharacters(name) else { return nil }
        return name
    }

    static func hasPatternCharacters(_ text: String) -> Bool {
        text.containsGlobWildcard || text.containsLiteral("${")
    }
}

/// The owners, repositories, ids, refs and environments a trust policy (and its design) names literally:
/// whoever holds them is the policy's owner; anyone else is a stranger.
public struct GitHubSubjectVocabulary: Sendable {
    /// Owners named literally (or the literal start of a wildcard owner, `acme` of `repo:acme*`), in first-seen order.
    public var owners: [String]
    /// Repositories named literally, as `owner/name`, in first-seen order.
    public var repositories: [String]
    /// Owner ids written literally (`repo:acme@1234/…`, `repository_owner_id:1234`).
    public var ownerIDs: [String]
    /// Repository ids written literally (`repo:acme@1/app@5678:…`, `repository_id` values, `repository_id:5678`).
    public var repositoryIDs: [String]
    /// Enterprise ids written literally.
    public var enterpriseIDs: [String]
    /// Refs named literally (`refs/heads/main`), from subjects, `ref` conditions and the design.
    public var refs: [String]
    /// Environments named literally, from subjects, `environment` conditions and the design.
    public var environments: [String]

    /// Collects names from every value of the trust's GitHub conditions and from the design.
    public init(trust: GitHubTrust, design: Design?) {
        var owners: [String] = []
        var repositories: [String] = []
        var ownerIDs: [String] = []
        var repositoryIDs: [String] = []
        var enterpriseIDs: [String] = []
        var refs: [String] = []
        var environments: [String] = []
        func append(_ value: String, to list: inout [String]) {
            if !value.isEmpty, !list.contains(value) { list.append(value) }
        }
        func add(owner: String, repository: String?) {
            append(owner, to: &owners)
            if let repository { append("\(owner)/\(repository)", to: &repositories) }
        }
        func isLiteral(_ text: String) -> Bool { !GitHubSubjectParts.hasPatternCharacters(text) }
        func addContext(_ context: String) {
            // A wildcard context names what its literal part meant (`ref:refs/heads/main*` meant `main`): a
            // witness then shows another ref.
            let meant = context.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: "")
            guard !meant.contains("${") else { return }
            if meant.hasPrefix("ref:") { append(String(meant.dropFirst(4)), to: &refs) }
            if meant.hasPrefix("environment:") { append(String(meant.dropFirst(12)), to: &environments) }
        }
        if let github = design?.github {
            let parts = github.repository.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { add(owner: parts[0], repository: parts[1]) }
            if let id = github.ownerId { append(id, to: &ownerIDs) }
            if let id = github.repositoryId { append(id, to: &repositoryIDs) }
        }
        for environment in design?.environments ?? [] {
            if let branch = environment.branch { append("refs/heads/\(branch)", to: &refs) }
            if let name = environment.githubEnvironment { append(name, to: &environments) }
        }
        for statement in trust.statements {
            for clause in statement.clauses where clause.isInRequest || clause.looksLikeGitHub {
                // Under an `…IgnoreCase` operator `REPO:ACME/APP` names repository `acme/app` (GitHub's owner and
                // repository names, and environment names, are not case sensitive): read in lowercase.
                let base = clause.clause.parsedOperator?.base
                let ignoresCase = base == .stringEqualsIgnoreCase || base == .stringNotEqualsIgnoreCase
                for value in clause.clause.values.values {
                    let text = ignoresCase ? value.text.lowercased() : value.text
                    switch clause.claim {
                    case "sub":
                        if let parts = GitHubSubjectParts(text) {
                            if let id = parts.ownerID { append(id, to: &ownerIDs) }
                            if let id = parts.repositoryID { append(id, to: &repositoryIDs) }
                            if let owner = parts.literalOwner {
                                // `repo:acme/app*`: the text before the wildcard names the repository meant.
                                add(owner: owner, repository: parts.literalRepository ?? parts.repositorySegment.flatMap(GitHubSubjectParts.literalPrefix))
                            } else if let prefix = parts.literalOwnerPrefix {
                                add(owner: prefix, repository: nil)
                            }
                            if let context = parts.context { addContext(context) }
                        } else {
                            // A custom subject: `KEY:VALUE` pairs.
                            let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                            for index in fields.indices.dropLast() where isLiteral(fields[index + 1]) {
                                switch fields[index] {
                                case "repository_owner": append(fields[index + 1], to: &owners)
                                case "repository_owner_id": append(fields[index + 1], to: &ownerIDs)
                                case "repository_id": append(fields[index + 1], to: &repositoryIDs)
                                case "enterprise_id": append(fields[index + 1], to: &enterpriseIDs)
                                case "repository":
                                    let names = fields[index + 1].split(separator: "/").map(String.init)
                                    if names.count == 2 { add(owner: names[0], repository: names[1]) }
                                default: break
                                }
                            }
                            if let range = text.range(of: "ref:refs/"), isLiteral(String(text[range.lowerBound...])) {
                                append(String(text[text.index(range.lowerBound, offsetBy: 4)...]).split(separator: ":").first.map(String.init) ?? "", to: &refs)
                            }
                        }
                    case "repository", "job_workflow_ref":
                        let names = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                        guard names.count >= 2, let owner = GitHubSubjectParts.literalName(names[0]) else {
                            if let prefix = GitHubSubjectParts.literalPrefix(text), !prefix.contains("/") { append(prefix, to: &owners) }
                            continue
                        }
                        add(owner: owner, repository: GitHubSubjectParts.literalName(names[1].split(separator: "@").first.map(String.init) ?? names[1]))
                    case "repository_id": if isLiteral(text) { append(text, to: &repositoryIDs) }
                    case "enterprise_id": if isLiteral(text) { append(text, to: &enterpriseIDs) }
                    case "ref": if isLiteral(text) { append(text, to: &refs) }
                    case "environment": if isLiteral(text) { append(text, to: &environments) }
                    default: continue
                    }
                }
            }
        }
        self.owners = owners
        self.repositories = repositories
        self.ownerIDs = ownerIDs
        self.repositoryIDs = repositoryIDs
        self.enterpriseIDs = enterpriseIDs
        self.refs = refs
        self.environments = environments
    }

    /// Subjects only the named owners can make a token carry: `repo:OWNER/…`, `repo:OWNER@…`, `repo:…@ID/…`
    /// for a named owner id, a named repository id, and custom subjects that start with a named
    /// `repository_owner`, `repository` (`OWNER/…`), `repository_owner_id`, `repository_id` or `enterprise_id`.
    public var ownerAnchored: PatternSet {
        typealias Layout = GitHubTokenLayout
        var sequences: [[PatternSegment]] = []
        for owner in owners {
            let name = PatternSegment.pattern(StringPattern(owner, matching: .exactIgnoringCase, resolvesVariables: false), excluding: [])
            sequences.append([.literal("repo:"), name, .literal("/"), Layout.anything])
            sequences.append([.literal("repo:"), name, .literal("@"), Layout.anything])
            sequences.append([.literal("repository_owner:"), name])
            sequences.append([.literal("repository_owner:"), name, .literal(":"), Layout.anything])
            sequences.append([.literal("repository:"), name, .literal("/"), Layout.anything])
        }
        for id in ownerIDs {
            sequences.append([.literal("repo:"), .field(excluding: [":", "/", "@"], minimumLength: 1), .literal("@\(id)/"), Layout.anything])
            sequences.append([.literal("repository_owner_id:\(id)")])
            sequences.append([.literal("repository_owner_id:\(id):"), Layout.anything])
        }
        for id in enterpriseIDs {
            sequences.append([.literal("enterprise_id:\(id)")])
            sequences.append([.literal("enterprise_id:\(id):"), Layout.anything])
        }
        for id in repositoryIDs {
            sequences.append([.literal("repo:"), .field(excluding: [":"], minimumLength: 1), .literal("@\(id):"), Layout.anything])
            sequences.append([.literal("repository_id:\(id)")])
            sequences.append([.literal("repository_id:\(id):"), Layout.anything])
        }
        return PatternSet(sequences: sequences)
    }

    /// Subjects of `owner`'s repositories other than the named ones (default template, both forms).
    func otherRepositorySubjects(of owner: String) -> PatternSet {
        let ownerName = PatternSegment.pattern(StringPattern(owner, matching: .exactIgnoringCase, resolvesVariables: false), excluding: [])
        let all = PatternSet(sequences: [[.literal("repo:"), ownerName, .literal("/"), GitHubTokenLayout.anything],
                                         [.literal("repo:"), ownerName, .literal("@"), GitHubTokenLayout.anything]])
        var named: [[PatternSegment]] = []
        for repository in repositories where repository.lowercased().hasPrefix(owner.lowercased() + "/") {
            let name = PatternSegment.pattern(StringPattern(String(repository.dropFirst(owner.count + 1)), matching: .exactIgnoringCase,
                                                            resolvesVariables: false), excluding: [])
            named.append([.literal("repo:"), ownerName, .literal("/"), name, .literal(":"), GitHubTokenLayout.anything])
            named.append([.literal("repo:"), ownerName, .literal("@"), GitHubTokenLayout.id, .literal("/"), name, .literal("@"), GitHubTokenLayout.anything])
        }
        for id in repositoryIDs {
            named.append([.literal("repo:"), .field(excluding: [":"], minimumLength: 1), .literal("@\(id):"), GitHubTokenLayout.anything])
        }
        return all.subtracting(PatternSet(sequences: named))
    }

    /// Subjects of any of `repositories` (`owner/name`), both forms.
    func subjects(ofRepositories repositories: [String]) -> PatternSet {
        var sequences: [[PatternSegment]] = []
        for repository in repositories {
            let parts = repository.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let owner = PatternSegment.pattern(StringPattern(parts[0], matching: .exactIgnoringCase, resolvesVariables: false), excluding: [])
            let name = PatternSegment.pattern(StringPattern(parts[1], matching: .exactIgnoringCase, resolvesVariables: false), excluding: [])
            sequences.append([.literal("repo:"), owner, .literal("/"), name, .literal(":"), GitHubTokenLayout.anything])
            sequences.append([.literal("repo:"), owner, .literal("@"), GitHubTokenLayout.id, .literal("/"), name, .literal("@"),
                              GitHubTokenLayout.id, .literal(":"), GitHubTokenLayout.anything])
        }
        return PatternSet(sequences: sequences)
    }

    /// `text` with `*`, `?` and `$` written as the escapes `${*}`, `${?}`, `${$}`, so a wildcard pattern matches it literally.
    public static func escaped(_ text: String) -> String {
        LiteralPattern.escaped(text)
    }

    /// Literal patterns of `values`.
    static func literals(_ values: [String]) -> [StringPattern] {
        values.map { StringPattern.literal($0) }
    }
}
