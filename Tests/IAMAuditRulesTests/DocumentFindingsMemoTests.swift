@testable import IAMAuditRules
import IAMPolicy
import Testing

/// A trust policy written again in a run is analysed once: the findings of every copy are those a fresh analysis
/// gives, at the copy's own pointer, line and column.
@Suite("Trust findings reused within a run")
struct DocumentFindingsMemoTests {
    static let account = "123456789012"

    /// A GitHub trust admitting `sub`, laid out over several lines with `indent` before each.
    static func trust(_ sub: String, indent: String = "      ") -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        \(indent)"Principal": {"Federated": "arn:aws:iam::\(account):oidc-provider/token.actions.githubusercontent.com"},
        \(indent)"Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        \(indent)"Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "\(sub)"}}}]}
        """
    }

    static func role(_ name: String, _ trust: String) -> String {
        #"{"RoleName": "\#(name)", "AssumeRolePolicyDocument": \#(trust), "RolePolicyList": [], "AttachedManagedPolicies": []}"#
    }

    /// Roles sharing trust policies at different places: the same text on another line and column, the same text
    /// laid out differently, a different subject, and a copy placed in a design environment.
    static var dump: String {
        let wide = trust("repo:acme/*")
        return """
        {
          "RoleDetailList": [
            \(role("a", wide)),
              \(role("b", wide)),
        \(role("c", trust("repo:acme/*", indent: "  "))),
            \(role("d", trust("repo:*"))),    \(role("deploy-dev", wide)),
            \(role("deploy-prod", wide))
          ]
        }
        """
    }

    static var design: Design {
        Design(file: "iam-audit.json", account: account, region: "eu-north-1", github: .init(repository: "acme/app"),
               environments: [
                   .init(name: "dev", githubEnvironment: "dev", role: "deploy-dev"),
                   .init(name: "prod", githubEnvironment: "prod", role: "deploy-prod"),
               ])
    }

    func audit(_ text: String, design: Design?, reusing: Bool) -> FileAudit {
        var auditor = Auditor(design: design)
        auditor.reusesTrustFindings = reusing
        return auditor.audit(file: "dump.json", bytes: Array(text.utf8), jobs: 2)
    }

    @Test("Reused findings equal a fresh analysis of each copy, with and without a design", arguments: [false, true])
    func reusedEqualsFresh(withDesign: Bool) {
        let design = withDesign ? Self.design : nil
        let fresh = audit(Self.dump, design: design, reusing: false)
        let reused = audit(Self.dump, design: design, reusing: true)
        #expect(!fresh.findings.isEmpty)
        #expect(reused.findings == fresh.findings)
    }

    @Test("Each copy's findings point into the copy")
    func findingsPointIntoTheirCopy() {
        let audit = audit(Self.dump, design: nil, reusing: true)
        let text = Array(Self.dump.utf8)
        let lines = Self.dump.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, name) in ["a", "b", "c", "d", "deploy-dev", "deploy-prod"].enumerated() {
            let own = audit.findings.filter { $0.pointer.hasPrefix(JSONPointer(tokens: ["RoleDetailList", String(index), "AssumeRolePolicyDocument"])) }
            #expect(!own.isEmpty, "role \(name) has findings")
            for finding in own {
                // The span's text is the value the pointer names, quoted as written.
                let value = try! JSONParser().parse(text).resolve(finding.pointer)!
                #expect(finding.span == value.span, "\(finding.ruleCode) of role \(name)")
                let line = lines[finding.span.start.line - 1]
                #expect(line.unicodeScalars.count >= finding.span.start.column - 1)
            }
        }
    }

    @Test("Only trust policies read from their own text are kept")
    func keptDocuments() throws {
        let loaded = PolicyLoader().load(file: "t.json", bytes: Array(Self.trust("repo:acme/*").utf8))
        var policy = try #require(loaded.policies.first)
        policy.kind = .trust
        #expect(DocumentFindingsMemo.key(of: policy, environment: nil) != nil)
        var identity = policy
        identity.kind = .identity
        #expect(DocumentFindingsMemo.key(of: identity, environment: nil) == nil)
        var template = policy
        template.container = .templateRoleTrust
        #expect(DocumentFindingsMemo.key(of: template, environment: nil) == nil)
        var embedded = policy
        embedded.embedding = Located("{}", pointer: .root, span: policy.root.span)
        #expect(DocumentFindingsMemo.key(of: embedded, environment: nil) == nil)
        // The environment and the layout are part of the key.
        #expect(DocumentFindingsMemo.key(of: policy, environment: "dev") != DocumentFindingsMemo.key(of: policy, environment: nil))
        let relaid = try #require(PolicyLoader().load(file: "t.json", bytes: Array(Self.trust("repo:acme/*", indent: " ").utf8)).policies.first)
        var relaidTrust = relaid
        relaidTrust.kind = .trust
        #expect(DocumentFindingsMemo.key(of: relaidTrust, environment: nil) != DocumentFindingsMemo.key(of: policy, environment: nil))
    }
}
