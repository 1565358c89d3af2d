import IAMPolicy

/// IAM020: an `Action` or `NotAction` value that is neither `*` nor `service:action`.
public struct InvalidAction: Rule {
    public static let description = RuleDescription(
        code: "IAM020",
        name: "invalid-action",
        title: "Action is not of the form service:action",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports an `Action` or `NotAction` value that is not `*` and not `service:action`: no colon, more than one \
        colon, an empty service prefix or action name, a service prefix with characters other than letters, digits \
        and hyphens, an action name with characters other than letters, digits, `*` and `?`, or whitespace anywhere.
        """,
        rationale: """
        IAM matches actions by their text, so a malformed action matches no request: IAM rejects the policy \
        ("MalformedPolicyDocument"), or, where a tool drops the value, the statement silently grants or denies less \
        than it says. A Deny with a misspelt action denies nothing, and a NotAction with one excepts nothing. Write each \
        action as the service prefix, one colon and the action name, for example `s3:GetObject`, `ec2:Describe*` or \
        `sts:AssumeRoleWithWebIdentity`, without spaces; use `*` alone for every action. Prefixes and action names are \
        case-insensitive, so `SNS:Publish` is accepted as written. Whether the service and action exist is checked by \
        the action-catalog rules.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        ],
        supersedes: [
            Supersession("IAM030", at: .samePointer, reason: "a malformed action is reported as malformed, not as a name the action catalog lacks"),
            Supersession("IAM031", at: .samePointer, reason: "a malformed action pattern is reported as malformed, not as one that matches no action"),
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3.PutObject", "s3:Get Object"],
                  "Resource": "arn:aws:s3:::example-bucket/*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1", "/Statement/0/Action/2"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "lambda:",
                  "Resource": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"
                },
                {
                  "Effect": "Deny",
                  "NotAction": ["iam:Get*", "iam:List*:*", "cloud_formation:DescribeStacks", "ec2:Describe-Instances"],
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action", "/Statement/1/NotAction/1", "/Statement/1/NotAction/2", "/Statement/1/NotAction/3"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ReadReports",
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:List*", "ec2:Describe*", "execute-api:Invoke"],
                  "Resource": "*"
                },
                {
                  "Sid": "DenyEverythingElse",
                  "Effect": "Deny",
                  "NotAction": ["s3:*", "ec2:Describe*", "execute-api:Invoke"],
                  "Resource": "*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["cloudFormation:DescribeStacks", "SNS:Publish"],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": "*",
                  "Resource": "arn:aws:s3:::example-bucket/*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for statement in policy.document.statements {
            for list in [statement.action, statement.notAction] {
                for item in list?.items ?? [] {
                    if let defect = Self.defect(in: item.value) { violations.append(Violation(at: item, "action '\(item.value)' \(defect)")) }
                }
            }
        }
        return violations
    }

    /// Whether `bytes` is `prefix:name` with an ASCII letter/digit/hyphen prefix and a letter/digit/`*`/`?` name.
    static func isPlainAction(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let classes = byteClasses
        var sawColon = false
        var serviceLength = 0
        var nameLength = 0
        for byte in bytes {
            switch classes[Int(byte)] {
            case .alphanumeric:
                if sawColon { nameLength += 1 } else { serviceLength += 1 }
            case .hyphen:
                if sawColon { return false }
                serviceLength += 1
            case .wildcard:
                if !sawColon { return false }
                nameLength += 1
            case .colon:
                if sawColon { return false }
                sawColon = true
            case .other:
                return false
            }
        }
        return sawColon && serviceLength > 0 && nameLength > 0
    }

    private enum ByteClass { case other, alphanumeric, hyphen, wildcard, colon }

    /// The class of each byte value, looked up once per byte of every action value.
    private static let byteClasses: [ByteClass] = (0...255).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): .alphanumeric
        case UInt8(ascii: "-"): .hyphen
        case UInt8(ascii: "*"), UInt8(ascii: "?"): .wildcard
        case UInt8(ascii: ":"): .colon
        default: .other
        }
    }

    /// What is wrong with `action`, in words after the value, or nil when it is well formed.
    static func defect(in action: String) -> String? {
        if action == "*" { return nil }
        // Fast path: the common well-formed shape, checked on bytes.
        if action.utf8.withContiguousStorageIfAvailable(Self.isPlainAction) ?? Array(action.utf8).withUnsafeBufferPointer(Self.isPlainAction) {
            return nil
        }
        if action.contains(where: \.isWhitespace) { return "contains whitespace" }
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return parts.count < 2 ? "has no service prefix (expected 'service:action', such as 's3:GetObject')" : "has more than one ':'"
        }
        let (service, name) = (parts[0], parts[1])
        if service.isEmpty { return "has an empty service prefix" }
        if name.isEmpty { return "has an empty action name" }
        if !service.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            return "has service prefix '\(service)', which is not letters, digits and hyphens"
        }
        if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "*" || $0 == "?") }) {
            return "has action name '\(name)', which is not letters, digits, '*' and '?'"
        }
        return nil
    }
}
