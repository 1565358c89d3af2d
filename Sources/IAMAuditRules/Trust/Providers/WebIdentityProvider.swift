import IAMPolicy

/// An OpenID Connect identity provider other than GitHub that a role trust policy can name: how its issuer is
/// recognised, which of its token claims AWS puts in the request, and which claims name the tenant (the group,
/// organization, namespace or client) whose tokens a stranger cannot mint.
///
/// A trust that tests none of the tenant claims, or tests them with a wildcard in the tenant part, a negated
/// operator or an operator that passes when the claim is absent, admits tokens minted for someone else.
///
/// Issuers are compared lowercased, as host and path without the scheme (`gitlab.com`,
/// `oidc.eks.eu-north-1.amazonaws.com/id/0123456789ABCDEF`): the form of an `oidc-provider/…` ARN's resource and
/// of a condition key's prefix.
protocol WebIdentityProvider: Sendable {
    /// The provider's name in messages: `GitLab`.
    var name: String { get }
    /// The tenant that gets in when none is pinned, for messages: `a stranger's GitLab group`, or
    /// `another namespace of the EKS cluster` where the issuer already confines tokens to one organization,
    /// workspace or cluster.
    var outsider: String { get }
    /// Where the provider documents its issuer and claims, and AWS its condition keys.
    var references: [String] { get }

    /// Whether `issuer` (lowercased host and path) is one of the provider's issuers.
    func isIssuer(_ issuer: String) -> Bool
    /// Whether a `sub` value written in a condition has the provider's subject grammar, which marks an issuer the
    /// table does not know by name (a self-managed GitLab host, Terraform Enterprise, a self-managed cluster).
    func usesSubjectGrammar(_ value: String) -> Bool
    /// The claims AWS puts in the request as `<issuer>:<claim>` for tokens of `issuer` (lowercased claim names).
    func exposedClaims(issuer: String) -> Set<String>
    /// Whether a condition key with `prefix` (lowercased) tests tokens of `issuer`: by default the issuer itself.
    func acceptsKeyPrefix(_ prefix: String, issuer: String) -> Bool
    /// The claims that name the tenant, in the order messages name them; `sub` first where it carries the tenant.
    func tenantClaims(issuer: String) -> [TenantClaim]
}

extension WebIdentityProvider {
    func usesSubjectGrammar(_ value: String) -> Bool { false }
    func acceptsKeyPrefix(_ prefix: String, issuer: String) -> Bool { prefix == issuer }
}

/// One claim that names a tenant, and how its value does.
struct TenantClaim: Sendable {
    /// How the value names the tenant.
    enum Encoding: Sendable {
        /// The whole value identifies the tenant: an id (`namespace_id`, a Cognito identity pool id).
        case wholeValue
        /// The tenant is the text after `prefix` up to the first `terminator`: `project_path:GROUP/…`.
        case segment(prefix: String, terminator: Character)
    }

    /// The claim's name, lowercased: `sub`.
    var claim: String
    var encoding: Encoding
    /// The shape of a value the provider mints, as a `StringLike` pattern; a stranger's example is taken inside it
    /// when it can be, so that it reads as a real token's value.
    var shape: String?
    /// A readable value of a stranger's token, tried before any other.
    var strangerExample: String

    init(_ claim: String, _ encoding: Encoding, shape: String? = nil, strangerExample: String) {
        self.claim = claim
        self.encoding = encoding
        self.shape = shape
        self.strangerExample = strangerExample
    }
}

/// Helpers the provider descriptions share.
enum IssuerText {
    /// Whether `issuer` matches the `StringLike`-style `pattern` (`*` any text, `?` one character).
    static func matches(_ issuer: String, _ pattern: String) -> Bool {
        StringPattern(pattern, matching: .wildcard, resolvesVariables: false).matches(issuer)
    }

    /// The host of `issuer`: the text before the first `/`.
    static func host(_ issuer: String) -> Substring {
        issuer.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(issuer)
    }

    /// Whether some DNS label of the host of `issuer` starts with one of `prefixes` (`gitlab` in `gitlab.example.com`).
    static func hostHasLabel(_ issuer: String, startingWith prefixes: [String]) -> Bool {
        host(issuer).split(separator: ".").contains { label in prefixes.contains { label.hasPrefix($0) } }
    }

    /// The text after the last `/` of `issuer` (CircleCI's organization id, EKS's cluster id).
    static func lastPathSegment(_ issuer: String) -> String {
        issuer.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? issuer
    }
}

/// Literal text inside `StringLike` patterns.
enum LiteralPattern {
    /// `text` with `*`, `?` and `$` written as `${*}`, `${?}`, `${$}`, so that a `StringLike` pattern matches it literally.
    static func escaped(_ text: String) -> String {
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
