import Foundation

/// SplitMix64: a small deterministic generator, so that every run explores the same cases and a failure replays.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}

/// A trust policy over the grammar the properties explore, kept as values so that a failing case can be shrunk
/// and printed as JSON.
struct GeneratedPolicy: CustomStringConvertible {
    enum Principal: String, CaseIterable {
        /// The GitHub provider of the role's account, 111122223333.
        case github
        /// Another account's GitHub provider.
        case githubOtherAccount
        case gitlab
        case everyone
        case anyAWS
        /// `{"Federated": "token.actions.githubusercontent.com"}`: no account.
        case bareIssuer
        /// `{"Federated": "*"}`.
        case anyFederated

        var json: String {
            switch self {
            case .github: #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#
            case .githubOtherAccount: #"{"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"}"#
            case .gitlab: #"{"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}"#
            case .everyone: #""*""#
            case .anyAWS: #"{"AWS": "*"}"#
            case .bareIssuer: #"{"Federated": "token.actions.githubusercontent.com"}"#
            case .anyFederated: #"{"Federated": "*"}"#
            }
        }
    }

    enum Value: Equatable {
        case text(String)
        case number(Int)

        var json: String {
            switch self {
            case .text(let text): GeneratedPolicy.quoted(text)
            case .number(let number): String(number)
            }
        }

        var text: String {
            switch self {
            case .text(let text): text
            case .number(let number): String(number)
            }
        }
    }

    struct Entry {
        var key: String
        var values: [Value]
        var asList: Bool
    }

    struct Block {
        var op: String
        var entries: [Entry]
    }

    struct Statement {
        var effect: String
        var principal: Principal
        var actions: [String]
        var blocks: [Block]
    }

    var version: String?
    var statementAsObject: Bool
    var statements: [Statement]

    var json: String {
        var lines: [String] = []
        for statement in statements {
            let actions = statement.actions.count == 1
                ? Self.quoted(statement.actions[0]) : "[" + statement.actions.map(Self.quoted).joined(separator: ", ") + "]"
            var text = #"{"Effect": "\#(statement.effect)", "Principal": \#(statement.principal.json), "Action": \#(actions)"#
            if !statement.blocks.isEmpty {
                let blocks = statement.blocks.map { block in
                    let entries = block.entries.map { entry in
                        let values = entry.asList || entry.values.count != 1
                            ? "[" + entry.values.map(\.json).joined(separator: ", ") + "]" : entry.values[0].json
                        return "\(Self.quoted(entry.key)): \(values)"
                    }
                    return "\(Self.quoted(block.op)): {\(entries.joined(separator: ", "))}"
                }
                text += #", "Condition": {"# + blocks.joined(separator: ", ") + "}"
            }
            lines.append(text + "}")
        }
        let version = self.version.map { #""Version": "\#($0)", "# } ?? ""
        if statementAsObject, statements.count == 1 {
            return "{\(version)\"Statement\": \(lines[0])}"
        }
        return "{\(version)\"Statement\": [\n  " + lines.joined(separator: ",\n  ") + "\n]}"
    }

    var description: String { json }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Smaller policies than this one, most promising first, for shrinking a failing case.
    var simplifications: [GeneratedPolicy] {
        var out: [GeneratedPolicy] = []
        if statements.count > 1 {
            for index in statements.indices {
                var copy = self
                copy.statements.remove(at: index)
                out.append(copy)
            }
        }
        for (s, statement) in statements.enumerated() {
            for b in statement.blocks.indices {
                var copy = self
                copy.statements[s].blocks.remove(at: b)
                out.append(copy)
            }
            for (b, block) in statement.blocks.enumerated() where block.entries.count > 1 {
                for e in block.entries.indices {
                    var copy = self
                    copy.statements[s].blocks[b].entries.remove(at: e)
                    out.append(copy)
                }
            }
            for (b, block) in statement.blocks.enumerated() {
                for (e, entry) in block.entries.enumerated() where entry.values.count > 1 {
                    let half = entry.values.count / 2
                    for part in [Array(entry.values[..<half]), Array(entry.values[half...])] {
                        var copy = self
                        copy.statements[s].blocks[b].entries[e].values = part
                        out.append(copy)
                    }
                    if entry.values.count <= 8 {
                        for v in entry.values.indices {
                            var copy = self
                            copy.statements[s].blocks[b].entries[e].values.remove(at: v)
                            out.append(copy)
                        }
                    }
                }
            }
            if statement.actions != ["sts:AssumeRoleWithWebIdentity"] {
                var copy = self
                copy.statements[s].actions = ["sts:AssumeRoleWithWebIdentity"]
                out.append(copy)
            }
        }
        if version != "2012-10-17" {
            var copy = self
            copy.version = "2012-10-17"
            out.append(copy)
        }
        return out
    }
}

/// Random trust policies and tokens over the grammar of issue 15's property test: Allow and Deny statements; the
/// GitHub provider of account 111122223333, another account's, GitLab's, `"*"` and `{"AWS": "*"}` (and, rarely,
/// `Federated` values without an account); three actions; every string operator with `IfExists`, `ForAnyValue:`,
/// `ForAllValues:` and `Null`; the exposed claims and an unexposed one; wildcards, policy variables, keys twice
/// with different case, and lists of up to 300 values. Every value is ASCII.
enum TrustPolicyGenerator {
    static let issuer = "token.actions.githubusercontent.com"
    static let owner = "acme"
    /// The claims conditions test: those AWS exposes, and `event_name`, which it does not.
    static let claims = ["sub", "aud", "job_workflow_ref", "repository", "repository_id", "ref", "environment", "actor",
                         "workflow", "event_name"]

    /// Literal condition values per claim: pins, wildcards, variables.
    static let pools: [String: [String]] = [
        "sub": [
            "repo:acme/app:ref:refs/heads/main", "repo:acme/app:environment:prod", "repo:acme/app:pull_request",
            "repo:acme/app:ref:refs/tags/v1.2.3", "repo:acme/*", "repo:acme/app:*", "repo:acme/app:ref:refs/heads/*",
            "repo:acme/app:ref:refs/heads/release-?", "repo:acme/*:environment:prod", "repo:*", "*", "*:pull_request",
            "repo:acme/app*", "repo:acme@1234/app@5678:ref:refs/heads/main", "repo:*/app:*", "*dependabot*",
            "repo:acme/app:ref:refs/heads/main*", "repo:ACME/App:ref:refs/heads/main", "repo:acme/app:environment:pro?",
            "repo:acme/app:environment:*", "repo:acme/app:ref:refs/heads/????????????????",
            "repo:${token.actions.githubusercontent.com:repository}:ref:refs/heads/main",
            "repo:acme/app:environment:${token.actions.githubusercontent.com:environment}",
            "repo:acme/app:ref:${token.actions.githubusercontent.com:ref, 'refs/heads/main'}",
            "repo:acme/app:ref:refs/heads/${*}", "repo:${aws:username}/*", "repo:acme/${Token.Actions.GitHubUserContent.com:Actor}:*",
        ],
        "aud": ["sts.amazonaws.com", "https://github.com/acme", "sts.*", "*", "STS.amazonaws.com"],
        "job_workflow_ref": [
            "acme/shared/.github/workflows/deploy.yml@refs/heads/main", "acme/shared/.github/workflows/deploy.yml@*", "acme/*",
            "acme*", "*/shared/.github/workflows/*@*", "acme/app/.github/workflows/*",
            "acme/shared/.github/workflows/deploy.yml@0123456789abcdef0123456789abcdef01234567",
            "${token.actions.githubusercontent.com:repository}/.github/workflows/deploy.yml@refs/heads/main",
        ],
        "repository": ["acme/app", "acme/*", "acme/app?", "ACME/APP", "*/app"],
        "repository_id": ["123456789", "12345678?", "1*"],
        "ref": ["refs/heads/main", "refs/heads/*", "refs/tags/v*", "refs/heads/release/??", "refs/pull/*"],
        "environment": ["prod", "dev", "pro*", "Prod", "${token.actions.githubusercontent.com:ref}"],
        "actor": ["octocat", "dependabot[bot]", "*bot*", "octo?at"],
        "workflow": ["Deploy", "CI *", "deploy"],
        "event_name": ["push", "pull_request_target"],
    ]

    static let stringOperators = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
                                  "StringLike", "StringNotLike"]

    static func policy(_ rng: inout SeededGenerator) -> GeneratedPolicy {
        let count = rng.pick([1, 1, 2, 2, 2, 3, 3, 4])
        var statements: [GeneratedPolicy.Statement] = []
        for index in 0..<count {
            let effect = index == 0 ? (rng.chance(0.9) ? "Allow" : "Deny") : (rng.chance(0.55) ? "Allow" : "Deny")
            statements.append(statement(effect: effect, &rng))
        }
        let version = rng.chance(0.9) ? "2012-10-17" : rng.pick([nil, "2008-10-17"])
        return GeneratedPolicy(version: version, statementAsObject: rng.chance(0.1), statements: statements)
    }

    static func statement(effect: String, _ rng: inout SeededGenerator) -> GeneratedPolicy.Statement {
        let roll = rng.int(0...99)
        let principal: GeneratedPolicy.Principal = switch roll {
        case 0..<52: .github
        case 52..<62: .githubOtherAccount
        case 62..<72: .gitlab
        case 72..<82: .everyone
        case 82..<93: .anyAWS
        case 93..<97: .bareIssuer
        default: .anyFederated
        }
        let actionRoll = rng.int(0...99)
        let actions: [String] = switch actionRoll {
        case 0..<70: ["sts:AssumeRoleWithWebIdentity"]
        case 70..<80: ["sts:AssumeRole"]
        case 80..<90: ["sts:*"]
        case 90..<95: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]
        default: ["sts:assumerolewithwebidentity"]
        }
        var blocks: [GeneratedPolicy.Block] = []
        for _ in 0..<rng.pick([0, 1, 1, 1, 2, 2, 3]) {
            let block = self.block(&rng)
            if !blocks.contains(where: { $0.op == block.op }) { blocks.append(block) }
        }
        return GeneratedPolicy.Statement(effect: effect, principal: principal, actions: actions, blocks: blocks)
    }

    static func block(_ rng: inout SeededGenerator) -> GeneratedPolicy.Block {
        let op: String
        if rng.chance(0.1) {
            op = "Null"
        } else {
            var name = rng.pick(stringOperators)
            if rng.chance(0.2) { name += "IfExists" }
            if rng.chance(0.15) { name = rng.pick(["ForAnyValue:", "ForAllValues:"]) + name }
            op = name
        }
        var entries: [GeneratedPolicy.Entry] = []
        for _ in 0..<rng.pick([1, 1, 1, 2, 2, 3]) {
            let claim = rng.pick(claims)
            let entry = self.entry(claim: claim, null: op == "Null", &rng)
            guard !entries.contains(where: { $0.key == entry.key }) else { continue }
            entries.append(entry)
            // The same key again with different case, and other values.
            if rng.chance(0.06) {
                var twin = self.entry(claim: claim, null: op == "Null", &rng)
                twin.key = entry.key.uppercased() == entry.key ? entry.key.lowercased() : entry.key.uppercased()
                if !entries.contains(where: { $0.key == twin.key }) { entries.append(twin) }
            }
        }
        return GeneratedPolicy.Block(op: op, entries: entries)
    }

    static func key(for claim: String, _ rng: inout SeededGenerator) -> String {
        let roll = rng.int(0...99)
        switch roll {
        case 0..<6: return "Token.Actions.GitHubUserContent.com:\(claim)"
        case 6..<10: return "\(issuer):\(claim.uppercased())"
        case 10..<12: return "\(issuer)/acme:\(claim)"
        case 12..<14: return "gitlab.com:\(claim)"
        default: return "\(issuer):\(claim)"
        }
    }

    static func entry(claim: String, null: Bool, _ rng: inout SeededGenerator) -> GeneratedPolicy.Entry {
        let key = self.key(for: claim, &rng)
        if null {
            let values: [GeneratedPolicy.Value] = rng.chance(0.05) ? [.text("true"), .text("false")] : [.text(rng.pick(["true", "false"]))]
            return GeneratedPolicy.Entry(key: key, values: values, asList: values.count > 1)
        }
        var values: [GeneratedPolicy.Value] = []
        let roll = rng.int(0...99)
        if roll < 3 {
            // A long list: a realistic deny or allow list of hundreds of values.
            let count = rng.int(20...300)
            for index in 0..<count { values.append(.text(longListValue(claim: claim, index: index, &rng))) }
        } else {
            let count = roll < 55 ? 1 : rng.int(2...4)
            for _ in 0..<count { values.append(value(claim: claim, &rng)) }
        }
        return GeneratedPolicy.Entry(key: key, values: values, asList: values.count > 1 || rng.chance(0.2))
    }

    static func longListValue(claim: String, index: Int, _ rng: inout SeededGenerator) -> String {
        let wildcard = rng.chance(0.3) ? rng.pick(["*", "?"]) : ""
        switch claim {
        case "sub": return "repo:acme/app:ref:refs/heads/feature-\(index)\(wildcard)"
        case "ref": return "refs/heads/feature-\(index)\(wildcard)"
        case "actor": return "user-\(index)\(wildcard)"
        case "job_workflow_ref": return "acme/shared/.github/workflows/job-\(index).yml@refs/heads/main\(wildcard)"
        case "repository": return "acme/app-\(index)\(wildcard)"
        case "repository_id": return "\(100_000 + index)\(wildcard)"
        default: return "\(claim)-\(index)\(wildcard)"
        }
    }

    static func value(claim: String, _ rng: inout SeededGenerator) -> GeneratedPolicy.Value {
        if claim == "repository_id", rng.chance(0.2) { return .number(123_456_789) }
        var text = rng.pick(pools[claim] ?? ["x"])
        if rng.chance(0.15) { text = mutated(text, &rng) }
        return .text(text)
    }

    /// `text` with one character inserted, replaced or removed (never inside a `${…}`).
    static func mutated(_ text: String, _ rng: inout SeededGenerator) -> String {
        guard !text.contains("${") else { return text }
        var scalars = Array(text.unicodeScalars)
        let position = rng.int(0...scalars.count)
        let character = rng.pick(Array("*?aZ-/:.".unicodeScalars))
        switch rng.int(0...2) {
        case 0: scalars.insert(character, at: position)
        case 1 where position < scalars.count: scalars[position] = character
        default: if position < scalars.count { scalars.remove(at: position) }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    // MARK: Tokens

    /// A token: a run of some repository (the policy owner's, a look-alike's, a stranger's), with claims replaced by
    /// instances of the policy's own literals, dropped, or recased.
    static func token(for policy: GeneratedPolicy, _ rng: inout SeededGenerator) -> ReferenceTrustEvaluator.Token {
        let literals = self.literals(policy)
        var claims = run(owner: rng.pick(["acme", "acme", "stranger", "acme-evil", "ACME"]), repository: rng.pick(["app", "app", "other", "x"]),
                         &rng)
        for claim in Self.claims {
            if let values = literals[claim], !values.isEmpty, rng.chance(0.45) {
                claims[claim] = instance(of: rng.pick(values), &rng)
            }
            if claim != "aud", rng.chance(0.1) { claims.removeValue(forKey: claim) }
        }
        if rng.chance(0.05), let sub = claims["sub"] { claims["sub"] = sub.uppercased() }
        let issuer = rng.chance(0.94) ? self.issuer : rng.pick(["\(self.issuer)/acme", "ghe.example.com/_services/token"])
        return ReferenceTrustEvaluator.Token(issuer: issuer, claims: claims)
    }

    /// The claims GitHub gives a run of `owner/repository` (default subject template).
    static func run(owner: String, repository: String, _ rng: inout SeededGenerator) -> [String: String] {
        let name = "\(owner)/\(repository)"
        var claims: [String: String] = [
            "aud": rng.chance(0.85) ? "sts.amazonaws.com" : rng.pick(["https://github.com/\(owner)", "sts.amazonaws.com.evil"]),
            "repository": name,
            "repository_id": owner == "acme" ? "123456789" : "987654321",
            "actor": rng.pick(["octocat", "dependabot[bot]", "mallory"]),
            "actor_id": "583231",
            "workflow": rng.pick(["Deploy", "CI build", "deploy"]),
            "event_name": rng.pick(["push", "pull_request", "workflow_dispatch"]),
        ]
        let ref = rng.pick(["refs/heads/main", "refs/heads/dev", "refs/tags/v1.2.3", "refs/heads/release-1", "refs/heads/feature-7"])
        switch rng.int(0...3) {
        case 0:
            claims["ref"] = "refs/pull/7/merge"
            claims["sub"] = "repo:\(name):pull_request"
            claims["event_name"] = "pull_request"
        case 1:
            let environment = rng.pick(["prod", "dev", "Prod"])
            claims["ref"] = ref
            claims["environment"] = environment
            claims["sub"] = "repo:\(name):environment:\(environment)"
        default:
            claims["ref"] = ref
            claims["sub"] = "repo:\(name):ref:\(ref)"
        }
        claims["job_workflow_ref"] = rng.chance(0.7)
            ? "\(name)/.github/workflows/deploy.yml@\(claims["ref"] ?? ref)"
            : "acme/shared/.github/workflows/deploy.yml@refs/heads/main"
        return claims
    }

    /// The literal values the policy writes for each claim, by lowercased claim name.
    static func literals(_ policy: GeneratedPolicy) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for statement in policy.statements {
            for block in statement.blocks where block.op != "Null" {
                for entry in block.entries {
                    guard let colon = entry.key.lastIndex(of: ":") else { continue }
                    let claim = entry.key[entry.key.index(after: colon)...].lowercased()
                    out[claim, default: []].append(contentsOf: entry.values.prefix(20).map(\.text))
                }
            }
        }
        return out
    }

    /// A string `pattern` matches (or nearly does): wildcards filled, variables replaced, sometimes recased.
    static func instance(of pattern: String, _ rng: inout SeededGenerator) -> String {
        var out = ""
        var scalars = Array(pattern.unicodeScalars)[...]
        while let scalar = scalars.first {
            if scalar == "$", scalars.dropFirst().first == "{", let close = scalars.firstIndex(of: "}") {
                out += rng.pick(["acme/app", "refs/heads/main", "prod", "*", ""])
                scalars = scalars[(close + 1)...]
                continue
            }
            switch scalar {
            case "*": out += rng.pick(["", "x", "main", "acme/app", "stranger/x:ref:refs/heads/main", ":pull_request", "*"])
            case "?": out += rng.pick(["1", "a", "?", "/"])
            default: out.unicodeScalars.append(scalar)
            }
            scalars = scalars.dropFirst()
        }
        if rng.chance(0.05) { out = out.uppercased() }
        return out
    }

    /// Tokens of a stranger's runs: an owner written nowhere in the policy, any ref, environment, actor and workflow,
    /// and a `job_workflow_ref` that is the stranger's own workflow or any public reusable workflow (the policy
    /// owner's among them), each taken from the policy's literals or made up.
    static func strangerTokens(for policy: GeneratedPolicy, count: Int, _ rng: inout SeededGenerator) -> [ReferenceTrustEvaluator.Token] {
        let literals = self.literals(policy)
        /// An instance of one of the policy's literals for `claim` that a stranger's run can carry, else a fallback.
        func some(_ claim: String, shaped shape: String, or fallback: [String]) -> String {
            if let values = literals[claim], !values.isEmpty, rng.chance(0.6) {
                let candidate = instance(of: rng.pick(values), &rng)
                if candidate.range(of: shape, options: .regularExpression) != nil { return candidate }
            }
            return rng.pick(fallback)
        }
        var tokens: [ReferenceTrustEvaluator.Token] = []
        for _ in 0..<count {
            let repository = rng.pick(["x", "app"])
            let name = "stranger/\(repository)"
            var claims: [String: String] = [
                "aud": some("aud", shaped: "^.+$", or: ["sts.amazonaws.com"]),
                "repository": name,
                "repository_id": "987654321",
                "actor": some("actor", shaped: #"^[A-Za-z0-9-]+(\[bot\])?$"#, or: ["mallory", "octocat"]),
                "actor_id": "999999",
                "workflow": some("workflow", shaped: "^.+$", or: ["Deploy", "x"]),
            ]
            let ref = some("ref", shaped: #"^refs/(heads|tags)/[A-Za-z0-9._/-]+$"#, or: ["refs/heads/main", "refs/tags/v1", "refs/heads/dev"])
            switch rng.int(0...3) {
            case 0:
                claims["ref"] = "refs/pull/1/merge"
                claims["sub"] = "repo:\(name):pull_request"
            case 1:
                let environment = some("environment", shaped: #"^[A-Za-z0-9._ -]+$"#, or: ["prod", "dev"])
                claims["ref"] = ref
                claims["environment"] = environment
                claims["sub"] = "repo:\(name):environment:\(environment)"
            default:
                claims["ref"] = ref
                claims["sub"] = "repo:\(name):ref:\(ref)"
            }
            claims["job_workflow_ref"] = rng.chance(0.5)
                ? "\(name)/.github/workflows/deploy.yml@\(claims["ref"] ?? ref)"
                : some("job_workflow_ref", shaped: #"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+/\.github/workflows/[A-Za-z0-9._-]+@[A-Za-z0-9._/-]+$"#,
                       or: ["acme/shared/.github/workflows/deploy.yml@refs/heads/main"])
            tokens.append(ReferenceTrustEvaluator.Token(issuer: issuer, claims: claims))
        }
        return tokens
    }

    /// Smaller tokens than `token` (one claim dropped; `aud` is kept, as every token has one).
    static func simplifications(of token: ReferenceTrustEvaluator.Token) -> [ReferenceTrustEvaluator.Token] {
        token.claims.keys.sorted().filter { $0 != "aud" }.map { claim in
            var copy = token
            copy.claims.removeValue(forKey: claim)
            return copy
        }
    }
}
