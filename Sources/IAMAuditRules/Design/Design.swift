import IAMPolicy

/// The declared design (`docs/design-file.md`): which subjects may assume each environment's role and which
/// resources each environment's policies may touch.
public struct Design: Sendable {
    /// The design file, as named on the command line or found in a scanned directory.
    public var file: String
    public var version: Int
    public var partition: String
    public var account: String?
    public var region: String?
    public var github: GitHub?
    /// Service prefix → ARN patterns, placeholders unexpanded.
    public var resources: [String: [String]]
    /// Environments by name, in file order.
    public var environments: [Environment]
    public var ignore: [IgnoreEntry]
    /// Notes on values still to be checked by a person (`iam-audit init` writes one per value it guessed), in
    /// file order; empty once the design is reviewed.
    public var review: [ReviewNote]

    public struct GitHub: Sendable, Hashable {
        public var repository: String
        public var audience: String?
        public var ownerId: String?
        public var repositoryId: String?
        /// The repository's default branch, on which `pull_request_target`, `issue_comment`, `schedule`,
        /// `workflow_run` and other events run; nil: any branch.
        public var defaultBranch: String?

        public init(repository: String, audience: String? = nil, ownerId: String? = nil, repositoryId: String? = nil,
                    defaultBranch: String? = nil) {
            self.repository = repository
            self.audience = audience
            self.ownerId = ownerId
            self.repositoryId = repositoryId
            self.defaultBranch = defaultBranch
        }
    }

    public struct Environment: Sendable {
        public var name: String
        public var branch: String?
        public var githubEnvironment: String?
        public var stackName: String?
        public var role: String?
        /// Paths relative to the design file's folder, as written.
        public var trustPolicy: String?
        public var permissionPolicies: [String]
        /// Extra exact subjects allowed to assume the role.
        public var subjects: [String]
        /// Per-service overrides of the top-level `resources`.
        public var resources: [String: [String]]
        /// CloudFormation and SAM templates this environment's stack is deployed from, relative to the design file's
        /// folder: every document of such a template is audited as this environment's, with ``parameters``.
        public var templates: [String] = []
        /// The stack's parameter values (CloudFormation parameter name → value) the templates are read with.
        public var parameters: [String: String] = [:]

        public init(name: String, branch: String? = nil, githubEnvironment: String? = nil, stackName: String? = nil,
                    role: String? = nil, trustPolicy: String? = nil, permissionPolicies: [String] = [],
                    subjects: [String] = [], resources: [String: [String]] = [:]) {
            self.name = name
            self.branch = branch
            self.githubEnvironment = githubEnvironment
            self.stackName = stackName
            self.role = role
            self.trustPolicy = trustPolicy
            self.permissionPolicies = permissionPolicies
            self.subjects = subjects
            self.resources = resources
        }
    }

    /// A reasoned suppression: findings of `rule` in files matching `path` (a glob), optionally at `pointer`.
    public struct IgnoreEntry: Sendable, Hashable {
        public var rule: String
        public var path: String
        public var pointer: JSONPointer?
        public var reason: String
        /// `YYYY-MM-DD`; after that day the entry no longer applies and is reported.
        public var expires: String?
        /// Where the entry is written in the design file.
        public var pointerInDesign: JSONPointer
        public var span: SourceSpan

        public init(rule: String, path: String, pointer: JSONPointer? = nil, reason: String, expires: String? = nil,
                    pointerInDesign: JSONPointer, span: SourceSpan) {
            self.rule = rule
            self.path = path
            self.pointer = pointer
            self.reason = reason
            self.expires = expires
            self.pointerInDesign = pointerInDesign
            self.span = span
        }
    }

    /// A note asking a person to check one value of the design, or the design as a whole.
    public struct ReviewNote: Sendable, Hashable {
        /// The value the note is about (RFC 6901, in the design file); nil for the design as a whole.
        public var pointer: JSONPointer?
        public var note: String
        /// Where the note is written in the design file.
        public var pointerInDesign: JSONPointer
        public var span: SourceSpan

        public init(pointer: JSONPointer?, note: String, pointerInDesign: JSONPointer, span: SourceSpan) {
            self.pointer = pointer
            self.note = note
            self.pointerInDesign = pointerInDesign
            self.span = span
        }
    }

    public init(file: String, version: Int = 1, partition: String = "aws", account: String? = nil, region: String? = nil,
                github: GitHub? = nil, resources: [String: [String]] = [:], environments: [Environment] = [],
                ignore: [IgnoreEntry] = [], review: [ReviewNote] = []) {
        self.file = file
        self.version = version
        self.partition = partition
        self.account = account
        self.region = region
        self.github = github
        self.resources = resources
        self.environments = environments
        self.ignore = ignore
        self.review = review
    }

    public func environment(named name: String) -> Environment? {
        environments.first { $0.name == name }
    }
}
