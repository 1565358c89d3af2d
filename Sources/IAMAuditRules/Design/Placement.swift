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

    /// - Parameter identify: the identity of a file the design declares, given its path resolved against the design
    ///   file's folder (``Design/resolvedPath(_:)``); nil when there is no such file. The caller owns the file system.
    public init(design: Design, identify: (String) -> FileKey?) {
        self.design = design
        var files: [FileKey: Placement] = [:]
        for environment in design.environments {
            let declared = (environment.trustPolicy.map { [($0, PolicyRole.trust)] } ?? [])
                + environment.permissionPolicies.map { ($0, PolicyRole.permission) }
            for (path, role) in declared {
                // A file two environments declare belongs to the first, in file order.
                guard let key = identify(design.resolvedPath(path)), files[key] == nil else { continue }
                files[key] = Placement(environment: environment, role: role)
            }
        }
        self.files = files
    }

    /// The placement of a policy file, by its identity.
    public func placement(ofFile key: FileKey?) -> Placement? {
        key.flatMap { files[$0] }
    }

    /// The placement of an account role named `name`: the trust policy of the environment whose `role` it is.
    public func placement(ofRole name: String) -> Placement? {
        design.environments.first { $0.role == name }.map { Placement(environment: $0, role: .trust) }
    }

    /// The environment named `name`.
    public func environment(named name: String) -> Design.Environment? {
        design.environment(named: name)
    }
}
