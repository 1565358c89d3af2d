import IAMAuditRules
import IAMPolicy
import Testing

/// One example of one rule, as a test argument.
struct CatalogExample: CustomTestStringConvertible, Sendable {
    var rule: any Rule.Type
    var example: RuleExample
    var triggering: Bool
    var number: Int

    var testDescription: String {
        "\(rule.description.code) \(triggering ? "triggering" : "non-triggering") #\(number + 1)"
    }

    static var all: [CatalogExample] {
        RuleCatalog.all.flatMap { rule in
            rule.description.triggeringExamples.enumerated().map { CatalogExample(rule: rule, example: $1, triggering: true, number: $0) }
                + rule.description.nonTriggeringExamples.enumerated().map { CatalogExample(rule: rule, example: $1, triggering: false, number: $0) }
        }
    }
}

@Suite("Rule examples")
struct RuleExampleTests {
    /// Every example of every rule: triggering ones report exactly at their pointers, the others stay silent.
    @Test(arguments: CatalogExample.all)
    func example(_ item: CatalogExample) {
        let description = item.rule.description
        let auditor = Auditor(catalog: RuleCatalog.all, design: item.example.design)
        // A template a design environment deploys is read as that environment's stack, as the CLI reads it.
        let stacks = item.example.design?.environments.filter { $0.templates.contains(item.example.fileName) } ?? []
        var audit = stacks.isEmpty
            ? auditor.audit(file: item.example.fileName, bytes: Array(item.example.source.utf8), kind: item.example.kind,
                            environment: item.example.environment)
            : auditor.audit(file: item.example.fileName, bytes: Array(item.example.source.utf8), stacks: stacks)
        // The files beside the example (the trust policies beside a workflow) make one run with it.
        var facts = audit.facts
        for companion in item.example.companions {
            let deployedBy = item.example.design?.environments.filter { $0.templates.contains(companion.fileName) } ?? []
            let other = deployedBy.isEmpty
                ? auditor.audit(file: companion.fileName, bytes: Array(companion.source.utf8), kind: companion.kind,
                                environment: companion.environment)
                : auditor.audit(file: companion.fileName, bytes: Array(companion.source.utf8), stacks: deployedBy)
            facts.merge(other.facts)
            audit.errors += other.errors
            // A companion is a correct file: only the rule under test may speak of it.
            let grammar = other.findings.filter { $0.ruleCode.hasPrefix("IAM") }
            #expect(grammar.isEmpty, "companion \(companion.fileName): \(grammar.map(\.message))")
        }
        audit.findings += auditor.projectFindings(facts).filter { $0.file == item.example.fileName }
        let findings = audit.findings.filter { $0.ruleCode == description.code }
        let location = SourceLocation(fileID: "IAMAuditRules/\(description.code)", filePath: item.example.sourceFile,
                                      line: item.example.sourceLine, column: 1)
        if item.triggering {
            #expect(!item.example.pointers.isEmpty, "a triggering example must name where it triggers", sourceLocation: location)
            #expect(findings.map(\.pointer.description).sorted() == item.example.pointers.map(\.description).sorted(),
                    "\(findings.map(\.message))", sourceLocation: location)
            for finding in findings {
                #expect(finding.span.start.line >= 1 && finding.span.start.column >= 1, sourceLocation: location)
                #expect(!finding.message.isEmpty && !finding.message.hasSuffix("."), "message style: \(finding.message)", sourceLocation: location)
            }
        } else {
            #expect(findings.isEmpty, "\(findings.map { "\($0.pointer): \($0.message)" })", sourceLocation: location)
        }
        #expect(audit.errors.isEmpty, "\(audit.errors.map(\.formatted))", sourceLocation: location)
    }
}

@Suite("Rule catalog")
struct RuleCatalogTests {
    let descriptions = RuleCatalog.descriptions

    /// Codes are unique and sorted: by family in `RuleFamily` order (IAM, OIDC, TRUST, PRIV, DSN, WF), then by code.
    @Test func codesAreUniqueAndSorted() {
        let codes = descriptions.map(\.code)
        #expect(Set(codes).count == codes.count)
        let families = RuleFamily.allCases
        func rank(_ code: String) -> Int { RuleFamily(code: code).flatMap { families.firstIndex(of: $0) } ?? families.count }
        #expect(codes == codes.sorted { (rank($0), $0) < (rank($1), $1) })
    }

    @Test func namesAreUniqueKebabCase() {
        let names = descriptions.map(\.name)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && !name.hasPrefix("-"), "\(name)")
        }
    }

    @Test func codesBelongToAFamily() {
        for description in descriptions {
            #expect(description.family != nil, "\(description.code)")
            #expect(description.code.drop { $0.isLetter }.count == 3 && description.code.drop { $0.isLetter }.allSatisfy(\.isNumber), "\(description.code)")
        }
    }

    @Test func everyRuleIsDocumentedAndHasExamples() {
        for description in descriptions {
            #expect(!description.title.isEmpty && !description.summary.isEmpty && !description.rationale.isEmpty, "\(description.code)")
            #expect(!description.triggeringExamples.isEmpty, "\(description.code) has no triggering example")
            #expect(!description.nonTriggeringExamples.isEmpty, "\(description.code) has no non-triggering example")
            #expect([9.5, 8.0, 5.5, 2.0].contains(description.securitySeverity), "\(description.code)")
        }
    }

    /// Every rule file under Sources/IAMAuditRules/Rules declares a type registered in the catalog, named as the file.
    @Test func everyRuleFileIsRegistered() throws {
        let rulesFolder = PackageRoot.url.appendingPathComponent("Sources/IAMAuditRules/Rules")
        let files = try PackageRoot.swiftFiles(under: rulesFolder)
        let registered = Set(RuleCatalog.all.map { String(describing: $0) })
        #expect(!files.isEmpty)
        for file in files {
            let typeName = file.deletingPathExtension().lastPathComponent
            #expect(registered.contains(typeName), "\(typeName).swift is not registered in RuleCatalog.all")
            let family = file.deletingLastPathComponent().lastPathComponent
            if let rule = RuleCatalog.all.first(where: { String(describing: $0) == typeName }) {
                #expect(rule.description.family?.rawValue == family, "\(typeName) is in folder \(family) but has code \(rule.description.code)")
            }
        }
        #expect(files.count == RuleCatalog.all.count, "rule files and catalog entries differ in number")
    }
}
