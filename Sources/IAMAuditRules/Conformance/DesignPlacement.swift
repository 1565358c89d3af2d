import IAMPolicy

/// A policy's place in the design: the design of the run and the environment that claims the policy.
///
/// The DSN rules ask their questions through it; without a design, or for a policy no environment claims,
/// there is none and they stay silent.
struct DesignPlacement {
    let design: Design
    let environment: Design.Environment

    /// The placement of the policy `context` describes, or nil when the run has no design or the design has
    /// no environment of that name.
    init?(_ context: RuleContext) {
        guard let design = context.design, let name = context.environment,
              let environment = design.environment(named: name) else { return nil }
        self.design = design
        self.environment = environment
    }

    /// The design's other environments, in file order.
    var otherEnvironments: [Design.Environment] {
        design.environments.filter { $0.name != environment.name }
    }

    // MARK: Resources

    /// The environment's resource scope: service prefix (lowercased) → ARN patterns, placeholders expanded.
    var scope: [String: [String]] {
        Dictionary(design.resourcePatterns(for: environment).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: +)
    }

    /// The services (lowercased prefixes) the environment's resource scope covers: their actions on every
    /// resource are the design's question (``WildcardScopeReview``), not PRIV003's.
    var scopedServices: Set<String> { Set(scope.keys) }

    // MARK: Subjects

    /// The `sub` values the design allows to assume the environment's role (`docs/design-file.md`).
    var allowedSubjects: [String] {
        design.allowedSubjects(for: environment)
    }

    /// For each other environment that allows subjects this one does not, those subjects, in the design's order.
    var foreignSubjects: [(environment: String, subjects: [String])] {
        let own = Set(allowedSubjects)
        return otherEnvironments.compactMap { other in
            let subjects = design.allowedSubjects(for: other).filter { !own.contains($0) }
            return subjects.isEmpty ? nil : (other.name, subjects)
        }
    }

    /// The subjects the environment's deploy job presents, in the order a message names them.
    ///
    /// A job that declares `environment: NAME` presents `repo:OWNER/REPO:environment:NAME`, and only that;
    /// a job without one presents the branch form `…:ref:refs/heads/BRANCH`. So when the environment sets
    /// `githubEnvironment` the branch form is not among them. The immutable forms (when the design sets
    /// `github.ownerId` and `github.repositoryId`) and the environment's explicit `subjects` (a customised
    /// subject template) are candidates too.
    var deploySubjects: [String] {
        var subjects: [String] = []
        if let github = design.github {
            var repositories = [github.repository]
            if let ownerId = github.ownerId, let repositoryId = github.repositoryId,
               let slash = github.repository.firstIndex(of: "/") {
                let owner = github.repository[..<slash]
                let name = github.repository[github.repository.index(after: slash)...]
                repositories.append("\(owner)@\(ownerId)/\(name)@\(repositoryId)")
            }
            for repository in repositories {
                if let name = environment.githubEnvironment {
                    subjects.append("repo:\(repository):environment:\(name)")
                } else if let branch = environment.branch {
                    subjects.append("repo:\(repository):ref:refs/heads/\(branch)")
                }
            }
        }
        subjects += environment.subjects.map { design.expand($0, environment: environment) }
        var seen = Set<String>()
        return subjects.filter { seen.insert($0).inserted }
    }
}

extension GitHubTrust {
    /// Where a finding about the subjects the trust admits as a whole belongs: the first `sub` condition of
    /// the first Allow statement that covers `sts:AssumeRoleWithWebIdentity`, else that statement's
    /// `Condition`, else its `Federated` principal (the first statement's, when none covers the action).
    var subjectLocation: (pointer: JSONPointer, span: SourceSpan) {
        let statement = allowStatements.first { $0.allowsWebIdentity } ?? allowStatements.first ?? statements[0]
        if let clause = statement.clauses.first(where: { $0.claim == "sub" && $0.isInRequest }) {
            return (clause.clause.values.pointer, clause.clause.values.span)
        }
        if let condition = statement.statement.condition {
            return (condition.pointer, condition.span)
        }
        let principal = statement.providers[0].principal
        return (principal.pointer, principal.span)
    }
}

/// `'a', 'b' and 'c'`: quoted values for a message.
func quotedList(_ values: [String]) -> String {
    let quoted = values.map { "'\($0)'" }
    switch quoted.count {
    case 0: return ""
    case 1: return quoted[0]
    default: return quoted.dropLast().joined(separator: ", ") + " and " + quoted[quoted.count - 1]
    }
}
