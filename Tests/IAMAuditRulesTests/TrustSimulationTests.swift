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
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"},
            {"Effect": "Allow", "Principal": {"Federated": "\(Self.provider)"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "\(Self.provider)"}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}
          ]
        }
        """)
        let result = simulate(policy, sub: "repo:anyone/anything:ref:refs/heads/main")
        #expect(result.statements.map(\.status) == [.notApplicable, .notApplicable, .notEvaluated, .doesNotMatch, .matches])
        #expect(result.statements[0].reason
            == "principal AWS 'arn:aws:iam::337909745089:role/ops' is not a GitHub identity provider, so it does not match a web-identity request from GitHub")
        #expect(result.statements[3].reason == "action 'sts:AssumeRole' does not cover sts:AssumeRoleWithWebIdentity")
        #expect(result.decision == .allow, "a statement without conditions admits every GitHub workflow")
        #expect(result.decidingStatement?.statement.index == 4)
    }

    @Test func noGitHubStatement() throws {
        let policy = try policy("""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        """)
        let result = simulate(policy, sub: "repo:acme/app:ref:refs/heads/main")
        #expect(!result.hasGitHubStatement)
        #expect(result.issuer == nil)
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
            == "policy variable '${\(Self.host):repository}' has no value in this request; treated as not matching")
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
}
