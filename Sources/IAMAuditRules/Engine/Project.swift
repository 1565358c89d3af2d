import IAMPolicy

/// What the files of a run say together: the GitHub workflows that mint tokens and the roles whose trust policies
/// admit them; the resources the design's templates create and the permission policies of the deploy roles that
/// create them. Each file's audit gathers its part (``FileAudit/facts``); the engine joins them and runs the
/// project rules once over the whole (``Auditor/projectFindings(_:)``).
public struct ProjectFacts: Sendable {
    public var workflows: [GitHubWorkflow] = []
    public var roles: [ProjectRole] = []
    /// The resources of the templates design environments deploy, once per environment.
    public var deployedResources: [DeployedResource] = []
    /// The permission policies the design gives its environments (their deploy roles').
    public var deployPolicies: [DeployPolicy] = []
    /// The services each of those templates' deploys may call, once per environment.
    public var stackServices: [StackServices] = []

    public init(workflows: [GitHubWorkflow] = [], roles: [ProjectRole] = [], deployedResources: [DeployedResource] = [],
                deployPolicies: [DeployPolicy] = [], stackServices: [StackServices] = []) {
        self.workflows = workflows
        self.roles = roles
        self.deployedResources = deployedResources
        self.deployPolicies = deployPolicies
        self.stackServices = stackServices
    }

    public var isEmpty: Bool {
        workflows.isEmpty && roles.isEmpty && deployedResources.isEmpty && deployPolicies.isEmpty && stackServices.isEmpty
    }

    public mutating func merge(_ other: ProjectFacts) {
        workflows += other.workflows
        roles += other.roles
        deployedResources += other.deployedResources
        deployPolicies += other.deployPolicies
        stackServices += other.stackServices
    }
}

/// A permission policy of a design environment's deploy role (a file of its `permissionPolicies`).
public struct DeployPolicy: Sendable {
    public var environment: String
    public var policy: Policy

    public init(environment: String, policy: Policy) {
        self.environment = environment
        self.policy = policy
    }
}

/// A role the run read a trust policy of: from a design-placed trust policy file (its environment's `role`), an
/// account dump, a template or a plan.
public struct ProjectRole: Sendable {
    /// The role's name when the source says it (IAM role names compare ignoring case); nil for a role whose name is
    /// generated (a template role without `RoleName`).
    public var name: String?
    /// The design environment the role belongs to.
    public var environment: String?
    /// The trust policy, with its file and pointers.
    public var trust: Policy
    /// What the role is in messages: `role deploy-prod`, or the policy's label, or its file.
    public var label: String

    public init(name: String?, environment: String?, trust: Policy, label: String) {
        self.name = name
        self.environment = environment
        self.trust = trust
        self.label = label
    }
}

/// The facts of a run and the design that governs them.
public struct Project: Sendable {
    public var workflows: [GitHubWorkflow]
    public var roles: [ProjectRole]
    public var design: Design?
    public var deployedResources: [DeployedResource]
    public var deployPolicies: [DeployPolicy]

    /// The shared analysis of the project's workflows against its roles, which every workflow rule reads.
    public let workflowReview: WorkflowReview
    /// The shared analysis of the templates' resources against their environments' deploy roles.
    public let deployRoleReview: DeployRoleReview

    public init(workflows: [GitHubWorkflow], roles: [ProjectRole], design: Design?,
                deployedResources: [DeployedResource] = [], deployPolicies: [DeployPolicy] = [], stackServices: [StackServices] = []) {
        self.workflows = workflows
        self.roles = roles
        self.design = design
        self.deployedResources = deployedResources
        self.deployPolicies = deployPolicies
        self.workflowReview = WorkflowReview(workflows: workflows, roles: roles, design: design)
        self.deployRoleReview = DeployRoleReview(resources: deployedResources, policies: deployPolicies, stackServices: stackServices,
                                                 design: design)
    }
}

/// A rule over the whole run rather than one policy: a workflow against the trust policies of the roles it
/// assumes. Its description says `reportedBy: .project`; the engine never calls its `check(_:in:)`.
public protocol ProjectRule: Rule {
    /// The places, each in its own file, that break the rule.
    func check(_ project: Project) -> [ProjectViolation]
}

extension ProjectRule {
    /// Never run: a project rule sees the whole run, not one policy.
    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] { [] }
}

/// A violation of a project rule, in the file it points at (a workflow).
public struct ProjectViolation: Sendable, Hashable {
    public var file: String
    public var violation: Violation
    /// The design environment the finding belongs to, when one does.
    public var environment: String?

    public init(file: String, violation: Violation, environment: String? = nil) {
        self.file = file
        self.violation = violation
        self.environment = environment
    }
}
