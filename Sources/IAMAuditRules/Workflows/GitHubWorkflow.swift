import IAMPolicy

/// A GitHub Actions workflow (`.github/workflows/*.yml`) as far as it decides which OpenID Connect tokens its jobs
/// can mint and which AWS roles they assume: its triggers, its `permissions`, and per job the `if:` condition,
/// the `environment`, the `permissions`, a reusable workflow it calls and the steps of
/// `aws-actions/configure-aws-credentials`. Every part keeps its pointer and span in the workflow file.
///
/// What the workflow leaves to an expression iam-audit cannot decide (`${{ secrets.ROLE }}`, `${{ inputs.env }}`)
/// is kept as text and read as every value it allows.
///
/// References: GitHub, "Workflow syntax for GitHub Actions"
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax);
/// GitHub, "Events that trigger workflows" (https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows);
/// GitHub, "GITHUB_TOKEN reference" (permissions, defaults: `id-token` is `none` under both default settings)
/// (https://docs.github.com/en/actions/reference/github_token-reference);
/// AWS, `aws-actions/configure-aws-credentials` inputs (https://github.com/aws-actions/configure-aws-credentials).
public struct GitHubWorkflow: Sendable {
    /// The file as reports name it.
    public var file: String
    /// The file's path inside its repository as GitHub names it in `job_workflow_ref` and `workflow_ref`
    /// (`.github/workflows/deploy.yml`): the part of `file` from `.github/workflows/` on, or
    /// `.github/workflows/` followed by the file's base name.
    public var path: String
    /// The workflow's `name:`, when a literal; GitHub's `workflow` claim is the name, or the path without one.
    public var name: Located<String>?
    /// The events under `on:` (string, list or map form), each with its filters.
    public var triggers: [WorkflowTrigger]
    /// Where `on:` is written (its key), for findings about the triggers as a whole.
    public var triggersSite: WorkflowSite?
    /// The workflow-level `permissions:`, nil when absent.
    public var permissions: WorkflowPermissions?
    /// The jobs, in file order.
    public var jobs: [WorkflowJob]
    /// Parts of the workflow iam-audit could not read as GitHub documents them (a job that is not a mapping, a
    /// trigger list holding a number), each with its place; reported as notes, never dropped silently.
    public var problems: [WorkflowProblem]

    public init(file: String, path: String, name: Located<String>? = nil, triggers: [WorkflowTrigger] = [],
                triggersSite: WorkflowSite? = nil, permissions: WorkflowPermissions? = nil, jobs: [WorkflowJob] = [],
                problems: [WorkflowProblem] = []) {
        self.file = file
        self.path = path
        self.name = name
        self.triggers = triggers
        self.triggersSite = triggersSite
        self.permissions = permissions
        self.jobs = jobs
        self.problems = problems
    }

    /// The `workflow` claim of its tokens: the `name:`, else the path.
    public var workflowClaim: String { name?.value ?? path }

    public func trigger(_ event: String) -> WorkflowTrigger? { triggers.first { $0.event == event } }
}

/// Where something is written in a workflow file.
public struct WorkflowSite: Sendable, Hashable {
    public var pointer: JSONPointer
    public var span: SourceSpan

    public init(pointer: JSONPointer, span: SourceSpan) {
        self.pointer = pointer
        self.span = span
    }
}

/// A part of a workflow that could not be read as GitHub documents it.
public struct WorkflowProblem: Sendable, Hashable {
    public var message: String
    public var site: WorkflowSite

    public init(message: String, site: WorkflowSite) {
        self.message = message
        self.site = site
    }
}

/// One event under `on:`, with the filters GitHub applies before a run starts.
public struct WorkflowTrigger: Sendable, Hashable {
    /// The event name as written (`push`, `pull_request_target`, `workflow_call`).
    public var event: String
    /// The event's key (or list element) in the file.
    public var site: WorkflowSite
    /// `branches:` patterns; nil when absent.
    public var branches: [String]?
    /// `branches-ignore:` patterns; nil when absent.
    public var branchesIgnore: [String]?
    /// `tags:` patterns; nil when absent.
    public var tags: [String]?
    /// `tags-ignore:` patterns; nil when absent.
    public var tagsIgnore: [String]?
    /// `types:` activity types; nil when absent.
    public var types: [String]?
    /// `workflows:` of a `workflow_run` trigger; nil when absent.
    public var workflows: [String]?
    /// Whether a filter held something other than a string or a list of strings (an expression, a number):
    /// the filter is then read as admitting every value.
    public var filtersUnreadable: Bool

    public init(event: String, site: WorkflowSite, branches: [String]? = nil, branchesIgnore: [String]? = nil, tags: [String]? = nil,
                tagsIgnore: [String]? = nil, types: [String]? = nil, workflows: [String]? = nil, filtersUnreadable: Bool = false) {
        self.event = event
        self.site = site
        self.branches = branches
        self.branchesIgnore = branchesIgnore
        self.tags = tags
        self.tagsIgnore = tagsIgnore
        self.types = types
        self.workflows = workflows
        self.filtersUnreadable = filtersUnreadable
    }
}

/// A `permissions:` block (workflow or job level) as far as it concerns `id-token`.
public struct WorkflowPermissions: Sendable, Hashable {
    public enum Access: String, Sendable, Hashable, Comparable {
        case none, read, write

        public static func < (lhs: Access, rhs: Access) -> Bool {
            let order: [Access] = [.none, .read, .write]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public enum Form: Sendable, Hashable {
        /// A mapping of scopes (`id-token: write`); scopes it does not name are `none`.
        case scopes
        /// `write-all`: every scope `write`, `id-token` included.
        case writeAll
        /// `read-all`: every scope `read`.
        case readAll
        /// `{}`: every scope `none`.
        case empty
        /// Something iam-audit cannot decide (an expression, an unknown word): read as `write-all`.
        case unreadable
    }

    public var form: Form
    /// What the block gives `id-token`.
    public var idToken: Access
    /// The `permissions:` key.
    public var site: WorkflowSite
    /// The `id-token:` entry when the block names it (else the block's own site is the place to point at).
    public var idTokenSite: WorkflowSite?

    public init(form: Form, idToken: Access, site: WorkflowSite, idTokenSite: WorkflowSite? = nil) {
        self.form = form
        self.idToken = idToken
        self.site = site
        self.idTokenSite = idTokenSite
    }

    /// Where a grant of `id-token` is written: its entry, or the block (`write-all`).
    public var grantSite: WorkflowSite { idTokenSite ?? site }
}

/// A value of a workflow that may hold `${{ }}` expressions: its text as written, and the values it takes when
/// every expression in it could be resolved (from `env:` and literal `matrix` entries).
public struct WorkflowValue: Sendable, Hashable {
    /// The text as written, expressions included.
    public var text: String
    public var site: WorkflowSite
    /// Every value the text takes, expressions replaced; nil when an expression stays undecided (`secrets.*`,
    /// `vars.*`, `inputs.*`, `github.*`, a step output): the value may then be anything.
    public var candidates: [String]?

    public init(text: String, site: WorkflowSite, candidates: [String]?) {
        self.text = text
        self.site = site
        self.candidates = candidates
    }

    /// Whether the text holds an expression.
    public var hasExpression: Bool { text.contains("${{") }
}

/// What a job's `if:` says about the event and the ref, as far as iam-audit can read it. Anything else
/// (`github.actor == 'x'`, step outputs, functions it does not model) is `unknown`, which the token analysis
/// reads as possibly true and possibly false.
public indirect enum JobCondition: Sendable, Hashable {
    case unknown
    case constant(Bool)
    /// `github.event_name == 'push'` (GitHub compares strings ignoring case).
    case eventIs(String)
    /// `github.ref == 'refs/heads/main'` (ignoring case).
    case refIs(String)
    /// `startsWith(github.ref, 'refs/tags/')` (ignoring case).
    case refStartsWith(String)
    case not(JobCondition)
    case all([JobCondition])
    case any([JobCondition])
}

/// One job of a workflow.
public struct WorkflowJob: Sendable {
    /// The job's id (its key under `jobs:`).
    public var id: String
    /// The job's key in the file.
    public var site: WorkflowSite
    /// The job's `name:`, when a literal.
    public var name: String?
    /// The `if:` condition, read; `.constant(true)` when absent.
    public var condition: JobCondition
    /// Where `if:` is written, when it is.
    public var conditionSite: WorkflowSite?
    /// The `environment:` (a string, or `name:` of a mapping), nil when absent. Its candidates are the
    /// environment names it takes (`${{ matrix.env }}` over a literal matrix); nil candidates: any name.
    public var environment: WorkflowValue?
    /// The job-level `permissions:`, nil when absent (the workflow's apply, or GitHub's default: no `id-token`).
    public var permissions: WorkflowPermissions?
    /// A reusable workflow the job calls (`uses:` at job level), nil for a job of steps.
    public var call: WorkflowCall?
    /// The steps that configure AWS credentials (`aws-actions/configure-aws-credentials`).
    public var credentialSteps: [CredentialStep]
    /// Other `uses:` steps: local or remote actions other than the ones known not to touch AWS (`actions/checkout`,
    /// `actions/setup-*`, `actions/cache`, `actions/upload-artifact`, `actions/download-artifact`, `docker/*`),
    /// `docker://` images included; each with its `uses:` site. ``WorkflowJob/mayAssumeRoleUnseen`` says which may
    /// assume a role.
    public var otherActions: [WorkflowValue]
    /// Whether a `run:` step may call AWS STS itself (its script mentions `assume-role`, `assume_role`, `AssumeRole`,
    /// `sts` as a word, `aws sts`, `--role-arn` or `ACTIONS_ID_TOKEN_REQUEST`).
    public var runMayAssume: Bool

    public init(id: String, site: WorkflowSite, name: String? = nil, condition: JobCondition = .constant(true),
                conditionSite: WorkflowSite? = nil, environment: WorkflowValue? = nil, permissions: WorkflowPermissions? = nil,
                call: WorkflowCall? = nil, credentialSteps: [CredentialStep] = [], otherActions: [WorkflowValue] = [],
                runMayAssume: Bool = false) {
        self.id = id
        self.site = site
        self.name = name
        self.condition = condition
        self.conditionSite = conditionSite
        self.environment = environment
        self.permissions = permissions
        self.call = call
        self.credentialSteps = credentialSteps
        self.otherActions = otherActions
        self.runMayAssume = runMayAssume
    }
}

/// A job-level call of a reusable workflow: `uses: ./.github/workflows/x.yml` or
/// `OWNER/REPO/.github/workflows/x.yml@REF`.
public struct WorkflowCall: Sendable, Hashable {
    /// The `uses:` value.
    public var uses: WorkflowValue
    /// For a call into the same repository (`./…`), the called workflow's path (`.github/workflows/x.yml`).
    public var localPath: String?
    /// For a call into another repository: `OWNER/REPO`, the path, and the ref after `@`.
    public var repository: String?
    public var path: String?
    public var ref: String?

    public init(uses: WorkflowValue, localPath: String? = nil, repository: String? = nil, path: String? = nil, ref: String? = nil) {
        self.uses = uses
        self.localPath = localPath
        self.repository = repository
        self.path = path
        self.ref = ref
    }
}

/// A step of `aws-actions/configure-aws-credentials` (any version or fork named `*/configure-aws-credentials`).
public struct CredentialStep: Sendable, Hashable {
    /// The step's `uses:` value and site.
    public var uses: WorkflowValue
    /// `with: role-to-assume` (an ARN or a role name); nil when absent.
    public var roleToAssume: WorkflowValue?
    /// `with: audience`; nil when absent (the action then requests `sts.amazonaws.com`).
    public var audience: WorkflowValue?
    /// `with: aws-region`; nil when absent.
    public var region: WorkflowValue?
    /// `with: role-chaining` is true: the role is assumed with the credentials of an earlier step, not a token.
    public var roleChaining: Bool
    /// `with: aws-access-key-id` (or `web-identity-token-file`) is given: the step does not use the job's OIDC token.
    public var usesOtherCredentials: Bool
    /// The step's `if:`, read.
    public var condition: JobCondition

    public init(uses: WorkflowValue, roleToAssume: WorkflowValue? = nil, audience: WorkflowValue? = nil, region: WorkflowValue? = nil,
                roleChaining: Bool = false, usesOtherCredentials: Bool = false, condition: JobCondition = .constant(true)) {
        self.uses = uses
        self.roleToAssume = roleToAssume
        self.audience = audience
        self.region = region
        self.roleChaining = roleChaining
        self.usesOtherCredentials = usesOtherCredentials
        self.condition = condition
    }

    /// Whether the step assumes its role with the job's OpenID Connect token.
    public var usesWebIdentity: Bool { roleToAssume != nil && !roleChaining && !usesOtherCredentials }
}
