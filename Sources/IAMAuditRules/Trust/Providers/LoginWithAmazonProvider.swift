/// Login with Amazon (`www.amazon.com`), built into AWS: the `Federated` value is the host itself.
///
/// - `www.amazon.com:app_id` is the Login with Amazon application (security profile) the user signed in to: the
///   tenant.
/// - `www.amazon.com:user_id` is the user's id: a pin on it keeps strangers out too.
/// Anyone can create a security profile and sign in to it, so a trust that pins neither admits a stranger.
struct LoginWithAmazonProvider: WebIdentityProvider {
    let name = "Login with Amazon"
    let outsider = "a stranger's Login with Amazon application"
    let references = [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html",
    ]

    func isIssuer(_ issuer: String) -> Bool { issuer == "www.amazon.com" }

    func exposedClaims(issuer: String) -> Set<String> { ["app_id", "user_id"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("app_id", .wholeValue, strangerExample: "amzn1.application-oa2-client.stranger"),
            TenantClaim("user_id", .wholeValue, strangerExample: "amzn1.account.STRANGER"),
        ]
    }
}
