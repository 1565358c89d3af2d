import IAMPolicy

/// IAM004: `Version` is not `2012-10-17`.
public struct OutdatedVersion: Rule {
    public static let description = RuleDescription(
        code: "IAM004",
        name: "outdated-version",
        title: "Policy Version is outdated or invalid",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a `Version` element whose value is not `2012-10-17`: the old `2008-10-17` language, or a value \
        IAM does not accept at all.
        """,
        rationale: """
        IAM knows two policy language versions. `2008-10-17` predates policy variables: `${aws:username}`, \
        `${aws:PrincipalTag/…}` and the like are matched as literal text, so a statement scoped with a variable \
        silently matches nothing and the permissions are not what the author reads. Any other value (a date typed \
        from memory, today's date) is not a policy language version and IAM rejects the policy. Write \
        `"Version": "2012-10-17"`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2008-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-home-bucket/home/${aws:username}/*"
                }
              ]
            }
            """, pointers: ["/Version"]),
            RuleExample("""
            {
              "Version": "2024-01-01",
              "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"}]
            }
            """, pointers: ["/Version"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-home-bucket/home/${aws:username}/*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
            }
            """),
        ]
    )

    /// The current policy language version.
    static let current = "2012-10-17"
    /// The earlier version IAM still accepts.
    static let legacy = "2008-10-17"

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        // A missing Version is IAM003's; IAM013 supersedes the finding on an empty one.
        guard let version = policy.document.version, version.value != Self.current else { return [] }
        return [Violation(at: version, version.value == Self.legacy ? Message.legacy : Message.invalid(version.value))]
    }

    private enum Message {
        static let legacy = "Version '\(OutdatedVersion.legacy)' disables policy variables such as '${aws:username}'; use '\(OutdatedVersion.current)'"
        static func invalid(_ value: String) -> String {
            "Version '\(value)' is not a policy language version; IAM rejects it (use '\(OutdatedVersion.current)')"
        }
    }
}
