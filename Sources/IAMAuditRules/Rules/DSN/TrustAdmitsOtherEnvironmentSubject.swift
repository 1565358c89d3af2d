import IAMPolicy

/// DSN003: an environment's trust policy admits a subject the design allows for another environment.
public struct TrustAdmitsOtherEnvironmentSubject: Rule {
    public static let description = RuleDescription(
        code: "DSN003",
        name: "trust-admits-other-environment-subject",
        title: "Trust policy admits a subject of another environment",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        With a design file, reports a `sub` value of an environment's trust policy that admits a subject the \
        design allows for another environment (and not for this one): the dev role admitting \
        `repo:OWNER/REPO:environment:prod` or prod's branch, or the prod role admitting dev's. The message names \
        that subject. Reported even when an OIDC rule reports the same value for its wildcard: being reachable \
        from the other environment is a further fact. When no single value is to blame (a negated operator, no \
        `sub` condition), the finding is on the `sub` condition or the statement. The examples use a design for \
        `example-org/deploy` with environments `dev` (branch `develop`, GitHub environment `dev`) and `prod` \
        (branch `main`, GitHub environment `prod`).
        """,
        rationale: """
        Environments exist to keep their credentials apart: dev deploys from a branch anyone on the team can \
        push to, prod from a protected branch or an environment with required reviewers. When the prod role \
        admits a dev subject, a workflow on `develop` gets production credentials and every protection on prod is \
        bypassed; when the dev role admits prod's subject, the prod deploy job holds dev credentials too, and the \
        two roles no longer separate anything. The seed's debugging compromise `repo:OWNER/REPO:*` does both. \
        Pin each role to its own environment's subjects only.
        """,
        references: [
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims",
            "https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments",
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:*"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub"],
            design: .example, environment: "prod"),
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
                        "repo:example-org/deploy:ref:refs/heads/develop",
                        "repo:example-org/deploy:environment:dev",
                        "repo:example-org/deploy:environment:prod"
                      ]
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub/2"],
            design: .example, environment: "dev"),
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
                        "repo:example-org/deploy:ref:refs/heads/main",
                        "repo:example-org/deploy:environment:prod"
                      ]
                    }
                  }
                }
              ]
            }
            """, design: .example, environment: "prod"),
            // Too wide (OIDC004 reports it), but it reaches no subject of prod.
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
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:ref:refs/heads/dev*"}
                  }
                }
              ]
            }
            """, design: .example, environment: "dev"),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .trust, let placement = DesignPlacement(context), let trust = GitHubTrust.of(policy) else { return [] }
        let foreign = placement.foreignSubjects
        guard !foreign.isEmpty else { return [] }
        let own = placement.environment.name
        var violations: [Violation] = []
        for item in GitHubSubjectReview.of(policy, design: context.design)?.items ?? [] where item.clause.claim == "sub" {
            guard let reached = Self.reached(foreign, by: item.admitted) else { continue }
            let text = item.value.value.text
            let lead = reached.subject == text ? "sub '\(text)' is" : "sub pattern '\(text)' admits '\(reached.subject)',"
            violations.append(Violation(at: item.value, "\(lead) \(Self.consequence(reached, own: own))"))
        }
        // No single value to blame (no `sub` pin, a negated operator): report the trust's subjects as a whole.
        if violations.isEmpty, let reached = Self.reached(foreign, by: trust.admittedSubjects) {
            let location = trust.subjectLocation
            violations.append(Violation(pointer: location.pointer, span: location.span,
                                        message: "trust admits '\(reached.subject)', \(Self.consequence(reached, own: own))"))
        }
        return violations
    }

    /// The first foreign subject `admitted` holds, and the other environments it also reaches.
    static func reached(_ foreign: [(environment: String, subjects: [String])], by admitted: PatternSet)
        -> (environment: String, subject: String, others: [String])? {
        var first: (environment: String, subject: String)?
        var others: [String] = []
        for (environment, subjects) in foreign {
            guard let subject = subjects.first(where: admitted.contains) else { continue }
            if first == nil { first = (environment, subject) } else { others.append(environment) }
        }
        return first.map { ($0.environment, $0.subject, others) }
    }

    static func consequence(_ reached: (environment: String, subject: String, others: [String]), own: String) -> String {
        var text = "a subject of environment '\(reached.environment)': a workflow that may deploy '\(reached.environment)' can assume the role of '\(own)'"
        if !reached.others.isEmpty {
            text += " (subjects of \(reached.others.count == 1 ? "environment" : "environments") \(quotedList(reached.others)) too)"
        }
        return text
    }
}
