import IAMPolicy

/// IAM010: `Principal` or `NotPrincipal` in a policy declared an identity (permission) policy.
public struct PrincipalInIdentityPolicy: Rule {
    public static let description = RuleDescription(
        code: "IAM010",
        name: "principal-in-identity-policy",
        title: "Identity policy has Principal or NotPrincipal",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a `Principal` or `NotPrincipal` element in a policy that is an identity (permission) policy: one the \
        design lists among an environment's permission policies, or one read from `get-role-policy` or \
        `get-policy-version` output. (A bare file with a principal is inferred to be a trust or resource policy, \
        so this rule needs the policy's kind to be declared.)
        """,
        rationale: """
        An identity-based policy is attached to a user, group or role, and that identity is its principal; IAM \
        rejects one that names a principal ("has prohibited field Principal"), so the deployment fails. A \
        principal in a permission policy usually means the trust policy and the permission policy were swapped, \
        or a resource-based policy (a bucket or key policy) was filed as the role's permissions. Remove the \
        element, or move the statement to the trust or resource policy it belongs to.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/example-deploy"},
                  "Action": "lambda:UpdateFunctionCode",
                  "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example-api"
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal"], kind: .identity),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"},
                {
                  "Effect": "Deny",
                  "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/example-deploy"},
                  "Action": "sqs:DeleteQueue",
                  "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"
                }
              ]
            }
            """, pointers: ["/Statement/1/NotPrincipal"], kind: .identity),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:eu-north-1:111122223333:function:example-api"}
              ]
            }
            """, kind: .identity),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/example-reader"},
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-bucket/*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .identity else { return [] }
        var violations: [Violation] = []
        for statement in policy.document.statements {
            for (name, element) in [("Principal", statement.principal), ("NotPrincipal", statement.notPrincipal)] {
                guard let key = statement.elements.last(where: { $0.value == name }) else { continue }
                if let element {
                    violations.append(Violation(pointer: element.pointer, span: element.span, message: Message.prohibited(name, element)))
                } else {
                    violations.append(Violation(at: key, Message.prohibited(name, nil)))
                }
            }
        }
        return violations
    }

    private enum Message {
        static func prohibited(_ name: String, _ element: PrincipalElement?) -> String {
            let values: [String]
            switch element?.shape {
            case .everyone: values = ["*"]
            case .invalidString(let string): values = [string]
            case .map(let entries): values = entries.flatMap(\.values.values)
            case nil: values = []
            }
            let shown = values.prefix(2).map { "'\($0)'" }.joined(separator: ", ") + (values.count > 2 ? ", …" : "")
            return "'\(name)' is not allowed in an identity (permission) policy" + (shown.isEmpty ? "" : " (\(shown))")
        }
    }
}
