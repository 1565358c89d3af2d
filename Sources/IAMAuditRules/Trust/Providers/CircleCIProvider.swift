/// CircleCI OpenID Connect tokens (`CIRCLE_OIDC_TOKEN`, `CIRCLE_OIDC_TOKEN_V2`), issued to jobs that use a context.
///
/// - Issuer: one per organization, `oidc.circleci.com/org/ORG_ID`, so the issuer already keeps other
///   organizations out.
/// - `sub`: `org/ORG_ID/project/PROJECT_ID/user/USER_ID` (`…/vcs-origin/ORIGIN/vcs-ref/REF` in the V2 token). The
///   project is the tenant: every project of the organization, and everyone who can push to one, gets tokens
///   from the same issuer.
/// - `aud`: the organization id, the same for every project, so it names no project.
/// - Condition keys: `aud`, `sub` and (since 2026) `oidc.circleci.com/project-id`, which names the project.
struct CircleCIProvider: WebIdentityProvider {
    let name = "CircleCI"
    let outsider = "another project of the CircleCI organization"
    let references = [
        "https://circleci.com/docs/openid-connect-tokens/",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
    ]

    func isIssuer(_ issuer: String) -> Bool { IssuerText.matches(issuer, "oidc.circleci.com/org/?*") }

    func exposedClaims(issuer: String) -> Set<String> { ["aud", "sub", "oidc.circleci.com/project-id"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        let organization = IssuerText.lastPathSegment(issuer)
        let project = "00000000-0000-4000-8000-000000000000"
        return [
            TenantClaim("sub", .segment(prefix: "org/\(organization)/project/", terminator: "/"),
                        shape: "org/\(LiteralPattern.escaped(organization))/project/*/user/*",
                        strangerExample: "org/\(organization)/project/\(project)/user/11111111-1111-4111-8111-111111111111"),
            TenantClaim("oidc.circleci.com/project-id", .wholeValue, strangerExample: project),
        ]
    }
}
