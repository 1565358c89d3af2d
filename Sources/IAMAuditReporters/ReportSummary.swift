import IAMAuditRules

/// The one-line summary the text and GitHub reporters end with.
enum ReportSummary {
    /// `3 errors, 1 warning, 0 notes in 4 files (6 policies)`, or `no findings in 4 files (4 policies)`,
    /// followed by `, 12 files without IAM skipped`, `, 40 findings on 9 AWS-managed policies not counted`,
    /// `, 2 suppressed`, `, 5 baselined`, `, 1 stale baseline entry` and `, 1 run error` when there
    /// are any.
    static func line(for report: AuditReport) -> String {
        var line: String
        let scope = "in \(counted(report.fileCount, "file")) (\(counted(report.policyCount, "policy", plural: "policies")))"
        if report.findings.isEmpty {
            line = "no findings \(scope)"
        } else {
            line = [
                counted(report.count(.error), "error"),
                counted(report.count(.warning), "warning"),
                counted(report.count(.note), "note"),
            ].joined(separator: ", ") + " \(scope)"
        }
        if report.filesWithoutIAM > 0 { line += ", \(counted(report.filesWithoutIAM, "file")) without IAM skipped" }
        if !report.awsManaged.isEmpty {
            let findings = report.awsManaged.reduce(0) { $0 + $1.errors + $1.warnings + $1.notes }
            line += ", \(counted(findings, "finding")) on \(counted(report.awsManaged.count, "AWS-managed policy", plural: "AWS-managed policies")) not counted"
        }
        if !report.suppressed.isEmpty { line += ", \(report.suppressed.count) suppressed" }
        if report.baselined > 0 { line += ", \(report.baselined) baselined" }
        if report.staleBaselineEntries > 0 {
            line += ", \(counted(report.staleBaselineEntries, "stale baseline entry", plural: "stale baseline entries"))"
        }
        let runErrors = report.errors.count + report.errorsPrintedElsewhere
        if runErrors > 0 { line += ", \(counted(runErrors, "run error"))" }
        return line
    }

    /// `1 error`, `2 errors`, `0 notes`.
    static func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
