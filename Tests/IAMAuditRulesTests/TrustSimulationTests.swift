@testable import IAMAuditRules
import IAMPolicy
import Testing

/// `TrustSimulation` against AWS's documented evaluation: matching, absent keys, qualifiers, Deny, issuers.
@Suite("Trust simulation")
struct TrustSimulationTests {
    static let provider = "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"
    static let host = "token.actions.githubusercontent.com"

    /// The policy in `source`, loaded as the CLI loads it.
    func policy(_ source: String) throws -> Policy {
        try #require(PolicyLoader().load(file: "trust.json", bytes: Array(source.utf8)).policies.first)
    }

    /// A one-statement GitHub trust policy with `condition` (a JSON object) as its `Condition`.
    func trust(_ condition: String, effect: String = "Allow", provider: String = provider,
               action: String = "\"sts:AssumeRoleWithWebIdentity\"") throws -> Policy {
        try policy("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "GitHubDeploy",
              "Effect": "\(effect)",
              "Principal": {"Federated": "\(provider)"},
              "Action": \(action),
              "Condition": \(condition)
            }
          ]
        }
        """)
    }

    func simulate(_ policy: Policy, sub: String, _ claims: [String: String] = [:]) -> TrustSimulation {
        TrustSimulation.evaluate(policy, claims: claims.merging(["sub": sub]) { $1 })
    }

    // MARK: Matching

    @Test func exactSubjectAllows() throws {
        let policy = try trust("""
        {"StringEquals": {"\(Self.host):aud": "sts.amazonaws.com", "\(Self.host):sub": "repo:acme/app:ref:refs/heads/main"}}
        """)
        let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(result.decision == .allow)
        #expect(result.decidingStatement?.statement.index == 0)
        #expect(result.decidingStatement?.statement.sid?.value == "GitHubDeploy")
        #expect(result.decidingStatement?.span.start.line == 4)
        #expect(result.claims["aud"] == "sts.amazonaws.com", "aud defaults to sts.amazonaws.com")
        #expect(result.issuer == Self.host)
    }

    @Test func failingConditionIsLocatedAndExplained() throws {
        let policy = try trust("""
        {
                "StringEquals": {
                  "\(Self.host):aud": "sts.amazonaws.com",
                  "\(Self.host):sub": ["repo:acme/app:ref:refs/heads/main", "repo:acme/app:environment:prod"]
                }
              }
        """)
        let result = simulate(policy, sub: "repo:acme/app:pull_request")
        #expect(result.decision == .implicitDeny)
        #expect(result.decidingStatement == nil)
        let outcome = try #require(result.statements.first)
        #expect(outcome.status == .doesNotMatch)
        let failure = try #require(outcome.firstFailure)
        #expect(failure.clause.operatorName.value == "StringEquals")
        #expect(failure.clause.key.value == "\(Self.host):sub")
        #expect(failure.clause.key.pointer.description == "/Statement/0/Condition/StringEquals/\(Self.host):sub")
        #expect(failure.span.start.line == 12)
        #expect(failure.reason == "value 'repo:acme/app:pull_request' matches none of the 2 values")
        #expect(outcome.conditions.first?.passed == true, "aud matched")
    }

    @Test(arguments: [
        // `*` spans `/` and `:`.
        ("repo:acme/*", "repo:acme/app:ref:refs/heads/main", true),
        ("repo:acme/*", "repo:acme-evil/app:ref:refs/heads/main", false),
        // `*` matches the empty string.
        ("repo:acme/app*", "repo:acme/app", true),
        ("repo:acme/app:*", "repo:acme/app:", true),
        // `?` is exactly one character.
        ("repo:acme/app?:*", "repo:acme/app2:ref:refs/heads/main", true),
        ("repo:acme/app?:*", "repo:acme/app:ref:refs/heads/main", false),
        // Case-sensitive.
        ("repo:acme/app:*", "repo:ACME/app:ref:refs/heads/main", false),
    ])
    func stringLike(pattern: String, sub: String, admitted: Bool) throws {
        let policy = try trust(#"{"StringLike": {"\#(Self.host):sub": "\#(pattern)"}}"#)
        #expect(simulate(policy, sub: sub).decision == (admitted ? .allow : .implicitDeny))
    }

    @Test func stringEqualsReadsWildcardsLiterallyAndIgnoreCaseFolds() throws {
        let literal = try trust(#"{"StringEquals": {"\#(Self.host):sub": "repo:acme/*"}}"#)
        #expect(simulate(literal, sub: "repo:acme/app:ref:refs/heads/main").decision == .implicitDeny)
        #expect(simulate(literal, sub: "repo:acme/*").decision == .allow)
        let ignoringCase = try trust(#"{"StringEqualsIgnoreCase": {"\#(Self.host):sub": "repo:acme/app:ref:refs/heads/main"}}"#)
        #expect(simulate(ignoringCase, sub: "repo:ACME/App:ref:refs/heads/main").decision == .allow)
        let exact = try trust(#"{"StringEquals": {"\#(Self.host):sub": "repo:acme/app:ref:refs/heads/main"}}"#)
        #expect(simulate(exact, sub: "repo:ACME/App:ref:refs/heads/main").decision == .implicitDeny)
    }

    @Test func valuesAreOredAndKeysAnded() throws {
        let policy = try trust("""
        {"StringEquals": {"\(Self.host):aud": "sts.amazonaws.com", "\(Self.host):sub": ["repo:acme/app:environment:dev", "repo:acme/app:environment:prod"]}}
        """)
        #expect(simulate(policy, sub: "repo:acme/app:environment:prod").decision == .allow)
        let wrongAudience = simulate(policy, sub: "repo:acme/app:environment:prod", ["aud": "https://github.com/acme"])
        #expect(wrongAudience.decision == .implicitDeny)
        #expect(wrongAudience.statements[0].firstFailure?.reason == "value 'https://github.com/acme' does not match 'sts.amazonaws.com'")
    }

    @Test func stringNotLikeFailsOnAMatchAndPassesOtherwise() throws {
        let policy = try trust("""
        {"StringLike": {"\(Self.host):sub": "repo:acme/app:*"}, "StringNotLike": {"\(Self.host):sub": "*:pull_request"}}
        """)
        let pullRequest = simulate(policy, sub: "repo:acme/app:pull_request")
        #expect(pullRequest.decision == .implicitDeny)
        #expect(pullRequest.statements[0].firstFailure?.reason == "value 'repo:acme/app:pull_request' matches '*:pull_request', which 'StringNotLike' excludes")
        let branch = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(branch.decision == .allow)
        #expect(branch.statements[0].conditions[1].reason == "value 'repo:acme/app:ref:refs/heads/main' does not match '*:pull_request', as 'StringNotLike' requires")
    }

    // MARK: Absent keys

    @Test func absentClaimUnderEachOperatorForm() throws {
        let cases: [(String, Bool, String)] = [
            ("StringEquals", false, "the token has no 'environment' claim"),
            ("StringEqualsIfExists", true, "the token has no 'environment' claim; 'StringEqualsIfExists' passes when the key is absent"),
            ("StringNotEquals", true, "the token has no 'environment' claim; the negated 'StringNotEquals' passes when the key is absent"),
            ("ForAllValues:StringEquals", true, "the token has no 'environment' claim; 'ForAllValues:' passes when the key is absent"),
            ("ForAnyValue:StringEquals", false, "the token has no 'environment' claim; 'ForAnyValue:' fails when the key is absent"),
            ("ForAnyValue:StringNotEquals", false, "the token has no 'environment' claim; 'ForAnyValue:' fails when the key is absent"),
        ]
        for (op, passes, reason) in cases {
            let policy = try trust("""
            {"StringEquals": {"\(Self.host):sub": "repo:acme/app:ref:refs/heads/main"}, "\(op)": {"\(Self.host):environment": "prod"}}
            """)
            let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
            #expect(result.decision == (passes ? .allow : .implicitDeny), "\(op)")
            let outcome = try #require(result.statements[0].conditions.last)
            #expect(outcome.requestValue == nil)
            #expect(outcome.passed == passes, "\(op)")
            #expect(outcome.reason == reason, "\(op)")
        }
    }

    @Test func ifExistsStillTestsAPresentClaim() throws {
        let policy = try trust("""
        {"StringEquals": {"\(Self.host):sub": "repo:acme/app:environment:prod"}, "StringEqualsIfExists": {"\(Self.host):environment": "prod"}}
        """)
        #expect(simulate(policy, sub: "repo:acme/app:environment:prod", ["environment": "prod"]).decision == .allow)
        #expect(simulate(policy, sub: "repo:acme/app:environment:prod", ["environment": "staging"]).decision == .implicitDeny)
    }

    @Test func nullTestsPresence() throws {
        let present = try trust(#"{"Null": {"\#(Self.host):job_workflow_ref": "false"}}"#)
        #expect(simulate(present, sub: "repo:acme/app:ref:refs/heads/main").decision == .implicitDeny)
        #expect(simulate(present, sub: "repo:acme/app:ref:refs/heads/main", ["job_workflow_ref": "acme/wf/.github/workflows/d.yml@refs/heads/main"]).decision == .allow)
        let absent = try trust(#"{"Null": {"\#(Self.host):environment": "true"}}"#)
        #expect(simulate(absent, sub: "repo:acme/app:ref:refs/heads/main").decision == .allow)
    }

    @Test func unexposedClaimIsNeverInTheRequest() throws {
        let plain = try trust("""
        {"StringLike": {"\(Self.host):sub": "repo:acme/*"}, "StringEquals": {"\(Self.host):repository_owner": "acme"}}
        """)
        let result = simulate(plain, sub: "repo:acme/app:ref:refs/heads/main", ["repository_owner": "acme"])
        #expect(result.decision == .implicitDeny)
        #expect(result.statements[0].firstFailure?.reason
            == "AWS does not expose the claim 'repository_owner' as a condition key, so '\(Self.host):repository_owner' is never in the request")
        let ifExists = try trust("""
        {"StringLike": {"\(Self.host):sub": "repo:acme/*"}, "StringEqualsIfExists": {"\(Self.host):repository_owner": "acme"}}
        """)
        #expect(simulate(ifExists, sub: "repo:evil/app:ref:refs/heads/main").decision == .implicitDeny)
        #expect(simulate(ifExists, sub: "repo:acme/app:ref:refs/heads/main", ["repository_owner": "someone-else"]).decision == .allow)
    }

    // MARK: Keys and issuers

    @Test func keyNamesCompareWithoutCase() throws {
        let policy = try trust(#"{"StringEquals": {"Token.Actions.GitHubUserContent.com:SUB": "repo:acme/app:ref:refs/heads/main"}}"#)
        #expect(simulate(policy, sub: "repo:acme/app:ref:refs/heads/main").decision == .allow)
        let upperClaim = TrustSimulation.evaluate(policy, claims: ["SUB": "repo:acme/app:ref:refs/heads/main"])
        #expect(upperClaim.decision == .allow)
    }

    @Test func enterpriseIssuerPrefix() throws {
        let enterprise = "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com/acme"
        let policy = try trust(#"{"StringEquals": {"token.actions.githubusercontent.com/acme:sub": "repo:acme/app:ref:refs/heads/main"}}"#,
                               provider: enterprise)
        let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(result.issuer == "token.actions.githubusercontent.com/acme")
        #expect(result.decision == .allow)
        #expect(result.statements[0].conditions[0].clause.key.pointer.description
            == "/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com~1acme:sub")
    }

    @Test func keyWithAnotherIssuersPrefixIsAbsent() throws {
        let enterprise = "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com/acme"
        let policy = try trust(#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#,
                               provider: enterprise)
        let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(result.decision == .implicitDeny)
        #expect(result.statements[0].firstFailure?.reason
            == "key prefix 'token.actions.githubusercontent.com' is not the token issuer's 'token.actions.githubusercontent.com/acme', so 'token.actions.githubusercontent.com:sub' is never in the request")
        // A negated operator on the wrong prefix passes: the key is absent.
        let negated = try trust(#"{"StringNotLike": {"token.actions.githubusercontent.com:sub": "*:pull_request"}}"#, provider: enterprise)
        #expect(simulate(negated, sub: "repo:anyone/app:pull_request").decision == .allow)
    }

    @Test func explicitIssuerSelectsTheStatementsOfThatProvider() throws {
        let policy = try policy("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Principal": {"Federated": "\(Self.provider)"}, "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {"\(Self.host):sub": "repo:acme/app:ref:refs/heads/main"}}},
            {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com/acme"},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {"\(Self.host)/acme:sub": "repo:acme/other:ref:refs/heads/main"}}}
          ]
        }
        """)
        let first = TrustSimulation.evaluate(policy, claims: ["sub": "repo:acme/other:ref:refs/heads/main"])
        #expect(first.policyIssuers == [Self.host, "\(Self.host)/acme"])
        #expect(first.decision == .implicitDeny)
        #expect(first.statements[1].status == .notApplicable)
        let second = TrustSimulation.evaluate(policy, claims: ["sub": "repo:acme/other:ref:refs/heads/main"], issuer: "\(Self.host)/acme")
        #expect(second.decision == .allow)
        #expect(second.decidingStatement?.statement.index == 1)
    }

    // MARK: Statements

    @Test func denyOverridesAllow() throws {
        let policy = try policy("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "AnyBranch",
              "Effect": "Allow",
              "Principal": {"Federated": "\(Self.provider)"},
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {"StringLike": {"\(Self.host):sub": "repo:acme/app:*"}}
            },
            {
              "Sid": "NoPullRequests",
              "Effect": "Deny",
              "Principal": {"Federated": "\(Self.provider)"},
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {"StringLike": {"\(Self.host):sub": "*:pull_request"}}
            }
          ]
        }
        """)
        let pullRequest = simulate(policy, sub: "repo:acme/app:pull_request")
        #expect(pullRequest.decision == .explicitDeny)
        #expect(pullRequest.decidingStatement?.statement.sid?.value == "NoPullRequests")
        #expect(pullRequest.statements.map(\.status) == [.matches, .matches])
        let branch = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(branch.decision == .allow)
        #expect(branch.decidingStatement?.statement.sid?.value == "AnyBranch")
    }

    @Test func otherPrincipalsAreNotApplicable() throws {
        let policy = try policy("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::337909745089:role/ops"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "\(Self.provider)"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "\(Self.provider)"}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}
          ]
        }
        """)
        let result = simulate(policy, sub: "repo:anyone/anything:ref:refs/heads/main")
        #expect(result.statements.map(\.status) == [.notApplicable, .notApplicable, .doesNotMatch, .doesNotMatch, .matches])
        #expect(result.statements[0].reason
            == "principal AWS 'arn:aws:iam::337909745089:role/ops' is not a GitHub identity provider, so it does not match a web-identity request from GitHub")
        #expect(result.statements[2].reason == "action 'sts:AssumeRole' does not cover sts:AssumeRoleWithWebIdentity")
        #expect(result.statements[3].reason == "action 'sts:AssumeRole' does not cover sts:AssumeRoleWithWebIdentity")
        #expect(result.decision == .allow, "a statement without conditions admits every GitHub workflow")
        #expect(result.decidingStatement?.statement.index == 4)
    }

    @Test func noStatementCanApply() throws {
        let policy = try policy("""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        """)
        let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(!result.appliesToGitHubTokens)
        #expect(result.issuer == Self.host, "with no issuer named anywhere, the token is GitHub.com's")
        #expect(result.decision == .implicitDeny)
    }

    // MARK: Variables and other operators

    @Test func policyVariablesResolveFromTheToken() throws {
        let policy = try trust("""
        {"StringLike": {"\(Self.host):sub": "repo:${\(Self.host):repository}:ref:refs/heads/*"}}
        """)
        #expect(simulate(policy, sub: "repo:acme/app:ref:refs/heads/main", ["repository": "acme/app"]).decision == .allow)
        #expect(simulate(policy, sub: "repo:acme/app:ref:refs/heads/main", ["repository": "acme/other"]).decision == .implicitDeny)
        // A substituted value is literal: a `*` in the claim is no wildcard.
        #expect(simulate(policy, sub: "repo:acme/app:ref:refs/heads/main", ["repository": "acme/*"]).decision == .implicitDeny)
        let unresolved = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(unresolved.statements[0].firstFailure?.reason
            == "value 'repo:acme/app:ref:refs/heads/main' does not match 'repo:${\(Self.host):repository}:ref:refs/heads/*'; "
            + "policy variable '${\(Self.host):repository}' has no value in this request, so its value matches nothing")
    }

    @Test func numericAndBoolCompareTheClaimText() throws {
        let numeric = try trust(#"{"NumericEquals": {"\#(Self.host):repository_id": ["892736412", "892736413"]}}"#)
        #expect(simulate(numeric, sub: "x", ["repository_id": "892736413"]).decision == .allow)
        #expect(simulate(numeric, sub: "x", ["repository_id": "1"]).decision == .implicitDeny)
        let notANumber = simulate(numeric, sub: "x", ["repository_id": "acme"])
        #expect(notANumber.statements[0].firstFailure?.reason
            == "'NumericEquals' cannot compare the claim value 'acme', which is not a number; treated as not matching")
        let bool = try trust(#"{"Bool": {"\#(Self.host):actor": "true"}}"#)
        #expect(simulate(bool, sub: "x", ["actor": "TRUE"]).decision == .allow)
        #expect(simulate(bool, sub: "x", ["actor": "octocat"]).decision == .implicitDeny)
        let arn = try trust(#"{"ArnLike": {"\#(Self.host):sub": "arn:aws:*"}}"#)
        #expect(simulate(arn, sub: "arn:aws:iam::1:root").statements[0].firstFailure?.reason
            == "simulate does not compare a token claim under 'ArnLike'; treated as not matching")
    }

    @Test func unknownKeysAreReadAsAbsent() throws {
        let policy = try trust(#"{"StringLike": {"\#(Self.host):sub": "repo:acme/*"}, "IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#)
        let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(result.decision == .implicitDeny)
        #expect(result.statements[0].firstFailure?.reason == "key 'aws:SourceIp' is not a claim of the token; simulate reads it as absent")
    }

    // MARK: Every principal

    /// A policy of `statements`, each a JSON object.
    func statements(_ statements: String...) throws -> Policy {
        try policy(#"{"Version": "2012-10-17", "Statement": ["# + statements.joined(separator: ",\n") + "]}")
    }

    /// A statement of `effect` for `principal` (JSON) on `sts:AssumeRoleWithWebIdentity` with `condition`.
    func statement(_ effect: String, _ principal: String, _ condition: String = "{}", action: String = #""sts:AssumeRoleWithWebIdentity""#) -> String {
        #"{"Effect": "\#(effect)", "Principal": \#(principal), "Action": \#(action), "Condition": \#(condition)}"#
    }

    static let github111 = #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#
    static let github444 = #"{"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"}"#
    static let gitlab111 = #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}"#
    static let provider111 = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    static let anyRepository = #"{"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}"#
    static let pullRequests = #"{"StringLike": {"token.actions.githubusercontent.com:sub": "*:pull_request"}}"#

    /// `Principal: "*"` and `{"AWS": "*"}` match a web-identity caller; the conditions read the token's claims.
    @Test(arguments: [#""*""#, #"{"AWS": "*"}"#, #"{"AWS": ["arn:aws:iam::111122223333:root", "*"]}"#])
    func everyPrincipalAdmitsAWebIdentityCaller(principal: String) throws {
        let open = try statements(statement("Allow", principal, Self.anyRepository))
        let stranger = simulate(open, sub: "repo:stranger/x:ref:refs/heads/main")
        #expect(stranger.decision == .allow)
        #expect(stranger.decidingStatement?.statement.index == 0)
        #expect(stranger.appliesToGitHubTokens)
        let pinned = try statements(statement("Allow", principal,
            #"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#))
        #expect(simulate(pinned, sub: "repo:stranger/x:ref:refs/heads/main").decision == .implicitDeny)
        #expect(simulate(pinned, sub: "repo:acme/app:ref:refs/heads/main").decision == .allow)
        let unconditioned = try statements(statement("Allow", principal))
        #expect(simulate(unconditioned, sub: "repo:stranger/x:pull_request").decision == .allow)
        let otherAction = try statements(statement("Allow", principal, action: #""sts:AssumeRole""#))
        #expect(simulate(otherAction, sub: "repo:stranger/x:pull_request").decision == .implicitDeny)
    }

    // MARK: Deny scope and the role's account

    @Test func denyOfAnotherProviderOrAccountDoesNotCancelTheAllow() throws {
        for other in [Self.gitlab111, Self.github444] {
            let policy = try statements(statement("Allow", Self.github111, Self.anyRepository), statement("Deny", other))
            let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
            #expect(result.decision == .allow, "\(other)")
            #expect(result.statements[1].status == .notApplicable, "\(other)")
            #expect(result.roleAccount == TrustSimulation.RoleAccount(partition: "aws", account: "111122223333"))
        }
        let otherAccount = simulate(try statements(statement("Allow", Self.github111, Self.anyRepository), statement("Deny", Self.github444)),
                                    sub: "repo:acme/app:ref:refs/heads/main")
        #expect(otherAccount.statements[1].reason
            == "the federated principal names the identity provider of account 444455556666, not of the role's account 111122223333 "
            + "(taken from the provider statement 0 allows); a web-identity token is presented through the provider of the role's account")
        #expect(otherAccount.notes == ["the trust policy does not say which account the role is in; it is taken to be 111122223333, "
            + "whose identity provider statement 0 allows (--provider sets it)"])
    }

    @Test(arguments: [#""*""#, #"{"AWS": "*"}"#, TrustSimulationTests.github111])
    func denyWhosePrincipalIsTheCallerApplies(principal: String) throws {
        let policy = try statements(statement("Allow", Self.github111, Self.anyRepository), statement("Deny", principal, Self.pullRequests))
        let pullRequest = simulate(policy, sub: "repo:acme/app:pull_request")
        #expect(pullRequest.decision == .explicitDeny)
        #expect(pullRequest.decidingStatement?.statement.index == 1)
        #expect(simulate(policy, sub: "repo:acme/app:ref:refs/heads/main").decision == .allow)
        let otherAction = try statements(statement("Allow", Self.github111, Self.anyRepository),
                                         statement("Deny", principal, Self.pullRequests, action: #""sts:AssumeRole""#))
        #expect(simulate(otherAction, sub: "repo:acme/app:pull_request").decision == .allow)
    }

    @Test func providerNamesTheRolesAccount() throws {
        let policy = try statements(statement("Allow", "\"*\"", Self.anyRepository), statement("Deny", Self.github111, Self.pullRequests))
        // Unknown account: the Deny of one account's provider is read as not applying, and a note says so.
        let unknown = simulate(policy, sub: "repo:stranger/x:pull_request")
        #expect(unknown.decision == .allow)
        #expect(unknown.roleAccount == nil)
        #expect(unknown.notes.contains { $0.hasPrefix("the trust policy does not say which account the role is in and no Allow statement names") })
        // Given: the Deny names the role's account's provider and applies.
        let given = TrustSimulation.evaluate(policy, claims: ["sub": "repo:stranger/x:pull_request"], provider: Self.provider111)
        #expect(given.decision == .explicitDeny)
        #expect(given.roleAccount?.account == "111122223333")
        #expect(given.notes.isEmpty)
        // An Allow of another account's provider does not match a role in 111122223333.
        let elsewhere = try statements(statement("Allow", Self.github444, Self.anyRepository))
        #expect(TrustSimulation.evaluate(elsewhere, claims: ["sub": "repo:acme/app:pull_request"], provider: Self.provider111).decision == .implicitDeny)
        #expect(simulate(elsewhere, sub: "repo:acme/app:pull_request").decision == .allow, "without --provider the role is in 444455556666")
    }

    @Test func allowsOfSeveralAccountsAdmitWhatAnyOneAdmits() throws {
        let policy = try statements(
            statement("Allow", Self.github111, #"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/a:ref:refs/heads/main"}}"#),
            statement("Allow", Self.github444, #"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/b:ref:refs/heads/main"}}"#),
            statement("Deny", Self.github111))
        let b = simulate(policy, sub: "repo:acme/b:ref:refs/heads/main")
        #expect(b.decision == .allow)
        #expect(b.decidingStatement?.statement.index == 1)
        #expect(b.roleAccount?.account == "444455556666")
        #expect(b.notes.first?.hasPrefix("the Allow statements name identity providers of 2 accounts (111122223333, 444455556666)") == true)
        let a = simulate(policy, sub: "repo:acme/a:ref:refs/heads/main")
        #expect(a.decision == .explicitDeny, "under 111122223333 the Deny applies; under 444455556666 nothing admits it")
        #expect(a.roleAccount?.account == "111122223333")
    }

    @Test func federatedValuesWithoutAnAccountAdmitMostForAnAllowAndDenyLeast() throws {
        for principal in [#"{"Federated": "token.actions.githubusercontent.com"}"#, #"{"Federated": "*"}"#] {
            let allow = try statements(statement("Allow", principal, Self.anyRepository))
            #expect(simulate(allow, sub: "repo:stranger/x:ref:refs/heads/main").decision == .allow, "\(principal)")
            let deny = try statements(statement("Allow", Self.github111, Self.anyRepository), statement("Deny", principal))
            let result = simulate(deny, sub: "repo:acme/app:ref:refs/heads/main")
            #expect(result.decision == .allow, "\(principal)")
            #expect(result.notes.contains { $0.hasPrefix("statement 1: how IAM reads the federated principal") }, "\(result.notes)")
        }
    }

    // MARK: Every operator on every exposed claim

    /// Each operator form with one value, and what it comes to for a claim equal to the value, the value in
    /// upper case, another value, and no claim.
    static let operatorTable: [(op: String, value: String, equal: Bool, upper: Bool, other: Bool, absent: Bool)] = [
        ("StringEquals", "v-1", true, false, false, false),
        ("StringNotEquals", "v-1", false, true, true, true),
        ("StringEqualsIgnoreCase", "v-1", true, true, false, false),
        ("StringNotEqualsIgnoreCase", "v-1", false, false, true, true),
        ("StringLike", "v-?", true, false, false, false),
        ("StringNotLike", "v-*", false, true, true, true),
        ("StringEqualsIfExists", "v-1", true, false, false, true),
        ("StringNotLikeIfExists", "v*", false, true, true, true),
        ("ForAnyValue:StringEquals", "v-1", true, false, false, false),
        ("ForAnyValue:StringNotEquals", "v-1", false, true, true, false),
        ("ForAllValues:StringLike", "v-*", true, false, false, true),
        ("ForAllValues:StringNotEqualsIgnoreCase", "v-1", false, false, true, true),
        ("ForAnyValue:StringLikeIfExists", "v-*", true, false, false, true),
        ("Null", "false", true, true, true, false),
        ("Null", "true", false, false, false, true),
    ]

    /// Every claim AWS exposes for GitHub's issuer, under every operator form, through `--claim`'s path (a claim
    /// by name): a token carrying the claim passes `"Null": {"…": "false"}`, whatever its value.
    @Test(arguments: ["sub", "aud", "actor", "actor_id", "job_workflow_ref", "repository", "repository_id", "workflow",
                      "ref", "environment", "enterprise_id"])
    func everyOperatorOnAnExposedClaim(claim: String) throws {
        #expect(GitHubOIDC.exposedClaims.contains(claim))
        for row in Self.operatorTable {
            let policy = try statements(statement("Allow", Self.github111, #"{"\#(row.op)": {"token.actions.githubusercontent.com:\#(claim)": "\#(row.value)"}}"#))
            func decide(_ value: String?) -> Bool {
                var claims = ["sub": "repo:acme/app:ref:refs/heads/main", "aud": "sts.amazonaws.com"]
                claims[claim] = value
                if value == nil { claims.removeValue(forKey: claim) }
                return TrustSimulation.evaluate(policy, claims: claims).decision == .allow
            }
            #expect(decide("v-1") == row.equal, "\(claim) \(row.op) \(row.value): equal")
            #expect(decide("V-1") == row.upper, "\(claim) \(row.op) \(row.value): upper case")
            #expect(decide("w-2") == row.other, "\(claim) \(row.op) \(row.value): other")
            if claim != "aud" {
                #expect(decide(nil) == row.absent, "\(claim) \(row.op) \(row.value): absent")
            }
        }
    }

    @Test func nullFalseAdmitsEveryTokenCarryingTheClaim() throws {
        let policy = try trust(#"{"Null": {"\#(Self.host):sub": "false"}}"#)
        for sub in ["repo:stranger/x:ref:refs/heads/main", "repo:anyone/anything:pull_request", ""] {
            #expect(simulate(policy, sub: sub).decision == .allow, "\(sub)")
        }
    }

    @Test func variableWithNoValueMatchesNothing() throws {
        let negated = try trust(#"{"StringNotEquals": {"\#(Self.host):sub": "repo:${aws:username}:pull_request"}}"#)
        #expect(simulate(negated, sub: "repo:acme/app:pull_request").decision == .allow, "a negated operator passes on a value that matches nothing")
        let defaulted = try trust(#"{"StringEquals": {"\#(Self.host):environment": "${\#(Self.host):ref, 'prod'}"}}"#)
        #expect(simulate(defaulted, sub: "x", ["environment": "prod"]).decision == .allow)
        #expect(simulate(defaulted, sub: "x", ["environment": "prod", "ref": "refs/heads/main"]).decision == .implicitDeny)
        let special = try trust(#"{"StringLike": {"\#(Self.host):sub": "repo:acme/app:ref:refs/heads/${*}"}}"#)
        #expect(simulate(special, sub: "repo:acme/app:ref:refs/heads/*").decision == .allow)
        #expect(simulate(special, sub: "repo:acme/app:ref:refs/heads/main").decision == .implicitDeny)
        let oldVersion = try policy("""
        {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "\(Self.provider)"}, "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"\(Self.host):sub": "repo:${\(Self.host):repository}:pull_request"}}}]}
        """)
        #expect(simulate(oldVersion, sub: "repo:${\(Self.host):repository}:pull_request").decision == .allow, "no variables before 2012-10-17")
        #expect(simulate(oldVersion, sub: "repo:acme/app:pull_request", ["repository": "acme/app"]).decision == .implicitDeny)
    }

    // MARK: One key twice in one operator block

    @Test func duplicateKeysAdmitMoreForAnAllow() throws {
        let policy = try trust("""
        {"StringEquals": {"\(Self.host):sub": "repo:acme/app:ref:refs/heads/main", "\(Self.host):SUB": "repo:acme/app:ref:refs/heads/dev"}}
        """)
        for branch in ["main", "dev"] {
            let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/\(branch)")
            #expect(result.decision == .allow, "\(branch)")
            #expect(result.notes == ["statement 0 tests '\(Self.host):sub' 2 times in 'StringEquals'; IAM's reading is undocumented "
                + "(Access Analyzer reports it as an error), so it is read as whichever one admits more for an Allow"])
        }
        let other = simulate(policy, sub: "repo:acme/app:ref:refs/heads/other")
        #expect(other.decision == .implicitDeny)
        let dev = simulate(policy, sub: "repo:acme/app:ref:refs/heads/dev")
        #expect(dev.statements[0].conditions[0].reason == "value 'repo:acme/app:ref:refs/heads/dev' does not match "
            + "'repo:acme/app:ref:refs/heads/main'; the key is written 2 times in this operator block ('\(Self.host):sub', "
            + "'\(Self.host):SUB'); IAM's reading is undocumented, so an Allow is read with whichever one admits more, and another one passes")
        #expect(dev.statements[0].conditions.allSatisfy { $0.passed })
    }

    @Test func duplicateKeysDenyLessForADeny() throws {
        let policy = try statements(
            statement("Allow", Self.github111, Self.anyRepository),
            statement("Deny", Self.github111, #"{"StringLike": {"token.actions.githubusercontent.com:sub": "*:pull_request", "Token.Actions.GitHubUserContent.com:sub": "repo:evil/*"}}"#))
        #expect(simulate(policy, sub: "repo:acme/app:pull_request").decision == .allow, "only one duplicate matches: the Deny is read as not matching")
        #expect(simulate(policy, sub: "repo:evil/app:ref:refs/heads/main").decision == .allow)
        #expect(simulate(policy, sub: "repo:evil/app:pull_request").decision == .explicitDeny, "every duplicate matches")
    }

    // MARK: Issuer

    @Test func issClaimNamesTheIssuer() throws {
        let policy = try statements(statement("Allow", "\"*\"", #"{"StringEquals": {"ghe.example.com/_services/token:sub": "repo:acme/app:ref:refs/heads/main"}}"#))
        let fromGitHubCom = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main", ["iss": "https://token.actions.githubusercontent.com"])
        #expect(fromGitHubCom.issuer == Self.host)
        #expect(fromGitHubCom.decision == .implicitDeny)
        let fromServer = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main", ["iss": "https://ghe.example.com/_services/token"])
        #expect(fromServer.issuer == "ghe.example.com/_services/token")
        #expect(fromServer.decision == .allow)
    }

    /// Recognising an Enterprise Server provider is `GitHubProvider`'s business; simulate follows it.
    @Test
    func enterpriseServerProvider() throws {
        let policy = try statements(statement("Allow", #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/ghe.example.com/_services/token"}"#,
                                              #"{"StringLike": {"ghe.example.com/_services/token:sub": "repo:org/*:*"}}"#))
        let result = simulate(policy, sub: "repo:org/secret:ref:refs/heads/x")
        #expect(result.appliesToGitHubTokens)
        #expect(result.issuer == "ghe.example.com/_services/token")
        #expect(result.decision == .allow)
        let fromGitHubCom = simulate(policy, sub: "repo:org/secret:ref:refs/heads/x", ["iss": "https://token.actions.githubusercontent.com"])
        #expect(fromGitHubCom.decision == .implicitDeny)
    }
}
