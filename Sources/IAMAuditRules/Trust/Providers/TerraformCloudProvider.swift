import IAMPolicy

/// HCP Terraform (Terraform Cloud) and Terraform Enterprise workload identity tokens (dynamic provider credentials).
///
/// - Issuer: `app.terraform.io`, shared by every organization; a Terraform Enterprise host is recognised by a host
///   label starting with `tfe` or `terraform`, or by `sub` values in the grammar below.
/// - `sub`: `organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE` (a Stack's run:
///   `organization:ORG:project:PROJECT:stack:STACK:…`). The organization is the tenant: anyone can create an
///   organization on HCP Terraform, so a wildcard in it admits a stranger's workspace.
/// - `aud`: `aws.workload.identity` unless the workspace sets `TFC_WORKLOAD_IDENTITY_AUDIENCE`; a stranger's
///   workspace can set the same value, so it names no tenant.
/// - Condition keys: `aud` and `sub`.
struct TerraformCloudProvider: WebIdentityProvider {
    let name = "Terraform Cloud"
    let outsider = "a stranger's Terraform Cloud organization"
    let references = [
        "https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens",
        "https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html",
    ]

    func isIssuer(_ issuer: String) -> Bool {
        issuer == "app.terraform.io" || IssuerText.hostHasLabel(issuer, startingWith: ["tfe", "terraform"])
    }

    /// `organization:` values that are not Buildkite's (`organization:ORG:pipeline:…`).
    func usesSubjectGrammar(_ value: String) -> Bool {
        value.hasPrefix("organization:") && !value.containsLiteral(":pipeline:")
    }

    func exposedClaims(issuer: String) -> Set<String> { ["aud", "sub"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("sub", .segment(prefix: "organization:", terminator: ":"),
                        shape: "organization:*:project:*:workspace:*:run_phase:*",
                        strangerExample: "organization:stranger-org:project:Default Project:workspace:any-workspace:run_phase:apply"),
        ]
    }
}
