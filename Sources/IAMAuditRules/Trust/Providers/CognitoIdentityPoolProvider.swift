/// Amazon Cognito identity pool tokens (`GetOpenIdToken`), built into AWS: the `Federated` value is
/// `cognito-identity.amazonaws.com` (`cognito-identity.amazonaws.com.cn` in China).
///
/// - `aud`: the identity pool id, `REGION:UUID`: the tenant. Anyone can create an identity pool in their own account
///   and have it mint a token, so a trust that does not pin `aud` admits a stranger's pool. IAM refuses to create
///   or update such a trust now, but trusts written before stay as they are.
/// - `sub`: the identity id, `REGION:UUID`, unique to one identity of one pool: a pin on it keeps strangers out too.
/// - `amr`: `authenticated` or `unauthenticated` and the login provider, which any pool's users have, so it names no
///   tenant.
struct CognitoIdentityPoolProvider: WebIdentityProvider {
    let name = "Cognito"
    let outsider = "a stranger's Cognito identity pool"
    let references = [
        "https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
    ]

    func isIssuer(_ issuer: String) -> Bool {
        issuer == "cognito-identity.amazonaws.com" || issuer == "cognito-identity.amazonaws.com.cn"
            || IssuerText.matches(issuer, "cognito-identity.?*.amazonaws.com") || IssuerText.matches(issuer, "cognito-identity.?*.amazonaws.com.cn")
    }

    func exposedClaims(issuer: String) -> Set<String> { ["aud", "sub", "amr"] }

    /// AWS's examples pair a regional `Federated` host with keys under `cognito-identity.amazonaws.com(.cn)`.
    func acceptsKeyPrefix(_ prefix: String, issuer: String) -> Bool { isIssuer(prefix) }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("aud", .wholeValue, strangerExample: "us-east-1:00000000-0000-4000-8000-000000000000"),
            TenantClaim("sub", .wholeValue, strangerExample: "us-east-1:11111111-1111-4111-8111-111111111111"),
        ]
    }
}
