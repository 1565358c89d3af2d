import Foundation

/// A regular set of strings built from wildcard patterns, closed under union, intersection and complement.
///
/// It answers the questions the audit asks of a policy: which `sub` values a trust policy admits, whether
/// that set lies inside the design's allowed set, whether two roles admit a common subject, and which
/// string shows it. Strings are sequences of Unicode scalars; the complement is taken relative to all
/// strings.
///
/// Representation: a minimal complete deterministic automaton over a finite partition of the scalars (each
/// literal of the patterns involved, plus one symbol for *any other scalar*; case-insensitive patterns add
/// the classes of scalars folding to their literals). Combining two sets first moves both onto the
/// partition of their union, so sets built from different patterns combine exactly.
///
/// Bounds: no automaton may exceed ``stateLimit`` states (``defaultStateLimit``, 20,000). An operation that
/// would returns the set of *all* strings instead, with ``precision`` `.superset` and
/// ``exceededStateLimit`` set, so that "is it inside …?" questions fail safe. Patterns of policy values are
/// short and stay far below the limit; `*a????????????????????` is the kind of pattern that does not.
public struct PatternSet: Sendable, CustomStringConvertible {
    /// How a computed set relates to the set IAM would match.
    public enum Precision: Sendable, Hashable {
        /// The set is exact.
        case exact
        /// The set holds every string of the exact set, maybe more (policy variables, state limit).
        case superset
        /// The exact set holds every string of this set, maybe more (the complement of a superset).
        case subset
        /// Neither is known (a superset combined with a subset).
        case unknown

        /// The precision of a union or intersection of sets with these precisions.
        func combined(with other: Precision) -> Precision {
            switch (self, other) {
            case (.exact, let other), (let other, .exact): other
            case (.superset, .superset): .superset
            case (.subset, .subset): .subset
            default: .unknown
            }
        }

        /// The precision of the complement.
        var complemented: Precision {
            switch self {
            case .exact: .exact
            case .superset: .subset
            case .subset: .superset
            case .unknown: .unknown
            }
        }
    }

    /// The largest automaton an operation builds by default.
    public static let defaultStateLimit = 20_000

    let alphabet: SymbolAlphabet
    let automaton: DFA
    /// How this set relates to the exact one.
    public let precision: Precision
    /// Whether an operation leading to this set exceeded the state limit and fell back to all strings.
    public let exceededStateLimit: Bool
    /// The largest automaton operations on this set build.
    public let stateLimit: Int

    /// A hash of the whole value, made once, for the memo tables (see `PatternSetMemo`).
    let contentHash: Int

    init(alphabet: SymbolAlphabet, automaton: DFA, precision: Precision, exceededStateLimit: Bool, stateLimit: Int) {
        self.alphabet = alphabet
        self.automaton = automaton
        self.precision = precision
        self.exceededStateLimit = exceededStateLimit
        self.stateLimit = stateLimit
        var hasher = Hasher()
        hasher.combine(alphabet.contentHash)
        hasher.combine(automaton.fingerprint)
        hasher.combine(precision)
        hasher.combine(exceededStateLimit)
        hasher.combine(stateLimit)
        contentHash = hasher.finalize()
    }

    /// The strings matching any of `globs`.
    init(globs: [Glob], precision: Precision, stateLimit: Int = PatternSet.defaultStateLimit) {
        let key = PatternSetMemo.BuildKey(globs: globs, precision: precision, stateLimit: stateLimit)
        if let known = PatternSetMemo.shared.built(key) {
            self = known
            return
        }
        self.init(building: globs, precision: precision, stateLimit: stateLimit)
        PatternSetMemo.shared.store(self, built: key)
    }

    private init(building globs: [Glob], precision: Precision, stateLimit: Int) {
        var raw: Set<Unicode.Scalar> = []
        var folded: Set<Unicode.Scalar> = []
        for glob in globs {
            if glob.ignoresCase { folded.formUnion(glob.literals) } else { raw.formUnion(glob.literals) }
            raw.formUnion(glob.excluded)
        }
        let alphabet = SymbolAlphabet(raw: raw, folded: folded)
        if let automaton = DFA.union(of: globs, alphabet: alphabet, limit: stateLimit) {
            self.init(alphabet: alphabet, automaton: automaton.minimized(), precision: precision,
                      exceededStateLimit: false, stateLimit: stateLimit)
        } else {
            self.init(alphabet: alphabet, automaton: .constant(true, symbolCount: alphabet.count), precision: .superset,
                      exceededStateLimit: true, stateLimit: stateLimit)
        }
    }

    /// The strings `pattern` matches (a superset when it holds policy variables).
    public init(_ pattern: StringPattern, stateLimit: Int = PatternSet.defaultStateLimit) {
        self.init(anyOf: [pattern], stateLimit: stateLimit)
    }

    /// The strings any of `patterns` matches, as a condition with several values does.
    public init(anyOf patterns: some Sequence<StringPattern>, stateLimit: Int = PatternSet.defaultStateLimit) {
        let patterns = Array(patterns)
        self.init(globs: patterns.map(\.glob), precision: patterns.contains(where: \.containsVariables) ? .superset : .exact,
                  stateLimit: stateLimit)
    }

    /// The set holding exactly `string`.
    public init(literal string: String) {
        self.init(StringPattern.literal(string))
    }

    /// The empty set.
    public static let empty = PatternSet(alphabet: .trivial, automaton: .constant(false, symbolCount: 1), precision: .exact,
                                         exceededStateLimit: false, stateLimit: defaultStateLimit)

    /// The set of all strings.
    public static let all = PatternSet(alphabet: .trivial, automaton: .constant(true, symbolCount: 1), precision: .exact,
                                       exceededStateLimit: false, stateLimit: defaultStateLimit)

    public var description: String {
        if isEmpty { return "PatternSet(empty)" }
        if isUniversal { return "PatternSet(all strings)" }
        return "PatternSet(\(automaton.stateCount) states over \(alphabet.count) symbols, e.g. '\(shortestWitness() ?? "")')"
    }

    /// The number of states of the minimal automaton.
    public var stateCount: Int { automaton.stateCount }

    // MARK: Operations

    /// The strings in either set.
    public func union(_ other: PatternSet) -> PatternSet { combine(other, .union) }

    /// The strings in both sets.
    public func intersection(_ other: PatternSet) -> PatternSet { combine(other, .intersection) }

    /// The strings in this set and not in `other`.
    public func subtracting(_ other: PatternSet) -> PatternSet {
        combine(other, .subtraction, precision: precision.combined(with: other.precision.complemented))
    }

    /// The strings in exactly one of the sets.
    public func symmetricDifference(_ other: PatternSet) -> PatternSet {
        combine(other, .symmetricDifference, precision: precision == .exact && other.precision == .exact ? .exact : .unknown)
    }

    /// Every string not in this set.
    public func complement() -> PatternSet {
        PatternSet(alphabet: alphabet, automaton: automaton.complemented(), precision: precision.complemented,
                   exceededStateLimit: exceededStateLimit, stateLimit: stateLimit)
    }

    /// The union of `sets` (the empty set when there is none).
    public static func union(of sets: some Sequence<PatternSet>) -> PatternSet {
        sets.reduce(PatternSet.empty) { $0.union($1) }
    }

    /// The intersection of `sets` (all strings when there is none).
    public static func intersection(of sets: some Sequence<PatternSet>) -> PatternSet {
        sets.reduce(PatternSet.all) { $0.intersection($1) }
    }

    /// How `combine` joins membership in the two sets.
    enum Operation: Hashable {
        case union, intersection, subtraction, symmetricDifference

        func accepts(_ lhs: Bool, _ rhs: Bool) -> Bool {
            switch self {
            case .union: lhs || rhs
            case .intersection: lhs && rhs
            case .subtraction: lhs && !rhs
            case .symmetricDifference: lhs != rhs
            }
        }
    }

    /// Whether the set is decided without its automaton: one state, accepting (all strings) or not (none).
    private var constant: Bool? { automaton.stateCount == 1 ? automaton.accepting[0] : nil }

    private func combine(_ other: PatternSet, _ operation: Operation, precision: Precision? = nil) -> PatternSet {
        // An operand that is all strings or none decides without a product (a Deny's subjects start as all strings).
        if !exceededStateLimit, !other.exceededStateLimit, self.precision == .exact, other.precision == .exact {
            switch (operation, constant, other.constant) {
            case (.intersection, true, _), (.union, false, _): return other
            case (.intersection, _, true), (.union, _, false), (.subtraction, _, false): return self
            case (.intersection, false, _), (.subtraction, false, _): return self
            case (.intersection, _, false): return other
            default: break
            }
        }
        let key = PatternSetMemo.CombineKey(lhs: PatternSetMemo.Content(self), rhs: PatternSetMemo.Content(other),
                                            operation: operation, precision: precision)
        if let known = PatternSetMemo.shared.combined(key) { return known }
        let result = combining(other, precision: precision, operation.accepts)
        PatternSetMemo.shared.store(result, combined: key)
        return result
    }

    private func combining(_ other: PatternSet, precision: Precision?, _ accept: (Bool, Bool) -> Bool) -> PatternSet {
        let alphabet = self.alphabet.merged(with: other.alphabet)
        let limit = min(stateLimit, other.stateLimit)
        let lhs = automaton.refined(alphabet.mapping(to: self.alphabet))
        let rhs = other.automaton.refined(alphabet.mapping(to: other.alphabet))
        let exceeded = exceededStateLimit || other.exceededStateLimit
        guard let product = DFA.product(lhs, rhs, limit: limit, accept: accept) else {
            return PatternSet(alphabet: alphabet, automaton: .constant(true, symbolCount: alphabet.count), precision: .superset,
                              exceededStateLimit: true, stateLimit: limit)
        }
        return PatternSet(alphabet: alphabet, automaton: product.minimized(),
                          precision: precision ?? self.precision.combined(with: other.precision),
                          exceededStateLimit: exceeded, stateLimit: limit)
    }

    // MARK: Questions

    /// Whether the set holds no string.
    public var isEmpty: Bool { automaton.isEmpty }

    /// Whether the set holds every string.
    public var isUniversal: Bool { automaton.complemented().isEmpty }

    /// Whether `string` is in the set.
    public func contains(_ string: String) -> Bool {
        var state = 0
        for scalar in string.unicodeScalars { state = automaton.step(state, alphabet.symbol(of: scalar)) }
        return automaton.accepting[state]
    }

    /// Whether every string of this set is in `other`.
    public func isSubset(of other: PatternSet) -> Bool { subtracting(other).isEmpty }

    /// Whether the sets share a string.
    public func overlaps(_ other: PatternSet) -> Bool { !intersection(other).isEmpty }

    /// Whether the sets hold the same strings.
    public func isEquivalent(to other: PatternSet) -> Bool { symmetricDifference(other).isEmpty }

    /// A shortest member, or nil when the set is empty (`repo:acme/` for `repo:acme/*` minus `repo:acme/app:*`).
    ///
    /// Deterministic: among shortest members, the one met first trying the other scalars (shown as a letter
    /// such as `x`) before the patterns' literals, lowercase letters before digits before uppercase letters
    /// before other printable ASCII.
    public func shortestMember() -> String? {
        automaton.shortestWord(preference: alphabet.preference).map(string)
    }

    /// A short member that reads naturally, or nil when the set is empty (`repo:acme/x` for `repo:acme/*`
    /// minus `repo:acme/app:*`).
    ///
    /// Among members with the fewest empty `:`- or `/`-separated segments (a trailing separator or `::` makes
    /// one; so does the empty string), a shortest one, chosen deterministically as in ``shortestMember()``.
    /// Use it to show a finding's example string.
    public func shortestWitness() -> String? {
        automaton.readableWord(preference: alphabet.preference, isSeparator: alphabet.isSeparator).map(string)
    }

    /// A member of this set outside `other` (see ``shortestWitness()``), or nil when this set is inside it.
    public func witness(avoiding other: PatternSet) -> String? {
        subtracting(other).shortestWitness()
    }

    private func string(_ word: [Int]) -> String {
        var scalars = String.UnicodeScalarView()
        for symbol in word { scalars.append(alphabet.representatives[symbol]) }
        return String(scalars)
    }
}

/// Pattern sets already built and combined in this run, by everything that decides the result. The trust
/// policies of an account repeat the same subjects role after role, and building and minimizing their
/// automata is most of what reviewing them costs.
///
/// Bounded: a table starts over past `capacity` entries or when the automata it made reach `cellBudget` transitions
/// in all (64 MB of tables; the operands a key holds are mostly results or sets the run keeps anyway); an
/// automaton bigger than `largestKept` is never kept. The questions of the trust analysis combine many small sets
/// per policy, and an account repeats its trust policies: a table that starts over too soon builds the same sets
/// again and again.
final class PatternSetMemo: @unchecked Sendable {
    static let shared = PatternSetMemo()
    static let capacity = 65_536
    static let cellBudget = 16_000_000
    static let largestKept = 250_000

    struct BuildKey: Hashable {
        var globs: [Glob]
        var precision: PatternSet.Precision
        var stateLimit: Int
    }

    /// A set's whole value: equal contents give equal results. Hashed by the set's stored hash; compared in
    /// full.
    struct Content: Hashable {
        var contentHash: Int
        var alphabet: SymbolAlphabet
        var automaton: DFA
        var precision: PatternSet.Precision
        var exceededStateLimit: Bool
        var stateLimit: Int

        init(_ set: PatternSet) {
            contentHash = set.contentHash
            alphabet = set.alphabet
            automaton = set.automaton
            precision = set.precision
            exceededStateLimit = set.exceededStateLimit
            stateLimit = set.stateLimit
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(contentHash)
        }

        static func == (lhs: Content, rhs: Content) -> Bool {
            lhs.contentHash == rhs.contentHash && lhs.precision == rhs.precision
                && lhs.exceededStateLimit == rhs.exceededStateLimit && lhs.stateLimit == rhs.stateLimit
                && lhs.alphabet == rhs.alphabet && lhs.automaton == rhs.automaton
        }
    }

    struct CombineKey: Hashable {
        var lhs: Content
        var rhs: Content
        var operation: PatternSet.Operation
        var precision: PatternSet.Precision?
    }

    private let lock = NSLock()
    private var builds = Table<BuildKey>()
    private var combinations = Table<CombineKey>()

    func built(_ key: BuildKey) -> PatternSet? {
        lock.lock()
        defer { lock.unlock() }
        return builds.entries[key]
    }

    func store(_ set: PatternSet, built key: BuildKey) {
        lock.lock()
        defer { lock.unlock() }
        builds.store(set, at: key, cells: set.automaton.next.count)
    }

    func combined(_ key: CombineKey) -> PatternSet? {
        lock.lock()
        defer { lock.unlock() }
        return combinations.entries[key]
    }

    func store(_ set: PatternSet, combined key: CombineKey) {
        lock.lock()
        defer { lock.unlock() }
        combinations.store(set, at: key, cells: set.automaton.next.count)
    }

    /// One table and the transitions its keys and results hold.
    private struct Table<Key: Hashable> {
        private(set) var entries: [Key: PatternSet] = [:]
        private var cells = 0

        mutating func store(_ set: PatternSet, at key: Key, cells added: Int) {
            guard added <= PatternSetMemo.largestKept else { return }
            if entries.count >= PatternSetMemo.capacity || cells + added > PatternSetMemo.cellBudget {
                entries.removeAll()
                cells = 0
            }
            entries[key] = set
            cells += added
        }
    }
}
