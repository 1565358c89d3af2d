/// One piece of a structured string, for building the sets of strings with a known layout (a GitHub subject
/// `repo:OWNER/NAME:ref:REF`) out of the values a policy writes for one of its parts.
public enum PatternSegment: Sendable, Hashable {
    /// The text as written.
    case literal(String)
    /// Any run of at least `minimumLength` scalars, none of them in `excluding`.
    case field(excluding: Set<Unicode.Scalar>, minimumLength: Int)
    /// A string `pattern` matches whose scalars are none of `excluding`: a pattern's `*` and `?` do not reach
    /// past the field it describes.
    case pattern(StringPattern, excluding: Set<Unicode.Scalar>)
}

extension PatternSet {
    /// The strings made of the segments of any one of `sequences`, in order.
    ///
    /// Exact when no pattern holds a policy variable; a pattern whose literal text holds an excluded scalar
    /// matches no field, so its sequence contributes nothing. A field followed by a literal whose first scalar
    /// the field excludes ends there, so each string splits into its segments one way only.
    public init(sequences: [[PatternSegment]], stateLimit: Int = PatternSet.defaultStateLimit) {
        var globs: [Glob] = []
        var approximate = false
        sequenceLoop: for sequence in sequences {
            var tokens: [Glob.Token] = []
            var ignoresCase = false
            for segment in sequence {
                switch segment {
                case .literal(let text):
                    tokens += text.unicodeScalars.map { .literal($0) }
                case .field(let excluding, let minimumLength):
                    tokens += repeatElement(.anyScalar(except: excluding), count: minimumLength)
                    tokens.append(.anyString(except: excluding))
                case .pattern(let pattern, let excluding):
                    if pattern.containsVariables { approximate = true }
                    if pattern.ignoresCase { ignoresCase = true }
                    for token in pattern.glob.tokens {
                        switch token {
                        case .literal(let scalar):
                            // A folded literal stands for every scalar folding to it; the field must allow one.
                            if excluding.contains(scalar) && (!pattern.ignoresCase || CaseFolding.preimage(of: scalar).allSatisfy(excluding.contains)) {
                                continue sequenceLoop
                            }
                            tokens.append(.literal(scalar))
                        case .anyScalar(let except): tokens.append(.anyScalar(except: except.union(excluding)))
                        case .anyString(let except): tokens.append(.anyString(except: except.union(excluding)))
                        }
                    }
                }
            }
            if ignoresCase {
                // One glob folds all its literals: fold the fixed text too, which the caller's layout then
                // pins to its written case by intersection.
                tokens = tokens.map { token in
                    if case .literal(let scalar) = token { return .literal(CaseFolding.fold(scalar)) }
                    return token
                }
            }
            globs.append(Glob(tokens, ignoresCase: ignoresCase))
        }
        if globs.isEmpty {
            self = .empty
            return
        }
        self.init(globs: globs, precision: approximate ? .superset : .exact, stateLimit: stateLimit)
    }
}
