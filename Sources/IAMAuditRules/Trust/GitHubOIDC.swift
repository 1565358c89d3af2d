import IAMPolicy

/// Facts about GitHub Actions' OpenID Connect tokens as AWS STS reads them.
///
/// References: GitHub, "About security hardening with OpenID Connect"
/// (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect)
/// and AWS, "Configuring a role for GitHub OIDC identity provider"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
public enum GitHubOIDC {
    /// The issuer host of GitHub.com: the provider ARN ends `oidc-provider/token.actions.githubusercontent.com`.
    public static let issuerHost = "token.actions.githubusercontent.com"

    /// The audience `aws-actions/configure-aws-credentials` requests.
    public static let defaultAudience = "sts.amazonaws.com"

    /// Token claims AWS exposes as condition keys `<provider>:<claim>`.
    public static let exposedClaims: Set<String> = [
        "aud", "sub", "job_workflow_ref", "repository", "repository_id", "ref", "environment",
        "workflow", "actor", "actor_id", "enterprise_id",
    ]

    /// Claims of GitHub's token that AWS does not expose: a plain operator on them never matches, an
    /// `IfExists` or negated one always does.
    public static let unexposedClaims: Set<String> = [
        "repository_owner", "repository_owner_id", "repository_visibility", "event_name", "ref_type",
        "ref_protected", "head_ref", "base_ref", "run_id", "run_number", "run_attempt", "runner_environment",
        "workflow_ref", "workflow_sha", "job_workflow_sha", "sha", "enterprise", "check_run_id", "iss", "nbf",
        "exp", "iat", "jti", "amr", "azp",
    ]

    /// Claims whose values only the owner of a repository (or enterprise, or the named user) can make a
    /// token carry: a positive pin on one of them keeps strangers out.
    public static let anchoringClaims: Set<String> = [
        "sub", "job_workflow_ref", "repository", "repository_id", "enterprise_id", "actor", "actor_id",
    ]

    /// Whether `host` is a GitHub Actions issuer: GitHub.com's (optionally with an enterprise slug path,
    /// `token.actions.githubusercontent.com/acme`), a GHE.com data-residency one (`token.actions.acme.ghe.com`) or a
    /// GitHub Enterprise Server's (`github.example.com/_services/token`).
    ///
    /// GitHub Enterprise Server issues tokens from `https://HOST/_services/token`, so its provider ARNs end
    /// `oidc-provider/HOST/_services/token` and its condition keys start `HOST/_services/token:`
    /// (https://docs.github.com/en/enterprise-server@latest/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
    public static func isIssuer(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == issuerHost || lower.hasPrefix(issuerHost + "/") { return true }
        if lower.hasSuffix("/_services/token"), lower.count > "/_services/token".count, !lower.hasPrefix("/") { return true }
        return lower.hasPrefix("token.actions.") && (lower.hasSuffix(".ghe.com") || lower.containsLiteral(".ghe.com/"))
    }

    /// Whether a condition-key prefix looks like it was meant to name a GitHub issuer (for misspellings
    /// such as `token.actions.githubuser.content.com`).
    public static func looksLikeIssuer(_ prefix: String) -> Bool {
        let lower = prefix.lowercased()
        return isIssuer(lower) || lower.containsLiteral("token.actions") || lower.containsLiteral("githubusercontent")
            || EditDistance.distance(lower, issuerHost) <= 4
    }
}

/// A GitHub OIDC identity provider named by a trust policy's `Federated` principal.
public struct GitHubProvider: Sendable, Hashable {
    /// The `Federated` value, located.
    public var principal: Located<String>
    /// The provider ARN, when the value is one.
    public var arn: ARN?
    /// The issuer host and path the condition keys must start with (`token.actions.githubusercontent.com`,
    /// or `token.actions.githubusercontent.com/acme` for an enterprise issuer).
    public var keyPrefix: String

    /// A provider known only from the issuer prefix of its condition keys (the `Federated` value is a template).
    init(principal: Located<String>, keyPrefix: String) {
        self.principal = principal
        self.arn = nil
        self.keyPrefix = keyPrefix
    }

    /// Recognises a `Federated` value naming a GitHub issuer: an `oidc-provider/<host>` ARN or the bare host.
    public init?(_ principal: Located<String>) {
        let value = principal.value
        var host = value
        var arn: ARN?
        if let parsed = ARN(parsing: value) {
            guard parsed.resource.hasPrefix("oidc-provider/") else { return nil }
            host = String(parsed.resource.dropFirst("oidc-provider/".count))
            arn = parsed
        }
        guard GitHubOIDC.isIssuer(host) else { return nil }
        self.principal = principal
        self.arn = arn
        self.keyPrefix = host.lowercased()
    }
}

/// A condition key split at its last colon: `token.actions.githubusercontent.com:sub` → prefix and claim.
struct ConditionKeyName: Hashable {
    var prefix: String
    var claim: String

    init?(_ key: String) {
        guard let colon = key.lastIndex(of: ":") else { return nil }
        prefix = key[..<colon].lowercased()
        claim = key[key.index(after: colon)...].lowercased()
    }
}
