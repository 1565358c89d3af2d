import IAMPolicy

/// IAM016: a `Sid` with characters other than ASCII letters and digits.
public struct InvalidSid: Rule {
    public static let description = RuleDescription(
        code: "IAM016",
        name: "invalid-sid",
        title: "Sid has characters other than A-Z, a-z and 0-9",
        level: .warning,
        securitySeverity: 2.0,
        summary: """
        Reports a `Sid` in an identity or role trust policy that holds a character other than an ASCII letter or \
        digit (a space, `-`, `_`, `.`). Resource-based policies of other services (bucket, queue, topic policies), \
        which accept more, are not checked.
        """,
        rationale: """
        IAM accepts only ASCII letters and digits in a `Sid` and rejects a policy with any other character \
        ("Statement IDs (SID) must be alpha-numeric"), so the deployment fails on what looks like a comment. \
        Write the `Sid` in upper camel case instead of with separators: `AllowReadOrders`, not `Allow read-orders`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "Allow read orders", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders"}
              ]
            }
            """, pointers: ["/Statement/0/Sid"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "github-oidc_deploy",
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Sid"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "AllowReadOrders2", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders"}
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "Cross-account read",
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
        // Bucket, queue and topic policies accept more characters; IAM's own policies do not.
        guard policy.kind != .resource else { return [] }
        return policy.document.statements.compactMap { statement in
            guard let sid = statement.sid else { return nil }
            let invalid = Self.invalidCharacters(sid.value)
            guard !invalid.isEmpty else { return nil }
            return Violation(at: sid, Message.invalid(sid.value, characters: invalid))
        }
    }

    /// The distinct characters of `sid` that are not ASCII letters or digits, in order of appearance.
    static func invalidCharacters(_ sid: String) -> [Character] {
        if sid.isASCIIAlphanumeric { return [] }
        var seen = Set<Character>()
        return sid.filter { !($0.isASCII && ($0.isLetter || $0.isNumber)) && seen.insert($0).inserted }.map { $0 }
    }

    private enum Message {
        static func invalid(_ sid: String, characters: [Character]) -> String {
            let shown = characters.map { $0 == " " ? "space" : "'\($0)'" }.joined(separator: ", ")
            return "Sid '\(sid)' has characters other than A-Z, a-z and 0-9: \(shown)"
        }
    }
}
