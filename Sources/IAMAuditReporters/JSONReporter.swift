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

    /// Threads that may encode the findings of a long report.
    public var jobs: Int
    /// Reports with at least this many findings have them encoded `chunkSize` at a time on `jobs` threads.
    var parallelFrom = 1_024
    var chunkSize = 256

    public init(jobs: Int = 1) {
        self.jobs = jobs
    }

    public func render(_ report: AuditReport) -> String {
        var document = Document(
            schemaVersion: Self.schemaVersion,
            tool: Tool(name: report.toolName, version: report.toolVersion),
            summary: Summary(
                files: report.fileCount, filesWithoutIAM: report.filesWithoutIAM, policies: report.policyCount, errors: report.count(.error),
                warnings: report.count(.warning), notes: report.count(.note), suppressed: report.suppressed.count,
                baselined: report.baselined, staleBaselineEntries: report.staleBaselineEntries),
            findings: report.findings.map { ReportedFinding($0) },
            suppressed: report.suppressed.map { ReportedFinding($0.finding, reason: $0.reason) },
            errors: report.errors.map {
                ReportedError(file: $0.file, message: $0.message, line: $0.position?.line, column: $0.position?.column)
            },
            notices: report.notices.map {
                ReportedNotice(file: $0.file, message: $0.message, line: $0.position?.line, column: $0.position?.column)
            },
            designs: report.designs.map { ReportedDesign(file: $0.file, files: $0.files) },
            awsManaged: report.awsManaged.map {
                ReportedAWSManaged(arn: $0.arn, file: $0.file, line: $0.position.line, column: $0.position.column,
                                   errors: $0.errors, warnings: $0.warnings, notes: $0.notes, rules: $0.rules)
            })
        guard jobs > 1, document.findings.count >= parallelFrom else { return encodeSorted(document) }
        // A long report: the findings are written in chunks on several threads, each as the elements of the
        // document's `findings` array, and spliced into the empty array of the rest of the document.
        let findings = document.findings
        document.findings = []
        let skeleton = encodeSorted(document)
        let emptyFindings = "\n  \"findings\" : [\n\n  ]"
        guard let slot = skeleton.range(of: emptyFindings) else { preconditionFailure("no findings array in the report") }
        let chunkSize = chunkSize
        let chunks = ParallelMap.map(count: (findings.count + chunkSize - 1) / chunkSize, workers: jobs) { index in
            let chunk = findings[(index * chunkSize)..<min(findings.count, (index + 1) * chunkSize)]
            // The elements as they stand in the document's `findings` array, one level in.
            var output = SortedJSONEncoder.Output()
            output.writeElements(chunk, indent: 1)
            return String(decoding: output.bytes, as: UTF8.self)
        }
        return skeleton[..<slot.lowerBound] + "\n  \"findings\" : [\n" + chunks.joined(separator: ",\n") + "\n  ]"
            + skeleton[slot.upperBound...]
    }

    private struct Document: Encodable {
        var schemaVersion: Int
        var tool: Tool
        var summary: Summary
        var findings: [ReportedFinding]
        var suppressed: [ReportedFinding]
        var errors: [ReportedError]
        var notices: [ReportedNotice]
        var designs: [ReportedDesign]
        var awsManaged: [ReportedAWSManaged]
    }

    /// The findings on one AWS-managed policy, counted and left out of `findings`.
    private struct ReportedAWSManaged: Encodable {
        var arn: String
        var file: String
        var line: Int
        var column: Int
        var errors: Int
        var warnings: Int
        var notes: Int
        var rules: [String]
    }

    /// A design file and the audited files it governs.
    private struct ReportedDesign: Encodable {
        var file: String
        var files: [String]
    }

    private struct Tool: Encodable {
        var name: String
        var version: String
    }

    private struct Summary: Encodable {
        var files: Int
        /// Files a folder walk found that hold no IAM, skipped.
        var filesWithoutIAM: Int
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
    struct ReportedFinding: SortedJSONWritable, Sendable {
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
        var detail: String?

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
            detail = finding.detail
        }

        private enum CodingKeys: String, CodingKey {
            case ruleId, ruleName, level, securitySeverity, message, file, pointer, line, column, endLine, endColumn,
                 environment, policyKind, fingerprint, reason, detail
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
            try container.encodeIfPresent(detail, forKey: .detail)
        }

        /// The members `encode(to:)` gives, in key order.
        func writeSortedJSON(to output: inout SortedJSONEncoder.Output, indent: Int) {
            typealias Leaf = SortedJSONEncoder.Leaf
            var members: [(key: String, leaf: Leaf)] = [("column", .number(String(column)))]
            members.reserveCapacity(16)
            if let detail { members.append(("detail", .string(detail))) }
            members.append(("endColumn", .number(String(endColumn))))
            members.append(("endLine", .number(String(endLine))))
            if let environment { members.append(("environment", .string(environment))) }
            members.append(("file", .string(file)))
            members.append(("fingerprint", .string(fingerprint)))
            members.append(("level", .string(level)))
            members.append(("line", .number(String(line))))
            members.append(("message", .string(message)))
            members.append(("pointer", .string(pointer)))
            members.append(("policyKind", policyKind.map(Leaf.string) ?? .null))
            if let reason { members.append(("reason", .string(reason))) }
            members.append(("ruleId", .string(ruleId)))
            members.append(("ruleName", .string(ruleName)))
            members.append(("securitySeverity", .number((try? SortedJSONEncoder.number(securitySeverity)) ?? "0")))
            output.writeObject(sortedLeaves: members, indent: indent)
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
