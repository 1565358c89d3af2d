import Foundation
@testable import IAMAuditCLI
import IAMAuditRules
import Testing

/// Real policies from `../shared/corpus`, read through the command line without a crash. Skipped, with the
/// reason printed, where the corpus is absent.
@Suite("Shared corpus")
struct CorpusTests {
    /// The files of one corpus folder, sorted, or nil (with the reason printed) when it is absent.
    private func corpusFiles(_ folder: String) throws -> [String]? {
        guard let shared = PackageRoot.shared else {
            print("skipped: no ../shared folder beside the package, so no corpus/\(folder)")
            return nil
        }
        let path = shared.appendingPathComponent("corpus/\(folder)").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipped: \(path) is absent")
            return nil
        }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
    }

    /// `aws-managed-wrapped/` holds `get-policy-version` output in files without an extension, so each is named;
    /// two are empty, which is IAM001 and nothing worse.
    @Test func awsManagedWrappedNamedFiles() throws {
        guard let files = try corpusFiles("aws-managed-wrapped") else { return }
        let report = try checkReport(files)
        #expect(report.fileCount == files.count)
        #expect(report.errors.isEmpty, "\(report.errors.prefix(5).map(\.formatted))")
        let empty = files.filter { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) == 0 }
        #expect(empty.count == 2)
        #expect(Set(report.findings.filter { $0.ruleCode == "IAM001" }.map(\.file)) == Set(empty))
        #expect(report.policyCount == files.count - empty.count)
        let run = iamAudit(["--format", "json", "--fail-on", "never"] + files)
        #expect(run.code == .success)
        #expect(run.stderr.isEmpty)
    }

    /// `github-oidc-trust/` holds trust policies (`*.json`) and a few text files; named, every one is read, and
    /// the text files are IAM001.
    @Test func githubOIDCTrustNamedFilesAndFolder() throws {
        guard let files = try corpusFiles("github-oidc-trust") else { return }
        let report = try checkReport(files)
        #expect(report.fileCount == files.count)
        #expect(report.errors.isEmpty, "\(report.errors.prefix(5).map(\.formatted))")
        let jsonFiles = files.filter { $0.hasSuffix(".json") }
        let invalid = Set(report.findings.filter { $0.ruleCode == "IAM001" }.map(\.file))
        #expect(invalid.isSubset(of: Set(files).subtracting(jsonFiles)), "\(invalid.intersection(jsonFiles))")

        let folder = try checkReport([(files[0] as NSString).deletingLastPathComponent])
        #expect(folder.fileCount == jsonFiles.count)
        #expect(folder.errors.isEmpty)
        #expect(folder.findings.allSatisfy { $0.ruleCode != "IAM001" })
    }
}
