@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The provider table and the points of OIDC020 its examples do not pin down: Deny statements, operators that
/// pin nothing, keys never in the request, templates, case, and the stranger's token a finding names.
@Suite("Web identity providers and OIDC020")
struct FederatedTrustTenantUnpinnedTests {
    func findings(in source: String) -> [Finding] {
        Auditor(catalog: RuleCatalog.all).audit(file: "policy.json", bytes: Array(source.utf8)).findings
            .filter { $0.ruleCode == FederatedTrustTenantUnpinned.description.code }
    }

    // MARK: The table

    @Test(arguments: [
        ("gitlab.com", "GitLab"),
        ("gitlab.example.com", "GitLab"),
        ("app.terraform.io", "Terraform Cloud"),
        ("tfe.example.com", "Terraform Cloud"),
        ("oidc.eks.us-east-1.amazonaws.com/id/5c2a6f1b9d3e4a7b8c0d1e2f3a4b5c6d", "EKS"),
        ("oidc.eks.cn-north-1.amazonaws.com.cn/id/5c2a6f1b9d3e4a7b8c0d1e2f3a4b5c6d", "EKS"),
        ("oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f", "CircleCI"),
        ("api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", "Bitbucket Pipelines"),
        ("agent.buildkite.com", "Buildkite"),
        ("accounts.google.com", "Google"),
        ("cognito-identity.amazonaws.com", "Cognito"),
        ("cognito-identity.amazonaws.com.cn", "Cognito"),
        ("graph.facebook.com", "Facebook"),
        ("www.amazon.com", "Login with Amazon"),
    ])
    func issuersAreRecognised(issuer: String, name: String) {
        #expect(WebIdentityProviders.provider(forIssuer: issuer)?.name == name)
    }

    @Test(arguments: [
        "token.actions.githubusercontent.com", "token.actions.githubusercontent.com/acme", "token.actions.acme.ghe.com",
        "github.example.com/_services/token", "oidc.circleci.com", "example.com", "amazon.com", "facebook.com",
    ])
    func otherIssuersAreNot(issuer: String) {
        #expect(WebIdentityProviders.provider(forIssuer: issuer) == nil)
    }

    @Test(arguments: [
        ("project_path:acme/*", "GitLab"),
        ("organization:acme:project:*:workspace:prod:run_phase:*", "Terraform Cloud"),
        ("organization:acme:pipeline:deploy:*", "Buildkite"),
        ("system:serviceaccount:payments:deployer", "EKS"),
    ])
    func subjectGrammarNamesAnUnknownIssuer(subject: String, name: String) {
        #expect(WebIdentityProviders.provider(forIssuer: "ci.example.com", subjects: [subject])?.name == name)
        #expect(WebIdentityProviders.provider(forIssuer: "token.actions.githubusercontent.com", subjects: [subject]) == nil)
    }

    @Test func gitHubGrammarIsNotClaimed() {
        #expect(WebIdentityProviders.provider(forIssuer: "ci.example.com", subjects: ["repo:acme/app:ref:refs/heads/main"]) == nil)
    }

    @Test func everyProviderDocumentsItsSources() {
        for provider in WebIdentityProviders.all {
            #expect(!provider.references.isEmpty && provider.references.allSatisfy { $0.hasPrefix("https://") }, "\(provider.name)")
            #expect(provider.tenantClaims(issuer: "x").first != nil, "\(provider.name)")
        }
    }

    // MARK: Deny statements

    @Test func denyWithEveryonePrincipalRefuses() {
        let deny = statement("Deny", principal: #""*""#, condition: #"{"StringNotLike": {"gitlab.com:sub": "project_path:acme/*"}}"#)
        #expect(findings(in: policy(statement(condition: anyGroup), deny)).isEmpty)
    }

    @Test func denyWithoutConditionsRefusesEverything() {
        #expect(findings(in: policy(statement(condition: anyGroup), statement("Deny"))).isEmpty)
    }

    @Test(arguments: [
        // Two claims: it refuses only tokens that match both, which a stranger need not carry.
        statement("Deny", condition: #"{"StringNotLike": {"gitlab.com:sub": "project_path:acme/*"}, "StringEquals": {"gitlab.com:aud": "https://gitlab.com"}}"#),
        // A global key: whether it holds depends on the caller.
        statement("Deny", condition: #"{"StringNotLike": {"gitlab.com:sub": "project_path:acme/*"}, "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#),
        // Another action.
        statement("Deny", action: #""sts:AssumeRole""#, condition: #"{"StringNotLike": {"gitlab.com:sub": "project_path:acme/*"}}"#),
        // A policy variable: what it refuses is not known.
        statement("Deny", condition: #"{"StringLike": {"gitlab.com:sub": "project_path:${aws:username}*"}}"#),
        // NotPrincipal.
        #"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#,
    ])
    func denyThatMayRefuseNothingIsLeftOut(deny: String) {
        #expect(findings(in: policy(statement(condition: anyGroup), deny)).map(\.pointer.description)
            == ["/Statement/0/Condition/StringLike/gitlab.com:sub"], "\(deny)")
    }

    @Test func denyListOfManyGroupsLeavesOthersIn() {
        let groups = (0..<300).map { #""project_path:group-\#($0)/*""# }.joined(separator: ", ")
        let deny = statement("Deny", condition: #"{"StringLike": {"gitlab.com:sub": [\#(groups)]}}"#)
        let found = findings(in: policy(statement(condition: anyGroup), deny))
        #expect(found.count == 1)
        #expect(found.first?.witness?["sub"] == "project_path:stranger-group/any-project:ref_type:branch:ref:main")
    }

    @Test func manyExactGroupsStayQuiet() {
        let subjects = (0..<300).map { #""project_path:group-\#($0)/app:ref_type:branch:ref:main""# }.joined(separator: ", ")
        #expect(findings(in: policy(statement(condition: #"{"StringEquals": {"gitlab.com:sub": [\#(subjects)]}}"#))).isEmpty)
    }

    // MARK: Operators

    @Test(arguments: [
        (#"{"Null": {"gitlab.com:sub": "false"}}"#, "/Statement/0/Condition/Null", "only tests that the claim is present"),
        (#"{"ForAllValues:StringLike": {"gitlab.com:sub": "project_path:acme/*"}}"#, "/Statement/0/Condition/ForAllValues:StringLike",
         "passes a token without the claim"),
        (#"{"StringLikeIfExists": {"gitlab.com:sub": "project_path:acme/*"}}"#, "/Statement/0/Condition/StringLikeIfExists",
         "passes a token without the claim"),
        (#"{"StringNotEqualsIgnoreCase": {"gitlab.com:sub": "project_path:evil/app:ref_type:branch:ref:main"}}"#,
         "/Statement/0/Condition/StringNotEqualsIgnoreCase", "admits every value it does not list"),
        (#"{"NumericLessThan": {"gitlab.com:project_id": "100"}}"#, "/Statement/0/Condition/NumericLessThan", "does not compare the claim as text"),
        (#"{"StringLike": {"gitlab.com:namespace_id": "*"}}"#, "/Statement/0/Condition/StringLike/gitlab.com:namespace_id", "admits a stranger's GitLab group"),
        (#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, "/Statement/0/Condition", "tests none of 'sub', 'namespace_id', 'project_id'"),
        // The user who started a pipeline does not say whose project it runs in.
        (#"{"StringEquals": {"gitlab.com:user_login": "alice"}}"#, "/Statement/0/Condition", "tests none of"),
    ])
    func conditionsThatPinNoGroup(condition: String, pointer: String, reason: String) {
        let found = findings(in: policy(statement(condition: condition)))
        #expect(found.map(\.pointer.description) == [pointer], "\(condition)")
        #expect(found.first?.message.contains(reason) == true, "\(found.map(\.message))")
        #expect(found.first.map { $0.message.hasPrefix("'") || $0.message.first?.isLowercase == true } == true)
    }

    @Test(arguments: [
        #"{"StringEqualsIgnoreCase": {"gitlab.com:sub": "project_path:ACME/app:ref_type:branch:ref:main"}}"#,
        #"{"StringEquals": {"gitlab.com:project_id": "60412337"}}"#,
        #"{"NumericEquals": {"gitlab.com:namespace_id": "60412337"}}"#,
        #"{"StringLike": {"gitlab.com:sub": ["project_path:acme/*", "project_path:acme-platform/*"]}}"#,
        // Keys never in the request for GitLab's tokens: the statement admits nobody (another rule's finding).
        #"{"StringEquals": {"gitlab.com:namespace_path": "acme"}}"#,
        #"{"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}"#,
        // No value of the claim passes; every token has one.
        #"{"StringEquals": {"gitlab.com:sub": []}}"#,
        #"{"Null": {"gitlab.com:sub": "true"}}"#,
    ])
    func conditionsThatKeepStrangersOut(condition: String) {
        #expect(findings(in: policy(statement(condition: condition))).isEmpty, "\(condition)")
    }

    @Test(arguments: [
        (#"{"StringLike": {"gitlab.com:sub": "project_path:acme/*", "gitlab.com:SUB": "project_path:*"}}"#,
         "/Statement/0/Condition/StringLike/gitlab.com:SUB"),
        (#"{"StringLike": {"gitlab.com:sub": "project_path:acme/*", "gitlab.com:sub": "project_path:*"}}"#,
         "/Statement/0/Condition/StringLike/gitlab.com:sub"),
    ])
    func sameKeyTwiceIsReadAsEither(condition: String, pointer: String) {
        #expect(findings(in: policy(statement(condition: condition))).map(\.pointer.description) == [pointer], "\(condition)")
    }

    @Test func sameKeyUnderTwoOperatorsIsBoth() {
        let condition = #"{"StringLike": {"gitlab.com:sub": "project_path:*"}, "StringEquals": {"gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main"}}"#
        #expect(findings(in: policy(statement(condition: condition))).isEmpty)
    }

    // MARK: Principals

    @Test func templatedProviderIsKnownByItsKeys() {
        let templated = statement(principal: #"{"Federated": "${GitLabProviderArn}"}"#, condition: anyGroup)
        #expect(findings(in: policy(templated)).map(\.pointer.description) == ["/Statement/0/Condition/StringLike/gitlab.com:sub"])
        let accountTemplate = statement(principal: #"{"Federated": "arn:aws:iam::${AWS::AccountId}:oidc-provider/gitlab.com"}"#)
        #expect(findings(in: policy(accountTemplate)).map(\.pointer.description) == ["/Statement/0/Principal/Federated"])
    }

    @Test func eachProviderOfAStatementIsReviewedOnItsOwn() {
        let both = #"{"Federated": ["arn:aws:iam::111122223333:oidc-provider/gitlab.com", "arn:aws:iam::111122223333:oidc-provider/app.terraform.io"]}"#
        // Terraform Cloud's tokens carry no `gitlab.com:sub`, so `StringLike` on it refuses them.
        #expect(findings(in: policy(statement(principal: both, condition: #"{"StringLike": {"gitlab.com:sub": "project_path:acme/*"}}"#))).isEmpty)
        let open = findings(in: policy(statement(principal: both)))
        #expect(open.map(\.pointer.description).sorted() == ["/Statement/0/Principal/Federated/0", "/Statement/0/Principal/Federated/1"])
    }

    @Test func everyonePrincipalIsReadAsTrustingTheKeysProvider() {
        for principal in [#""*""#, #"{"AWS": "*"}"#] {
            #expect(findings(in: policy(statement(principal: principal, condition: anyGroup))).count == 1, "\(principal)")
        }
        let both = #"{"AWS": "*", "Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}"#
        #expect(findings(in: policy(statement(principal: both))).map(\.pointer.description) == ["/Statement/0/Principal/Federated"])
    }

    @Test func denyOfEveryoneWrittenAsAWSStarRefuses() {
        // `"*"` and `{"AWS": "*"}` are the same principal: everyone, federated callers included.
        let deny = #"{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#
        #expect(findings(in: policy(statement(), deny)).isEmpty)
    }

    @Test func gitHubTrustsAreLeftToTheGitHubRules() {
        let gitHub = statement(principal: #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#)
        let enterpriseServer = statement(principal: #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token"}"#)
        #expect(findings(in: policy(gitHub, enterpriseServer)).isEmpty)
    }

    // MARK: The stranger's token

    @Test func witnessNamesTheIssuerAndEveryTenantClaim() {
        let found = findings(in: policy(statement(condition: #"{"StringLike": {"gitlab.com:sub": "project_path:*"}, "StringEquals": {"gitlab.com:aud": "https://gitlab.com"}}"#)))
        let witness = found.first?.witness ?? [:]
        #expect(witness["iss"] == "gitlab.com")
        #expect(witness["sub"] == "project_path:stranger-group/any-project:ref_type:branch:ref:main")
        #expect(witness["aud"] == "https://gitlab.com")
        #expect(witness["namespace_id"] != nil && witness["project_id"] != nil)
    }

    @Test(arguments: ["project_path:acme*/deploy:*", "*acme/*", "project_path:acme*"])
    func witnessIsNeverTheOwnersTenant(value: String) {
        let found = findings(in: policy(statement(condition: #"{"StringLike": {"gitlab.com:sub": "\#(value)"}}"#)))
        let sub = found.first?.witness?["sub"] ?? ""
        #expect(sub.hasPrefix("project_path:") && !sub.hasPrefix("project_path:acme/"), "\(sub)")
        #expect(found.first?.message.contains("'\(sub)'") == true)
    }

    @Test(arguments: [
        (#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f"}"#,
         #"{"StringLike": {"oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f:sub": "org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f/project/*/user/*"}}"#,
         "sub", "org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f/project/00000000-0000-4000-8000-000000000000/user/11111111-1111-4111-8111-111111111111"),
        (#"{"Federated": "accounts.google.com"}"#, #"{"StringLike": {"accounts.google.com:aud": "*.apps.googleusercontent.com"}}"#,
         "aud", "000000000000-stranger.apps.googleusercontent.com"),
        (#"{"Federated": "cognito-identity.amazonaws.com"}"#, #"{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}"#,
         "aud", "us-east-1:00000000-0000-4000-8000-000000000000"),
        (#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/5C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D"}"#,
         #"{"StringEquals": {"oidc.eks.eu-north-1.amazonaws.com/id/5C2A6F1B9D3E4A7B8C0D1E2F3A4B5C6D:aud": "sts.amazonaws.com"}}"#,
         "sub", "system:serviceaccount:other-namespace:default"),
    ])
    func strangersOfEachProvider(principal: String, condition: String, claim: String, value: String) {
        let found = findings(in: policy(statement(principal: principal, condition: condition)))
        #expect(found.count == 1, "\(condition)")
        #expect(found.first?.witness?[claim] == value, "\(found.first?.witness ?? [:])")
    }

    @Test(arguments: [
        (#"{"Federated": "accounts.google.com"}"#, #"{"NumericEquals": {"accounts.google.com:google/organization_number": "123456789012"}}"#),
        (#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com"}"#,
         #"{"StringLike": {"agent.buildkite.com:sub": "organization:*"}, "StringEquals": {"agent.buildkite.com:organization_id": "0190f3e2-5b7c-4d8e-9f0a-1b2c3d4e5f6a"}}"#),
        (#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f"}"#,
         #"{"StringLike": {"oidc.circleci.com/org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f:sub": "org/6b3d2f0e-1c4a-4e8b-9f2d-7a5c3e1b0d9f/project/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f/user/*/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main"}}"#),
        // AWS's own example pairs a regional principal with keys under the global prefix.
        (#"{"Federated": "cognito-identity.cn-north-1.amazonaws.com.cn"}"#, #"{"StringEquals": {"cognito-identity.amazonaws.com.cn:aud": "cn-north-1:4f2c8a1e-9b3d-4c7e-a5f6-0d1b2c3e4f5a"}}"#),
        // A literal `*` under `StringEquals` is an identity pool id no pool has.
        (#"{"Federated": "cognito-identity.amazonaws.com"}"#, #"{"StringEquals": {"cognito-identity.amazonaws.com:aud": "*"}}"#),
    ])
    func tenantsPinnedByOtherClaims(principal: String, condition: String) {
        #expect(findings(in: policy(statement(principal: principal, condition: condition))).isEmpty, "\(condition)")
    }
}

// MARK: - Policy skeletons

/// A trust policy whose statements are `statements` (JSON objects).
private func policy(_ statements: String...) -> String {
    #"{"Version": "2012-10-17", "Statement": [\#(statements.joined(separator: ", "))]}"#
}

/// One statement for `sts:AssumeRoleWithWebIdentity` by `principal` (a JSON value) with `condition` (a JSON object).
private func statement(_ effect: String = "Allow", principal: String = #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}"#,
                       action: String = #""sts:AssumeRoleWithWebIdentity""#, condition: String? = nil) -> String {
    let conditionPart = condition.map { #", "Condition": \#($0)"# } ?? ""
    return #"{"Effect": "\#(effect)", "Principal": \#(principal), "Action": \#(action)\#(conditionPart)}"#
}

private let anyGroup = #"{"StringLike": {"gitlab.com:sub": "project_path:*"}}"#
