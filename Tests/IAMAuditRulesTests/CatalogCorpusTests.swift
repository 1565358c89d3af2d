import Foundation
import IAMAuditRules
import Testing

@Suite("Action catalog: AWS managed policy corpus")
struct CatalogCorpusTests {
    /// Literal actions the AWS managed policies use that the catalog lacks: printed, and few.
    @Test func managedPolicyActionsAreKnown() throws {
        guard let shared = PackageRoot.shared else {
            print("skipped: ../shared is absent (set IAM_AUDIT_SHARED to its path to run this test)")
            return
        }
        let folder = shared.appendingPathComponent("corpus/aws-managed")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(files.count > 1000)
        var literal: [String: String] = [:]  // lowercased → first spelling seen
        for file in files.sorted(by: { $0.path < $1.path }) {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file))
            let statements: [[String: Any]]
            switch (object as? [String: Any])?["Statement"] {
            case let list as [[String: Any]]: statements = list
            case let one as [String: Any]: statements = [one]
            default: statements = []
            }
            for statement in statements {
                for element in ["Action", "NotAction"] {
                    let values = (statement[element] as? [String]) ?? (statement[element] as? String).map { [$0] } ?? []
                    for value in values where !value.contains("*") && !value.contains("?") {
                        literal[value.lowercased()] = literal[value.lowercased()] ?? value
                    }
                }
            }
        }
        let catalog = ActionCatalog.shared
        let absent = literal.values.filter { catalog.action($0) == nil }.sorted()
        print("catalog: \(absent.count) of \(literal.count) distinct literal actions in aws-managed are absent from the catalog:")
        for name in absent {
            print("  \(name)" + (catalog.suggestion(forAction: name).map { " (did you mean \($0)?)" } ?? ""))
        }
        #expect(literal.count > 9_000)
        #expect(absent.count * 50 < literal.count, "more than 2% of the literal actions are unknown")
        for name in absent {
            let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
            #expect(catalog.action(name) == nil)
            #expect(catalog.actions(matching: name).isEmpty, "\(name)")
            if parts.count == 2, let service = catalog.service(parts[0]) {
                #expect(!service.actions.contains { $0.name.lowercased() == parts[1].lowercased() }, "\(name)")
            }
        }
    }

    /// Every ARN format the catalog compiles in parses into six fields.
    @Test func catalogFormatsHaveSixFields() {
        for service in ActionCatalog.shared.services {
            for type in service.resourceTypes {
                #expect(type.arnFormat.template.hasPrefix("arn:"), "\(type)")
            }
        }
    }
}

@Suite("Action catalog: load time")
struct CatalogLoadTimeTests {
    /// Measures (does not assert) the lazy loading steps: speed is `make bench`'s business, and a debug build
    /// is several times slower than a release one.
    @Test func measureLoadTime() {
        let clock = ContinuousClock()
        var catalog = ActionCatalog()
        let index = clock.measure { catalog = ActionCatalog() }
        var action: Action?
        let firstService = clock.measure { action = catalog.action("s3:GetObject") }
        var key: ConditionKey?
        let keys = clock.measure { key = catalog.conditionKey("aws:SourceIp") }
        var actions = 0
        let all = clock.measure { actions = catalog.services.reduce(0) { $0 + $1.actions.count } }
        print("catalog load: index \(index); first service (s3) \(firstService); condition-key index \(keys); "
              + "all \(catalog.servicePrefixes.count) services, \(actions) actions \(all)")
        #expect(action != nil && key != nil && actions > 20_000)
    }
}
