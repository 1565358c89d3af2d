import Foundation
import IAMAuditReporters
import IAMAuditRules
import IAMPolicy

/// `iam-audit check`: find the files, load the design, audit every file, report, and choose the exit code.
struct CheckCommand {
    /// The folder audited when no path is given.
    static let defaultFolder = "policies"

    let configuration: Configuration
    let context: RunContext

    /// Why a check stopped before auditing.
    enum Abort: Error {
        case usage(UsageError)
        /// The design file could not be read: one message.
        case designUnreadable(String)
        /// The design file is invalid: every problem, in source order.
        case designInvalid([AuditError])
        /// The `--baseline` file is missing or invalid: one message.
        case baselineUnreadable(String)
    }

    func run() -> ExitCode {
        var report: AuditReport
        do {
            let baseline = try loadBaseline()
            report = try audit()
            if let file = configuration.writeBaselineFile {
                let written = Baseline(findings: report.findings).encoded()
                if case .failure(let failure) = AtomicFileWriter.write(written, to: context.systemPath(file)) {
                    context.error("cannot write the baseline file '\(PathNames.tidy(file))': \(failure.message)")
                    return .failure
                }
            }
            if let baseline {
                let comparison = baseline.compare(report.findings)
                report.findings = comparison.new
                report.baselined = comparison.baselined
                report.staleBaselineEntries = comparison.stale.count
            }
        } catch {
            switch error {
            case .usage(let usage):
                return context.usageError(usage)
            case .designUnreadable(let message), .baselineUnreadable(let message):
                context.error(message)
            case .designInvalid(let errors):
                for error in errors {
                    let position = error.position.map { "\($0.line):\($0.column):" } ?? ""
                    context.diagnostic("\(error.file):\(position) error: \(error.message)")
                }
            }
            return .failure
        }
        let code = finish(report)
        // Writing a baseline accepts the findings it records: only a failed run fails.
        if configuration.writeBaselineFile != nil, code == .findings { return .success }
        return code
    }

    /// Reads and checks the `--baseline` file before any auditing, so a wrong path fails fast.
    private func loadBaseline() throws(Abort) -> Baseline? {
        guard let file = configuration.baselineFile else { return nil }
        let name = PathNames.tidy(file)
        let bytes: [UInt8]
        switch FileReader.read(path: context.systemPath(file), limit: configuration.maxFileSize, requireRegular: false) {
        case .success(let contents): bytes = contents
        case .failure(let failure): throw .baselineUnreadable("cannot read the baseline file '\(name)': \(failure.message)")
        }
        switch Baseline.decode(bytes) {
        case .success(let baseline): return baseline
        case .failure(let failure):
            throw .baselineUnreadable("invalid baseline file '\(name)': \(failure.message); write one with --write-baseline")
        }
    }

    /// Today's date in UTC as `YYYY-MM-DD`, for `ignore` entries' `expires`.
    static func today(_ now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(width - digits.count, 0)) + digits
        }
        return "\(padded(parts.year, 4))-\(padded(parts.month, 2))-\(padded(parts.day, 2))"
    }

    /// Audits every file the paths lead to and gathers one sorted report.
    func audit() throws(Abort) -> AuditReport {
        var paths = configuration.paths
        if paths.isEmpty {
            guard isDirectory(context.systemPath(Self.defaultFolder)) else {
                throw .usage(UsageError("no path given and no \(Self.defaultFolder)/ folder here; name the files or folders to audit"))
            }
            paths = [Self.defaultFolder]
        }
        let design = try loadDesign(paths: paths)

        var discovery = FileDiscovery(workingDirectory: context.workingDirectory, design: design.map { ($0.name, $0.identity) })
        for path in paths { discovery.add(path: path) }

        let auditor = Auditor(selection: configuration.selection, design: design?.design)
        var findings: [Finding] = []
        var errors = discovery.errors
        var notices = discovery.notices
        var fileCount = 0
        var policyCount = 0
        var sourceLines: [String: [Int: String]] = [:]
        // Standard input is read here, once; files are read and audited by `jobs` workers, and the results
        // are merged in discovery order, so the report does not depend on the number of workers.
        let sources = discovery.sources
        let readsStandardInput = sources.contains { if case .standardInput = $0.location { true } else { false } }
        let standardInput: Result<[UInt8], ReadFailure>? = readsStandardInput ? context.standardInput.readAll(configuration.maxFileSize) : nil
        let maxFileSize = configuration.maxFileSize
        let jobs = configuration.jobs
        // Only the text report quotes source lines.
        let quotesSource = configuration.format == .text
        let placements: [(environment: String?, kind: PolicyKind?)] = sources.map { source in
            guard let match = design?.design.environment(forPolicyFile: source.name) else { return (nil, nil) }
            return (match.environment.name, match.role == .trust ? .trust : .identity)
        }
        let outcomes = ParallelMap.map(count: sources.count, workers: configuration.jobs) { index -> SourceOutcome in
            let source = sources[index]
            let read = switch source.location {
            case .standardInput: standardInput ?? .success([])
            case .path(let path): FileReader.read(path: source.rawPath ?? Array(path.utf8), limit: maxFileSize, requireRegular: !source.explicit)
            }
            switch read {
            case .success(let bytes):
                let audit = auditor.audit(file: source.name, bytes: bytes, explicit: source.explicit,
                                          kind: placements[index].kind, environment: placements[index].environment, jobs: jobs)
                let lines = quotesSource ? Set(audit.findings.map(\.span.start.line)) : []
                return .audited(audit, lines.isEmpty ? [:] : SourceLines.extract(lines, from: bytes))
            case .failure(.notRegular(let type)):
                return .notice(AuditNotice(file: source.name, message: "skipped, \(type.phrase) is not a regular file"))
            case .failure(let failure):
                return .error(AuditError(file: source.name, message: failure.message))
            }
        }
        for (source, outcome) in zip(sources, outcomes) {
            switch outcome {
            case .audited(let audit, let lines):
                fileCount += 1
                policyCount += audit.policyCount
                findings += audit.findings
                errors += audit.errors
                notices += audit.notices
                if !lines.isEmpty { sourceLines[source.name, default: [:]].merge(lines) { $1 } }
            case .notice(let notice):
                notices.append(notice)
            case .error(let error):
                errors.append(error)
            }
        }
        findings.sort(by: Finding.reportOrder)
        var suppressed: [SuppressedFinding] = []
        if let design = design?.design, !design.ignore.isEmpty {
            let outcome = Suppressions(design: design, today: Self.today(), enabledRules: auditor.descriptions).apply(to: findings)
            findings = outcome.kept
            suppressed = outcome.suppressed
            notices += outcome.notices
        }
        return AuditReport(toolName: ToolInfo.name, toolVersion: ToolInfo.version,
                           findings: findings, suppressed: suppressed, errors: errors, notices: notices,
                           fileCount: fileCount, policyCount: policyCount,
                           rules: auditor.descriptions.sorted { $0.code < $1.code }, sourceLines: sourceLines)
    }

    /// Prints notices and errors, writes the report, and chooses the exit code.
    func finish(_ report: AuditReport) -> ExitCode {
        let toStandardOutput = configuration.outputFile == nil
        // Run errors always go to standard error, one line each (DESIGN.md §8), so a CI log shows them whatever
        // the format. Notices go there too in the text format, unless --quiet.
        for error in report.errors { context.error(error.formatted) }
        var rendered = report
        if configuration.format == .text {
            for notice in report.notices where notice.isWarning {
                context.diagnostic("\(ToolInfo.name): warning: \(notice.formatted)")
            }
            if !configuration.quiet {
                for notice in report.notices where !notice.isWarning {
                    context.diagnostic("\(ToolInfo.name): notice: \(notice.file): \(notice.message)")
                }
            }
            // The text report is for people at a terminal, where standard error shows beside it: printing the
            // diagnostics there as well would show each twice.
            rendered.errors = []
            rendered.notices = []
        }
        let color = configuration.color.enabled(toStandardOutput: toStandardOutput,
                                                isTerminal: context.standardOutput.isTerminal,
                                                environment: context.environment)
        let reporter = Reporters.reporter(for: configuration.format, options: ReportOptions(color: color, quiet: configuration.quiet, jobs: configuration.jobs))
        let text = reporter.render(rendered)
        if let outputFile = configuration.outputFile {
            if case .failure(let failure) = AtomicFileWriter.write(text, to: context.systemPath(outputFile)) {
                context.error("cannot write '\(PathNames.tidy(outputFile))': \(failure.message)")
                return .failure
            }
        } else {
            context.standardOutput.write(text)
        }
        if !report.errors.isEmpty { return .failure }
        if report.findings.contains(where: { configuration.failOn.isMet(by: $0.level) }) { return .findings }
        return .success
    }

    /// The run's design, read and validated.
    struct LoadedDesign {
        var design: Design
        /// The design file as reports name it.
        var name: String
        var identity: FileIdentity
    }

    /// Finds the design (`--design`, else `iam-audit.json` in the first named folder, else a named file of that
    /// name) and loads it.
    private func loadDesign(paths: [String]) throws(Abort) -> LoadedDesign? {
        guard let (name, systemPath) = locateDesign(paths: paths) else { return nil }
        let bytes: [UInt8]
        switch FileReader.read(path: systemPath, limit: configuration.maxFileSize, requireRegular: false) {
        case .success(let contents): bytes = contents
        case .failure(let failure): throw .designUnreadable("\(name): cannot read the design file: \(failure.message)")
        }
        let workingDirectory = context.workingDirectory
        let loaded = DesignLoader.load(file: name, bytes: bytes) { path in
            if case .success(let status) = FileStatus.target(of: PathNames.absolute(path, in: workingDirectory)) {
                return status.type == .regular
            }
            return false
        }
        switch loaded {
        case .success(let design):
            guard case .success(let status) = FileStatus.target(of: systemPath) else {
                throw .designUnreadable("\(name): the design file disappeared while it was read")
            }
            return LoadedDesign(design: design, name: name, identity: status.identity)
        case .failure(let failure):
            throw .designInvalid(failure.errors)
        }
    }

    private func locateDesign(paths: [String]) -> (name: String, systemPath: String)? {
        if let designFile = configuration.designFile {
            return (PathNames.tidy(designFile), context.systemPath(designFile))
        }
        let named = paths.lazy.filter { $0 != "-" }.map(PathNames.tidy)
        if let folder = named.first(where: { isDirectory(context.systemPath($0)) }) {
            guard let found = DesignLoader.find(in: context.systemPath(folder)) else { return nil }
            return (PathNames.join(folder, PathNames.lastComponent(found)), found)
        }
        if let file = named.first(where: { $0.hasSuffix(FileDiscovery.designFileName) && PathNames.lastComponent($0) == FileDiscovery.designFileName }) {
            return (file, context.systemPath(file))
        }
        return nil
    }

    private func isDirectory(_ systemPath: String) -> Bool {
        if case .success(let status) = FileStatus.target(of: systemPath) { return status.type == .directory }
        return false
    }
}

/// What reading and auditing one source produced.
enum SourceOutcome: Sendable {
    case audited(FileAudit, [Int: String])
    case notice(AuditNotice)
    case error(AuditError)
}
