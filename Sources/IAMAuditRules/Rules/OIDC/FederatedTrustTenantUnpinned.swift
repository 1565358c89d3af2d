import IAMPolicy

/// OIDC020: an Allow statement trusting a non-GitHub OpenID Connect provider (GitLab, Terraform Cloud, EKS,
/// CircleCI, Bitbucket Pipelines, Buildkite, Google, Cognito) lets a token of someone else's tenant through.
public struct FederatedTrustTenantUnpinned: Rule {
    public static let description = RuleDescription(
        code: "OIDC020",
        name: "federated-trust-tenant-unpinned",
        title: "Web identity trust does not pin the provider's tenant",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports an Allow statement trusting GitLab, Terraform Cloud, an EKS cluster (IRSA), CircleCI, Bitbucket \
        Pipelines, Buildkite, Google, Facebook, Login with Amazon or a Cognito identity pool for \
        `sts:AssumeRoleWithWebIdentity` whose conditions do not pin the tenant: no condition on a claim that names it \
        (GitLab's group in `project_path`, the organization of Terraform Cloud and Buildkite, the namespace of a \
        service account, the CircleCI project, the Bitbucket repository, Google's and Cognito's `aud`, the `app_id` \
        of Facebook and Login with Amazon), a wildcard in the tenant part (`project_path:*`, `organization:*:…`), a \
        negated operator, `Null`, or `…IfExists` and `ForAllValues:`, which pass when the claim is absent. Deny \
        statements count only where they certainly refuse: the same `Federated` value or `"*"`, and conditions on \
        one claim of the provider. The message names a stranger's token that gets in. \
        GitHub's issuers are the other OIDC rules'.
        """,
        rationale: """
        These issuers sign tokens for everyone who uses them: any GitLab.com group, Terraform Cloud or Buildkite \
        organization, Google account, Facebook or Login with Amazon application or Cognito identity pool, and every \
        namespace of a cluster, project of a CircleCI organization or repository of a Bitbucket workspace. The \
        audience does not tell them apart: the job asking for the token chooses it, or it is the same for the whole \
        organization. A role whose trust does not \
        pin the claim that names the tenant can be assumed by a stranger's pipeline, pod or app, and IAM's own check \
        for shared providers is satisfied by `project_path:*`. Pin the tenant with `StringEquals` or with \
        `StringLike` whose wildcards come after it: `project_path:acme/deploy:ref_type:branch:ref:main`, \
        `organization:acme:project:*:workspace:prod:run_phase:apply`, `system:serviceaccount:payments:deployer`, \
        `org/ORG_ID/project/PROJECT_ID/user/*`, `{REPOSITORY_UUID}*:*`, `organization:acme:pipeline:deploy:*`, and \
        the client id or identity pool id in `aud`. Keep exclusions in Deny statements, not in negated operators.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            "https://docs.gitlab.com/ci/secrets/id_token_authentication/",
            "https://docs.gitlab.com/ci/cloud_services/aws/",
            "https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens",
            "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
            "https://circleci.com/docs/openid-connect-tokens/",
            "https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/",
            "https://buildkite.com/docs/pipelines/security/oidc/aws",
            "https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload",
            "https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html",
        ],
        triggeringExamples: [
            RuleExample(webIdentityTrust(federated: gitLabCom, condition: [
                #""StringEquals": {"gitlab.com:aud": "https://gitlab.com"}"#,
                #""StringLike": {"gitlab.com:sub": "project_path:*"}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/gitlab.com:sub"]),
            RuleExample(webIdentityTrust(federated: gitLabCom), pointers: ["/Statement/0/Principal/Federated"]),
            // Facebook and Login with Amazon: anyone can register an application.
            RuleExample(webIdentityTrust(federated: "graph.facebook.com"), pointers: ["/Statement/0/Principal/Federated"]),
            RuleExample(webIdentityTrust(federated: "www.amazon.com", condition: [
                #""StringLike": {"www.amazon.com:app_id": "amzn1.application-oa2-client.*"}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/www.amazon.com:app_id"]),
            RuleExample(webIdentityTrust(federated: gitLabCom, condition: [
                #""StringEquals": {"gitlab.com:aud": "https://gitlab.com"}"#,
                #""StringNotLike": {"gitlab.com:sub": "project_path:acme/sandbox:*"}"#,
            ]), pointers: ["/Statement/0/Condition/StringNotLike"]),
            // A self-managed GitLab host, recognised by its subject grammar.
            RuleExample(webIdentityTrust(federated: "arn:aws:iam::111122223333:oidc-provider/code.example.com", condition: [
                #""StringLike": {"code.example.com:sub": ["project_path:platform/*", "project_path:*/deploy:ref_type:branch:ref:main"]}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/code.example.com:sub/1"]),
            RuleExample(webIdentityTrust(federated: "arn:aws:iam::111122223333:oidc-provider/app.terraform.io", condition: [
                #""StringEquals": {"app.terraform.io:aud": "aws.workload.identity"}"#,
                #""StringLike": {"app.terraform.io:sub": "organization:*:project:*:workspace:prod:run_phase:apply"}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/app.terraform.io:sub"]),
            RuleExample(webIdentityTrust(federated: eksCluster, condition: [
                #""StringEquals": {"oidc.eks.eu-north-1.amazonaws.com/id/5C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D:aud": "sts.amazonaws.com"}"#,
                #""StringLike": {"oidc.eks.eu-north-1.amazonaws.com/id/5C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D:sub": "system:serviceaccount:*:deployer"}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/oidc.eks.eu-north-1.amazonaws.com~1id~15C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D:sub"]),
            RuleExample(webIdentityTrust(federated: circleCIOrganization, condition: [
                #""StringEquals": {"oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f:aud": "6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f"}"#,
            ]), pointers: ["/Statement/0/Condition"]),
            RuleExample(webIdentityTrust(federated: bitbucketWorkspace, condition: [
                #""StringLike": {"api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:sub": "*:*"}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/api.bitbucket.org~12.0~1workspaces~1acme~1pipelines-config~1identity~1oidc:sub"]),
            RuleExample(webIdentityTrust(federated: "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com", condition: [
                #""StringEquals": {"agent.buildkite.com:aud": "sts.amazonaws.com"}"#,
                #""StringLike": {"agent.buildkite.com:sub": "organization:acme*:pipeline:deploy:*"}"#,
            ]), pointers: ["/Statement/0/Condition/StringLike/agent.buildkite.com:sub"]),
            RuleExample(webIdentityTrust(federated: "accounts.google.com", condition: [
                #""StringEquals": {"accounts.google.com:oaud": "sts.amazonaws.com"}"#,
            ]), pointers: ["/Statement/0/Condition"]),
            RuleExample(webIdentityTrust(federated: "cognito-identity.amazonaws.com", condition: [
                #""StringEqualsIfExists": {"cognito-identity.amazonaws.com:aud": "eu-north-1:4f2c8a1e-9b3d-4c7e-a5f6-0d1b2c3e4f5a"}"#,
                #""ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}"#,
            ]), pointers: ["/Statement/0/Condition/StringEqualsIfExists"]),
            // The Deny names another account's GitLab provider, so it refuses nothing this Allow admits.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringLike": {"gitlab.com:sub": "project_path:*"}}
                },
                {
                  "Effect": "Deny",
                  "Principal": {"Federated": "arn:aws:iam::444455556666:oidc-provider/gitlab.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringNotLike": {"gitlab.com:sub": "project_path:acme/*"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike/gitlab.com:sub"]),
            // `Principal: "*"` trusts every provider of the account; its conditions name GitLab's.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringLike": {"gitlab.com:sub": "project_path:*:ref_type:branch:ref:main"}}
              }
            }
            """, pointers: ["/Statement/Condition/StringLike/gitlab.com:sub"]),
        ],
        nonTriggeringExamples: [
            RuleExample(webIdentityTrust(federated: gitLabCom, condition: [
                #""StringEquals": {"gitlab.com:aud": "https://gitlab.com", "gitlab.com:sub": "project_path:acme/deploy:ref_type:branch:ref:main"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: "graph.facebook.com", condition: [
                #""StringEquals": {"graph.facebook.com:app_id": "123456789012345"}"#,
            ])),
            // The group is pinned; which projects and refs of it may deploy is another question.
            RuleExample(webIdentityTrust(federated: gitLabCom, condition: [
                #""StringLike": {"gitlab.com:sub": "project_path:acme/*"}"#,
            ])),
            // The numeric namespace id pins the group, whatever `sub` admits.
            RuleExample(webIdentityTrust(federated: gitLabCom, condition: [
                #""StringLike": {"gitlab.com:sub": "project_path:*:ref_type:branch:ref:main"}"#,
                #""StringEquals": {"gitlab.com:namespace_id": "60412337"}"#,
            ])),
            // A Deny on the same provider refuses every group but `acme`.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringLike": {"gitlab.com:sub": "project_path:*"}}
                },
                {
                  "Effect": "Deny",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringNotLike": {"gitlab.com:sub": "project_path:acme/*"}}
                }
              ]
            }
            """),
            RuleExample(webIdentityTrust(federated: "arn:aws:iam::111122223333:oidc-provider/app.terraform.io", condition: [
                #""StringEquals": {"app.terraform.io:aud": "aws.workload.identity"}"#,
                #""StringLike": {"app.terraform.io:sub": "organization:acme:project:*:workspace:prod:run_phase:*"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: eksCluster, condition: [
                #""StringLike": {"oidc.eks.eu-north-1.amazonaws.com/id/5C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D:sub": "system:serviceaccount:payments:*"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: circleCIOrganization, condition: [
                #""StringEquals": {"oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f:oidc.circleci.com/project-id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: circleCIOrganization, condition: [
                #""StringLike": {"oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f:sub": "org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f/project/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f/user/*"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: bitbucketWorkspace, condition: [
                #""StringLike": {"api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:sub": "{8d1e6c2a-3b4f-4a5e-9c7d-1e2f3a4b5c6d}*:*"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com", condition: [
                #""StringLike": {"agent.buildkite.com:sub": "organization:acme:pipeline:deploy:*"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: "accounts.google.com", condition: [
                #""StringEquals": {"accounts.google.com:aud": "107806444890271851399", "accounts.google.com:sub": "107806444890271851399"}"#,
            ])),
            RuleExample(webIdentityTrust(federated: "cognito-identity.amazonaws.com", condition: [
                #""StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-north-1:4f2c8a1e-9b3d-4c7e-a5f6-0d1b2c3e4f5a"}"#,
                #""ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"}"#,
            ])),
            // GitHub's issuers are the other OIDC rules'.
            RuleExample(webIdentityTrust(federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", condition: [
                #""StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}"#,
            ])),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        var seen: Set<String> = []
        for exposure in WebIdentityTenantReview.of(policy).exposures {
            let violation = Self.violation(for: exposure)
            if seen.insert("\(violation.pointer)\u{0}\(violation.message)").inserted { violations.append(violation) }
        }
        return violations
    }

    static func violation(for exposure: WebIdentityTenantReview.Exposure) -> Violation {
        let message: String
        let pointer: JSONPointer
        let span: SourceSpan
        let trusted = exposure.trusted
        switch exposure.cause {
        case .untested:
            let claims = trusted.provider.tenantClaims(issuer: trusted.issuer).map(\.claim)
            message = Message.untested(trusted, claims: claims, example: exposure.example)
            if let condition = exposure.statement.condition {
                (pointer, span) = (condition.pointer, condition.span)
            } else if let federated = trusted.federated {
                (pointer, span) = (federated.pointer, federated.span)
            } else if let principal = exposure.statement.principal {
                (pointer, span) = (principal.pointer, principal.span)
            } else {
                (pointer, span) = (exposure.statement.pointer, exposure.statement.span)
            }
        case .value(let clause, let value):
            message = Message.wildcard(trusted, key: clause.key.value, value: value.value.text, example: exposure.example)
            (pointer, span) = (value.pointer, value.span)
        case .negated(let clause):
            message = Message.negated(trusted, clause: clause, example: exposure.example)
            (pointer, span) = (clause.operatorName.pointer, clause.operatorName.span)
        case .passesWhenAbsent(let clause):
            message = Message.passesWhenAbsent(trusted, clause: clause, example: exposure.example)
            (pointer, span) = (clause.operatorName.pointer, clause.operatorName.span)
        case .presenceOnly(let clause):
            message = Message.presenceOnly(trusted, clause: clause, example: exposure.example)
            (pointer, span) = (clause.operatorName.pointer, clause.operatorName.span)
        case .notCompared(let clause):
            message = Message.notCompared(trusted, clause: clause, example: exposure.example)
            (pointer, span) = (clause.operatorName.pointer, clause.operatorName.span)
        }
        return Violation(pointer: pointer, span: span, message: message, witness: exposure.witness)
    }

    private enum Message {
        typealias Example = (claim: String, value: String)?

        static func untested(_ trusted: WebIdentityTenantReview.Trusted, claims: [String], example: Example) -> String {
            let list = claims.map { "'\($0)'" }.joined(separator: ", ")
            return "trust in \(trusted.provider.name) issuer '\(trusted.issuer)' tests none of \(list), so it admits "
                + "\(trusted.provider.outsider)\(suffix(example))"
        }

        static func wildcard(_ trusted: WebIdentityTenantReview.Trusted, key: String, value: String, example: Example) -> String {
            "value '\(value)' of '\(key)' admits \(trusted.provider.outsider)\(suffix(example))"
        }

        static func negated(_ trusted: WebIdentityTenantReview.Trusted, clause: ConditionClause, example: Example) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)' admits every value it does not list, "
                + "\(trusted.provider.outsider) included\(suffix(example))"
        }

        static func passesWhenAbsent(_ trusted: WebIdentityTenantReview.Trusted, clause: ConditionClause, example: Example) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)' passes a token without the claim, so it admits "
                + "\(trusted.provider.outsider)\(suffix(example))"
        }

        static func presenceOnly(_ trusted: WebIdentityTenantReview.Trusted, clause: ConditionClause, example: Example) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)' only tests that the claim is present, so it admits "
                + "\(trusted.provider.outsider)\(suffix(example))"
        }

        static func notCompared(_ trusted: WebIdentityTenantReview.Trusted, clause: ConditionClause, example: Example) -> String {
            "'\(clause.operatorName.value)' on '\(clause.key.value)' does not compare the claim as text, so it admits "
                + "\(trusted.provider.outsider)\(suffix(example))"
        }

        /// ` (e.g. sub 'project_path:stranger-group/…')`, or nothing without an example.
        static func suffix(_ example: Example) -> String {
            guard let example else { return "" }
            return " (e.g. \(example.claim) '\(example.value)')"
        }
    }
}

// MARK: - Example skeletons

private let gitLabCom = "arn:aws:iam::111122223333:oidc-provider/gitlab.com"
private let eksCluster = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/5C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D"
private let circleCIOrganization = "arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f"
private let bitbucketWorkspace = "arn:aws:iam::111122223333:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc"

/// A trust policy of one Allow statement for `sts:AssumeRoleWithWebIdentity` by `federated`, with the condition
/// operators `condition` (each `"Operator": {…}`), or none.
private func webIdentityTrust(federated: String, condition: [String] = []) -> String {
    let conditionLines = condition.isEmpty ? "" : """
    ,
          "Condition": {
            \(condition.joined(separator: ",\n        "))
          }
    """
    return """
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Federated": "\(federated)"},
          "Action": "sts:AssumeRoleWithWebIdentity"\(conditionLines)
        }
      ]
    }
    """
}
