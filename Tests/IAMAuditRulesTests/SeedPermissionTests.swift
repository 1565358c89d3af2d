import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// The PRIV rules (`--select PRIV`) on the seed system's real policy files: `policies/` passes clean, and
/// `fixtures/seed-as-documented/` is flagged exactly where its README lists a permission-policy compromise.
@Suite("Least privilege: the seed's policies")
struct SeedPermissionTests {
    static let auditor = Auditor(catalog: RuleCatalog.all.filter { $0.description.family == .priv })

    /// The PRIV findings of one file of the repository, named relative to the package root.
    func findings(_ path: String) throws -> [Finding] {
        let bytes = try [UInt8](Data(contentsOf: PackageRoot.url.appendingPathComponent(path)))
        let audit = Self.auditor.audit(file: path, bytes: bytes)
        #expect(audit.errors.isEmpty, "\(audit.errors.map(\.formatted))")
        #expect(audit.policyCount == 1, "\(path)")
        return audit.findings
    }

    @Test(arguments: ["policies/dev/permissions-policy.json", "policies/prod/permissions-policy.json",
                      "policies/dev/trust-policy.json", "policies/prod/trust-policy.json",
                      "fixtures/seed-as-documented/dev/trust-policy.json", "fixtures/seed-as-documented/prod/trust-policy.json"])
    func noFindings(path: String) throws {
        let reported = try findings(path)
        #expect(reported.isEmpty, "\(reported.map { "\($0.ruleCode) \($0.pointer): \($0.message)" })")
    }

    /// One expected finding: rule, pointer, 1-based line, and text its message must contain.
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var rule: String
        var pointer: JSONPointer
        var line: Int
        var mentions: String

        var testDescription: String { "\(file) \(rule) \(pointer)" }
    }

    static let lambdaFunction = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"

    /// The compromises the fixture's README lists for the permission policies, with the rule that owns each.
    static let expected: [Expected] = ["dev", "prod"].flatMap { env -> [Expected] in
        let file = "fixtures/seed-as-documented/\(env)/permissions-policy.json"
        var list = [
            Expected(file: file, rule: "PRIV003", pointer: "/Statement/6/Resource", line: 75, mentions: "lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration"),
            Expected(file: file, rule: "PRIV002", pointer: "/Statement/9/Action", line: 106, mentions: "action 'apigateway:*' grants all "),
            Expected(file: file, rule: "PRIV004", pointer: "/Statement/12/Action/13", line: 161, mentions: "without an 'iam:PassedToService' condition"),
            Expected(file: file, rule: "PRIV006", pointer: "/Statement/13/Resource", line: 175, mentions: "credential read secretsmanager:GetSecretValue on every secret"),
        ]
        if env == "prod" {
            list.insert(Expected(file: file, rule: "PRIV003", pointer: "/Statement/0/Resource", line: 16,
                                 mentions: "to arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}"), at: 0)
        }
        return list
    }

    @Test(arguments: ["dev", "prod"])
    func seedAsDocumentedFlagsExactlyItsCompromises(env: String) throws {
        let file = "fixtures/seed-as-documented/\(env)/permissions-policy.json"
        let reported = try findings(file)
        let expected = Self.expected.filter { $0.file == file }
        #expect(reported.map { "\($0.ruleCode) \($0.pointer)" } == expected.map { "\($0.rule) \($0.pointer)" })
        for (finding, expectation) in zip(reported, expected) {
            #expect(finding.span.start.line == expectation.line, "\(expectation.testDescription)")
            #expect((finding.detail ?? finding.message).contains(expectation.mentions), "\(finding.message)")
        }
        let lambda = reported.first { $0.pointer == "/Statement/6/Resource" }.map { $0.detail ?? $0.message } ?? ""
        #expect(lambda.contains("to \(Self.lambdaFunction)"))
        #expect(!lambda.contains("must stay"), "every action of the LambdaFunctions statement can be scoped")
    }

    /// Each permission-policy row of the fixture README's table is matched by one expected finding (by pointer
    /// and line), and each expected finding by one row: the test follows the README, not the other way round.
    @Test func expectationsFollowTheFixtureReadme() throws {
        let readme = try String(contentsOf: PackageRoot.url.appendingPathComponent("fixtures/seed-as-documented/README.md"), encoding: .utf8)
        var rows: [(file: String, pointer: JSONPointer, lines: ClosedRange<Int>)] = []
        for line in readme.split(separator: "\n") where line.hasPrefix("|") && line.contains("permissions-policy.json") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5 else { continue }
            let file = "fixtures/seed-as-documented/" + cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let pointer = try #require(cells[2].split(separator: "`").first { $0.hasPrefix("/") }.flatMap { JSONPointer(parsing: String($0)) })
            let bounds = cells[3].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            let lines = try #require(bounds.first)...(bounds.last ?? 0)
            rows.append((file, pointer, lines))
        }
        #expect(rows.count == Self.expected.count)
        for row in rows {
            let matches = Self.expected.filter {
                $0.file == row.file && $0.pointer.hasPrefix(row.pointer) && row.lines.contains($0.line)
            }
            #expect(matches.count == 1, "\(row)")
        }
    }
}
