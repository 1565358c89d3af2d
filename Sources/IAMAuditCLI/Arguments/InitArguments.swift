/// The settings of `init`: the folder to draw the design from and the file to write.
public struct InitRequest: Sendable, Equatable {
    /// The folder as the user wrote it; `.` by default.
    public var folder: String
    /// `--output FILE` / `-o FILE`; nil writes `iam-audit.json` in the folder.
    public var outputFile: String?

    public init(folder: String = ".", outputFile: String? = nil) {
        self.folder = folder
        self.outputFile = outputFile
    }
}

extension InitRequest {
    /// The command word.
    static let commandWord = "init"

    /// The `init` settings of a command line that starts with `init`; nil for any other command line, and for one
    /// asking for `--help` or `--version`, which the general parser answers.
    ///
    /// `init` takes its own few options (`--output FILE`, `-o FILE`, `--output=FILE`) and at most one folder; `--`
    /// ends the options.
    init?(commandLine arguments: [String]) throws(UsageError) {
        guard arguments.first == Self.commandWord else { return nil }
        let rest = arguments.dropFirst()
        let optionsPart = rest.prefix { $0 != "--" }
        if optionsPart.contains(where: { ["--help", "-h", "--version"].contains($0) }) { return nil }
        self.init()
        var folders: [String] = []
        var index = rest.startIndex
        var optionsEnded = false
        while index < rest.endIndex {
            let argument = rest[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                folders.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var value: String?
            if argument == "--output" || argument == "-o" {
                guard index < rest.endIndex, !rest[index].hasPrefix("-") || rest[index] == "-" else {
                    throw UsageError("option '\(argument)' needs a value (FILE)")
                }
                value = rest[index]
                index += 1
            } else if argument.hasPrefix("--output=") {
                value = String(argument.dropFirst("--output=".count))
            } else {
                let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
                if OptionSpec.named(name) != nil { throw UsageError("option '\(name)' does not apply to 'init'") }
                var message = "unknown option '\(name)'"
                if let suggestion = Suggestion.closest(to: name, among: ["--output"]) { message += " (did you mean '\(suggestion)'?)" }
                throw UsageError(message)
            }
            guard let value, !value.isEmpty else { throw UsageError("option '--output' needs a value (FILE)") }
            if value == "-" { throw UsageError("'init' writes a design file, not standard output: give --output a file name") }
            if outputFile != nil { throw UsageError("option '--output' given more than once") }
            outputFile = value
        }
        if folders.count > 1 { throw UsageError("unexpected argument '\(folders[1])' for 'init' (it takes one folder)") }
        if let folder = folders.first {
            if folder.isEmpty { throw UsageError("empty path ''") }
            if folder == "-" { throw UsageError("'init' reads a folder, not standard input") }
            self.folder = folder
        }
    }
}
