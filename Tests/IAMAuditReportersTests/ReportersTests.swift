@testable import IAMAuditReporters
import IAMAuditRules
import Testing

@Suite struct ReportersTests {
    @Test(arguments: OutputFormat.allCases)
    func everyFormatHasItsReporter(format: OutputFormat) {
        let reporter = Reporters.reporter(for: format, options: ReportOptions())
        switch format {
        case .text: #expect(reporter is TextReporter)
        case .concise: #expect(reporter is ConciseReporter)
        case .json: #expect(reporter is JSONReporter)
        case .sarif: #expect(reporter is SARIFReporter)
        case .github: #expect(reporter is GitHubReporter)
        }
        let output = reporter.render(SampleReports.several)
        #expect(output.hasSuffix("\n"))
        #expect(output == reporter.render(SampleReports.several))
    }

    @Test func formatNamesAreTheCommandLineWords() {
        #expect(OutputFormat.allCases.map(\.rawValue) == ["text", "concise", "json", "sarif", "github"])
        #expect(OutputFormat(rawValue: "sarif") == .sarif)
    }

    @Test func optionsReachTheTextReporter() {
        let reporter = Reporters.reporter(for: .text, options: ReportOptions(color: true, quiet: true))
        #expect((reporter as? TextReporter)?.options == ReportOptions(color: true, quiet: true))
    }

    @Test func securitySeverityPrintsOneDecimal() {
        #expect(SecuritySeverity.text(8) == "8.0")
        #expect(SecuritySeverity.text(5.5) == "5.5")
        #expect(SecuritySeverity.text(9.5) == "9.5")
        #expect(SecuritySeverity.text(2.04) == "2.0")
        #expect(SecuritySeverity.text(.nan) == "0.0")
        #expect(SecuritySeverity.text(12) == "10.0")
        #expect([9.5, 8.0, 5.5, 2.0, 0].map(SecuritySeverity.rating) == ["critical", "high", "medium", "low", "none"])
    }
}
