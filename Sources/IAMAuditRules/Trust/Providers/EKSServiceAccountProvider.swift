/// Kubernetes service account tokens of an Amazon EKS cluster (IAM roles for service accounts, IRSA), or of a
/// self-managed cluster that uses the same pod identity webhook.
///
/// - Issuer: the cluster's own, `oidc.eks.REGION.amazonaws.com/id/ID` (`.amazonaws.com.cn` in China); another
///   issuer is recognised by `sub` values in the grammar below. Only pods of the cluster get its tokens, so the
///   issuer already keeps other clusters out.
/// - `sub`: `system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT`. The namespace is the tenant: whoever can create a
///   service account or a pod in any namespace of the cluster can have a token minted, so a trust that does not pin
///   the namespace admits another team's workloads.
/// - `aud`: `sts.amazonaws.com` from the webhook, but a pod can ask for a projected token with any audience, so it
///   names no tenant.
/// - Condition keys: `aud` and `sub`.
struct EKSServiceAccountProvider: WebIdentityProvider {
    let name = "EKS"
    let outsider = "another namespace of the EKS cluster"
    let references = [
        "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html",
        "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
    ]

    func isIssuer(_ issuer: String) -> Bool {
        IssuerText.matches(issuer, "oidc.eks.*.amazonaws.com/id/*") || IssuerText.matches(issuer, "oidc.eks.*.amazonaws.com.cn/id/*")
    }

    func usesSubjectGrammar(_ value: String) -> Bool { value.hasPrefix("system:serviceaccount:") }

    func exposedClaims(issuer: String) -> Set<String> { ["aud", "sub"] }

    func tenantClaims(issuer: String) -> [TenantClaim] {
        [
            TenantClaim("sub", .segment(prefix: "system:serviceaccount:", terminator: ":"),
                        shape: "system:serviceaccount:*:*",
                        strangerExample: "system:serviceaccount:other-namespace:default"),
        ]
    }
}
