import Foundation
import IAMAuditCLI
import Testing

/// The README's examples are run: each `$ iam-audit …` line of a fenced block, from the package root, prints
/// exactly the lines that follow it (standard output; up to the next `$` line or the end of the block).
@Suite("README examples")
struct ReadmeExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var line: Int
        var arguments: [String]
        var output: [String]
        var testDescription: String { "README.md:\(line): iam-audit \(arguments.joined(separator: " "))" }
    }

    static let examples: [Example] = {
        guard let text = try? String(contentsOfFile: PackageRoot.url.path + "/README.md", encoding: .utf8) else { return [] }
        var examples: [Example] = []
        var inBlock = false
        // The example the block's current lines belong to.
        var current: Int?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") {
                inBlock.toggle()
                current = nil
                continue
            }
            guard inBlock else { continue }
            if line.hasPrefix("$ iam-audit") {
                let words = line.dropFirst("$ iam-audit".count).split(separator: " ").map(String.init)
                examples.append(Example(line: index + 1, arguments: words, output: []))
                current = examples.count - 1
            } else if line.hasPrefix("$ ") {
                current = nil
            } else if let current {
                examples[current].output.append(line)
            }
        }
        return examples
    }()

    @Test func theReadmeHasExamples() {
        #expect(Self.examples.count >= 5)
    }

    @Test(arguments: examples)
    func exampleRuns(_ example: Example) {
        let run = iamAudit(example.arguments, workingDirectory: PackageRoot.url.path)
        var printed = run.stdout.components(separatedBy: "\n")
        if printed.last == "" { printed.removeLast() }
        #expect(printed == example.output, "\(run.stdout)")
    }
}
