import IAMPolicy

/// IAM011: `NotPrincipal` in a role trust policy.
public struct NotPrincipalInTrustPolicy: Rule {
    public static let description = RuleDescription(
        code: "IAM011",
        name: "not-principal-in-trust-policy",
        title: "Trust policy uses NotPrincipal",
        level: .error,
        securitySeverity: 8.0,
        summary: "Reports a `NotPrincipal` element in a statement of a role trust policy.",
        rationale: """
        `NotPrincipal` means "every principal except these". IAM does not support it in role trust policies, so \
        the role cannot be created or updated with it; and read as written, an `Allow` with `NotPrincipal` would \
        let every principal in every account, and anonymous callers, assume the role. Name who may assume the \
        role with `Principal`, and narrow it further with conditions (`aws:PrincipalArn`, `sts:ExternalId`, the \
        OIDC `sub` claim); to exclude principals, add a `Deny` statement with `Principal` and a condition on \
        `aws:PrincipalArn`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
                {
                  "Effect": "Deny",
                  "NotPrincipal": {"Service": "lambda.amazonaws.com"},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """, pointers: ["/Statement/1/NotPrincipal"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/example-ci"}, "Action": "sts:AssumeRole"},
                {
                  "Effect": "Deny",
                  "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/example-ci", "arn:aws:iam::111122223333:root"]},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """, pointers: ["/Statement/1/NotPrincipal"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/example-ci"}, "Action": "sts:AssumeRole"}
              ]
            }
            """),
            // TRUST003's finding on the same element supersedes this rule's (reported when TRUST003 is ignored).
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/example-backup", "arn:aws:iam::111122223333:root"]},
                  "Action": "s3:DeleteObject",
                  "Resource": "arn:aws:s3:::example-backup-bucket/*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .trust else { return [] }
        return policy.document.statements.compactMap { statement in
            // TRUST003 supersedes this finding on an Allow statement (it grants everyone else).
            guard let key = statement.elements.last(where: { $0.value == "NotPrincipal" }) else { return nil }
            guard let element = statement.notPrincipal else { return Violation(at: key, Message.notSupported(statement)) }
            return Violation(pointer: element.pointer, span: element.span, message: Message.notSupported(statement))
        }
    }

    private enum Message {
        static func notSupported(_ statement: Statement) -> String {
            if statement.isAllow {
                return "'NotPrincipal' with 'Allow' in a role trust policy: read as written, every principal but those listed may assume the role"
            }
            return "'NotPrincipal' is not supported in a role trust policy"
        }
    }
}
