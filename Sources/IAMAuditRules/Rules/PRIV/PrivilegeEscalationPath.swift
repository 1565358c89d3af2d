import IAMPolicy

/// PRIV008: a known privilege-escalation action set, reachable across the Allow statements of one policy.
public struct PrivilegeEscalationPath: Rule {
    public static let description = RuleDescription(
        code: "PRIV008",
        name: "privilege-escalation-path",
        title: "Policy grants a known privilege-escalation path",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports a policy whose `Allow` statements together grant every action of a documented IAM \
        privilege-escalation method (`iam:CreatePolicyVersion`, `iam:AttachRolePolicy`, `iam:PutRolePolicy`, \
        `iam:UpdateAssumeRolePolicy`, `iam:CreateAccessKey`, `iam:PassRole` with `lambda:CreateFunction`, …), with \
        the IAM action granted on any principal (`*`, `NotResource`, or `role/*`, `user/*`, `group/*`, `policy/*`). \
        `iam:PassedToService`, `iam:PolicyARN` and `iam:PermissionsBoundary` limits close the paths they cover. \
        Reported once, at the action value granting the set's first action.
        """,
        rationale: """
        Each set lets a principal give itself more than it was granted: write or attach a policy granting `*` to \
        itself, publish a new default version of a policy it carries, issue credentials for another user, make a \
        privileged role trust it, or pass a privileged role to compute it controls (a Lambda function, an EC2 \
        instance, a CloudFormation stack, a Glue endpoint, a data pipeline) and act through it. A policy that grants \
        one of these on every principal is, in effect, administrator access. Scope the IAM actions to the roles, \
        users and policies the workload owns (`arn:aws:iam::111122223333:role/my-stack-*`), limit `iam:PassRole` \
        with `iam:PassedToService`, and give roles the workload creates a permissions boundary.
        """,
        references: [
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
            "https://github.com/RhinoSecurityLabs/AWS-IAM-Privilege-Escalation",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ManageRoles",
                  "Effect": "Allow",
                  "Action": ["iam:GetRole", "iam:PutRolePolicy"],
                  "Resource": "arn:aws:iam::337909745089:role/*"
                },
                {
                  "Sid": "PassRoles",
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "*"
                },
                {
                  "Sid": "Functions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                  "Resource": "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1", "/Statement/1/Action"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion"],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": "sts:AssumeRole",
                  "Resource": "arn:aws:iam::337909745089:role/ops-*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/0", "/Statement/0/Action/1"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "IamStackRoles",
                  "Effect": "Allow",
                  "Action": ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PassRole"],
                  "Resource": [
                    "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*",
                    "arn:aws:iam::337909745089:role/ai-multi-comms-*-role-dev"
                  ]
                },
                {
                  "Sid": "LambdaFunctions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionCode"],
                  "Resource": "*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "PassRolesToEc2Only",
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam::337909745089:role/*",
                  "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
                },
                {
                  "Sid": "Functions",
                  "Effect": "Allow",
                  "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                  "Resource": "*"
                },
                {
                  "Sid": "UpdateTrustWithoutAssume",
                  "Effect": "Allow",
                  "Action": "iam:UpdateAssumeRolePolicy",
                  "Resource": "*"
                }
              ]
            }
            """),
        ]
    )

    /// One documented method: the actions it needs, the first acting on principals.
    struct Method: Sendable {
        /// The action that must be granted on any principal.
        let principalAction: String
        /// The principals it acts on, for the message: `role`, `policy`.
        let principals: String
        /// The other actions the method needs, on any resource of their type.
        let companions: [String]
        /// For `iam:PassRole` methods, the service the role is passed to.
        let passedToService: String?
        /// What the holder can do, for the message.
        let how: String
        /// Condition keys (lowercased) that, tested positively with values naming specific resources, keep the
        /// principal action from escalating: `iam:PolicyARN` limits what can be attached, `iam:PermissionsBoundary`
        /// caps the principal changed.
        var limitedBy: [String] = []

        var name: String { ([principalAction] + companions).joined(separator: " + ") }
    }

    /// The methods of Rhino Security Labs' list that this rule knows (numbers from its README; CodeStar and
    /// SageMaker ones are not here).
    static let methods: [Method] = [
        Method(principalAction: "iam:CreatePolicyVersion", principals: "policy", companions: [], passedToService: nil,
               how: "publish a new default version of a managed policy the principal carries"),  // 1
        Method(principalAction: "iam:SetDefaultPolicyVersion", principals: "policy", companions: [], passedToService: nil,
               how: "make an older, broader version of a managed policy the default"),  // 2
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["ec2:RunInstances"], passedToService: "ec2.amazonaws.com",
               how: "launch an instance with a privileged instance profile and read its credentials"),  // 3
        Method(principalAction: "iam:CreateAccessKey", principals: "user", companions: [], passedToService: nil,
               how: "create access keys for another user, an administrator included"),  // 4
        Method(principalAction: "iam:CreateLoginProfile", principals: "user", companions: [], passedToService: nil,
               how: "set a console password for a user that has none"),  // 5
        Method(principalAction: "iam:UpdateLoginProfile", principals: "user", companions: [], passedToService: nil,
               how: "change another user's console password"),  // 6
        Method(principalAction: "iam:AttachUserPolicy", principals: "user", companions: [], passedToService: nil,
               how: "attach AdministratorAccess to a user, the principal's own included", limitedBy: ["iam:policyarn", "iam:permissionsboundary"]),  // 7
        Method(principalAction: "iam:AttachGroupPolicy", principals: "group", companions: [], passedToService: nil,
               how: "attach AdministratorAccess to a group the principal is in", limitedBy: ["iam:policyarn"]),  // 8
        Method(principalAction: "iam:AttachRolePolicy", principals: "role", companions: [], passedToService: nil,
               how: "attach AdministratorAccess to a role, the principal's own included", limitedBy: ["iam:policyarn", "iam:permissionsboundary"]),  // 9
        Method(principalAction: "iam:PutUserPolicy", principals: "user", companions: [], passedToService: nil,
               how: "write an inline policy granting anything to a user, the principal's own included", limitedBy: ["iam:permissionsboundary"]),  // 10
        Method(principalAction: "iam:PutGroupPolicy", principals: "group", companions: [], passedToService: nil,
               how: "write an inline policy granting anything to a group the principal is in"),  // 11
        Method(principalAction: "iam:PutRolePolicy", principals: "role", companions: [], passedToService: nil,
               how: "write an inline policy granting anything to a role, the principal's own included", limitedBy: ["iam:permissionsboundary"]),  // 12
        Method(principalAction: "iam:AddUserToGroup", principals: "group", companions: [], passedToService: nil,
               how: "join a group with more permissions"),  // 13
        Method(principalAction: "iam:UpdateAssumeRolePolicy", principals: "role", companions: ["sts:AssumeRole"], passedToService: nil,
               how: "make a privileged role trust the principal, then assume it"),  // 14
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["lambda:CreateFunction", "lambda:InvokeFunction"],
               passedToService: "lambda.amazonaws.com", how: "create a function with a privileged role and invoke it"),  // 15
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["lambda:CreateFunction", "lambda:AddPermission"],
               passedToService: "lambda.amazonaws.com", how: "create a function with a privileged role and let another account invoke it"),  // 16
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
               passedToService: "lambda.amazonaws.com", how: "create a function with a privileged role and trigger it from an event source"),  // 17
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode"],
               passedToService: "lambda.amazonaws.com", how: "give an existing function a privileged role and replace its code"),  // the issue's UpdateFunctionCode with PassRole (cf. 18)
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["glue:CreateDevEndpoint"], passedToService: "glue.amazonaws.com",
               how: "create a Glue development endpoint with a privileged role and log in to it"),  // 19
        Method(principalAction: "iam:PassRole", principals: "role", companions: ["cloudformation:CreateStack"],
               passedToService: "cloudformation.amazonaws.com", how: "create a stack whose privileged service role creates anything"),  // 21
        Method(principalAction: "iam:PassRole", principals: "role",
               companions: ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"],
               passedToService: "datapipeline.amazonaws.com", how: "run commands in a pipeline with a privileged role"),  // 22
    ]

    /// The catalog's entry for each action the methods name (nil when the catalog lacks it).
    static let catalogActions: [String: Action?] = Dictionary(
        methods.flatMap { [$0.principalAction] + $0.companions }.map { ($0, ActionCatalog.shared.action($0)) },
        uniquingKeysWith: { first, _ in first })

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let statements = PermissionStatement.all(in: policy)
        // Every method starts with an IAM action: most policies grant none and are done here.
        guard statements.contains(where: { $0.grants.contains { $0.shape != .everyAction && $0.mayCover(service: "iam") } }) else { return [] }
        var order: [JSONPointer] = []
        var found: [JSONPointer: (grant: ActionGrant, methods: [Method])] = [:]
        for method in Self.methods {
            guard let grant = Self.principalGrant(of: method, in: statements),
                  method.companions.allSatisfy({ Self.isGranted($0, in: statements) }) else { continue }
            if found[grant.pointer] == nil {
                order.append(grant.pointer)
                found[grant.pointer] = (grant, [])
            }
            found[grant.pointer]?.methods.append(method)
        }
        return order.compactMap { pointer in
            found[pointer].map { Violation(pointer: pointer, span: $0.grant.span, message: Message.paths($0.grant, $0.methods)) }
        }
    }

    /// The first grant of the method's principal action on any principal (see `namesAnyPrincipal`), from a
    /// statement whose `iam:PassedToService` condition, if any, admits the method's service.
    static func principalGrant(of method: Method, in statements: [PermissionStatement]) -> ActionGrant? {
        let action = catalogActions[method.principalAction] ?? nil
        for statement in statements {
            guard let grant = statement.grants.first(where: { $0.shape != .everyAction && $0.covers(method.principalAction) }) else { continue }
            if let service = method.passedToService, let services = statement.passedToServices,
               !services.contains(where: { WildcardPattern(glob: $0).matches(service) }) { continue }
            if statement.statement.condition?.clauses.contains(where: { method.limitedBy.contains($0.normalizedKey) && PermissionStatement.namesSpecificResources($0) }) == true {
                continue
            }
            let onAnyPrincipal = statement.everyResource != nil || statement.excludesResources || statement.resources.contains { resource in
                PermissionStatement.namesAnyPrincipal(resource.value) && (action.map { !$0.resourceTypes(matching: resource.value).isEmpty } ?? true)
            }
            if onAnyPrincipal { return grant }
        }
        return nil
    }

    /// Whether some statement grants `qualifiedName` on a resource it can act on (a `*` action value aside).
    static func isGranted(_ qualifiedName: String, in statements: [PermissionStatement]) -> Bool {
        let action = catalogActions[qualifiedName] ?? nil
        return statements.contains { statement in
            statement.grants.contains { $0.shape != .everyAction && $0.covers(qualifiedName) }
                && (action.map(statement.reaches) ?? true)
        }
    }

    private enum Message {
        static func paths(_ grant: ActionGrant, _ methods: [Method]) -> String {
            let value = grant.shape == .notAction ? "'NotAction'" : "action '\(grant.text)'"
            if methods.count == 1, let method = methods.first {
                let with = method.companions.isEmpty ? "" : " with \(method.companions.joined(separator: " and "))"
                let granted = grant.shape == .literal ? value : "\(value) grants \(method.principalAction)"
                return "\(granted) on any \(method.principals)\(with) is a privilege-escalation path (\(method.how))"
            }
            return "\(value) opens \(methods.count) privilege-escalation paths on any IAM principal: "
                + ScopeSuggestion.list(methods.map(\.name), limit: 6)
        }
    }
}
