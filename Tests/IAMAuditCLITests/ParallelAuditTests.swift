import Foundation
import IAMAuditCLI
import Testing

/// Files are audited by several workers; the report must not depend on how many.
@Suite("Parallel audit")
struct ParallelAuditTests {
    @Test(arguments: ["json", "text", "sarif"])
    func reportIsIdenticalWhateverTheWorkerCount(format: String) {
        var targets = ["policies", "fixtures/seed-as-documented", "fixtures/adversarial"]
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

    @Test func jobsMustBePositive() {
        let run = iamAudit(["policies", "--jobs", "0"], workingDirectory: PackageRoot.url.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains("--jobs"))
    }
}
