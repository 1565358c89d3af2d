import IAMAuditRules

/// The output formats of `iam-audit check`.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Compiler-style lines with a source excerpt and a summary.
    case text
    /// One line a finding, `path:line:col: CODE message`, as ruff's concise format.
    case concise
    /// The stable JSON report (`schemas/iam-audit-report.schema.json`).
    case json
    /// SARIF 2.1.0 for GitHub code scanning.
    case sarif
    /// GitHub Actions workflow commands (`::error file=…::message`).
    case github
}

/// Presentation choices the command line makes for a reporter.
public struct ReportOptions: Sendable, Hashable {
    /// Whether the text reporter writes ANSI colour; the CLI decides from `--color`, the terminal and `NO_COLOR`.
    public var color: Bool
    /// Whether the text reporter leaves out source excerpts and notices, and prints nothing when there are no
    /// findings and no run errors.
    public var quiet: Bool
    /// How many threads a reporter may use for a long report (`--jobs`); the output is the same whatever it is.
    public var jobs: Int

    public init(color: Bool = false, quiet: Bool = false, jobs: Int = 1) {
        self.color = color
        self.quiet = quiet
        self.jobs = jobs
    }
}

/// Turns one audit report into the bytes of one output format; a pure function of the report.
public protocol Reporter: Sendable {
    /// The whole output; when not empty, it ends with a line break.
    func render(_ report: AuditReport) -> String
}

/// The reporter of each output format.
public enum Reporters {
    /// The reporter for `format`; the switch is exhaustive, so a format without a reporter does not compile.
    public static func reporter(for format: OutputFormat, options: ReportOptions = ReportOptions()) -> any Reporter {
        switch format {
        case .text: TextReporter(options: options)
        case .concise: ConciseReporter(options: options)
        case .json: JSONReporter(jobs: options.jobs)
        case .sarif: SARIFReporter()
        case .github: GitHubReporter()
        }
    }
}
