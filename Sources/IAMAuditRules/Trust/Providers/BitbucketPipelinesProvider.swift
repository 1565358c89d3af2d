/// Bitbucket Pipelines OpenID Connect tokens (`BITBUCKET_STEP_OIDC_TOKEN`, steps with `oidc: true`).
///
/// - Issuer: one per workspace, `api.bitbucket.org/2.0/workspaces/WORKSPACE/pipelines-config/identity/oidc`, so the
///   issuer already keeps other workspaces out.
/// - `sub`: `{REPOSITORY_UUID}:{STEP_UUID}`, or `{REPOSITORY_UUID}{ENVIRONMENT_UUID}:{STEP_UUID}` for a deployment
///   step. The repository is the tenant: every repository of the workspace runs pipelines that get tokens from the
///   same issuer; Atlassian's AWS guide pins it with `{REPOSITORY_UUID}*`.
/// - `aud`: `ari:cloud:bitbucket::workspace/WORKSPACE_UUID` (or audiences the step names), the same for every
///   repository, so it names no repository.
/// - Condition keys: `aud` and `sub`.
struct BitbucketPipelinesProvider: WebIdentityProvider {
    let name = "Bitbucket Pipelines"
    let outsider = "another repository of the Bitbucket workspace"
    let references = [
        "https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/",
        "https://support.atlassian.com/bitbucket-cloud/docs/deploy-on-aws-using-bitbucket-pipelines-openid-connect/",
    ]

    func isIssuer(_ issuer: String) -> Bool {
        IssuerText.matches(issuer, "api.bitbucket.org/2.0/workspaces/?*/pipelines-config/identity/oidc")
    }

    func exposedClaims(issuer: String) -> Set<String> { ["aud", "sub"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("sub", .segment(prefix: "{", terminator: "}"),
                        shape: "{*}*:{*}",
                        strangerExample: "{00000000-0000-4000-8000-000000000000}:{11111111-1111-4111-8111-111111111111}"),
        ]
    }
}
