import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The classes of trust policy through which a stranger got in silently, or a correct policy got an error, each
/// with a case that must be reported and one that must stay quiet. A class that comes back fails here.
@Suite("Trust soundness classes")
struct TrustSoundnessTests {
    static let provider = #""Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity""#
    static let key = "token.actions.githubusercontent.com"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var policy: String
        /// Rule codes that must be among the error-level findings; empty: no error and no warning at all.
        var errors: [String]
        var testDescription: String { name }
    }

    /// A policy of the given statements.
    static func policy(_ statements: String...) -> String {
        #"{"Version": "2012-10-17", "Statement": ["# + statements.joined(separator: ",\n") + "]}"
    }

    /// An Allow statement on GitHub's provider with `conditions` (a JSON object's members).
    static func allow(_ conditions: String, principal: String = provider) -> String {
        #"{"Effect": "Allow", \#(principal), "Condition": {\#(conditions)}}"#
    }

    static func deny(_ conditions: String, principal: String = provider) -> String {
        #"{"Effect": "Deny", \#(principal), "Condition": {\#(conditions)}}"#
    }

    static let aud = #""StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}"#

    static func quoted(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }

    static let denyList = ["*:pull_request", "*dependabot*", "*renovate*", "repo:*:ref:refs/heads/feature/*", "repo:*:ref:refs/tags/*",
                           "*:environment:test*", "*bot*:ref:*", "repo:*/sandbox-*:*", "repo:*:ref:refs/heads/dev*", "*:ref:refs/heads/tmp-*",
                           "repo:*/*-archive:*", "*:environment:preview-*"]

    static let cases: [Case] = [
        // 1. A bounded analysis never turns into "admits nothing".
        Case(name: "1 deny list of a dozen patterns", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}"),
            deny("\"StringLike\": {\"\(key):sub\": \(quoted(denyList))}")), errors: ["OIDC002"]),
        Case(name: "1 the same list under StringNotLike", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}, \"StringNotLike\": {\"\(key):sub\": \(quoted(denyList))}")),
             errors: ["OIDC002"]),
        Case(name: "1 one pattern followed by sixteen ?", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}"),
            deny("\"StringLike\": {\"\(key):sub\": \"*a????????????????\"}")), errors: ["OIDC002"]),
        Case(name: "1 a deny list that leaves only the named branch", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:acme/app:*\"}"),
            deny("\"StringNotEquals\": {\"\(key):sub\": \"repo:acme/app:ref:refs/heads/main\"}")), errors: []),
        // 2. A Deny counts only where its principal applies.
        Case(name: "2 deny on GitLab's provider", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}"),
            deny("\"StringNotLike\": {\"\(key):sub\": \"repo:acme/*\"}",
                 principal: #""Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}, "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC002"]),
        Case(name: "2 deny on another account's GitHub provider", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}"),
            deny("\"StringNotLike\": {\"\(key):sub\": \"repo:acme/*\"}",
                 principal: #""Principal": {"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC002"]),
        Case(name: "2 deny with Principal * applies", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}"),
            deny("\"StringNotEquals\": {\"\(key):sub\": \"repo:acme/app:environment:prod\"}",
                 principal: #""Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity""#)), errors: []),
        Case(name: "2 deny with Principal * keyed under a misspelt issuer", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}"),
            deny("\"StringNotEquals\": {\"token.action.githubusercontent.com:sub\": \"repo:acme/app:ref:refs/heads/main\"}",
                 principal: #""Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity""#)), errors: ["OIDC002"]),
        Case(name: "2 deny whose account only the role could tell", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}", principal: #""Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity""#),
            deny("\"StringNotEquals\": {\"\(key):sub\": \"repo:acme/app:ref:refs/heads/main\"}")), errors: ["OIDC002"]),
        // 3. Everyone as principal, with GitHub conditions.
        Case(name: "3 Principal * with sub repo:*", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}", principal: #""Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC002"]),
        Case(name: "3 AWS * with sub repo:*", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}", principal: #""Principal": {"AWS": "*"}, "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC002"]),
        // 4. Null only asks that the claim exist.
        Case(name: "4 Null false on sub", policy: policy(allow("\(aud), \"Null\": {\"\(key):sub\": \"false\"}")), errors: ["OIDC001"]),
        // 5. Every exposed claim, not only sub.
        Case(name: "5 job_workflow_ref owner wildcard", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):job_workflow_ref\": \"acme*\"}")), errors: ["OIDC001"]),
        Case(name: "5 job_workflow_ref of any workflow of one repository", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):job_workflow_ref\": \"acme/app/.github/workflows/*\"}")), errors: ["OIDC001"]),
        Case(name: "5 repository wildcard owner", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):repository\": \"acme*/app\"}")), errors: ["OIDC002"]),
        Case(name: "5 actor alone", policy: policy(
            allow("\(aud), \"StringEquals\": {\"\(key):actor\": \"octocat\"}")), errors: ["OIDC001"]),
        Case(name: "5 repository_id pinned", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):repository_id\": \"123456\", \"\(key):ref\": \"refs/heads/main\"}")), errors: []),
        // 6. Conjunction across claims narrows too.
        Case(name: "2 a repository named only by a negated Deny keeps its other refs reported", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:acme/*\"}"),
            deny("\"StringNotLike\": {\"\(key):sub\": \"repo:acme/app:*\"}")), errors: ["OIDC004"]),
        Case(name: "6 sub :* with ref main and two exact workflows", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):ref\": \"refs/heads/main\", " +
                  "\"\(key):job_workflow_ref\": [\"acme/app/.github/workflows/a.yml@0123456789abcdef0123456789abcdef01234567\", " +
                  "\"acme/app/.github/workflows/b.yml@0123456789abcdef0123456789abcdef01234567\"]}, " +
                  "\"StringLike\": {\"\(key):sub\": \"repo:acme/app:*\"}")), errors: []),
        // 7. Issuers other than GitHub.com's.
        Case(name: "7 GitHub Enterprise Server organisation wildcard", policy: policy(
            allow("\"StringEquals\": {\"github.example.com/_services/token:aud\": \"sts.amazonaws.com\"}, \"StringLike\": {\"github.example.com/_services/token:sub\": \"repo:org/*:*\"}",
                  principal: #""Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token"}, "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC003"]),
        Case(name: "7 GHE.com any owner", policy: policy(
            allow("\"StringLike\": {\"token.actions.acme.ghe.com:sub\": \"repo:*\"}, \"StringEquals\": {\"token.actions.acme.ghe.com:aud\": \"sts.amazonaws.com\"}",
                  principal: #""Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.acme.ghe.com"}, "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC002"]),
        Case(name: "7 GitLab with no condition", policy: policy(
            #"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#),
             errors: ["OIDC020"]),
        Case(name: "7 a statement trusting two issuers is read per issuer", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:*\"}, \"StringNotLike\": {\"github.example.com/_services/token:sub\": \"repo:*\"}",
                  principal: #""Principal": {"Federated": ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token"]}, "Action": "sts:AssumeRoleWithWebIdentity""#)),
             errors: ["OIDC002"]),
        Case(name: "6 an environment job runs on pull requests too", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:acme-??/deploy:environment:preview\", \"\(key):ref\": \"refs/pull/*\"}")),
             errors: ["OIDC002"]),
        Case(name: "6 repository and ref pinned, pull requests carved out of sub", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):repository\": \"acme/app\", \"\(key):ref\": \"refs/heads/main\"}, " +
                  "\"StringNotLike\": {\"\(key):sub\": \"*:pull_request\"}")), errors: []),
        // 8. The same key twice in another case.
        Case(name: "8 sub and SUB", policy: policy(
            allow("\(aud), \"StringLike\": {\"\(key):sub\": \"repo:acme/app:ref:refs/heads/main\", \"\(key):SUB\": \"repo:*\"}")),
             errors: ["IAM027", "OIDC002"]),
        // 9. Custom subjects anchored by an id are pinned.
        Case(name: "9 custom subject anchored by repository_owner_id", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):sub\": \"repository_owner_id:1234:environment:prod\"}")), errors: []),
        Case(name: "9 custom subject anchored by nothing", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):sub\": \"environment:prod\"}")), errors: ["OIDC011"]),
        Case(name: "9 custom subject anchored by repository", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):sub\": \"repository:acme/app:environment:prod\"}")), errors: []),
        // 10. A trust no token passes is not "too broad".
        Case(name: "10 shape GitHub never writes", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):sub\": \"repo:NHSDigital/NRLF:main\"}")), errors: []),
        // Correct pins stay quiet.
        Case(name: "quiet: exact branch and environment list", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):sub\": " +
                  "[\"repo:acme/app:ref:refs/heads/main\", \"repo:acme/app:environment:prod\", \"repo:acme/app:ref:refs/tags/v1.0.0\"]}")), errors: []),
        Case(name: "quiet: immutable subject", policy: policy(
            allow("\"StringEquals\": {\"\(key):aud\": \"sts.amazonaws.com\", \"\(key):sub\": \"repo:acme@1234/app@5678:environment:prod\"}")), errors: []),
    ]

    @Test(arguments: cases)
    func classIsReported(_ item: Case) {
        let findings = Auditor(catalog: RuleCatalog.all).audit(file: "policy.json", bytes: Array(item.policy.utf8)).findings
        let errors = Set(findings.filter { $0.level == .error }.map(\.ruleCode))
        if item.errors.isEmpty {
            #expect(errors.isEmpty, "\(item.name): \(findings.map { "\($0.ruleCode) \($0.message)" })")
            if item.name.hasPrefix("quiet") || item.name.hasPrefix("6") || item.name.hasPrefix("9") {
                #expect(findings.filter { $0.level == .warning }.isEmpty, "\(item.name): \(findings.map { "\($0.ruleCode) \($0.message)" })")
            }
        } else {
            #expect(Set(item.errors).isSubset(of: errors), "\(item.name): \(findings.map { "\($0.ruleCode) \($0.message)" })")
        }
        // Every witness a finding names is a token simulate allows.
        let policy = PolicyLoader().load(file: "policy.json", bytes: Array(item.policy.utf8)).policies[0]
        for finding in findings {
            guard var claims = finding.witness, !finding.message.contains("analysis bounded"), finding.ruleCode.hasPrefix("OIDC0"),
                  finding.ruleCode != "OIDC020" else { continue }
            let issuer = claims.removeValue(forKey: "iss")
            #expect(TrustSimulation.evaluate(policy, claims: claims, issuer: issuer).decision == .allow, "\(item.name): \(finding.message)")
        }
    }

    @Test func neverMatchingTrustIsAWarningNotAnError() {
        let source = Self.policy(Self.allow("\"StringEquals\": {\"\(Self.key):aud\": \"sts.amazonaws.com\", \"\(Self.key):sub\": \"repo:NHSDigital/NRLF:main\"}"))
        let findings = Auditor(catalog: RuleCatalog.all).audit(file: "policy.json", bytes: Array(source.utf8)).findings
        #expect(findings.map(\.ruleCode) == ["OIDC015"])
    }
}
