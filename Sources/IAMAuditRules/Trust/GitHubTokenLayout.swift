import IAMPolicy

/// How the claims of one GitHub Actions token hang together, as sets of `sub` values.
///
/// A token comes from a run: an owner and repository, an event, a ref, maybe an environment, the workflow
/// file the job runs, an actor. Under GitHub's default subject template the `sub` claim is
/// `repo:OWNER/NAME:` followed by `environment:NAME` when the job names an environment, `pull_request` for a
/// `pull_request` event, and `ref:REF` otherwise; since 2026 the owner and repository may carry their
/// immutable ids (`repo:OWNER@ID/NAME@ID:…`). So `repository`, `ref` and `environment` are parts of the
/// subject, and a condition on one of them is a condition on the subject: the *shape* of a token (which
/// context its subject names, which form) fixes which claims the subject carries, which are free, and which
/// are absent (`environment` outside an environment job).
///
/// A repository with a custom subject template (`include_claim_keys`) issues subjects of its own layout:
/// `KEY:VALUE` pairs joined by `:`, the context written bare. Such a subject says nothing reliable about the
/// other claims, so the custom shape leaves them free.
///
/// References: GitHub, "OpenID Connect reference" (subject claims, customising the template)
/// (https://docs.github.com/en/actions/reference/security/oidc);
/// GitHub, "About security hardening with OpenID Connect" — example subject claims
/// (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims);
/// Git, `git check-ref-format` (characters a ref cannot hold) (https://git-scm.com/docs/git-check-ref-format);
/// GitHub, account and repository names (letters, digits and hyphens for owners; also `.` and `_` for repositories).
enum GitHubTokenShape: CaseIterable, Sendable, Hashable {
    /// `repo:OWNER/NAME:ref:REF` (a push, tag, schedule, dispatch or `pull_request_target` run).
    case ref
    /// `repo:OWNER@ID/NAME@ID:ref:REF`.
    case refImmutable
    /// `repo:OWNER/NAME:environment:ENV` (a job that names an environment).
    case environment
    /// `repo:OWNER@ID/NAME@ID:environment:ENV`.
    case environmentImmutable
    /// `repo:OWNER/NAME:pull_request` (a `pull_request` run; its ref is `refs/pull/N/merge`).
    case pullRequest
    /// `repo:OWNER@ID/NAME@ID:pull_request`.
    case pullRequestImmutable
    /// A custom template's subject.
    case custom

    var isImmutable: Bool { self == .refImmutable || self == .environmentImmutable || self == .pullRequestImmutable }

    /// The context the subject names: `ref`, `environment`, `pull_request`, or nil for a custom subject.
    var context: GitHubTokenLayout.Context? {
        switch self {
        case .ref, .refImmutable: .ref
        case .environment, .environmentImmutable: .environment
        case .pullRequest, .pullRequestImmutable: .pullRequest
        case .custom: nil
        }
    }

    /// Where a claim stands in a token of this shape.
    func role(of claim: String) -> GitHubTokenLayout.ClaimRole {
        switch claim {
        case "sub": return .subject
        case "repository": return isImmutable || self == .custom ? .free : .inSubject
        case "ref":
            return context == .ref ? .inSubject : .free
        case "environment":
            switch context {
            case .environment: return .inSubject
            // A custom template of `repo` and `ref` writes the default subject for an environment job too.
            case .ref, nil: return .optional
            case .pullRequest: return .absent
            }
        case "enterprise_id": return .optional
        default: return GitHubOIDC.exposedClaims.contains(claim) ? .free : .absent
        }
    }
}

enum GitHubTokenLayout {
    enum Context: Sendable, Hashable { case ref, environment, pullRequest }

    /// Where a claim stands in a token of one shape.
    enum ClaimRole: Sendable, Hashable {
        /// The `sub` claim itself.
        case subject
        /// Written inside the subject: a condition on it is a condition on the subject.
        case inSubject
        /// Present, its value not tied to the subject.
        case free
        /// Present or absent, as the run has it.
        case optional
        /// Never in a token of this shape.
        case absent
    }

    /// The separators of a subject.
    static let structural: Set<Unicode.Scalar> = [":", "/", "@"]
    /// Scalars no owner, repository or id holds that unfilled templates and placeholders do (`${OWNER}`,
    /// `<owner>`, `{{ repo }}`, `'name'`). The name grammars below exclude these and the separators: every set of the
    /// analysis carries each excluded scalar as a symbol of its own, and the other scalars no name holds (`#`, `%`)
    /// hardly ever appear in a policy, so they are left in: a value holding one is read as a name, which admits more.
    static let placeholderScalars: Set<Unicode.Scalar> = ["$", "{", "}", "<", ">", " ", "[", "]", "(", ")", ",", "'", "\"", "*", "?"]

    /// Scalars an owner (user or organization) name cannot hold (it holds letters, digits and `-`), among those above.
    static let ownerExcluded = structural.union(["_", "."]).union(placeholderScalars)
    /// Scalars a repository name cannot hold (it holds letters, digits, `-`, `_` and `.`), among those above.
    static let nameExcluded = structural.union(placeholderScalars)
    /// Scalars an immutable id cannot hold (ids are digits; letters stay allowed, as the automata tell no
    /// unlisted letter from another).
    static let idExcluded = structural.union(["_", ".", "-"]).union(placeholderScalars)
    /// Scalars read as ending an environment name: GitHub writes the subject's context after the repository's
    /// `:`, and an environment name is read up to the next one.
    static let environmentExcluded: Set<Unicode.Scalar> = [":"]
    /// Scalars a Git ref cannot hold.
    static let refExcluded: Set<Unicode.Scalar> = [":", "?", "*", "[", "\\", "^", "~", " "]


    // MARK: Segments

    static let anything = PatternSegment.field(excluding: [], minimumLength: 0)
    static let owner = PatternSegment.field(excluding: ownerExcluded, minimumLength: 1)
    static let name = PatternSegment.field(excluding: nameExcluded, minimumLength: 1)
    static let id = PatternSegment.field(excluding: idExcluded, minimumLength: 1)
    /// `OWNER/NAME` or `OWNER@ID/NAME@ID`: everything between `repo:` and the context's `:`.
    static let repositoryPart = PatternSegment.field(excluding: [":"], minimumLength: 3)

    /// The segments before the context: `repo:OWNER/NAME` or `repo:OWNER@ID/NAME@ID`.
    static func prefix(immutable: Bool, owner: PatternSegment = owner, name: PatternSegment = name) -> [PatternSegment] {
        immutable ? [.literal("repo:"), owner, .literal("@"), id, .literal("/"), name, .literal("@"), id]
            : [.literal("repo:"), owner, .literal("/"), name]
    }

    /// The segments of the context, with `value` for the ref or environment.
    static func context(_ context: Context, value: PatternSegment? = nil) -> [PatternSegment] {
        switch context {
        case .ref: [.literal(":ref:"), value ?? .field(excluding: refExcluded, minimumLength: 1)]
        case .environment: [.literal(":environment:"), value ?? .field(excluding: environmentExcluded, minimumLength: 1)]
        case .pullRequest: [.literal(":pull_request")]
        }
    }

    /// Every subject of `shape`.
    static func subjects(_ shape: GitHubTokenShape) -> PatternSet {
        shapeSubjects[shape] ?? .empty
    }

    private static let shapeSubjects: [GitHubTokenShape: PatternSet] = {
        // GitHub removes a `.git` suffix from a repository name and reserves `.wiki`.
        var reserved: [[PatternSegment]] = []
        for suffix in [".git", ".wiki"] {
            let text = PatternSegment.pattern(StringPattern(suffix, matching: .exactIgnoringCase, resolvesVariables: false), excluding: [])
            reserved.append([.literal("repo:"), repositoryPart, text, .literal(":"), anything])
            reserved.append([.literal("repo:"), repositoryPart, text, .literal("@"), anything])
            reserved.append([.literal("repo:"), repositoryPart, text])
        }
        let reservedNames = PatternSet(sequences: reserved)
        var result: [GitHubTokenShape: PatternSet] = [:]
        var defaults = PatternSet.empty
        for shape in GitHubTokenShape.allCases {
            guard let context = shape.context else { continue }
            let subjects = PatternSet(sequences: [prefix(immutable: shape.isImmutable) + Self.context(context)]).subtracting(reservedNames)
            result[shape] = subjects
            defaults = defaults.union(subjects)
        }
        // A custom template that writes what the default one does (`repo` and `context`) issues default subjects,
        // whose claims hang together as the default shapes say.
        result[.custom] = customSubjects.subtracting(defaults).subtracting(reservedNames)
        return result
    }()

    /// Claim names a custom template can include; the context is written bare (`ref:…`, `environment:…`,
    /// `pull_request`), and repository custom properties as `repo_property_NAME`.
    static let customKeys = [
        "repo", "context", "ref", "environment", "actor", "actor_id", "base_ref", "event_name", "head_ref", "job_workflow_ref",
        "job_workflow_sha", "ref_type", "ref_protected", "repository", "repository_id", "repository_owner", "repository_owner_id",
        "repository_visibility", "run_attempt", "run_id", "run_number", "runner_environment", "sha", "workflow", "workflow_ref",
        "workflow_sha", "enterprise", "enterprise_id", "check_run_id",
    ]

    /// Subjects a custom template can issue: `KEY:VALUE` pairs joined by `:` (the context written bare:
    /// `ref:…`, `environment:…`, `pull_request`). Values of most claims are free text and may hold `:`, so
    /// after them anything can follow; `repo`, `repository` and `repository_owner` values have a grammar,
    /// and after one of them comes the end or the next pair.
    static let customSubjects: PatternSet = {
        let structured: [String: [PatternSegment]] = [
            "repo": [owner, .literal("/"), name], "repository": [owner, .literal("/"), name], "repository_owner": [owner],
        ]
        var tails: [[PatternSegment]] = customKeys.map { [.literal(":\($0):"), anything] }
        tails.append([.literal(":pull_request")])
        tails.append([.literal(":pull_request:"), anything])
        tails.append([.literal(":repo_property_"), .field(excluding: [":"], minimumLength: 1), .literal(":"), anything])
        var sequences: [[PatternSegment]] = []
        for key in customKeys {
            if let value = structured[key] {
                sequences.append([.literal(key + ":")] + value)
                for tail in tails { sequences.append([.literal(key + ":")] + value + tail) }
            } else {
                sequences.append([.literal(key + ":"), anything])
            }
        }
        sequences.append([.literal("pull_request")])
        sequences.append([.literal("pull_request:"), anything])
        sequences.append([.literal("repo_property_"), .field(excluding: [":"], minimumLength: 1), .literal(":"), anything])
        return PatternSet(sequences: sequences)
    }()

    // MARK: Claims written in the subject

    /// The subjects of `shape` whose `claim` part one of `patterns` matches (`claim` must be `.inSubject`).
    static func subjects(_ shape: GitHubTokenShape, whose claim: String, matchesAnyOf patterns: [StringPattern]) -> PatternSet {
        let sequences: [[PatternSegment]] = patterns.compactMap { pattern in
            switch claim {
            case "repository":
                return [.literal("repo:"), .pattern(pattern, excluding: [":"]), .literal(":"), anything]
            case "ref":
                return [.literal("repo:"), repositoryPart, .literal(":ref:"), .pattern(pattern, excluding: [":"])]
            case "environment":
                return [.literal("repo:"), repositoryPart, .literal(":environment:"), .pattern(pattern, excluding: environmentExcluded)]
            default:
                return nil
            }
        }
        return PatternSet(sequences: sequences).intersection(subjects(shape))
    }

    // MARK: Reading a subject back

    /// The claims a subject of a default-template shape fixes: `repository`, and `ref` or `environment`.
    static func claims(ofSubject subject: String) -> [String: String] {
        guard let parts = GitHubSubjectParts(subject), let repository = parts.repositorySegment, let context = parts.context else { return [:] }
        func bare(_ segment: String) -> String {
            segment.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? segment
        }
        var claims = ["repository": "\(bare(parts.ownerSegment))/\(bare(repository))"]
        if context.hasPrefix("ref:") {
            claims["ref"] = String(context.dropFirst("ref:".count))
        } else if context.hasPrefix("environment:") {
            claims["environment"] = String(context.dropFirst("environment:".count))
        } else if context == "pull_request" {
            claims["ref"] = "refs/pull/1/merge"
        }
        return claims
    }

    /// The values a free claim can take in a token of `shape`.
    static func values(of claim: String, in shape: GitHubTokenShape) -> PatternSet {
        switch claim {
        case "repository":
            return PatternSet(sequences: [[owner, .literal("/"), name]])
        case "ref":
            switch shape.context {
            case .pullRequest: return PatternSet(sequences: [[.literal("refs/pull/"), .field(excluding: refExcluded.union(["/"]), minimumLength: 1), .literal("/merge")]])
            // An environment job runs on pushes and on pull requests alike.
            case .ref: return branchesAndTags
            case .environment, nil: return branchesAndTags.union(PatternSet(sequences: [[.literal("refs/pull/"), .field(excluding: refExcluded.union(["/"]), minimumLength: 1), .literal("/merge")]]))
            }
        case "job_workflow_ref":
            return PatternSet(sequences: [[owner, .literal("/"), name, .literal("/"), .field(excluding: ["@"], minimumLength: 1), .literal("@"),
                                           .field(excluding: [], minimumLength: 1)]])
        case "repository_id", "actor_id", "enterprise_id":
            return PatternSet(sequences: [[id]])
        case "actor":
            // Bots act as `dependabot[bot]`: any name.
            return PatternSet(sequences: [[.field(excluding: [], minimumLength: 1)]])
        case "environment":
            return PatternSet(sequences: [[.field(excluding: environmentExcluded, minimumLength: 1)]])
        case "workflow":
            return PatternSet(sequences: [[.field(excluding: [], minimumLength: 1)]])
        default:
            return .all
        }
    }

    static let branchesAndTags = PatternSet(sequences: [
        [.literal("refs/heads/"), .field(excluding: refExcluded, minimumLength: 1)],
        [.literal("refs/tags/"), .field(excluding: refExcluded, minimumLength: 1)],
    ])
}
