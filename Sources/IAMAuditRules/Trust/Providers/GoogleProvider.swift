/// Google ID tokens (`accounts.google.com`), built into AWS: the `Federated` value is the host itself.
///
/// - `accounts.google.com:aud` is the token's `azp` when it has one (the OAuth client that asked, or a service
///   account's unique id), and its `aud` otherwise (the OAuth client id of the application): the tenant.
/// - `accounts.google.com:oaud` is the token's `aud`; for a service account's token it is the audience the caller
///   chose, so it names no tenant.
/// - `accounts.google.com:sub` is the unique id of the Google account or service account: a pin on it keeps
///   strangers out too.
/// - `accounts.google.com:google/organization_number` (numeric, since 2026) names the workload's Google Cloud
///   organization.
/// Anyone with a Google account can get an ID token for an OAuth client of their own, so a trust that pins none of
/// these admits a stranger.
struct GoogleProvider: WebIdentityProvider {
    let name = "Google"
    let outsider = "a stranger's Google client or account"
    let references = [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
        "https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
    ]

    func isIssuer(_ issuer: String) -> Bool { issuer == "accounts.google.com" }

    func exposedClaims(issuer: String) -> Set<String> { ["aud", "oaud", "sub", "google/organization_number"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("aud", .wholeValue, strangerExample: "000000000000-stranger.apps.googleusercontent.com"),
            TenantClaim("sub", .wholeValue, strangerExample: "100000000000000000001"),
            TenantClaim("google/organization_number", .wholeValue, strangerExample: "999999999999"),
        ]
    }
}
