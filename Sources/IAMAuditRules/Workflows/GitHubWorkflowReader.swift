import IAMPolicy

/// Reads a parsed GitHub Actions workflow file into a ``GitHubWorkflow``: triggers, permissions, and per job the
/// condition, environment, permissions, reusable call and the steps that may assume AWS roles.
///
/// Whatever the workflow leaves undecided is read as admitting more, never less: an `if:` it cannot parse is
/// `unknown`, a `permissions:` it cannot read grants `id-token: write`, a filter it cannot read admits every ref, a
/// value with an expression it cannot resolve takes any value. Parts that are not shaped as GitHub documents them
/// become ``WorkflowProblem``s; no tree makes it fail.
///
/// References: GitHub, "Workflow syntax for GitHub Actions"
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax); GitHub, "Evaluate
/// expressions in workflows and actions" (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions);
/// GitHub, "Contexts reference" (https://docs.github.com/en/actions/reference/workflows-and-actions/contexts), for
/// which contexts each key may use; AWS, `aws-actions/configure-aws-credentials`
/// (https://github.com/aws-actions/configure-aws-credentials).
public enum GitHubWorkflowReader {
    /// The workflow `tree` (as `YAMLParser` yields it) holds; `file` is the name reports use.
    public static func read(_ tree: JSONNode, file: String) -> GitHubWorkflow {
        var reading = WorkflowTreeReading(file: file)
        reading.read(tree)
        return reading.workflow
    }

    /// Whether `tree` looks like a workflow: a mapping with `jobs` and `on` (or the key `true`, which a YAML 1.1
    /// reader makes of `on`), or with `jobs` holding a job that has `runs-on` or `uses`.
    public static func isWorkflow(_ tree: JSONNode) -> Bool {
        guard let jobs = tree["jobs"] else { return false }
        if tree.member("on") != nil || tree.member("true") != nil { return true }
        return jobs.objectValue?.contains { $0.value.member("runs-on") != nil || $0.value.member("uses") != nil } ?? false
    }

    /// The condition a GitHub Actions expression states (an `if:` value, with or without `${{ }}`), as far as it
    /// concerns the event and the ref; `unknown` for anything else, and for text that is not an expression.
    ///
    /// GitHub ignores case when comparing strings and in context names
    /// (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions): event names are kept
    /// lowercase; refs are kept as written and compare ignoring case.
    public static func condition(_ text: String) -> JobCondition {
        WorkflowConditionReading.condition(text)
    }

    /// The path GitHub gives the workflow in its repository: `file` from its last `.github/workflows/` on, else
    /// `.github/workflows/` and the file's base name.
    static func repositoryPath(of file: String) -> String {
        let normalized = file.replacing("\\", with: "/")
        let marker = ".github/workflows/"
        if let range = normalized.ranges(of: marker).last, range.lowerBound == normalized.startIndex
            || normalized[normalized.index(before: range.lowerBound)] == "/" {
            return String(normalized[range.lowerBound...])
        }
        let base = normalized.split(separator: "/").last.map(String.init) ?? normalized
        return marker + base
    }
}

/// The state of one reading: the workflow built so far and the problems found.
private struct WorkflowTreeReading {
    var workflow: GitHubWorkflow

    init(file: String) {
        workflow = GitHubWorkflow(file: file, path: GitHubWorkflowReader.repositoryPath(of: file))
    }

    private mutating func problem(_ message: String, at pointer: JSONPointer, _ span: SourceSpan) {
        workflow.problems.append(WorkflowProblem(message: message, site: WorkflowSite(pointer: pointer, span: span)))
    }

    mutating func read(_ tree: JSONNode) {
        guard tree.objectValue != nil else {
            problem("the workflow is a \(tree.value.typeName), not a mapping", at: .root, tree.span)
            return
        }
        if let name = tree["name"], let text = name.stringValue {
            workflow.name = Located(text, pointer: JSONPointer.root.appending("name"), span: name.span)
        }
        if let on = tree.member("on") ?? tree.member("true") {
            readTriggers(on)
        }
        if let permissions = tree.member("permissions") {
            workflow.permissions = Self.permissions(permissions, pointer: .root)
        }
        if let jobs = tree.member("jobs") {
            readJobs(jobs, workflowEnv: tree.member("env"))
        }
    }

    // MARK: Triggers

    /// `on:` as an event name, a list of names, or a mapping of events to their filters.
    private mutating func readTriggers(_ on: JSONMember) {
        let pointer = JSONPointer.root.appending(on.key)
        workflow.triggersSite = WorkflowSite(pointer: pointer, span: on.keySpan)
        switch on.value.value {
        case .string(let event):
            workflow.triggers.append(WorkflowTrigger(event: event, site: WorkflowSite(pointer: pointer, span: on.value.span)))
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                let elementPointer = pointer.appending(index)
                guard let event = element.stringValue else {
                    problem("trigger entry is a \(element.value.typeName), not an event name", at: elementPointer, element.span)
                    continue
                }
                workflow.triggers.append(WorkflowTrigger(event: event, site: WorkflowSite(pointer: elementPointer, span: element.span)))
            }
        case .object(let members):
            for member in members {
                workflow.triggers.append(Self.trigger(member, pointer: pointer.appending(member.key)))
            }
        default:
            problem("'\(on.key)' is a \(on.value.value.typeName), not an event, a list or a mapping of events", at: pointer, on.value.span)
        }
    }

    /// One event of the mapping form with its filters. `paths` and `paths-ignore` are not read: they only narrow,
    /// so reading them as absent admits more.
    private static func trigger(_ member: JSONMember, pointer: JSONPointer) -> WorkflowTrigger {
        var trigger = WorkflowTrigger(event: member.key, site: WorkflowSite(pointer: pointer, span: member.keySpan))
        switch member.value.value {
        case .null:
            break
        case .object(let filters):
            for filter in filters {
                let keyPath: WritableKeyPath<WorkflowTrigger, [String]?>
                switch filter.key {
                case "branches": keyPath = \.branches
                case "branches-ignore": keyPath = \.branchesIgnore
                case "tags": keyPath = \.tags
                case "tags-ignore": keyPath = \.tagsIgnore
                case "types": keyPath = \.types
                case "workflows": keyPath = \.workflows
                default: continue
                }
                if let patterns = filterPatterns(filter.value) {
                    trigger[keyPath: keyPath] = patterns
                } else {
                    trigger[keyPath: keyPath] = nil
                    trigger.filtersUnreadable = true
                }
            }
        case .array where member.key == "schedule":
            break
        default:
            // `push: main` and the like are not GitHub's syntax: the event is read without filters.
            trigger.filtersUnreadable = true
        }
        return trigger
    }

    /// A filter's patterns: a string or a non-empty list of strings, none holding an expression (GitHub does not
    /// evaluate expressions under `on:`); nil otherwise.
    private static func filterPatterns(_ node: JSONNode) -> [String]? {
        switch node.value {
        case .string(let pattern):
            return pattern.holdsWorkflowExpression ? nil : [pattern]
        case .array(let elements) where !elements.isEmpty:
            var patterns: [String] = []
            for element in elements {
                guard let pattern = element.stringValue, !pattern.holdsWorkflowExpression else { return nil }
                patterns.append(pattern)
            }
            return patterns
        default:
            return nil
        }
    }

    // MARK: Permissions

    /// A `permissions:` block, read for `id-token`. Scope keys are case-sensitive: only `id-token` counts.
    /// Reference: GitHub, "Workflow syntax", `permissions`
    /// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions).
    static func permissions(_ member: JSONMember, pointer parent: JSONPointer) -> WorkflowPermissions {
        let pointer = parent.appending(member.key)
        let site = WorkflowSite(pointer: pointer, span: member.keySpan)
        switch member.value.value {
        case .string("write-all"):
            return WorkflowPermissions(form: .writeAll, idToken: .write, site: site)
        case .string("read-all"):
            return WorkflowPermissions(form: .readAll, idToken: .read, site: site)
        case .object(let scopes) where scopes.isEmpty:
            return WorkflowPermissions(form: .empty, idToken: .none, site: site)
        case .object:
            guard let idToken = member.value.member("id-token") else {
                return WorkflowPermissions(form: .scopes, idToken: .none, site: site)
            }
            let end = max(idToken.value.span.end, idToken.keySpan.end)
            let idTokenSite = WorkflowSite(pointer: pointer.appending("id-token"), span: SourceSpan(start: idToken.keySpan.start, end: end))
            if let text = idToken.value.stringValue, let access = WorkflowPermissions.Access(rawValue: text) {
                return WorkflowPermissions(form: .scopes, idToken: access, site: site, idTokenSite: idTokenSite)
            }
            return WorkflowPermissions(form: .unreadable, idToken: .write, site: site, idTokenSite: idTokenSite)
        default:
            return WorkflowPermissions(form: .unreadable, idToken: .write, site: site)
        }
    }

    // MARK: Jobs

    private mutating func readJobs(_ jobs: JSONMember, workflowEnv: JSONMember?) {
        let pointer = JSONPointer.root.appending(jobs.key)
        guard let members = jobs.value.objectValue else {
            problem("'jobs' is a \(jobs.value.value.typeName), not a mapping of jobs", at: pointer, jobs.value.span)
            return
        }
        for member in members {
            let jobPointer = pointer.appending(member.key)
            guard member.value.objectValue != nil else {
                problem("job '\(member.key)' is a \(member.value.value.typeName), not a mapping", at: jobPointer, member.keySpan)
                continue
            }
            workflow.jobs.append(readJob(member, pointer: jobPointer, workflowEnv: workflowEnv?.value))
        }
    }

    private mutating func readJob(_ member: JSONMember, pointer: JSONPointer, workflowEnv: JSONNode?) -> WorkflowJob {
        let job = member.value
        var result = WorkflowJob(id: member.key, site: WorkflowSite(pointer: pointer, span: member.keySpan))
        if let name = job["name"]?.stringValue, !name.holdsWorkflowExpression { result.name = name }
        if let condition = job.member("if") {
            result.condition = Self.condition(condition.value)
            result.conditionSite = WorkflowSite(pointer: pointer.appending("if"), span: condition.keySpan)
        }
        let matrix = WorkflowMatrix(strategy: job["strategy"])
        // `jobs.<id>.environment` may use `github`, `needs`, `strategy`, `matrix`, `vars` and `inputs`: not `env`.
        let environmentScope = WorkflowValueScope(env: nil, matrix: matrix)
        if let environment = job.member("environment") {
            result.environment = Self.environment(environment, pointer: pointer.appending("environment"), scope: environmentScope)
        }
        if let permissions = job.member("permissions") {
            result.permissions = Self.permissions(permissions, pointer: pointer)
        }
        if let uses = job.member("uses") {
            result.call = readCall(uses, pointer: pointer.appending("uses"))
        }
        if let steps = job.member("steps") {
            readSteps(steps, pointer: pointer.appending("steps"), into: &result,
                      jobEnv: job["env"], workflowEnv: workflowEnv, matrix: matrix)
        }
        return result
    }

    /// An `if:` value: an expression string, or a YAML boolean read as a constant.
    private static func condition(_ node: JSONNode) -> JobCondition {
        switch node.value {
        case .string(let text): GitHubWorkflowReader.condition(text)
        case .bool(let value): .constant(value)
        default: .unknown
        }
    }

    /// `environment:` as a name or a mapping with `name:` (its `url:` is not read). A form iam-audit cannot read is
    /// an environment of any name.
    private static func environment(_ member: JSONMember, pointer: JSONPointer, scope: WorkflowValueScope) -> WorkflowValue {
        switch member.value.value {
        case .string:
            return value(member.value, pointer: pointer, scope: scope)
        case .object:
            if let name = member.value["name"] {
                return value(name, pointer: pointer.appending("name"), scope: scope)
            }
            return WorkflowValue(text: "", site: WorkflowSite(pointer: pointer, span: member.value.span), candidates: nil)
        default:
            return value(member.value, pointer: pointer, scope: scope)
        }
    }

    /// A job-level `uses:` of a reusable workflow. Reference: GitHub, "Workflow syntax", `jobs.<job_id>.uses`
    /// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_iduses).
    private mutating func readCall(_ member: JSONMember, pointer: JSONPointer) -> WorkflowCall {
        // `jobs.<id>.uses` allows no expressions.
        let uses = Self.value(member.value, pointer: pointer, scope: .literalOnly)
        guard let text = member.value.stringValue else {
            problem("'uses' is a \(member.value.value.typeName), not a workflow reference", at: pointer, member.value.span)
            return WorkflowCall(uses: uses)
        }
        var call = WorkflowCall(uses: uses)
        let reference = text.trimmingWorkflowWhitespace()
        guard !reference.holdsWorkflowExpression else { return call }
        if reference.hasPrefix("./") {
            call.localPath = String(reference.dropFirst(2))
            return call
        }
        var target = reference[...]
        if let at = reference.lastIndex(of: "@") {
            call.ref = String(reference[reference.index(after: at)...])
            target = reference[..<at]
        }
        let parts = target.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty {
            call.repository = parts[0] + "/" + parts[1]
            call.path = String(parts[2])
        }
        return call
    }

    // MARK: Steps

    private mutating func readSteps(_ member: JSONMember, pointer: JSONPointer, into job: inout WorkflowJob,
                                    jobEnv: JSONNode?, workflowEnv: JSONNode?, matrix: WorkflowMatrix) {
        guard let steps = member.value.arrayValue else {
            problem("'steps' is a \(member.value.value.typeName), not a list of steps", at: pointer, member.value.span)
            return
        }
        // A step that writes `$GITHUB_ENV` may change what `env.*` holds for the steps after it: their `env`
        // values are then undecided.
        var envRewritten = false
        for (index, step) in steps.enumerated() {
            let stepPointer = pointer.appending(index)
            guard step.objectValue != nil else {
                problem("step \(index) is a \(step.value.typeName), not a mapping", at: stepPointer, step.span)
                continue
            }
            let env: [JSONNode?]? = envRewritten ? nil : [step["env"], jobEnv, workflowEnv]
            let scope = WorkflowValueScope(env: env, matrix: matrix)
            if let script = step["run"]?.stringValue {
                if Self.scriptMayAssume(script) { job.runMayAssume = true }
                if script.lowercased().contains("github_env") { envRewritten = true }
            }
            guard let uses = step.member("uses") else { continue }
            let usesValue = Self.value(uses.value, pointer: stepPointer.appending("uses"), scope: .literalOnly)
            guard let reference = uses.value.stringValue else {
                job.otherActions.append(usesValue)
                continue
            }
            let action = Self.actionName(reference)
            if Self.isCredentialAction(action) {
                job.credentialSteps.append(readCredentialStep(step, pointer: stepPointer, uses: usesValue, scope: scope))
            } else if !Self.isInertAction(action) {
                job.otherActions.append(usesValue)
            }
        }
    }

    /// The action a `uses:` names, without its `@ref`.
    private static func actionName(_ reference: String) -> String {
        let trimmed = reference.trimmingWorkflowWhitespace()
        guard let at = trimmed.firstIndex(of: "@") else { return trimmed }
        return String(trimmed[..<at])
    }

    /// `*/configure-aws-credentials`, ignoring case: `aws-actions/configure-aws-credentials` or a fork or copy of it.
    private static func isCredentialAction(_ action: String) -> Bool {
        let suffix = "/configure-aws-credentials"
        let lower = action.lowercased()
        return lower.count > suffix.count && lower.hasSuffix(suffix)
    }

    /// Actions known not to assume AWS roles: `actions/checkout`, `actions/setup-*`, `actions/cache`,
    /// `actions/upload-artifact`, `actions/download-artifact` and `docker/*` (owner and name ignore case).
    private static func isInertAction(_ action: String) -> Bool {
        let parts = action.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[1].isEmpty else { return false }
        if parts[0] == "docker" { return true }
        guard parts[0] == "actions" else { return false }
        return ["checkout", "cache", "upload-artifact", "download-artifact"].contains(parts[1]) || parts[1].hasPrefix("setup-")
    }

    /// Whether a `run:` script may call AWS STS or fetch the job's OpenID Connect token itself: it mentions
    /// `assume-role` (or an SDK's `assume_role`, `AssumeRole…`), `aws sts`, `sts ` or `sts.` as a word
    /// (`sts.amazonaws.com`), `--role-arn` or `ACTIONS_ID_TOKEN_REQUEST_*`, ignoring case. `aws sts
    /// get-caller-identity` alone is not such a call.
    static func scriptMayAssume(_ script: String) -> Bool {
        var lower = script.lowercased()
        lower = lower.replacing("sts get-caller-identity", with: "")
        for marker in ["assume-role", "assume_role", "assumerole", "actions_id_token_request", "aws sts", "--role-arn"]
            where lower.contains(marker) {
            return true
        }
        // `sts ` and `sts.` as a word (not the end of `posts`).
        let bytes = Array(lower.utf8)
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == UInt8(ascii: "s"), bytes[index + 1] == UInt8(ascii: "t"), bytes[index + 2] == UInt8(ascii: "s"),
               bytes[index + 3] == UInt8(ascii: " ") || bytes[index + 3] == UInt8(ascii: "."),
               index == 0 || !isWordByte(bytes[index - 1]) {
                return true
            }
            index += 1
        }
        return false
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// A `configure-aws-credentials` step and its `with:` inputs. The action trims its inputs and reads an empty
    /// one as absent.
    private mutating func readCredentialStep(_ step: JSONNode, pointer: JSONPointer, uses: WorkflowValue,
                                             scope: WorkflowValueScope) -> CredentialStep {
        var result = CredentialStep(uses: uses)
        if let condition = step["if"] { result.condition = Self.condition(condition) }
        guard let with = step.member("with") else { return result }
        let withPointer = pointer.appending("with")
        guard with.value.objectValue != nil else {
            problem("'with' is a \(with.value.value.typeName), not a mapping of inputs", at: withPointer, with.value.span)
            // Inputs iam-audit cannot see: the step may assume any role with the job's token.
            result.roleToAssume = WorkflowValue(text: "", site: WorkflowSite(pointer: withPointer, span: with.value.span), candidates: nil)
            return result
        }
        func input(_ name: String) -> WorkflowValue? {
            guard let node = with.value[name], !Self.isEmptyInput(node) else { return nil }
            return Self.value(node, pointer: withPointer.appending(name), scope: scope)
        }
        result.roleToAssume = input("role-to-assume")
        result.audience = input("audience")
        result.region = input("aws-region")
        switch with.value["role-chaining"]?.value {
        case .bool(true): result.roleChaining = true
        case .string(let text): result.roleChaining = text.trimmingWorkflowWhitespace().lowercased() == "true"
        default: result.roleChaining = false
        }
        result.usesOtherCredentials = input("aws-access-key-id") != nil || input("web-identity-token-file") != nil
        return result
    }

    private static func isEmptyInput(_ node: JSONNode) -> Bool {
        switch node.value {
        case .null: true
        case .string(let text): text.trimmingWorkflowWhitespace().isEmpty
        default: false
        }
    }

    // MARK: Values

    /// A value with its candidates. Strings are resolved in `scope`; a boolean is its word; anything else (a number,
    /// whose text GitHub may reformat, a list, a mapping) takes any value.
    static func value(_ node: JSONNode, pointer: JSONPointer, scope: WorkflowValueScope) -> WorkflowValue {
        let site = WorkflowSite(pointer: pointer, span: node.span)
        switch node.value {
        case .string(let text): return WorkflowValue(text: text, site: site, candidates: scope.candidates(text))
        case .bool(let value): return WorkflowValue(text: String(value), site: site, candidates: [String(value)])
        case .number(let text): return WorkflowValue(text: text, site: site, candidates: nil)
        default: return WorkflowValue(text: "", site: site, candidates: nil)
        }
    }
}

/// What the `env` and `matrix` contexts hold where a value is written, for resolving its `${{ }}` expressions.
struct WorkflowValueScope {
    /// The `env:` mappings that apply, innermost first (step, job, workflow; nil where a level has none); nil when
    /// the `env` context is not available or not known.
    var env: [JSONNode?]?
    var matrix: WorkflowMatrix?

    /// A scope resolving no context: only string literals in expressions.
    static let literalOnly = WorkflowValueScope(env: nil, matrix: nil)

    /// The most candidates a value keeps; more is read as any value.
    static let maxCandidates = 64

    /// Every value `text` takes: the product of its expressions' values with the text around them; nil when an
    /// expression is undecided or the product exceeds ``maxCandidates``.
    func candidates(_ text: String) -> [String]? {
        guard text.holdsWorkflowExpression else { return [text] }
        guard let segments = WorkflowInterpolation.segments(text) else { return nil }
        var results = [""]
        for segment in segments {
            switch segment {
            case .text(let literal):
                results = results.map { $0 + literal }
            case .expression(let source):
                guard let values = values(of: source) else { return nil }
                var next: [String] = []
                for prefix in results {
                    for value in values {
                        next.append(prefix + value)
                        if next.count > Self.maxCandidates { return nil }
                    }
                }
                results = next
            }
        }
        var seen = Set<String>()
        return results.filter { seen.insert($0).inserted }
    }

    /// The values of one expression: a string literal, `env.NAME` or `matrix.NAME` (also `env['NAME']`).
    private func values(of source: Substring) -> [String]? {
        switch WorkflowExpression.parse(source) {
        case .string(let text):
            return [text]
        case .property(let path) where path.count == 2:
            switch path[0].lowercased() {
            case "env": return envValue(path[1])
            case "matrix": return matrix?.values(of: path[1])
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `env.NAME` from the innermost `env:` that sets it, when that value is a literal. GitHub compares names ignoring
    /// case; a mapping naming the variable in two spellings, or an `env:` that is not a mapping (an expression), leaves
    /// it undecided.
    private func envValue(_ name: String) -> [String]? {
        guard let env else { return nil }
        for layer in env {
            guard let layer else { continue }
            guard let members = layer.objectValue else { return nil }
            let matches = members.filter { $0.key.lowercased() == name.lowercased() }
            guard let match = matches.last else { continue }
            guard matches.allSatisfy({ $0.key == match.key }) else { return nil }
            return Self.literal(match.value).map { [$0] }
        }
        return nil
    }

    /// A scalar's text when it is a literal GitHub passes unchanged: a string without expressions, a boolean, or an
    /// integer without a leading zero (an account id written unquoted).
    static func literal(_ node: JSONNode) -> String? {
        switch node.value {
        case .string(let text): text.holdsWorkflowExpression ? nil : text
        case .bool(let value): String(value)
        case .number(let text):
            text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } && !text.isEmpty
                && (text == "0" || !text.hasPrefix("0")) ? text : nil
        default: nil
        }
    }
}

/// A job's `strategy.matrix`, read for the values each of its variables takes.
///
/// Reference: GitHub, "Workflow syntax", `jobs.<job_id>.strategy.matrix.include`
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstrategymatrixinclude):
/// `include` entries extend the combinations they do not overwrite and add a combination of their own otherwise.
/// `exclude` only removes combinations; it is not read, which keeps every value.
struct WorkflowMatrix {
    /// The `matrix` node; nil when the job has no `strategy` mapping (then every `matrix.*` is undecided).
    let node: JSONNode?

    init(strategy: JSONNode?) {
        node = strategy?["matrix"]
    }

    /// Every value `matrix.NAME` takes, or nil when a value is undecided (an expression, a non-string) or the
    /// matrix does not define the name.
    func values(of name: String) -> [String]? {
        guard let members = node?.objectValue else { return nil }
        let lower = name.lowercased()
        var values: [String] = []
        var defined = false
        var dimensions: Set<String> = []
        for member in members where member.key != "include" && member.key != "exclude" {
            dimensions.insert(member.key.lowercased())
            guard member.key.lowercased() == lower else { continue }
            guard member.key == name, let elements = member.value.arrayValue, !elements.isEmpty else { return nil }
            for element in elements {
                guard let text = element.stringValue, !text.holdsWorkflowExpression else { return nil }
                values.append(text)
            }
            defined = true
        }
        if let include = node?["include"] {
            guard let entries = include.arrayValue else { return nil }
            for entry in entries {
                guard let fields = entry.objectValue else { return nil }
                let matches = fields.filter { $0.key.lowercased() == lower }
                if let match = matches.last {
                    guard matches.allSatisfy({ $0.key == name }), let text = match.value.stringValue,
                          !text.holdsWorkflowExpression else { return nil }
                    values.append(text)
                    defined = true
                } else if dimensions.isEmpty || fields.contains(where: { dimensions.contains($0.key.lowercased()) }) {
                    // The entry may form a combination of its own, in which the variable is empty.
                    values.append("")
                }
            }
            // Original combinations no entry extends with the variable leave it empty.
            if !dimensions.isEmpty, !dimensions.contains(lower) { values.append("") }
        }
        guard defined else { return nil }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
