/// Facebook (`graph.facebook.com`), built into AWS: the `Federated` value is the host itself.
///
/// - `graph.facebook.com:app_id` is the Facebook application the user signed in to: the tenant.
/// - `graph.facebook.com:id` is the user's id within it: a pin on it keeps strangers out too.
/// Anyone can register a Facebook application and sign in to it, so a trust that pins neither admits a stranger.
struct FacebookProvider: WebIdentityProvider {
    let name = "Facebook"
    let outsider = "a stranger's Facebook application"
    let references = [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html",
    ]

    func isIssuer(_ issuer: String) -> Bool { issuer == "graph.facebook.com" }

    func exposedClaims(issuer: String) -> Set<String> { ["app_id", "id"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("app_id", .wholeValue, strangerExample: "999999999999999"),
            TenantClaim("id", .wholeValue, strangerExample: "100000000000001"),
        ]
    }
}
