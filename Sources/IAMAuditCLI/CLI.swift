import Foundation
import IAMAuditReporters
import IAMAuditRules

/// The `iam-audit` command line as a library: `main.swift` calls `run` once, and tests call it with captured streams.
public enum CLI {
    /// Runs one command line: parse, validate, run.
    /// - Parameters:
    ///   - arguments: the arguments without the program name.
    ///   - stdin: what the path `-` reads.
    ///   - stdout: where reports and command output go.
    ///   - stderr: where usage errors, run errors and notices go.
    ///   - environment: the process environment (`NO_COLOR`).
    ///   - workingDirectory: the folder relative paths start from; nil is the process's current directory.
    /// - Returns: the exit code (DESIGN.md §8).
    public static func run<Arguments: Sequence<String>>(
        arguments: Arguments,
        stdin: InputSource = .standardInput,
        stdout: any TextSink = FileDescriptorSink.standardOutput,
        stderr: any TextSink = FileDescriptorSink.standardError,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String? = nil
    ) -> ExitCode {
        let context = RunContext(standardInput: stdin, standardOutput: stdout, standardError: stderr,
                                 environment: environment,
                                 workingDirectory: workingDirectory ?? FileManager.default.currentDirectoryPath)
        let command: Command
        do {
            command = try parse(Array(arguments))
        } catch {
            return context.usageError(error)
        }
        return run(command, in: context)
    }

    /// Parses and validates a command line (without the program name) into the command it asks for.
    public static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        if let request = try InitRequest(commandLine: arguments) { return .initialize(request) }
        let parsed = try ParsedCommandLine.parse(arguments)
        return try Command.validate(parsed, catalog: RuleCatalog.descriptions)
    }

    /// Runs a validated command.
    static func run(_ command: Command, in context: RunContext) -> ExitCode {
        switch command {
        case .help:
            context.standardOutput.write(HelpText.text)
            return .success
        case .version:
            context.standardOutput.write("\(ToolInfo.name) \(ToolInfo.version)\n")
            return .success
        case .rules(let format):
            let rules = RuleCatalog.descriptions.sorted { $0.code < $1.code }
            let text = switch format {
            case .text: RuleDocumentation.table(rules)
            case .json: RuleDocumentation.json(rules)
            case .markdown: RuleDocumentation.markdown(rules)
            }
            context.standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
            return .success
        case .explain(let code):
            guard let rule = RuleCatalog.rule(code) else {
                return context.usageError(UsageError("unknown rule '\(code)'"))
            }
            let text = RuleDocumentation.text(for: rule.description)
            context.standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
            return .success
        case .check(let configuration):
            return CheckCommand(configuration: configuration, context: context).run()
        case .simulate(let request):
            return SimulateCommand(request: request, context: context).run()
        case .simulateWorkflow(let request):
            return SimulateWorkflowCommand(request: request, context: context).run()
        case .initialize(let request):
            return InitCommand(request: request, context: context).run()
        }
    }
}

/// The streams and surroundings of one run.
struct RunContext {
    var standardInput: InputSource
    var standardOutput: any TextSink
    var standardError: any TextSink
    var environment: [String: String]
    var workingDirectory: String

    /// Prints `iam-audit: error: MESSAGE` on standard error.
    func error(_ message: String) {
        diagnostic("\(ToolInfo.name): error: \(message)")
    }

    /// Prints one line on standard error. File names and messages can carry any character a file name or a
    /// policy holds: control and bidirectional characters print as U+FFFD, as in the text report.
    func diagnostic(_ line: String) {
        standardError.write(TerminalText.sanitized(line) + "\n")
    }

    /// Prints a usage error and the pointer to `--help`; returns the failure exit code.
    func usageError(_ error: UsageError) -> ExitCode {
        self.error(error.message)
        standardError.write("Run '\(ToolInfo.name) --help' for usage.\n")
        return .failure
    }

    /// `path`, tidied, made absolute against the working directory.
    func systemPath(_ path: String) -> String {
        PathNames.absolute(PathNames.tidy(path), in: workingDirectory)
    }
}
