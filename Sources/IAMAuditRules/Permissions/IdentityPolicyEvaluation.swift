import IAMPolicy

/// Whether a principal's identity policies can allow a request, read so that a "no" is certain: an Allow's
/// conditions are taken to hold (it may grant) and a Deny's conditions not to hold (it may not apply). A request is
/// allowed when some Allow statement matches it and no unconditional Deny statement does; with nothing allowing it,
/// the implicit deny stands.
///
/// A statement matches a request when its `Action` holds a pattern matching the action (or its `NotAction` none),
/// and its `Resource` a pattern matching the resource ARN (or its `NotResource` none). Action patterns compare
/// ignoring case, resource patterns with case; in both `*` is any run of characters and `?` any one. A policy
/// variable (`${aws:username}`) in a resource pattern takes the reading that allows: any text in an Allow's
/// `Resource` and a Deny's `NotResource`, nothing in a Deny's `Resource` and an Allow's `NotResource`; `${*}`,
/// `${?}` and `${$}` are those characters. An action without resource-level
/// permissions is asked about with the resource `*`, which only a `Resource: "*"` statement matches.
///
/// Permissions boundaries, session policies, service control policies and resource-based policies are not part of
/// the question.
///
/// References: AWS IAM User Guide, "Policy evaluation logic" and "Determining whether a request is allowed or denied
/// within an account" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
/// "IAM JSON policy elements: Action", "NotAction", "Resource", "NotResource"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
public struct IdentityPolicyEvaluation: Sendable {
    /// One statement, its patterns read once.
    struct Rule: Sendable {
        var allows: Bool
        var conditional: Bool
        var actions: [WildcardPattern]
        var actionsNegated: Bool
        var resources: [String]
        var resourcesNegated: Bool
    }

    let rules: [Rule]

    public init(policies: [Policy]) {
        var rules: [Rule] = []
        for statement in policies.flatMap(\.document.statements) {
            guard let effect = statement.parsedEffect, let actions = statement.actionElement,
                  let resources = statement.resourceElement else { continue }
            rules.append(Rule(allows: effect == .allow, conditional: statement.condition != nil,
                              actions: actions.items.map { WildcardPattern(glob: $0.value) },
                              actionsNegated: statement.action == nil,
                              resources: resources.items.map(\.value),
                              resourcesNegated: statement.resource == nil))
        }
        self.rules = rules
    }

    /// Whether some reading of the conditions lets the policies allow `action` (qualified, `sqs:CreateQueue`) on
    /// `resource` (an ARN, or `*` for an action without resource-level permissions).
    public func mayAllow(action: String, resource: String) -> Bool {
        var allowed = false
        for rule in rules where rule.allows || !rule.conditional {
            let actionMatches = rule.actions.contains { $0.matches(action) } != rule.actionsNegated
            guard actionMatches else { continue }
            // A variable reads so that an Allow applies and a Deny does not: any text in an Allow's `Resource` and a
            // Deny's `NotResource`, nothing in a Deny's `Resource` and an Allow's `NotResource`.
            let variablesMatch = rule.allows != rule.resourcesNegated
            let resourceMatches = rule.resources.contains { Self.resource($0, matches: resource, variablesMatch: variablesMatch) } != rule.resourcesNegated
            guard resourceMatches else { continue }
            if !rule.allows { return false }
            allowed = true
        }
        return allowed
    }

    /// Whether some Allow statement grants some action of `service` (on some resource): one of its `Action`
    /// patterns matches an action of the service in the catalog, or its `NotAction` leaves one out.
    public func grantsSomeAction(ofService service: String) -> Bool {
        let names = (ActionCatalog.shared.service(service)?.actions ?? []).map { "\(service):\($0.name)" }
        return rules.contains { rule in
            rule.allows && names.contains { name in rule.actions.contains { $0.matches(name) } != rule.actionsNegated }
        }
    }

    /// Whether resource pattern `pattern` matches `resource`, case-sensitively (``StringPattern``'s wildcards and
    /// escapes); a policy variable matches any text when `variablesMatch`, else the pattern matches nothing.
    static func resource(_ pattern: String, matches resource: String, variablesMatch: Bool) -> Bool {
        let parsed = StringPattern(pattern, matching: .wildcard, resolvesVariables: true)
        if parsed.containsVariables && !variablesMatch { return false }
        return parsed.matches(resource)
    }
}
