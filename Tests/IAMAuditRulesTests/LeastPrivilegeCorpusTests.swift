import Foundation
import IAMAuditRules
import Testing

@Suite("Least privilege: AWS managed policy corpus")
struct LeastPrivilegeCorpusTests {
    /// Every AWS managed policy audits with the PRIV rules without an error; the findings per rule are printed,
    /// not asserted (AWS managed policies are broad by design).
    @Test func managedPoliciesAuditWithoutErrors() throws {
        guard let shared = PackageRoot.shared else {
            print("skipped: ../shared is absent (set IAM_AUDIT_SHARED to its path to run this test)")
            return
        }
        let folder = shared.appendingPathComponent("corpus/aws-managed")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.path < $1.path }
        #expect(files.count > 1000)
        let auditor = Auditor(catalog: RuleCatalog.all.filter { $0.description.family == .priv })
        var counts: [String: Int] = [:]
        var policies = 0
        var flagged = 0
        for file in files {
            let audit = auditor.audit(file: file.lastPathComponent, bytes: try [UInt8](Data(contentsOf: file)), kind: .identity)
            #expect(audit.errors.isEmpty, "\(file.lastPathComponent): \(audit.errors.map(\.formatted))")
            #expect(audit.policyCount == 1, "\(file.lastPathComponent)")
            policies += audit.policyCount
            if !audit.findings.isEmpty { flagged += 1 }
            for finding in audit.findings {
                counts[finding.ruleCode, default: 0] += 1
                #expect(finding.span.start.line >= 1 && !finding.message.isEmpty && !finding.message.hasSuffix("."))
            }
        }
        let table = counts.keys.sorted().map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        print("least privilege on aws-managed: \(policies) policies, \(flagged) with findings; \(table)")
    }
}
