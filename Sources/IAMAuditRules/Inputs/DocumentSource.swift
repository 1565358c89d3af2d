import IAMPolicy

/// One file as a source reads it: its name in reports, its bytes, and whether the user named it.
public struct SourceFile: Sendable {
    /// The file as reports name it.
    public var name: String
    public var bytes: [UInt8]
    /// Whether the user named the file (a file holding nothing to audit is then an error, not a notice).
    public var explicit: Bool
    /// The design governing the file, for the facts a source may need to read it (a template's partition,
    /// account and region); placing documents stays the engine's.
    public var design: Design?
    /// The design environment whose stack a template is read as (its `stackName` and `parameters`), when the
    /// design names the file among the environment's `templates`.
    public var stack: Design.Environment?

    public init(name: String, bytes: [UInt8], explicit: Bool = true, design: Design? = nil, stack: Design.Environment? = nil) {
        self.name = name
        self.bytes = bytes
        self.explicit = explicit
        self.design = design
        self.stack = stack
    }
}

/// Turns one kind of file into documents for the engine to audit: a bare policy and the AWS CLI's wrappers of one,
/// an account authorization dump, and (one folder each) templates, plans and workflows.
///
/// A source only reads: it never runs rules, never places a document in the design, never touches the file
/// system. It says what each document is (``DocumentIdentity``); the engine places it and runs the rules. A new
/// source is one folder under `Inputs/` and one line in ``SourceCatalog/all``.
public protocol DocumentSource: Sendable {
    /// What the source reads, for messages and documentation: `policy`, `account authorization details`.
    static var name: String { get }

    /// Whether a folder walk picks up a file of this name for this source (`*.json` for policies).
    static func walks(fileName: String) -> Bool

    /// Whether this source reads `file`. The engine asks the sources in catalog order and the first that
    /// recognizes a file reads it; a recognizer looks at the name and the first bytes, and stays cheap.
    static func recognizes(_ file: SourceFile) -> Bool

    init()

    /// Reads `file` into documents and the problems met on the way; nil when a closer look shows the file is not
    /// this source's after all (the engine then asks the next source that recognizes it).
    func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading?
}

/// What a source found in a file.
public struct SourceReading: Sendable {
    /// Problems of the file as a whole (a syntax error before any document), reported as findings.
    public var problems: [ReadingProblem] = []
    /// Why the file holds nothing to audit, when it does not (an error when the user named the file, else a
    /// notice); nil when it holds documents, or nothing worth a word (an OpenID Connect provider description).
    public var notAuditable: String?
    /// The parts of the file, each read when the engine asks and dropped once audited, so that a large file never
    /// becomes one large tree.
    public var units: [SourceUnit] = []
    /// The GitHub workflows the file holds, for the rules over the whole run.
    public var workflows: [GitHubWorkflow] = []
    /// The resources a template creates when a design environment deploys it, for the checks against that
    /// environment's deploy role.
    public var deployedResources: [DeployedResource] = []
    /// The services such a template's deploy may call.
    public var stackServices: [StackServices] = []

    public init(problems: [ReadingProblem] = [], notAuditable: String? = nil, units: [SourceUnit] = [], workflows: [GitHubWorkflow] = []) {
        self.problems = problems
        self.notAuditable = notAuditable
        self.units = units
        self.workflows = workflows
    }
}

/// A part of a file the engine reads, audits and drops on its own: a whole policy file, one entry of an account
/// dump, one resource of a template.
public struct SourceUnit: Sendable {
    /// Units of a later stage are audited after every unit of an earlier one, so their placement can depend on
    /// what the earlier ones said (an account's managed policies follow the roles they are attached to).
    public var stage: Int
    public var read: @Sendable () -> UnitReading

    public init(stage: Int = 0, read: @escaping @Sendable () -> UnitReading) {
        self.stage = stage
        self.read = read
    }
}

/// The documents of one unit, its problems, and the tree its pointers resolve in.
public struct UnitReading: Sendable {
    public var documents: [AuditDocument] = []
    public var problems: [ReadingProblem] = []
    /// The parsed tree of the unit and the pointer of its root in the file, for fingerprints.
    public var tree: JSONNode?
    public var base: JSONPointer = .root
    /// What the unit is, for messages (`role deploy`); appended to its problems' messages.
    public var label: String?
    /// What the unit is to the design.
    public var identity: DocumentIdentity = .file

    public init(documents: [AuditDocument] = [], problems: [ReadingProblem] = [], tree: JSONNode? = nil, base: JSONPointer = .root,
                label: String? = nil, identity: DocumentIdentity = .file) {
        self.documents = documents
        self.problems = problems
        self.tree = tree
        self.base = base
        self.label = label
        self.identity = identity
    }
}

/// A policy document to audit and where it came from.
public struct AuditDocument: Sendable {
    /// The policy: its file, pointers and spans in that file, its kind and container, and its label in messages.
    public var policy: Policy
    /// Another reading of a document already counted (a template policy under another combination of its
    /// conditions): audited, not counted again in the summary.
    public var isVariant: Bool

    public init(policy: Policy, isVariant: Bool = false) {
        self.policy = policy
        self.isVariant = isVariant
    }
}

/// What a unit is to the design's placement (``PlacementResolver``).
public enum DocumentIdentity: Sendable, Hashable {
    /// The file itself: placed by the file's identity on disk.
    case file
    /// An IAM role: placed by its name (an environment's `role`), with the managed policies attached to it.
    case role(name: String, attachedPolicies: [String])
    /// A managed policy: placed with the roles it is attached to.
    case managedPolicy(arn: String)
    /// Neither: a user, a group, a resource no environment names.
    case unplaced
}

/// A problem met while reading, reported as a finding of the rule that names it.
public struct ReadingProblem: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Text that is not valid JSON (or YAML): IAM001.
        case syntax
        /// An entry of an account dump missing a member or holding one of the wrong type: IAM019.
        case shape
        /// A template value read as the value that admits the most: IAM036.
        case unresolved
        /// Permissions the file grants that iam-audit does not read: IAM037.
        case unread
    }

    public var kind: Kind
    public var message: String
    public var pointer: JSONPointer
    public var span: SourceSpan

    public init(_ kind: Kind, message: String, pointer: JSONPointer, span: SourceSpan) {
        self.kind = kind
        self.message = message
        self.pointer = pointer
        self.span = span
    }
}

/// The sources the engine knows, in the order it asks them (the first that recognizes a file reads it).
public enum SourceCatalog {
    public static let all: [any DocumentSource.Type] = [
        GitHubWorkflowSource.self,
        CloudFormationSource.self,
        TerraformPlanSource.self,
        TerraformConfigurationSource.self,
        AccountDumpSource.self,
        PolicyFileSource.self,
    ]
}
