import IAMPolicy

/// IAM022: a condition operator that is not an IAM condition operator, with a suggestion.
public struct UnknownConditionOperator: Rule {
    public static let description = RuleDescription(
        code: "IAM022",
        name: "unknown-condition-operator",
        title: "Condition operator is not an IAM operator",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a key of the `Condition` element that is not an IAM condition operator (`StringEqual`, \
        `stringEquals`, `ForAnyValues:StringLike`), with the operator it most likely meant. Operator names are \
        matched exactly, case included: an optional `ForAnyValue:` or `ForAllValues:` qualifier, a base operator, \
        and an optional `IfExists` suffix.
        """,
        rationale: """
        IAM does not know what a misspelt operator means. It rejects the policy when it is saved, so the deployment \
        that carries it fails; worse, some tools and converters drop the unknown operator and keep the statement, so \
        a trust policy meant to admit one repository's `main` branch admits every subject the provider issues, and a \
        Deny meant to apply under a condition applies always or never. Spell the operator exactly as IAM defines it \
        (`StringEquals`, `StringLike`, `ForAnyValue:StringLike`, `StringEqualsIfExists`, `Bool`, `IpAddress`, …).
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEqual": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "stringLike": {"token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:ref:refs/heads/main"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEqual", "/Statement/0/Condition/stringLike"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "s3:PutObject",
                  "Resource": "arn:aws:s3:::example-bucket/*",
                  "Condition": {
                    "ForAnyValues:StringLike": {"aws:TagKeys": ["temp-*"]},
                    "DateGreaterThen": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/ForAnyValues:StringLike", "/Statement/0/Condition/DateGreaterThen"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:ref:refs/heads/main"}
                  }
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "ec2:CreateTags",
                  "Resource": "*",
                  "Condition": {
                    "ForAnyValue:StringLike": {"aws:TagKeys": ["temp-*"]},
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]},
                    "StringEqualsIfExists": {"aws:RequestedRegion": "eu-north-1"},
                    "Bool": {"aws:ViaAWSService": "false"},
                    "Null": {"aws:RequestTag/team": "true"}
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        policy.document.statements.compactMap(\.condition).flatMap(\.operators).compactMap { name in
            guard ConditionOperator(parsing: name.value) == nil else { return nil }
            let hint = Self.suggestion(for: name.value).map { " (did you mean '\($0)'?)" } ?? ""
            return Violation(at: name, "unknown condition operator '\(name.value)'\(hint)")
        }
    }

    /// Base operators and their `IfExists` forms (`Null` takes no `IfExists`).
    static let operatorNames: [String] = ConditionOperatorBase.allCases.map(\.rawValue)
        + ConditionOperatorBase.allCases.filter { $0 != .null }.map { $0.rawValue + "IfExists" }
    static let qualifierNames = [ConditionOperator.Qualifier.forAnyValue.rawValue, ConditionOperator.Qualifier.forAllValues.rawValue]

    /// The valid operator `name` most likely meant, or nil when nothing is close.
    static func suggestion(for name: String) -> String? {
        func base(_ text: Substring) -> String? {
            if ConditionOperator(parsing: String(text)) != nil, !text.containsASCII(":") { return String(text) }
            return EditDistance.suggestion(for: String(text), among: operatorNames, maxDistance: 3)
        }
        if let colon = name.firstIndex(of: ":") {
            let qualifier = EditDistance.suggestion(for: String(name[..<colon]), among: qualifierNames, maxDistance: 3)
            return zip2(qualifier, base(name[name.index(after: colon)...])).map { "\($0):\($1)" }
        }
        // A qualifier written without its colon: `ForAnyValueStringLike`.
        for qualifier in qualifierNames where name.lowercased().hasPrefix(qualifier.lowercased()) {
            if let rest = base(name.dropFirst(qualifier.count)) { return "\(qualifier):\(rest)" }
        }
        return base(Substring(name))
    }

    private static func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}
