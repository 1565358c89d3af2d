import IAMPolicy

/// IAM018: the policy has no `Statement` element, or an empty one.
public struct MissingStatement: Rule {
    public static let description = RuleDescription(
        code: "IAM018",
        name: "missing-statement",
        title: "Policy has no Statement element",
        level: .error,
        securitySeverity: 5.5,
        summary: "Reports a policy document without a top-level `Statement` element, at the document's opening brace.",
        rationale: """
        `Statement` is the one required element of a policy: IAM rejects a document without it, so the deployment \
        that carries it fails. A document with only `Version`, or with its statements under a misspelt key, grants \
        and denies nothing. Add a `Statement` list with at least one statement.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17"
            }
            """, pointers: [""]),
            RuleExample("""
            {
              "PolicyVersion": {
                "Document": {"Version": "2012-10-17", "Id": "empty"},
                "VersionId": "v1"
              }
            }
            """, pointers: ["/PolicyVersion/Document"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-bucket"}
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statements": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-bucket"}]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let document = policy.document
        guard !document.elements.contains(where: { $0.value == "Statement" }) else { return [] }
        let start = document.span.start
        let openingBrace = SourceSpan(start: start, end: SourcePosition(line: start.line, column: start.column + 1, offset: start.offset + 1))
        return [Violation(pointer: document.pointer, span: openingBrace, message: "policy has no 'Statement' element; it grants and denies nothing")]
    }
}
