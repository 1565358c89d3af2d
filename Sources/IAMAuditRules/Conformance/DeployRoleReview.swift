import IAMPolicy

/// The resources of the templates a design's environments deploy, against the permission policies of each
/// environment's deploy role: what the role cannot create, update or delete (the deploy would fail), and the
/// services it has no statement for at all. The DSN rules over the whole run read it.
///
/// Only what is certain is reported (``IdentityPolicyEvaluation``: an Allow's conditions may hold, a Deny's may
/// not). A resource whose name CloudFormation generates, or that the stack does not settle, is asked about only for
/// the actions that take no resource; an environment without `permissionPolicies`, or whose policies the run did not
/// read, is not reviewed.
public struct DeployRoleReview: Sendable {
    /// A resource the deploy role cannot manage: the handler and action it lacks, on which ARN.
    public struct Blocked: Sendable {
        public var resource: DeployedResource
        public var handler: String
        public var action: String
        public var arn: String
        /// The other actions the resource needs that the role does not grant.
        public var otherActions: [String]
    }

    /// A resource of a service the deploy role has no statement for.
    public struct Unserved: Sendable {
        public var resource: DeployedResource
        public var service: String
        public var actions: [String]
    }

    /// An Allow statement of a deploy role for services none of its environment's templates may call.
    public struct Unneeded: Sendable {
        public var environment: String
        public var policy: Policy
        public var statement: Statement
        public var services: [String]
        /// The templates of the environment, as the run names them.
        public var templates: [String]
    }

    public private(set) var blocked: [Blocked] = []
    public private(set) var unserved: [Unserved] = []
    public private(set) var unneeded: [Unneeded] = []

    public init(resources: [DeployedResource], policies: [DeployPolicy], stackServices: [StackServices] = [], design: Design?) {
        guard let design else { return }
        unneeded = Self.unneeded(policies: policies, stackServices: stackServices, design: design)
        guard !resources.isEmpty else { return }
        for environment in design.environments where !environment.permissionPolicies.isEmpty {
            let held = policies.filter { $0.environment == environment.name }.map(\.policy)
            guard !held.isEmpty else { continue }
            let evaluation = IdentityPolicyEvaluation(policies: held)
            for resource in resources where resource.environment == environment.name {
                guard let handlers = ResourceHandlers.byType[resource.type] else { continue }
                var needed: [String] = []
                for action in handlers.handlerActions.flatMap(\.actions) where !needed.contains(action) { needed.append(action) }
                guard evaluation.grantsSomeAction(ofService: handlers.service) else {
                    unserved.append(Unserved(resource: resource, service: handlers.service, actions: needed))
                    continue
                }
                var arn: String?
                if let name = resource.name, let region = design.region, let account = design.account {
                    arn = handlers.arn(name: name, partition: design.partition, region: region, account: account)
                }
                var missing: [(handler: String, action: String, arn: String)] = []
                for (handler, actions) in handlers.handlerActions {
                    for action in actions {
                        guard let target = handlers.requestResource(for: action, arn: arn) else { continue }
                        if !evaluation.mayAllow(action: action, resource: target) { missing.append((handler, action, target)) }
                    }
                }
                guard let first = missing.first else { continue }
                blocked.append(Blocked(resource: resource, handler: first.handler, action: first.action, arn: first.arn,
                                       otherActions: missing.dropFirst().map(\.action)))
            }
        }
    }

    /// The Allow statements of each environment's permission policies whose `Action` names only services (written
    /// without wildcards) that no template of the environment may call, when every template the environment deploys
    /// was read and says what it calls.
    private static func unneeded(policies: [DeployPolicy], stackServices: [StackServices], design: Design) -> [Unneeded] {
        var result: [Unneeded] = []
        for environment in design.environments where !environment.permissionPolicies.isEmpty && !environment.templates.isEmpty {
            let stacks = stackServices.filter { $0.environment == environment.name }
            let templates = Array(Set(stacks.map(\.file))).sorted()
            guard templates.count == Set(environment.templates).count, stacks.allSatisfy(\.complete) else { continue }
            let needed = stacks.reduce(into: Set<String>()) { $0.formUnion($1.services) }
            for held in policies where held.environment == environment.name {
                for statement in held.policy.document.statements where statement.isAllow {
                    guard let actions = statement.action, !actions.items.isEmpty else { continue }
                    var services: [String] = []
                    for item in actions.items {
                        let prefix = item.value.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                        guard item.value.contains(":"), !prefix.contains("*"), !prefix.contains("?") else {
                            services = []
                            break
                        }
                        if !services.contains(prefix) { services.append(prefix) }
                    }
                    guard !services.isEmpty, services.allSatisfy({ !needed.contains($0) }) else { continue }
                    result.append(Unneeded(environment: environment.name, policy: held.policy, statement: statement,
                                           services: services, templates: templates))
                }
            }
        }
        return result
    }
}
