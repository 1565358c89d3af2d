import IAMPolicy

/// How each `Resource` value of a permission policy's Allow statements sits in the design's resource scope
/// (`docs/design-file.md`): inside its environment's scope, outside it, reaching into another environment's
/// scope, or in another partition, account or region than the design's.
///
/// Scopes are compared as ARN pattern languages, segment-aware: a `*` in one of the first
/// five `:`-separated fields never crosses into the next (``ARNPattern/Context/condition``), so
/// `arn:aws:logs:*:111122223333:log-group:/aws/lambda/app-*` reaches other regions, not other resources. Only a
/// value with fewer than six fields, whose last `*` must cross to mean anything (`arn:aws:lambda:*`), is read
/// with IAM's `Resource` rule that a field-final `*` may cross. A value is inside the scope when every ARN it
/// matches, some scope pattern matches too. A value's service is its ARN's service field; a value
/// whose service field holds a wildcard is weighed against every scoped service it can reach. A value that names
/// every resource (`*`, `arn:aws:*:*:*:*`) is left to ``WildcardScopeReview`` and the least-privilege rules, and
/// services the design does not scope to the design-free rules.
///
/// Each value gets at most one verdict, the most specific: another environment's scope, then outside the
/// scope, then another partition, account or region.
struct ResourceScopeReview: Sendable {
    enum Verdict: Sendable {
        /// Outside the environment's scope for `service`; `example` is an ARN the value matches outside it.
        case outsideScope(service: String, scope: [String], example: String)
        /// Outside the environment's scope for `service` and inside environment `other`'s; `example` is an
        /// ARN of the other scope the value matches.
        case otherEnvironmentScope(service: String, scope: [String], other: String, example: String)
        /// Within the scope (or of an unscoped service), but naming another partition, account or region.
        case otherLocation([LocationMismatch])
    }

    /// One ARN field that names something other than the design's value.
    struct LocationMismatch: Sendable, Hashable {
        /// `partition`, `region` or `account`.
        var field: String
        var value: String
        var expected: String
    }

    struct Item: Sendable {
        var value: Located<String>
        var verdict: Verdict
    }

    var items: [Item]

    private static let analysisKey = AnalysisKey<ResourceScopeReview>("ResourceScopeReview")

    /// The review of `policy` in `placement`, computed once per policy (the design and the environment are the
    /// run's and the file's). Trust policies have no resources to review.
    static func of(_ policy: Policy, placement: DesignPlacement) -> ResourceScopeReview {
        policy.analyses.value(analysisKey) { ResourceScopeReview(policy, placement: placement) }
    }

    init(_ policy: Policy, placement: DesignPlacement) {
        guard policy.kind != .trust else {
            items = []
            return
        }
        let resolvesVariables = policy.document.version?.value != "2008-10-17"
        var scopes = ScopeLanguages(placement: placement)
        var items: [Item] = []
        for statement in policy.document.statements where statement.isAllow {
            // A value that names every resource is the question of the rules that weigh the statement's actions
            // (``WildcardScopeReview``, the least-privilege rules).
            for value in statement.resource?.items ?? [] where !PermissionStatement.namesEveryResource(value.value) {
                guard let pattern = Self.pattern(value.value, resolvesVariables: resolvesVariables), !pattern.matchesEveryARN else { continue }
                if let verdict = scopes.verdict(for: pattern) {
                    items.append(Item(value: value, verdict: verdict))
                } else {
                    let mismatches = Self.locationMismatches(pattern, design: placement.design)
                    if !mismatches.isEmpty { items.append(Item(value: value, verdict: .otherLocation(mismatches))) }
                }
            }
        }
        self.items = items
    }

    /// `text` as an ARN pattern, segment-aware; in the `Resource` context only when it has fewer than six fields.
    static func pattern(_ text: String, resolvesVariables: Bool = true) -> ARNPattern? {
        ARNPattern(text, context: .condition, resolvesVariables: resolvesVariables)
            ?? ARNPattern(text, context: .resource, resolvesVariables: resolvesVariables)
    }

    /// The fields of `pattern` that cannot name the design's partition, region or account. An empty field
    /// (a global resource, an S3 bucket), a wildcard that covers the design's value, and the account `aws`
    /// (resources AWS owns, such as the SAM transform or managed policies) are not mismatches.
    static func locationMismatches(_ pattern: ARNPattern, design: Design) -> [LocationMismatch] {
        let fields = pattern.fields
        var mismatches: [LocationMismatch] = []
        func check(_ index: Int, _ name: String, expected: String?, skipping: Set<String> = []) {
            // With fewer than six fields the last one may stand for several: only the ones before it are known.
            guard let expected, index < (fields.count == 6 ? 5 : fields.count - 1) else { return }
            let field = fields[index]
            guard !field.source.isEmpty, !skipping.contains(field.source), !field.matches(expected) else { return }
            mismatches.append(LocationMismatch(field: name, value: field.source, expected: expected))
        }
        check(1, "partition", expected: design.partition)
        check(3, "region", expected: design.region)
        check(4, "account", expected: design.account, skipping: ["aws"])
        return mismatches
    }
}

/// The scope of each environment per service as ARN languages, built once and reused across values.
private struct ScopeLanguages {
    let placement: DesignPlacement
    let own: [String: [String]]
    let others: [(name: String, patterns: [String: [String]])]
    private var cache: [String: PatternSet] = [:]

    init(placement: DesignPlacement) {
        self.placement = placement
        own = placement.design.resourcePatterns(for: placement.environment)
        others = placement.otherEnvironments.map { ($0.name, placement.design.resourcePatterns(for: $0)) }
    }

    /// The verdict on a value of the policy, or nil when it lies inside the environment's scope for every
    /// scoped service it can reach (or reaches none).
    mutating func verdict(for pattern: ARNPattern) -> ResourceScopeReview.Verdict? {
        let services: [String]
        // The service field is known when written without wildcards and followed by further fields.
        let literalService = pattern.fields.count > 3 ? pattern.fields[2].literalValue : nil
        if let literalService {
            guard own[literalService] != nil else { return nil }
            services = [literalService]
        } else {
            services = own.keys.sorted()
        }
        let value = pattern.language
        var outside: ResourceScopeReview.Verdict?
        for service in services {
            let reached = literalService != nil ? value : value.intersection(Self.serviceLanguage(service))
            guard !reached.isEmpty, let scope = own[service] else { continue }
            let beyond = reached.subtracting(language(environment: placement.environment.name, service: service, patterns: scope))
            guard !beyond.isEmpty else { continue }
            for other in others {
                guard let patterns = other.patterns[service] else { continue }
                let into = beyond.intersection(language(environment: other.name, service: service, patterns: patterns))
                if let example = Self.example(in: into) {
                    return .otherEnvironmentScope(service: service, scope: scope, other: other.name, example: example)
                }
            }
            if outside == nil {
                outside = .outsideScope(service: service, scope: scope, example: Self.example(in: beyond) ?? pattern.source)
            }
        }
        return outside
    }

    private mutating func language(environment: String, service: String, patterns: [String]) -> PatternSet {
        let key = environment + "\u{0}" + service
        if let cached = cache[key] { return cached }
        let language = ARNPattern.language(anyOf: patterns.compactMap { ResourceScopeReview.pattern($0) })
        cache[key] = language
        return language
    }

    /// A short ARN of `set` for a message, preferring one where no name part is left empty: `function:legacy-x`
    /// rather than `function:legacy-`, `deploy-x-queue-dev` rather than `deploy--queue-dev`.
    static func example(in set: PatternSet) -> String? {
        let readable = set.subtracting(danglingHyphens)
        return readable.shortestWitness() ?? set.shortestWitness()
    }

    /// Strings with a hyphen that ends them, ends a `:`- or `/`-separated part, or doubles.
    private static let danglingHyphens = PatternSet(anyOf: ["*-", "*--*", "*-:*", "*-/*"].map { StringPattern($0, matching: .wildcard) })

    /// Every ARN of `service`.
    private static func serviceLanguage(_ service: String) -> PatternSet {
        let escaped = GitHubSubjectVocabulary.escaped(service)
        return ARNPattern("arn:*:\(escaped):*:*:*", context: .condition)?.language ?? .all
    }
}
