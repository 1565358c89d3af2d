import IAMPolicy

/// What the Allow statements of a permission policy grant on every resource (`"*"`, `arn:*:*:*:*:*`) beyond the
/// environment's resource scope (`docs/design-file.md`).
///
/// With a design that scopes a service, an action of that service on `*` reaches every resource of its type,
/// not only the environment's: for an action that supports resource-level permissions, the scope's patterns
/// that name the resources it acts on are where it belongs; for an action that accepts only `*`, a condition
/// key holding the ARN of a resource the scope names (`lambda:FunctionArn` for
/// `lambda:CreateEventSourceMapping`) is how it is kept inside. Services the design does not scope are the
/// least-privilege rules' question, and so are the statements they report for a more specific reason: `*` and
/// `NotAction` grants (PRIV001, PRIV005), credential reads (PRIV006), IAM writes (PRIV007), `iam:PassRole`
/// (PRIV004), and statements a resource-tag condition scopes. `service:*` grants count: their actions reach
/// beyond the scope as any other's.
///
/// PRIV003 leaves the actions of scoped services (``DesignPlacement/scopedServices``) to the rule that reports
/// this review, so a value gets one finding per action.
struct WildcardScopeReview: Sendable {
    /// Actions that support resource-level permissions, with the scope's patterns naming the resources they
    /// act on (empty when the scope names none).
    struct ScopedGroup: Sendable {
        var patterns: [String]
        var actions: [Action]
    }

    /// An action that accepts only `*`, the condition key that names the resource it acts on, and the scope's
    /// patterns for that resource.
    struct ConditionedAction: Sendable {
        var action: Action
        var key: String
        var patterns: [String]
    }

    /// One value naming every resource, and what it grants beyond the scope.
    struct Item: Sendable {
        var value: Located<String>
        /// The scoped services whose actions the value grants beyond the scope, in order of first appearance.
        var services: [String]
        /// In order of first appearance.
        var groups: [ScopedGroup]
        /// Actions accepting only `*` without a condition on their key that keeps them inside the scope.
        var conditioned: [ConditionedAction]
        /// Whether the statement grants other actions than `conditioned` (so those need a statement of their own).
        var grantsOtherActions: Bool

        var actionCount: Int { groups.reduce(0) { $0 + $1.actions.count } + conditioned.count }
    }

    var items: [Item]

    private static let analysisKey = AnalysisKey<WildcardScopeReview>("WildcardScopeReview")

    /// The review of `policy` in `placement`, computed once per policy.
    static func of(_ policy: Policy, placement: DesignPlacement) -> WildcardScopeReview {
        policy.analyses.value(analysisKey) { WildcardScopeReview(policy, placement: placement) }
    }

    init(_ policy: Policy, placement: DesignPlacement) {
        let scope = placement.scope
        let statements = PermissionStatement.all(in: policy)
        guard !scope.isEmpty, statements.contains(where: { $0.everyResource != nil }) else {
            items = []
            return
        }
        let reads = CredentialReads.of(policy)
        let writes = IAMWrites.of(policy)
        var formats = FormatCache()
        var items: [Item] = []
        for (index, statement) in statements.enumerated() {
            guard let star = statement.everyResource, statement.statement.action != nil, !statement.limitedByResourceTag,
                  reads[index].isEmpty, writes[index].isEmpty else { continue }
            let actions = Self.actions(of: statement)
            // The formats the statement's actions require, for those whose resource types are all optional.
            let preferred = ScopeSuggestion.unique(actions.compactMap { $0.requiredResourceTypes.first?.arnFormat.template })
            var services: [String] = []
            var groups: [ScopedGroup] = []
            var conditioned: [ConditionedAction] = []
            for action in actions {
                guard let patterns = scope[action.service] else { continue }
                if action.supportsResourceLevelPermissions {
                    let template = ScopeSuggestion.arnFormat(of: action, preferring: preferred) ?? ""
                    let format = formats.format(template)
                    let naming = patterns.filter { format.matches($0) }
                    if let group = groups.firstIndex(where: { $0.patterns == naming }) {
                        groups[group].actions.append(action)
                    } else {
                        groups.append(ScopedGroup(patterns: naming, actions: [action]))
                    }
                } else if let found = Self.resourceKey(of: action, patterns: patterns, formats: &formats),
                          !Self.keepsInside(statement, key: found.key, patterns: found.patterns) {
                    conditioned.append(ConditionedAction(action: action, key: found.key, patterns: found.patterns))
                } else {
                    continue
                }
                if !services.contains(action.service) { services.append(action.service) }
            }
            guard !groups.isEmpty || !conditioned.isEmpty else { continue }
            items.append(Item(value: star, services: services, groups: groups, conditioned: conditioned,
                              grantsOtherActions: actions.count > conditioned.count))
        }
        self.items = items
    }

    /// The catalog actions the statement's grants name, `*` and `NotAction` aside, without repeats and without
    /// `iam:PassRole`, in order of first appearance.
    static func actions(of statement: PermissionStatement) -> [Action] {
        var seen = Set<Action>()
        var actions: [Action] = []
        for grant in statement.grants where grant.shape != .everyAction && grant.shape != .notAction {
            let granted = grant.shape == .literal ? (grant.literalAction.map { [$0] } ?? []) : (grant.catalogActions() ?? [])
            for action in granted where action != PassRole.action && seen.insert(action).inserted {
                actions.append(action)
            }
        }
        return actions
    }

    /// For an action that accepts only `*`: its first condition key of its own service that holds the ARN of one
    /// of the service's resource types (`lambda:FunctionArn`: a function) that some of `patterns` name, with
    /// those patterns; nil when it has none.
    ///
    /// A key is taken to hold a resource type's ARN when the catalog types it ARN and its name, without the
    /// service prefix and an `Arn`/`Arns` ending, is the type's name (ignoring case, spaces, hyphens and underscores).
    static func resourceKey(of action: Action, patterns: [String], formats: inout FormatCache) -> (key: String, patterns: [String])? {
        let catalog = ActionCatalog.shared
        guard !action.conditionKeys.isEmpty, let service = catalog.service(action.service) else { return nil }
        let prefix = action.service + ":"
        for key in action.conditionKeys where key.lowercased().hasPrefix(prefix) {
            guard catalog.conditionKey(key)?.types.contains(where: { $0.elementType == .arn }) == true else { continue }
            var name = normalized(key.dropFirst(prefix.count))
            if name.hasSuffix("arns") { name.removeLast(4) } else if name.hasSuffix("arn") { name.removeLast(3) } else { continue }
            guard let type = service.resourceTypes.first(where: { normalized($0.name[...]) == name }) else { continue }
            let format = formats.format(type.arnFormat.template)
            let naming = patterns.filter { format.matches($0) }
            if !naming.isEmpty { return (key, naming) }
        }
        return nil
    }

    private static func normalized(_ name: Substring) -> String {
        String(name.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" })
    }

    /// Whether a condition of `statement` keeps `key` inside `patterns`: a positive, case-sensitive ARN or string
    /// test of the key (not negated, not `…IgnoreCase`, no `IfExists`, not `ForAllValues:`) whose every value
    /// names only ARNs the patterns name.
    static func keepsInside(_ statement: PermissionStatement, key: String, patterns: [String]) -> Bool {
        let wanted = key.lowercased()
        let clauses = statement.statement.condition?.clauses.filter { $0.normalizedKey == wanted } ?? []
        guard !clauses.isEmpty else { return false }
        let scope = ARNPattern.language(anyOf: patterns.compactMap { ResourceScopeReview.pattern($0) })
        return clauses.contains { clause in
            guard let parsed = clause.parsedOperator, !parsed.ifExists, !parsed.base.isNegated, parsed.qualifier != .forAllValues,
                  [.arnEquals, .arnLike, .stringEquals, .stringLike].contains(parsed.base) else { return false }
            let values = clause.values.values.map(\.text)
            return !values.isEmpty && values.allSatisfy { value in
                guard let pattern = ResourceScopeReview.pattern(value) else { return false }
                return pattern.language.isSubset(of: scope)
            }
        }
    }

    /// ARN formats parsed once per template for a review.
    struct FormatCache {
        private var formats: [String: ARNFormat] = [:]

        mutating func format(_ template: String) -> ARNFormat {
            if let format = formats[template] { return format }
            let format = ARNFormat(template)
            formats[template] = format
            return format
        }
    }
}
