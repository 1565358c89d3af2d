import IAMPolicy

/// The IAM write and permissions-management actions each Allow statement of a policy grants on every resource:
/// what PRIV007 reports, and what the rules that also weigh a `*` resource leave to it.
enum IAMWrites {
    /// The catalog's IAM actions at the Write or Permissions management level that can be scoped to resources
    /// (`iam:PassRole` aside), with their qualified names.
    static let actions: [(action: Action, name: String)] = (ActionCatalog.shared.service("iam")?.actions ?? []).filter {
        ($0.accessLevel == .write || $0.accessLevel == .permissionsManagement) && $0.supportsResourceLevelPermissions
            && $0.description != PassRole.name
    }.map { ($0, $0.description) }

    private static let analysisKey = AnalysisKey<[[Action]]>("IAMWrites")

    /// `granted(by:)` of each Allow statement of `policy` (in `PermissionStatement.all(in:)` order), computed once
    /// per policy.
    static func of(_ policy: Policy) -> [[Action]] {
        policy.analyses.value(analysisKey) { PermissionStatement.all(in: policy).map(granted(by:)) }
    }

    /// The IAM write and permissions-management actions with resource-level permissions that `statement`
    /// grants on every resource (`iam:PassRole` aside), in catalog order; empty when it names its resources or
    /// limits them by tag.
    static func granted(by statement: PermissionStatement) -> [Action] {
        guard statement.everyResource != nil, !statement.limitedByResourceTag else { return [] }
        var granted = Set<String>()
        for grant in statement.grants where grant.shape != .everyAction && grant.mayCover(service: "iam") {
            switch grant.shape {
            case .notAction, .everyAction:
                granted.formUnion(actions.filter { grant.covers($0.name) }.map(\.name))
            default:
                granted.formUnion((grant.catalogActions() ?? []).filter { $0.service == "iam" }.map(\.name))
            }
        }
        guard !granted.isEmpty else { return [] }
        let serviceLinkedOnly = statement.statement.condition?.clauses.contains {
            $0.normalizedKey == "iam:awsservicename" && PermissionStatement.namesServices($0)
        } ?? false
        return actions.filter { action, name in
            granted.contains(action.name) && !(serviceLinkedOnly && action.name == "CreateServiceLinkedRole")
        }.map(\.action)
    }
}
