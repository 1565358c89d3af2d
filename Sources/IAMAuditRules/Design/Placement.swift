import IAMPolicy

/// A file's identity on its machine (device and inode numbers): every spelling of a path to the file — relative,
/// absolute, through `..` or a symbolic link — names the same identity.
public struct FileKey: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// A document's place in a design: the environment that claims it and the part it plays there.
public struct Placement: Sendable {
    public var environment: Design.Environment
    public var role: PolicyRole

    public init(environment: Design.Environment, role: PolicyRole) {
        self.environment = environment
        self.role = role
    }

    /// The kind the document is audited as: a trust policy, or an identity (permission) policy.
    public var kind: PolicyKind { role == .trust ? .trust : .identity }
}

/// Decides each document's environment and kind from the run's design — the one place that does.
///
/// Policy files the design declares (`trustPolicy`, `permissionPolicies`) are matched by file identity, so a file
/// is placed whatever path reached it; the roles of an account dump by their `RoleName` (an environment's `role`),
/// and the managed policies attached to such a role as that environment's permission policies.
public struct PlacementResolver: Sendable {
    public let design: Design
    private let files: [FileKey: Placement]
    /// Templates the environments deploy (`templates`), by identity: the environments, in file order.
    private let templates: [FileKey: [Design.Environment]]
    /// Files two environments (or two roles of one) declare, by their identity: the declared paths, in file order.
    /// One file cannot be two environments' policy; the caller reports these.
    public private(set) var conflicts: [[String]] = []

    /// - Parameter identify: the identity of a file the design declares, given its path resolved against the design
    ///   file's folder (``Design/resolvedPath(_:)``); nil when there is no such file. The caller owns the file system.
    public init(design: Design, identify: (String) -> FileKey?) {
        self.design = design
        var files: [FileKey: Placement] = [:]
        var paths: [FileKey: [String]] = [:]
        for environment in design.environments {
            let declared = (environment.trustPolicy.map { [($0, PolicyRole.trust)] } ?? [])
                + environment.permissionPolicies.map { ($0, PolicyRole.permission) }
            for (path, role) in declared {
                guard let key = identify(design.resolvedPath(path)) else { continue }
                paths[key, default: []].append("\(environment.name) \(role.rawValue) '\(path)'")
                // A file declared twice belongs to the first declaration, and is reported as a conflict.
                if files[key] == nil { files[key] = Placement(environment: environment, role: role) }
            }
        }
        var templates: [FileKey: [Design.Environment]] = [:]
        for environment in design.environments {
            for path in environment.templates {
                guard let key = identify(design.resolvedPath(path)) else { continue }
                // A file that is also a policy file of the design is a conflict (the validator names the path).
                if paths[key] != nil {
                    paths[key, default: []].append("\(environment.name) template '\(path)'")
                } else if templates[key]?.contains(where: { $0.name == environment.name }) != true {
                    templates[key, default: []].append(environment)
                }
            }
        }
        self.files = files
        self.templates = templates
        conflicts = paths.values.filter { $0.count > 1 }.sorted { $0.joined() < $1.joined() }
    }

    /// The environments that deploy the template file `key`, each with its stack's values; empty for a file no
    /// environment names as a template.
    public func templatePlacements(ofFile key: FileKey?) -> [Design.Environment] {
        key.flatMap { templates[$0] } ?? []
    }

    /// The placement of a policy file, by its identity.
    public func placement(ofFile key: FileKey?) -> Placement? {
        key.flatMap { files[$0] }
    }

    /// The placement of an account role named `name`: the trust policy of the environment whose `role` it is.
    /// IAM role names are unique without regard to case (`Deploy-Dev` is `deploy-dev`), so they are compared so.
    public func placement(ofRole name: String) -> Placement? {
        design.environments.first { $0.role?.lowercased() == name.lowercased() }.map { Placement(environment: $0, role: .trust) }
    }

    /// The environment named `name`.
    public func environment(named name: String) -> Design.Environment? {
        design.environment(named: name)
    }
}

extension Design {
    /// Every policy file the design declares, resolved against its folder, in file order.
    public var declaredFiles: [String] {
        environments.flatMap { environment in
            (environment.trustPolicy.map { [$0] } ?? []) + environment.permissionPolicies + environment.templates
        }.map(resolvedPath)
    }
}
