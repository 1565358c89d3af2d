import IAMAuditRules

/// GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` annotation per finding,
/// `::error file=…::message` per run error, then the summary as a plain log line.
///
/// Property values escape `%`, CR, LF, `:` and `,`; messages escape `%`, CR and LF, as the Actions runner
/// expects. `col` and `endColumn` are given only for a span on one line, since GitHub refuses them otherwise.
/// Suppressed findings and notices are not annotated.
public struct GitHubReporter: Reporter {
    public init() {}

    public func render(_ report: AuditReport) -> String {
        var lines: [String] = report.findings.map { finding in
            let (start, end) = (finding.span.start, finding.span.end)
            let oneLine = end.line == start.line
            var properties = [("file", finding.file), ("line", "\(start.line)")]
            if oneLine { properties.append(("col", "\(start.column)")) }
            properties.append(("endLine", "\(max(end.line, start.line))"))
            if oneLine { properties.append(("endColumn", "\(max(end.column, start.column))")) }
            properties.append(("title", "\(finding.ruleCode) \(finding.ruleName)"))
            return Self.command(Self.commandName(for: finding.level), properties, finding.message)
        }
        lines += report.errors.map { error in
            var properties = [("file", error.file)]
            if let position = error.position {
                properties += [("line", "\(position.line)"), ("col", "\(position.column)")]
            }
            return Self.command("error", properties, error.message)
        }
        lines.append("iam-audit: " + ReportSummary.line(for: report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `error`, `warning` or `notice`.
    static func commandName(for level: FindingLevel) -> String {
        switch level {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    /// `::name key=value,key=value::message`.
    static func command(_ name: String, _ properties: [(String, String)], _ message: String) -> String {
        let list = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(name)\(list.isEmpty ? "" : " " + list)::\(escapeData(message))"
    }

    /// Escapes a command's message: `%`, CR and LF.
    static func escapeData(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Escapes a property value: `%`, CR, LF, `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        var result = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": result += "%3A"
            case ",": result += "%2C"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
