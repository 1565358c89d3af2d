import IAMPolicy

/// What one or more conditions require of one token claim: the values that pass, and whether a token
/// without the claim passes.
public struct ClaimConstraint: Sendable {
    /// Claim values that satisfy the conditions.
    public var values: PatternSet
    /// Whether a request without the claim satisfies the conditions.
    public var allowsMissing: Bool

    public init(values: PatternSet, allowsMissing: Bool) {
        self.values = values
        self.allowsMissing = allowsMissing
    }

    /// No condition: every value passes, and so does a missing claim.
    public static let unconstrained = ClaimConstraint(values: .all, allowsMissing: true)

    /// Both constraints at once (the conditions of one statement are ANDed).
    public func intersection(_ other: ClaimConstraint) -> ClaimConstraint {
        ClaimConstraint(values: values.intersection(other.values), allowsMissing: allowsMissing && other.allowsMissing)
    }

    /// Whether every present value passes.
    public var acceptsEveryValue: Bool { values.isUniversal }

    /// What a condition clause requires of the claim it tests, following IAM's evaluation logic: a plain
    /// operator needs the key present and one value to match; a negated operator (`StringNotLike`) needs no
    /// value to match and passes when the key is absent; `…IfExists` passes when the key is absent;
    /// `ForAllValues:` passes when the key is absent (an empty set); `Null` tests presence only.
    ///
    /// Operators that are not string operators are read as placing no constraint on the value (an
    /// over-approximation of what the statement admits). Returns nil for an unknown operator.
    ///
    /// Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
    public static func from(_ clause: ConditionClause, resolvesVariables: Bool = true) -> ClaimConstraint? {
        from(clause, matched: matchedValues(clause, resolvesVariables: resolvesVariables))
    }

    /// The values a string operator's clause matches, before its negation (nil for other operators).
    static func matchedValues(_ clause: ConditionClause, resolvesVariables: Bool) -> PatternSet? {
        guard let base = clause.parsedOperator?.base, base.category == .string else { return nil }
        return PatternSet(anyOf: clause.values.values.compactMap { StringPattern($0.text, operator: base, resolvesVariables: resolvesVariables) })
    }

    /// ``from(_:resolvesVariables:)`` with the values the clause matches already built.
    static func from(_ clause: ConditionClause, matched: PatternSet?) -> ClaimConstraint? {
        guard let op = clause.parsedOperator else { return nil }
        let base = op.base
        var values: PatternSet
        var allowsMissing: Bool
        switch base.category {
        case .string:
            let matched = matched ?? .empty
            values = base.isNegated ? matched.complement() : matched
            allowsMissing = base.isNegated
        case .null:
            let wantsAbsent = clause.values.values.map { $0.text.lowercased() }
            if wantsAbsent.allSatisfy({ $0 == "true" }) {
                values = .empty
                allowsMissing = true
            } else if wantsAbsent.allSatisfy({ $0 == "false" }) {
                values = .all
                allowsMissing = false
            } else {
                values = .all
                allowsMissing = true
            }
            return ClaimConstraint(values: values, allowsMissing: allowsMissing)
        default:
            values = .all
            allowsMissing = base.isNegated
        }
        if op.ifExists { allowsMissing = true }
        switch op.qualifier {
        case .forAllValues: allowsMissing = true
        case .forAnyValue: if !op.ifExists { allowsMissing = false }
        case nil: break
        }
        return ClaimConstraint(values: values, allowsMissing: allowsMissing)
    }
}
