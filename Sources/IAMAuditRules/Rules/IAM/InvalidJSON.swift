import IAMPolicy

/// IAM001: the file, or a policy document embedded in it as a string, is not valid JSON.
///
/// The engine reports this rule from what the loader finds while reading a file (`reportedBy: .loader`).
public struct InvalidJSON: LoaderReportedRule {
    public static let description = RuleDescription(
        code: "IAM001",
        name: "invalid-json",
        title: "Policy is not valid JSON",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports a file, or a policy document embedded in it as a string, that is not valid UTF-8 JSON, at the line and column where reading stopped.",
        rationale: """
        IAM rejects a policy that is not valid JSON, so the deployment that carries it fails, and no other check can \
        judge it. Common causes are trailing commas, single quotes, comments, unescaped line breaks in strings and \
        files saved as UTF-16. Fix the syntax at the reported position; every other file of the run is still audited.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
            "https://www.rfc-editor.org/rfc/rfc8259",
        ],
        reportedBy: .loader,
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]
            }
            """, pointers: [""]),
            RuleExample("", pointers: [""]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]
            }
            """),
        ]
    )

    public init() {}
}
