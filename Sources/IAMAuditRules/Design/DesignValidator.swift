import IAMPolicy

/// Walks a parsed design file, building the `Design` and collecting every problem with its position.
///
/// Each check reports and carries on, so one run names every unknown key, wrong type, bad value, bad
/// placeholder and missing file. Positions are those of the offending key, or value, or, for a placeholder,
/// of its `$` inside the string.
struct DesignValidator {
    let file: String
    let bytes: [UInt8]
    let fileExists: (String) -> Bool
    private(set) var errors: [AuditError] = []

    /// A string holding `${name}` placeholders, kept until every value a placeholder can take is known.
    private struct TemplateSite {
        var node: JSONNode
        var pointer: JSONPointer
        var text: String
        /// The environments the template is expanded for: nil for every environment that does not override
        /// `service`, else the one environment named.
        var environment: String?
        var service: String?
    }

    private var templates: [TemplateSite] = []
    /// Each policy file named so far (resolved, normalized) and the pointer that named it first.
    private var policyFiles: [String: JSONPointer] = [:]
    /// Template paths resolved, to the pointer that first names each.
    private var templateFiles: [String: JSONPointer] = [:]
    /// Placeholder values written but invalid (`account`, `dev/branch`), already reported: a placeholder
    /// that needs one is not reported again as having no value.
    private var invalidValues: Set<String> = []
    private let folder: String

    static let topLevelKeys = ["$schema", "version", "partition", "account", "region", "github", "resources", "environments", "ignore",
                                "review"]
    static let githubKeys = ["repository", "audience", "ownerId", "repositoryId", "defaultBranch"]
    static let environmentKeys = ["branch", "githubEnvironment", "stackName", "role", "trustPolicy", "permissionPolicies",
                                  "subjects", "resources", "templates", "parameters"]
    static let ignoreKeys = ["rule", "path", "pointer", "reason", "expires"]
    static let reviewKeys = ["pointer", "note"]
    /// The AWS partitions, as written in ARNs.
    static let partitions = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]

    init(file: String, bytes: [UInt8], fileExists: @escaping (String) -> Bool) {
        self.file = file
        self.bytes = bytes
        self.fileExists = fileExists
        self.folder = LexicalPath.folder(of: file)
    }

    /// The errors in source order (errors without a position first).
    var sortedErrors: [AuditError] {
        errors.enumerated().sorted { lhs, rhs in
            switch (lhs.element.position, rhs.element.position) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?): return a == b ? lhs.offset < rhs.offset : a < b
            }
        }.map(\.element)
    }

    // MARK: Top level

    /// The design, or nil when the root is not an object; check `errors` either way.
    mutating func validate(_ root: JSONNode) -> Design? {
        guard let members = members(of: root, at: .root, keys: Self.topLevelKeys, required: ["version", "environments"]) else {
            return nil
        }
        var design = Design(file: file)
        if let node = members["$schema"]?.value { _ = string(node, at: "/$schema") }
        if let node = members["version"]?.value, let version = version(node) { design.version = version }
        if let node = members["partition"]?.value, let value = string(node, at: "/partition") {
            if Self.partitions.contains(value) {
                design.partition = value
            } else {
                fail("/partition must be one of \(Self.partitions.joined(separator: ", ")), found '\(value)'"
                     + suggestion(for: value, in: Self.partitions), at: node)
            }
        }
        if let node = members["account"]?.value {
            if let value = string(node, at: "/account"), value.utf8.count == 12, value.allSatisfy(\.isASCIIDigit) {
                design.account = value
            } else {
                if let value = node.stringValue { fail("/account must be 12 digits, found '\(value)'", at: node) }
                invalidValues.insert("account")
            }
        }
        if let node = members["region"]?.value {
            if let value = string(node, at: "/region"), Self.isRegion(value) {
                design.region = value
            } else {
                if let value = node.stringValue {
                    fail("/region must be a region name such as 'eu-north-1', found '\(value)'", at: node)
                }
                invalidValues.insert("region")
            }
        }
        if let node = members["github"]?.value {
            design.github = github(node)
            if design.github == nil { invalidValues.insert("repository") }
        }
        if let node = members["resources"]?.value { design.resources = resources(node, at: "/resources", environment: nil) }
        if let node = members["environments"]?.value { design.environments = environments(node) }
        if let node = members["ignore"]?.value { design.ignore = ignoreEntries(node) }
        if let node = members["review"]?.value { design.review = reviewNotes(node, in: root) }
        checkPlaceholderValues(in: design)
        return design
    }

    private mutating func version(_ node: JSONNode) -> Int? {
        guard case .number(let text) = node.value else {
            typeMismatch(node, at: "/version", expected: "the number 1")
            return nil
        }
        guard text == "1" else {
            fail("/version must be 1, found \(text)", at: node)
            return nil
        }
        return 1
    }

    private mutating func github(_ node: JSONNode) -> Design.GitHub? {
        guard let members = members(of: node, at: "/github", keys: Self.githubKeys, required: ["repository"]) else { return nil }
        var github = Design.GitHub(repository: "")
        var valid = true
        if let node = members["repository"]?.value {
            if let value = string(node, at: "/github/repository"), Self.isRepository(value) {
                github.repository = value
            } else {
                if let value = node.stringValue {
                    fail("/github/repository must be 'owner/name', found '\(value)'", at: node)
                }
                valid = false
            }
        } else {
            valid = false
        }
        if let node = members["audience"]?.value { github.audience = nonEmptyString(node, at: "/github/audience") }
        for key in ["ownerId", "repositoryId"] {
            guard let node = members[key]?.value, let value = string(node, at: JSONPointer(tokens: ["github", key])) else { continue }
            guard !value.isEmpty, value.allSatisfy(\.isASCIIDigit) else {
                fail("/github/\(key) must be a string of digits, found '\(value)'", at: node)
                continue
            }
            if key == "ownerId" { github.ownerId = value } else { github.repositoryId = value }
        }
        if let node = members["defaultBranch"]?.value, let value = nonEmptyString(node, at: "/github/defaultBranch") {
            if value.hasPrefix("refs/") {
                fail("/github/defaultBranch must be a branch name without 'refs/heads/', found '\(value)'", at: node)
            } else if value.contains(where: { "*?[\\~^:".contains($0) || $0.isWhitespace }) {
                fail("/github/defaultBranch must be one exact branch name, found '\(value)'", at: node)
            } else {
                github.defaultBranch = value
            }
        }
        return valid ? github : nil
    }

    // MARK: Resources

    private mutating func resources(_ node: JSONNode, at pointer: JSONPointer, environment: String?) -> [String: [String]] {
        guard let members = members(of: node, at: pointer, keys: nil, required: []) else { return [:] }
        var resources: [String: [String]] = [:]
        for member in members.ordered {
            let service = member.key
            let servicePointer = pointer.appending(service)
            if service.isEmpty || !service.allSatisfy({ $0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "-" }) {
                fail("service prefix '\(service)' in \(pointer) must hold only lowercase letters, digits and hyphens",
                     at: member.keySpan.start)
            }
            guard let elements = array(member.value, at: servicePointer, expected: "an array of ARN patterns") else { continue }
            if elements.isEmpty {
                fail("\(servicePointer) must list at least one ARN pattern", at: member.value)
            }
            var patterns: [String] = []
            for (index, element) in elements.enumerated() {
                let elementPointer = servicePointer.appending(index)
                guard let pattern = string(element, at: elementPointer) else { continue }
                patterns.append(pattern)
                if !Self.isARNPattern(pattern) {
                    fail("\(elementPointer) must be an ARN pattern 'arn:partition:service:region:account:resource', found '\(pattern)'",
                         at: element)
                }
                checkTemplate(element, text: pattern, at: elementPointer, environment: environment, service: service)
            }
            resources[service] = patterns
        }
        return resources
    }

    // MARK: Environments

    private mutating func environments(_ node: JSONNode) -> [Design.Environment] {
        guard let members = members(of: node, at: "/environments", keys: nil, required: []) else { return [] }
        if members.ordered.isEmpty {
            fail("/environments must name at least one environment", at: node)
        }
        var environments: [Design.Environment] = []
        for member in members.ordered {
            if !Self.isEnvironmentName(member.key) {
                fail("environment name '\(member.key)' must hold only letters, digits, '.', '_' and '-'", at: member.keySpan.start)
            }
            if let environment = environment(named: member.key, member.value) {
                environments.append(environment)
            }
        }
        return environments
    }

    private mutating func environment(named name: String, _ node: JSONNode) -> Design.Environment? {
        let pointer = JSONPointer(tokens: ["environments", name])
        guard let members = members(of: node, at: pointer, keys: Self.environmentKeys, required: []) else { return nil }
        var environment = Design.Environment(name: name)
        defer {
            for key in ["branch", "githubEnvironment", "stackName"] where members[key] != nil {
                if environment.placeholderValue(key) == nil { invalidValues.insert("\(name)/\(key)") }
            }
        }
        if let node = members["branch"]?.value, let value = nonEmptyString(node, at: pointer.appending("branch")) {
            if value.hasPrefix("refs/") {
                fail("\(pointer.appending("branch")) must be a branch name without 'refs/heads/', found '\(value)'", at: node)
            } else if value.contains(where: { "*?[".contains($0) || $0.isWhitespace }) {
                fail("\(pointer.appending("branch")) must be one exact branch name, found '\(value)'", at: node)
            } else {
                environment.branch = value
            }
        }
        if let node = members["githubEnvironment"]?.value,
           let value = nonEmptyString(node, at: pointer.appending("githubEnvironment")) {
            if value.contains(where: { "*?".contains($0) }) {
                fail("\(pointer.appending("githubEnvironment")) must be one exact environment name, found '\(value)'", at: node)
            } else {
                environment.githubEnvironment = value
            }
        }
        if let node = members["stackName"]?.value, let value = string(node, at: pointer.appending("stackName")) {
            if Self.isStackName(value) {
                environment.stackName = value
            } else {
                fail("\(pointer.appending("stackName")) must be a CloudFormation stack name (a letter, then letters, digits "
                     + "and hyphens, at most 128), found '\(value)'", at: node)
            }
        }
        if let node = members["role"]?.value, let value = string(node, at: pointer.appending("role")) {
            if Self.isRoleName(value) {
                environment.role = value
            } else {
                fail("\(pointer.appending("role")) must be an IAM role name (letters, digits and '+=,.@_-', at most 64), "
                     + "found '\(value)'", at: node)
            }
        }
        if let node = members["trustPolicy"]?.value {
            environment.trustPolicy = policyPath(node, at: pointer.appending("trustPolicy"))
        }
        if let node = members["permissionPolicies"]?.value {
            let listPointer = pointer.appending("permissionPolicies")
            for (index, element) in (array(node, at: listPointer, expected: "an array of paths") ?? []).enumerated() {
                if let path = policyPath(element, at: listPointer.appending(index)) {
                    environment.permissionPolicies.append(path)
                }
            }
        }
        if let node = members["subjects"]?.value {
            let listPointer = pointer.appending("subjects")
            for (index, element) in (array(node, at: listPointer, expected: "an array of strings") ?? []).enumerated() {
                let elementPointer = listPointer.appending(index)
                guard let subject = nonEmptyString(element, at: elementPointer) else { continue }
                environment.subjects.append(subject)
                let literal = DesignTemplate(subject).pieces.compactMap {
                    if case .literal(let text) = $0 { return text }
                    return nil
                }.joined()
                if literal.contains(where: { "*?".contains($0) }) {
                    fail("\(elementPointer) must be an exact subject, found the wildcard pattern '\(subject)'", at: element)
                }
                checkTemplate(element, text: subject, at: elementPointer, environment: name, service: nil)
            }
        }
        if let node = members["resources"]?.value {
            environment.resources = resources(node, at: pointer.appending("resources"), environment: name)
        }
        if let node = members["templates"]?.value {
            let listPointer = pointer.appending("templates")
            for (index, element) in (array(node, at: listPointer, expected: "an array of paths") ?? []).enumerated() {
                if let path = templatePath(element, at: listPointer.appending(index)) {
                    if environment.templates.contains(path) {
                        fail("\(listPointer.appending(index)) names '\(path)' twice", at: element)
                    } else {
                        environment.templates.append(path)
                    }
                }
            }
        }
        if let node = members["parameters"]?.value {
            let objectPointer = pointer.appending("parameters")
            if case .object(let entries) = node.value {
                for entry in entries {
                    let entryPointer = objectPointer.appending(entry.key)
                    guard !entry.key.isEmpty, entry.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                        fail("\(entryPointer) must be named as a CloudFormation parameter (letters and digits), found '\(entry.key)'",
                             at: entry.keySpan.start)
                        continue
                    }
                    if let value = string(entry.value, at: entryPointer) { environment.parameters[entry.key] = value }
                }
            } else {
                fail("\(objectPointer) must be an object of parameter values (strings)", at: node)
            }
        }
        return environment
    }

    /// A template path written in the design: relative, naming an existing file that is not also a policy file.
    /// Several environments may name one template (one stack each).
    private mutating func templatePath(_ node: JSONNode, at pointer: JSONPointer) -> String? {
        declaredPath(node, at: pointer, asTemplate: true)
    }

    /// A policy path written in the design: relative, naming an existing file, named once in the whole design.
    private mutating func policyPath(_ node: JSONNode, at pointer: JSONPointer) -> String? {
        declaredPath(node, at: pointer, asTemplate: false)
    }

    /// A path the design declares: relative to the design file's folder, naming an existing file; a policy file is
    /// named once in the whole design, a template by any number of environments but never also as a policy file.
    private mutating func declaredPath(_ node: JSONNode, at pointer: JSONPointer, asTemplate: Bool) -> String? {
        guard let path = nonEmptyString(node, at: pointer) else { return nil }
        guard !LexicalPath.isAbsolute(path) else {
            fail("\(pointer) must be a path relative to the design file's folder, found '\(path)'", at: node)
            return nil
        }
        let resolved = LexicalPath.resolved(path, in: folder)
        if asTemplate {
            if let first = policyFiles[resolved] {
                fail("file '\(path)' named by \(pointer) is already named by \(first), as a policy file", at: node)
            }
            templateFiles[resolved] = templateFiles[resolved] ?? pointer
        } else if let first = policyFiles[resolved] ?? templateFiles[resolved] {
            fail("file '\(path)' named by \(pointer) is already named by \(first)", at: node)
        } else {
            policyFiles[resolved] = pointer
        }
        if !fileExists(resolved) {
            fail("file '\(path)' named by \(pointer) does not exist", at: node)
        }
        return path
    }

    // MARK: Ignore entries

    private mutating func ignoreEntries(_ node: JSONNode) -> [Design.IgnoreEntry] {
        var entries: [Design.IgnoreEntry] = []
        for (index, element) in (array(node, at: "/ignore", expected: "an array of objects") ?? []).enumerated() {
            let pointer = JSONPointer(tokens: ["ignore", String(index)])
            guard let members = members(of: element, at: pointer, keys: Self.ignoreKeys, required: ["rule", "path", "reason"]) else {
                continue
            }
            var entry = Design.IgnoreEntry(rule: "", path: "", reason: "", pointerInDesign: pointer, span: element.span)
            var valid = members["rule"] != nil && members["path"] != nil && members["reason"] != nil
            if let node = members["rule"]?.value, let rule = string(node, at: pointer.appending("rule")) {
                let known = RuleCatalog.descriptions
                if known.contains(where: { $0.code == rule.uppercased() || $0.name == rule.lowercased() }) {
                    entry.rule = rule
                } else if Self.isRuleCode(rule) || Self.isRuleName(rule) {
                    // A well-formed name of no rule would suppress nothing, silently: an error, with the closest rule.
                    let suggestion = closestMatch(to: rule, in: known.map(\.code) + known.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                    fail("\(pointer.appending("rule")) names no rule of iam-audit: '\(rule)'\(suggestion)", at: node)
                    valid = false
                } else {
                    fail("\(pointer.appending("rule")) must be a rule code such as 'IAM005' or a rule name such as "
                         + "'github-sub-any-repository', found '\(rule)'", at: node)
                    valid = false
                }
            } else {
                valid = false
            }
            if let node = members["path"]?.value, let path = nonEmptyString(node, at: pointer.appending("path")) {
                if LexicalPath.isAbsolute(path) {
                    fail("\(pointer.appending("path")) must be a glob relative to the design file's folder, found '\(path)'", at: node)
                    valid = false
                } else {
                    entry.path = path
                }
            } else {
                valid = false
            }
            if let node = members["pointer"]?.value, let text = string(node, at: pointer.appending("pointer")) {
                if let parsed = JSONPointer(parsing: text) {
                    entry.pointer = parsed
                } else {
                    fail("\(pointer.appending("pointer")) must be an RFC 6901 JSON pointer such as '/Statement/0', found '\(text)'",
                         at: node)
                }
            }
            if let node = members["reason"]?.value, let reason = string(node, at: pointer.appending("reason")) {
                if reason.allSatisfy(\.isWhitespace) {
                    fail("\(pointer.appending("reason")) must say why the findings are accepted, found an empty string", at: node)
                    valid = false
                } else {
                    entry.reason = reason
                }
            } else {
                valid = false
            }
            if let node = members["expires"]?.value, let date = string(node, at: pointer.appending("expires")) {
                if Self.isDate(date) {
                    entry.expires = date
                } else {
                    fail("\(pointer.appending("expires")) must be a date 'YYYY-MM-DD', found '\(date)'", at: node)
                }
            }
            if valid { entries.append(entry) }
        }
        return entries
    }

    // MARK: Review notes

    /// The `review` list: notes on values a person should check, each pointing at a value the design holds.
    private mutating func reviewNotes(_ node: JSONNode, in root: JSONNode) -> [Design.ReviewNote] {
        var notes: [Design.ReviewNote] = []
        for (index, element) in (array(node, at: "/review", expected: "an array of objects") ?? []).enumerated() {
            let pointer = JSONPointer(tokens: ["review", String(index)])
            guard let members = members(of: element, at: pointer, keys: Self.reviewKeys, required: ["note"]) else { continue }
            var note = Design.ReviewNote(pointer: nil, note: "", pointerInDesign: pointer, span: element.span)
            var valid = true
            if let node = members["note"]?.value, let text = string(node, at: pointer.appending("note")) {
                if text.allSatisfy(\.isWhitespace) {
                    fail("\(pointer.appending("note")) must say what to check, found an empty string", at: node)
                    valid = false
                } else {
                    note.note = text
                }
            } else {
                valid = false
            }
            if let node = members["pointer"]?.value, let text = string(node, at: pointer.appending("pointer")) {
                if let parsed = JSONPointer(parsing: text) {
                    if parsed.tokens.first == "review" || root.resolve(parsed) == nil {
                        fail("\(pointer.appending("pointer")) must point at a value of the design, found '\(text)'", at: node)
                        valid = false
                    } else {
                        note.pointer = parsed
                    }
                } else {
                    fail("\(pointer.appending("pointer")) must be an RFC 6901 JSON pointer such as '/environments/dev/role', "
                         + "found '\(text)'", at: node)
                    valid = false
                }
            }
            if valid { notes.append(note) }
        }
        return notes
    }

    // MARK: Placeholders

    /// Reports unknown and unterminated placeholders now; keeps the string to check values once all are known.
    private mutating func checkTemplate(_ node: JSONNode, text: String, at pointer: JSONPointer, environment: String?,
                                        service: String?) {
        let template = DesignTemplate(text)
        if let offset = template.unterminatedOffset {
            let rest = String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(offset)))
            fail("unterminated placeholder '\(rest)' in \(pointer)", at: position(ofScalar: offset, in: node))
        }
        for placeholder in template.placeholders where !DesignTemplate.names.contains(placeholder.name) {
            let hint = closestMatch(to: placeholder.name, in: DesignTemplate.names).map { "; did you mean '${\($0)}'?" } ?? ""
            fail("unknown placeholder '${\(placeholder.name)}' in \(pointer)\(hint)",
                 at: position(ofScalar: placeholder.scalarOffset, in: node))
        }
        if !template.placeholders.isEmpty {
            templates.append(TemplateSite(node: node, pointer: pointer, text: text, environment: environment, service: service))
        }
    }

    /// Reports each known placeholder that has no value where its string is expanded.
    private mutating func checkPlaceholderValues(in design: Design) {
        for site in templates {
            let environments: [Design.Environment]
            if let name = site.environment {
                environments = design.environment(named: name).map { [$0] } ?? []
            } else {
                environments = design.environments.filter { environment in
                    site.service.map { environment.resources[$0] == nil } ?? true
                }
            }
            var reported = Set<String>()
            for placeholder in DesignTemplate(site.text).placeholders
            where DesignTemplate.names.contains(placeholder.name) && reported.insert(placeholder.name).inserted {
                let position = position(ofScalar: placeholder.scalarOffset, in: site.node)
                let prefix = "placeholder '${\(placeholder.name)}' in \(site.pointer) has no value"
                switch placeholder.name {
                case "account", "region", "repository":
                    if design.placeholderValue(placeholder.name, environment: nil) == nil, !invalidValues.contains(placeholder.name) {
                        let key = placeholder.name == "repository" ? "github.repository" : placeholder.name
                        fail("\(prefix): the design sets no '\(key)'", at: position)
                    }
                case "branch", "githubEnvironment", "stackName":
                    let missing = environments.filter {
                        $0.placeholderValue(placeholder.name) == nil && !invalidValues.contains("\($0.name)/\(placeholder.name)")
                    }
                    guard !missing.isEmpty else { continue }
                    let names = missing.map { "'\($0.name)'" }.joined(separator: ", ")
                    let subject = missing.count == 1 ? "environment \(names) sets" : "environments \(names) set"
                    fail("\(prefix): \(subject) no '\(placeholder.name)'", at: position)
                default:
                    continue
                }
            }
        }
    }

    /// The position of the `$` (or any scalar) at `scalarIndex` in the decoded string `node`, found by
    /// reading the string's source text, escapes included.
    private func position(ofScalar scalarIndex: Int, in node: JSONNode) -> SourcePosition {
        var offset = node.span.start.offset + 1
        var column = node.span.start.column + 1
        var scalar = 0
        while scalar < scalarIndex, offset < bytes.count, bytes[offset] != UInt8(ascii: "\"") {
            var length: Int
            if bytes[offset] == UInt8(ascii: "\\") {
                length = 2
                if offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") {
                    length = 6
                    if let high = hexQuad(at: offset + 2), (0xD800...0xDBFF).contains(high),
                       offset + 7 < bytes.count, bytes[offset + 6] == UInt8(ascii: "\\"), bytes[offset + 7] == UInt8(ascii: "u"),
                       let low = hexQuad(at: offset + 8), (0xDC00...0xDFFF).contains(low) {
                        length = 12
                    }
                }
            } else {
                let lead = bytes[offset]
                length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            }
            let end = min(offset + length, bytes.count)
            column += bytes[offset..<end].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            offset = end
            scalar += 1
        }
        return SourcePosition(line: node.span.start.line, column: column, offset: offset)
    }

    private func hexQuad(at offset: Int) -> Int? {
        guard offset + 4 <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[offset..<offset + 4] {
            guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else { return nil }
            value = value * 16 + digit
        }
        return value
    }

    // MARK: Shapes

    /// An object's members by key (the last of duplicates), after reporting duplicate, unknown and missing keys.
    ///
    /// - Parameter keys: the keys allowed, or nil when any key is allowed (a map such as `environments`).
    private mutating func members(of node: JSONNode, at pointer: JSONPointer, keys: [String]?, required: [String]) -> Members? {
        guard case .object(let list) = node.value else {
            typeMismatch(node, at: pointer, expected: "an object")
            return nil
        }
        var members = Members()
        let place = pointer.isRoot ? "the design" : "\(pointer)"
        for member in list {
            if members[member.key] != nil {
                fail("duplicate key '\(member.key)' in \(place)", at: member.keySpan.start)
                members.replace(member)
                continue
            }
            if let keys, !keys.contains(member.key) {
                fail("unknown key '\(member.key)' in \(place)" + suggestion(for: member.key, in: keys), at: member.keySpan.start)
                continue
            }
            members.append(member)
        }
        for key in required where members[key] == nil {
            fail("\(place) is missing required key '\(key)'", at: node)
        }
        return members
    }

    private mutating func string(_ node: JSONNode, at pointer: JSONPointer) -> String? {
        guard let value = node.stringValue else {
            typeMismatch(node, at: pointer, expected: "a string")
            return nil
        }
        return value
    }

    private mutating func nonEmptyString(_ node: JSONNode, at pointer: JSONPointer) -> String? {
        guard let value = string(node, at: pointer) else { return nil }
        guard !value.isEmpty else {
            fail("\(pointer) must not be empty", at: node)
            return nil
        }
        return value
    }

    private mutating func array(_ node: JSONNode, at pointer: JSONPointer, expected: String) -> [JSONNode]? {
        guard let elements = node.arrayValue else {
            typeMismatch(node, at: pointer, expected: expected)
            return nil
        }
        return elements
    }

    private mutating func typeMismatch(_ node: JSONNode, at pointer: JSONPointer, expected: String) {
        let place = pointer.isRoot ? "the design" : "\(pointer)"
        fail("\(place) must be \(expected), found \(node.value.typeName)", at: node)
    }

    private func suggestion(for word: String, in candidates: [String]) -> String {
        closestMatch(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    private mutating func fail(_ message: String, at node: JSONNode) {
        fail(message, at: node.span.start)
    }

    private mutating func fail(_ message: String, at position: SourcePosition) {
        errors.append(AuditError(file: file, message: message, position: position))
    }

    // MARK: Value syntax

    /// `eu-north-1`, `us-gov-west-1`, `cn-northwest-1`: letters, then letter groups, then a number, joined by `-`.
    static func isRegion(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let number = parts.last, parts[0].count >= 2 else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIILowercaseLetter) }
            && !number.isEmpty && number.allSatisfy(\.isASCIIDigit)
    }

    /// `owner/name` as GitHub allows them: an owner of letters, digits and hyphens; a name of letters, digits, `.`, `_`, `-`.
    static func isRepository(_ value: String) -> Bool {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let owner = parts[0], name = parts[1]
        return !owner.isEmpty && owner.count <= 39 && owner.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" }
            && !name.isEmpty && name.count <= 100 && name != "." && name != ".."
            && name.allSatisfy { $0.isASCIILetterOrDigit || "._-".contains($0) }
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with a partition, a service and a resource.
    static func isARNPattern(_ value: String) -> Bool {
        let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && !parts[1].isEmpty && !parts[2].isEmpty && !parts[5].isEmpty
    }

    static func isEnvironmentName(_ value: String) -> Bool {
        !value.isEmpty && value.allSatisfy { $0.isASCIILetterOrDigit || "._-".contains($0) }
    }

    static func isStackName(_ value: String) -> Bool {
        guard let first = value.first, first.isASCIILetter, value.count <= 128 else { return false }
        return value.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" }
    }

    static func isRoleName(_ value: String) -> Bool {
        !value.isEmpty && value.count <= 64 && value.allSatisfy { $0.isASCIILetterOrDigit || "+=,.@_-".contains($0) }
    }

    /// `IAM005`: upper-case letters, then digits.
    static func isRuleCode(_ value: String) -> Bool {
        guard let firstDigit = value.firstIndex(where: \.isASCIIDigit), firstDigit != value.startIndex else { return false }
        return value[..<firstDigit].allSatisfy { $0.isASCII && $0.isUppercase } && value[firstDigit...].allSatisfy(\.isASCIIDigit)
    }

    /// `github-sub-any-repository`: lower-case words of letters and digits joined by single hyphens.
    static func isRuleName(_ value: String) -> Bool {
        let words = value.split(separator: "-", omittingEmptySubsequences: false)
        return words.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCIILowercaseLetter || $0.isASCIIDigit } }
    }

    /// A real calendar date written `YYYY-MM-DD`.
    static func isDate(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}

/// An object's members in source order, one per key.
private struct Members {
    private(set) var ordered: [JSONMember] = []

    subscript(key: String) -> JSONMember? {
        ordered.first { $0.key == key }
    }

    mutating func append(_ member: JSONMember) {
        ordered.append(member)
    }

    /// Replaces the member with the same key (a later duplicate wins, as in IAM and `JSONNode`).
    mutating func replace(_ member: JSONMember) {
        if let index = ordered.firstIndex(where: { $0.key == member.key }) { ordered[index] = member }
    }
}

private extension Design.Environment {
    /// The value of an environment placeholder: `branch`, `githubEnvironment` or `stackName`.
    func placeholderValue(_ name: String) -> String? {
        switch name {
        case "branch": branch
        case "githubEnvironment": githubEnvironment
        case "stackName": stackName
        default: nil
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIILowercaseLetter: Bool { isASCII && isLowercase }
    var isASCIILetterOrDigit: Bool { isASCIILetter || isASCIIDigit }
}
