import IAMPolicy

/// IAM017: a policy longer than IAM's size quota for its kind, whitespace not counted.
public struct PolicyOverSizeQuota: Rule {
    public static let description = RuleDescription(
        code: "IAM017",
        name: "policy-over-size-quota",
        title: "Policy is over IAM's size quota",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a policy whose length without whitespace exceeds IAM's quota: a role trust policy over 2,048 \
        characters (the default quota, which can be raised to 4,096) or over 4,096 (the maximum), a customer \
        managed policy over 6,144, an inline role policy (from `get-role-policy` or an account dump) over 10,240, \
        an inline user policy over 2,048 and an inline group policy over 5,120 (from an account dump). Resource-based \
        policies of other services have their own quotas and are not checked.
        """,
        rationale: """
        IAM refuses to store a policy over its quota (`LimitExceeded`), so the deployment that carries it fails, \
        often only in the account where nobody raised the quota. IAM counts characters without the whitespace \
        outside strings, so reformatting does not help. The inline quota is the sum of all inline policies of the \
        role, so an inline policy under 10,240 may still fail beside others. Shorten the policy: merge statements \
        with the same effect and resources, use action wildcards within one service where they grant nothing \
        extra (`s3:Get*Tagging`), name resources by a prefix pattern, or split the permissions into several \
        managed policies. For a trust policy near the default quota, request the quota increase to 4,096 in \
        Service Quotas.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
        ],
        triggeringExamples: [
            RuleExample(trustPolicy(subjects: 48), pointers: [""]),
            RuleExample(trustPolicy(subjects: 96), pointers: [""]),
            RuleExample(managedPolicy(buckets: 180), pointers: [""]),
        ],
        nonTriggeringExamples: [
            RuleExample(trustPolicy(subjects: 30, indent: 24)),
            RuleExample("""
            {
              "RoleName": "example-deploy",
              "PolicyName": "deploy-permissions",
              "PolicyDocument": \(managedPolicy(buckets: 180))
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """),
        ]
    )

    /// IAM's quotas, in characters without whitespace.
    enum Quota {
        static let trustDefault = 2_048
        static let trustMaximum = 4_096
        static let managed = 6_144
        static let inlineRole = 10_240
        static let inlineUser = 2_048
        static let inlineGroup = 5_120

        /// The kind of policy, in words, and its quota; trust policies have two quotas, handled apart.
        static func limit(_ quotaClass: PolicyQuotaClass) -> (kind: String, quota: Int) {
            switch quotaClass {
            case .trust: ("trust policy", trustMaximum)
            case .managed: ("managed policy", managed)
            case .inlineRole: ("inline role policy", inlineRole)
            case .inlineUser: ("inline user policy", inlineUser)
            case .inlineGroup: ("inline group policy", inlineGroup)
            }
        }
    }

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind != .resource else { return [] }
        let length = policy.compactLength
        let message: String
        switch policy.quotaClass {
        case .trust:
            if length > Quota.trustMaximum {
                message = Message.overTrustMaximum(length)
            } else if length > Quota.trustDefault {
                message = Message.overTrustDefault(length)
            } else {
                return []
            }
        case .managed, .inlineRole, .inlineUser, .inlineGroup:
            let (kind, quota) = Quota.limit(policy.quotaClass)
            guard length > quota else { return [] }
            message = Message.over(kind, length, quota: quota)
        }
        let start = policy.document.span.start
        let openingBrace = SourceSpan(start: start, end: SourcePosition(line: start.line, column: start.column + 1, offset: start.offset + 1))
        return [Violation(pointer: policy.document.pointer, span: openingBrace, message: message)]
    }

    /// `12345` as `12,345`.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    private enum Message {
        static func overTrustDefault(_ length: Int) -> String {
            "trust policy is \(grouped(length)) characters without whitespace, over the default quota of \(grouped(Quota.trustDefault)) (raisable to \(grouped(Quota.trustMaximum)))"
        }
        static func overTrustMaximum(_ length: Int) -> String {
            "trust policy is \(grouped(length)) characters without whitespace, over the maximum quota of \(grouped(Quota.trustMaximum))"
        }
        static func over(_ kind: String, _ length: Int, quota: Int) -> String {
            "\(kind) is \(grouped(length)) characters without whitespace, over the quota of \(grouped(quota))"
        }
    }

    // MARK: Example generators

    /// A GitHub OIDC trust policy pinned to `subjects` exact repositories, each value on its own line
    /// indented by `indent` spaces.
    static func trustPolicy(subjects: Int, indent: Int = 10) -> String {
        let padding = String(repeating: " ", count: indent)
        let values = (1...subjects).map { "\(padding)\"repo:example-org/service-\(threeDigits($0)):environment:prod\"" }.joined(separator: ",\n")
        return """
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
        \(values)
                  ]
                }
              }
            }
          ]
        }
        """
    }

    /// A permission policy reading objects from `buckets` named buckets.
    static func managedPolicy(buckets: Int) -> String {
        let values = (1...buckets).map { "\"arn:aws:s3:::example-reports-\(threeDigits($0))/*\"" }.joined(separator: ", ")
        return """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [\(values)]}]}
        """
    }

    private static func threeDigits(_ number: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }
}
