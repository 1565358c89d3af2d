import IAMPolicy

/// A check of one policy: a pure value, no I/O.
public protocol Rule: Sendable {
    /// The rule's metadata, documentation and examples.
    static var description: RuleDescription { get }

    init()

    /// The places in `policy` that break the rule.
    func check(_ policy: Policy, in context: RuleContext) -> [Violation]
}

/// What a rule reports: where, and a message that names the offending value.
///
/// Messages are lowercase with no trailing period: `sid 'Allow All' has characters other than A-Z, a-z and 0-9`.
public struct Violation: Sendable, Hashable {
    public var pointer: JSONPointer
    public var span: SourceSpan
    public var message: String
    /// The token a trust finding is about (lowercased claim names, `iss` for the issuer), when there is one:
    /// `iam-audit simulate` with these claims allows it.
    public var witness: [String: String]?

    public init(pointer: JSONPointer, span: SourceSpan, message: String, witness: [String: String]? = nil) {
        self.pointer = pointer
        self.span = span
        self.message = message
        self.witness = witness
    }

    public init<Value>(at located: Located<Value>, _ message: String) {
        self.init(pointer: located.pointer, span: located.span, message: message)
    }

    public init<Element>(at list: LocatedList<Element>, _ message: String) {
        self.init(pointer: list.pointer, span: list.span, message: message)
    }
}

/// What a rule may know beyond the policy: the run's design and the policy's place in it.
public struct RuleContext: Sendable {
    /// The design environment the policy belongs to, if the design names it.
    public var environment: String?
    /// The loaded design, if any.
    public var design: Design?

    public init(environment: String? = nil, design: Design? = nil) {
        self.environment = environment
        self.design = design
    }
}

/// A rule whose findings the engine makes from what the policy loader reports while reading a file (invalid JSON,
/// a malformed entry of an account dump); its description says `reportedBy: .loader`.
public protocol LoaderReportedRule: Rule {}

extension LoaderReportedRule {
    /// Never run: the engine runs only the rules whose description says `reportedBy: .check`.
    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] { [] }
}
