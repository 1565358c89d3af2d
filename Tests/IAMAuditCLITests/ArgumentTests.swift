import IAMAuditCLI
import IAMAuditReporters
import IAMAuditRules
import Testing

@Suite("Arguments")
struct ArgumentTests {
    private func configuration(_ arguments: [String]) throws -> Configuration {
        guard case .check(let configuration) = try CLI.parse(arguments) else {
            Issue.record("not a check command: \(arguments)")
            return Configuration()
        }
        return configuration
    }

    @Test func defaults() throws {
        let defaults = try configuration([])
        #expect(defaults.paths.isEmpty)
        #expect(defaults.designFile == nil)
        #expect(defaults.format == .text)
        #expect(defaults.outputFile == nil)
        #expect(defaults.failOn == .error)
        #expect(defaults.select == nil)
        #expect(defaults.ignore.isEmpty)
        #expect(defaults.color == .auto)
        #expect(!defaults.quiet)
        #expect(defaults.maxFileSize == 256 * 1024 * 1024)
    }

    @Test func everyCheckFlagParsesInBothSpellings() throws {
        for (separate, joined) in [(["--design", "d.json"], ["--design=d.json"]),
                                   (["--format", "sarif"], ["--format=sarif"]),
                                   (["--output", "out.sarif"], ["--output=out.sarif"]),
                                   (["--fail-on", "warning"], ["--fail-on=warning"]),
                                   (["--select", "IAM001"], ["--select=IAM001"]),
                                   (["--ignore", "invalid-json"], ["--ignore=invalid-json"]),
                                   (["--color", "always"], ["--color=always"]),
                                   (["--max-file-size", "1024"], ["--max-file-size=1024"])] {
            #expect(try configuration(separate) == configuration(joined), "\(separate)")
        }
        let all = try configuration(["check", "a.json", "--design", "d.json", "--format", "json", "--output", "out.json",
                                     "--fail-on", "note", "--select", "IAM", "--ignore", "IAM001", "--color", "never",
                                     "--quiet", "--max-file-size", "10", "b"])
        #expect(all.paths == ["a.json", "b"])
        #expect(all.designFile == "d.json")
        #expect(all.format == .json)
        #expect(all.outputFile == "out.json")
        #expect(all.failOn == .note)
        #expect(all.select == ["IAM"])
        #expect(all.ignore == ["IAM001"])
        #expect(all.color == .never)
        #expect(all.quiet)
        #expect(all.maxFileSize == 10)
    }

    @Test(arguments: OutputFormat.allCases)
    func everyOutputFormat(_ format: OutputFormat) throws {
        #expect(try configuration(["--format", format.rawValue]).format == format)
    }

    @Test(arguments: FailThreshold.allCases)
    func everyFailThreshold(_ threshold: FailThreshold) throws {
        #expect(try configuration(["--fail-on", threshold.rawValue]).failOn == threshold)
    }

    @Test(arguments: ColorChoice.allCases)
    func everyColorChoice(_ choice: ColorChoice) throws {
        #expect(try configuration(["--color=\(choice.rawValue)"]).color == choice)
    }

    @Test func codesAreCommaSeparatedAndRepeatable() throws {
        let parsed = try configuration(["--select", "IAM001, invalid-json", "--select=iam", "--ignore", "IAM001,", "--ignore", "IAM"])
        #expect(parsed.select == ["IAM001", "invalid-json", "iam"])
        #expect(parsed.ignore == ["IAM001", "IAM"])
    }

    @Test func familyPrefixesAreKnownEvenWithoutRules() throws {
        #expect(try configuration(["--select", "OIDC,DSN"]).select == ["OIDC", "DSN"])
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try configuration(["--quiet", "--", "--format", "-", "rules"])
        #expect(parsed.paths == ["--format", "-", "rules"])
        #expect(parsed.quiet)
        #expect(try configuration(["--", "check"]).paths == ["check"])
    }

    @Test func dashIsStandardInputAndOutput() throws {
        #expect(try configuration(["-"]).paths == ["-"])
        #expect(try configuration(["--output", "-"]).outputFile == nil)
    }

    @Test func checkIsTheDefaultCommand() throws {
        #expect(try configuration(["check", "policies"]) == configuration(["policies"]))
        #expect(try CLI.parse(["--quiet", "check"]) == .check({ var c = Configuration(); c.quiet = true; return c }()))
    }

    @Test func otherCommands() throws {
        #expect(try CLI.parse(["rules"]) == .rules(.text))
        #expect(try CLI.parse(["rules", "--format", "markdown"]) == .rules(.markdown))
        #expect(try CLI.parse(["rules", "--format=json"]) == .rules(.json))
        #expect(try CLI.parse(["explain", "IAM001"]) == .explain(code: "IAM001"))
        #expect(try CLI.parse(["explain", "iam001"]) == .explain(code: "IAM001"))
        #expect(try CLI.parse(["explain", "Invalid-JSON"]) == .explain(code: "IAM001"))
        #expect(try CLI.parse(["--help"]) == .help)
        #expect(try CLI.parse(["-h"]) == .help)
        #expect(try CLI.parse(["check", "--bogus", "-h"]) == .help)
        #expect(try CLI.parse(["--version"]) == .version)
        #expect(try CLI.parse(["rules", "--version"]) == .version)
    }

    /// Each of these is a usage error: one `iam-audit: error:` line, the pointer to `--help`, exit 2, nothing on
    /// standard output.
    @Test(arguments: [
        (["--bogus"], "unknown option '--bogus'"),
        (["--fromat", "json"], "did you mean '--format'?"),
        (["-x"], "unknown option '-x'"),
        (["--baseline="], "option '--baseline' needs a value (FILE)"),
        (["--write-baseline"], "option '--write-baseline' needs a value (FILE)"),
        (["simulate", "trust.json"], "'simulate' needs --sub, the token's subject"),
        (["simulate", "--sub", "x"], "'simulate' needs a trust policy file"),
        (["simulate", "a.json", "b.json", "--sub", "x"], "unexpected argument 'b.json' for 'simulate'"),
        (["simulate", "a.json", "--sub="], "option '--sub' needs a value (SUBJECT)"),
        (["simulate", "a.json", "--sub", "x", "--sub", "y"], "option '--sub' given more than once"),
        (["simulate", "a.json", "--sub", "x", "--claim", "environment"], "invalid value 'environment' for --claim (expected NAME=VALUE"),
        (["simulate", "a.json", "--sub", "x", "--claim", "=prod"], "invalid value '=prod' for --claim"),
        (["simulate", "a.json", "--sub", "x", "--claim", "token.actions.githubusercontent.com:environment=prod"],
         "invalid claim name 'token.actions.githubusercontent.com:environment' in --claim"),
        (["simulate", "a.json", "--sub", "x", "--claim", "SUB=y"], "claim 'sub' is given with --sub, not --claim"),
        (["simulate", "a.json", "--sub", "x", "--claim", "aud=y"], "claim 'aud' is given with --aud, not --claim"),
        (["simulate", "a.json", "--sub", "x", "--claim", "ref=a", "--claim", "Ref=b"], "claim 'ref' given more than once in --claim"),
        (["simulate", "a.json", "--sub", "x", "--format", "sarif"], "invalid value 'sarif' for --format (expected text or json)"),
        (["simulate", "a.json", "--sub", "x", "--design", "iam-audit.json"], "option '--design' does not apply to 'simulate'"),
        (["check", "a.json", "--sub", "x"], "option '--sub' does not apply to 'check'"),
        (["a.json", "--claim", "ref=main"], "option '--claim' does not apply to 'check'"),
        (["--format"], "option '--format' needs a value"),
        (["--format", "--quiet"], "option '--format' needs a value"),
        (["--format="], "option '--format' needs a value"),
        (["--format", "xml"], "invalid value 'xml' for --format (expected text, concise, json, sarif or github)"),
        (["--format", "markdown"], "invalid value 'markdown' for --format"),
        (["rules", "--format", "sarif"], "invalid value 'sarif' for --format (expected text, json or markdown)"),
        (["--fail-on", "critical"], "invalid value 'critical' for --fail-on"),
        (["--color", "sometimes"], "invalid value 'sometimes' for --color"),
        (["--quiet=yes"], "option '--quiet' takes no value"),
        (["--format", "json", "--format", "text"], "option '--format' given more than once"),
        (["--select", "IAM999"], "unknown rule code 'IAM999' in --select"),
        (["--ignore", "IAM001,nonsense-rule"], "unknown rule code 'nonsense-rule' in --ignore"),
        (["--select", "IAM0001"], "did you mean 'IAM001'?"),
        (["--select", ","], "option '--select' needs at least one rule code"),
        (["--max-file-size", "0"], "invalid value '0' for --max-file-size"),
        (["--max-file-size", "64M"], "invalid value '64M' for --max-file-size"),
        (["-", "-"], "'-' (standard input) given more than once"),
        (["rules", "extra"], "unexpected argument 'extra' for 'rules'"),
        (["rules", "--quiet"], "option '--quiet' does not apply to 'rules'"),
        (["explain"], "'explain' needs a rule code"),
        (["explain", "IAM001", "IAM002"], "unexpected argument 'IAM002' for 'explain'"),
        (["explain", "IAM999"], "unknown rule 'IAM999'"),
        (["explain", "invalid-jsn"], "did you mean 'invalid-json'?"),
        (["explain", "IAM001", "--format", "json"], "option '--format' does not apply to 'explain'"),
    ] as [([String], String)])
    func usageError(_ arguments: [String], _ expected: String) {
        let result = iamAudit(arguments)
        #expect(result.code == .failure)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 2, "\(result.stderrLines)")
        #expect(result.stderrLines.first?.hasPrefix("iam-audit: error: ") == true)
        #expect(result.stderrLines.first?.contains(expected) == true, "\(result.stderrLines)")
        #expect(result.stderrLines.last == "Run 'iam-audit --help' for usage.")
    }

    @Test func noPathWithoutPoliciesFolderIsAUsageError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = iamAudit([], workingDirectory: folder.path)
        #expect(result.code == .failure)
        #expect(result.stderrLines.first == "iam-audit: error: no path given and no policies/ folder here; name the files or folders to audit")
    }

    @Test func noPathAuditsPoliciesFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("policies/broken.json", Sample.malformed)
        let result = iamAudit(["--format", "github"], workingDirectory: folder.path)
        #expect(result.code == .findings)
        #expect(result.stdout.contains("policies/broken.json"))
    }

    @Test func failThresholds() {
        #expect(FailThreshold.error.isMet(by: .error) && !FailThreshold.error.isMet(by: .warning))
        #expect(FailThreshold.warning.isMet(by: .warning) && !FailThreshold.warning.isMet(by: .note))
        #expect(FailThreshold.note.isMet(by: .note))
        #expect(FindingLevel.allCases.allSatisfy { !FailThreshold.never.isMet(by: $0) })
    }

    @Test func colorChoice() {
        #expect(ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: true, environment: [:]))
        #expect(ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: false, environment: [:]))
        #expect(!ColorChoice.auto.enabled(toStandardOutput: false, isTerminal: true, environment: [:]))
        #expect(ColorChoice.always.enabled(toStandardOutput: false, isTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!ColorChoice.never.enabled(toStandardOutput: true, isTerminal: true, environment: [:]))
        // FORCE_COLOR colours standard output off a terminal; NO_COLOR wins over it; the flag wins over both.
        #expect(ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: false, environment: ["FORCE_COLOR": "1"]))
        #expect(!ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: false, environment: ["FORCE_COLOR": ""]))
        #expect(!ColorChoice.auto.enabled(toStandardOutput: false, isTerminal: false, environment: ["FORCE_COLOR": "1"]))
        #expect(!ColorChoice.auto.enabled(toStandardOutput: true, isTerminal: true, environment: ["FORCE_COLOR": "1", "NO_COLOR": "1"]))
        #expect(!ColorChoice.never.enabled(toStandardOutput: true, isTerminal: true, environment: ["FORCE_COLOR": "1"]))
    }
}
