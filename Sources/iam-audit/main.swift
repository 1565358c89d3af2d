// The iam-audit executable: every behaviour lives in IAMAuditCLI, so tests drive the same code.
import Foundation
import IAMAuditCLI

let code = CLI.run(arguments: CommandLine.arguments.dropFirst(),
                   stdin: .standardInput,
                   stdout: FileDescriptorSink.standardOutput,
                   stderr: FileDescriptorSink.standardError,
                   environment: ProcessInfo.processInfo.environment)
exit(code.rawValue)
