import IAMPolicy

extension StarterDrafting {
    var partition: String? { partitions.count == 1 ? partitions[0] : nil }
    var account: String? { accounts.count == 1 ? accounts[0] : nil }
    var region: String? { regions.count == 1 ? regions[0] : nil }

    // MARK: Scope

    /// Generalises each environment's resources into ARN patterns per service: the design's partition, region and
    /// account become placeholders, and the environment's name, where it stands as a word of the resource
    /// (`table/app-dev-*`, `secret:app/dev/*`), becomes `${env}`. A service every scoped environment gives the same
    /// patterns goes to the top-level `resources`; the others stay with their environment.
    mutating func scope() {
        var skipped: [String] = []
        for index in environments.indices {
            var byService: [(service: String, patterns: [String])] = []
            for resource in environments[index].resources {
                guard let pattern = generalised(resource, environment: environments[index].name) else {
                    if resource != "*" { StarterDrafting.append(resource, to: &skipped) }
                    continue
                }
                let service = pattern.service
                if let at = byService.firstIndex(where: { $0.service == service }) {
                    StarterDrafting.append(pattern.text, to: &byService[at].patterns)
                } else {
                    byService.append((service, [pattern.text]))
                }
            }
            environments[index].scope = byService
        }
        let scoped = environments.filter { !$0.scope.isEmpty }
        let shareable = scoped.count > 1 || environments.count == 1
        var services: [String] = []
        for environment in scoped { environment.scope.forEach { StarterDrafting.append($0.service, to: &services) } }
        for service in services {
            let lists = scoped.map { environment in environment.scope.first { $0.service == service }?.patterns }
            guard shareable, let first = lists.first ?? nil, lists.allSatisfy({ $0.map(Set.init) == Set(first) }) else { continue }
            topLevelScope.append((service, first))
            for index in environments.indices { environments[index].scope.removeAll { $0.service == service } }
        }
        if !skipped.isEmpty {
            notes.append(.init(pointer: nil, "resources left out of the scope (not an ARN, or holding a policy variable): "
                               + StarterDrafting.list(skipped)))
        }
    }

    /// `resource` as a design pattern for `environment`, with its service; nil when the design cannot hold it.
    func generalised(_ resource: String, environment: String) -> (service: String, text: String)? {
        guard !resource.contains("${"), let arn = ARN(parsing: resource), DesignValidator.isARNPattern(resource),
              !arn.service.isEmpty, arn.service.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            return nil
        }
        let partitionField = arn.partition == (partition ?? "aws") ? "${partition}" : arn.partition
        let regionField = region.map { arn.region == $0 ? "${region}" : arn.region } ?? arn.region
        let accountField = account.map { arn.account == $0 ? "${account}" : arn.account } ?? arn.account
        let resourceField = Self.replacingWord(environment, in: arn.resource, with: "${env}")
        return (arn.service, "arn:\(partitionField):\(arn.service):\(regionField):\(accountField):\(resourceField)")
    }

    /// `text` with each occurrence of `word` that no letter or digit adjoins replaced by `replacement`.
    static func replacingWord(_ word: String, in text: String, with replacement: String) -> String {
        guard !word.isEmpty else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: word) {
            let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let isWord = !(before.map { $0.isLetter || $0.isNumber } ?? false) && !(after.map { $0.isLetter || $0.isNumber } ?? false)
            result += rest[..<range.lowerBound]
            result += isWord ? replacement : String(rest[range])
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    // MARK: Writing

    /// The design as JSON, with a note for every value written, and the environments for the summary.
    func draft() -> StarterDesign.Draft {
        var notes: [StarterDesign.Note] = []
        var members: [(key: String, value: StarterDesignJSON)] = [("version", .number(1))]
        if let partition {
            members.append(("partition", .string(partition)))
            notes.append(.init(pointer: "/partition", "from the partition of the role ARNs the workflows assume"))
        }
        if let account {
            members.append(("account", .string(account)))
            notes.append(.init(pointer: "/account", "from \(accountSources.prefix(2).joined(separator: " and "))"))
        } else if accounts.count > 1 {
            notes.append(.init(pointer: nil, "the roles and providers name several accounts (\(StarterDrafting.list(accounts))): "
                               + "set 'account' to the one that owns the roles"))
        }
        if let region {
            members.append(("region", .string(region)))
            notes.append(.init(pointer: "/region", "from the aws-region input of the configure-aws-credentials steps"))
        } else if regions.count > 1 {
            notes.append(.init(pointer: nil, "the configure-aws-credentials steps name several regions (\(StarterDrafting.list(regions))): "
                               + "set 'region' to the one the stacks are deployed to"))
        }
        if let repository {
            var github: [(key: String, value: StarterDesignJSON)] = [("repository", .string(repository))]
            notes.append(.init(pointer: "/github/repository", repositoryNote ?? "from the git remote"))
            if audiences.count == 1, !audiences[0].isEmpty {
                github.append(("audience", .string(audiences[0])))
                notes.append(.init(pointer: "/github/audience", "the audience the configure-aws-credentials steps request"
                                   + (audiences[0] == "sts.amazonaws.com" ? " (the action's default)" : "")))
            }
            members.append(("github", .object(github)))
        }
        if !topLevelScope.isEmpty {
            members.append(("resources", .object(topLevelScope.map { ($0.service, .array($0.patterns.map { .string($0) })) })))
            let sources = environments.flatMap { $0.permissionPolicies + $0.placedRoles }
            notes.append(.init(pointer: "/resources", "generalised from the Resource values of \(StarterDrafting.list(sources)): "
                               + "partition, region, account and the environment's name replaced by placeholders; it is the scope "
                               + "the policies have today, narrow it to what each environment needs"))
        }

        var written: [Design.Environment] = []
        var environmentMembers: [(key: String, value: StarterDesignJSON)] = []
        for environment in environments {
            let (json, environmentNotes, design) = environment.drafted()
            environmentMembers.append((environment.name, json))
            notes += environmentNotes
            written.append(design)
        }
        if environmentMembers.isEmpty {
            environmentMembers.append(("default", .object([])))
            written.append(Design.Environment(name: "default"))
            notes.append(.init(pointer: "/environments/default", "no workflow job assumes a role or names an environment: "
                               + "describe each environment (branch, githubEnvironment, role, policies) by hand"))
        }
        members.append(("environments", .object(environmentMembers)))
        notes += self.notes
        let review = notes.map { note -> StarterDesignJSON in
            var entry: [(key: String, value: StarterDesignJSON)] = []
            if let pointer = note.pointer { entry.append(("pointer", .string(pointer.description))) }
            entry.append(("note", .string(note.text)))
            return .object(entry, inline: true)
        }
        if !review.isEmpty { members.append(("review", .array(review))) }
        return StarterDesign.Draft(text: StarterDesignJSON.object(members).rendered(), notes: notes, repository: repository,
                                   environments: written)
    }
}

extension StarterDrafting.Environment {
    /// The environment's JSON, its notes, and the environment it declares.
    func drafted() -> (StarterDesignJSON, [StarterDesign.Note], Design.Environment) {
        let pointer = JSONPointer(tokens: ["environments", name])
        var members: [(key: String, value: StarterDesignJSON)] = []
        var notes: [StarterDesign.Note] = []
        var design = Design.Environment(name: name)
        notes.append(.init(pointer: pointer, "deployed by \(jobs.prefix(3).joined(separator: ", "))"
                           + (jobs.count > 3 ? " and \(jobs.count - 3) more" : "")))
        if let branch {
            members.append(("branch", .string(branch)))
            design.branch = branch
            var note = "the only branch \(jobs.count == 1 ? "its job runs" : "its jobs run") on, by the workflow's triggers and the job's if:"
            if !otherRefs.isEmpty { note += "; it also runs on other refs: \(StarterDrafting.list(otherRefs))" }
            notes.append(.init(pointer: pointer.appending("branch"), note))
        } else if branches.count > 1 {
            notes.append(.init(pointer: pointer, "its jobs run on several branches (\(StarterDrafting.list(branches))): set 'branch' "
                               + "to the one that deploys, or list the others' subjects in 'subjects'"))
        } else if !otherRefs.isEmpty {
            notes.append(.init(pointer: pointer, "no branch was found: its jobs run on \(StarterDrafting.list(otherRefs))"))
        }
        if let githubEnvironment {
            members.append(("githubEnvironment", .string(githubEnvironment)))
            design.githubEnvironment = githubEnvironment
            notes.append(.init(pointer: pointer.appending("githubEnvironment"), "the GitHub environment its deploy job names (environment: \(githubEnvironment))"))
        }
        if let role {
            members.append(("role", .string(role)))
            design.role = role
            notes.append(.init(pointer: pointer.appending("role"), "from \(roleSources.first ?? "the workflow")"))
        } else if roles.count > 1 {
            notes.append(.init(pointer: pointer, "its jobs assume several roles (\(StarterDrafting.list(roles))): set 'role' to the deploy role"))
        }
        if !unresolvedRoles.isEmpty {
            notes.append(.init(pointer: pointer, "role-to-assume \(unresolvedRoles.joined(separator: "; ")) could not be resolved "
                               + "to a role name: set 'role' by hand"))
        }
        if trustPolicies.count == 1 {
            members.append(("trustPolicy", .string(trustPolicies[0])))
            design.trustPolicy = trustPolicies[0]
            notes.append(.init(pointer: pointer.appending("trustPolicy"), "the trust policy whose path or subject names '\(name)'"))
        } else if trustPolicies.count > 1 {
            notes.append(.init(pointer: pointer, "several trust policies name '\(name)' (\(StarterDrafting.list(trustPolicies))): "
                               + "set 'trustPolicy' to its role's"))
        }
        if !permissionPolicies.isEmpty {
            members.append(("permissionPolicies", .array(permissionPolicies.map { .string($0) })))
            design.permissionPolicies = permissionPolicies
            notes.append(.init(pointer: pointer.appending("permissionPolicies"), "the permission policies whose paths name '\(name)'"))
        }
        if !scope.isEmpty {
            members.append(("resources", .object(scope.map { ($0.service, .array($0.patterns.map { .string($0) })) })))
            design.resources = Dictionary(scope.map { ($0.service, $0.patterns) }, uniquingKeysWith: { first, _ in first })
            notes.append(.init(pointer: pointer.appending("resources"), "generalised from the Resource values of "
                               + "\(StarterDrafting.list(permissionPolicies + placedRoles)), where they differ from the other environments'; "
                               + "narrow them to what '\(name)' needs"))
        }
        return (.object(members), notes, design)
    }
}
