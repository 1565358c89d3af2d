import IAMPolicy

/// IAM031: an action pattern of a known service that matches no action.
public struct ActionPatternMatchesNothing: Rule {
    public static let description = RuleDescription(
        code: "IAM031",
        name: "action-pattern-matches-nothing",
        title: "Action pattern matches no action",
        level: .warning,
        securitySeverity: 5.5,
        summary: "Reports an `Action` or `NotAction` value with `*` or `?` whose service is known but which matches none of that service's actions in the catalog (`s3:Get*Objekt`).",
        rationale: """
        A pattern that matches nothing grants (or, in a Deny, refuses) nothing, usually because of a typo in the \
        fixed part. Compare the pattern with the action names in the Service Authorization Reference.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["s3:Get*Objekt", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """, pointers: ["/Statement/0/Action/0"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Deny", "Action": "iam:Delete?olicyVersions", "Resource": "*"}
              ]
            }
            """, pointers: ["/Statement/0/Action"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*Bucket*"], "Resource": "arn:aws:s3:::example-bucket"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "retired-service:Describe*", "Resource": "*"}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let catalog = ActionCatalog.shared
        var violations: [Violation] = []
        for statement in policy.document.statements {
            for item in statement.actionElement?.items ?? [] {
                let value = item.value
                guard value.containsGlobWildcard, let name = ActionName(parsing: value),
                      !name.service.containsGlobWildcard, catalog.service(name.service) != nil,
                      catalog.actions(matching: value).isEmpty else { continue }
                violations.append(Violation(at: item, "action pattern '\(value)' matches no action of '\(name.service)' in the action catalog"))
            }
        }
        return violations
    }
}
