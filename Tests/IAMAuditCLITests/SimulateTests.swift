import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import Testing

/// `iam-audit simulate`: parsing, exit codes, text and JSON output, and the files it refuses.
@Suite("Simulate command")
struct SimulateTests {
    /// A trust policy with an Allow for two subjects, a Deny for pull requests, and an AWS principal.
    static let trust = """
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "GitHubDeploy",
          "Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": [
                "repo:acme/app:ref:refs/heads/main",
                "repo:acme/app:environment:prod"
              ]
            },
            "StringEqualsIfExists": {"token.actions.githubusercontent.com:environment": "prod"}
          }
        },
        {
          "Sid": "NoPullRequests",
          "Effect": "Deny",
          "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "*:pull_request"}}
        },
        {
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::337909745089:role/ops"},
          "Action": "sts:AssumeRole"
        }
      ]
    }
    """

    /// Runs `simulate` on `Self.trust` written to `trust.json` in a fresh folder.
    func simulate(_ arguments: [String], source: String = trust) throws -> RunResult {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("trust.json", source)
        return iamAudit(["simulate", "trust.json"] + arguments, workingDirectory: folder.path)
    }

    @Test func parsesIntoARequest() throws {
        #expect(try CLI.parse(["simulate", "t.json", "--sub", "repo:a/b:ref:refs/heads/main"])
            == .simulate(SimulationRequest(path: "t.json", sub: "repo:a/b:ref:refs/heads/main")))
        let full = try CLI.parse(["simulate", "--sub=s", "--aud", "a", "--claim", "Environment=prod", "--claim", "ref=x=y",
                                  "--format", "json", "-"])
        #expect(full == .simulate(SimulationRequest(path: "-", sub: "s", aud: "a", claims: ["environment": "prod", "ref": "x=y"], format: .json)))
        #expect(SimulationRequest(path: "-", sub: "s", claims: ["ref": "r"]).allClaims == ["sub": "s", "ref": "r"])
    }

    @Test func allowExitsZeroAndNamesTheStatement() throws {
        let result = try simulate(["--sub", "repo:acme/app:ref:refs/heads/main"])
        #expect(result.code == .success)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == "allow: statement 0 'GitHubDeploy' (trust.json:4) admits sub 'repo:acme/app:ref:refs/heads/main'\n")
    }

    @Test func implicitDenyListsEachStatementsFirstFailure() throws {
        let result = try simulate(["--sub", "repo:acme/app:environment:prod", "--claim", "environment=staging"])
        #expect(result.code == .findings)
        #expect(result.stdout == """
        deny: no statement admits sub 'repo:acme/app:environment:prod'
          statement 0 'GitHubDeploy' (trust.json:4): trust.json:17:34: StringEqualsIfExists \
        'token.actions.githubusercontent.com:environment': value 'staging' does not match 'prod'
          Deny statement 1 'NoPullRequests' (trust.json:20): trust.json:25:36: StringLike \
        'token.actions.githubusercontent.com:sub': value 'repo:acme/app:environment:prod' does not match '*:pull_request'
          statement 2 (trust.json:27): not applicable: principal AWS 'arn:aws:iam::337909745089:role/ops' is not a GitHub \
        identity provider, so it does not match a web-identity request from GitHub

        """)
    }

    @Test func explicitDenyNamesTheDenyStatement() throws {
        let result = try simulate(["--sub", "repo:acme/app:pull_request"])
        #expect(result.code == .findings)
        #expect(result.stdout == "deny: statement 1 'NoPullRequests' (trust.json:20) denies sub 'repo:acme/app:pull_request' explicitly\n")
    }

    @Test func audienceDefaultsAndCanBeGiven() throws {
        #expect(try simulate(["--sub", "repo:acme/app:ref:refs/heads/main", "--aud", "sts.amazonaws.com"]).code == .success)
        let other = try simulate(["--sub", "repo:acme/app:ref:refs/heads/main", "--aud", "https://github.com/acme"])
        #expect(other.code == .findings)
        #expect(other.stdout.contains("trust.json:11:11: StringEquals 'token.actions.githubusercontent.com:aud': value 'https://github.com/acme' does not match 'sts.amazonaws.com'"))
    }

    @Test func readsStandardInput() {
        let result = iamAudit(["simulate", "-", "--sub", "repo:acme/app:environment:prod"], stdin: .text(Self.trust))
        #expect(result.code == .success)
        #expect(result.stdout == "allow: statement 0 'GitHubDeploy' (<stdin>:4) admits sub 'repo:acme/app:environment:prod'\n")
    }

    @Test func jsonOutput() throws {
        let result = try simulate(["--sub", "repo:acme/app:ref:refs/heads/dev", "--format", "json"])
        #expect(result.code == .findings)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["decision"] as? String == "implicit-deny")
        #expect(object["decidingStatement"] is NSNull)
        #expect(object["file"] as? String == "trust.json")
        #expect(object["issuer"] as? String == "token.actions.githubusercontent.com")
        #expect(object["claims"] as? [String: String] == ["sub": "repo:acme/app:ref:refs/heads/dev", "aud": "sts.amazonaws.com"])
        let statements = try #require(object["statements"] as? [[String: Any]])
        #expect(statements.map { $0["status"] as? String } == ["does-not-match", "does-not-match", "not-applicable"])
        let first = statements[0]
        #expect(first["sid"] as? String == "GitHubDeploy")
        #expect(first["line"] as? Int == 4)
        #expect(first["firstFailingCondition"] as? Int == 1)
        let conditions = try #require(first["conditions"] as? [[String: Any]])
        #expect(conditions.count == 3)
        #expect(conditions[1]["operator"] as? String == "StringEquals")
        #expect(conditions[1]["pointer"] as? String == "/Statement/0/Condition/StringEquals/token.actions.githubusercontent.com:sub")
        #expect(conditions[1]["line"] as? Int == 12)
        #expect(conditions[1]["passed"] as? Bool == false)
        #expect(conditions[1]["reason"] as? String == "value 'repo:acme/app:ref:refs/heads/dev' matches none of the 2 values")
        #expect(conditions[2]["requestValue"] is NSNull)
        #expect(conditions[2]["passed"] as? Bool == true)
        // Deterministic: the same run prints the same bytes.
        #expect(try simulate(["--sub", "repo:acme/app:ref:refs/heads/dev", "--format", "json"]).stdout == result.stdout)

        let allowed = try simulate(["--sub", "repo:acme/app:ref:refs/heads/main", "--format=json"])
        #expect(allowed.code == .success)
        let allowObject = try #require(try JSONSerialization.jsonObject(with: Data(allowed.stdout.utf8)) as? [String: Any])
        #expect(allowObject["decision"] as? String == "allow")
        #expect(allowObject["decidingStatement"] as? Int == 0)
    }

    /// `Principal: "*"` admits a stranger's token; simulate says which statement decided.
    @Test func wildcardPrincipalAdmitsAStranger() throws {
        let source = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"},
          {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
           "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}}
        ]}
        """
        let result = try simulate(["--sub", "repo:evil/app:ref:refs/heads/main"], source: source)
        #expect(result.code == .success)
        #expect(result.stdout == "allow: statement 0 (trust.json:2) admits sub 'repo:evil/app:ref:refs/heads/main'\n")
        let anyAWS = try simulate(["--sub", "repo:evil/app:pull_request"], source: """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}}}
        """)
        #expect(anyAWS.code == .success, "\(anyAWS.stdout)\(anyAWS.stderr)")
    }

    /// A Deny of another account's provider does not cancel the Allow; with --provider naming that account it does.
    @Test func denyOfAnotherAccountAndTheProviderOption() throws {
        let source = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
           "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}},
          {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity",
           "Condition": {"StringEquals": {"token.actions.githubusercontent.com:job_workflow_ref": "acme/shared/.github/workflows/deploy.yml@refs/heads/main"}}},
          {"Effect": "Deny", "Principal": {"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"},
           "Action": "sts:AssumeRoleWithWebIdentity"}
        ]}
        """
        let allowed = try simulate(["--sub", "repo:acme/app:pull_request"], source: source)
        #expect(allowed.code == .success)
        #expect(allowed.stdout == """
        allow: statement 0 (trust.json:2) admits sub 'repo:acme/app:pull_request'
        note: the trust policy does not say which account the role is in; it is taken to be 111122223333, whose identity provider \
        statement 0 allows (--provider sets it)

        """)
        let denied = try simulate(["--sub", "repo:stranger/x:ref:refs/heads/main",
                                   "--claim", "job_workflow_ref=acme/shared/.github/workflows/deploy.yml@refs/heads/main",
                                   "--provider", "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"], source: source)
        #expect(denied.code == .findings)
        #expect(denied.stdout == "deny: statement 2 (trust.json:6) denies sub 'repo:stranger/x:ref:refs/heads/main' explicitly\n  statement 1 (trust.json:4) would allow it\n")
        let stranger = try simulate(["--sub", "repo:stranger/x:ref:refs/heads/main",
                                     "--claim", "job_workflow_ref=acme/shared/.github/workflows/deploy.yml@refs/heads/main", "--format", "json"], source: source)
        #expect(stranger.code == .success)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stranger.stdout.utf8)) as? [String: Any])
        #expect(object["decidingStatement"] as? Int == 1)
        #expect(object["roleAccount"] as? String == "111122223333")
        #expect((object["notes"] as? [String])?.count == 1)
    }

    @Test func providerOptionIsValidated() throws {
        for value in ["111122223333", "arn:aws:iam::111122223333:oidc-provider/gitlab.com", "arn:aws:iam::111122223333:role/x"] {
            let result = try simulate(["--sub", "s", "--provider", value])
            #expect(result.code == .failure, "\(value)")
            #expect(result.stderrLines.first?.hasPrefix("iam-audit: error: invalid value '\(value)' for --provider") == true, "\(result.stderrLines)")
        }
        let mismatch = try simulate(["--sub", "s", "--claim", "iss=https://ghe.example.com/_services/token",
                                     "--provider", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"])
        #expect(mismatch.code == .failure)
        #expect(mismatch.stderrLines.first?.contains("names another issuer than --provider") == true, "\(mismatch.stderrLines)")
        #expect(try CLI.parse(["simulate", "t.json", "--sub", "s", "--provider", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"])
            == .simulate(SimulationRequest(path: "t.json", sub: "s", provider: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com")))
    }

    /// Every claim AWS exposes is taken by --claim and tested.
    @Test(arguments: ["actor", "actor_id", "job_workflow_ref", "repository", "repository_id", "workflow", "ref", "environment", "enterprise_id"])
    func everyExposedClaimIsTaken(claim: String) throws {
        let source = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:\(claim)": "pinned-1"}}}]}
        """
        #expect(try simulate(["--sub", "s", "--claim", "\(claim)=pinned-1"], source: source).code == .success)
        let other = try simulate(["--sub", "s", "--claim", "\(claim)=other"], source: source)
        #expect(other.code == .findings)
        #expect(other.stdout.contains("value 'other' does not match 'pinned-1'"), "\(other.stdout)")
        #expect(try simulate(["--sub", "s"], source: source).stdout.contains("the token has no '\(claim)' claim"))
    }

    /// Files simulate cannot work on: exit 2, one error line naming the file, nothing on standard output.
    @Test(arguments: [
        ("{\"Version\": \"2012-10-17\",\n \"Statement\": [}", "iam-audit: error: trust.json:2:16: not valid JSON: "),
        (#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
         "iam-audit: error: trust.json: no statement has a GitHub federated principal"),
        (#"{"Url": "token.actions.githubusercontent.com", "ClientIDList": ["sts.amazonaws.com"]}"#,
         "iam-audit: error: trust.json: an OpenID Connect provider description"),
        (#"{"name": "not a policy"}"#, "iam-audit: error: trust.json: not a policy: "),
    ])
    func refusedFiles(source: String, expected: String) throws {
        let result = try simulate(["--sub", "repo:acme/app:ref:refs/heads/main"], source: source)
        #expect(result.code == .failure)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1, "\(result.stderrLines)")
        #expect(result.stderrLines.first?.hasPrefix(expected) == true, "\(result.stderrLines)")
    }

    @Test func missingFile() {
        let result = iamAudit(["simulate", "no-such-trust.json", "--sub", "x"], workingDirectory: NSTemporaryDirectory())
        #expect(result.code == .failure)
        #expect(result.stderrLines == ["iam-audit: error: no-such-trust.json: cannot open: no such file or directory"])
    }

    /// The seed-as-documented trust policy admits pull requests and any branch, which simulate shows.
    @Test func seedAsDocumentedAdmitsPullRequests() {
        let path = PackageRoot.url.appendingPathComponent("fixtures/seed-as-documented/dev/trust-policy.json").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipped: \(path) is absent")
            return
        }
        let result = iamAudit(["simulate", path, "--sub", "repo:junksamiad/template-sender-engine:pull_request"])
        #expect(result.code == .success, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("allow: statement 0"))
    }
}
