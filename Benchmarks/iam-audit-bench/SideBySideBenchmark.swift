// The side-by-side section of `make bench`: iam-audit and parliament over the same AWS managed policies.

import Foundation

/// Copies the non-empty files of `corpus` into a temporary folder, then times parliament (best of three, it takes
/// seconds) and the shipped binary (best of nine) over that folder's files, each with every rule and a JSON report.
func runSideBySide(_ options: Options, corpus: URL) {
    guard let parliament = options.parliament, FileManager.default.isExecutableFile(atPath: parliament) else {
        print("Side by side: skipped: parliament is not installed (`make bench` installs it with scripts/install-tools.sh; it needs python3 and PyPI)")
        return
    }
    guard FileManager.default.isExecutableFile(atPath: options.tool),
          let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted(), !names.isEmpty else {
        print("Side by side: skipped: \(corpus.path) is absent or \(options.tool) is not built")
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iam-audit-side-by-side-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var paths: [String] = []
    var bytes = 0
    for name in names {
        guard let data = FileManager.default.contents(atPath: corpus.appendingPathComponent(name).path), !data.isEmpty else { continue }
        let target = folder.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: target.path, contents: data) else { continue }
        paths.append(target.path)
        bytes += data.count
    }
    print("Side by side (\(paths.count) AWS managed policies as get-policy-version output, \(bytes) bytes, every rule, JSON report):")
    var parliamentRuns: [(seconds: Double, peakMB: Double, status: Int32)] = []
    for _ in 0..<3 { parliamentRuns.append(spawn(parliament, ["--aws-managed-policies", folder.path, "--json"])) }
    var auditRuns: [(seconds: Double, peakMB: Double, status: Int32)] = []
    for _ in 0..<9 { auditRuns.append(spawn(options.tool, ["--format", "json", "--fail-on", "never"] + paths)) }
    let slow = parliamentRuns.min { $0.seconds < $1.seconds }!
    let fast = auditRuns.min { $0.seconds < $1.seconds }!
    // No peak RSS here: this process is large by now, and a child's peak as wait4 reports it is at least the parent's.
    print(String(format: "  parliament --aws-managed-policies --json  %9.1f ms  exit %d, best of %d", slow.seconds * 1000, slow.status, parliamentRuns.count))
    print(String(format: "  iam-audit --format json                   %9.1f ms  exit %d, best of %d", fast.seconds * 1000, fast.status, auditRuns.count))
    print(String(format: "  iam-audit is %.0fx faster (target: >= 100x)", slow.seconds / fast.seconds))
}
