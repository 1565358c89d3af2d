import IAMPolicy

/// OIDC014: a `sub` value in the withdrawn `repo:OWNER-ID/NAME-ID` format.
public struct GitHubSubLegacyIDFormat: Rule {
    public static let description = RuleDescription(
        code: "OIDC014",
        name: "github-sub-legacy-id-format",
        title: "GitHub sub in the withdrawn hyphen-ID format",
        level: .warning,
        securitySeverity: 2.0,
        summary: """
        Reports a `sub` value whose owner and repository both end in a hyphen and a number \
        (`repo:acme-1234/app-5678:…`), the shape of the withdrawn hyphen-ID subject format, which GitHub no \
        longer issues.
        """,
        rationale: """
        GitHub's immutable subject format joins names and IDs with `@`: `repo:OWNER@OWNER_ID/REPO@REPO_ID:…`. \
        A value written with hyphens instead matches no token GitHub issues today, so the statement admits no \
        one and the deploy fails. If the names really end in numbers, ignore this finding for that file.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
        ],
        triggeringExamples: [
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org-1234567/deploy-7654321:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": ["repo:example-org-1234567/deploy-7654321:ref:refs/heads/main"]}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub/0"]),
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org@1234567/deploy@7654321:environment:prod"
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
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:team-42/deploy:environment:prod"
                    }
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let trust = GitHubTrust.of(policy) else { return [] }
        var violations: [Violation] = []
        for statement in trust.statements {
            for item in statement.clauses where item.claim == "sub" && item.matchesProvider {
                for value in item.clause.values.items {
                    guard let parts = GitHubSubjectParts(value.value.text), let repository = parts.repositorySegment,
                          Self.endsWithHyphenID(parts.ownerSegment), Self.endsWithHyphenID(repository) else { continue }
                    violations.append(Violation(at: value, "sub '\(value.value.text)' looks like the withdrawn hyphen-ID format; GitHub writes IDs as 'OWNER@ID/REPO@ID'"))
                }
            }
        }
        return violations
    }

    /// Whether `segment` ends in `-` and at least five digits.
    static func endsWithHyphenID(_ segment: String) -> Bool {
        guard let hyphen = segment.lastIndex(of: "-") else { return false }
        let digits = segment[segment.index(after: hyphen)...]
        return digits.count >= 5 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }
}
