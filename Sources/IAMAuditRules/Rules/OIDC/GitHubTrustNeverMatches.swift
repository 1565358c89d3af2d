import IAMPolicy

/// OIDC015: no token GitHub issues passes an Allow statement's conditions, so the role can never be assumed through it.
public struct GitHubTrustNeverMatches: Rule {
    public static let description = RuleDescription(
        code: "OIDC015",
        name: "github-trust-never-matches",
        title: "GitHub OIDC trust statement admits no token GitHub issues",
        level: .warning,
        securitySeverity: 2.0,
        summary: """
        Reports an Allow statement trusting a GitHub Actions OIDC provider whose conditions no token can \
        satisfy: a `sub` of a shape GitHub never writes (`repo:OWNER/REPO:main`), a placeholder left in \
        (`YOUR_GITHUB_USERNAME`, `<owner>`), a repository name GitHub does not allow (a `.git` suffix), or \
        conditions that contradict each other. The role cannot be assumed through it: the deploy that relies \
        on it fails.
        """,
        rationale: """
        GitHub's default subject is `repo:OWNER/REPO:` followed by `ref:REF`, `environment:NAME` or \
        `pull_request`; a custom template writes `KEY:VALUE` pairs of known claim names. Owner names hold \
        letters, digits and hyphens; repository names letters, digits, `.`, `-` and `_`, and GitHub removes a \
        `.git` suffix. A value outside these shapes matches nothing, and a statement all of whose ways in are \
        such values (or whose conditions contradict, such as a `pull_request` subject with \
        `ref = refs/heads/main`) never admits anyone. It is not a hole, but it is a broken role, and often \
        a sign that the policy is not the one deployed.
        """,
        references: [
            "https://docs.github.com/en/actions/reference/security/oidc",
            "https://docs.github.com/en/repositories/creating-and-managing-repositories/repository-limits",
            "https://git-scm.com/docs/git-check-ref-format",
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:main"
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:YOUR_GITHUB_USERNAME/*:*"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub"]),
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_request",
                      "token.actions.githubusercontent.com:ref": "refs/heads/main"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition"]),
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
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy.git:ref:refs/heads/main"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub"]),
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
                        "repo:example-org/deploy:main",
                        "repo:example-org/deploy:ref:refs/heads/main"
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
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repository_owner_id:1234:environment:prod"
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
        for (index, statement) in trust.statements.enumerated() {
            // A wrong action or a key never in the request has its own rule (OIDC013, OIDC009, OIDC010).
            guard statement.statement.isAllow, statement.allowsWebIdentity, !statement.principalIsEveryone,
                  statement.blockingClause == nil, !trust.space.admitsAnyToken(index) else { continue }
            let values = statement.clauses.filter { $0.isInRequest && GitHubSubjectReview.isPositivePin($0.clause) }.flatMap { clause in
                clause.clause.values.items.map { (clause, $0) }
            }
            // A `*` or `?` under an exact operator is IAM026's finding: one root cause, one finding.
            guard !values.contains(where: { clause, value in
                clause.clause.parsedOperator?.base.supportsWildcards == false && value.value.text.containsGlobWildcard
            }) else { continue }
            // Blame the first value that matches no token at all; else the conditions together.
            if let (clause, value) = values.first(where: { clause, value in Self.deadReason(clause: clause, value: value.value.text, trust: trust) != nil }),
               let reason = Self.deadReason(clause: clause, value: value.value.text, trust: trust) {
                violations.append(Violation(at: value, "\(clause.claim) '\(value.value.text)' \(reason), so no token passes this statement and the role cannot be assumed through it"))
            } else if let condition = statement.statement.condition {
                violations.append(Violation(pointer: condition.pointer, span: condition.span,
                                            message: "no token GitHub issues passes these conditions together (they contradict each other), so the role cannot be assumed through this statement"))
            }
        }
        return violations
    }

    /// Why `value`, a value of a positive condition, matches no token; nil when some token carries it.
    static func deadReason(clause: GitHubTrust.Clause, value: String, trust: GitHubTrust) -> String? {
        guard let op = clause.clause.parsedOperator,
              let pattern = StringPattern(value, operator: op.base, resolvesVariables: trust.space.resolvesVariables) else { return nil }
        if clause.claim == "sub", let parts = GitHubSubjectParts(value), let name = parts.literalRepository,
           name.lowercased().hasSuffix(".git") || name.lowercased().hasSuffix(".wiki") {
            return "names the repository '\(name)', which GitHub does not allow (it removes a '.git' suffix and reserves '.wiki')"
        }
        guard !GitHubTokenSpace.canMatch(pattern, claim: clause.claim) else { return nil }
        guard clause.claim == "sub" else { return "is not a value GitHub writes in '\(clause.claim)'" }
        guard let parts = GitHubSubjectParts(value) else {
            return "is not a subject GitHub writes: a custom template's subject starts with a claim name ('repository_owner_id:…', 'environment:…')"
        }
        if parts.ownerSegment.isEmpty { return "names no owner" }
        if let owner = parts.literalOwner, owner.unicodeScalars.contains(where: GitHubTokenLayout.ownerExcluded.contains) {
            return "names the owner '\(owner)', which is not a GitHub account name (letters, digits and hyphens only)"
        }
        guard let repository = parts.repositorySegment, !repository.isEmpty else { return "names no repository" }
        if let name = parts.literalRepository, name.unicodeScalars.contains(where: GitHubTokenLayout.nameExcluded.contains) {
            return "names the repository '\(name)', which is not a name GitHub allows (letters, digits, '.', '-' and '_')"
        }
        guard let context = parts.context else {
            return "names no context after the repository (GitHub writes 'ref:…', 'environment:…' or 'pull_request' there)"
        }
        if parts.hasLiteralContext, !context.hasPrefix("ref:"), !context.hasPrefix("environment:"), context != "pull_request" {
            return "has the context '\(context)', which GitHub never writes (it writes 'ref:…', 'environment:…' or 'pull_request')"
        }
        return "matches no subject GitHub writes"
    }
}
