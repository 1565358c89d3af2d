import IAMPolicy

/// TRUST003: `NotPrincipal` in an `Allow` statement, which grants every principal not listed.
public struct NotPrincipalWithAllow: Rule {
    public static let description = RuleDescription(
        code: "TRUST003",
        name: "not-principal-with-allow",
        title: "NotPrincipal in an Allow statement",
        level: .error,
        securitySeverity: 9.5,
        summary: "Reports a `NotPrincipal` element in an `Allow` statement, in a policy of any kind.",
        rationale: """
        `NotPrincipal` means "every principal except these". With `Allow` it grants the statement's actions to \
        every principal of every account that is not listed, and to anonymous callers too: the list names who is \
        left out, not who gets in. AWS supports `NotPrincipal` only with `Deny` (and not at all in role trust \
        policies or identity policies), and for new policies recommends a `Deny` with a condition on \
        `aws:PrincipalArn` over `NotPrincipal`. Name who is allowed with `Principal`; to carve out exceptions, add \
        a `Deny` statement with `"Principal": "*"` and `ArnNotEquals` on `aws:PrincipalArn`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        ],
        supersedes: [Supersession("IAM011", at: .samePointer, reason: """
            in a trust policy, a `NotPrincipal` with `Allow` is first of all a grant to every principal not listed, \
            which this finding says
            """)],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "EveryoneButTheAuditor",
                  "Effect": "Allow",
                  "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:root"},
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
                },
                {
                  "Sid": "OnlyOpsMayDelete",
                  "Effect": "Deny",
                  "NotPrincipal": {"AWS": ["arn:aws:iam::337909745089:role/ops", "arn:aws:iam::337909745089:root"]},
                  "Action": "s3:DeleteObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
                }
              ]
            }
            """, pointers: ["/Statement/0/NotPrincipal"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": ["arn:aws:iam::337909745089:user/contractor", "arn:aws:iam::337909745089:root"]},
                "Action": "sts:AssumeRole"
              }
            }
            """, pointers: ["/Statement/NotPrincipal"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "OnlyOpsMayDelete",
                  "Effect": "Deny",
                  "NotPrincipal": {"AWS": ["arn:aws:iam::337909745089:role/ops", "arn:aws:iam::337909745089:root"]},
                  "Action": "s3:DeleteObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ReadersOfOurAccount",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::337909745089:role/reader"},
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*"
                },
                {
                  "Sid": "NoDeletesButOps",
                  "Effect": "Deny",
                  "Principal": "*",
                  "Action": "s3:DeleteObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*",
                  "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::337909745089:role/ops"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap { statement in
            guard statement.isAllow, let key = statement.elements.last(where: { $0.value == "NotPrincipal" }) else { return nil }
            guard let element = statement.notPrincipal else { return Violation(at: key, Message.everyoneElse(nil)) }
            return Violation(pointer: element.pointer, span: element.span, message: Message.everyoneElse(element))
        }
    }

    private enum Message {
        static func everyoneElse(_ element: PrincipalElement?) -> String {
            if case .everyone = element?.shape {
                return "'NotPrincipal' \"*\" with 'Allow' leaves out every principal, so the statement grants nothing (NotPrincipal is supported only with 'Deny')"
            }
            let listed = element.map { $0.entries.reduce(0) { $0 + $1.values.items.count } } ?? 0
            let names = switch listed {
            case 0: "no one"
            case 1: "the one principal listed"
            default: "the \(listed) principals listed"
            }
            return "'NotPrincipal' with 'Allow' grants every principal but \(names), anonymous callers included"
        }
    }
}
