import IAMPolicy

/// Applies the rules' `supersedes` declarations (``Supersession``) to what the enabled rules reported on one
/// policy: one root cause, one finding.
///
/// A violation is dropped only when a rule that declares it superseded is enabled (it is among `reported`) and
/// reported on the declared place. So `--ignore` of one rule never hides another rule's finding: with the
/// superseding rule ignored, the finding it superseded is reported. A superseded violation still supersedes in
/// turn, so the outcome does not depend on the order of the rules.
enum Precedence {
    /// `reported`, in its order, with the violations another reported violation supersedes removed.
    static func apply(to reported: [(rule: any Rule, violations: [Violation])]) -> [(rule: any Rule, violations: [Violation])] {
        // Descriptions are read only for rules that reported something: a policy has few findings.
        var codes: [String: Int] = [:]
        var declarations: [(index: Int, supersedes: [Supersession])] = []
        // By index: most entries are empty, and copying each out of the array costs more than the rest.
        for index in reported.indices where !reported[index].violations.isEmpty {
            let description = type(of: reported[index].rule).description
            codes[description.code] = index
            if !description.supersedes.isEmpty { declarations.append((index, description.supersedes)) }
        }
        guard !declarations.isEmpty else { return reported }
        var kept = reported
        for (index, supersedes) in declarations {
            let places = reported[index].violations.map(\.pointer)
            for supersession in supersedes {
                guard let superseded = codes[supersession.code] else { continue }
                kept[superseded].violations.removeAll { violation in
                    places.contains { supersession.place.holds(superseded: violation.pointer, superseding: $0) }
                }
            }
        }
        return kept
    }
}

extension Supersession.Place {
    /// Whether a finding at `superseded` lies where a finding at `superseding` supersedes it.
    func holds(superseded: JSONPointer, superseding: JSONPointer) -> Bool {
        switch self {
        case .samePointer:
            return superseded == superseding
        case .misspeltElement(let elements):
            guard superseding.count == superseded.count + 1, superseding.hasPrefix(superseded),
                  let key = superseding.tokens.last else { return false }
            return ElementSpelling.isMisspelling(key, of: elements)
        }
    }
}
