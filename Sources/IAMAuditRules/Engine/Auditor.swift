import IAMPolicy

/// The rules that run, chosen from the catalog by `--select` and `--ignore`.
public struct RuleSelection: Sendable {
    /// Codes, code prefixes (`OIDC`, `IAM0`) or rule names to enable; nil enables every rule.
    public var select: [String]?
    /// Codes, code prefixes or rule names to disable; wins over `select`.
    public var ignore: [String]

    public init(select: [String]? = nil, ignore: [String] = []) {
        self.select = select
        self.ignore = ignore
    }

    public func includes(_ description: RuleDescription) -> Bool {
        func matches(_ selector: String) -> Bool {
            let upper = selector.uppercased()
            return description.code.hasPrefix(upper) || description.name == selector.lowercased()
        }
        if ignore.contains(where: matches) { return false }
        guard let select else { return true }
        return select.contains(where: matches)
    }

    /// Selectors that match no rule of `catalog` (to report as usage errors).
    public func unknownSelectors(in catalog: [RuleDescription]) -> [String] {
        ((select ?? []) + ignore).filter { selector in
            let upper = selector.uppercased()
            return !catalog.contains { $0.code.hasPrefix(upper) || $0.name == selector.lowercased() }
        }
    }
}

/// What auditing one file produced.
public struct FileAudit: Sendable {
    public var file: String
    public var policyCount: Int
    public var findings: [Finding]
    public var errors: [AuditError]
    public var notices: [AuditNotice]
    /// Whether a source read the file as holding IAM (documents, or problems reading them), even if no policy
    /// came out of it.
    public var holdsIAM = false
    /// What the file contributes to the rules over the whole run: its workflows and the trust policies of its roles.
    public var facts = ProjectFacts()

    public init(file: String, policyCount: Int = 0, findings: [Finding] = [], errors: [AuditError] = [], notices: [AuditNotice] = []) {
        self.file = file
        self.policyCount = policyCount
        self.findings = findings
        self.errors = errors
        self.notices = notices
    }
}

/// Runs the enabled rules over files and turns violations into located findings.
public struct Auditor: Sendable {
    public let rules: [any Rule]
    /// The enabled rules over the whole run (``ProjectRule``).
    public let projectRules: [any ProjectRule]
    public let descriptions: [RuleDescription]
    public var loader: PolicyLoader {
        didSet { memo = DocumentFindingsMemo() }
    }
    /// The sources that read files, asked in order (``SourceCatalog/all``).
    public var sources: [any DocumentSource.Type] = SourceCatalog.all
    /// Places documents in the run's design; nil without a design.
    public var placement: PlacementResolver? {
        didSet { memo = DocumentFindingsMemo() }
    }
    /// The violations of documents audited before in this run (the design and loader are part of what they
    /// depend on: a new one starts a new memo).
    private var memo = DocumentFindingsMemo()
    /// Whether a trust policy audited before in the run reuses its violations (off only in tests that compare).
    var reusesTrustFindings = true
    /// Whether each file's audit keeps the trust policies of its roles for the project rules. A run that reads no
    /// workflow has no use for them: the CLI turns this off then, so an account dump's roles are not all held.
    public var gathersRoles = true
    public var design: Design? { placement?.design }

    public init(catalog: [any Rule.Type] = RuleCatalog.all, selection: RuleSelection = RuleSelection(),
                placement: PlacementResolver? = nil, loader: PolicyLoader = PolicyLoader()) {
        let enabled = catalog.filter { selection.includes($0.description) }
        self.rules = enabled.filter { $0.description.reportedBy == .check }.map { $0.init() }
        self.projectRules = enabled.filter { $0.description.reportedBy == .project }.compactMap { $0.init() as? any ProjectRule }
        self.descriptions = enabled.map { $0.description }
        self.loader = loader
        self.placement = placement
    }

    /// Audits a template the design's environments deploy (their `templates`): once per environment, read with that
    /// stack's name and parameters and placed in that environment, the findings merged (one finding where the
    /// audits agree, one per environment where the environment changes what is found).
    public func audit(file: String, bytes: [UInt8], explicit: Bool = true, stacks: [Design.Environment], jobs: Int = 1) -> FileAudit {
        guard let first = stacks.first else { return audit(file: file, bytes: bytes, explicit: explicit, jobs: jobs) }
        var merged = audit(file: file, bytes: bytes, explicit: explicit, stack: first, jobs: jobs)
        for stack in stacks.dropFirst() {
            let other = audit(file: file, bytes: bytes, explicit: explicit, stack: stack, jobs: jobs)
            merged.findings += other.findings
            merged.facts.roles += other.facts.roles
            merged.facts.deployedResources += other.facts.deployedResources
            merged.facts.stackServices += other.facts.stackServices
        }
        merged.findings = Self.deduplicated(merged.findings).sorted(by: Finding.reportOrder)
        return merged
    }

    /// An auditor for a design whose policy files are not placed by identity (account dumps place by role name;
    /// callers pass a file's placement to ``audit(file:bytes:explicit:kind:environment:jobs:)``).
    public init(catalog: [any Rule.Type] = RuleCatalog.all, selection: RuleSelection = RuleSelection(),
                design: Design?, loader: PolicyLoader = PolicyLoader()) {
        self.init(catalog: catalog, selection: selection,
                  placement: design.map { PlacementResolver(design: $0) { _ in nil } }, loader: loader)
    }

    /// Audits one file's bytes: the first source of ``sources`` that recognizes and reads the file turns it into units, and
    /// each unit's documents are placed and audited, `jobs` units at a time, stage by stage.
    /// - Parameters:
    ///   - explicit: whether the user named the file (a file that holds nothing to audit is then an error,
    ///     not a silent skip).
    ///   - kind: the policy kind to audit the file's documents as, overriding inference (the design's placement
    ///     of the file, ``PlacementResolver/placement(ofFile:)``).
    ///   - environment: the design environment the file belongs to (the same placement's).
    ///   - jobs: how many units are audited at once; the result is the same whatever the number.
    ///   - stack: the design environment that deploys the file as one of its `templates`: the template is read with
    ///     that stack's name and parameters, and every document it holds is audited as that environment's.
    public func audit(file: String, bytes: [UInt8], explicit: Bool = true, kind: PolicyKind? = nil,
                      environment: String? = nil, stack: Design.Environment? = nil, jobs: Int = 1) -> FileAudit {
        let input = SourceFile(name: file, bytes: bytes, explicit: explicit, design: design, stack: stack)
        var reading = SourceReading(notAuditable: "neither a policy nor a CloudFormation template")
        for source in sources where source.recognizes(input) {
            if let read = source.init().read(input, loader: loader) {
                reading = read
                break
            }
        }
        var audit = FileAudit(file: file)
        audit.holdsIAM = !reading.units.isEmpty || !reading.problems.isEmpty || reading.workflows.contains { $0.mintsTokens }
        audit.facts.workflows = reading.workflows
        audit.facts.deployedResources = reading.deployedResources
        audit.facts.stackServices = reading.stackServices
        audit.findings += reading.problems.compactMap { problemFinding($0, label: nil, file: file, environment: environment, kind: kind) }
        // A file found in a folder that no source reads but that looks like it holds IAM statements is IAM the run
        // did not read: an error, not a file without IAM.
        if reading.notAuditable != nil, reading.units.isEmpty, reading.problems.isEmpty, !explicit,
           let position = IAMSniff.statementPosition(in: bytes) {
            let problem = ReadingProblem(.unread, message: "the file holds what looks like IAM policy statements ('Statement', 'Effect', "
                                         + "'Allow' or 'Deny') in a shape iam-audit does not read, so their permissions are not audited; "
                                         + "name the file to see why", pointer: .root, span: SourceSpan(at: position))
            if let finding = problemFinding(problem, label: nil, file: file, environment: environment, kind: kind) { audit.findings.append(finding) }
            audit.holdsIAM = true
            reading.notAuditable = nil
        }
        if let reason = reading.notAuditable, reading.units.isEmpty {
            if explicit {
                audit.errors.append(AuditError(file: file, message: reason))
            } else {
                audit.notices.append(AuditNotice(file: file, message: "skipped, \(reason)", holdsNoIAM: !audit.holdsIAM))
            }
        }
        let filePlacement = FilePlacement(environment: environment, kind: kind, template: stack?.name)
        // Managed policy ARN → the environments whose roles it is attached to, from the units of earlier stages.
        var attachments: [String: [String]] = [:]
        var managedInFile = Set<String>()
        var attachmentSites: [(arn: String, pointer: JSONPointer, span: SourceSpan, role: String, environment: String)] = []
        for stage in Set(reading.units.map(\.stage)).sorted() {
            let units = reading.units.filter { $0.stage == stage }
            let audits = ParallelMap.map(count: units.count, workers: jobs) { [attachments] index in
                auditUnit(units[index].read(), file: file, filePlacement: filePlacement, attachments: attachments)
            }
            for unitAudit in audits {
                audit.facts.roles += unitAudit.roles
                audit.facts.deployPolicies += unitAudit.deployPolicies
                audit.policyCount += unitAudit.policyCount
                audit.findings += unitAudit.findings
                if let arn = unitAudit.managedPolicyARN { managedInFile.insert(arn) }
                if let site = unitAudit.attachmentSite, let environment = unitAudit.environment {
                    attachmentSites += unitAudit.attachedPolicyARNs.map { ($0, site.pointer, site.span, site.role, environment) }
                }
                guard let environment = unitAudit.environment else { continue }
                for arn in unitAudit.attachedPolicyARNs where attachments[arn]?.contains(environment) != true {
                    attachments[arn, default: []].append(environment)
                }
            }
        }
        // A policy attached to an environment's role that the file does not hold (a dump taken with a filter, one
        // page of it) grants permissions nobody audited.
        for (arn, pointer, span, role, environment) in attachmentSites where !managedInFile.contains(arn) {
            let problem = ReadingProblem(.unread, message: "managed policy '\(arn)' attached to role \(role) of environment '\(environment)' is not in the file, so its permissions are not audited",
                                         pointer: pointer, span: span)
            if let finding = problemFinding(problem, label: nil, file: file, environment: environment, kind: .identity) { audit.findings.append(finding) }
        }
        audit.findings.sort(by: Finding.reportOrder)
        return audit
    }

    /// The environment and kind the design gives a whole file.
    struct FilePlacement {
        var environment: String?
        var kind: PolicyKind?
        /// The environment that deploys the file as a template: its documents are that environment's.
        var template: String?
    }

    /// What auditing one unit produced.
    struct UnitAudit {
        var findings: [Finding] = []
        var policyCount = 0
        /// For a role a design environment names: that environment and the managed policies attached to the role.
        var environment: String?
        var attachedPolicyARNs: [String] = []
        /// Where the role lists its attached policies, and its name, for a policy the file does not hold.
        var attachmentSite: (pointer: JSONPointer, span: SourceSpan, role: String)?
        /// The ARN of the managed policy the unit is.
        var managedPolicyARN: String?
        /// The roles whose trust policies the unit holds, for the project rules.
        var roles: [ProjectRole] = []
        /// The permission policies of design environments' deploy roles the unit holds, for the project rules.
        var deployPolicies: [DeployPolicy] = []
    }

    /// Places and audits the documents of one unit.
    ///
    /// A file the design places is audited as its environment's policy of the kind the design gives; a role an
    /// environment names (`role`) as that environment's trust policy and permission policies; a managed policy as
    /// a permission policy of every environment whose role it is attached to, once per environment (with the
    /// environment in its fingerprints).
    /// - Parameter attachments: managed policy ARN → the environments whose roles it is attached to.
    private func auditUnit(_ unit: UnitReading, file: String, filePlacement: FilePlacement, attachments: [String: [String]]) -> UnitAudit {
        var unitAudit = UnitAudit()
        var environment: String?
        var claimedBy: [String] = []
        switch unit.identity {
        case .file:
            environment = filePlacement.environment ?? filePlacement.template
        case .role(let name, let attached):
            if let placement = placement?.placement(ofRole: name) {
                environment = placement.environment.name
                unitAudit.environment = environment
                unitAudit.attachedPolicyARNs = attached
                let listed = unit.tree?["AttachedManagedPolicies"]
                unitAudit.attachmentSite = (unit.base.appending("AttachedManagedPolicies"), listed?.span ?? unit.tree?.span ?? SourceSpan(at: SourcePosition(line: 1, column: 1, offset: 0)), name)
            } else {
                environment = filePlacement.template
            }
        case .managedPolicy(let arn):
            claimedBy = attachments[arn] ?? []
            unitAudit.managedPolicyARN = arn
        case .unplaced:
            environment = filePlacement.template
        }
        var findings = unit.problems.compactMap { problemFinding($0, label: unit.label, file: file, environment: environment, kind: nil) }
        let scope = unit.tree.map { PointerScope(tree: $0, base: unit.base) }
        for document in unit.documents {
            let policy = document.policy
            if !document.isVariant { unitAudit.policyCount += 1 }
            if !claimedBy.isEmpty {
                for name in claimedBy {
                    // A fresh copy per environment: analyses are cached per policy value.
                    let placed = Policy(file: policy.file, root: policy.root, document: policy.document, kind: .identity,
                                        container: policy.container, embedding: policy.embedding, compactLength: policy.compactLength,
                                        name: policy.name, label: "\(policy.label ?? unit.label ?? ""), environment \(name)")
                    findings += self.findings(in: placed, scope: scope, environment: name, fingerprintsEnvironment: true)
                }
                continue
            }
            var placed = policy
            switch unit.identity {
            case .file:
                if let kind = filePlacement.kind { placed.kind = kind }
            case .role:
                if environment != nil { placed.kind = policy.container.impliedKind ?? policy.kind }
            case .managedPolicy, .unplaced:
                break
            }
            // A template several environments deploy is audited once per environment: the environment is part of
            // its findings' fingerprints.
            findings += self.findings(in: placed, scope: scope, environment: environment,
                                      fingerprintsEnvironment: filePlacement.template != nil && environment != nil)
            // A permission policy file the design gives an environment is its deploy role's, which the project
            // rules check the environment's templates against.
            if unit.identity == .file, filePlacement.template == nil, filePlacement.kind == .identity, let environment {
                unitAudit.deployPolicies.append(DeployPolicy(environment: environment, policy: placed))
            }
            if gathersRoles, placed.kind == .trust {
                unitAudit.roles.append(projectRole(placed, identity: unit.identity, environment: environment, label: unit.label))
            }
        }
        unitAudit.findings = Self.deduplicated(findings)
        // An AWS-managed policy is the user's to attach, not to change: its findings are set apart, except where it
        // is attached to a design environment's role, whose scope it may break (detaching it is the fix).
        var awsManaged: String?
        if case .managedPolicy(let arn) = unit.identity, AWSManagedPolicyFindings.isAWSManaged(arn) { awsManaged = arn }
        if unit.label != nil || awsManaged != nil {
            for index in unitAudit.findings.indices {
                unitAudit.findings[index].subject = unit.label
                if unitAudit.findings[index].environment == nil { unitAudit.findings[index].awsManagedPolicy = awsManaged }
            }
        }
        return unitAudit
    }

    /// A trust policy as a role of the project: named by its source (a dump's or template's role), or by the design
    /// environment that places its file.
    private func projectRole(_ policy: Policy, identity: DocumentIdentity, environment: String?, label: String?) -> ProjectRole {
        var name: String?
        if case .role(let roleName, _) = identity { name = roleName }
        if name == nil, identity == .file, let environment { name = design?.environment(named: environment)?.role }
        let text = name.map { "role \($0)" } ?? label ?? policy.label ?? "the trust policy in \(policy.file)"
        return ProjectRole(name: name, environment: environment, trust: policy, label: text)
    }

    /// Runs the enabled project rules once over what the files of a run said together, with the design's
    /// precedence applied per file; findings point into the files the rules name (workflows).
    public func projectFindings(_ facts: ProjectFacts) -> [Finding] {
        guard !projectRules.isEmpty, !facts.workflows.isEmpty || !facts.stackServices.isEmpty else { return [] }
        let project = Project(workflows: facts.workflows, roles: facts.roles, design: design,
                              deployedResources: facts.deployedResources, deployPolicies: facts.deployPolicies,
                              stackServices: facts.stackServices)
        let reported = projectRules.map { rule in (rule: rule as any Rule, violations: rule.check(project)) }
        var findings: [Finding] = []
        let files = Set(reported.flatMap { $0.violations.map(\.file) })
        for file in files.sorted() {
            let inFile = reported.map { entry in
                (rule: entry.rule, violations: entry.violations.filter { $0.file == file }.map(\.violation))
            }
            var environments: [Violation: String] = [:]
            for entry in reported {
                for item in entry.violations where item.file == file { environments[item.violation] = item.environment }
            }
            for (rule, violations) in Precedence.apply(to: inFile) where !violations.isEmpty {
                let description = type(of: rule).description
                for violation in violations {
                    findings.append(makeFinding(description, violation, file: file, scope: nil,
                                                environment: environments[violation], kind: nil))
                }
            }
        }
        return Self.deduplicated(findings, acrossFiles: true).sorted(by: Finding.reportOrder)
    }

    /// The finding of a reading problem, when the rule that names it is enabled (IAM001 for syntax, IAM019 for an
    /// account dump entry's shape, IAM036 for a template value read widest, IAM037 for permissions not read).
    func problemFinding(_ problem: ReadingProblem, label: String?, file: String, environment: String?, kind: PolicyKind?) -> Finding? {
        let description = switch problem.kind {
        case .syntax: InvalidJSON.description
        case .shape: InvalidAuthorizationDetailsEntry.description
        case .unresolved: TemplateValueReadWidest.description
        case .unread: IAMNotRead.description
        }
        guard descriptions.contains(where: { $0.code == description.code }) else { return nil }
        return makeFinding(description, Violation(pointer: problem.pointer, span: problem.span, message: problem.message), label: label,
                           file: file, scope: nil, environment: environment, kind: kind)
    }

    /// Runs every enabled rule over one policy.
    /// - Parameters:
    ///   - scope: the parsed tree the policy's pointers resolve in, for fingerprints.
    ///   - fingerprintsEnvironment: whether fingerprints include the environment (a managed policy of an account
    ///     dump is audited once per environment whose role it is attached to).
    func findings(in policy: Policy, scope: PointerScope?, environment: String?, fingerprintsEnvironment: Bool = false) -> [Finding] {
        let context = RuleContext(environment: environment, design: design)
        var findings: [Finding] = []
        // A document audited before in the run (the same text, kind, container and environment) has the same
        // violations, moved to where this one stands.
        let key = rules.isEmpty || !reusesTrustFindings ? nil : DocumentFindingsMemo.key(of: policy, environment: environment)
        let reported: [(rule: Int, violations: [Violation])]
        if let key, let known = memo.violations(for: key, in: policy) {
            reported = known
        } else {
            let applied = Precedence.apply(to: rules.map { ($0, $0.check(policy, in: context)) })
            reported = applied.indices.compactMap { applied[$0].violations.isEmpty ? nil : ($0, applied[$0].violations) }
            if let key { memo.store(reported, for: key, of: policy) }
        }
        for (index, checked) in reported {
            let rule = rules[index]
            // The grammar (IAM) rules judge what the file holds, not a value a source read in for something unknown.
            // Most rules find nothing: their descriptions are not copied to learn their codes.
            let violations = checked.isEmpty || policy.readingValues.isEmpty || !type(of: rule).description.code.hasPrefix("IAM") ? checked
                : checked.filter { violation in !policy.readingValues.contains { violation.pointer.hasPrefix($0) } }
            guard !violations.isEmpty else { continue }
            // Read only for a rule that found something: a description is a dozen strings to retain.
            let description = type(of: rule).description
            for violation in violations {
                var located = violation
                located.span = policy.reportSpan(violation.span)
                if let embedding = policy.embedding, !violation.pointer.hasPrefix(embedding.pointer) {
                    located.pointer = embedding.pointer
                }
                findings.append(makeFinding(description, located, label: policy.label, file: policy.file, scope: policy.embedding == nil ? scope : nil,
                                            environment: environment, kind: policy.kind,
                                            fingerprintScope: fingerprintsEnvironment ? environment : nil))
            }
        }
        return findings
    }

    /// - Parameter fingerprintScope: text mixed into the fingerprint beside the offending value (the environment
    ///   of a policy audited once per environment), so the findings of each audit stay distinct.
    /// - Parameter label: what in the file the policy is (`role deploy, inline policy Deploy`), ending the message.
    func makeFinding(_ description: RuleDescription, _ violation: Violation, label: String? = nil, file: String, scope: PointerScope?,
                     environment: String?, kind: PolicyKind?, fingerprintScope: String? = nil) -> Finding {
        let full = label.map { "\(violation.message) (\($0))" } ?? violation.message
        var offending = scope?.resolve(violation.pointer)?.fingerprintText(limit: 4096) ?? full
        if let fingerprintScope { offending += "\u{0}environment \(fingerprintScope)" }
        let (message, detail) = Finding.summarized(violation.message, label: label)
        var finding = Finding(ruleCode: description.code, ruleName: description.name, level: description.level,
                              securitySeverity: description.securitySeverity, message: message, file: file,
                              pointer: violation.pointer, span: violation.span, environment: environment, policyKind: kind,
                              fingerprint: Fingerprint.make(rule: description.code, file: file, pointer: violation.pointer, value: offending),
                              witness: violation.witness)
        finding.detail = detail
        return finding
    }

    /// Drops exact repeats (same rule, pointer and message, and with `acrossFiles` the same file), keeping the first.
    public static func deduplicated(_ findings: [Finding], acrossFiles: Bool = false) -> [Finding] {
        guard findings.count > 1 else { return findings }
        struct Key: Hashable {
            var file: String
            var rule: String
            var pointer: JSONPointer
            var message: String

            // Messages run to hundreds of characters and rarely differ where rule and pointer agree: they are
            // compared, not hashed.
            func hash(into hasher: inout Hasher) {
                hasher.combine(file)
                hasher.combine(rule)
                hasher.combine(pointer)
            }
        }
        var seen = Set<Key>(minimumCapacity: findings.count)
        return findings.filter { seen.insert(Key(file: acrossFiles ? $0.file : "", rule: $0.ruleCode, pointer: $0.pointer, message: $0.message)).inserted }
    }
}

/// A parsed tree and the pointer of its root in the file, so a file pointer resolves in a tree of one part of it.
struct PointerScope {
    var tree: JSONNode
    var base: JSONPointer

    func resolve(_ pointer: JSONPointer) -> JSONNode? {
        guard pointer.hasPrefix(base) else { return nil }
        return tree.resolve(base.isRoot ? pointer : JSONPointer(tokens: Array(pointer.tokens.dropFirst(base.count))))
    }
}

/// Stable fingerprints for findings.
///
/// A fingerprint hashes the rule code, the file as reported (forward slashes, `./` and repeated `/` removed),
/// the RFC 6901 pointer and the offending value's text (``JSONNode/fingerprintText(limit:)``), never the line:
/// inserting lines above a finding keeps it, changing the offending value changes it, and findings elsewhere
/// never affect it.
public enum Fingerprint {
    /// A 32-hex-digit fingerprint of rule code, file, pointer and the offending value (never the line).
    public static func make(rule: String, file: String, pointer: JSONPointer, value: String) -> String {
        let text = [rule, stableFile(file), pointer.description, value].joined(separator: "\u{0}")
        return hex(FNV1a.hash64(text.utf8)) + hex(FNV1a.hash64(text.utf8, seed: 0x8422_2325_cbf2_9ce4))
    }

    /// `file` with `.` components and repeated `/` removed, so `./policies/a.json` and `policies//a.json`
    /// fingerprint alike; `-` (standard input) stays as it is.
    public static func stableFile(_ file: String) -> String {
        file == "-" ? file : LexicalPath.normalized(file)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension JSONNode {
    /// The text a fingerprint hashes: a scalar as compact JSON; an object or array one level deep, with nested
    /// objects and arrays written as `{…}` and `[…]`, so a finding on a container (a statement, the whole
    /// document) keeps its fingerprint when a value deeper inside it, or another statement, changes.
    public func fingerprintText(limit: Int = .max) -> String {
        func shallow(_ node: JSONNode) -> String {
            switch node.value {
            case .object: "{…}"
            case .array: "[…]"
            default: node.canonicalText(limit: limit)
            }
        }
        var output: String
        switch value {
        case .array(let elements):
            output = "[" + elements.map(shallow).joined(separator: ",") + "]"
        case .object(let members):
            output = "{" + members.map { JSONNode.quoted($0.key) + ":" + shallow($0.value) }.joined(separator: ",") + "}"
        default:
            return canonicalText(limit: limit)
        }
        if output.utf8.count > limit { output = String(decoding: output.utf8.prefix(limit), as: UTF8.self) }
        return output
    }

    /// The value as compact JSON text with keys in source order, cut at `limit` characters.
    public func canonicalText(limit: Int = .max) -> String {
        var output = ""
        write(to: &output, limit: limit)
        return output
    }

    /// Appends the value's text; stops adding once `output` holds `limit` UTF-8 bytes or more.
    private func write(to output: inout String, limit: Int) {
        guard output.utf8.count < limit else { return }
        switch value {
        case .null: output += "null"
        case .bool(let bool): output += bool ? "true" : "false"
        case .number(let text): output += text
        case .string(let string): output += JSONNode.quoted(string)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output, limit: limit)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += JSONNode.quoted(member.key) + ":"
                member.value.write(to: &output, limit: limit)
            }
            output += "}"
        }
    }

    /// `string` as a JSON string literal.
    public static func quoted(_ string: String) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
