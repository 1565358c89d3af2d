import Foundation
import IAMAuditCLI
import Testing

/// Files are audited by several workers; the report must not depend on how many.
@Suite("Parallel audit")
struct ParallelAuditTests {
    @Test(arguments: ["json", "text", "sarif"])
    func reportIsIdenticalWhateverTheWorkerCount(format: String) {
        var targets = ["policies", "fixtures/seed-as-documented", "fixtures/adversarial", "fixtures/account-dump"]
        if let shared = PackageRoot.shared {
            targets.append(shared.appendingPathComponent("corpus/github-oidc-trust").path)
        } else {
            print("note: no ../shared beside the package; comparing worker counts on the repository's fixtures only")
        }
        let one = iamAudit(targets + ["--format", format, "--jobs", "1", "--fail-on", "never"], workingDirectory: PackageRoot.url.path)
        let four = iamAudit(targets + ["--format", format, "--jobs", "4", "--fail-on", "never"], workingDirectory: PackageRoot.url.path)
        #expect(one.code == .success && four.code == .success, "\(one.stderr) \(four.stderr)")
        #expect(!one.stdout.isEmpty)
        #expect(one.stdout == four.stdout)
        #expect(one.stderr == four.stderr)
    }

    /// The entries of one account dump are audited by several workers: a dump of 200 roles (the fixture's, renamed,
    /// two of every four named by the design) and its managed policies reports the same with 1 and 4 workers.
    @Test(arguments: ["json", "text", "sarif"])
    func dumpReportIsIdenticalWhateverTheWorkerCount(format: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fixture = PackageRoot.url.appendingPathComponent("fixtures/account-dump")
        let data = try Data(contentsOf: fixture.appendingPathComponent("authorization-details.json"))
        var dump = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let roles = try #require(dump["RoleDetailList"] as? [[String: Any]])
        dump["RoleDetailList"] = (0..<50).flatMap { copy in
            roles.map { role in
                var renamed = role
                if copy > 0, let name = role["RoleName"] as? String { renamed["RoleName"] = "\(name)-\(copy)" }
                return renamed
            }
        }
        try folder.write("dump/authorization-details.json", String(decoding: try JSONSerialization.data(withJSONObject: dump, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
        try folder.write("dump/iam-audit.json", String(decoding: try Data(contentsOf: fixture.appendingPathComponent("iam-audit.json")), as: UTF8.self))
        let one = iamAudit(["dump", "--format", format, "--jobs", "1", "--fail-on", "never"], workingDirectory: folder.path)
        let four = iamAudit(["dump", "--format", format, "--jobs", "4", "--fail-on", "never"], workingDirectory: folder.path)
        #expect(one.code == .success && four.code == .success, "\(one.stderr) \(four.stderr)")
        #expect(one.stdout.contains("GitHubActions-template-sender-engine-dev-49"))
        #expect(one.stdout == four.stdout)
        #expect(one.stderr == four.stderr)
    }

    @Test func jobsMustBePositive() {
        let run = iamAudit(["policies", "--jobs", "0"], workingDirectory: PackageRoot.url.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains("--jobs"))
    }
}
