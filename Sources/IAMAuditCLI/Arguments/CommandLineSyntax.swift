/// A subcommand, as written first on the command line.
enum CommandName: String, Sendable, CaseIterable {
    case check
    case rules
    case explain
    case simulate
}

/// One option the command line accepts: its name, whether it takes a value, and where it applies.
struct OptionSpec: Sendable {
    let name: String
    /// The value's placeholder in help (`FILE`); nil for a flag.
    let valueName: String?
    /// The commands that accept it.
    let commands: Set<CommandName>
    /// Whether it may be given more than once (values accumulate).
    let repeatable: Bool

    init(_ name: String, value valueName: String? = nil, commands: Set<CommandName> = [.check], repeatable: Bool = false) {
        self.name = name
        self.valueName = valueName
        self.commands = commands
        self.repeatable = repeatable
    }

    static let all: [OptionSpec] = [
        OptionSpec("--design", value: "FILE", commands: [.check, .simulate]),
        OptionSpec("--format", value: "FORMAT", commands: [.check, .rules, .simulate]),
        OptionSpec("--output", value: "FILE"),
        OptionSpec("--fail-on", value: "LEVEL"),
        OptionSpec("--select", value: "CODES", repeatable: true),
        OptionSpec("--ignore", value: "CODES", repeatable: true),
        OptionSpec("--color", value: "WHEN"),
        OptionSpec("--quiet"),
        OptionSpec("--statistics"),
        OptionSpec("--exclude", value: "GLOB", repeatable: true),
        OptionSpec("--project-root", value: "DIR"),
        OptionSpec("--stdin-filename", value: "NAME"),
        OptionSpec("--no-respect-gitignore"),
        OptionSpec("--include-aws-managed"),
        OptionSpec("--max-file-size", value: "BYTES"),
        OptionSpec("--baseline", value: "FILE"),
        OptionSpec("--write-baseline", value: "FILE"),
        OptionSpec("--jobs", value: "N"),
        OptionSpec("--sub", value: "SUBJECT", commands: [.simulate]),
        OptionSpec("--aud", value: "AUDIENCE", commands: [.simulate]),
        OptionSpec("--claim", value: "NAME=VALUE", commands: [.simulate], repeatable: true),
        OptionSpec("--provider", value: "ARN", commands: [.simulate]),
        OptionSpec("--workflow", value: "FILE", commands: [.simulate]),
        OptionSpec("--job", value: "NAME", commands: [.simulate]),
        OptionSpec("--event", value: "EVENT", commands: [.simulate]),
        OptionSpec("--ref", value: "REF", commands: [.simulate]),
    ]

    static func named(_ name: String) -> OptionSpec? {
        all.first { $0.name == name }
    }

    /// The one-letter spellings, as ruff spells them: `-f json`, `-fjson`, `-o FILE`, `-q`.
    static let shortNames: [Character: String] = ["f": "--format", "o": "--output", "q": "--quiet"]

    /// Options and commands DESIGN.md §8 lists that this version does not have yet, with what to say.
    static let notYetImplemented: [String: String] = [:]
    static let commandsNotYetImplemented: [String: String] = [:]
}

/// The command line split into its command, options and operands; no value is judged yet.
struct ParsedCommandLine: Sendable, Equatable {
    struct Option: Sendable, Equatable {
        var name: String
        var value: String?
    }

    /// The explicit command, or nil for the default `check`.
    var command: CommandName?
    /// `--help` or `-h` was given (it wins over everything else).
    var help = false
    /// `--version` was given.
    var version = false
    var options: [Option] = []
    var operands: [String] = []

    /// Splits `arguments` (without the program name).
    ///
    /// Accepts `--name value` and `--name=value`; `--` ends the options; `-` is an operand (standard input).
    /// A word is a command only when it comes before every operand.
    static func parse(_ arguments: [String]) throws(UsageError) -> ParsedCommandLine {
        var parsed = ParsedCommandLine()
        // Help and version win over any other mistake on the line.
        for argument in arguments {
            if argument == "--" { break }
            if argument == "--help" || argument == "-h" { parsed.help = true }
            if argument == "--version" { parsed.version = true }
        }
        if parsed.help || parsed.version { return parsed }

        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                if !optionsEnded && parsed.command == nil && parsed.operands.isEmpty {
                    if let command = CommandName(rawValue: argument) {
                        parsed.command = command
                        continue
                    }
                    if let message = OptionSpec.commandsNotYetImplemented[argument] {
                        throw UsageError(message)
                    }
                }
                parsed.operands.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            } else if !argument.hasPrefix("--"), argument.count >= 2 {
                // `-f json`, `-fjson` or `-f=json`; a one-letter flag stands alone (`-q`).
                let letter = argument[argument.index(after: argument.startIndex)]
                guard let long = OptionSpec.shortNames[letter] else {
                    var message = "unknown option '\(argument)'"
                    let shorts = OptionSpec.shortNames.keys.sorted().map { "-\($0)" }
                    if let suggestion = Suggestion.closest(to: argument, among: shorts + ["-h"]) {
                        message += " (did you mean '\(suggestion)'?)"
                    }
                    throw UsageError(message)
                }
                name = long
                let rest = argument.dropFirst(2)
                if !rest.isEmpty {
                    if OptionSpec.named(long)?.valueName == nil {
                        throw UsageError("unknown option '\(argument)' (one-letter options are not combined; write '-\(letter)' alone)")
                    }
                    inlineValue = String(rest.hasPrefix("=") ? rest.dropFirst() : rest)
                }
            }
            if let message = OptionSpec.notYetImplemented[name] { throw UsageError(message) }
            guard let spec = OptionSpec.named(name) else {
                var message = "unknown option '\(name)'"
                if let suggestion = Suggestion.closest(to: name, among: OptionSpec.all.map(\.name) + ["--help", "--version"]) {
                    message += " (did you mean '\(suggestion)'?)"
                }
                throw UsageError(message)
            }
            if spec.valueName == nil {
                if inlineValue != nil { throw UsageError("option '\(name)' takes no value") }
                parsed.options.append(Option(name: name, value: nil))
                continue
            }
            if let inlineValue {
                parsed.options.append(Option(name: name, value: inlineValue))
                continue
            }
            guard index < arguments.count, arguments[index] == "-" || !arguments[index].hasPrefix("-") else {
                throw UsageError("option '\(name)' needs a value (\(spec.valueName ?? "VALUE"))")
            }
            parsed.options.append(Option(name: name, value: arguments[index]))
            index += 1
        }
        return parsed
    }
}

/// A mistake on the command line: reported as one line on standard error, exit 2.
public struct UsageError: Error, Sendable, Equatable {
    /// One lowercase clause, no trailing period: `unknown option '--bogus'`.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
