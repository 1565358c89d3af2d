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
    public let descriptions: [RuleDescription]
    public var loader: PolicyLoader
    public var design: Design?

    public init(catalog: [any Rule.Type] = RuleCatalog.all, selection: RuleSelection = RuleSelection(),
                design: Design? = nil, loader: PolicyLoader = PolicyLoader()) {
        let enabled = catalog.filter { selection.includes($0.description) }
        self.rules = enabled.filter { $0.description.reportedBy == .check }.map { $0.init() }
        self.descriptions = enabled.map { $0.description }
        self.loader = loader
        self.design = design
    }

    private var reportsInvalidJSON: Bool {
        descriptions.contains { $0.code == InvalidJSON.description.code }
    }

    /// Audits one file's bytes.
    /// - Parameters:
    ///   - explicit: whether the user named the file (a JSON file that holds no policy is then an error,
    ///     not a silent skip).
    ///   - kind: the policy kind to audit as, overriding inference (from the design).
    ///   - environment: the design environment the file belongs to.
    ///   - jobs: how many entries of an account authorization dump are audited at once; the result is the same
    ///     whatever the number.
    public func audit(file: String, bytes: [UInt8], explicit: Bool = true, kind: PolicyKind? = nil,
                      environment: String? = nil, jobs: Int = 1) -> FileAudit {
        if let scan = AuthorizationDetailsScan.scan(bytes) {
            return auditAuthorizationDetails(scan, file: file, bytes: bytes, jobs: jobs)
        }
        var audit = FileAudit(file: file)
        let loaded = loader.load(file: file, bytes: bytes)
        audit.findings += syntaxFindings(loaded.syntaxErrors, file: file, environment: environment, kind: kind)
        if let reason = loaded.notAPolicy, loaded.policies.isEmpty {
            if explicit {
                audit.errors.append(AuditError(file: file, message: "not a policy: \(reason)"))
            } else {
                audit.notices.append(AuditNotice(file: file, message: "skipped, not a policy: \(reason)"))
            }
        }
        let scope = loaded.tree.map { PointerScope(tree: $0, base: .root) }
        for var policy in loaded.policies {
            if let kind { policy.kind = kind }
            audit.policyCount += 1
            audit.findings += findings(in: policy, scope: scope, environment: environment)
        }
        audit.findings = Self.deduplicated(audit.findings).sorted(by: Finding.reportOrder)
        return audit
    }

    /// IAM001 findings for syntax errors, when the rule is enabled.
    func syntaxFindings(_ failures: [PolicyLoader.SyntaxFailure], file: String, environment: String?, kind: PolicyKind?) -> [Finding] {
        guard reportsInvalidJSON else { return [] }
        return failures.map { failure in
            makeFinding(InvalidJSON.description, Violation(pointer: failure.pointer, span: failure.span, message: failure.message),
                        file: file, scope: nil, environment: environment, kind: kind)
        }
    }

    /// Runs every enabled rule over one policy.
    /// - Parameters:
    ///   - scope: the parsed tree the policy's pointers resolve in, for fingerprints.
    ///   - fingerprintsEnvironment: whether fingerprints include the environment (a managed policy of an account
    ///     dump is audited once per environment whose role it is attached to).
    func findings(in policy: Policy, scope: PointerScope?, environment: String?, fingerprintsEnvironment: Bool = false) -> [Finding] {
        let context = RuleContext(environment: environment, design: design)
        var findings: [Finding] = []
        for (rule, violations) in Precedence.apply(to: rules.map { ($0, $0.check(policy, in: context)) }) {
            guard !violations.isEmpty else { continue }
            // Read only for a rule that found something: a description is a dozen strings to retain.
            let description = type(of: rule).description
            for violation in violations {
                var located = violation
                located.span = policy.reportSpan(violation.span)
                if let embedding = policy.embedding, !violation.pointer.hasPrefix(embedding.pointer) {
                    located.pointer = embedding.pointer
                }
                if let label = policy.label { located.message += " (\(label))" }
                findings.append(makeFinding(description, located, file: policy.file, scope: policy.embedding == nil ? scope : nil,
                                            environment: environment, kind: policy.kind,
                                            fingerprintScope: fingerprintsEnvironment ? environment : nil))
            }
        }
        return findings
    }

    /// - Parameter fingerprintScope: text mixed into the fingerprint beside the offending value (the environment
    ///   of a policy audited once per environment), so the findings of each audit stay distinct.
    func makeFinding(_ description: RuleDescription, _ violation: Violation, file: String, scope: PointerScope?,
                     environment: String?, kind: PolicyKind?, fingerprintScope: String? = nil) -> Finding {
        var offending = scope?.resolve(violation.pointer)?.fingerprintText(limit: 4096) ?? violation.message
        if let fingerprintScope { offending += "\u{0}environment \(fingerprintScope)" }
        return Finding(ruleCode: description.code, ruleName: description.name, level: description.level,
                       securitySeverity: description.securitySeverity, message: Finding.clipped(violation.message), file: file,
                       pointer: violation.pointer, span: violation.span, environment: environment, policyKind: kind,
                       fingerprint: Fingerprint.make(rule: description.code, file: file, pointer: violation.pointer, value: offending),
                       witness: violation.witness)
    }

    /// Drops exact repeats (same rule, pointer and message), keeping the first.
    static func deduplicated(_ findings: [Finding]) -> [Finding] {
        guard findings.count > 1 else { return findings }
        struct Key: Hashable {
            var rule: String
            var pointer: JSONPointer
            var message: String

            // Messages run to hundreds of characters and rarely differ where rule and pointer agree: they are
            // compared, not hashed.
            func hash(into hasher: inout Hasher) {
                hasher.combine(rule)
                hasher.combine(pointer)
            }
        }
        var seen = Set<Key>(minimumCapacity: findings.count)
        return findings.filter { seen.insert(Key(rule: $0.ruleCode, pointer: $0.pointer, message: $0.message)).inserted }
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
        return hex(fnv1a(text, seed: 0xcbf2_9ce4_8422_2325)) + hex(fnv1a(text, seed: 0x8422_2325_cbf2_9ce4))
    }

    /// `file` with `.` components and repeated `/` removed, so `./policies/a.json` and `policies//a.json`
    /// fingerprint alike; `-` (standard input) stays as it is.
    public static func stableFile(_ file: String) -> String {
        file == "-" ? file : LexicalPath.normalized(file)
    }

    static func fnv1a(_ text: String, seed: UInt64) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash = seed
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            return hash
        }
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
