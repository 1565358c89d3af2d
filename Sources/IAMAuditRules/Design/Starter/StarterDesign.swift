import IAMPolicy

/// A starter design file (`iam-audit init`) drawn from what a folder holds: the repository from its git remote,
/// the environments, branches and roles from its GitHub workflows, the policy files of each environment from
/// their paths, and the resource scope from the `Resource` values of those policies.
///
/// Every value it writes is a guess from evidence, and each gets a note in the design's `review` list saying where
/// it came from; what it could not decide (a role given by an expression, a repository without remote) is a note
/// too, never a silent gap. It only reads bytes it is given: the caller walks the folder and reads the git
/// configuration.
public struct StarterDesign: Sendable {
    /// What the repository's git configuration says about its GitHub repository.
    public enum RepositoryEvidence: Sendable, Hashable {
        /// A remote whose URL names `OWNER/NAME` on a host.
        case remote(name: String, url: String, location: GitRemote.Location)
        /// A remote whose URL names no `OWNER/NAME` (a local path, another shape).
        case unrecognizedRemote(name: String, url: String)
        /// A git repository without remotes.
        case noRemote
        /// No git repository holds the folder.
        case noRepository
    }

    /// A note of the `review` list: the value it is about (RFC 6901, in the design) and what to check.
    public struct Note: Sendable, Hashable {
        public var pointer: JSONPointer?
        public var text: String

        public init(pointer: JSONPointer?, _ text: String) {
            self.pointer = pointer
            self.text = text
        }
    }

    /// A starter design: its text and what it says, for the summary printed beside it.
    public struct Draft: Sendable {
        /// The design file's JSON text.
        public var text: String
        /// The notes of its `review` list, in order.
        public var notes: [Note]
        /// `github.repository`, when the remote named one.
        public var repository: String?
        /// The environments written, in order.
        public var environments: [Design.Environment]
    }

    /// Every file of the folder, in the order added.
    private var files: [ReadFile] = []
    private var workflows: [GitHubWorkflow] = []
    public var loader = PolicyLoader()

    public init() {}

    /// Reads one file of the folder.
    /// - Parameter path: the file's path relative to the design file's folder, as the design will name it.
    public mutating func add(path: String, bytes: [UInt8]) {
        let input = SourceFile(name: path, bytes: bytes, explicit: false)
        for source in SourceCatalog.all where source.recognizes(input) {
            guard let reading = source.init().read(input, loader: loader) else { continue }
            workflows += reading.workflows
            var file = ReadFile(path: path)
            for unit in reading.units {
                let unitReading = unit.read()
                for document in unitReading.documents {
                    file.documents.append(ReadDocument(identity: unitReading.identity, kind: document.policy.kind,
                                                       resources: Self.allowedResources(of: document.policy),
                                                       strings: Self.strings(in: document.policy.root)))
                }
            }
            if !file.documents.isEmpty { files.append(file) }
            return
        }
    }

    /// The design drawn from the files added and the repository's remote.
    public func draft(repository: RepositoryEvidence) -> Draft {
        var drafting = StarterDrafting(workflows: workflows.sorted { $0.file < $1.file }, files: files)
        drafting.readRepository(repository)
        drafting.readWorkflows()
        drafting.placeFiles()
        drafting.scope()
        return drafting.draft()
    }

    // MARK: Reading documents

    /// A file holding policies, with what the draft needs of each.
    struct ReadFile: Sendable {
        var path: String
        var documents: [ReadDocument] = []
    }

    struct ReadDocument: Sendable {
        var identity: DocumentIdentity
        var kind: PolicyKind
        /// The `Resource` values of the Allow statements.
        var resources: [String]
        /// Every string of the document, for the subjects and provider a trust policy names.
        var strings: [String]
    }

    static func allowedResources(of policy: Policy) -> [String] {
        policy.document.statements.filter(\.isAllow).flatMap { $0.resource?.values ?? [] }
    }

    static func strings(in node: JSONNode) -> [String] {
        switch node.value {
        case .string(let value): return [value]
        case .array(let elements): return elements.flatMap { strings(in: $0) }
        case .object(let members): return members.flatMap { strings(in: $0.value) }
        default: return []
        }
    }
}

/// The state of one draft: the facts gathered so far and the notes to write.
struct StarterDrafting {
    let workflows: [GitHubWorkflow]
    let files: [StarterDesign.ReadFile]

    /// An environment being drafted, with the evidence for each of its values.
    struct Environment {
        var name: String
        var githubEnvironment: String?
        /// The jobs that deploy it (`job 'deploy' of .github/workflows/deploy.yml`).
        var jobs: [String] = []
        var branches: [String] = []
        /// Runs not pinned to one branch (`workflow_dispatch on any ref`).
        var otherRefs: [String] = []
        var roles: [String] = []
        /// Where each role came from (`role-to-assume of job 'deploy' …`).
        var roleSources: [String] = []
        /// `role-to-assume` values that could not be resolved to a role name.
        var unresolvedRoles: [String] = []
        var trustPolicies: [String] = []
        var permissionPolicies: [String] = []
        /// Roles of templates, plans or dumps named as this environment's role.
        var placedRoles: [String] = []
        /// Resources of its placed permission policies, as written.
        var resources: [String] = []
        /// Service → patterns, generalised; filled by `scope()`.
        var scope: [(service: String, patterns: [String])] = []

        var role: String? { roles.count == 1 ? roles[0] : nil }
        var branch: String? { branches.count == 1 ? branches[0] : nil }
    }

    var environments: [Environment] = []
    var notes: [StarterDesign.Note] = []
    var repository: String?
    var repositoryNote: String?
    var partitions: [String] = []
    var accounts: [String] = []
    var accountSources: [String] = []
    var regions: [String] = []
    var audiences: [String] = []
    var topLevelScope: [(service: String, patterns: [String])] = []
    var scopeNotes: [String: String] = [:]

    init(workflows: [GitHubWorkflow], files: [StarterDesign.ReadFile]) {
        self.workflows = workflows
        self.files = files
    }

    // MARK: Repository

    mutating func readRepository(_ evidence: StarterDesign.RepositoryEvidence) {
        switch evidence {
        case .remote(let name, let url, let location):
            repository = location.repository
            var note = "from the URL of git remote '\(name)' (\(url))"
            if location.host != "github.com" {
                note += "; its host '\(location.host)' is not github.com: a GitHub Enterprise Server issues its tokens "
                    + "from its own issuer, check the trust policies' provider"
            }
            repositoryNote = note
        case .unrecognizedRemote(let name, let url):
            notes.append(.init(pointer: nil, "the URL of git remote '\(name)' (\(url)) names no GitHub repository OWNER/NAME: "
                               + "add \"github\": {\"repository\": \"OWNER/NAME\"} by hand"))
        case .noRemote:
            notes.append(.init(pointer: nil, "the git repository has no remote 'origin' naming its GitHub repository: "
                               + "add \"github\": {\"repository\": \"OWNER/NAME\"} by hand"))
        case .noRepository:
            notes.append(.init(pointer: nil, "no git repository holds the folder, so its GitHub repository is unknown: "
                               + "add \"github\": {\"repository\": \"OWNER/NAME\"} by hand"))
        }
    }

    // MARK: Workflows

    mutating func readWorkflows() {
        for workflow in workflows {
            for job in workflow.jobs {
                readJob(job, of: workflow)
            }
        }
    }

    private mutating func readJob(_ job: WorkflowJob, of workflow: GitHubWorkflow) {
        let steps = job.credentialSteps.filter(\.usesWebIdentity)
        let grant = job.permissions ?? workflow.permissions
        let mintsToken = grant.map { $0.idToken == .write } ?? false
        guard !steps.isEmpty || (job.environment != nil && mintsToken) else { return }
        let jobName = "job '\(job.id)' of \(workflow.file)"

        // The roles the job assumes, by name, and what stays unresolved.
        var roles: [String] = []
        var roleSources: [String: String] = [:]
        var unresolved: [String] = []
        for step in steps {
            guard let value = step.roleToAssume else { continue }
            guard let candidates = value.candidates else {
                unresolved.append("'\(value.text)' (\(jobName))")
                continue
            }
            for candidate in candidates {
                if let role = Self.role(named: candidate) {
                    if !roles.contains(role.name) { roles.append(role.name) }
                    roleSources[role.name] = roleSources[role.name] ?? "role-to-assume '\(candidate)' of \(jobName)"
                    if let partition = role.partition { Self.append(partition, to: &partitions) }
                    if let account = role.account {
                        Self.append(account, to: &accounts)
                        accountSources.append("'\(candidate)'")
                    }
                } else {
                    unresolved.append("'\(value.text)' (\(jobName))")
                }
            }
            if let region = step.region?.candidates, region.count == 1, DesignValidator.isRegion(region[0]) {
                Self.append(region[0], to: &regions)
            }
            if let audience = step.audience {
                if let candidates = audience.candidates { candidates.forEach { Self.append($0, to: &audiences) } }
            } else {
                Self.append("sts.amazonaws.com", to: &audiences)
            }
        }

        let runs = JobTokens.runs(of: job, in: workflow, repository: nil, defaultBranch: .all, callers: nil)
        var targets: [(name: String, githubEnvironment: String?, runs: [JobTokens.Run])] = []
        if let environment = job.environment {
            guard let names = environment.candidates?.filter({ !$0.isEmpty }), !names.isEmpty else {
                let roleText = roles.isEmpty ? "" : " (it assumes \(roles.map { "'\($0)'" }.joined(separator: ", ")))"
                notes.append(.init(pointer: nil, "\(jobName) names the environment '\(environment.text)', which could not be "
                                   + "resolved to a name\(roleText): add its environments by hand"))
                return
            }
            for name in names {
                targets.append((name, name, runs.filter { $0.environment == .some(.some(name)) }))
            }
        } else {
            let branches = Self.refs(of: runs).branches
            targets.append((branches.count == 1 ? branches[0] : job.id, nil, runs))
        }

        for target in targets {
            let name = Self.environmentName(target.name)
            var environment = environments.first { $0.name == name } ?? Environment(name: name, githubEnvironment: target.githubEnvironment)
            environment.jobs.append(jobName)
            let refs = Self.refs(of: target.runs)
            refs.branches.forEach { Self.append($0, to: &environment.branches) }
            refs.other.forEach { Self.append("\($0) (\(jobName))", to: &environment.otherRefs) }
            // A job of several environments and roles (a matrix): each environment takes the role that names it.
            let mine = roles.count <= 1 ? roles : roles.filter { Self.tokens(of: $0).containsSequence(Self.tokens(of: name)) }
            for role in mine.isEmpty ? roles : mine {
                Self.append(role, to: &environment.roles)
                if let source = roleSources[role] { environment.roleSources.append(source) }
            }
            unresolved.forEach { Self.append($0, to: &environment.unresolvedRoles) }
            if let index = environments.firstIndex(where: { $0.name == name }) {
                environments[index] = environment
            } else {
                environments.append(environment)
            }
        }
    }

    /// The role a `role-to-assume` value names: its name, and the partition and account of an ARN.
    static func role(named value: String) -> (name: String, partition: String?, account: String?)? {
        if let arn = ARN(parsing: value) {
            guard arn.service == "iam", arn.resource.hasPrefix("role/"),
                  let name = arn.resource.split(separator: "/").last.map(String.init), DesignValidator.isRoleName(name) else { return nil }
            let account = arn.account.count == 12 && arn.account.allSatisfy { $0.isASCII && $0.isNumber } ? arn.account : nil
            return (name, ARN.knownPartitions.contains(arn.partition) ? arn.partition : nil, account)
        }
        return DesignValidator.isRoleName(value) ? (value, nil, nil) : nil
    }

    /// The branches the runs are pinned to, and the runs that are not pinned to one branch.
    static func refs(of runs: [JobTokens.Run]) -> (branches: [String], other: [String]) {
        var branches: [String] = []
        var other: [String] = []
        for run in runs {
            switch run.refs {
            case .none:
                continue
            case .all:
                append("\(run.event) on any ref", to: &other)
            case .patterns(let patterns):
                for pattern in patterns {
                    if let literal = pattern.literalValue, literal.hasPrefix("refs/heads/") {
                        let branch = String(literal.dropFirst("refs/heads/".count))
                        if isBranchName(branch) {
                            append(branch, to: &branches)
                            continue
                        }
                    }
                    append("\(run.event) on \(pattern.description)", to: &other)
                }
            }
        }
        return (branches, other)
    }

    static func isBranchName(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix("refs/") && !value.contains { "*?[".contains($0) || $0.isWhitespace }
    }

    /// A GitHub environment's name as a design environment's: characters the design does not allow become `-`.
    static func environmentName(_ value: String) -> String {
        let name = String(value.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return name.isEmpty ? "default" : name
    }

    // MARK: Policy files

    /// Places each policy file in the one environment its path names (`dev/trust-policy.json`), or, for a trust
    /// policy, in the one environment whose subject it names; and each role of a template, plan or dump named as an
    /// environment's role.
    mutating func placeFiles() {
        var unplacedTrust: [String] = []
        var unplacedPermissions: [String] = []
        for file in files {
            let byFile = file.documents.filter { $0.identity == .file }
            if let kind = byFile.first?.kind, kind != .resource {
                let pathTokens = Self.tokens(of: file.path)
                var matches = environments.indices.filter { pathTokens.containsSequence(Self.tokens(of: environments[$0].name)) }
                if kind == .trust {
                    let strings = byFile.flatMap(\.strings)
                    for string in strings {
                        if let arn = ARN(parsing: string), arn.service == "iam", arn.resource.hasPrefix("oidc-provider/"),
                           arn.account.count == 12, !accounts.contains(arn.account) {
                            accounts.append(arn.account)
                            accountSources.append("the identity provider of \(file.path)")
                        }
                    }
                    if matches.count != 1 {
                        matches = environments.indices.filter { index in
                            let environment = environments[index]
                            return strings.contains { string in
                                environment.githubEnvironment.map { string.hasSuffix(":environment:\($0)") } == true
                                    || environment.branch.map { string.hasSuffix(":ref:refs/heads/\($0)") } == true
                            }
                        }
                    }
                }
                if matches.count == 1 {
                    if kind == .trust {
                        environments[matches[0]].trustPolicies.append(file.path)
                    } else {
                        environments[matches[0]].permissionPolicies.append(file.path)
                        environments[matches[0]].resources += byFile.flatMap(\.resources)
                    }
                } else if kind == .trust {
                    unplacedTrust.append(file.path)
                } else {
                    unplacedPermissions.append(file.path)
                }
            }
            for document in file.documents {
                guard case .role(let name, _) = document.identity, document.kind == .identity else { continue }
                for index in environments.indices where environments[index].role?.lowercased() == name.lowercased() {
                    Self.append("role \(name) in \(file.path)", to: &environments[index].placedRoles)
                    environments[index].resources += document.resources
                }
            }
        }
        if !unplacedTrust.isEmpty {
            notes.append(.init(pointer: nil, "trust policies placed in no environment (their paths name none, or several): "
                               + Self.list(unplacedTrust) + "; name each in an environment's trustPolicy"))
        }
        if !unplacedPermissions.isEmpty {
            notes.append(.init(pointer: nil, "permission policies placed in no environment (their paths name none, or several): "
                               + Self.list(unplacedPermissions) + "; name each in an environment's permissionPolicies"))
        }
    }

    // MARK: Helpers

    /// The lowercased runs of letters and digits of `text` (`deploy/prod-eu.json` → deploy, prod, eu, json).
    static func tokens(of text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func append(_ value: String, to list: inout [String]) {
        if !list.contains(value) { list.append(value) }
    }

    /// `'a', 'b' and 3 more`: at most five values quoted.
    static func list(_ values: [String]) -> String {
        let shown = values.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
        return values.count > 5 ? "\(shown) and \(values.count - 5) more" : shown
    }
}

extension Array where Element == String {
    /// Whether `sequence` appears in the array as consecutive elements (an empty sequence never does).
    func containsSequence(_ sequence: [String]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { start in
            Array(self[start..<(start + sequence.count)]) == sequence
        }
    }
}
