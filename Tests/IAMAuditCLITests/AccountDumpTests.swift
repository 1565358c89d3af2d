import Foundation
import IAMAuditCLI
import Testing

/// `iam-audit` over `aws iam get-account-authorization-details` output: exit codes, the design's environments
/// matched by role name, locations checked against the dump's bytes, and standard input.
@Suite("Account dump on the command line")
struct AccountDumpTests {
    static let folder = "fixtures/account-dump"
    static let dump = "fixtures/account-dump/authorization-details.json"

    static var dumpBytes: [UInt8] {
        Array(FileManager.default.contents(atPath: PackageRoot.url.appendingPathComponent(dump).path) ?? Data())
    }

    func findings(_ run: RunResult) throws -> [[String: Any]] {
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return try #require(report?["findings"] as? [[String: Any]])
    }

    @Test func exitCodes() throws {
        let root = PackageRoot.url.path
        #expect(iamAudit([Self.folder], workingDirectory: root).code == .findings)
        #expect(iamAudit([Self.folder, "--fail-on", "never"], workingDirectory: root).code == .success)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let clean = try folder.write("clean.json", """
        {"RoleDetailList": [{"RoleName": "lambda", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}], "Policies": []}
        """)
        let cleanRun = iamAudit([clean, "--color", "never"])
        #expect(cleanRun.code == .success, "\(cleanRun.stdout)")
        #expect(cleanRun.stdout.contains("no findings in 1 file (1 policy)"))
        // Cut short in the second role: a finding, not a failed run, and the first role is still audited.
        let cut = Self.dumpBytes.count / 2
        let truncated = try folder.write("truncated.json", String(decoding: Self.dumpBytes.prefix(cut), as: UTF8.self))
        let run = iamAudit([truncated, "--format", "json"])
        #expect(run.code == .findings, "\(run.stderr)")
        let rules = try findings(run).compactMap { $0["ruleId"] as? String }
        #expect(rules.contains("IAM001") && rules.contains("OIDC004"), "\(rules)")
    }

    /// With the folder's design, the roles it names carry their environment; named alone, the dump is governed by
    /// the same design (the nearest above it), so nothing changes.
    @Test func designEnvironmentsFollowRoleNames() throws {
        let root = PackageRoot.url.path
        let withDesign = try findings(iamAudit([Self.folder, "--format", "json"], workingDirectory: root))
        let placed = withDesign.compactMap { finding -> String? in
            guard let environment = finding["environment"] as? String else { return nil }
            return "\(finding["ruleId"] ?? "") \(environment) \(finding["pointer"] ?? "")"
        }
        #expect(placed == [
            "DSN003 dev /RoleDetailList/0/AssumeRolePolicyDocument/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub",
            "OIDC004 dev /RoleDetailList/0/AssumeRolePolicyDocument/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub",
            "DSN008 dev /RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/0/Resource",
            "DSN006 prod /Policies/0/PolicyVersionList/1/Document/Statement/0/Resource/0",
        ])
        let alone = try findings(iamAudit([Self.dump, "--format", "json"], workingDirectory: root))
        #expect(alone.map { "\($0["ruleId"] ?? "") \($0["environment"] ?? "-") \($0["pointer"] ?? "")" }
            == withDesign.map { "\($0["ruleId"] ?? "") \($0["environment"] ?? "-") \($0["pointer"] ?? "")" })
        // The non-default version v1 (Action "*") of DeployQueues is never audited.
        #expect(!withDesign.contains { ($0["pointer"] as? String)?.hasPrefix("/Policies/0/PolicyVersionList/0") == true })
    }

    /// Every finding's line and column span, read out of the dump's bytes, is the JSON text of the value its
    /// pointer designates, as Foundation reads the same file.
    @Test func pointersAndSpansMatchTheSourceBytes() throws {
        let run = iamAudit([Self.folder, "--format", "json", "--include-aws-managed"], workingDirectory: PackageRoot.url.path)
        let reported = try findings(run)
        #expect(reported.count == 8)
        let text = String(decoding: Self.dumpBytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let document = try JSONSerialization.jsonObject(with: Data(Self.dumpBytes))
        for finding in reported {
            let pointer = try #require(finding["pointer"] as? String)
            let line = try #require(finding["line"] as? Int), column = try #require(finding["column"] as? Int)
            let endLine = try #require(finding["endLine"] as? Int), endColumn = try #require(finding["endColumn"] as? Int)
            try #require(line == endLine && line <= lines.count, "\(pointer)")
            let source = String(String.UnicodeScalarView(lines[line - 1][(column - 1)..<(endColumn - 1)]))
            let atSpan = try JSONSerialization.jsonObject(with: Data(source.utf8), options: .fragmentsAllowed)
            let atPointer = try #require(Self.resolve(pointer, in: document), "\(pointer)")
            #expect((atSpan as? NSObject)?.isEqual(atPointer) == true, "\(pointer) spans \(source)")
        }
    }

    /// `-` reads a dump from standard input; its findings are those of the file, under the name `<stdin>`.
    @Test func standardInputReadsADump() throws {
        let root = PackageRoot.url.path
        let design = "\(Self.folder)/iam-audit.json"
        let piped = iamAudit(["-", "--design", design, "--format", "json", "--include-aws-managed"], stdin: .bytes(Self.dumpBytes), workingDirectory: root)
        let named = iamAudit([Self.dump, "--design", design, "--format", "json", "--include-aws-managed"], workingDirectory: root)
        #expect(piped.code == .findings && named.code == .findings, "\(piped.stderr)")
        func summary(_ findings: [[String: Any]]) -> [String] {
            findings.map { "\($0["ruleId"] ?? "") \($0["pointer"] ?? "") \($0["line"] ?? ""):\($0["column"] ?? "") \($0["environment"] ?? "-") \($0["message"] ?? "")" }
        }
        let fromStandardInput = try findings(piped)
        #expect(fromStandardInput.allSatisfy { $0["file"] as? String == "<stdin>" })
        #expect(summary(fromStandardInput) == summary(try findings(named)))
        #expect(fromStandardInput.count == 8)
    }

    /// The value an RFC 6901 pointer designates in a Foundation JSON object.
    static func resolve(_ pointer: String, in root: Any) -> Any? {
        var node: Any? = root
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = node as? [String: Any] {
                node = object[key]
            } else if let array = node as? [Any], let index = Int(key), array.indices.contains(index) {
                node = array[index]
            } else {
                return nil
            }
        }
        return node
    }
}
