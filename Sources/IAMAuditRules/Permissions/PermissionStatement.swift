import IAMPolicy

/// An Allow statement of a permission policy (identity or resource based), seen as what it grants: its
/// action grants, its resources, and the conditions the least-privilege rules weigh.
///
/// Trust policies have none: what a role trust policy grants is the TRUST and OIDC rules' business.
///
/// A class: the rules pass statements around by the thousand, and a reference is one count to keep where a
/// copy of the statement's fields is dozens.
final class PermissionStatement: Sendable {
    let statement: Statement
    /// One grant per `Action` value, in source order, or one for the `NotAction` element.
    let grants: [ActionGrant]
    /// The first `Resource` value that names every resource (see `namesEveryResource`), if any.
    let everyResource: Located<String>?
    /// Whether a condition limits the statement to resources carrying a tag (attribute-based access control):
    /// see `testsResourceTag(_:)`.
    let limitedByResourceTag: Bool
    /// The services `iam:PassedToService` limits role passing to (values as written), or nil when no positive
    /// condition names one: see `passedToServices(_:)`.
    let passedToServices: [String]?

    /// - Parameter resolved: the catalog action of each value of the statement's `Action` element (see
    ///   ``ResolvedActions``).
    init(_ statement: Statement, resolved: [Action?]) {
        self.statement = statement
        if let action = statement.action {
            grants = zip(action.items, resolved).map { ActionGrant(value: $0, action: $1) }
        } else if let notAction = statement.notAction {
            grants = [ActionGrant(notAction: notAction)]
        } else {
            grants = []
        }
        everyResource = statement.resource?.items.first { Self.namesEveryResource($0.value) }
        let clauses = statement.condition?.clauses ?? []
        limitedByResourceTag = clauses.contains(where: Self.testsResourceTag)
        passedToServices = Self.passedToServices(clauses)
    }

    private static let analysisKey = AnalysisKey<[PermissionStatement]>("PermissionStatements")

    /// The Allow statements of `policy`, computed once per policy; empty for a trust policy.
    static func all(in policy: Policy) -> [PermissionStatement] {
        guard policy.kind != .trust else { return [] }
        return policy.analyses.value(analysisKey) {
            let resolved = ResolvedActions.of(policy)
            return zip(policy.document.statements, resolved).filter { $0.0.isAllow }.map(PermissionStatement.init)
        }
    }

    /// The resource values, empty when the statement uses `NotResource`.
    var resources: [Located<String>] { statement.resource?.items ?? [] }

    /// Whether the statement names its resources by exclusion (`NotResource`), which reaches nearly every resource.
    var excludesResources: Bool { statement.notResource != nil && statement.resource == nil }

    /// The first grant that covers `qualifiedName`, or nil.
    func grant(of qualifiedName: String) -> ActionGrant? {
        grants.first { $0.covers(qualifiedName) }
    }

    /// Whether some resource of the statement can name a resource `action` acts on: a value that names every
    /// resource, a value of one of the action's resource types, or `NotResource`.
    func reaches(_ action: Action) -> Bool {
        if excludesResources || everyResource != nil { return true }
        guard action.supportsResourceLevelPermissions else { return false }
        return resources.contains { !action.resourceTypes(matching: $0.value).isEmpty }
    }

    /// Whether a `Resource` value names every resource: `*` (any run of `*`), or an ARN whose service, region,
    /// account and resource fields are all `*` (`arn:*`, `arn:aws:*:*:*:*`; a final `*` covers the fields a
    /// shorter value leaves out). The partition may be named.
    static func namesEveryResource(_ value: String) -> Bool {
        let star = UInt8(ascii: "*")
        let bytes = value.utf8
        if !bytes.isEmpty && bytes.allSatisfy({ $0 == star }) { return true }
        guard value.hasPrefix("arn:") else { return false }
        // The fields after `arn:`, split at the first four colons (the resource part may hold more).
        var field = 1
        var fieldIsStars = true
        var fieldIsEmpty = true
        var laterFieldsAreStars = true
        for byte in bytes.dropFirst(4) {
            if byte == UInt8(ascii: ":") && field < 5 {
                if field >= 2 && (fieldIsEmpty || !fieldIsStars) { laterFieldsAreStars = false }
                field += 1
                fieldIsStars = true
                fieldIsEmpty = true
            } else {
                fieldIsEmpty = false
                if byte != star { fieldIsStars = false }
            }
        }
        guard !fieldIsEmpty, fieldIsStars else { return false }
        return field == 1 || laterFieldsAreStars
    }

    /// Whether `clause` keeps the statement to resources carrying a tag: a `…:ResourceTag/…` key under
    /// `StringEquals`, `StringEqualsIgnoreCase` or `StringLike` (alone or `ForAnyValue:`, without `IfExists`; any
    /// value, `*` included, needs the tag present), or under `Null` with `false` (the tag must be present).
    static func testsResourceTag(_ clause: ConditionClause) -> Bool {
        let key = clause.normalizedKey
        guard let colon = key.utf8.firstIndex(of: UInt8(ascii: ":")), key[key.index(after: colon)...].hasPrefix("resourcetag/"),
              let parsed = clause.parsedOperator, !parsed.ifExists, parsed.qualifier != .forAllValues,
              !clause.values.items.isEmpty else { return false }
        switch parsed.base {
        case .stringEquals, .stringEqualsIgnoreCase, .stringLike: return true
        case .null: return clause.values.values.allSatisfy { $0.text.lowercased() == "false" }
        default: return false
        }
    }

    /// The values of positive `iam:PassedToService` tests that name services (see `namesServices`), or nil when
    /// there are none.
    static func passedToServices(_ clauses: [ConditionClause]) -> [String]? {
        let limiting = clauses.filter { $0.normalizedKey == "iam:passedtoservice" && namesServices($0) }
        return limiting.isEmpty ? nil : limiting.flatMap { $0.values.values.compactMap(\.stringValue) }
    }

    /// Whether `clause` is a positive string test (see `isPositiveStringTest`) whose values each name a service
    /// principal: none starts with a wildcard (`*.amazonaws.com` admits every service).
    static func namesServices(_ clause: ConditionClause) -> Bool {
        isPositiveStringTest(clause) && clause.values.values.allSatisfy { value in
            guard let text = value.stringValue, let first = text.first else { return false }
            return first != "*" && first != "?"
        }
    }

    /// Whether the clause is `StringEquals`, `StringEqualsIgnoreCase` or `StringLike` (alone or `ForAnyValue:`),
    /// without `IfExists`, with at least one value that is not all wildcards: true only for requests that
    /// carry the key with a value it names.
    static func isPositiveStringTest(_ clause: ConditionClause) -> Bool {
        guard let parsed = clause.parsedOperator, !parsed.ifExists, parsed.qualifier != .forAllValues else { return false }
        guard [.stringEquals, .stringEqualsIgnoreCase, .stringLike].contains(parsed.base) else { return false }
        return clause.values.values.contains { value in
            guard let text = value.stringValue else { return false }
            return !text.isEmpty && !text.allSatisfy { $0 == "*" || $0 == "?" }
        }
    }

    /// Whether a condition clause is a positive ARN or string test (not negated, no `IfExists`, not
    /// `ForAllValues:`) whose values each name specific resources (none reaches every principal or policy).
    static func namesSpecificResources(_ clause: ConditionClause) -> Bool {
        guard let parsed = clause.parsedOperator, !parsed.ifExists, !parsed.base.isNegated, parsed.qualifier != .forAllValues,
              parsed.base.category == .arn || parsed.base.category == .string else { return false }
        let values = clause.values.values.map(\.text)
        return !values.isEmpty && values.allSatisfy { !$0.isEmpty && !namesAnyPrincipal($0) }
    }

    /// Whether an IAM resource value reaches every principal of a kind: its resource part (after the fifth
    /// `:`) is all `*`, or `role/`, `user/`, `group/` or `policy/` followed by nothing but `*`.
    static func namesAnyPrincipal(_ value: String) -> Bool {
        if namesEveryResource(value) { return true }
        let fields = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn" else { return false }
        let resource = fields[5]
        func onlyStars(_ text: Substring) -> Bool { !text.isEmpty && text.allSatisfy { $0 == "*" } }
        if onlyStars(resource) { return true }
        guard let slash = resource.utf8.firstIndex(of: UInt8(ascii: "/")) else { return false }
        return ["role", "user", "group", "policy"].contains(resource[..<slash]) && onlyStars(resource[resource.index(after: slash)...])
    }
}
