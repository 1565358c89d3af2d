import IAMPolicy

/// OIDC007: a negated operator on `sub` in an Allow statement.
public struct GitHubSubNegatedOperator: Rule {
    public static let description = RuleDescription(
        code: "OIDC007",
        name: "github-sub-negated-operator",
        title: "Negated operator on GitHub sub in an Allow",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports `StringNotEquals`, `StringNotLike` or another negated operator on the `sub` claim of a GitHub \
        OIDC trust, in an Allow statement, naming a stranger's subject it admits.
        """,
        rationale: """
        In an Allow statement, `StringNotLike` on `sub` admits every subject except the ones listed: every \
        other repository on GitHub. Exclusions belong in a Deny statement next to an Allow that pins `sub` \
        positively with `StringEquals`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_request"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringNotLike"]),
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
                    "ForAnyValue:StringNotEquals": {"token.actions.githubusercontent.com:sub": ["repo:other-org/app:ref:refs/heads/main"]}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/ForAnyValue:StringNotEquals"]),
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
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"},
                    "StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_request"}
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
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringNotEquals": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"}}
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
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
        let vocabulary = GitHubSubjectVocabulary(trust: trust, design: context.design)
        var violations: [Violation] = []
        for statement in trust.allowStatements where !statement.subjects.isEmpty {
            // A negation that only carves tokens out of a positive pin on a claim only the owner controls narrows it.
            let hasPositivePin = statement.clauses.contains { item in
                GitHubSubjectReview.ownerClaims.contains(item.claim) && item.isInRequest && GitHubSubjectReview.isPositivePin(item.clause)
            }
            for item in statement.clauses where item.claim == "sub" && item.isInRequest {
                guard let op = item.clause.parsedOperator, op.base.isNegated else { continue }
                // A negation that only carves subjects out of a positive pin narrows it: fine.
                guard !hasPositivePin else { continue }
                let example = GitHubSubjectReview.readableWitness(statement.subjects.subtracting(vocabulary.ownerAnchored)) ?? statement.subjects.shortestWitness() ?? ""
                violations.append(Violation(at: item.clause.operatorName,
                    "'\(item.clause.operatorName.value)' on '\(item.clause.key.value)' admits every subject it does not list (e.g. '\(example)')"))
            }
        }
        return violations
    }
}
