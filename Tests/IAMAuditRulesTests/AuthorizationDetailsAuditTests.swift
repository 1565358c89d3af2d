import IAMAuditRules
import IAMPolicy
import Testing

/// Auditing an account dump: every entry audited on its own, findings labelled with their role or policy,
/// malformed entries reported where they are, and design environments matched by role name.
@Suite("Account dump audit")
struct AuthorizationDetailsAuditTests {
    static let account = "123456789012"

    static func githubTrust(_ sub: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::\(account):oidc-provider/token.actions.githubusercontent.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                        "StringLike": {"token.actions.githubusercontent.com:sub": "\(sub)"}}}]}
        """
    }

    static func queuePolicy(_ queue: String) -> String {
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-north-1:\#(account):\#(queue)"}]}"#
    }

    static func role(_ name: String, sub: String, attached: [String] = []) -> String {
        let attachments = attached.map { #"{"PolicyName": "x", "PolicyArn": "\#($0)"}"# }.joined(separator: ", ")
        return #"{"RoleName": "\#(name)", "AssumeRolePolicyDocument": \#(githubTrust(sub)), "RolePolicyList": [], "AttachedManagedPolicies": [\#(attachments)]}"#
    }

    static let sharedARN = "arn:aws:iam::\(account):policy/Queues"

    static var dump: String {
        """
        {
          "RoleDetailList": [
            \(role("deploy-dev", sub: "repo:acme/app:environment:dev", attached: [sharedARN])),
            \(role("deploy-prod", sub: "repo:acme/app:environment:prod", attached: [sharedARN])),
            \(role("unrelated", sub: "repo:acme/app:*"))
          ],
          "Policies": [
            {"PolicyName": "Queues", "Arn": "\(sharedARN)", "DefaultVersionId": "v1",
             "PolicyVersionList": [{"Document": \(queuePolicy("jobs-queue-dev")), "VersionId": "v1", "IsDefaultVersion": true}]}
          ]
        }
        """
    }

    static var design: Design {
        Design(file: "iam-audit.json", account: account, region: "eu-north-1", github: .init(repository: "acme/app"),
               resources: ["sqs": ["arn:${partition}:sqs:${region}:${account}:jobs-queue-${env}"]],
               environments: [
                   .init(name: "dev", githubEnvironment: "dev", role: "deploy-dev"),
                   .init(name: "prod", githubEnvironment: "prod", role: "deploy-prod"),
               ])
    }

    func audited(_ text: String, design: Design? = nil, jobs: Int = 1, select: [String]? = nil) -> FileAudit {
        Auditor(selection: RuleSelection(select: select), design: design).audit(file: "dump.json", bytes: Array(text.utf8), jobs: jobs)
    }

    @Test func findingsNameTheirRoleAndPointIntoTheDump() throws {
        let audit = audited(Self.dump)
        #expect(audit.policyCount == 4)
        let anyRef = try #require(audit.findings.first { $0.ruleCode == "OIDC004" })
        #expect(anyRef.message.hasSuffix("(role unrelated)"))
        #expect(anyRef.pointer.description == "/RoleDetailList/2/AssumeRolePolicyDocument/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub")
        #expect(anyRef.span.start.line == 17 && anyRef.environment == nil && anyRef.policyKind == .trust)
        #expect(audit.findings.allSatisfy { $0.message.contains("(role ") || $0.message.contains("(managed policy ") })
    }

    /// A role the design names is audited as its environment's trust policy, and the managed policy attached to
    /// two environments' roles once per environment, with distinct fingerprints.
    @Test func designEnvironmentsAreMatchedByRoleName() throws {
        let audit = audited(Self.dump, design: Self.design)
        let environments = Set(audit.findings.compactMap(\.environment))
        #expect(environments == ["prod"], "\(audit.findings.map { "\($0.ruleCode) \($0.message)" })")
        let reach = try #require(audit.findings.first { $0.ruleCode == "DSN006" })
        #expect(reach.environment == "prod" && reach.message.hasSuffix("(managed policy Queues, environment prod)"))
        #expect(reach.pointer.description == "/Policies/0/PolicyVersionList/0/Document/Statement/0/Resource")
        #expect(audit.policyCount == 4)

        // The same policy, attached to both roles with a wildcard action: one finding per environment.
        let wildcard = Self.dump.replacingOccurrences(of: "\"sqs:SendMessage\"", with: "\"sqs:*\"")
        let both = audited(wildcard, design: Self.design, select: ["PRIV002"]).findings
        #expect(both.map(\.environment) == ["dev", "prod"])
        #expect(Set(both.map(\.fingerprint)).count == 2)
        #expect(both.map(\.pointer) == [both[0].pointer, both[0].pointer])
        // Without a design the policy is audited once, with no environment.
        #expect(audited(wildcard, select: ["PRIV002"]).findings.map(\.environment) == [nil])
    }

    @Test func fingerprintsAreStableAcrossRuns() {
        let first = audited(Self.dump, design: Self.design).findings.map(\.fingerprint)
        let second = audited(Self.dump, design: Self.design, jobs: 3).findings.map(\.fingerprint)
        #expect(!first.isEmpty && first == second && Set(first).count == first.count)
    }

    @Test func missingMembersAreIAM019FindingsAtTheirPosition() throws {
        let text = """
        {
          "RoleDetailList": [
            {"RoleName": "no-trust", "RolePolicyList": []},
            \(Self.role("unrelated", sub: "repo:acme/app:*"))
          ]
        }
        """
        let audit = audited(text)
        #expect(audit.errors.isEmpty)
        let missing = try #require(audit.findings.first { $0.ruleCode == "IAM019" })
        #expect(missing.message == "entry has no 'AssumeRolePolicyDocument' (role no-trust)")
        #expect(missing.pointer.description == "/RoleDetailList/0" && missing.span.start.line == 3 && missing.span.start.column == 5)
        #expect(audit.findings.contains { $0.ruleCode == "OIDC004" && $0.message.hasSuffix("(role unrelated)") })
    }

    /// A malformed entry in the middle is one IAM001 finding at the error; the entries before and after it are
    /// still audited.
    @Test func aMalformedEntryInTheMiddleLeavesTheRestAudited() throws {
        let text = """
        {
          "RoleDetailList": [
            \(Self.role("first", sub: "repo:acme/app:*")),
            {"RoleName": "broken", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": Allow}]}},
            \(Self.role("last", sub: "repo:acme/app:*"))
          ]
        }
        """
        let audit = audited(text)
        let invalid = audit.findings.filter { $0.ruleCode == "IAM001" }
        #expect(invalid.count == 1)
        #expect(invalid.first?.pointer.description == "/RoleDetailList/1" && invalid.first?.message.hasSuffix("(role #1)") == true)
        #expect(invalid.first?.span.start.line == 8 && invalid.first?.span.start.column == 107)
        #expect(audit.findings.filter { $0.ruleCode == "OIDC004" }.map { $0.message.hasSuffix("(role first)") || $0.message.hasSuffix("(role last)") } == [true, true])
        #expect(audit.policyCount == 2)
    }

    @Test func emptyListsAuditNothing() {
        let audit = audited(#"{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}"#)
        #expect(audit.policyCount == 0 && audit.findings.isEmpty && audit.errors.isEmpty && audit.notices.isEmpty)
    }

    @Test func theWorkerCountDoesNotChangeTheResult() {
        var roles: [String] = []
        for index in 0..<60 { roles.append(Self.role("role-\(index)", sub: index % 3 == 0 ? "repo:acme/*" : "repo:acme/app:environment:e\(index)")) }
        let text = #"{"RoleDetailList": [\#(roles.joined(separator: ",\n"))]}"#
        let one = audited(text, design: Self.design, jobs: 1)
        let four = audited(text, design: Self.design, jobs: 4)
        #expect(!one.findings.isEmpty && one.findings == four.findings && one.policyCount == 60 && four.policyCount == 60)
    }

    @Test("a policy attached to an environment's role but missing from the dump, or a dump of one page, is IAM not read")
    func missingAttachmentsAndPages() throws {
        let missing = #"{"RoleDetailList": [\#(Self.role("deploy-dev", sub: "repo:acme/app:environment:dev", attached: ["arn:aws:iam::aws:policy/AdministratorAccess"]))], "Policies": []}"#
        let audit = audited(missing, design: Self.design, select: ["IAM037"])
        let finding = try #require(audit.findings.first)
        #expect(finding.message.contains("'arn:aws:iam::aws:policy/AdministratorAccess' attached to role deploy-dev of environment 'dev' is not in the file"))
        #expect(finding.pointer.description == "/RoleDetailList/0/AttachedManagedPolicies")
        // The complete dump holds its attached policy: nothing missing.
        #expect(audited(Self.dump, design: Self.design, select: ["IAM037"]).findings.isEmpty)
        let paged = #"{"RoleDetailList": [], "Policies": [], "IsTruncated": true, "Marker": "abc"}"#
        #expect(audited(paged, select: ["IAM037"]).findings.map(\.message).first?.contains("one page") == true)
    }
}
