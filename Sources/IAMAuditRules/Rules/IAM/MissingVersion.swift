import IAMPolicy

/// IAM003: the policy has no `Version` element.
public struct MissingVersion: Rule {
    public static let description = RuleDescription(
        code: "IAM003",
        name: "missing-version",
        title: "Policy has no Version element",
        level: .warning,
        securitySeverity: 2.0,
        summary: "Reports a policy document without a top-level `Version` element, at the document's opening brace.",
        rationale: """
        Without `Version`, IAM reads the policy with the 2008-10-17 language rules: policy variables such as \
        `${aws:username}` or `${aws:PrincipalTag/team}` are not substituted but matched as literal text, so a \
        statement scoped with a variable silently matches nothing (an Allow grants less than intended) or nothing \
        is excluded (a Deny with a variable in a negated condition denies less). Add \
        `"Version": "2012-10-17"` as the first element of every policy.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::example-home-bucket/home/${aws:username}/*"
                }
              ]
            }
            """, pointers: [""]),
            RuleExample("""
            {
              "RoleName": "example-deploy",
              "PolicyName": "deploy-permissions",
              "PolicyDocument": {
                "Statement": {"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example-api"}
              }
            }
            """, pointers: ["/PolicyDocument"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::example-home-bucket/home/${aws:username}/*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}],
              "Version": "2012-10-17"
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let document = policy.document
        guard !document.elements.contains(where: { $0.value == "Version" }) else { return [] }
        let start = document.span.start
        let openingBrace = SourceSpan(start: start, end: SourcePosition(line: start.line, column: start.column + 1, offset: start.offset + 1))
        return [Violation(pointer: document.pointer, span: openingBrace, message: Message.missing)]
    }

    private enum Message {
        static let missing = "policy has no 'Version' element; it is read with the 2008-10-17 rules, without policy variables"
    }
}
