/// A wildcard pattern over Unicode scalars: the form every pattern language here compiles to.
///
/// Wildcards may exclude scalars (an ARN field's `*` never matches `:`). Under `ignoresCase`, literals are
/// stored folded (see ``CaseFolding``) and compared with the folded input scalar; exclusions always compare
/// the scalar as written.
struct Glob: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(Unicode.Scalar)
        /// Exactly one scalar, any but those excluded.
        case anyScalar(except: Set<Unicode.Scalar>)
        /// Any sequence of scalars, possibly empty, none of them excluded.
        case anyString(except: Set<Unicode.Scalar>)
    }

    var tokens: [Token]
    var ignoresCase: Bool

    init(_ tokens: [Token], ignoresCase: Bool = false) {
        self.tokens = tokens
        self.ignoresCase = ignoresCase
    }

    /// The scalars written as literals (folded when `ignoresCase`).
    var literals: Set<Unicode.Scalar> {
        var result: Set<Unicode.Scalar> = []
        for case .literal(let scalar) in tokens { result.insert(scalar) }
        return result
    }

    /// The scalars some wildcard excludes.
    var excluded: Set<Unicode.Scalar> {
        var result: Set<Unicode.Scalar> = []
        for token in tokens {
            switch token {
            case .anyScalar(let except), .anyString(let except): result.formUnion(except)
            case .literal: break
            }
        }
        return result
    }

    /// Whether `token` accepts `scalar`.
    func accepts(_ token: Token, _ scalar: Unicode.Scalar) -> Bool {
        switch token {
        case .literal(let literal): (ignoresCase ? CaseFolding.fold(scalar) : scalar) == literal
        case .anyScalar(let except), .anyString(let except): !except.contains(scalar)
        }
    }

    /// Whether the whole of `string` matches, by simulating the pattern's automaton (linear in each length).
    func matches(_ string: String) -> Bool {
        var current = [Bool](repeating: false, count: tokens.count + 1)
        var next = current
        current[0] = true
        close(&current)
        for scalar in string.unicodeScalars {
            for index in next.indices { next[index] = false }
            var any = false
            for position in tokens.indices where current[position] && accepts(tokens[position], scalar) {
                if case .anyString = tokens[position] { next[position] = true } else { next[position + 1] = true }
                any = true
            }
            guard any else { return false }
            close(&next)
            swap(&current, &next)
        }
        return current[tokens.count]
    }

    /// Adds the positions reachable by letting `*` tokens match nothing.
    func close(_ positions: inout [Bool]) {
        for position in tokens.indices where positions[position] {
            if case .anyString = tokens[position] { positions[position + 1] = true }
        }
    }
}
