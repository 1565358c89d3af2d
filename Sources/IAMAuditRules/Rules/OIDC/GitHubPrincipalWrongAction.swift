import IAMPolicy

/// OIDC013: a statement trusting GitHub's OIDC provider allows actions other than the web-identity ones.
public struct GitHubPrincipalWrongAction: Rule {
    public static let description = RuleDescription(
        code: "OIDC013",
        name: "github-principal-wrong-action",
        title: "GitHub federated principal with an action other than AssumeRoleWithWebIdentity",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports an action other than `sts:AssumeRoleWithWebIdentity`, `sts:TagSession` and `sts:SetSourceIdentity` in an \
        Allow statement whose principal is a GitHub OIDC provider (`sts:AssumeRole`, `sts:*`, `*`), and a Deny \
        statement for that principal whose actions never cover `sts:AssumeRoleWithWebIdentity` (it refuses nothing). \
        A Deny on `sts:*` or `*` is not reported: refusing more is harmless.
        """,
        rationale: """
        A federated OIDC principal can only call `AssumeRoleWithWebIdentity`. `sts:AssumeRole` for it never \
        works (the deploy fails with AccessDenied), and wildcards such as `sts:*` grant more than is meant. \
        Write `"Action": "sts:AssumeRoleWithWebIdentity"` (plus `sts:TagSession` only if session tags are passed, and \
        `sts:SetSourceIdentity` only if the workflow sets a source identity).
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
            "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRole",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Action"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": ["sts:AssumeRoleWithWebIdentity", "sts:*"],
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/deploy:environment:prod"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1"]),
            // A Deny that never covers the web-identity call refuses nothing.
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
                },
                {
                  "Effect": "Deny",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_request"}}
                }
              ]
            }
            """, pointers: ["/Statement/1/Action"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity"],
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
            // Refusing more than the web-identity call is harmless.
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
                      "token.actions.githubusercontent.com:sub": ["repo:example-org/deploy:environment:prod", "repo:example-org/deploy:pull_request"]
                    }
                  }
                },
                {
                  "Effect": "Deny",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:*",
                  "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:example-org/deploy:pull_request"}}
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
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/deployer"},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """),
        ]
    )

    /// A web-identity caller may tag its session and set a source identity, when the trust policy grants it:
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
    static let permitted: Set<String> = ["sts:assumerolewithwebidentity", "sts:tagsession", "sts:setsourceidentity"]

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard let trust = GitHubTrust.of(policy) else { return [] }
        var violations: [Violation] = []
        for statement in trust.statements {
            // A Deny refusing more than the web-identity call (`sts:*`, `*`) refuses nothing it should not; one that
            // never covers the call refuses nothing at all.
            if statement.statement.isDeny {
                guard !WebIdentityPatterns.coversWebIdentity(statement.statement), let actions = statement.statement.action else { continue }
                violations.append(Violation(at: actions, "this Deny's actions never apply to a web-identity token, so it refuses no GitHub workflow"))
                continue
            }
            if let actions = statement.statement.action {
                for action in actions.items where !Self.permitted.contains(action.value.lowercased()) {
                    let why = statement.allowsWebIdentity ? "grants more than the web-identity call" : "never applies to a web-identity token, so the role cannot be assumed"
                    violations.append(Violation(at: action, "action '\(action.value)' for the GitHub OIDC principal \(why)"))
                }
            } else if let notAction = statement.statement.notAction {
                violations.append(Violation(at: notAction, "'NotAction' for the GitHub OIDC principal allows every other STS action"))
            }
        }
        return violations
    }
}
