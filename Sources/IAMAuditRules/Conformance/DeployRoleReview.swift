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

    public private(set) var blocked: [Blocked] = []
    public private(set) var unserved: [Unserved] = []

    public init(resources: [DeployedResource], policies: [DeployPolicy], design: Design?) {
        guard let design, !resources.isEmpty else { return }
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
}
