import Foundation
import IAMAuditRules
import IAMPolicy

/// The stable machine-readable report of DESIGN.md §7, described by `schemas/iam-audit-report.schema.json`.
///
/// Keys are sorted and the output is pretty-printed and ends with a line break, so equal reports give equal
/// bytes. Lines and columns are 1-based, columns count Unicode scalars, and `endColumn` is exclusive.
public struct JSONReporter: Reporter {
    /// The version of the report's shape; a change that can break a consumer raises it.
    public static let schemaVersion = 1

    public init() {}

    public func render(_ report: AuditReport) -> String {
        let document = Document(
            schemaVersion: Self.schemaVersion,
            tool: Tool(name: report.toolName, version: report.toolVersion),
            summary: Summary(
                files: report.fileCount, policies: report.policyCount, errors: report.count(.error),
                warnings: report.count(.warning), notes: report.count(.note), suppressed: report.suppressed.count,
                baselined: report.baselined, staleBaselineEntries: report.staleBaselineEntries),
            findings: report.findings.map { ReportedFinding($0) },
            suppressed: report.suppressed.map { ReportedFinding($0.finding, reason: $0.reason) },
            errors: report.errors.map {
                ReportedError(file: $0.file, message: $0.message, line: $0.position?.line, column: $0.position?.column)
            },
            notices: report.notices.map {
                ReportedNotice(file: $0.file, message: $0.message, line: $0.position?.line, column: $0.position?.column)
            })
        return encodeSorted(document)
    }

    private struct Document: Encodable {
        var schemaVersion: Int
        var tool: Tool
        var summary: Summary
        var findings: [ReportedFinding]
        var suppressed: [ReportedFinding]
        var errors: [ReportedError]
        var notices: [ReportedNotice]
    }

    private struct Tool: Encodable {
        var name: String
        var version: String
    }

    private struct Summary: Encodable {
        var files: Int
        var policies: Int
        var errors: Int
        var warnings: Int
        var notes: Int
        var suppressed: Int
        /// Findings `--baseline` held, left out of `findings`.
        var baselined: Int
        /// `--baseline` entries that matched no finding.
        var staleBaselineEntries: Int
    }

    /// A finding; in `suppressed`, with the design's reason. `environment` is left out when the policy has
    /// none; `policyKind` is `null` when no policy could be read (IAM001).
    private struct ReportedFinding: Encodable {
        var ruleId: String
        var ruleName: String
        var level: String
        var securitySeverity: Double
        var message: String
        var file: String
        var pointer: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var environment: String?
        var policyKind: String?
        var fingerprint: String
        var reason: String?

        init(_ finding: Finding, reason: String? = nil) {
            ruleId = finding.ruleCode
            ruleName = finding.ruleName
            level = finding.level.rawValue
            securitySeverity = finding.securitySeverity.isFinite ? finding.securitySeverity : 0
            message = finding.message
            file = finding.file
            pointer = finding.pointer.description
            line = finding.span.start.line
            column = finding.span.start.column
            endLine = finding.span.end.line
            endColumn = finding.span.end.column
            environment = finding.environment
            policyKind = finding.policyKind?.rawValue
            fingerprint = finding.reportedFingerprint
            self.reason = reason
        }

        private enum CodingKeys: String, CodingKey {
            case ruleId, ruleName, level, securitySeverity, message, file, pointer, line, column, endLine, endColumn,
                 environment, policyKind, fingerprint, reason
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ruleId, forKey: .ruleId)
            try container.encode(ruleName, forKey: .ruleName)
            try container.encode(level, forKey: .level)
            try container.encode(securitySeverity, forKey: .securitySeverity)
            try container.encode(message, forKey: .message)
            try container.encode(file, forKey: .file)
            try container.encode(pointer, forKey: .pointer)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(endLine, forKey: .endLine)
            try container.encode(endColumn, forKey: .endColumn)
            try container.encodeIfPresent(environment, forKey: .environment)
            try container.encode(policyKind, forKey: .policyKind)
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encodeIfPresent(reason, forKey: .reason)
        }
    }

    /// A problem with the run; `line` and `column` only when the error has a position.
    private struct ReportedError: Encodable {
        var file: String
        var message: String
        var line: Int?
        var column: Int?
    }

    /// A note about the run; `line` and `column` only when it is about one place (a design `ignore` entry).
    private struct ReportedNotice: Encodable {
        var file: String
        var message: String
        var line: Int?
        var column: Int?
    }
}

/// Pretty-printed JSON with sorted keys and unescaped slashes, ending with a line break.
func encodeSorted<Value: Encodable>(_ value: Value) -> String {
    do {
        return try SortedJSONEncoder.encode(value) + "\n"
    } catch {
        // Only non-finite numbers fail to encode, and the reporters write none.
        preconditionFailure("report encoding failed: \(error)")
    }
}
