import IAMPolicy

/// How serious a finding is; the order is `note < warning < error`.
public enum FindingLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case note
    case warning
    case error

    public static func < (lhs: FindingLevel, rhs: FindingLevel) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }
}

/// The family a rule belongs to, named by its code prefix.
public enum RuleFamily: String, Sendable, Hashable, CaseIterable {
    case iam = "IAM"
    case oidc = "OIDC"
    case trust = "TRUST"
    case priv = "PRIV"
    case dsn = "DSN"
    case wf = "WF"

    /// The family of a code such as `OIDC003`, or nil when the prefix is not a family's.
    public init?(code: String) {
        let prefix = String(code.prefix { $0.isLetter })
        self.init(rawValue: prefix)
    }

    public var title: String {
        switch self {
        case .iam: "Validity: grammar, values, limits"
        case .oidc: "GitHub OIDC federated trust"
        case .trust: "Other trust"
        case .priv: "Least privilege"
        case .dsn: "Conformance to the design"
        case .wf: "GitHub workflows and trust"
        }
    }
}

/// Everything about a rule but its logic: identity, severity, documentation and examples.
public struct RuleDescription: Sendable {
    /// Stable code, never reused: `IAM001`.
    public var code: String
    /// Kebab-case name that reads as the thing flagged: `invalid-json`.
    public var name: String
    /// One line, title case not required: `Policy is not valid JSON`.
    public var title: String
    public var level: FindingLevel
    /// GitHub code scanning's security severity: 9.5 critical, 8.0 high, 5.5 medium, 2.0 low.
    public var securitySeverity: Double
    /// What the rule does, one or two sentences.
    public var summary: String
    /// Why the pattern is a problem and what to write instead.
    public var rationale: String
    /// Documentation URLs (AWS, GitHub).
    public var references: [String]
    /// The findings of other rules that a finding of this rule replaces on the same place, applied by the engine
    /// (``Precedence``) only when this rule is enabled and reports there.
    public var supersedes: [Supersession]
    /// What reports the rule's findings: its `check`, or the loader while reading a file.
    public var reportedBy: RuleReporter
    public var triggeringExamples: [RuleExample]
    public var nonTriggeringExamples: [RuleExample]

    public init(code: String, name: String, title: String, level: FindingLevel, securitySeverity: Double,
                summary: String, rationale: String, references: [String] = [], supersedes: [Supersession] = [],
                reportedBy: RuleReporter = .check, triggeringExamples: [RuleExample], nonTriggeringExamples: [RuleExample]) {
        self.code = code
        self.name = name
        self.title = title
        self.level = level
        self.securitySeverity = securitySeverity
        self.summary = summary
        self.rationale = rationale
        self.references = references
        self.supersedes = supersedes
        self.reportedBy = reportedBy
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }

    public var family: RuleFamily? { RuleFamily(code: code) }
}

/// What reports a rule's findings.
public enum RuleReporter: String, Sendable, Hashable {
    /// The rule's `check`, run by the engine over each policy.
    case check
    /// The engine, from what the policy loader reports while reading a file (invalid JSON, a malformed entry of an
    /// account dump); the rule's `check` is never run. `--select` and `--ignore` apply as to any rule.
    case loader
    /// The engine, once over the whole run (``ProjectRule``): a workflow against the trust policies of the roles it
    /// assumes. `--select` and `--ignore` apply as to any rule.
    case project
}

/// A finding of another rule that a finding of the declaring rule replaces (one root cause, one finding).
///
/// The engine drops the other rule's finding only when the declaring rule is enabled and reports on the place
/// `place` describes; with the declaring rule ignored, the other rule's finding is reported.
public struct Supersession: Sendable, Hashable {
    /// Where the superseded finding lies, relative to a finding of the declaring rule.
    public enum Place: Sendable, Hashable {
        /// At the same RFC 6901 pointer.
        case samePointer
        /// At the object (the policy document or a statement) that holds the key the declaring rule reports, when
        /// that key is a misspelling of one of `elements` (``ElementSpelling``): the misspelt element is reported
        /// as misspelt, not as missing.
        case misspeltElement([String])
    }

    /// The code of the superseded rule.
    public var code: String
    public var place: Place
    /// Why the declaring rule's finding is the one to keep, one sentence.
    public var reason: String

    public init(_ code: String, at place: Place, reason: String) {
        self.code = code
        self.place = place
        self.reason = reason
    }
}

/// A small input for a rule, run by the test suite and printed in the docs.
///
/// A triggering example lists the RFC 6901 pointers where the rule must report, each once; a
/// non-triggering example must produce no finding of the rule.
public struct RuleExample: Sendable {
    /// The file content (usually a policy document).
    public var source: String
    /// Where findings of the rule are expected (empty for non-triggering examples).
    public var pointers: [JSONPointer]
    /// The policy kind to audit as, when the content alone would infer another.
    public var kind: PolicyKind?
    /// The file name to audit it under (some shapes depend on it).
    public var fileName: String
    /// The design to audit it with, for rules that compare a policy with the design (nil: a design-free run).
    public var design: Design?
    /// The design environment that claims the example, as the CLI passes it for a file the design names.
    public var environment: String?
    /// Other files audited in the same run, for the rules over the whole run (``ProjectRule``): the trust policies
    /// beside a workflow. The example's pointers are in its own file.
    public var companions: [Companion]
    /// Where the example is written, so a failing test points at it.
    public var sourceFile: String
    public var sourceLine: Int

    /// A file audited beside an example.
    public struct Companion: Sendable {
        public var fileName: String
        public var source: String
        /// The design environment that places the file (its role is that environment's `role`).
        public var environment: String?
        public var kind: PolicyKind?

        public init(_ fileName: String, _ source: String, environment: String? = nil, kind: PolicyKind? = nil) {
            self.fileName = fileName
            self.source = source
            self.environment = environment
            self.kind = kind
        }
    }

    public init(_ source: String, pointers: [JSONPointer] = [], kind: PolicyKind? = nil, fileName: String = "example.json",
                design: Design? = nil, environment: String? = nil, companions: [Companion] = [],
                file: StaticString = #filePath, line: UInt = #line) {
        self.companions = companions
        self.source = source
        self.pointers = pointers
        self.kind = kind
        self.fileName = fileName
        self.design = design
        self.environment = environment
        self.sourceFile = "\(file)"
        self.sourceLine = Int(line)
    }
}
