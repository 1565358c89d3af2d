import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// One file to audit, as the CLI would: its bytes, and the design, environment and kind that govern it.
struct AuditInput: Sendable {
    var file: String
    var bytes: [UInt8]
    var design: Design?
    var environment: String?
    var kind: PolicyKind?

    /// Every JSON file under `fixtures/` (recursively, the account dumps included; design files aside), each with
    /// the nearest design in its folder or an ancestor inside `fixtures/`, placed as that design places it; then the
    /// policies of ``PrecedenceTests``, where rules supersede one another.
    static let fixtures: [AuditInput] = {
        let root = PackageRoot.url.appendingPathComponent("fixtures")
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        let files = enumerator.compactMap { $0 as? URL }
            .filter { ($0.pathExtension == "json" && $0.lastPathComponent != DesignLoader.fileName)
                || (["yml", "yaml"].contains($0.pathExtension) && $0.path.contains("/.github/workflows/")) }
            .sorted { $0.path < $1.path }
        var designs: [String: Design?] = [:]
        func design(for folder: URL) -> Design? {
            guard folder.path.hasPrefix(root.path) else { return nil }
            if let known = designs[folder.path] { return known }
            let file = folder.appendingPathComponent(DesignLoader.fileName).path
            let found: Design? = if FileManager.default.fileExists(atPath: file), case .success(let loaded) = DesignFixtures.loadFile(file) {
                loaded
            } else {
                design(for: folder.deletingLastPathComponent())
            }
            designs[folder.path] = found
            return found
        }
        var inputs = files.compactMap { url -> AuditInput? in
            guard let data = try? Data(contentsOf: url) else { return nil }
            let design = design(for: url.deletingLastPathComponent())
            let match = design.flatMap { PlacementResolver(design: $0) { DesignFixtures.fileKey($0) }.placement(ofFile: DesignFixtures.fileKey(url.path)) }
            return AuditInput(file: String(url.path.dropFirst(PackageRoot.url.path.count + 1)), bytes: [UInt8](data), design: design,
                              environment: match?.environment.name, kind: match?.kind)
        }
        inputs += PrecedenceTests.policies.map { AuditInput(file: "precedence/\($0.name).json", bytes: Array($0.source.utf8)) }
        return inputs
    }()

    /// The findings of auditing every input with the rules `selection` enables; the files one design governs
    /// make one run for the rules over the whole run (their workflows against their roles).
    static func findings(of inputs: [AuditInput], selection: RuleSelection = RuleSelection()) -> [ComparableFinding] {
        var result: [ComparableFinding] = []
        var facts: [String: (auditor: Auditor, facts: ProjectFacts)] = [:]
        for input in inputs {
            let auditor = Auditor(selection: selection, design: input.design)
            let audit = auditor.audit(file: input.file, bytes: input.bytes, explicit: false, kind: input.kind, environment: input.environment)
            result += audit.findings.map(ComparableFinding.init)
            guard let design = input.design, !audit.facts.isEmpty else { continue }
            facts[design.file, default: (auditor, ProjectFacts())].facts.merge(audit.facts)
        }
        for key in facts.keys.sorted() {
            let (auditor, gathered) = facts[key]!
            result += auditor.projectFindings(gathered).map(ComparableFinding.init)
        }
        return result
    }
}

/// What two runs' findings are compared by: rule, file, pointer, span and message.
struct ComparableFinding: Hashable, Sendable, CustomStringConvertible {
    var rule, file, message: String
    var pointer: JSONPointer
    var span: SourceSpan

    init(_ finding: Finding) {
        (rule, file, message, pointer, span) = (finding.ruleCode, finding.file, finding.message, finding.pointer, finding.span)
    }

    var description: String { "\(rule) \(file)\(pointer) \(span): \(message)" }
}

/// The engine owns precedence: a rule's finding replaces another's only while the rule is enabled and reports
/// on the declared place, so `--ignore` of one rule never hides another rule's finding.
@Suite("Precedence")
struct PrecedenceTests {
    /// Policies where one rule's finding supersedes another's; they join the fixtures of the test over all rules.
    static let policies: [(name: String, source: String)] = [
        ("credential-read-and-function-update", """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "lambda:UpdateFunctionCode"], "Resource": "*"}
          ]
        }
        """),
        ("iam-write-and-function-update", """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": ["iam:CreateRole", "lambda:UpdateFunctionCode"], "Resource": "*"}
          ]
        }
        """),
        ("misspelt-elements", """
        {
          "Versoin": "2012-10-17",
          "Statements": [],
          "Statement": [
            {"Efect": "Allow", "Actions": "s3:GetObject", "Resources": "*"},
            {"Effect": "Allow", "Comment": "not a misspelling", "Resource": "*"}
          ]
        }
        """),
        ("misspelt-statement", """
        {"Version": "2012-10-17", "Statment": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
        """),
        ("malformed-actions", """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": ["s3:Get Object", "ec2:Describe-*", "s3:GetObject"], "Resource": "arn:aws:s3:::example-bucket/*"}
          ]
        }
        """),
        ("empty-values", """
        {
          "Version": "",
          "Statement": [
            {"Effect": "Allow", "Action": ["", "s3:GetObject"], "Resource": ["", "arn:aws:s3:::example-bucket/*"]},
            {"Effect": "Allow", "Principal": {"AWS": "", "Service": [""]}, "Action": "sts:AssumeRole"}
          ]
        }
        """),
        ("not-principal-with-allow", """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
          ]
        }
        """),
    ]

    /// The findings of one of ``policies`` audited with the rules `selection` enables.
    func findings(_ name: String, selection: RuleSelection = RuleSelection()) -> [String] {
        let source = Self.policies.first { $0.name == name }?.source ?? ""
        return Auditor(selection: selection).audit(file: "\(name).json", bytes: Array(source.utf8)).findings
            .map { "\($0.ruleCode) \($0.pointer)" }
    }

    /// The issue's case: a statement that reads a secret and updates a function on `*` is PRIV006's; ignoring
    /// PRIV006 brings PRIV003 back (`lambda:UpdateFunctionCode` on `*` is a PRIV003 finding on its own).
    @Test func ignoringCredentialReadReportsTheWildcardResource() {
        #expect(findings("credential-read-and-function-update") == ["PRIV006 /Statement/0/Resource"])
        #expect(findings("credential-read-and-function-update", selection: RuleSelection(ignore: ["PRIV006"]))
            == ["PRIV003 /Statement/0/Resource"])
        #expect(findings("credential-read-and-function-update", selection: RuleSelection(select: ["PRIV003"]))
            == ["PRIV003 /Statement/0/Resource"])
        #expect(findings("iam-write-and-function-update") == ["PRIV007 /Statement/0/Resource"])
        #expect(findings("iam-write-and-function-update", selection: RuleSelection(ignore: ["credential-read-on-any-resource", "PRIV007"]))
            == ["PRIV003 /Statement/0/Resource"])
    }

    /// A misspelt element is IAM002's; with IAM002 ignored, the element is reported missing.
    @Test func ignoringUnknownElementReportsTheMissingElements() {
        #expect(findings("misspelt-elements") == [
            "IAM002 /Versoin", "IAM002 /Statements",
            "IAM002 /Statement/0/Efect", "IAM002 /Statement/0/Actions", "IAM002 /Statement/0/Resources",
            "IAM007 /Statement/1", "IAM002 /Statement/1/Comment",
        ])
        #expect(findings("misspelt-elements", selection: RuleSelection(ignore: ["IAM002"])) == [
            "IAM003 ", "IAM005 /Statement/0", "IAM007 /Statement/0", "IAM009 /Statement/0", "IAM007 /Statement/1",
        ])
        #expect(findings("misspelt-statement") == ["IAM002 /Statment"])
        #expect(findings("misspelt-statement", selection: RuleSelection(ignore: ["IAM002"])) == ["IAM018 "])
    }

    /// A malformed action is IAM020's; with IAM020 ignored, the catalog rules judge it.
    @Test func ignoringInvalidActionReportsTheCatalogFindings() {
        #expect(findings("malformed-actions") == ["IAM020 /Statement/0/Action/0", "IAM020 /Statement/0/Action/1"])
        #expect(findings("malformed-actions", selection: RuleSelection(ignore: ["IAM020"]))
            == ["IAM030 /Statement/0/Action/0", "IAM031 /Statement/0/Action/1"])
    }

    /// An empty value is IAM013's; with IAM013 ignored, the rules that judge the value report it.
    @Test func ignoringEmptyValueReportsTheMalformedValues() {
        #expect(findings("empty-values") == [
            "IAM013 /Version", "IAM013 /Statement/0/Action/0", "IAM013 /Statement/0/Resource/0",
            "IAM013 /Statement/1/Principal/AWS", "IAM013 /Statement/1/Principal/Service/0",
        ])
        #expect(findings("empty-values", selection: RuleSelection(ignore: ["IAM013"])) == [
            "IAM004 /Version", "IAM020 /Statement/0/Action/0", "IAM021 /Statement/0/Resource/0",
            "IAM025 /Statement/1/Principal/AWS", "IAM025 /Statement/1/Principal/Service/0",
        ])
    }

    /// In a trust policy, `NotPrincipal` with `Allow` is TRUST003's; with TRUST003 ignored, IAM011 reports it.
    @Test func ignoringNotPrincipalWithAllowReportsNotPrincipalInTrust() {
        #expect(findings("not-principal-with-allow") == ["TRUST003 /Statement/0/NotPrincipal"])
        #expect(findings("not-principal-with-allow", selection: RuleSelection(ignore: ["TRUST003"])) == ["IAM011 /Statement/0/NotPrincipal"])
    }

    /// Each declaration names another rule of the catalog, once, with a reason in the message style.
    @Test func declarationsNameOtherRules() {
        let codes = Set(RuleCatalog.descriptions.map(\.code))
        for description in RuleCatalog.descriptions {
            let superseded = description.supersedes.map(\.code)
            #expect(Set(superseded).count == superseded.count, "\(description.code) supersedes a rule twice")
            for supersession in description.supersedes {
                #expect(codes.contains(supersession.code) && supersession.code != description.code,
                        "\(description.code) supersedes '\(supersession.code)'")
                #expect(!supersession.reason.isEmpty && !supersession.reason.hasSuffix("."), "\(description.code): \(supersession.reason)")
            }
        }
    }

    /// Loader-reported rules are marked in their description, never run, and still honour `--select`/`--ignore`.
    @Test func loaderReportedRulesAreSelectedButNotRun() {
        for rule in RuleCatalog.all {
            #expect((rule.description.reportedBy == .loader) == (rule is any LoaderReportedRule.Type), "\(rule.description.code)")
        }
        let auditor = Auditor()
        #expect(!auditor.rules.contains { type(of: $0).description.reportedBy == .loader })
        #expect(auditor.descriptions.contains { $0.code == InvalidJSON.description.code })
        let broken = Array(#"{"Version": "2012-10-17",}"#.utf8)
        #expect(Auditor(selection: RuleSelection(select: ["IAM001"])).audit(file: "broken.json", bytes: broken).findings.map(\.ruleCode) == ["IAM001"])
        #expect(Auditor(selection: RuleSelection(ignore: ["invalid-json"])).audit(file: "broken.json", bytes: broken).findings.isEmpty)
    }

    // MARK: Every rule on the fixtures

    static let everyFinding = AuditInput.findings(of: AuditInput.fixtures)

    /// Whether `finding` lies where a finding of `superseding` in the run of every rule supersedes it.
    static func isSuperseded(_ finding: ComparableFinding, by superseding: RuleDescription) -> Bool {
        superseding.supersedes.contains { supersession in
            supersession.code == finding.rule && everyFinding.contains { other in
                other.rule == superseding.code && other.file == finding.file
                    && supersession.place.holds(superseded: finding.pointer, superseding: other.pointer)
            }
        }
    }

    /// `--ignore R` removes exactly R's findings, and brings back only findings R supersedes, where R reported.
    @Test(arguments: RuleCatalog.descriptions.map(\.code))
    func ignoringARuleRemovesExactlyItsFindings(code: String) throws {
        let rule = try #require(RuleCatalog.rule(code)?.description)
        let without = AuditInput.findings(of: AuditInput.fixtures, selection: RuleSelection(ignore: [code]))
        let everySet = Set(Self.everyFinding)
        let withoutSet = Set(without)
        #expect(everySet.count == Self.everyFinding.count && withoutSet.count == without.count, "repeated findings")
        let removed = Self.everyFinding.filter { !withoutSet.contains($0) }
        #expect(removed == Self.everyFinding.filter { $0.rule == code }, "\(removed.filter { $0.rule != code })")
        let returned = without.filter { !everySet.contains($0) }
        #expect(returned.allSatisfy { Self.isSuperseded($0, by: rule) }, "\(returned.filter { !Self.isSuperseded($0, by: rule) })")
    }

    /// `--select R` reports R's findings of the run of every rule, and besides them only R's findings that another
    /// rule superseded there.
    @Test(arguments: RuleCatalog.descriptions.map(\.code))
    func selectingARuleReportsItsFindings(code: String) {
        let only = AuditInput.findings(of: AuditInput.fixtures, selection: RuleSelection(select: [code]))
        let everySet = Set(Self.everyFinding)
        let onlySet = Set(only)
        #expect(only.allSatisfy { $0.rule == code })
        let missing = Self.everyFinding.filter { $0.rule == code && !onlySet.contains($0) }
        #expect(missing.isEmpty, "\(missing)")
        let superseding = RuleCatalog.descriptions.filter { $0.supersedes.contains { $0.code == code } }
        let extra = only.filter { !everySet.contains($0) }
        let unexplained = extra.filter { finding in !superseding.contains { Self.isSuperseded(finding, by: $0) } }
        #expect(unexplained.isEmpty, "\(unexplained)")
    }

    /// The test above sees precedence at work: the fixtures hold findings that come back when their superseding
    /// rule is ignored.
    @Test func theFixturesExercisePrecedence() {
        let superseding = RuleCatalog.descriptions.filter { !$0.supersedes.isEmpty }.map(\.code)
        for code in superseding {
            let without = Set(AuditInput.findings(of: AuditInput.fixtures, selection: RuleSelection(ignore: [code])))
            #expect(!without.subtracting(Self.everyFinding).isEmpty, "ignoring \(code) brings nothing back")
        }
    }
}
