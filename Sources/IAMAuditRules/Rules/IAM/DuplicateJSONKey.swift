import IAMPolicy

/// IAM014: an object anywhere in the policy document with a repeated key.
public struct DuplicateJSONKey: Rule {
    public static let description = RuleDescription(
        code: "IAM014",
        name: "duplicate-json-key",
        title: "Object has a repeated key",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a key that appears more than once in the same JSON object anywhere in the policy document (a \
        statement, a principal, a condition block, a condition operator), at its first repetition.
        """,
        rationale: """
        JSON leaves the meaning of a repeated key to the reader, and readers disagree: most keep the last value, \
        some the first, some reject the document. IAM accepts such a policy and keeps one of the values, so the \
        policy that is enforced may not be the one a reviewer, a linter or a diff reads. In a condition operator \
        this is dangerous: `"StringLike": {"…:sub": "repo:org/app:ref:refs/heads/main", "…:sub": "repo:org/*"}` \
        reads as pinned to one branch to whoever reads the first line, and may admit every repository of the \
        organisation. Merge the values into one key with a list (`"…:sub": ["a", "b"]`), or delete the stale one.
        """,
        references: [
            "https://www.rfc-editor.org/rfc/rfc8259#section-4",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "s3:DeleteBucket",
                  "Resource": "arn:aws:s3:::example-bucket",
                  "Effect": "Allow"
                }
              ]
            }
            """, pointers: ["/Statement/0/Effect"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:ref:refs/heads/main",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"}
              ],
              "Statement": [
                {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "arn:aws:sqs:eu-north-1:111122223333:orders"}
              ]
            }
            """, pointers: ["/Version", "/Statement"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": [
                        "repo:example-org/example-repo:ref:refs/heads/main",
                        "repo:example-org/example-repo:environment:prod"
                      ]
                    }
                  }
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-bucket"}
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        var path: [Step] = []
        Self.collect(policy.root, at: policy.document.pointer, path: &path, into: &violations)
        return violations
    }

    /// One step from the document down to the object being walked: the pointer is built only for a finding.
    enum Step {
        case key(String)
        case index(Int)
    }

    /// Walks `node` (at `path` below `base`) depth-first, reporting each repeated key of each object once, at
    /// its second occurrence.
    static func collect(_ node: JSONNode, at base: JSONPointer, path: inout [Step], into violations: inout [Violation]) {
        switch node.value {
        case .object(let members):
            var reported: [String] = []
            for repeated in node.duplicateMembers where !reported.contains(repeated.key) {
                reported.append(repeated.key)
                let occurrences = members.filter { $0.key == repeated.key }
                let values = Set(occurrences.map { $0.value.canonicalText() })
                let pointer = path.reduce(base) { pointer, step in
                    switch step {
                    case .key(let key): pointer.appending(key)
                    case .index(let index): pointer.appending(index)
                    }
                }
                violations.append(Violation(pointer: pointer.appending(repeated.key), span: repeated.keySpan,
                                            message: Message.repeated(repeated.key, count: occurrences.count, sameValue: values.count == 1)))
            }
            for member in members where member.value.isContainer {
                path.append(.key(member.key))
                collect(member.value, at: base, path: &path, into: &violations)
                path.removeLast()
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() where element.isContainer {
                path.append(.index(index))
                collect(element, at: base, path: &path, into: &violations)
                path.removeLast()
            }
        default:
            break
        }
    }

    private enum Message {
        static func repeated(_ key: String, count: Int, sameValue: Bool) -> String {
            let times = count == 2 ? "twice" : "\(count) times"
            return "key '\(key)' appears \(times) in the same object, " + (sameValue ? "with the same value" : "with different values; IAM keeps only one of them")
        }
    }
}

private extension JSONNode {
    /// Whether the value is an object or an array (only those can hold keys).
    var isContainer: Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }
}
