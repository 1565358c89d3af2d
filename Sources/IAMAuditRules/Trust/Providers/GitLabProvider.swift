/// GitLab CI/CD ID tokens (`id_tokens:`), from GitLab.com or a self-managed instance.
///
/// - Issuer: the instance's URL. `gitlab.com`; a self-managed host is recognised by a host label starting with
///   `gitlab` (`gitlab.example.com`) or by `sub` values in GitLab's grammar.
/// - `sub`: `project_path:GROUP/PROJECT:ref_type:TYPE:ref:REF` by default. A project may choose other components
///   (`ci_id_token_sub_claim_components` in the projects API), with `project_path` first. The top-level group (or
///   the user namespace) is the tenant: anyone can create a group on GitLab.com and run pipelines in it, so a
///   wildcard in the group admits a stranger's pipeline.
/// - `aud`: whatever the job asks for in `id_tokens:`, so it names no tenant.
/// - Condition keys: AWS puts `aud` and `sub` in the request for every issuer, and for `gitlab.com` (since 2026)
///   also `namespace_id`, `project_id`, `user_id`, `user_login`, `user_email`, `user_access_level`,
///   `pipeline_source`, `ref_protected` and `runner_environment`. `namespace_id` and `project_id` name the tenant
///   (ids a stranger's project does not carry); the user claims name who started the pipeline, not whose project
///   it runs in, so they do not.
struct GitLabProvider: WebIdentityProvider {
    let name = "GitLab"
    let outsider = "a stranger's GitLab group"
    let references = [
        "https://docs.gitlab.com/ci/secrets/id_token_authentication/",
        "https://docs.gitlab.com/ci/cloud_services/aws/",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html",
    ]

    /// GitLab.com's issuer.
    static let publicIssuer = "gitlab.com"

    /// Claims AWS exposes for `gitlab.com` beyond `aud` and `sub`.
    static let gitLabComClaims: Set<String> = [
        "namespace_id", "project_id", "user_id", "user_login", "user_email", "user_access_level",
        "pipeline_source", "ref_protected", "runner_environment",
    ]

    func isIssuer(_ issuer: String) -> Bool {
        issuer == Self.publicIssuer || IssuerText.hostHasLabel(issuer, startingWith: ["gitlab"])
    }

    func usesSubjectGrammar(_ value: String) -> Bool { value.hasPrefix("project_path:") }

    func exposedClaims(issuer: String) -> Set<String> {
        issuer == Self.publicIssuer ? Self.gitLabComClaims.union(["aud", "sub"]) : ["aud", "sub"]
    }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        let sub = TenantClaim("sub", .segment(prefix: "project_path:", terminator: "/"),
                              shape: "project_path:*/*:ref_type:*:ref:*",
                              strangerExample: "project_path:stranger-group/any-project:ref_type:branch:ref:main")
        guard issuer == Self.publicIssuer else { return [sub] }
        return [
            sub,
            TenantClaim("namespace_id", .wholeValue, strangerExample: "99999901"),
            TenantClaim("project_id", .wholeValue, strangerExample: "99999902"),
        ]
    }
}
