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

/// The owners and repositories a trust policy (and its design) names, and the subject sets built from them.
public struct GitHubSubjectVocabulary: Sendable {
    /// Owners named literally, in first-seen order.
    public var owners: [String]
    /// Repositories named literally, as `owner/name`, in first-seen order.
    public var repositories: [String]
    /// Owner IDs written literally in immutable subjects (`repo:acme@1234/…`).
    public var ownerIDs: [String]

    /// Collects names from every `sub` value of the trust and from the design's repository.
    public init(trust: GitHubTrust, design: Design?) {
        var owners: [String] = []
        var repositories: [String] = []
        var ownerIDs: [String] = []
        func add(owner: String, repository: String?) {
            if !owners.contains(owner) { owners.append(owner) }
            if let repository, !repositories.contains("\(owner)/\(repository)") { repositories.append("\(owner)/\(repository)") }
        }
        if let repository = design?.github?.repository {
            let parts = repository.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { add(owner: parts[0], repository: parts[1]) }
        }
        for statement in trust.statements {
            for clause in statement.clauses {
                for value in clause.clause.values.values {
                    switch clause.claim {
                    case "sub":
                        if let parts = GitHubSubjectParts(value.text), let id = parts.ownerID, !ownerIDs.contains(id) {
                            ownerIDs.append(id)
                        }
                        if let parts = GitHubSubjectParts(value.text), let owner = parts.literalOwner {
                            // `repo:acme/app*`: the text before the wildcard names the repository meant.
                            add(owner: owner, repository: parts.literalRepository ?? parts.repositorySegment.flatMap(GitHubSubjectParts.literalPrefix))
                        } else if let parts = GitHubSubjectParts(value.text), let prefix = parts.literalOwnerPrefix {
                            // `repo:acme*`: the text before the wildcard names the owner meant.
                            add(owner: prefix, repository: nil)
                        } else if value.text.hasPrefix("repository_owner:"),
                                  let segment = value.text.dropFirst("repository_owner:".count).split(separator: ":", omittingEmptySubsequences: false).first,
                                  let owner = GitHubSubjectParts.literalName(String(segment)) {
                            add(owner: owner, repository: nil)
                        }
                    case "repository", "job_workflow_ref":
                        let names = value.text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                        guard names.count >= 2, let owner = GitHubSubjectParts.literalName(names[0]),
                              let repository = GitHubSubjectParts.literalName(names[1].split(separator: "@").first.map(String.init) ?? names[1]) else { continue }
                        add(owner: owner, repository: repository)
                    default:
                        continue
                    }
                }
            }
        }
        self.owners = owners
        self.repositories = repositories
        self.ownerIDs = ownerIDs
    }

    /// Subjects only the named owners can make a token carry: `repo:OWNER/…`, `repo:OWNER@ID/…`, and custom
    /// subjects that start with `repository_owner:OWNER`.
    public var ownerAnchored: PatternSet {
        let patterns = owners.flatMap { owner -> [StringPattern] in
            let escaped = Self.escaped(owner)
            return ["repo:\(escaped)/*", "repo:\(escaped)@*", "repository_owner:\(escaped)", "repository_owner:\(escaped):*"]
                .map { StringPattern($0, matching: .wildcard) }
        } + ownerIDs.map { StringPattern("repo:*@\($0)/*", matching: .wildcard) }
        return patterns.isEmpty ? .empty : PatternSet(anyOf: patterns)
    }

    /// Subjects of `owner`'s repositories other than the named ones.
    ///
    /// Named repositories are subtracted one at a time: a union of many immutable-form patterns
    /// (`repo:acme@*/app@*:*`) can exceed the automaton bound, and a bound-exceeded set subtracted would
    /// lose subjects. A step that would exceed the bound is skipped, which keeps the result a superset.
    public func otherRepositories(of owner: String) -> PatternSet {
        let escapedOwner = Self.escaped(owner)
        var result = PatternSet(anyOf: ["repo:\(escapedOwner)/*", "repo:\(escapedOwner)@*/*"].map { StringPattern($0, matching: .wildcard) })
        for repository in repositories where repository.hasPrefix(owner + "/") {
            let name = Self.escaped(String(repository.dropFirst(owner.count + 1)))
            for pattern in ["repo:\(escapedOwner)/\(name):*", "repo:\(escapedOwner)@*/\(name)@*:*"] {
                let next = result.subtracting(PatternSet(StringPattern(pattern, matching: .wildcard)))
                if !next.exceededStateLimit { result = next }
            }
        }
        return result
    }

    /// `text` with `*`, `?` and `$` written as the escapes `${*}`, `${?}`, `${$}`, so a wildcard pattern matches it literally.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "*": result += "${*}"
            case "?": result += "${?}"
            case "$": result += "${$}"
            default: result.append(character)
            }
        }
        return result
    }
}

/// How one `sub` value of an Allow statement widens what the role admits, from the most to the least severe.
public enum GitHubSubjectExposure: Sendable, Hashable {
    /// Subjects of owners the policy does not name (`repo:*`, `repo:acme*`); `example` is one.
    case anyOwner(example: String)
    /// A custom subject that names no owner (`environment:prod`), so any owner's token can carry it.
    case noOwnerAnchor(example: String)
    /// Other repositories of a named owner (`repo:acme/*`).
    case anyRepository(owner: String, example: String)
    /// Refs, environments or events of a named repository beyond the literal ones (`repo:acme/app:*`).
    case anyContext(repository: String, kinds: [String], example: String)
    /// The `pull_request` subject of a repository, which any pull request's workflow run presents.
    case pullRequest(example: String)
}

/// Per-value review of the `sub` conditions of a GitHub trust: what each value lets in.
public struct GitHubSubjectReview: Sendable {
    /// One reviewed value.
    public struct Item: Sendable {
        public var statement: GitHubTrust.FederatedStatement
        public var clause: GitHubTrust.Clause
        public var value: Located<ConditionValue>
        /// The subjects this value admits within its statement (after the statement's other `sub` conditions and Deny statements).
        public var admitted: PatternSet
        /// The most severe exposure, or nil when the value admits only subjects the policy names literally.
        public var exposure: GitHubSubjectExposure?
    }

    public var items: [Item]
    public var vocabulary: GitHubSubjectVocabulary

    private static let analysisKey = AnalysisKey<GitHubSubjectReview?>("GitHubSubjectReview")

    /// The review of `policy`'s GitHub trust, computed once per policy (the design is the run's).
    public static func of(_ policy: Policy, design: Design?) -> GitHubSubjectReview? {
        policy.analyses.value(analysisKey) {
            GitHubTrust.of(policy).map { GitHubSubjectReview(trust: $0, design: design) }
        }
    }

    public init(trust: GitHubTrust, design: Design?) {
        let vocabulary = GitHubSubjectVocabulary(trust: trust, design: design)
        self.vocabulary = vocabulary
        let anchored = vocabulary.ownerAnchored
        let literalSubjects = Self.literalSubjects(trust)
        let denied = trust.statements.filter { $0.statement.isDeny && GitHubTrust.deniesOnSubjectAlone($0) }.map(\.subjects)
        let deniedSet = PatternSet.union(of: denied)
        var items: [Item] = []
        var otherRepositories: [String: PatternSet] = [:]
        for statement in trust.allowStatements where !statement.subjects.isEmpty {
            let within = statement.subjects.subtracting(deniedSet)
            let anchoredElsewhere = Self.isAnchoredByOtherClaims(statement, vocabulary: vocabulary)
            for clause in statement.clauses where clause.claim == "sub" && clause.isInRequest {
                guard let op = clause.clause.parsedOperator, op.base.category == .string, !op.base.isNegated else { continue }
                for value in clause.clause.values.items {
                    guard let pattern = StringPattern(value.value.text, operator: op.base) else { continue }
                    if let literal = pattern.literalValue, !pattern.ignoresCase {
                        // One subject: decided by membership, without building automata per value.
                        guard within.contains(literal) else { continue }
                        let exposure = Self.exposure(ofLiteral: literal, anchored: anchored, anchoredElsewhere: anchoredElsewhere)
                        items.append(Item(statement: statement, clause: clause, value: value, admitted: PatternSet(literal: literal), exposure: exposure))
                        continue
                    }
                    let admitted = PatternSet(pattern).intersection(within)
                    guard !admitted.isEmpty else { continue }
                    let owner = GitHubSubjectParts(value.value.text)?.literalOwner
                    if let owner, otherRepositories[owner] == nil {
                        otherRepositories[owner] = vocabulary.otherRepositories(of: owner)
                    }
                    let exposure = Self.exposure(of: admitted, value: value.value.text, anchored: anchored,
                                                 otherRepositories: owner.flatMap { otherRepositories[$0] },
                                                 literalSubjects: literalSubjects, statementIsAnchoredElsewhere: anchoredElsewhere)
                    items.append(Item(statement: statement, clause: clause, value: value, admitted: admitted, exposure: exposure))
                }
            }
        }
        self.items = items
    }

    /// Subjects written with a literal owner, repository and context (ID slots may be wildcards).
    static func literalSubjects(_ trust: GitHubTrust) -> [StringPattern] {
        var patterns: [StringPattern] = []
        for statement in trust.allowStatements {
            for clause in statement.clauses where clause.claim == "sub" && clause.isInRequest {
                guard let op = clause.clause.parsedOperator, op.base.category == .string, !op.base.isNegated else { continue }
                for value in clause.clause.values.values {
                    guard let parts = GitHubSubjectParts(value.text), parts.literalOwner != nil || parts.ownerID != nil,
                          parts.literalRepository != nil || parts.repositoryID != nil,
                          parts.hasLiteralContext, let pattern = StringPattern(value.text, operator: op.base) else { continue }
                    patterns.append(pattern)
                }
            }
        }
        return patterns
    }

    /// `set` minus each pattern in turn, skipping a step that would exceed the automaton bound (the result
    /// then keeps more strings than exact, never fewer).
    static func subtractingEach(_ set: PatternSet, _ patterns: [StringPattern]) -> PatternSet {
        var result = set
        for pattern in patterns where !result.isEmpty {
            let next = result.subtracting(PatternSet(pattern))
            if !next.exceededStateLimit { result = next }
        }
        return result
    }

    /// Whether a claim other than `sub` pins the statement to named owners (a `repository` or
    /// `job_workflow_ref` inside them, or an ID, enterprise or actor pinned without wildcards).
    static func isAnchoredByOtherClaims(_ statement: GitHubTrust.FederatedStatement, vocabulary: GitHubSubjectVocabulary) -> Bool {
        for claim in GitHubOIDC.anchoringClaims where claim != "sub" {
            guard let constraint = statement.constraints[claim], !constraint.allowsMissing, !constraint.values.isEmpty else { continue }
            switch claim {
            case "repository", "job_workflow_ref":
                let owned = vocabulary.owners.map { StringPattern(GitHubSubjectVocabulary.escaped($0) + "/*", matching: .wildcard) }
                if !owned.isEmpty, constraint.values.isSubset(of: PatternSet(anyOf: owned)) { return true }
            default:
                if !constraint.values.isUniversal, constraint.values.precision == .exact, constraint.values.shortestWitness() != nil,
                   statement.clauses.contains(where: { $0.claim == claim && !($0.clause.values.values.contains { GitHubSubjectParts.hasPatternCharacters($0.text) }) }) {
                    return true
                }
            }
        }
        return false
    }

    /// A member of `set` that reads like a real subject when there is one (`repo:x/x:ref:refs/heads/x`), else any member.
    public static func readableWitness(_ set: PatternSet) -> String? {
        for shape in ["repo:?*/?*:ref:refs/heads/?*", "repo:?*/?*:?*", "repo:?*"] {
            if let witness = set.intersection(PatternSet(StringPattern(shape, matching: .wildcard))).shortestWitness() { return witness }
        }
        return set.shortestWitness()
    }

    /// The exposure of one literal subject: only an owner anchor or the `pull_request` context can be wrong with it.
    static func exposure(ofLiteral subject: String, anchored: PatternSet, anchoredElsewhere: Bool) -> GitHubSubjectExposure? {
        if !anchoredElsewhere, !anchored.contains(subject) {
            return subject.hasPrefix("repo:") ? .anyOwner(example: subject) : .noOwnerAnchor(example: subject)
        }
        if subject.hasPrefix("repo:"), subject.hasSuffix(":pull_request") { return .pullRequest(example: subject) }
        return nil
    }

    static func exposure(of admitted: PatternSet, value: String, anchored: PatternSet, otherRepositories: PatternSet?,
                         literalSubjects: [StringPattern], statementIsAnchoredElsewhere: Bool) -> GitHubSubjectExposure? {
        let parts = GitHubSubjectParts(value)
        // A literal owner segment fixes the owner (GitHub owner names are unique whatever their case).
        if !statementIsAnchoredElsewhere, parts?.literalOwner == nil, parts?.ownerID == nil,
           let example = Self.readableWitness(admitted.subtracting(anchored)) {
            return value.hasPrefix("repo:") ? .anyOwner(example: example) : .noOwnerAnchor(example: example)
        }
        if let owner = parts?.literalOwner, let otherRepositories, parts?.repositoryID == nil, parts?.literalRepository == nil {
            let others = admitted.intersection(otherRepositories)
            if let example = Self.readableWitness(others) {
                return .anyRepository(owner: owner, example: example)
            }
        }
        if let parts, let owner = parts.literalOwner ?? parts.ownerID.map({ "@" + $0 }),
           let repository = parts.literalRepository ?? parts.repositoryID.map({ "@" + $0 }) {
            let beyond = Self.subtractingEach(admitted, literalSubjects)
            if !beyond.isEmpty {
                let base = "repo:\(GitHubSubjectVocabulary.escaped(parts.ownerSegment))/\(GitHubSubjectVocabulary.escaped(parts.repositorySegment ?? repository)):"
                func admits(_ suffix: String) -> Bool {
                    !beyond.intersection(PatternSet(StringPattern(base + suffix, matching: .wildcard))).isEmpty
                }
                var kinds: [String] = []
                if admits("ref:refs/heads/*") { kinds.append("branch") }
                if admits("ref:refs/tags/*") { kinds.append("tag") }
                if admits("environment:*") { kinds.append("environment") }
                let pullRequest = base + "pull_request"
                let pullRequestSet = PatternSet(StringPattern(pullRequest, matching: .wildcard))
                if !beyond.intersection(pullRequestSet).isEmpty { kinds.append("pull_request") }
                let intended = PatternSet(literal: value.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: ""))
                let example = beyond.intersection(pullRequestSet).shortestWitness()
                    ?? beyond.subtracting(intended).shortestWitness() ?? beyond.shortestWitness() ?? value
                if kinds == ["pull_request"] { return .pullRequest(example: example) }
                return .anyContext(repository: "\(owner)/\(repository)", kinds: kinds, example: example)
            }
        }
        let pullRequests = PatternSet(StringPattern("repo:*:pull_request", matching: .wildcard))
        if let example = admitted.intersection(pullRequests).shortestWitness() {
            return .pullRequest(example: example)
        }
        return nil
    }
}
