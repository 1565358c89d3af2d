import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// IAM030 on the AWS managed policies: it reports exactly the literal actions the catalog lacks.
@Suite("Unknown actions in the AWS managed policies")
struct UnknownActionCorpusTests {
    @Test func firesOnlyOnActionsAbsentFromTheCatalog() throws {
        guard let shared = PackageRoot.shared else {
            print("skipped: no ../shared beside the package (set IAM_AUDIT_SHARED), so no corpus/aws-managed")
            return
        }
        let folder = shared.appendingPathComponent("corpus/aws-managed")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let auditor = Auditor(catalog: [UnknownAction.self])
        let catalog = ActionCatalog.shared
        var reported = Set<String>()
        var literal = Set<String>()
        for file in files {
            let bytes = try Array(Data(contentsOf: folder.appendingPathComponent(file)))
            let audit = auditor.audit(file: file, bytes: bytes)
            for policy in PolicyLoader().load(file: file, bytes: bytes).policies {
                for statement in policy.document.statements {
                    for action in statement.actionElement?.values ?? [] where !action.contains("*") && !action.contains("?") && action.contains(":") {
                        literal.insert(action.lowercased())
                    }
                }
            }
            for finding in audit.findings {
                let value = String(finding.message.split(separator: "'")[1])
                reported.insert(value.lowercased())
                #expect(catalog.action(value) == nil, "IAM030 on '\(value)', which the catalog has")
            }
        }
        let absent = literal.filter { catalog.action($0) == nil }
        #expect(reported == absent)
        print("IAM030: \(reported.count) of \(literal.count) distinct literal actions of corpus/aws-managed are absent from the catalog")
    }
}
