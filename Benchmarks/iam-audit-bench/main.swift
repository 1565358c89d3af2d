// iam-audit-bench: throughput, memory and start-up figures for `make bench`.
//
// Measures, over the AWS managed policy corpus: the raw read of the bytes (the limit), a bare Foundation
// `JSONSerialization` parse and a `JSONDecoder` decode of the same bytes (the floor a Foundation-based tool
// cannot beat), iam-audit's own parser, the full in-process audit, and the shipped binary end to end
// (wall time and peak resident memory), plus `iam-audit --version` start-up time; then a generated account
// authorization dump (DumpBenchmark.swift); trust analysis (TrustBenchmark.swift) and templates
// (TemplateBenchmark.swift) come first.

import Foundation
import IAMAuditRules
import IAMPolicy

struct Options {
    var tool = ".build/release/iam-audit"
    var shared = ProcessInfo.processInfo.environment["IAM_AUDIT_SHARED"] ?? "../shared"
    var repetitions = 5
    /// `--dump-only`: run only the account dump section.
    var dumpOnly = false
    /// `--trust-only`: run only the trust analysis section.
    var trustOnly = false
    /// `--templates-only`: run only the templates section.
    var templatesOnly = false
    /// `--side-by-side-only`: run only the side-by-side section.
    var sideBySideOnly = false
    /// `--parliament PATH`: parliament's executable, run over the same corpus for the side-by-side figure.
    var parliament: String?
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        switch argument {
        case "--tool": options.tool = arguments.next() ?? options.tool
        case "--shared": options.shared = arguments.next() ?? options.shared
        case "--repetitions": options.repetitions = Int(arguments.next() ?? "") ?? options.repetitions
        case "--dump-only": options.dumpOnly = true
        case "--trust-only": options.trustOnly = true
        case "--templates-only": options.templatesOnly = true
        case "--parliament": options.parliament = arguments.next()
        case "--side-by-side-only": options.sideBySideOnly = true
        default:
            FileHandle.standardError.write(Data("iam-audit-bench: unknown argument '\(argument)'\n".utf8))
            exit(2)
        }
    }
    return options
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The best (lowest) wall time of `repetitions` runs, in seconds.
func best(_ repetitions: Int, _ body: () -> Void) -> Double {
    var fastest = Double.infinity
    for _ in 0..<max(1, repetitions) {
        let start = now()
        body()
        fastest = min(fastest, now() - start)
    }
    return fastest
}

func peakRSSMegabytes(_ usage: rusage) -> Double {
    Double(usage.ru_maxrss) / 1024 // Linux reports kilobytes.
}

/// Runs `executable` with `arguments`, discarding output; returns wall seconds and the child's peak RSS.
func spawn(_ executable: String, _ arguments: [String]) -> (seconds: Double, peakMB: Double, status: Int32) {
    let start = now()
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    posix_spawn_file_actions_destroy(&actions)
    guard result == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    return (now() - start, peakRSSMegabytes(usage), (status >> 8) & 0xFF)
}

/// A generic Codable mirror of any JSON value, so `JSONDecoder` does full work.
enum AnyJSON: Decodable {
    case null, bool(Bool), number(Double), string(String), array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([AnyJSON].self) { self = .array(array) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }
}

func row(_ name: String, seconds: Double, files: Int, bytes: Int, extra: String = "") {
    let filesPerSecond = Double(files) / seconds
    let megabytesPerSecond = Double(bytes) / 1_048_576 / seconds
    let label = name.count < 34 ? name + String(repeating: " ", count: 34 - name.count) : name
    print("  " + label + String(format: " %9.1f ms %11.0f files/s %9.1f MB/s  ", seconds * 1000, filesPerSecond, megabytesPerSecond) + extra)
}

let options = parseOptions()
if options.dumpOnly {
    runDumpBenchmark(options)
    exit(0)
}
if options.sideBySideOnly {
    runSideBySide(options, corpus: URL(fileURLWithPath: options.shared).appendingPathComponent("corpus/aws-managed-wrapped"))
    exit(0)
}
if options.trustOnly || options.templatesOnly {
    if options.trustOnly { runTrustBenchmark(options) }
    if options.templatesOnly { runTemplateBenchmark(options) }
    exit(0)
}
runTrustBenchmark(options)
runTemplateBenchmark(options)
let corpus = URL(fileURLWithPath: options.shared).appendingPathComponent("corpus/aws-managed")
guard let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted(), !names.isEmpty else {
    print("iam-audit-bench: skipped: \(corpus.path) is absent (the shared corpus is not part of a clone)")
    exit(0)
}
let paths = names.map { corpus.appendingPathComponent($0).path }

// The shipped binary runs first, while this process is still small: the kernel reports a child's peak RSS as at
// least the parent's at the spawn. Wall times on a shared machine vary from run to run, so the median is shown
// beside the best.
let toolIsBuilt = FileManager.default.isExecutableFile(atPath: options.tool)
var endToEndRuns: [(seconds: Double, peakMB: Double, status: Int32)] = []
if toolIsBuilt {
    for _ in 0..<max(options.repetitions, 9) {
        endToEndRuns.append(spawn(options.tool, ["--format", "json", "--fail-on", "never"] + paths))
    }
    endToEndRuns.sort { $0.seconds < $1.seconds }
}

let contents = paths.map { FileManager.default.contents(atPath: $0) ?? Data() }
let byteArrays = contents.map { [UInt8]($0) }
let totalBytes = contents.reduce(0) { $0 + $1.count }
let cores = ProcessInfo.processInfo.activeProcessorCount

/// A copy of `policy` with an empty analysis cache, so that a rule run again computes everything again.
func fresh(_ policy: Policy) -> Policy {
    Policy(file: policy.file, root: policy.root, document: policy.document, kind: policy.kind, container: policy.container,
           embedding: policy.embedding, compactLength: policy.compactLength, name: policy.name)
}

/// Runs `rule` over `policies` `passes` times, each time with fresh analyses. Kept out of line so that a
/// profiler can count just this (`valgrind --tool=callgrind --toggle-collect='*profiledPasses*'`).
@inline(never)
func profiledPasses(_ rule: any Rule, _ policies: [Policy], _ passes: Int) {
    for _ in 0..<passes {
        for policy in policies { _ = rule.check(fresh(policy), in: RuleContext()) }
    }
}

// `IAM_AUDIT_BENCH_PROFILE=CODE` runs only that rule over the corpus (`IAM_AUDIT_BENCH_PASSES` times, default
// ten), for a profiler to watch.
if let code = ProcessInfo.processInfo.environment["IAM_AUDIT_BENCH_PROFILE"],
   let ruleType = RuleCatalog.all.first(where: { $0.description.code == code }) {
    let passes = Int(ProcessInfo.processInfo.environment["IAM_AUDIT_BENCH_PASSES"] ?? "") ?? 10
    let policies = zip(paths, byteArrays).flatMap { PolicyLoader().load(file: $0, bytes: $1).policies }
    let start = now()
    profiledPasses(ruleType.init(), policies, passes)
    print(String(format: "  %@ alone, %d passes: %.0f ms", code, passes, (now() - start) * 1000))
    exit(0)
}


print("iam-audit bench: \(paths.count) AWS managed policies, \(totalBytes) bytes, \(cores) cores, best of \(options.repetitions)")
print("")
print("In process:")
let readTime = best(options.repetitions) {
    for path in paths { _ = FileManager.default.contents(atPath: path) }
}
row("raw read (the limit)", seconds: readTime, files: paths.count, bytes: totalBytes)

let serializationTime = best(options.repetitions) {
    for data in contents { _ = try? JSONSerialization.jsonObject(with: data) }
}
row("Foundation JSONSerialization", seconds: serializationTime, files: paths.count, bytes: totalBytes)

let decoderTime = best(options.repetitions) {
    let decoder = JSONDecoder()
    for data in contents { _ = try? decoder.decode(AnyJSON.self, from: data) }
}
row("Foundation JSONDecoder", seconds: decoderTime, files: paths.count, bytes: totalBytes)

let parser = JSONParser()
let parseTime = best(options.repetitions) {
    for bytes in byteArrays { _ = try? parser.parse(bytes) }
}
row("iam-audit JSON parser (spans)", seconds: parseTime, files: paths.count, bytes: totalBytes,
    extra: String(format: "%.1fx JSONDecoder", decoderTime / parseTime))

let loader = PolicyLoader()
let loadTime = best(options.repetitions) {
    for (path, bytes) in zip(paths, byteArrays) { _ = loader.load(file: path, bytes: bytes) }
}
row("parse + decode policy model", seconds: loadTime, files: paths.count, bytes: totalBytes,
    extra: String(format: "%.1fx JSONDecoder", decoderTime / loadTime))

var findingCount = 0
let auditTime = best(options.repetitions) {
    findingCount = 0
    // One auditor a run, as the command line has.
    let auditor = Auditor()
    for (path, bytes) in zip(paths, byteArrays) { findingCount += auditor.audit(file: path, bytes: bytes).findings.count }
}
row("full audit (\(RuleCatalog.all.count) rules)", seconds: auditTime, files: paths.count, bytes: totalBytes,
    extra: String(format: "%.1fx JSONDecoder, %d findings", decoderTime / auditTime, findingCount))

// Each rule alone over freshly loaded policies, so the analyses rules share (the catalog view of a statement,
// the GitHub trust reading) are charged to every rule that uses them: the figures add up to more than the
// full audit. The costliest rules are where speed work pays.
var ruleCosts: [(code: String, seconds: Double)] = []
let ruleContext = RuleContext()
for ruleType in RuleCatalog.all {
    let rule = ruleType.init()
    let policies = zip(paths, byteArrays).flatMap { loader.load(file: $0, bytes: $1).policies }
    let start = now()
    for policy in policies { _ = rule.check(policy, in: ruleContext) }
    ruleCosts.append((ruleType.description.code, now() - start))
}
ruleCosts.sort { $0.seconds > $1.seconds }
print("  costliest rules, each alone over the loaded policies (one pass): " + ruleCosts.prefix(Int(ProcessInfo.processInfo.environment["IAM_AUDIT_BENCH_RULES"] ?? "") ?? 10)
    .map { String(format: "%@ %.0f ms", $0.code, $0.seconds * 1000) }.joined(separator: ", "))

var selfUsage = rusage()
getrusage(RUSAGE_SELF.rawValue, &selfUsage)
print(String(format: "  peak RSS of this benchmark process: %.1f MB", peakRSSMegabytes(selfUsage)))

print("")
print("Shipped binary (\(options.tool)):")
guard toolIsBuilt, let endToEnd = endToEndRuns.first else {
    print("  skipped: \(options.tool) is not built (run `make bench`)")
    exit(0)
}
let median = endToEndRuns[endToEndRuns.count / 2]
row("iam-audit over the corpus", seconds: endToEnd.seconds, files: paths.count, bytes: totalBytes,
    extra: String(format: "peak RSS %.1f MB, exit %d (target: < 250 ms on 2 cores)", endToEnd.peakMB, endToEnd.status))
print(String(format: "    best of %d runs; median %.1f ms", endToEndRuns.count, median.seconds * 1000))

var startups: [Double] = []
for _ in 0..<20 { startups.append(spawn(options.tool, ["--version"]).seconds) }
startups.sort()
print(String(format: "  start-up (--version), median of 20: %.1f ms (target: < 20 ms)", startups[startups.count / 2] * 1000))

// Side by side with parliament, when `make bench` could install it: both over the same files, the corpus as
// `aws iam get-policy-version` prints it (parliament's `--aws-managed-policies` reads that shape; empty files, which
// it stops at, left out).
print("")
runSideBySide(options, corpus: URL(fileURLWithPath: options.shared).appendingPathComponent("corpus/aws-managed-wrapped"))

runDumpBenchmark(options)
