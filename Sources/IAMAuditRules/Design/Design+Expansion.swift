extension Design {
    /// The value of placeholder `name` for `environment`, or nil when the design sets none.
    ///
    /// `env`, `branch`, `githubEnvironment` and `stackName` come from the environment; the others from
    /// the top level (`repository` is `github.repository`).
    public func placeholderValue(_ name: String, environment: Environment?) -> String? {
        switch name {
        case "partition": partition
        case "account": account
        case "region": region
        case "repository": github?.repository
        case "env": environment?.name
        case "branch": environment?.branch
        case "githubEnvironment": environment?.githubEnvironment
        case "stackName": environment?.stackName
        default: nil
        }
    }

    /// `template` with each `${name}` placeholder replaced by its value for `environment`.
    ///
    /// A placeholder that is unknown or has no value, and an unterminated `${`, stay as written; the
    /// loader reports both, so a loaded design expands completely.
    public func expand(_ template: String, environment: Environment?) -> String {
        DesignTemplate(template).expanded { placeholderValue($0, environment: environment) }
    }

    /// The OIDC `sub` values allowed to assume `environment`'s role, without duplicates, in this order:
    /// the branch form `repo:OWNER/NAME:ref:refs/heads/BRANCH`, the environment form
    /// `repo:OWNER/NAME:environment:NAME`, the environment's own `subjects` expanded, then, when
    /// `github.ownerId` and `github.repositoryId` are set, the immutable forms
    /// `repo:OWNER@OWNERID/NAME@REPOID:ref:refs/heads/BRANCH` and `…:environment:NAME`.
    public func allowedSubjects(for environment: Environment) -> [String] {
        var subjects: [String] = []
        if let repository = github?.repository {
            subjects += Self.repositorySubjects(repository, environment: environment)
        }
        subjects += environment.subjects.map { expand($0, environment: environment) }
        if let github, let ownerId = github.ownerId, let repositoryId = github.repositoryId,
           let slash = github.repository.firstIndex(of: "/") {
            let owner = github.repository[..<slash]
            let name = github.repository[github.repository.index(after: slash)...]
            subjects += Self.repositorySubjects("\(owner)@\(ownerId)/\(name)@\(repositoryId)", environment: environment)
        }
        var seen = Set<String>()
        return subjects.filter { seen.insert($0).inserted }
    }

    private static func repositorySubjects(_ repository: String, environment: Environment) -> [String] {
        var subjects: [String] = []
        if let branch = environment.branch { subjects.append("repo:\(repository):ref:refs/heads/\(branch)") }
        if let name = environment.githubEnvironment { subjects.append("repo:\(repository):environment:\(name)") }
        return subjects
    }

    /// The resource scope of `environment`: service prefix → ARN patterns, placeholders expanded.
    ///
    /// The top-level `resources`, with each service the environment lists replaced by the environment's
    /// patterns. A service absent from the result is unscoped.
    public func resourcePatterns(for environment: Environment) -> [String: [String]] {
        resources.merging(environment.resources) { _, override in override }
            .mapValues { patterns in patterns.map { expand($0, environment: environment) } }
    }
}
