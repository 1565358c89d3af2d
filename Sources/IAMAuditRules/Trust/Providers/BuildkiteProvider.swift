import IAMPolicy

/// Buildkite Agent OpenID Connect tokens (`buildkite-agent oidc request-token`).
///
/// - Issuer: `agent.buildkite.com`, shared by every organization (AWS also lists keys for
///   `agent.DOMAIN.buildkite.dev` and `.buildkite.site` issuers).
/// - `sub`: `organization:ORG_SLUG:pipeline:PIPELINE_SLUG:ref:REF:commit:COMMIT:step:STEP_KEY`. The organization is
///   the tenant: anyone can create a Buildkite organization, so a wildcard in it admits a stranger's pipeline.
/// - `aud`: whatever the step asks for (`--audience`), so it names no tenant.
/// - Condition keys: `aud`, `sub` and (since 2026) `organization_slug`, `organization_id`, `pipeline_slug`,
///   `pipeline_id`, `cluster_id`, `cluster_name` and `build_branch`. The organization's slug and id and the
///   pipeline's and cluster's UUIDs name the tenant; a pipeline slug, cluster name or branch any organization can
///   repeat does not.
struct BuildkiteProvider: WebIdentityProvider {
    let name = "Buildkite"
    let outsider = "a stranger's Buildkite organization"
    let references = [
        "https://buildkite.com/docs/agent/v3/cli-oidc",
        "https://buildkite.com/docs/pipelines/security/oidc/aws",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
    ]

    func isIssuer(_ issuer: String) -> Bool {
        issuer == "agent.buildkite.com" || IssuerText.matches(issuer, "agent.?*.buildkite.dev")
            || IssuerText.matches(issuer, "agent.?*.buildkite.site")
    }

    func usesSubjectGrammar(_ value: String) -> Bool {
        value.hasPrefix("organization:") && value.containsLiteral(":pipeline:")
    }

    func exposedClaims(issuer: String) -> Set<String> {
        ["aud", "sub", "organization_slug", "organization_id", "pipeline_slug", "pipeline_id", "cluster_id", "cluster_name", "build_branch"]
    }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("sub", .segment(prefix: "organization:", terminator: ":"),
                        shape: "organization:*:pipeline:*:ref:*:commit:*:step:*",
                        strangerExample: "organization:stranger-org:pipeline:any-pipeline:ref:refs/heads/main:commit:0123456789abcdef0123456789abcdef01234567:step:deploy"),
            TenantClaim("organization_slug", .wholeValue, strangerExample: "stranger-org"),
            TenantClaim("organization_id", .wholeValue, strangerExample: "00000000-0000-4000-8000-000000000000"),
            TenantClaim("pipeline_id", .wholeValue, strangerExample: "11111111-1111-4111-8111-111111111111"),
            TenantClaim("cluster_id", .wholeValue, strangerExample: "22222222-2222-4222-8222-222222222222"),
        ]
    }
}
