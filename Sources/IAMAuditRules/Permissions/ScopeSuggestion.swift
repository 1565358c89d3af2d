/// Words for the least-privilege messages: lists of actions, and the ARN shapes actions can be scoped to.
enum ScopeSuggestion {
    /// The ARN format to scope `action` to: its first required resource type's; for an action whose resource
    /// types are all optional, the one of them in `preferred` if any (the format other actions of the statement
    /// need), else the first; nil when it supports no resource-level permissions.
    static func arnFormat(of action: Action, preferring preferred: [String] = []) -> String? {
        var rank = FormatIndex()
        for template in preferred { _ = rank.insert(ARNFormat(template)) }
        return format(of: action, ranked: rank)?.template
    }

    /// `arnFormat(of:preferring:)` with the preferred formats ranked by position in `rank` (lowest first).
    private static func format(of action: Action, ranked rank: FormatIndex) -> ARNFormat? {
        if let required = action.requiredResourceTypes.first { return required.arnFormat }
        let types = action.resourceTypes
        guard let first = types.first else { return nil }
        if types.count == 1 { return first.arnFormat }
        var best: (rank: Int, format: ARNFormat)?
        for type in types {
            if let position = rank.position(of: type.arnFormat), position < best?.rank ?? Int.max { best = (position, type.arnFormat) }
        }
        return best?.format ?? (action.namedResourceType ?? first).arnFormat
    }

    /// `a, b to FORMAT; c to FORMAT2`: the actions grouped by the ARN format to scope each to, in order of first
    /// appearance, at most `groupLimit` groups (`; and 3 more resource types`) and `limit` action names in all
    /// (`and 5 more`); actions with no format are left out. An action whose resource types are all optional is
    /// grouped with the actions that require one of them (`lambda:TagResource` with the function actions).
    static func scoping(_ actions: [Action], limit: Int = 16, groupLimit: Int = 4, filling known: KnownValues = KnownValues()) -> String {
        var rank = FormatIndex()
        var last: ARNFormat?
        for action in actions {
            // Neighbours mostly share a format (the actions a pattern matches come sorted): one comparison.
            if let required = action.requiredResourceTypes.first?.arnFormat, required !== last {
                _ = rank.insert(required)
                last = required
            }
        }
        // Groups in order of first appearance: each group's size, and its first `limit` actions (no more can be
        // named).
        var groupOf = FormatIndex()
        var sizes: [Int] = []
        var firsts: [[Action]] = []
        var lastGroup: (format: ARNFormat, group: Int)?
        for action in actions {
            guard let format = format(of: action, ranked: rank) else { continue }
            let group: Int
            if let lastGroup, lastGroup.format === format {
                group = lastGroup.group
            } else {
                let (found, isNew) = groupOf.insert(format)
                if isNew {
                    sizes.append(0)
                    firsts.append([])
                }
                group = found
                lastGroup = (format, group)
            }
            sizes[group] += 1
            if firsts[group].count < limit { firsts[group].append(action) }
        }
        let order = groupOf.formats
        var budget = limit
        let shown = order.indices.prefix(groupLimit).map { group in
            let format = order[group]
            let size = sizes[group]
            let count = min(size, budget)
            budget -= count
            let listed = count > 0 ? list(firsts[group].prefix(count).map(label), limit: count)
                : size == 1 ? "1 action" : "\(size) actions"
            return "\(listed)\(size > count && count > 0 ? " and \(size - count) more" : "") to \(known.filled(format.template))"
        }.joined(separator: "; ")
        let hidden = order.count - min(order.count, groupLimit)
        return hidden == 0 ? shown : shown + "; and \(hidden) more resource type\(hidden == 1 ? "" : "s")"
    }

    /// ARN formats numbered in order of first insertion. A statement's actions need a handful of formats, so
    /// a lookup is a scan that mostly compares references; past `scanLimit` formats a dictionary takes over.
    private struct FormatIndex {
        private(set) var formats: [ARNFormat] = []
        private var positions: [ARNFormat: Int]?
        private static let scanLimit = 24

        func position(of format: ARNFormat) -> Int? {
            if let positions { return positions[format] }
            // References first: most formats met are the very objects already stored.
            if let found = formats.firstIndex(where: { $0 === format }) { return found }
            return formats.firstIndex(of: format)
        }

        /// The position of `format`, and whether it was added now.
        mutating func insert(_ format: ARNFormat) -> (position: Int, inserted: Bool) {
            if let found = position(of: format) { return (found, false) }
            formats.append(format)
            if positions != nil {
                positions?[format] = formats.count - 1
            } else if formats.count > Self.scanLimit {
                positions = Dictionary(uniqueKeysWithValues: formats.enumerated().map { ($1, $0) })
            }
            return (formats.count - 1, true)
        }
    }

    /// The action's name, with a note when it needs resources of more than one type
    /// (`ec2:RunInstances (and 5 more required resource types)`).
    private static func label(_ action: Action) -> String {
        let more = action.requiredResourceTypes.count - 1
        guard more > 0 else { return action.description }
        return "\(action.description) (and \(more) more required resource type\(more == 1 ? "" : "s"))"
    }

    /// The actions of a statement that PRIV003 weighs: those its values other than `*` and `service:*` grant,
    /// without repeats and without `iam:PassRole` (PRIV004's), split by whether they support resource-level
    /// permissions.
    static func actions(of statement: PermissionStatement) -> (scopable: [Action], unscopable: [Action]) {
        // A literal value's action is taken as it is, without a one-element array for each.
        let grants = statement.grants.filter { !$0.isWildcardOfServices }
        let lists = grants.map { $0.shape == .literal ? nil : $0.catalogActions() }
        let total = zip(grants, lists).reduce(0) { sum, pair in
            let (grant, list) = pair
            return sum + (list?.count ?? (grant.literalAction == nil ? 0 : 1))
        }
        var scopable: [Action] = []
        var unscopable: [Action] = []
        scopable.reserveCapacity(total)
        // One value's actions are distinct; only across values can one repeat.
        let deduplicate = grants.count > 1
        var seen = Set<Action>(minimumCapacity: deduplicate ? total : 0)
        let passRole = PassRole.action
        func add(_ action: Action) {
            if deduplicate, !seen.insert(action).inserted { return }
            if action == passRole { return }
            if action.supportsResourceLevelPermissions { scopable.append(action) } else { unscopable.append(action) }
        }
        for (grant, list) in zip(grants, lists) {
            if let list {
                for action in list { add(action) }
            } else if let action = grant.literalAction {
                add(action)
            }
        }
        return (scopable, unscopable)
    }

    /// `a, b, c`, or `a, b, c and 4 more` beyond `limit` names.
    static func list(_ actions: [Action], limit: Int = 20) -> String {
        list(actions.map(\.description), limit: limit)
    }

    /// `a, b, c`, or `a, b, c and 4 more` beyond `limit` names.
    static func list(_ names: [String], limit: Int = 6) -> String {
        guard names.count > limit else { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + " and \(names.count - limit) more"
    }

    /// The elements without repeats, in order of first appearance.
    static func unique<Element: Hashable>(_ elements: [Element]) -> [Element] {
        var seen = Set<Element>()
        return elements.filter { seen.insert($0).inserted }
    }

    /// The words for where a statement's grant applies: `on every resource`, `on every resource but those
    /// listed in 'NotResource'`, `on the 2 resources listed`.
    static func resourceScope(of statement: PermissionStatement) -> String {
        if statement.everyResource != nil { return "on every resource" }
        if statement.excludesResources { return "on every resource but those in 'NotResource'" }
        let count = statement.resources.count
        return count == 1 ? "on the resource listed" : "on the \(count) resources listed"
    }

    /// `"*"` as it appears in messages: the value in double quotes.
    static func quoted(_ value: String) -> String { "\"\(value)\"" }

    /// What the design knows of the place a policy runs in: its partition, account and region, and the environment's
    /// stack. Scope suggestions name these instead of `${Partition}`, `${Account}`, `${Region}`, `${StackName}`.
    struct KnownValues: Sendable {
        var values: [String: String] = [:]

        init() {}

        /// The values `context`'s design gives (the stack only with the policy's environment).
        init(_ context: RuleContext) {
            guard let design = context.design else { return }
            values["${Partition}"] = design.partition
            if let account = design.account { values["${Account}"] = account }
            if let region = design.region { values["${Region}"] = region }
            if let environment = context.environment, let stack = design.environment(named: environment)?.stackName {
                values["${StackName}"] = stack
            }
        }

        /// `template` with the known placeholders replaced.
        func filled(_ template: String) -> String {
            guard !values.isEmpty, template.utf8.contains(UInt8(ascii: "$")) else { return template }
            // One pass: each `${Name}` the design knows is replaced, every other character kept.
            var result = ""
            var rest = Substring(template)
            while let open = rest.firstRange(of: "${") {
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
                let placeholder = rest[open.lowerBound...close]
                result += rest[..<open.lowerBound]
                result += values[String(placeholder)] ?? String(placeholder)
                rest = rest[rest.index(after: close)...]
            }
            return result + rest
        }
    }
}
