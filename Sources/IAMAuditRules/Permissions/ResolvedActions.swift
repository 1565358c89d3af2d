import IAMPolicy

/// The catalog action each literal `Action` or `NotAction` value of a policy names, by statement and by value,
/// looked up once per policy: several rules weigh the same values, and each lookup hashes the name twice.
enum ResolvedActions {
    private static let analysisKey = AnalysisKey<[[Action?]]>("ResolvedActions")

    /// For statement `s` and value `v` of its `Action` or `NotAction` element, `of(policy)[s][v]`: the action,
    /// or nil for a value with wildcards or one the catalog does not know.
    static func of(_ policy: Policy) -> [[Action?]] {
        policy.analyses.value(analysisKey) {
            let catalog = ActionCatalog.shared
            return policy.document.statements.map { statement in
                (statement.actionElement?.items ?? []).map { $0.value.containsGlobWildcard ? nil : catalog.action($0.value) }
            }
        }
    }
}
