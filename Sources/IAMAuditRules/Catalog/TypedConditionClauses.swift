import IAMPolicy

/// A condition clause whose operator parses and whose key the action catalog knows with at least one type:
/// what the rules that weigh an operator against its key's type look at.
struct TypedConditionClause {
    let clause: ConditionClause
    let op: ConditionOperator
    let key: ConditionKey

    /// The typed clauses of every statement of `policy`, in source order.
    static func all(in policy: Policy, catalog: ActionCatalog = .shared) -> [TypedConditionClause] {
        policy.document.statements.flatMap { statement in
            (statement.condition?.clauses ?? []).compactMap { clause in
                guard let op = clause.parsedOperator, let key = catalog.conditionKey(clause.key.value), !key.types.isEmpty else { return nil }
                return TypedConditionClause(clause: clause, op: op, key: key)
            }
        }
    }
}
