import Foundation
import IAMAuditReporters
import IAMAuditRules
import IAMPolicy

/// What one run of `iam-audit` is asked to do, validated from the command line.
public enum Command: Sendable, Equatable {
    /// Audit paths (the default command).
    case check(Configuration)
    /// List the rules.
    case rules(RulesFormat)
    /// Describe one rule, by its code (`IAM001`).
    case explain(code: String)
    /// Evaluate a trust policy against one GitHub Actions token.
    case simulate(SimulationRequest)
    /// Say which roles one job of a workflow can assume.
    case simulateWorkflow(WorkflowSimulationRequest)
    /// Write a starter design file from what a folder holds.
    case initialize(InitRequest)
    case help
    case version
}

/// The settings of `check`: every flag, with its default, fed into one value.
public struct Configuration: Sendable, Equatable {
    /// Paths as the user wrote them (`-` is standard input); empty means `policies/` when it exists.
    public var paths: [String] = []
    /// `--design FILE`; nil looks for `iam-audit.json` in the first scanned folder.
    public var designFile: String?
    public var format: OutputFormat = .text
    /// `--output FILE`; nil (or `-`) writes to standard output.
    public var outputFile: String?
    public var failOn: FailThreshold = .error
    /// `--select` selectors (codes, code prefixes or names); nil enables every rule.
    public var select: [String]?
    /// `--ignore` selectors.
    public var ignore: [String] = []
    public var color: ColorChoice = .auto
    /// `--quiet`: no notices on standard error.
    public var quiet = false
    /// `--max-file-size`: files over this many bytes are refused unread.
    public var maxFileSize: Int = FileReader.defaultLimit
    /// `--baseline FILE`: findings this baseline holds are left out of the report.
    public var baselineFile: String?
    /// `--write-baseline FILE`: the run's findings are written to this baseline file.
    public var writeBaselineFile: String?
    /// `--jobs`: how many files are audited at once (default: the number of active cores). The report is
    /// the same whatever the number.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// `--statistics`: one line per rule with its count of findings, instead of the findings.
    public var statistics = false
    /// `--exclude GLOB`: entries a folder walk leaves out (a named path is audited whatever it matches).
    public var exclude: [String] = []
    /// `--project-root DIR`: the folder SARIF paths are relative to; nil: the git repository's top level.
    public var projectRoot: String?
    /// `--stdin-filename NAME`: the name reports give standard input; nil: `<stdin>`.
    public var standardInputName: String?
    /// `--no-respect-gitignore`: folder walks enter what `.gitignore` files leave out of the repository.
    public var respectsGitIgnore = true
    /// `--include-aws-managed`: findings on AWS-managed policies count toward the exit code and are listed one by
    /// one, like the user's own.
    public var includeAWSManaged = false

    public init() {}

    /// The rules `--select` and `--ignore` enable.
    public var selection: RuleSelection { RuleSelection(select: select, ignore: ignore) }
}

/// `--fail-on`: the lowest finding level that makes the exit code 1.
public enum FailThreshold: String, Sendable, Equatable, CaseIterable {
    case error, warning, note, never

    /// Whether a finding of `level` fails the run.
    public func isMet(by level: FindingLevel) -> Bool {
        switch self {
        case .error: level >= .error
        case .warning: level >= .warning
        case .note: level >= .note
        case .never: false
        }
    }
}

/// `--color`: whether the text report uses ANSI colour.
public enum ColorChoice: String, Sendable, Equatable, CaseIterable {
    /// Colour only when writing to standard output, it is a terminal, and `NO_COLOR` is unset or empty.
    case auto
    case always
    case never

    /// Decides for one run.
    /// - Parameters:
    ///   - toStandardOutput: whether the report goes to standard output rather than `--output FILE`.
    ///   - isTerminal: whether standard output is a terminal.
    ///
    /// Precedence, highest first: `--color always|never`; `NO_COLOR` set and not empty turns colour off
    /// (no-color.org: a command-line argument may turn it back on); `FORCE_COLOR` set and not empty turns it on
    /// even off a terminal (force-color.org); otherwise colour only on a terminal, and never into `--output`.
    public func enabled(toStandardOutput: Bool, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto:
            if !(environment["NO_COLOR"] ?? "").isEmpty { false }
            else if !(environment["FORCE_COLOR"] ?? "").isEmpty { toStandardOutput }
            else { toStandardOutput && isTerminal }
        }
    }
}

/// The settings of `simulate`: the trust policy file and the token's claims.
public struct SimulationRequest: Sendable, Equatable {
    /// The trust policy file as the user wrote it (`-` is standard input).
    public var path: String
    /// `--sub`: the token's subject.
    public var sub: String
    /// `--aud`; nil takes `sts.amazonaws.com`.
    public var aud: String?
    /// `--claim NAME=VALUE`: the other claims, by name.
    public var claims: [String: String] = [:]
    public var format: SimulateFormat = .text
    /// `--provider ARN`: the identity provider the token is presented through, which names the role's account;
    /// nil works the account out from the policy.
    public var provider: String?

    public init(path: String, sub: String, aud: String? = nil, claims: [String: String] = [:], format: SimulateFormat = .text,
                provider: String? = nil) {
        self.path = path
        self.sub = sub
        self.aud = aud
        self.claims = claims
        self.format = format
        self.provider = provider
    }

    /// Every claim of the token: `sub`, `aud` when given, and the others.
    public var allClaims: [String: String] {
        var all = claims
        all["sub"] = sub
        if let aud { all["aud"] = aud }
        return all
    }
}

/// The settings of `simulate --workflow`: the workflow, the job, the event and ref to narrow its runs to, and the
/// paths holding the roles.
public struct WorkflowSimulationRequest: Sendable, Equatable {
    public var workflow: String
    public var job: String
    /// `--event`: only the runs of this event; nil: every event the workflow runs on.
    public var event: String?
    /// `--ref`: only runs on this ref (`refs/heads/main`); nil: every ref.
    public var ref: String?
    /// Files and folders holding the roles' trust policies; empty: the repository holding the workflow.
    public var paths: [String] = []
    public var designFile: String?
    public var format: SimulateFormat = .text

    public init(workflow: String, job: String, event: String? = nil, ref: String? = nil, paths: [String] = [],
                designFile: String? = nil, format: SimulateFormat = .text) {
        self.workflow = workflow
        self.job = job
        self.event = event
        self.ref = ref
        self.paths = paths
        self.designFile = designFile
        self.format = format
    }
}

extension WorkflowSimulationRequest {
    /// The `simulate --workflow` settings of a parsed command line.
    init(_ parsed: ParsedCommandLine) throws(UsageError) {
        func value(_ name: String) -> String? { parsed.options.last(where: { $0.name == name })?.value }
        guard let workflow = value("--workflow"), !workflow.isEmpty else { throw UsageError("'--workflow' needs a workflow file") }
        guard let job = value("--job"), !job.isEmpty else {
            throw UsageError("'simulate --workflow' needs --job, the id of a job under 'jobs:'")
        }
        self.init(workflow: workflow, job: job, event: value("--event"), ref: value("--ref"), paths: parsed.operands,
                  designFile: value("--design"))
        if paths.contains("-") { throw UsageError("'simulate --workflow' reads the roles from files, not standard input") }
        if let ref, !ref.hasPrefix("refs/") {
            throw UsageError("invalid value '\(ref)' for --ref (expected a full ref, such as refs/heads/main or refs/tags/v1)")
        }
        for option in parsed.options {
            switch option.name {
            case "--workflow", "--job", "--event", "--ref", "--design": break
            case "--format": format = try Command.choice(SimulateFormat.self, option)
            default: throw UsageError("option '\(option.name)' does not apply to 'simulate --workflow'")
            }
        }
    }
}

/// `simulate --format`.
public enum SimulateFormat: String, Sendable, Equatable, CaseIterable {
    /// The decision, then the deciding statement or each statement's first failing condition.
    case text
    /// The same as one JSON object.
    case json
}

/// `rules --format`.
public enum RulesFormat: String, Sendable, Equatable, CaseIterable {
    /// An aligned table.
    case text
    case json
    /// The Markdown of `docs/RULES.md`.
    case markdown
}

extension Command {
    /// Validates a parsed command line: every option applies to the command, every value is one of its choices,
    /// every rule code exists.
    static func validate(_ parsed: ParsedCommandLine, catalog: @autoclosure () -> [RuleDescription]) throws(UsageError) -> Command {
        if parsed.help { return .help }
        if parsed.version { return .version }
        let command = parsed.command ?? .check
        var seen: Set<String> = []
        for option in parsed.options {
            guard let spec = OptionSpec.named(option.name) else { throw UsageError("unknown option '\(option.name)'") }
            guard spec.commands.contains(command) else {
                throw UsageError("option '\(option.name)' does not apply to '\(command.rawValue)'")
            }
            if !spec.repeatable && !seen.insert(option.name).inserted {
                throw UsageError("option '\(option.name)' given more than once")
            }
            if spec.valueName != nil, option.value?.isEmpty ?? true {
                throw UsageError("option '\(option.name)' needs a value (\(spec.valueName ?? "VALUE"))")
            }
        }
        switch command {
        case .check:
            return .check(try Configuration(parsed, catalog: catalog()))
        case .rules:
            if let operand = parsed.operands.first { throw UsageError("unexpected argument '\(operand)' for 'rules'") }
            let format = try parsed.options.last { $0.name == "--format" }.map { option throws(UsageError) in
                try choice(RulesFormat.self, option)
            } ?? .text
            return .rules(format)
        case .explain:
            guard let code = parsed.operands.first else {
                throw UsageError("'explain' needs a rule code or name, as in 'iam-audit explain IAM001'")
            }
            if parsed.operands.count > 1 { throw UsageError("unexpected argument '\(parsed.operands[1])' for 'explain'") }
            let rules = catalog()
            if let rule = rules.first(where: { $0.code == code.uppercased() || $0.name == code.lowercased() }) {
                return .explain(code: rule.code)
            }
            var message = "unknown rule '\(code)'"
            if let suggestion = Suggestion.closest(to: code, among: rules.map(\.code) + rules.map(\.name)) {
                message += " (did you mean '\(suggestion)'?)"
            }
            throw UsageError(message)
        case .simulate:
            if parsed.options.contains(where: { $0.name == "--workflow" }) {
                return .simulateWorkflow(try WorkflowSimulationRequest(parsed))
            }
            return .simulate(try SimulationRequest(parsed))
        }
    }

    /// The value of `option` as one of `Choice`'s cases.
    static func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type, _ option: ParsedCommandLine.Option) throws(UsageError) -> Choice
    where Choice.RawValue == String {
        let value = option.value ?? ""
        if let choice = Choice(rawValue: value.lowercased()) { return choice }
        let names = Choice.allCases.map(\.rawValue)
        let list = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        throw UsageError("invalid value '\(value)' for \(option.name) (expected \(list))")
    }
}

extension Configuration {
    /// The `check` settings of a parsed command line.
    init(_ parsed: ParsedCommandLine, catalog: [RuleDescription]) throws(UsageError) {
        self.init()
        paths = parsed.operands
        if paths.filter({ $0 == "-" }).count > 1 { throw UsageError("'-' (standard input) given more than once") }
        if let empty = paths.first(where: \.isEmpty) { throw UsageError("empty path '\(empty)'") }
        for option in parsed.options {
            let value = option.value ?? ""
            switch option.name {
            case "--design": designFile = value
            case "--format": format = try Command.choice(OutputFormat.self, option)
            case "--output": outputFile = value == "-" ? nil : value
            case "--fail-on": failOn = try Command.choice(FailThreshold.self, option)
            case "--color": color = try Command.choice(ColorChoice.self, option)
            case "--quiet": quiet = true
            case "--statistics": statistics = true
            case "--include-aws-managed": includeAWSManaged = true
            case "--no-respect-gitignore": respectsGitIgnore = false
            case "--project-root": projectRoot = value
            case "--stdin-filename": standardInputName = value
            case "--exclude":
                do throws(GlobPattern.SyntaxError) {
                    _ = try IgnoreRule.exclusion(value)
                } catch {
                    throw UsageError("invalid value '\(value)' for --exclude: \(error.message)")
                }
                exclude.append(value)
            case "--select": select = (select ?? []) + (try Self.selectors(option, catalog: catalog))
            case "--ignore": ignore += try Self.selectors(option, catalog: catalog)
            case "--baseline": baselineFile = value
            case "--write-baseline": writeBaselineFile = value
            case "--max-file-size":
                guard let bytes = Int(value), bytes > 0 else {
                    throw UsageError("invalid value '\(value)' for --max-file-size (expected a positive whole number of bytes)")
                }
                maxFileSize = bytes
            case "--jobs":
                guard let count = Int(value), count > 0 else {
                    throw UsageError("invalid value '\(value)' for --jobs (expected a positive whole number)")
                }
                jobs = count
            default:
                throw UsageError("option '\(option.name)' does not apply to 'check'")
            }
        }
        try checkOutputsDiffer()
        if statistics, format != .text, format != .concise, format != .json {
            throw UsageError("--statistics prints text, concise or json, not \(format.rawValue)")
        }
    }

    /// Two options that would write, or write and read, the same file: one would be lost.
    private func checkOutputsDiffer() throws(UsageError) {
        let files: [(String, String?)] = [("--output", outputFile), ("--write-baseline", writeBaselineFile),
                                          ("--baseline", baselineFile), ("--design", designFile)]
        let named = files.compactMap { name, file in file.map { (name, PathNames.tidy($0)) } }
        for (index, first) in named.enumerated() {
            for second in named[(index + 1)...] where first.1 == second.1 {
                // Reading a baseline and rewriting it in one run is how a baseline is refreshed.
                if Set([first.0, second.0]) == ["--baseline", "--write-baseline"] { continue }
                throw UsageError("\(first.0) and \(second.0) name the same file '\(first.1)'; one would be lost")
            }
        }
    }

    /// The comma-separated rule selectors of one `--select` or `--ignore`, each checked against the catalog.
    static func selectors(_ option: ParsedCommandLine.Option, catalog: [RuleDescription]) throws(UsageError) -> [String] {
        let selectors = (option.value ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !selectors.isEmpty else { throw UsageError("option '\(option.name)' needs at least one rule code") }
        let families = Set(RuleFamily.allCases.map(\.rawValue))
        let unknown = RuleSelection(select: selectors).unknownSelectors(in: catalog).filter { !families.contains($0.uppercased()) }
        if let first = unknown.first {
            var message = "unknown rule code '\(first)' in \(option.name)"
            if let suggestion = Suggestion.closest(to: first, among: catalog.map(\.code) + catalog.map(\.name)) {
                message += " (did you mean '\(suggestion)'?)"
            }
            throw UsageError(message)
        }
        return selectors
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

extension SimulationRequest {
    /// The `simulate` settings of a parsed command line.
    init(_ parsed: ParsedCommandLine) throws(UsageError) {
        guard let path = parsed.operands.first else {
            throw UsageError("'simulate' needs a trust policy file, as in 'iam-audit simulate trust.json --sub repo:OWNER/REPO:ref:refs/heads/main'")
        }
        if parsed.operands.count > 1 { throw UsageError("unexpected argument '\(parsed.operands[1])' for 'simulate'") }
        if path.isEmpty { throw UsageError("empty path ''") }
        guard let sub = parsed.options.last(where: { $0.name == "--sub" })?.value else {
            throw UsageError("'simulate' needs --sub, the token's subject, such as repo:OWNER/REPO:ref:refs/heads/main")
        }
        self.init(path: path, sub: sub)
        for option in parsed.options {
            let value = option.value ?? ""
            switch option.name {
            case "--sub": break
            case "--aud": aud = value
            case "--format": format = try Command.choice(SimulateFormat.self, option)
            case "--claim":
                let (name, claim) = try Self.claim(value)
                if claims[name] != nil { throw UsageError("claim '\(name)' given more than once in --claim") }
                claims[name] = claim
            case "--provider":
                provider = try Self.provider(value)
            default:
                throw UsageError("option '\(option.name)' does not apply to 'simulate'")
            }
        }
        if let provider, let iss = claims["iss"],
           TrustSimulation.issuerKeyPrefix(iss) != GitHubProvider(Located(provider, pointer: .root, span: SourceSpan(at: .start)))?.keyPrefix {
            throw UsageError("--claim iss=\(iss) names another issuer than --provider \(provider)")
        }
    }

    /// The value of `--provider`: the ARN of a GitHub OIDC identity provider.
    static func provider(_ text: String) throws(UsageError) -> String {
        guard let arn = ARN(parsing: text), arn.service == "iam", !arn.account.isEmpty,
              arn.resource.hasPrefix("oidc-provider/"),
              GitHubProvider(Located(text, pointer: .root, span: SourceSpan(at: .start))) != nil else {
            throw UsageError("invalid value '\(text)' for --provider (expected the ARN of a GitHub OIDC identity provider, "
                + "such as arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com)")
        }
        return text
    }

    /// The name (lowercased) and value of one `--claim NAME=VALUE`.
    static func claim(_ text: String) throws(UsageError) -> (name: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw UsageError("invalid value '\(text)' for --claim (expected NAME=VALUE, such as environment=prod)")
        }
        let name = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        if name.containsASCII(":") {
            throw UsageError("invalid claim name '\(name)' in --claim (give the claim's name, such as environment, not the condition key)")
        }
        let lower = name.lowercased()
        if lower == "sub" || lower == "aud" {
            throw UsageError("claim '\(lower)' is given with --\(lower), not --claim")
        }
        return (lower, value)
    }
}
