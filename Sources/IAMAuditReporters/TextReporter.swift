import IAMAuditRules
import IAMPolicy

/// Compiler-style text for people: each finding as `path:line:col: error[IAM005]: message`, the source line
/// and a caret line under the span, then suppressed findings with their reasons, run errors, notices and a
/// one-line summary.
///
/// Columns are Unicode scalars (1-based, span end exclusive); tabs in the excerpt print as four spaces and the
/// caret line follows suit; control and bidirectional-override characters print as U+FFFD so a policy cannot
/// rewrite the terminal. Lines wider than ``maxExcerptWidth`` are cut to a window around the span.
public struct TextReporter: Reporter {
    public var options: ReportOptions

    /// The widest source excerpt printed before it is cut around the span, in terminal cells.
    public static let maxExcerptWidth = 160

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    public func render(_ report: AuditReport) -> String {
        let style = TextStyle(enabled: options.color)
        if options.quiet {
            var lines = report.findings.map { header(for: $0, style: style) }
            lines += report.errors.map { errorLine(for: $0, style: style) }
            if !lines.isEmpty { lines.append(style.bold(ReportSummary.line(for: report))) }
            return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        }
        var blocks: [String] = []
        var group: (file: String, subject: String?)?
        for finding in report.findings {
            // A file holding many things (an account dump's roles, a template's resources): its findings under a
            // heading per thing.
            if let subject = finding.subject, group?.file != finding.file || group?.subject != subject {
                blocks.append(style.bold("\(sanitized(finding.file)): \(sanitized(subject))"))
            }
            group = (finding.file, finding.subject)
            var lines = [header(for: finding, style: style)]
            if let source = report.sourceLines[finding.file]?[finding.span.start.line] {
                let excerpt = SourceExcerpt(line: source, span: finding.span, maxWidth: Self.maxExcerptWidth)
                lines.append(excerpt.text)
                let indent = excerpt.marker.prefix { $0 == " " }
                lines.append(indent + style.paint(String(excerpt.marker.dropFirst(indent.count)), style.color(for: finding.level)))
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !report.awsManaged.isEmpty {
            var lines = [style.bold("Findings on AWS-managed policies, not counted (--include-aws-managed lists them):")]
            for policy in report.awsManaged {
                let counts = [(policy.errors, "error"), (policy.warnings, "warning"), (policy.notes, "note")]
                    .filter { $0.0 > 0 }.map { ReportSummary.counted($0.0, $0.1) }.joined(separator: ", ")
                lines.append("  \(sanitized(policy.file)):\(policy.position.line):\(policy.position.column): \(sanitized(policy.arn)): "
                             + "\(counts) (\(policy.rules.joined(separator: ", ")))")
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !report.suppressed.isEmpty {
            blocks.append(report.suppressed.map { suppressedLine(for: $0, style: style) }.joined(separator: "\n"))
        }
        if !report.errors.isEmpty {
            blocks.append(report.errors.map { errorLine(for: $0, style: style) }.joined(separator: "\n"))
        }
        if !report.notices.isEmpty {
            blocks.append(report.notices.map { notice in
                "\(style.bold(sanitized(notice.file) + ":")) \(style.paint("notice", TextStyle.cyan)): \(sanitized(notice.message))"
            }.joined(separator: "\n"))
        }
        blocks.append(style.bold(ReportSummary.line(for: report)))
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// `path:line:col: error[IAM005]: message`.
    private func header(for finding: Finding, style: TextStyle) -> String {
        let location = "\(sanitized(finding.file)):\(finding.span.start.line):\(finding.span.start.column):"
        return "\(style.bold(location)) \(style.paint(finding.level.rawValue, style.color(for: finding.level)))"
            + style.bold("[\(finding.ruleCode)]: \(sanitized(finding.message))")
    }

    /// `path:line:col: suppressed[PRIV002]: message (reason: why)`, one line, no excerpt.
    private func suppressedLine(for suppressed: SuppressedFinding, style: TextStyle) -> String {
        let finding = suppressed.finding
        let location = "\(sanitized(finding.file)):\(finding.span.start.line):\(finding.span.start.column):"
        return "\(style.bold(location)) \(style.paint("suppressed", TextStyle.cyan))[\(finding.ruleCode)]: "
            + "\(sanitized(finding.message)) (reason: \(sanitized(suppressed.reason)))"
    }

    /// `path:line:col: error: message`, or `path: error: message`.
    private func errorLine(for error: AuditError, style: TextStyle) -> String {
        var location = sanitized(error.file)
        if let position = error.position { location += ":\(position.line):\(position.column)" }
        return "\(style.bold(location + ":")) \(style.paint("error", TextStyle.red)): \(sanitized(error.message))"
    }
}

/// ANSI styling, or none.
private struct TextStyle {
    static let red = "31"
    static let yellow = "33"
    static let cyan = "36"

    var enabled: Bool

    func color(for level: FindingLevel) -> String {
        switch level {
        case .error: Self.red
        case .warning: Self.yellow
        case .note: Self.cyan
        }
    }

    func bold(_ text: String) -> String {
        enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    /// Bold and coloured.
    func paint(_ text: String, _ color: String) -> String {
        enabled ? "\u{1B}[1;\(color)m\(text)\u{1B}[0m" : text
    }
}

/// One source line and the caret line under a span on it, both in terminal cells.
struct SourceExcerpt {
    /// The printable line (tabs expanded, control characters replaced, cut to a window when too wide).
    var text: String
    /// `^` under the span's first character and `~` under the rest of the span on this line.
    var marker: String

    /// - Parameters:
    ///   - line: the source line the span starts on, without its line break.
    ///   - span: 1-based, end exclusive, columns in Unicode scalars; a span that ends on a later line is
    ///     underlined to the end of this one.
    init(line: String, span: SourceSpan, maxWidth: Int) {
        let scalars = line.unicodeScalars
        let start = max(span.start.column - 1, 0)

        // The window to print: the whole line, or a stretch from a little before the span's start. Only the
        // window becomes cells, so a 100 MB line is walked to the span once, never copied cell by cell.
        var lower = 0
        var lowerIndex = scalars.startIndex
        var budget = Int.max
        if !Self.fits(scalars, in: maxWidth) {
            lower = max(start - maxWidth / 4, 0)
            if let index = scalars.index(scalars.startIndex, offsetBy: lower, limitedBy: scalars.endIndex) {
                lowerIndex = index
            } else {
                lower = scalars.count
                lowerIndex = scalars.endIndex
            }
            budget = maxWidth - 2
        }
        var window: [Cell] = []
        var width = 0
        var index = lowerIndex
        while index < scalars.endIndex {
            let cell = Cell(scalars[index])
            if width + cell.width > budget { break }
            width += cell.width
            window.append(cell)
            index = scalars.index(after: index)
        }
        let upper = lower + window.count
        let lineEnded = index == scalars.endIndex
        text = (lower > 0 ? "…" : "") + window.map(\.text).joined() + (lineEnded ? "" : "…")

        let end = span.end.line > span.start.line ? upper : max(span.end.column - 1, start)
        let first = min(max(start, lower), upper) - lower
        let last = min(max(end, start, lower), upper) - lower
        var indent = lower > 0 ? 1 : 0
        indent += window[..<first].reduce(0) { $0 + $1.width }
        if lineEnded, start > upper { indent += start - upper }  // a position past the end of the line
        let underlined = window[first..<last].reduce(0) { $0 + $1.width }
        marker = String(repeating: " ", count: indent) + "^" + String(repeating: "~", count: max(underlined - 1, 0))
    }

    /// Whether `scalars` print in at most `maxWidth` cells; stops measuring as soon as they do not.
    private static func fits(_ scalars: String.UnicodeScalarView, in maxWidth: Int) -> Bool {
        var width = 0
        for scalar in scalars {
            width += Cell(scalar).width
            if width > maxWidth { return false }
        }
        return true
    }

    /// One Unicode scalar as printed: its text and how many terminal cells it takes.
    struct Cell {
        var text: String
        var width: Int

        init(_ scalar: Unicode.Scalar) {
            if scalar == "\t" {
                text = "    "
                width = 4
            } else if TerminalText.isUnsafe(scalar) {
                text = "\u{FFFD}"
                width = 1
            } else {
                text = String(scalar)
                width = displayWidth(of: scalar)
            }
        }
    }
}

/// Text made safe to print on a terminal.
public enum TerminalText {
    /// `text` with control and bidirectional-override characters (tab excepted) replaced by U+FFFD, one scalar
    /// per scalar, so a policy or a file name cannot move the cursor, recolour or retitle the terminal, or
    /// reorder what is shown.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\t" && isUnsafe($0) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(scalar != "\t" && isUnsafe(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(result)
    }

    /// C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate controls.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

private func sanitized(_ text: String) -> String { TerminalText.sanitized(text) }

/// Terminal cells a printable scalar takes: 0 for combining marks and format characters, 2 for East Asian
/// wide and emoji-presentation characters, 1 otherwise.
private func displayWidth(of scalar: Unicode.Scalar) -> Int {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
         0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
        return 2
    default:
        return 1
    }
}
