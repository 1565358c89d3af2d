// Temporary stand-ins for IAMAuditReporters, which another branch (h/reporters) is writing. They carry the
// announced names so the CLI compiles now; this file is deleted when that branch is merged.
import Foundation
import IAMAuditRules
import IAMPolicy

public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, github
}

public struct ReportOptions: Sendable {
    public var color: Bool
    public var quiet: Bool

    public init(color: Bool = false, quiet: Bool = false) {
        self.color = color
        self.quiet = quiet
    }
}

public protocol Reporter: Sendable {
    func render(_ report: AuditReport) -> String
}

public enum Reporters {
    public static func reporter(for format: OutputFormat, options: ReportOptions) -> any Reporter {
        PlainReporter(format: format)
    }
}

struct PlainReporter: Reporter {
    var format: OutputFormat

    func render(_ report: AuditReport) -> String {
        var output = ""
        for finding in report.findings {
            output += "\(finding.file):\(finding.span.start.line):\(finding.span.start.column): \(finding.level.rawValue)[\(finding.ruleCode)]: \(finding.message)\n"
        }
        for error in report.errors {
            output += "\(error.formatted)\n"
        }
        output += "\(report.findings.count) findings in \(report.fileCount) files (\(report.policyCount) policies)\n"
        return output
    }
}

public enum RuleDocumentation {
    public static func markdown(_ rules: [RuleDescription]) -> String {
        "# Rules\n\n" + rules.map { "## \($0.code) \($0.name)\n\n\($0.summary)\n" }.joined(separator: "\n")
    }

    public static func text(for rule: RuleDescription) -> String {
        "\(rule.code) \(rule.name): \(rule.title)\n\n\(rule.summary)\n\n\(rule.rationale)\n"
    }

    public static func json(_ rules: [RuleDescription]) -> String {
        "[" + rules.map { "{\"code\":\"\($0.code)\",\"name\":\"\($0.name)\"}" }.joined(separator: ",") + "]\n"
    }

    public static func table(_ rules: [RuleDescription]) -> String {
        rules.map { "\($0.code)  \($0.name)  \($0.level.rawValue)  \($0.title)\n" }.joined()
    }
}
