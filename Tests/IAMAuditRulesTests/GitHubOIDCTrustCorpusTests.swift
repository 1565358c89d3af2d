import Foundation
import IAMAuditRules
import Testing

/// The real GitHub OIDC trust policies of `../shared/corpus/github-oidc-trust`, labelled in its `MANIFEST.tsv`.
enum GitHubOIDCTrustCorpus {
    static var folder: URL? {
        guard let url = PackageRoot.shared?.appendingPathComponent("corpus/github-oidc-trust"),
              FileManager.default.fileExists(atPath: url.appendingPathComponent("MANIFEST.tsv").path) else { return nil }
        return url
    }

    static let absent = "../shared/corpus/github-oidc-trust is absent (the shared corpus is not part of a clone; set IAM_AUDIT_SHARED to point at it)"

    static func policyFiles() throws -> [URL] {
        guard let folder else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// MANIFEST.tsv rows as column name → value, in file order.
    static func manifest() throws -> [[String: String]] {
        guard let folder else { return [] }
        let lines = try String(contentsOf: folder.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }

    static func audit(_ url: URL) throws -> FileAudit {
        let bytes = try Array(Data(contentsOf: url))
        return Auditor(catalog: RuleCatalog.all).audit(file: url.lastPathComponent, bytes: bytes)
    }
}

@Suite("GitHub OIDC trust corpus", .enabled(if: GitHubOIDCTrustCorpus.folder != nil, Comment(rawValue: GitHubOIDCTrustCorpus.absent)))
struct GitHubOIDCTrustCorpusTests {
    /// Every file loads and audits; findings are located; nothing crashes or is reported as a run error.
    @Test func everyFileAudits() throws {
        let files = try GitHubOIDCTrustCorpus.policyFiles()
        #expect(files.count >= 50, "expected the corpus's policy files, found \(files.count)")
        for file in files {
            let audit = try GitHubOIDCTrustCorpus.audit(file)
            #expect(audit.policyCount == 1 || audit.findings.contains { $0.ruleCode == "IAM001" }, "\(file.lastPathComponent)")
            #expect(audit.errors.isEmpty, "\(file.lastPathComponent): \(audit.errors.map(\.formatted))")
            for finding in audit.findings {
                #expect(finding.span.start.line >= 1 && finding.span.start.column >= 1, "\(file.lastPathComponent) \(finding.ruleCode)")
            }
        }
    }

    /// The files MANIFEST.tsv describes as committed with an unfilled account placeholder (`YOUR_ACCOUNT_ID`,
    /// `{AWS_ACCOUNT_ID}`, `${AWS_ACCOUNT_ID}`, `ACCOUNT_ID`) get IAM021 on their provider ARN.
    ///
    /// Rows whose "placeholder" is AWS's documentation account `111122223333` are not among them: that is a
    /// well-formed 12-digit account id, which the syntax rule accepts.
    @Test func placeholderAccountsAreInvalidARNs() throws {
        let rows = try GitHubOIDCTrustCorpus.manifest().filter { ($0["reason"] ?? "").contains("ACCOUNT_ID") }
        #expect(rows.count >= 6, "expected the manifest's placeholder-account rows, found \(rows.count)")
        for row in rows {
            let name = try #require(row["file"])
            let file = try #require(GitHubOIDCTrustCorpus.folder).appendingPathComponent(name)
            let findings = try GitHubOIDCTrustCorpus.audit(file).findings.filter { $0.ruleCode == InvalidARN.description.code }
            #expect(findings.contains { $0.pointer.description == "/Statement/0/Principal/Federated" && $0.message.contains("placeholder account") },
                    "\(name): \(findings.map(\.message))")
        }
    }

    /// Files with a well-formed provider ARN get no IAM021 finding.
    @Test func wellFormedProviderARNsPass() throws {
        for file in try GitHubOIDCTrustCorpus.policyFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard text.range(of: #"arn:aws:iam::[0-9]{12}:oidc-provider/token\.actions\.githubusercontent\.com""#, options: .regularExpression) != nil
            else { continue }
            let findings = try GitHubOIDCTrustCorpus.audit(file).findings.filter { $0.ruleCode == InvalidARN.description.code }
            #expect(findings.isEmpty, "\(file.lastPathComponent): \(findings.map(\.message))")
        }
    }
}
