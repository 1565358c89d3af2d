import IAMPolicy

extension Statement {
    /// Whether the statement's `Action` covers `action`, or its `NotAction` leaves it out (`Action` first).
    ///
    /// Action names compare without regard to case, and `*` and `?` in the statement are wildcards
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
    /// A statement with neither element covers nothing.
    func covers(action: String) -> Bool {
        let target = action.lowercased()
        func matches(_ pattern: String) -> Bool {
            StringPattern(pattern.lowercased(), matching: .wildcard, resolvesVariables: false).matches(target)
        }
        if let action = self.action { return action.values.contains(where: matches) }
        if let notAction { return !notAction.values.contains(where: matches) }
        return false
    }
}
