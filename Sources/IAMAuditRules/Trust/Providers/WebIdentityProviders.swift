import IAMPolicy

/// The provider table: every OpenID Connect provider besides GitHub whose trusts iam-audit checks for a pinned
/// tenant (DESIGN.md §6). GitHub's issuers (GitHub.com, enterprise slugs, GHE.com, Enterprise Server) are
/// `GitHubOIDC`'s and are never recognised here.
///
/// | provider | issuer | tenant | tenant claims AWS exposes |
/// |---|---|---|---|
/// | GitLab | `gitlab.com`, self-managed hosts | top-level group of `project_path` | `sub`; `namespace_id`, `project_id` (gitlab.com) |
/// | Terraform Cloud | `app.terraform.io`, Terraform Enterprise hosts | `organization:ORG` | `sub` |
/// | EKS (IRSA) | `oidc.eks.REGION.amazonaws.com/id/ID` (one per cluster) | namespace | `sub` |
/// | CircleCI | `oidc.circleci.com/org/ORG_ID` (one per organization) | project | `sub`, `oidc.circleci.com/project-id` |
/// | Bitbucket Pipelines | `api.bitbucket.org/2.0/workspaces/WS/pipelines-config/identity/oidc` (one per workspace) | repository UUID | `sub` |
/// | Buildkite | `agent.buildkite.com` | `organization:ORG_SLUG` | `sub`, `organization_slug`, `organization_id`, `pipeline_id`, `cluster_id` |
/// | Google | `accounts.google.com` | OAuth client or service account | `aud`, `sub`, `google/organization_number` |
/// | Cognito | `cognito-identity.amazonaws.com` | identity pool | `aud`, `sub` |
enum WebIdentityProviders {
    /// Every provider, in the order recognition tries them.
    static let all: [any WebIdentityProvider] = [
        GitLabProvider(),
        TerraformCloudProvider(),
        EKSServiceAccountProvider(),
        CircleCIProvider(),
        BitbucketPipelinesProvider(),
        BuildkiteProvider(),
        GoogleProvider(),
        FacebookProvider(),
        LoginWithAmazonProvider(),
        CognitoIdentityPoolProvider(),
    ]

    /// The provider of `issuer` (lowercased host and path): by name, or else by the grammar of `subjects`, the
    /// `sub` values the trust writes under the issuer's keys. Nil for GitHub's issuers and for issuers neither
    /// names.
    static func provider(forIssuer issuer: String, subjects: [String] = []) -> (any WebIdentityProvider)? {
        guard !isGitHub(issuer) else { return nil }
        if let named = all.first(where: { $0.isIssuer(issuer) }) { return named }
        return all.first { provider in subjects.contains { provider.usesSubjectGrammar($0) } }
    }

    /// Whether `issuer` is one of GitHub's: GitHub.com's (with or without an enterprise slug), GHE.com's, or an
    /// Enterprise Server host's `HOST/_services/token`.
    static func isGitHub(_ issuer: String) -> Bool {
        GitHubOIDC.isIssuer(issuer) || issuer.hasSuffix("/_services/token")
    }
}
