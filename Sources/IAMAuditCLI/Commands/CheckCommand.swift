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

        /// Prints why the run stopped on standard error, and gives the exit code (2).
        func report(to context: RunContext) -> ExitCode {
            switch self {
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
            return error.report(to: context)
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
        try auditRun().report
    }

    /// What a run produced: its report, and what the rules over the whole run saw, per design (the auditor and the
    /// facts it judged), for `simulate --workflow`.
    struct AuditRun {
        var report: AuditReport
        var projects: [(auditor: Auditor, facts: ProjectFacts)] = []
    }

    /// ``audit()``, with the projects the workflow rules judged.
    func auditRun() throws(Abort) -> AuditRun {
        var projects: [(auditor: Auditor, facts: ProjectFacts)] = []
        var paths = configuration.paths
        if paths.isEmpty {
            guard isDirectory(context.systemPath(Self.defaultFolder)) else {
                throw .usage(UsageError("no path given and no \(Self.defaultFolder)/ folder here; name the files or folders to audit"))
            }
            paths = [Self.defaultFolder]
        }
        var designs = DesignSet(workingDirectory: context.workingDirectory, maxFileSize: configuration.maxFileSize)
        let explicitDesign = try configuration.designFile.map { file throws(Abort) in
            try designs.load(name: PathNames.tidy(file), systemPath: context.systemPath(file))
        }

        let exclusions = configuration.exclude.compactMap { try? IgnoreRule.exclusion($0) }
        var discovery = FileDiscovery(workingDirectory: context.workingDirectory,
                                      design: explicitDesign.map { (designs.loaded[$0].name, designs.loaded[$0].identity) },
                                      exclusions: exclusions, respectsGitIgnore: configuration.respectsGitIgnore,
                                      standardInputName: configuration.standardInputName.map(PathNames.tidy) ?? PolicySource.standardInputName)
        for path in paths { discovery.add(path: path) }
        // A design file named as a path is read and checked, so its mistakes are reported.
        for named in discovery.namedDesigns { _ = try designs.load(name: named.name, systemPath: named.systemPath) }

        var found = discovery.sources
        var errors = discovery.errors
        // Which design governs each file: `--design`, else the nearest one (DesignDiscovery).
        var finder = DesignDiscovery(workingDirectory: context.workingDirectory)
        var governed: [Int?] = []
        for source in found {
            if let explicitDesign {
                governed.append(explicitDesign)
            } else if case .path(let path) = source.location, let found = finder.design(governing: path) {
                governed.append(try designs.load(name: finder.reportName(of: found), systemPath: found))
            } else {
                governed.append(nil)
            }
        }
        // The other designs of the scanned folders: their declarations apply too. One that does not load governs no
        // file of the run (a governing design that does not load has stopped the run already): a warning.
        var notices = discovery.notices
        if !discovery.gitIgnored.isEmpty {
            let ignored = discovery.gitIgnored
            let shown = ignored.prefix(3).joined(separator: ", ") + (ignored.count > 3 ? " and \(ignored.count - 3) more" : "")
            let folder = paths.first { $0 != "-" }.map(PathNames.tidy) ?? "."
            notices.append(AuditNotice(file: folder, message: "skipped \(ignored.count == 1 ? "1 entry" : "\(ignored.count) entries") "
                                       + "git ignores (\(shown)); name them, or pass --no-respect-gitignore, to audit them"))
        }
        for walked in discovery.walkedDesigns {
            do {
                _ = try designs.load(name: walked.name, systemPath: walked.systemPath)
            } catch {
                notices.append(AuditNotice(file: walked.name, message: "design file not used: it does not load and governs no audited file",
                                           isWarning: true))
            }
        }
        // A file a design declares is governed by that design, wherever it sits; inside a folder the user named it is
        // audited even where the walk does not look (a hidden folder, another extension).
        let namedFolders = paths.filter { $0 != "-" && isDirectory(context.systemPath($0)) }.compactMap { realPath(context.systemPath($0)) }
        func inNamedFolder(_ systemPath: String) -> Bool {
            guard let real = realPath(systemPath) else { return false }
            return namedFolders.contains { LexicalPath.relative(real, to: $0) != nil }
        }
        var byIdentity: [FileIdentity: Int] = [:]
        for (index, source) in found.enumerated() { if let identity = source.identity { byIdentity[identity] = index } }
        for (designIndex, loaded) in designs.loaded.enumerated() {
            for path in loaded.design.declaredFiles {
                let systemPath = PathNames.absolute(path, in: context.workingDirectory)
                guard case .success(let status) = FileStatus.target(of: systemPath), status.type == .regular else { continue }
                if let index = byIdentity[status.identity] {
                    governed[index] = designIndex
                } else if inNamedFolder(systemPath) {
                    byIdentity[status.identity] = found.count
                    found.append(PolicySource(name: PathNames.tidy(path), location: .path(systemPath), explicit: true, identity: status.identity))
                    governed.append(designIndex)
                }
            }
        }
        // A design `init` drafted still carries its notes: a reminder until a person has checked the values.
        for loaded in designs.loaded {
            guard let first = loaded.design.review.first else { continue }
            let count = loaded.design.review.count
            notices.append(AuditNotice(file: loaded.name, message: "\(count) value\(count == 1 ? "" : "s") of the design "
                                       + "\(count == 1 ? "awaits" : "await") review (its 'review' list): check each, then delete its note",
                                       position: first.span.start, isWarning: true))
        }
        let governing = governed
        // Roles are kept for the workflow rules only when some file may be a workflow.
        let mayReadWorkflows = found.contains { GitHubWorkflowSource.mayRead(fileName: $0.name) }
        let auditors = designs.loaded.map { loaded in
            var auditor = Auditor(selection: configuration.selection, placement: PlacementResolver(design: loaded.design) { path in
                guard case .success(let status) = FileStatus.target(of: PathNames.absolute(path, in: context.workingDirectory)),
                      status.type == .regular else { return nil }
                return status.identity
            })
            auditor.gathersRoles = mayReadWorkflows
            return auditor
        }
        for (auditor, loaded) in zip(auditors, designs.loaded) {
            for conflict in auditor.placement?.conflicts ?? [] {
                errors.append(AuditError(file: loaded.name, message: "one file is declared as \(conflict.joined(separator: " and ")); "
                                         + "a file cannot be the policy of two environments or roles"))
            }
        }
        let designFree = {
            var auditor = Auditor(selection: configuration.selection)
            auditor.gathersRoles = mayReadWorkflows
            return auditor
        }()
        let sources = found
        let placements: [Placement?] = sources.indices.map { index in
            governing[index].flatMap { auditors[$0].placement?.placement(ofFile: sources[index].identity) }
        }
        // The environments deploying each file as a template.
        let stacks: [[Design.Environment]] = sources.indices.map { index in
            governing[index].map { auditors[$0].placement?.templatePlacements(ofFile: sources[index].identity) ?? [] } ?? []
        }

        var findings: [Finding] = []
        var fileCount = 0
        var policyCount = 0
        var filesHoldingIAM = 0
        var filesWithoutIAM = 0
        var sourceLines: [String: [Int: String]] = [:]
        // Standard input is read here, once; files are read and audited by `jobs` workers, and the results
        // are merged in discovery order, so the report does not depend on the number of workers.
        let readsStandardInput = sources.contains { if case .standardInput = $0.location { true } else { false } }
        let standardInput: Result<[UInt8], ReadFailure>? = readsStandardInput ? context.standardInput.readAll(configuration.maxFileSize) : nil
        let maxFileSize = configuration.maxFileSize
        let jobs = configuration.jobs
        // Only the text report quotes source lines.
        let quotesSource = configuration.format == .text
        let outcomes = ParallelMap.map(count: sources.count, workers: configuration.jobs) { index -> SourceOutcome in
            let source = sources[index]
            let read = switch source.location {
            case .standardInput: standardInput ?? .success([])
            case .path(let path): FileReader.read(path: source.rawPath ?? Array(path.utf8), limit: maxFileSize, requireRegular: !source.explicit)
            }
            switch read {
            case .success(let bytes):
                let auditor = governing[index].map { auditors[$0] } ?? designFree
                let placement = placements[index]
                let audit = stacks[index].isEmpty
                    ? auditor.audit(file: source.name, bytes: bytes, explicit: source.explicit,
                                    kind: placement?.kind, environment: placement?.environment.name, jobs: jobs)
                    : auditor.audit(file: source.name, bytes: bytes, explicit: source.explicit, stacks: stacks[index], jobs: jobs)
                var lines = quotesSource ? Set(audit.findings.map(\.span.start.line)) : []
                // A workflow's findings come from the rules over the whole run, after its bytes are gone: its lines
                // are kept (workflows are short).
                if quotesSource, !audit.facts.workflows.isEmpty {
                    lines.formUnion(1...(bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }))
                }
                // So do a template's, at the names of the resources its environments' deploy roles are checked on,
                // and a deploy role's permission policy's, at its statements' actions.
                if quotesSource {
                    lines.formUnion(audit.facts.deployedResources.map(\.span.start.line))
                    for held in audit.facts.deployPolicies {
                        for statement in held.policy.document.statements {
                            if let actions = statement.action { lines.formUnion(actions.span.start.line...actions.span.end.line) }
                        }
                    }
                }
                return .audited(audit, lines.isEmpty ? [:] : SourceLines.extract(lines, from: bytes))
            case .failure(.notRegular(let type)):
                return .notice(AuditNotice(file: source.name, message: "skipped, \(type.phrase) is not a regular file"))
            case .failure(let failure):
                return .error(AuditError(file: source.name, message: failure.message))
            }
        }
        var findingsByDesign: [[Finding]] = Array(repeating: [], count: designs.loaded.count)
        var factsByDesign: [ProjectFacts] = Array(repeating: ProjectFacts(), count: designs.loaded.count)
        var designFreeFacts = ProjectFacts()
        for (index, (source, outcome)) in zip(sources, outcomes).enumerated() {
            switch outcome {
            case .audited(let audit, let lines):
                if audit.notices.contains(where: \.holdsNoIAM) { filesWithoutIAM += 1 } else { fileCount += 1 }
                policyCount += audit.policyCount
                if audit.holdsIAM { filesHoldingIAM += 1 }
                if let design = governing[index] { findingsByDesign[design] += audit.findings } else { findings += audit.findings }
                if let design = governing[index] { factsByDesign[design].merge(audit.facts) } else { designFreeFacts.merge(audit.facts) }
                errors += audit.errors
                notices += audit.notices
                if !lines.isEmpty { sourceLines[source.name, default: [:]].merge(lines) { $1 } }
            case .notice(let notice):
                notices.append(notice)
            case .error(let error):
                errors.append(error)
            }
        }
        // The rules over the whole run: every workflow of the run against the roles each design governs (a
        // repository's workflows sit in `.github/workflows/`, often outside the design's folder), and against the
        // roles no design governs.
        // A design's templates are checked against its environments' deploy roles, with or without workflows.
        let workflows = factsByDesign.flatMap(\.workflows) + designFreeFacts.workflows
        func holdsTrusts(_ facts: ProjectFacts) -> Bool { !facts.workflows.isEmpty || !facts.roles.isEmpty }
        for (index, facts) in factsByDesign.enumerated() {
            let judgesWorkflows = !workflows.isEmpty && holdsTrusts(facts)
            guard judgesWorkflows || !facts.stackServices.isEmpty else { continue }
            let project = ProjectFacts(workflows: judgesWorkflows ? workflows : [], roles: facts.roles,
                                       deployedResources: facts.deployedResources, deployPolicies: facts.deployPolicies,
                                       stackServices: facts.stackServices)
            if judgesWorkflows { projects.append((auditors[index], project)) }
            findingsByDesign[index] += auditors[index].projectFindings(project)
        }
        if !workflows.isEmpty, designs.loaded.isEmpty || !designFreeFacts.roles.isEmpty || !factsByDesign.contains(where: holdsTrusts) {
            let project = ProjectFacts(workflows: workflows, roles: designFreeFacts.roles)
            projects.append((designFree, project))
            findings += designFree.projectFindings(project)
        }
        var suppressed: [SuppressedFinding] = []
        var uses: [DesignUse] = []
        for (index, loaded) in designs.loaded.enumerated() {
            let governed = sources.indices.filter { governing[$0] == index }
            uses.append(DesignUse(file: loaded.name, files: governed.map { sources[$0].name }))
            guard !loaded.design.ignore.isEmpty else {
                findings += findingsByDesign[index]
                continue
            }
            // `ignore` paths are relative to the design's folder, compared through real paths, so an entry
            // applies however the file was named.
            var inDesign: [String: String] = [:]
            for sourceIndex in governed {
                guard case .path(let path) = sources[sourceIndex].location else { continue }
                if let path = loaded.relativePath(of: path) { inDesign[sources[sourceIndex].name] = path }
            }
            // The rules over the whole run report in files the design may not govern (a repository's
            // `.github/workflows/` beside the design's folder): those are named from the design's folder with `..`.
            let reported = Set(findingsByDesign[index].map(\.file)).subtracting(inDesign.keys)
            if !reported.isEmpty, let folder = loaded.realFolder {
                for source in sources where reported.contains(source.name) {
                    guard case .path(let path) = source.location, let real = realPath(path) else { continue }
                    inDesign[source.name] = LexicalPath.relativeClimbing(real, from: folder)
                }
            }
            let outcome = Suppressions(design: loaded.design, today: Self.today(), enabledRules: designFree.descriptions)
                .apply(to: findingsByDesign[index].sorted(by: Finding.reportOrder)) { inDesign[$0] }
            findings += outcome.kept
            suppressed += outcome.suppressed
            notices += outcome.notices
        }
        findings = Auditor.deduplicated(findings, acrossFiles: true)
        findings.sort(by: Finding.reportOrder)
        // Findings on AWS-managed policies no environment's role holds: counted per policy, out of the gate.
        var awsManaged: [AWSManagedPolicyFindings] = []
        if !configuration.includeAWSManaged {
            awsManaged = AWSManagedPolicyFindings.summarize(findings)
            if !awsManaged.isEmpty { findings.removeAll { $0.awsManagedPolicy != nil } }
        }
        // A gate that read no policy must not pass: nothing was checked.
        if filesHoldingIAM == 0, policyCount == 0, findings.isEmpty, awsManaged.isEmpty, suppressed.isEmpty, errors.isEmpty {
            let named = paths.map { $0 == "-" ? configuration.standardInputName.map(PathNames.tidy) ?? PolicySource.standardInputName : PathNames.tidy($0) }.joined(separator: ", ")
            errors.append(AuditError(file: named, message: "no policy or template with IAM found; nothing was audited"))
        }
        var report = AuditReport(toolName: ToolInfo.name, toolVersion: ToolInfo.version,
                                 findings: findings, suppressed: suppressed, errors: errors, notices: notices,
                                 fileCount: fileCount, policyCount: policyCount,
                                 rules: designFree.descriptions.sorted { $0.code < $1.code }, sourceLines: sourceLines)
        report.designs = uses
        report.filesWithoutIAM = filesWithoutIAM
        report.awsManaged = awsManaged
        return AuditRun(report: report, projects: projects)
    }

    /// Prints notices and errors, writes the report, and chooses the exit code.
    func finish(_ report: AuditReport) -> ExitCode {
        let toStandardOutput = configuration.outputFile == nil
        // Run errors always go to standard error, one line each (DESIGN.md §8), so a CI log shows them whatever
        // the format. Notices go there too in the text formats, unless --quiet.
        for error in report.errors { context.error(error.formatted) }
        var rendered = report
        let forPeople = configuration.format == .text || configuration.format == .concise
        if forPeople {
            for notice in report.notices where notice.isWarning {
                context.diagnostic("\(ToolInfo.name): warning: \(notice.formatted)")
            }
            if !configuration.quiet {
                for notice in report.notices where !notice.isWarning && !notice.holdsNoIAM {
                    context.diagnostic("\(ToolInfo.name): notice: \(notice.file): \(notice.message)")
                }
                let withoutIAM = report.notices.filter(\.holdsNoIAM).map(\.file)
                if !withoutIAM.isEmpty {
                    let shown = withoutIAM.prefix(3).joined(separator: ", ") + (withoutIAM.count > 3 ? " and \(withoutIAM.count - 3) more" : "")
                    context.diagnostic("\(ToolInfo.name): notice: skipped \(withoutIAM.count == 1 ? "1 file" : "\(withoutIAM.count) files") "
                        + "without IAM (\(shown)); name a file to have it read whatever it holds")
                }
            }
            // The text report is for people at a terminal, where standard error shows beside it: printing the
            // diagnostics there as well would show each twice.
            rendered.errorsPrintedElsewhere = rendered.errors.count
            rendered.errors = []
            rendered.notices = []
        }
        let color = configuration.color.enabled(toStandardOutput: toStandardOutput,
                                                isTerminal: context.standardOutput.isTerminal,
                                                environment: context.environment)
        if configuration.format == .sarif {
            rendered = projectRelative(rendered)
            if rendered.findings.count > SARIFReporter.maxResults {
                context.diagnostic("\(ToolInfo.name): warning: the SARIF report keeps the \(SARIFReporter.maxResults) most severe of "
                    + "\(rendered.findings.count) results: GitHub code scanning rejects a run of more; the JSON report has them all")
            }
        }
        let text: String
        if configuration.statistics {
            text = configuration.format == .json ? RuleStatistics.json(rendered) : RuleStatistics.text(rendered)
        } else {
            let options = ReportOptions(color: color, quiet: configuration.quiet, jobs: configuration.jobs)
            text = Reporters.reporter(for: configuration.format, options: options).render(rendered)
        }
        if let outputFile = configuration.outputFile {
            if case .failure(let failure) = AtomicFileWriter.write(text, to: context.systemPath(outputFile)) {
                context.error("cannot write '\(PathNames.tidy(outputFile))': \(failure.message)")
                return .failure
            }
        } else if report.errors.isEmpty || report.policyCount > 0 || !report.findings.isEmpty {
            // A run that failed without auditing any policy prints only its errors (on standard error): no
            // "no findings in 0 files", no empty report a later step could take for a clean one.
            context.standardOutput.write(text)
        }
        if !report.errors.isEmpty { return .failure }
        if report.findings.contains(where: { configuration.failOn.isMet(by: $0.level) }) { return .findings }
        return .success
    }

    /// The folder SARIF paths are relative to: `--project-root`, else the git repository holding the working
    /// directory (GitHub code scanning resolves paths from the repository's top), else the working directory.
    func projectRoot() -> String {
        if let root = configuration.projectRoot { return LexicalPath.normalized(context.systemPath(root)) }
        return GitRepository.topFolder(above: context.workingDirectory) ?? LexicalPath.normalized(context.workingDirectory)
    }

    /// `report` with every file named relative to ``projectRoot()``, normalized (`a/../b` → `b`); a file outside it
    /// keeps its absolute path, and standard input its name.
    func projectRelative(_ report: AuditReport) -> AuditReport {
        let root = projectRoot()
        let standardInput = configuration.standardInputName == nil ? PolicySource.standardInputName : nil
        func name(_ file: String) -> String {
            if file == standardInput { return file }
            let absolute = LexicalPath.normalized(PathNames.absolute(file, in: context.workingDirectory))
            return LexicalPath.relative(absolute, to: root) ?? absolute
        }
        var report = report
        for index in report.findings.indices { report.findings[index].file = name(report.findings[index].file) }
        for index in report.suppressed.indices { report.suppressed[index].finding.file = name(report.suppressed[index].finding.file) }
        for index in report.errors.indices { report.errors[index].file = name(report.errors[index].file) }
        for index in report.notices.indices { report.notices[index].file = name(report.notices[index].file) }
        for index in report.awsManaged.indices { report.awsManaged[index].file = name(report.awsManaged[index].file) }
        return report
    }

    private func isDirectory(_ systemPath: String) -> Bool {
        if case .success(let status) = FileStatus.target(of: systemPath) { return status.type == .directory }
        return false
    }
}

/// The design files of a run, each read and validated once, whatever path led to it.
struct DesignSet {
    let workingDirectory: String
    let maxFileSize: Int
    private(set) var loaded: [LoadedDesign] = []
    private var byIdentity: [FileIdentity: Int] = [:]

    /// A design read and validated.
    struct LoadedDesign {
        var design: Design
        /// The design file as reports name it.
        var name: String
        var identity: FileIdentity
        /// The real path of the design's folder, against which `ignore` paths are matched.
        var realFolder: String?

        /// The path of the file at `systemPath` relative to the design's folder, through real paths; nil outside it.
        func relativePath(of systemPath: String) -> String? {
            guard let realFolder, let real = realPath(systemPath) else { return nil }
            return LexicalPath.relative(real, to: realFolder)
        }
    }

    init(workingDirectory: String, maxFileSize: Int) {
        self.workingDirectory = workingDirectory
        self.maxFileSize = maxFileSize
    }

    /// Reads and validates the design file at `systemPath` (once per file), returning its index in ``loaded``.
    mutating func load(name: String, systemPath: String) throws(CheckCommand.Abort) -> Int {
        if case .success(let status) = FileStatus.target(of: systemPath), let known = byIdentity[status.identity] { return known }
        let bytes: [UInt8]
        switch FileReader.read(path: systemPath, limit: maxFileSize, requireRegular: false) {
        case .success(let contents): bytes = contents
        case .failure(let failure): throw .designUnreadable("\(name): cannot read the design file: \(failure.message)")
        }
        guard case .success(let status) = FileStatus.target(of: systemPath) else {
            throw .designUnreadable("\(name): the design file disappeared while it was read")
        }
        let workingDirectory = workingDirectory
        let loadedDesign = DesignLoader.load(file: name, bytes: bytes) { path in
            if case .success(let status) = FileStatus.target(of: PathNames.absolute(path, in: workingDirectory)) {
                return status.type == .regular
            }
            return false
        }
        switch loadedDesign {
        case .success(let design):
            loaded.append(LoadedDesign(design: design, name: name, identity: status.identity,
                                       realFolder: realPath(systemPath).map(LexicalPath.folder(of:))))
            byIdentity[status.identity] = loaded.count - 1
            return loaded.count - 1
        case .failure(let failure):
            throw .designInvalid(failure.errors)
        }
    }
}

/// What reading and auditing one source produced.
enum SourceOutcome: Sendable {
    case audited(FileAudit, [Int: String])
    case notice(AuditNotice)
    case error(AuditError)
}
