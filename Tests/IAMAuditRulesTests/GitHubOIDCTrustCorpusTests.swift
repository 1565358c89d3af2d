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

/// The labels of `MANIFEST.tsv` against what iam-audit reports for each policy. A label names what the policy's
/// author committed; where iam-audit reads the policy otherwise, the disagreement is listed here with its reason.
@Suite("GitHub OIDC trust corpus labels", .enabled(if: GitHubOIDCTrustCorpus.folder != nil, Comment(rawValue: GitHubOIDCTrustCorpus.absent)))
struct GitHubOIDCTrustCorpusLabelTests {
    /// The error codes that agree with each label; nil: the label asks for no OIDC or TRUST error and no warning
    /// but a missing `aud` (OIDC008).
    static let agreeing: [String: Set<String>?] = [
        "pinned-branch": nil, "pinned-environment": nil, "pinned-tag": nil,
        "repo-wildcard": ["OIDC002", "OIDC003", "OIDC004"],
        "org-wildcard": ["OIDC002", "OIDC003"],
        "pull_request": ["OIDC004", "OIDC005", "OIDC002"],
        "missing-sub": ["OIDC001", "OIDC009"],
    ]

    /// Files where iam-audit and the label disagree, and why iam-audit's reading stands.
    static let disagreements: [String: String] = [
        "kcrane3576__eks-mlops-blueprint__write-template.json":
            "labelled pinned-branch, but `$OWNER/$NAME` and `${DEFAULT_BRANCH}` are committed unfilled: deployed as written, `${DEFAULT_BRANCH}` is a policy variable, read as any value (OIDC002, bounded)",
        "egobb__order-tracking__prod-tags.json":
            "labelled pinned-tag, but `refs/tags/v*` admits every tag that starts with `v`, which anyone who may push a tag creates (OIDC004)",
        "bootkorea__kube-garden__placeholder-owner-star.json":
            "labelled org-wildcard, but `YOUR_GITHUB_USERNAME` holds `_`, which no GitHub account name does: no token matches and the role cannot be assumed (OIDC015 warning)",
    ]

    @Test func labelsAgreeOrTheDisagreementIsExplained() throws {
        var compared = 0
        for row in try GitHubOIDCTrustCorpus.manifest() {
            guard let file = row["file"], let label = row["label"], let expected = Self.agreeing[label] else { continue }
            let findings = try GitHubOIDCTrustCorpus.audit(try #require(GitHubOIDCTrustCorpus.folder).appendingPathComponent(file)).findings
                .filter { $0.ruleCode.hasPrefix("OIDC") || $0.ruleCode.hasPrefix("TRUST") }
            let errors = Set(findings.filter { $0.level == .error }.map(\.ruleCode))
            let warnings = Set(findings.filter { $0.level == .warning }.map(\.ruleCode)).subtracting(["OIDC008", "OIDC012"])
            let agrees = expected.map { !errors.isDisjoint(with: $0) } ?? (errors.isEmpty && warnings.isEmpty)
            compared += 1
            if let reason = Self.disagreements[file] {
                #expect(!agrees, "\(file) now agrees with its label '\(label)': drop the listed disagreement (\(reason))")
            } else {
                #expect(agrees, "\(file) (\(label)): \(findings.map { "\($0.ruleCode) \($0.message)" })")
            }
        }
        #expect(compared >= 40, "expected the labelled rows, compared \(compared)")
    }
}
