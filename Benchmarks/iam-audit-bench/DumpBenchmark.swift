// The account dump section of `make bench`: a generated `aws iam get-account-authorization-details` dump of
// DUMP_MB MiB (default 100; 0 skips), audited by the shipped binary.

import Foundation

/// Generates the dump with `scripts/generate-account-dump.py` in a temporary folder and prints: the full audit's
/// wall time and peak resident memory (and its ratio to the file's size), the load-only time (`--select IAM001`:
/// skim, parse and decode every entry, no rules) and its MB/s, the raw read of the bytes, and a bare Foundation
/// `JSONSerialization` parse of the same bytes.
func runDumpBenchmark(_ options: Options) {
    let megabytes = Double(ProcessInfo.processInfo.environment["DUMP_MB"] ?? "") ?? 100
    guard megabytes > 0 else { return }
    print("")
    print(String(format: "Account authorization dump (DUMP_MB=%g):", megabytes))
    guard FileManager.default.isExecutableFile(atPath: options.tool) else {
        print("  skipped: \(options.tool) is not built (run `make bench`)")
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iam-audit-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let dump = folder.appendingPathComponent("authorization-details.json").path
    var arguments = ["scripts/generate-account-dump.py", "--size-mb", String(megabytes), "--seed", "1", "--output", dump]
    if FileManager.default.fileExists(atPath: URL(fileURLWithPath: options.shared).appendingPathComponent("corpus").path) {
        arguments += ["--shared", options.shared]
    }
    let design = "policies/iam-audit.json"
    if FileManager.default.fileExists(atPath: design) { arguments += ["--design", design] }
    let generation = spawn("/usr/bin/env", ["python3"] + arguments)
    guard generation.status == 0, let bytes = (try? FileManager.default.attributesOfItem(atPath: dump))?[.size] as? Int else {
        print("  skipped: scripts/generate-account-dump.py failed (exit \(generation.status)); it needs python3")
        return
    }
    print(String(format: "  generated %d bytes (%.1f MiB) in %.1f s", bytes, Double(bytes) / 1_048_576, generation.seconds))
    let repetitions = max(1, min(options.repetitions, 3))

    // The binary runs first: a child's peak RSS as wait4 reports it is at least the parent's at the time of the
    // spawn, so the bench must not hold the dump's bytes or a Foundation tree of them yet.
    let auditArguments = [dump, "--format", "json", "--fail-on", "never"] + (FileManager.default.fileExists(atPath: design) ? ["--design", design] : [])
    let load = bestRun(repetitions, options.tool, auditArguments + ["--select", "IAM001"])
    dumpRow("iam-audit load only (--select IAM001)", seconds: load.seconds, bytes: bytes,
            extra: String(format: "peak RSS %.1f MB (%.2fx the file), exit %d", load.peakMB, load.peakMB * 1_048_576 / Double(bytes), load.status))
    let full = bestRun(repetitions, options.tool, auditArguments)
    dumpRow("iam-audit full audit", seconds: full.seconds, bytes: bytes,
            extra: String(format: "peak RSS %.1f MB (%.2fx the file; target < 3x), exit %d (target: < 2 s for 100 MB)",
                          full.peakMB, full.peakMB * 1_048_576 / Double(bytes), full.status))

    let readTime = best(repetitions) { _ = FileManager.default.contents(atPath: dump) }
    guard let data = FileManager.default.contents(atPath: dump) else { return }
    dumpRow("raw read (the limit)", seconds: readTime, bytes: bytes)
    let serializationTime = best(repetitions) { _ = try? JSONSerialization.jsonObject(with: data) }
    dumpRow("Foundation JSONSerialization", seconds: serializationTime, bytes: bytes)
}

/// The fastest of `repetitions` runs of the binary.
private func bestRun(_ repetitions: Int, _ tool: String, _ arguments: [String]) -> (seconds: Double, peakMB: Double, status: Int32) {
    var fastest = (seconds: Double.infinity, peakMB: 0.0, status: Int32(0))
    for _ in 0..<repetitions {
        let run = spawn(tool, arguments)
        if run.seconds < fastest.seconds { fastest = run }
    }
    return fastest
}

private func dumpRow(_ name: String, seconds: Double, bytes: Int, extra: String = "") {
    let label = name.count < 38 ? name + String(repeating: " ", count: 38 - name.count) : name
    print("  " + label + String(format: " %9.1f ms %9.1f MB/s  ", seconds * 1000, Double(bytes) / 1_048_576 / seconds) + extra)
}
