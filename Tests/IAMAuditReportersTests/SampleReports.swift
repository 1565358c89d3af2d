import Foundation
import IAMAuditRules
import IAMPolicy

/// Hand-made reports the reporter tests render.
enum SampleReports {
    static let permissionsFile = "policies/dev/permissions policy.json"
    static let trustFile = "policies/prod/trust-policy.json"

    /// A 1-based span; offsets do not matter to reporters.
    static func span(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> SourceSpan {
        SourceSpan(start: SourcePosition(line: line, column: column, offset: 0),
                   end: SourcePosition(line: endLine, column: endColumn, offset: 0))
    }

    static func rule(_ code: String, _ name: String, _ title: String, _ level: FindingLevel, _ severity: Double) -> RuleDescription {
        RuleDescription(
            code: code, name: name, title: title, level: level, securitySeverity: severity,
            summary: "Reports \(title.lowercased()).", rationale: "It matters because of \(name).",
            references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html"],
            triggeringExamples: [RuleExample(#"{"Statement": [{"Effect": "Alow"}]}"#, pointers: ["/Statement/0/Effect"])],
            nonTriggeringExamples: [RuleExample(#"{"Statement": [{"Effect": "Allow"}]}"#)])
    }

    static let rules: [RuleDescription] = [
        InvalidJSON.description,
        rule("IAM005", "invalid-effect", "Effect is neither Allow nor Deny", .error, 5.5),
        rule("OIDC003", "github-sub-any-repository", "Subject admits any repository of the owner", .error, 9.5),
        rule("PRIV001", "wildcard-action", "Action grants every action of a service", .warning, 8.0),
        rule("PRIV002", "wildcard-resource", "Resource is * for actions with resource-level permissions", .warning, 5.5),
    ]

    static func finding(_ code: String, _ name: String, _ level: FindingLevel, _ severity: Double, _ message: String,
                        file: String, pointer: JSONPointer, span: SourceSpan, environment: String? = nil,
                        kind: PolicyKind? = nil, fingerprint: String) -> Finding {
        Finding(ruleCode: code, ruleName: name, level: level, securitySeverity: severity, message: message, file: file,
                pointer: pointer, span: span, environment: environment, policyKind: kind, fingerprint: fingerprint)
    }

    /// Five findings in four files at every level, in report order.
    static let findings: [Finding] = [
        finding("IAM001", "invalid-json", .error, 5.5, "expected a key after ','",
                file: "policies/broken.json", pointer: "", span: span(1, 26, 1, 26), fingerprint: "fp-iam001"),
        finding("IAM005", "invalid-effect", .error, 5.5, "effect 'Alow' is neither 'Allow' nor 'Deny'",
                file: permissionsFile, pointer: "/Statement/0/Effect", span: span(4, 40, 4, 46),
                environment: "dev", kind: .identity, fingerprint: "fp-iam005"),
        finding("PRIV001", "wildcard-action", .warning, 8.0, "action 's3:*' allows every S3 action",
                file: permissionsFile, pointer: "/Statement/1/Action", span: span(5, 33, 6, 20),
                environment: "dev", kind: .identity, fingerprint: "fp-priv001"),
        finding("PRIV001", "wildcard-action", .warning, 8.0, "action '*' allows every action",
                file: "policies/no-source.json", pointer: "/Statement/0/Action", span: span(2, 3, 2, 6),
                kind: .identity, fingerprint: "fp-priv001-b"),
        finding("OIDC003", "github-sub-any-repository", .note, 9.5,
                "sub pattern 'repo:junksamiad/*' admits every repository of 'junksamiad'",
                file: trustFile, pointer: "/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub",
                span: span(9, 52, 9, 71), environment: "prod", kind: .trust, fingerprint: "fp-oidc003"),
    ]

    static let sourceLines: [String: [Int: String]] = [
        "policies/broken.json": [1: #"{"Version": "2012-10-17","#],
        permissionsFile: [
            4: #"  {"Sid": "ZugriffFürÄrzte", "Effect": "Alow", "Action": "s3:GetObject"},"#,
            5: #"  {"Effect": "Allow", "Action": ["s3:*","#,
        ],
        trustFile: [9: #"        "token.actions.githubusercontent.com:sub": "repo:junksamiad/*""#],
    ]

    static let suppressed: [SuppressedFinding] = [
        SuppressedFinding(
            finding: finding("PRIV002", "wildcard-resource", .warning, 5.5, "resource '*' for 'cloudformation:ValidateTemplate'",
                             file: "policies/prod/permissions-policy.json", pointer: "/Statement/3/Resource",
                             span: span(30, 19, 30, 22), environment: "prod", kind: .identity, fingerprint: "fp-priv002"),
            reason: "ValidateTemplate supports no resource-level permissions"),
    ]

    /// Findings at every level, a suppressed one, no run errors.
    static let several = AuditReport(
        toolVersion: "1.2.3", findings: findings, suppressed: suppressed, fileCount: 5, policyCount: 6,
        rules: rules, sourceLines: sourceLines)

    /// A clean run.
    static let clean = AuditReport(toolVersion: "1.2.3", findings: [], fileCount: 4, policyCount: 4, rules: rules)

    /// No findings, two run errors (one with a position) and a notice.
    static let runErrors = AuditReport(
        toolVersion: "1.2.3", findings: [],
        errors: [
            AuditError(file: "iam-audit.json", message: "unknown key 'enviroments'",
                       position: SourcePosition(line: 12, column: 5, offset: 0)),
            AuditError(file: "policies/missing.json", message: "no such file or directory"),
        ],
        notices: [AuditNotice(file: "policies/package.json", message: "not a policy document, skipped")],
        fileCount: 3, policyCount: 2, rules: rules)

    /// One error and one warning in one file and one policy.
    static let singular = AuditReport(
        toolVersion: "1.2.3", findings: [findings[1], findings[2]], fileCount: 1, policyCount: 1, rules: rules,
        sourceLines: sourceLines)
}

/// Where the package and `../shared` are, and running the Python checkers.
enum Tooling {
    /// The folder holding Package.swift, found upward from this file.
    static let packageRoot: URL? = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.pathComponents.count > 1 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return nil
    }()

    /// `../shared` beside the package root, when present; from a git worktree nested one or two folders
    /// deeper (`wt/NAME`), the `shared` folder beside the main checkout's parent.
    static let shared: URL? = {
        guard var folder = packageRoot?.deletingLastPathComponent() else { return nil }
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("shared").standardizedFileURL
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("DESIGN.md").path)
                || FileManager.default.fileExists(atPath: candidate.appendingPathComponent("tools").path) {
                return candidate
            }
            guard folder.pathComponents.count > 1 else { break }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    static let reportSchema: URL? = packageRoot?.appendingPathComponent("schemas/iam-audit-report.schema.json")

    /// Whether `python3` runs and imports `jsonschema`.
    static let hasPythonJSONSchema: Bool = (try? run(["python3", "-c", "import jsonschema"]).status) == 0

    static var checkSarif: URL? { shared?.appendingPathComponent("tools/check-sarif") }
    static var sarifSchema: URL? { shared?.appendingPathComponent("sarif/sarif-schema-2.1.0.json") }

    static let canCheckSarif: Bool = {
        guard let tool = checkSarif, let schema = sarifSchema else { return false }
        return hasPythonJSONSchema && FileManager.default.fileExists(atPath: tool.path)
            && FileManager.default.fileExists(atPath: schema.path)
    }()

    /// Runs a command found on PATH and returns its exit status and combined output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes `text` to a new temporary file and returns its URL.
    static func temporaryFile(_ text: String, suffix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("iam-audit-reporters-\(UUID().uuidString)\(suffix)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
