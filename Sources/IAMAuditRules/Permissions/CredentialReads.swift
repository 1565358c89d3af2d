import IAMPolicy

/// The actions that return secret material, and which of them each Allow statement of a policy grants on every
/// resource: what PRIV006 reports, and what the rules that also weigh a `*` resource leave to it.
enum CredentialReads {
    /// The actions that return secret material.
    static let actions = [
        "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt",
    ]

    private static let analysisKey = AnalysisKey<[[(action: String, grant: ActionGrant)]]>("CredentialReads")

    /// `granted(by:)` of each Allow statement of `policy` (in `PermissionStatement.all(in:)` order), computed once
    /// per policy.
    static func of(_ policy: Policy) -> [[(action: String, grant: ActionGrant)]] {
        policy.analyses.value(analysisKey) { PermissionStatement.all(in: policy).map(granted(by:)) }
    }

    /// The credential reads `statement` grants on every resource, each with the first grant that covers it;
    /// empty when the statement names its resources, limits them by tag, or reads only through a service.
    static func granted(by statement: PermissionStatement) -> [(action: String, grant: ActionGrant)] {
        guard statement.everyResource != nil, !statement.limitedByResourceTag, !readsOnlyThroughServices(statement) else { return [] }
        return actions.compactMap { name in
            statement.grants.first { $0.shape != .everyAction && $0.covers(name) }.map { (name, $0) }
        }
    }

    /// Condition keys that limit a request to those another AWS service makes on the principal's behalf.
    static let viaServiceKeys: Set<String> = ["kms:viaservice", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast"]

    /// Whether a condition limits the reads to requests an AWS service makes on the principal's behalf
    /// (`kms:ViaService`, `aws:CalledVia…` naming services), or to ciphertexts of a given encryption context
    /// (a positive test of a `kms:EncryptionContext:…` key): the principal cannot read any secret directly.
    static func readsOnlyThroughServices(_ statement: PermissionStatement) -> Bool {
        statement.statement.condition?.clauses.contains { clause in
            let key = clause.normalizedKey
            if viaServiceKeys.contains(key) { return PermissionStatement.namesServices(clause) }
            if key.hasPrefix("kms:encryptioncontext:") {
                return PermissionStatement.namesSpecificResources(clause)
            }
            return false
        } ?? false
    }
}
