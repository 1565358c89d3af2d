import Foundation
import Testing

/// The seed-shaped SAM template placed in `dev` and `prod`, against each environment's deploy role (DSN009, DSN010):
/// the pipeline document's `ai-multi-comms-<env>-*` patterns block the resources the template really names
/// `ai-multi-comms-<component>-<env>`, and `policies/` as hardened deploys them all.
@Suite("The template against its environment's deploy role")
struct DeployRoleTests {
    private static let files = ["iam-audit.json", "oidc-provider.json", "template.yaml", "dev/trust-policy.json",
                                "dev/permissions-policy.json", "prod/trust-policy.json", "prod/permissions-policy.json"]

    /// A fixture folder copied into a fresh folder, each file passed through `edit` (file name, text).
    private func copy(_ fixture: String, editing edit: (String, String) -> String = { $1 }) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let root = PackageRoot.url.path + "/" + fixture + "/"
        for file in Self.files {
            try folder.write(file, edit(file, try String(contentsOfFile: root + file, encoding: .utf8)))
        }
        return folder
    }

    /// `rule line:column environment` of each finding of the deploy-role rules, DSN009 and DSN010 (in the template)
    /// or DSN011 (in the permission policies, its file named too).
    private func deployFindings(in folder: TemporaryFolder, select: String = "DSN009,DSN010") throws -> Set<String> {
        let run = iamAudit([".", "-f", "json", "--select", select], workingDirectory: folder.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.allSatisfy { $0["file"] as? String == "template.yaml" || $0["ruleId"] as? String == "DSN011" })
        return Set(findings.map { finding in
            let file = finding["ruleId"] as? String == "DSN011" ? "\(finding["file"] ?? "") " : ""
            return "\(finding["ruleId"] ?? "") \(file)\(finding["line"] ?? ""):\(finding["column"] ?? "") \(finding["environment"] ?? "-")"
        })
    }

    /// `policies/` is the tightest policy set that deploys its template: no resource is blocked, no service missing.
    @Test func theHardenedPoliciesDeployTheTemplate() throws {
        let folder = try copy("policies")
        defer { folder.remove() }
        #expect(try deployFindings(in: folder, select: "DSN009,DSN010,DSN011").isEmpty)
    }

    /// The document's Secrets Manager statement serves no resource of the template: a note at its `Action`, per
    /// environment.
    @Test func aServiceNoResourceNeedsIsANote() throws {
        let folder = try copy("fixtures/seed-as-documented")
        defer { folder.remove() }
        #expect(try deployFindings(in: folder, select: "DSN011") == [
            "DSN011 dev/permissions-policy.json 171:17 dev", "DSN011 prod/permissions-policy.json 171:17 prod",
        ])
    }

    /// Without its SNS statement, dev's role cannot create the alerts topic: DSN010 at the topic's name, dev only.
    @Test func aMissingServiceIsReportedAtTheResourcesName() throws {
        let folder = try copy("policies") { file, text in
            guard file == "dev/permissions-policy.json" else { return text }
            return text.replacingOccurrences(of: "\"sns:", with: "\"sqs:")
        }
        defer { folder.remove() }
        #expect(try deployFindings(in: folder) == ["DSN010 192:18 dev"])
    }

    /// The pipeline document's deploy policy, its Lambda statement narrowed to `function:ai-multi-comms-dev-*` as the
    /// document says was tried: the tables, the dead-letter queue, both functions and both log groups are blocked
    /// in dev, and the topic and the alarm have no statement at all. The role names (`ai-multi-comms-*-role-dev`) and
    /// the main queue (`ai-multi-comms-*-queue-dev`) fit its patterns.
    @Test func theDocumentsPatternsBlockTheRealNames() throws {
        let folder = try copy("fixtures/seed-as-documented") { file, text in
            guard file == "dev/permissions-policy.json" else { return text }
            return text.replacingOccurrences(of: "\"lambda:GetPolicy\"\n      ],\n      \"Resource\": \"*\"",
                                             with: "\"lambda:GetPolicy\"\n      ],\n      \"Resource\": \"arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*\"")
        }
        defer { folder.remove() }
        let policy = try String(contentsOfFile: folder.url("dev/permissions-policy.json"), encoding: .utf8)
        #expect(policy.contains(#""Resource": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*""#))
        let found = try deployFindings(in: folder)
        #expect(Set(found.filter { $0.hasSuffix(" dev") }) == [
            "DSN009 32:18 dev", "DSN009 48:18 dev",
            "DSN009 60:18 dev",
            "DSN009 106:21 dev", "DSN009 165:21 dev",
            "DSN009 180:21 dev", "DSN009 186:21 dev",
            "DSN010 192:18 dev", "DSN010 197:18 dev",
        ])
        // The fixture as committed grants Lambda on "*" (the document's compromise): the functions deploy there.
        #expect(!found.contains("DSN009 106:21 prod") && found.contains("DSN009 32:18 prod"))
    }
}
