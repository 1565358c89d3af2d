import IAMAuditCLI
import IAMAuditRules
import Testing

@Suite("Commands")
struct CommandTests {
    @Test func version() {
        let result = iamAudit(["--version"])
        #expect(result.code == .success)
        #expect(result.stdout == "iam-audit 0.1.0\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func help() {
        for flag in ["--help", "-h"] {
            let result = iamAudit([flag])
            #expect(result.code == .success)
            #expect(result.stderr.isEmpty)
            #expect(result.stdout.hasPrefix("iam-audit 0.1.0 audits"))
        }
    }

    /// The help lists every command, every option with its default, and the exit codes, in sentences.
    @Test func helpTextConventions() {
        let help = iamAudit(["--help"]).stdout
        for word in ["check", "rules", "explain", "simulate", "--help", "--version", "-h,"] + ["--design", "--format", "--output",
            "--fail-on", "--select", "--ignore", "--color", "--quiet", "--max-file-size", "--baseline", "--write-baseline",
            "--sub", "--aud", "--claim"] {
            #expect(help.contains(word), "help lacks \(word)")
        }
        for code in ["0  ", "1  ", "2  "] { #expect(help.contains("\n  \(code)"), "help lacks exit code \(code)") }
        // Every description (the text after an option or command) ends with a period.
        let lines = help.split(separator: "\n").map(String.init)
        let paragraphs = help.components(separatedBy: "\n\n").filter { !$0.hasPrefix("Usage:") }
        for paragraph in paragraphs {
            let trimmed = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(trimmed.hasSuffix(".") || trimmed.hasSuffix(":"), "paragraph does not end with a period: \(trimmed.suffix(60))")
        }
        for line in lines where line.hasPrefix("  --") || line.hasPrefix("  -h") {
            let next = lines[lines.index(after: lines.firstIndex(of: line)!)]
            let description = next.hasPrefix("                ") ? next : line
            #expect(description.hasSuffix("."), "\(line)")
        }
        #expect(lines.allSatisfy { $0.count <= 120 })
    }

    @Test func rulesInEveryFormat() {
        for format in ["text", "json", "markdown"] {
            let result = iamAudit(["rules", "--format", format])
            #expect(result.code == .success)
            #expect(result.stdout.contains("IAM001"), "\(format)")
            #expect(result.stderr.isEmpty)
        }
        #expect(iamAudit(["rules"]).stdout == iamAudit(["rules", "--format", "text"]).stdout)
    }

    @Test func rulesMarkdownIsNotEmpty() {
        let result = iamAudit(["rules", "--format", "markdown"])
        #expect(result.code == .success)
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(result.stdout.contains("invalid-json"))
    }

    @Test func explainByCodeOrName() {
        let byCode = iamAudit(["explain", "IAM001"])
        #expect(byCode.code == .success)
        #expect(byCode.stdout.contains("IAM001"))
        #expect(byCode.stdout.contains(InvalidJSON.description.title))
        #expect(iamAudit(["explain", "iam001"]).stdout == byCode.stdout)
        #expect(iamAudit(["explain", "invalid-json"]).stdout == byCode.stdout)
    }

    @Test func explainUnknownSuggests() {
        let result = iamAudit(["explain", "IAM01"])
        #expect(result.code == .failure)
        #expect(result.stderrLines.first == "iam-audit: error: unknown rule 'IAM01' (did you mean 'IAM001'?)")
        let far = iamAudit(["explain", "XYZ"])
        #expect(far.stderrLines.first == "iam-audit: error: unknown rule 'XYZ'")
    }
}
