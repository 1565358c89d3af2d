import IAMAuditRules
import IAMPolicy

/// One line a finding, `path:line:col: CODE message`, as ruff's concise format, then the summary; for grep, editors'
/// quickfix lists and logs read by people in a hurry.
///
/// Run errors print as `path:line:col: error: message` lines; with `--quiet` only the findings' and errors' lines
/// print. File names and messages are sanitized as in the text report.
public struct ConciseReporter: Reporter {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    public func render(_ report: AuditReport) -> String {
        var lines = report.findings.map { finding in
            "\(Self.location(finding.file, finding.span.start)) \(finding.ruleCode) \(TerminalText.sanitized(finding.message))"
        }
        lines += report.errors.map { error in
            let location = error.position.map { Self.location(error.file, $0) } ?? TerminalText.sanitized(error.file) + ":"
            return "\(location) error: \(TerminalText.sanitized(error.message))"
        }
        if !options.quiet { lines.append(ReportSummary.line(for: report)) }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// `path:line:col:`.
    static func location(_ file: String, _ position: SourcePosition) -> String {
        "\(TerminalText.sanitized(file)):\(position.line):\(position.column):"
    }
}

/// `--statistics`: how many findings each rule reported, most first, as ruff prints them (count, code, name), then
/// the summary; or the same counts as a JSON array.
public enum RuleStatistics {
    /// One rule's count.
    public struct Row: Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: FindingLevel
        public var count: Int
    }

    /// The rows of `report`: one per rule with a finding, by count (most first), then code.
    public static func rows(_ report: AuditReport) -> [Row] {
        var rows: [String: Row] = [:]
        for finding in report.findings {
            rows[finding.ruleCode, default: Row(code: finding.ruleCode, name: finding.ruleName, level: finding.level, count: 0)].count += 1
            // A rule reports at one level per finding; the row shows the most severe.
            if finding.level > rows[finding.ruleCode]!.level { rows[finding.ruleCode]!.level = finding.level }
        }
        return rows.values.sorted { ($0.count, $1.code) > ($1.count, $0.code) }
    }

    /// `  12\tOIDC002\terror\tgithub-subject-wildcard` lines (counts right-aligned), then the summary line.
    public static func text(_ report: AuditReport) -> String {
        let rows = rows(report)
        let width = String(rows.first?.count ?? 0).count
        var lines = rows.map { row in
            let count = String(row.count)
            return String(repeating: " ", count: width - count.count) + count + "\t\(row.code)\t\(row.level.rawValue)\t\(row.name)"
        }
        lines.append(ReportSummary.line(for: report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[{"code": …, "count": …, "level": …, "name": …}, …]` in the same order.
    public static func json(_ report: AuditReport) -> String {
        struct Entry: Encodable {
            var code: String
            var count: Int
            var level: String
            var name: String
        }
        let entries = rows(report).map { Entry(code: $0.code, count: $0.count, level: $0.level.rawValue, name: $0.name) }
        return ((try? SortedJSONEncoder.encode(entries)) ?? "[]") + "\n"
    }
}
