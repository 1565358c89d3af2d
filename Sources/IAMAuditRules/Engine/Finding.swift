import IAMPolicy

/// One problem found in a user's policy, located precisely.
public struct Finding: Sendable, Hashable {
    public var ruleCode: String
    public var ruleName: String
    public var level: FindingLevel
    public var securitySeverity: Double
    public var message: String
    /// The file, as named by the user or found under a named directory (forward slashes).
    public var file: String
    /// RFC 6901 pointer into the file's JSON.
    public var pointer: JSONPointer
    /// 1-based span of the offending value; `end` is exclusive.
    public var span: SourceSpan
    public var environment: String?
    public var policyKind: PolicyKind?
    /// Stable identity across runs: rule, file, pointer and the offending text, never the line.
    public var fingerprint: String
    /// The token a trust finding is about (lowercased claim names, `iss` for the issuer), when the rule names one.
    public var witness: [String: String]?
    /// The whole message when ``message`` is its summary (a message over ``summaryLength`` characters: a long list
    /// of actions and the ARNs to scope them to); JSON and SARIF carry it.
    public var detail: String?
    /// What in the file the finding is about, when the file holds several things (`role deploy` of an account dump,
    /// `resource DeployRole` of a template); the text report groups a file's findings under it.
    public var subject: String?
    /// The ARN of the AWS-managed policy (`arn:aws:iam::aws:policy/…`) the finding is in, which the user cannot
    /// change: such findings are summarised per policy and kept out of the exit code unless asked for.
    public var awsManagedPolicy: String?

    public init(ruleCode: String, ruleName: String, level: FindingLevel, securitySeverity: Double, message: String,
                file: String, pointer: JSONPointer, span: SourceSpan, environment: String? = nil,
                policyKind: PolicyKind? = nil, fingerprint: String = "", witness: [String: String]? = nil) {
        self.ruleCode = ruleCode
        self.ruleName = ruleName
        self.level = level
        self.securitySeverity = securitySeverity
        self.message = message
        self.file = file
        self.pointer = pointer
        self.span = span
        self.environment = environment
        self.policyKind = policyKind
        self.fingerprint = fingerprint
        self.witness = witness
    }

    /// The most Unicode scalars a finding's message holds; a longer one (a rule quoting a 100 MB value) keeps its
    /// start and end around a note of how much was left out.
    public static let maxMessageLength = 1_000

    /// The most characters a finding's message has: a longer one is summarized, and the whole goes in ``detail``.
    public static let summaryLength = 300

    /// The message of a violation whose text is `body`, about the policy `label` names: `body (label)` when that is at
    /// most ``summaryLength`` characters; else a summary of that length — the start and the end of `body`, cut at
    /// words, the example it ends with (`(e.g. sub '…')`, the witness) kept whole where it fits, then the label where it fits —
    /// and the whole message (clipped at ``maxMessageLength``) as the detail.
    public static func summarized(_ body: String, label: String?) -> (message: String, detail: String?) {
        // Clipped first: a rule quoting a 100 MB value is summarized from a thousand characters, not from the value.
        let full = clipped(label.map { "\(body) (\($0))" } ?? body)
        guard full.count > summaryLength else { return (full, nil) }
        // The label names the role or policy the finding is about: kept, its middle left out when it is long.
        var suffix = label.map { " (\(Self.middleCut($0, to: 80)))" } ?? ""
        let body = clipped(body)
        var head = Substring(body)
        // The witness: the last `(e.g. …)` of the body, kept whole; the text after it joins the text before it.
        var example = ""
        if let start = Self.lastRange(of: " (e.g. ", in: Substring(body)), let close = Self.closingParenthesis(in: body, from: start.upperBound) {
            let candidate = String(body[start.lowerBound...close])
            if candidate.count <= summaryLength / 2 {
                example = candidate
                head = body[..<start.lowerBound] + body[body.index(after: close)...]
            }
        }
        if suffix.count + example.count > summaryLength - 100 { suffix = label.map { " (\(Self.middleCut($0, to: 40)))" } ?? "" }
        let budget = summaryLength - suffix.count - example.count - 1
        if head.count > budget {
            // The start and the end of the text (where its conclusion mostly stands), the middle left out.
            var tail = head.suffix(min(90, budget / 3))
            if let space = tail.firstIndex(of: " ") { tail = tail[tail.index(after: space)...] }
            let room = budget - tail.count - 2
            var cut = head.prefix(room)
            // At the end of a clause where one ends late enough, else at a word.
            let clause = [", ", "; "].compactMap { Self.lastRange(of: $0, in: cut)?.lowerBound }.max()
            if let clause, cut.distance(from: cut.startIndex, to: clause) > room * 3 / 5 {
                cut = cut[..<clause]
            } else if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > room / 2 {
                cut = cut[..<space]
            }
            while let last = cut.last, last == "," || last == ";" || last == ":" { cut = cut.dropLast() }
            head = cut + " … " + tail
        }
        return (head + example + suffix, full)
    }

    /// The last occurrence of `needle` (which starts with an ASCII character) in `text`, compared byte by byte.
    static func lastRange(of needle: String, in text: Substring) -> Range<String.Index>? {
        let bytes = Array(text.utf8), pattern = Array(needle.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start] == pattern[0], bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                let lower = text.utf8.index(text.utf8.startIndex, offsetBy: start)
                return lower..<text.utf8.index(lower, offsetBy: pattern.count)
            }
            start -= 1
        }
        return nil
    }

    /// `text` with its middle left out (`…`) when it is longer than `limit` characters.
    static func middleCut(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return text.prefix(limit / 2 - 1) + "…" + text.suffix(limit - limit / 2)
    }

    /// The `)` closing the parenthesis opened just before `start` in `text`, nesting and quotes counted.
    static func closingParenthesis(in text: String, from start: String.Index) -> String.Index? {
        var depth = 1
        var quoted = false
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if character == "'" { quoted.toggle() }
            if !quoted {
                if character == "(" { depth += 1 }
                if character == ")" {
                    depth -= 1
                    if depth == 0 { return index }
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// `message` cut to at most about ``maxMessageLength`` scalars: its first 600 and last 300 around
    /// `…[N characters left out]…`.
    public static func clipped(_ message: String) -> String {
        guard message.utf8.count > maxMessageLength else { return message }
        // Over the UTF-8 bytes: a scalar starts at every byte that is not a continuation byte (`10xxxxxx`).
        // Building the parts scalar by scalar costs hundreds of instructions a scalar, and rules that list
        // actions and ARN shapes reach the limit in ordinary policies.
        let head = 600
        let tail = 300
        var message = message
        return message.withUTF8 { bytes in
            func startsScalar(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }
            var count = 0
            for byte in bytes where startsScalar(byte) { count += 1 }
            guard count > maxMessageLength else { return String(decoding: bytes, as: UTF8.self) }
            /// The byte offset where scalar `index` starts.
            func offset(ofScalar index: Int) -> Int {
                var seen = -1
                for position in bytes.indices where startsScalar(bytes[position]) {
                    seen += 1
                    if seen == index { return position }
                }
                return bytes.count
            }
            let headEnd = offset(ofScalar: head)
            let tailStart = offset(ofScalar: count - tail)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<headEnd]), as: UTF8.self)
                + "…[\(count - head - tail) characters left out]…"
                + String(decoding: UnsafeBufferPointer(rebasing: bytes[tailStart...]), as: UTF8.self)
        }
    }

    /// Report order: file, line, column, rule code, pointer, message.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        if lhs.span.start.line != rhs.span.start.line { return lhs.span.start.line < rhs.span.start.line }
        if lhs.span.start.column != rhs.span.start.column { return lhs.span.start.column < rhs.span.start.column }
        if lhs.ruleCode != rhs.ruleCode { return lhs.ruleCode < rhs.ruleCode }
        if lhs.pointer != rhs.pointer { return lhs.pointer < rhs.pointer }
        return lhs.message < rhs.message
    }
}

/// A problem with the run itself (unreadable path, not a policy, invalid design): not a finding.
public struct AuditError: Sendable, Hashable, Error {
    public var file: String
    public var message: String
    public var position: SourcePosition?

    public init(file: String, message: String, position: SourcePosition? = nil) {
        self.file = file
        self.message = message
        self.position = position
    }

    /// `file:line:col: message`, or `file: message`.
    public var formatted: String {
        if let position { return "\(file):\(position.line):\(position.column): \(message)" }
        return "\(file): \(message)"
    }
}

/// A note about the run that is neither a finding nor an error (a skipped FIFO, a JSON file that is not a policy,
/// a design `ignore` entry that matches nothing or has expired).
public struct AuditNotice: Sendable, Hashable {
    public var file: String
    public var message: String
    /// 1-based position in `file`, when the notice is about one place in it (an `ignore` entry).
    public var position: SourcePosition?
    /// Whether the notice asks the user to act (an unused or expired `ignore` entry), so the text format prints it
    /// on standard error as a warning, even with `--quiet`.
    public var isWarning: Bool
    /// Whether the notice says a file found in a folder holds no IAM: the text formats count these in one line
    /// rather than one line each.
    public var holdsNoIAM: Bool

    public init(file: String, message: String, position: SourcePosition? = nil, isWarning: Bool = false, holdsNoIAM: Bool = false) {
        self.file = file
        self.message = message
        self.position = position
        self.isWarning = isWarning
        self.holdsNoIAM = holdsNoIAM
    }

    /// `file:line:col: message`, or `file: message`.
    public var formatted: String {
        if let position { return "\(file):\(position.line):\(position.column): \(message)" }
        return "\(file): \(message)"
    }
}

/// Everything a reporter needs: findings, errors, counts and the rules that ran.
/// The findings of one AWS-managed policy, counted: the user cannot change the policy, only stop attaching it.
public struct AWSManagedPolicyFindings: Sendable, Hashable {
    public var arn: String
    /// The file holding the policy, and where its first finding is.
    public var file: String
    public var position: SourcePosition
    public var errors = 0
    public var warnings = 0
    public var notes = 0
    /// The codes of the rules that reported, sorted.
    public var rules: [String] = []

    public init(arn: String, file: String, position: SourcePosition) {
        self.arn = arn
        self.file = file
        self.position = position
    }

    /// Gathers `findings` per AWS-managed policy (those with ``Finding/awsManagedPolicy``), in report order.
    public static func summarize(_ findings: [Finding]) -> [AWSManagedPolicyFindings] {
        var order: [String] = []
        var byPolicy: [String: AWSManagedPolicyFindings] = [:]
        for finding in findings {
            guard let arn = finding.awsManagedPolicy else { continue }
            let key = finding.file + "\u{0}" + arn
            if byPolicy[key] == nil {
                order.append(key)
                byPolicy[key] = AWSManagedPolicyFindings(arn: arn, file: finding.file, position: finding.span.start)
            }
            switch finding.level {
            case .error: byPolicy[key]!.errors += 1
            case .warning: byPolicy[key]!.warnings += 1
            case .note: byPolicy[key]!.notes += 1
            }
            if !byPolicy[key]!.rules.contains(finding.ruleCode) {
                byPolicy[key]!.rules.append(finding.ruleCode)
                byPolicy[key]!.rules.sort()
            }
        }
        return order.compactMap { byPolicy[$0] }
    }

    /// Whether `arn` names a policy AWS manages (account `aws`, any partition).
    public static func isAWSManaged(_ arn: String) -> Bool {
        guard arn.hasPrefix("arn:"), let range = arn.range(of: ":iam::aws:policy/") else { return false }
        return !arn[arn.index(arn.startIndex, offsetBy: 4)..<range.lowerBound].contains(":")
    }
}

public struct AuditReport: Sendable {
    public var toolName: String
    public var toolVersion: String
    /// Sorted in report order.
    public var findings: [Finding]
    /// Findings a design `ignore` entry suppressed, in report order, each with its reason.
    public var suppressed: [SuppressedFinding]
    /// Findings left out because `--baseline` holds them.
    public var baselined: Int
    /// Entries of the `--baseline` file that match no finding of this run (fixed, or changed since).
    public var staleBaselineEntries: Int
    public var errors: [AuditError]
    public var notices: [AuditNotice]
    public var fileCount: Int
    public var policyCount: Int
    /// The rules enabled for the run, sorted by code.
    public var rules: [RuleDescription]
    /// Source text of the lines findings start on: file → 1-based line number → line (no line break).
    public var sourceLines: [String: [Int: String]]
    /// The design files of the run and the audited files each governs.
    public var designs: [DesignUse] = []
    /// Files a folder walk found that hold no IAM, skipped (not in ``fileCount``).
    public var filesWithoutIAM = 0
    /// Run errors printed on standard error rather than in this report (the text formats), still counted in its
    /// summary.
    public var errorsPrintedElsewhere = 0
    /// Findings on AWS-managed policies, one entry per policy, kept out of ``findings`` (and so of the exit code)
    /// unless `--include-aws-managed`.
    public var awsManaged: [AWSManagedPolicyFindings] = []

    public init(toolName: String = "iam-audit", toolVersion: String, findings: [Finding], suppressed: [SuppressedFinding] = [],
                baselined: Int = 0, staleBaselineEntries: Int = 0, errors: [AuditError] = [], notices: [AuditNotice] = [], fileCount: Int, policyCount: Int, rules: [RuleDescription], sourceLines: [String: [Int: String]] = [:]) {
        self.toolName = toolName
        self.toolVersion = toolVersion
        self.findings = findings
        self.suppressed = suppressed
        self.baselined = baselined
        self.staleBaselineEntries = staleBaselineEntries
        self.errors = errors
        self.notices = notices
        self.fileCount = fileCount
        self.policyCount = policyCount
        self.rules = rules
        self.sourceLines = sourceLines
    }

    public func count(_ level: FindingLevel) -> Int {
        findings.reduce(0) { $0 + ($1.level == level ? 1 : 0) }
    }
}

/// A design file of a run and the audited files it governs (as reports name them).
public struct DesignUse: Sendable, Hashable {
    public var file: String
    public var files: [String]

    public init(file: String, files: [String]) {
        self.file = file
        self.files = files
    }
}

/// A finding left out of the report by a design `ignore` entry.
public struct SuppressedFinding: Sendable, Hashable {
    public var finding: Finding
    public var reason: String

    public init(finding: Finding, reason: String) {
        self.finding = finding
        self.reason = reason
    }
}
