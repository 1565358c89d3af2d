import IAMPolicy

/// What auditing one entry of an account dump produced.
struct EntryAudit: Sendable {
    var findings: [Finding] = []
    var policyCount = 0
    /// For a role a design environment names: that environment and the managed policies attached to the role.
    var environment: String?
    var attachedPolicyARNs: [String] = []
}

extension Auditor {
    /// Audits `aws iam get-account-authorization-details` output entry by entry: each role, user, group and
    /// managed policy is parsed into a tree of its own (spans in the file's coordinates), audited and dropped,
    /// `jobs` entries at a time, so memory follows the largest entry rather than the file.
    ///
    /// With a design, a role whose `RoleName` is an environment's `role` is audited as that environment's trust
    /// policy and its inline policies as its permission policies; so are the managed policies attached to it,
    /// once per such environment (with the environment in their fingerprints). Roles, users and groups are
    /// audited first, so those attachments are known before the managed policies are.
    func auditAuthorizationDetails(_ scan: AuthorizationDetailsScan, file: String, bytes: [UInt8], jobs: Int) -> FileAudit {
        var audit = FileAudit(file: file)
        audit.findings += syntaxFindings(scan.syntaxErrors, file: file, environment: nil, kind: nil)
        audit.findings += scan.problems.compactMap { entryProblemFinding($0, label: nil, file: file, environment: nil) }
        let principals = scan.entries.filter { $0.list != .policies }
        let managed = scan.entries.filter { $0.list == .policies }
        let principalAudits = ParallelMap.map(count: principals.count, workers: jobs) { index in
            auditEntry(principals[index], file: file, bytes: bytes, environments: [:])
        }
        var environmentsByARN: [String: [String]] = [:]
        for entryAudit in principalAudits {
            guard let environment = entryAudit.environment else { continue }
            for arn in entryAudit.attachedPolicyARNs where environmentsByARN[arn]?.contains(environment) != true {
                environmentsByARN[arn, default: []].append(environment)
            }
        }
        let managedAudits = ParallelMap.map(count: managed.count, workers: jobs) { [environmentsByARN] index in
            auditEntry(managed[index], file: file, bytes: bytes, environments: environmentsByARN)
        }
        for entryAudit in principalAudits + managedAudits {
            audit.policyCount += entryAudit.policyCount
            audit.findings += entryAudit.findings
        }
        audit.findings.sort(by: Finding.reportOrder)
        return audit
    }

    /// Parses and audits one entry.
    /// - Parameter environments: managed policy ARN → the environments whose roles it is attached to.
    private func auditEntry(_ entry: AuthorizationDetailsEntry, file: String, bytes: [UInt8], environments: [String: [String]]) -> EntryAudit {
        let load = bytes.withUnsafeBufferPointer { loader.loadEntry(entry, file: file, bytes: $0) }
        var entryAudit = EntryAudit()
        if entry.list == .roles, let name = load.name, let placement = placement?.placement(ofRole: name) {
            entryAudit.environment = placement.environment.name
            entryAudit.attachedPolicyARNs = load.attachedPolicyARNs
        }
        let environment = entryAudit.environment
        var findings = syntaxFindings(load.syntaxErrors, file: file, environment: environment, kind: nil).map { finding in
            var labelled = finding
            labelled.message += " (\(load.label))"
            return labelled
        }
        findings += load.problems.compactMap { entryProblemFinding($0, label: load.label, file: file, environment: environment) }
        let scope = load.tree.map { PointerScope(tree: $0, base: entry.pointer) }
        for policy in load.policies {
            entryAudit.policyCount += 1
            let claimedBy = load.arn.flatMap { environments[$0] } ?? []
            if entry.list == .policies, !claimedBy.isEmpty {
                for name in claimedBy {
                    // A fresh copy per environment: analyses are cached per policy value.
                    let placed = Policy(file: policy.file, root: policy.root, document: policy.document, kind: .identity,
                                        container: policy.container, embedding: policy.embedding, compactLength: policy.compactLength,
                                        name: policy.name, label: "\(policy.label ?? load.label), environment \(name)")
                    findings += self.findings(in: placed, scope: scope, environment: name, fingerprintsEnvironment: true)
                }
            } else {
                var placed = policy
                if environment != nil { placed.kind = policy.container == .accountRoleTrust ? .trust : .identity }
                findings += self.findings(in: placed, scope: scope, environment: environment)
            }
        }
        entryAudit.findings = Self.deduplicated(findings)
        return entryAudit
    }

    /// An IAM019 finding for a missing or mistyped member, when the rule is enabled.
    private func entryProblemFinding(_ problem: Located<String>, label: String?, file: String, environment: String?) -> Finding? {
        let description = InvalidAuthorizationDetailsEntry.description
        guard descriptions.contains(where: { $0.code == description.code }) else { return nil }
        let message = label.map { "\(problem.value) (\($0))" } ?? problem.value
        return makeFinding(description, Violation(pointer: problem.pointer, span: problem.span, message: message),
                           file: file, scope: nil, environment: environment, kind: nil)
    }
}
