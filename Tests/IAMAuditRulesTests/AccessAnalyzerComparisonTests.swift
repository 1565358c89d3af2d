import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// Every rule on the AWS managed policies of ../shared/corpus (issue 4, "Done when"): IAM030 fires exactly on the
/// literal actions the catalog lacks, and iam-audit's findings compare with AWS IAM Access Analyzer's own
/// (`aws-managed-meta/access-analyzer-findings`, 76 policies) with every miss explained.
/// `scripts/compare-access-analyzer.py` prints the same comparison from the built binary, as Markdown.
@Suite("AWS managed policies: catalog rules and Access Analyzer")
struct AccessAnalyzerComparisonTests {
    /// Access Analyzer issue code → the rules that report the same problem.
    static let counterparts: [String: Set<String>] = [
        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": ["IAM033"],
        "TYPE_MISMATCH": ["IAM033"],
        "INVALID_ACTION": ["IAM030", "IAM020"],
        "INVALID_SERVICE_CONDITION_KEY": ["IAM032"],
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": ["IAM017"],
        "PASS_ROLE_WITH_STAR_IN_RESOURCE": ["PRIV004"],
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": ["PRIV004", "PRIV001", "PRIV002"],
        "CREATE_SLR_WITH_STAR_IN_RESOURCE": ["PRIV007"],
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": ["PRIV007", "PRIV001", "PRIV002"],
        "MISSING_QUALIFIER": ["IAM035"],
    ]

    /// Issue codes iam-audit has no rule for, each with the reason.
    static let notImplemented: [String: String] = [
        "REDUNDANT_ACTION": "suggestion not implemented",
        "REDUNDANT_RESOURCE": "suggestion not implemented",
        "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": "no per-action check of aws:ResourceTag support",
    ]

    /// One finding of Access Analyzer: its issue code and the locations, as JSON pointers and raw paths.
    struct AnalyzerFinding {
        var issueCode: String
        var paths: [[[String: Any]]]

        var statements: Set<Int> {
            Set(paths.map { path in
                guard path.first?["value"] as? String == "Statement" else { return -1 }
                return path.count > 1 ? (path[1]["index"] as? Int ?? 0) : 0
            })
        }
    }

    static func statement(of pointer: JSONPointer) -> Int {
        let tokens = pointer.description.split(separator: "/", omittingEmptySubsequences: false)
        guard tokens.count > 1, tokens[1] == "Statement" else { return -1 }
        return tokens.count > 2 ? Int(tokens[2]) ?? 0 : 0
    }

    /// The value `path` names in `document`, or nil when the document no longer has it.
    static func resolve(_ path: [[String: Any]], in document: Any) -> Any? {
        var node: Any = document
        for part in path {
            if let index = part["index"] as? Int {
                if let list = node as? [Any] {
                    guard index < list.count else { return nil }
                    node = list[index]
                } else if index != 0 {
                    return nil
                }
            } else if let name = (part["value"] ?? part["key"]) as? String {
                guard let object = node as? [String: Any], let value = object[name] else { return nil }
                node = value
            } else {
                return nil
            }
        }
        return node
    }

    /// Whether every ARN of `values` (a string or a list of strings) is written with six fields and no `*` or `?`
    /// before the resource part, where a plain-text match could span a `:` that an ARN match keeps.
    static func wildcardsOnlyInResourcePart(_ values: Any) -> Bool {
        let list = (values as? [Any]) ?? [values]
        return list.allSatisfy { value in
            guard let text = value as? String else { return false }
            let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return fields.count == 6 && !fields.dropLast().contains { $0.contains("*") || $0.contains("?") }
        }
    }

    @Test func managedPolicies() throws {
        guard let shared = PackageRoot.shared else {
            print("skipped: no ../shared beside the package (set IAM_AUDIT_SHARED), so no corpus/aws-managed")
            return
        }
        let folder = shared.appendingPathComponent("corpus/aws-managed")
        let meta = shared.appendingPathComponent("corpus/aws-managed-meta/access-analyzer-findings")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.count > 1000)
        let auditor = Auditor()
        let catalog = ActionCatalog.shared
        var findings: [String: [Finding]] = [:]
        var documents: [String: Any] = [:]
        var literal = Set<String>()
        var unknownReported = Set<String>()
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            let audit = auditor.audit(file: file, bytes: bytes)
            #expect(audit.errors.isEmpty, "\(file): \(audit.errors.map(\.formatted))")
            #expect(audit.policyCount == 1, "\(file)")
            findings[file] = audit.findings
            documents[file] = try JSONSerialization.jsonObject(with: Data(bytes))
            for policy in PolicyLoader().load(file: file, bytes: bytes).policies {
                for statement in policy.document.statements {
                    for action in statement.actionElement?.values ?? [] where !action.contains("*") && !action.contains("?") && action.contains(":") {
                        literal.insert(action.lowercased())
                    }
                }
            }
            for finding in audit.findings where finding.ruleCode == "IAM030" {
                let value = String(finding.message.split(separator: "'")[1])
                unknownReported.insert(value.lowercased())
                #expect(catalog.action(value) == nil, "IAM030 on '\(value)', which the catalog has")
            }
        }

        // (a) IAM030 fires on exactly the literal actions the catalog lacks.
        let absent = literal.filter { catalog.action($0) == nil }
        #expect(unknownReported == absent)
        print("IAM030: \(unknownReported.count) of \(literal.count) distinct literal actions of corpus/aws-managed are absent from the catalog")

        // (b) Access Analyzer's findings, policy by policy.
        var analyzerCount: [String: Int] = [:], matched: [String: Int] = [:], explainedMisses: [String: Int] = [:]
        var ours: [String: Int] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: meta.path).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        #expect(names.count == 76)
        for name in names {
            guard let document = documents[name] else {
                Issue.record("\(name) has Access Analyzer findings but no policy in corpus/aws-managed")
                continue
            }
            let list = try JSONSerialization.jsonObject(with: Data(contentsOf: meta.appendingPathComponent(name + ".json"))) as? [[String: Any]] ?? []
            let analyzer = list.map { item in
                AnalyzerFinding(issueCode: item["issueCode"] as? String ?? "",
                                paths: (item["locations"] as? [[String: Any]] ?? []).map { $0["path"] as? [[String: Any]] ?? [] })
            }
            let mine = findings[name] ?? []
            for finding in mine { ours[finding.ruleCode, default: 0] += 1 }
            var used = Set<Int>()
            for finding in analyzer {
                analyzerCount[finding.issueCode, default: 0] += 1
                let rules = Self.counterparts[finding.issueCode] ?? []
                let statements = finding.statements
                if let hit = mine.indices.first(where: { index in
                    !used.contains(index) && rules.contains(mine[index].ruleCode)
                        && (statements.contains(-1) || statements.contains(Self.statement(of: mine[index].pointer)))
                }) {
                    used.insert(hit)
                    matched[finding.issueCode, default: 0] += 1
                    continue
                }
                // Every miss has a reason: no rule for the check, a location the corpus version of the policy no
                // longer has (AWS changed it after Access Analyzer ran), or an action the newer catalog knows.
                let gone = finding.paths.contains { Self.resolve($0, in: document) == nil }
                let knownAction = finding.issueCode == "INVALID_ACTION"
                    && finding.paths.compactMap { Self.resolve($0, in: document) as? String }.contains { catalog.action($0) != nil }
                // IAM033 leaves `StringLike` on an ARN key when every wildcard stands in the resource part: there the
                // text comparison and `ArnLike` agree (Access Analyzer reports every `StringLike` on an ARN key).
                let comparesAsARN = finding.issueCode == "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"
                    && finding.paths.allSatisfy { Self.resolve($0, in: document).map(Self.wildcardsOnlyInResourcePart) ?? false }
                let explained = Self.notImplemented[finding.issueCode] != nil || gone || knownAction || comparesAsARN
                #expect(explained, "unexplained miss of \(finding.issueCode) in \(name) at \(finding.paths)")
                if explained { explainedMisses[finding.issueCode, default: 0] += 1 }
            }
            // Access Analyzer's string-like check and iam-audit's IAM033 agree wherever the policy still has the clause.
            for index in mine.indices where mine[index].ruleCode == "IAM033" {
                let pointer = mine[index].pointer.description
                guard pointer.contains("/StringLike") || pointer.contains("/StringNotLike") else { continue }
                #expect(used.contains(index), "IAM033 at \(pointer) in \(name), which Access Analyzer does not report")
            }
        }

        var table = "| Access Analyzer issue code | AA | matched | missed (explained) |\n| --- | ---: | ---: | ---: |\n"
        for code in analyzerCount.keys.sorted(by: { (analyzerCount[$0] ?? 0, $1) > (analyzerCount[$1] ?? 0, $0) }) {
            let count = analyzerCount[code] ?? 0, hit = matched[code] ?? 0
            table += "| \(code) | \(count) | \(hit) | \(count - hit) (\(explainedMisses[code] ?? 0)) |\n"
        }
        table += "\niam-audit findings on the same 76 policies, by rule: "
            + ours.keys.sorted().map { "\($0) \(ours[$0] ?? 0)" }.joined(separator: ", ")
        print("Access Analyzer comparison:\n" + table)
        #expect(matched["STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", default: 0] > 0)
        #expect(matched["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"] == analyzerCount["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"])
        #expect(matched["MISSING_QUALIFIER"] == analyzerCount["MISSING_QUALIFIER"])
    }
}
