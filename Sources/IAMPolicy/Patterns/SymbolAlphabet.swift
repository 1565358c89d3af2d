/// A finite partition of all Unicode scalars into symbols, fine enough for a given set of patterns.
///
/// Two scalars share a symbol when no pattern can tell them apart: neither is a case-sensitive literal or an
/// excluded scalar (`raw`), and their folded forms are equal or both absent from the folded literals of
/// case-insensitive patterns (`folded`). Symbol 0 is always *any other scalar*. An alphabet built from more
/// literals refines one built from fewer, so a language is moved onto a larger alphabet by mapping each new
/// symbol to the old symbol of its representative. A class, so that sets sharing an alphabet share one copy.
final class SymbolAlphabet: Sendable, Hashable {
    struct Key: Sendable, Hashable {
        /// The scalar itself when it is one of `raw`.
        var raw: Unicode.Scalar?
        /// The folded scalar when it is one of `folded`.
        var folded: Unicode.Scalar?
    }

    let raw: Set<Unicode.Scalar>
    let folded: Set<Unicode.Scalar>
    /// The symbols' keys; index 0 is the other scalars (`Key(raw: nil, folded: nil)`).
    let keys: [Key]
    /// A member of each symbol, chosen to read well in a witness.
    let representatives: [Unicode.Scalar]
    /// Symbols in the order witnesses prefer them: the other scalars first (shown as a letter such as `x`),
    /// then lowercase letters, digits, uppercase letters, other printable ASCII, and the rest.
    let preference: [Int]
    private let index: [Key: Int]
    /// The symbol of each ASCII scalar, looked up without hashing.
    private let asciiSymbols: [Int]

    static func == (lhs: SymbolAlphabet, rhs: SymbolAlphabet) -> Bool {
        lhs === rhs || (lhs.contentHash == rhs.contentHash && lhs.raw == rhs.raw && lhs.folded == rhs.folded)
    }
    func hash(into hasher: inout Hasher) {
        hasher.combine(contentHash)
    }

    /// The hash of `raw` and `folded`, computed once: alphabets are hashed with every set a run keeps.
    let contentHash: Int

    /// The alphabet of no literal at all: one symbol.
    static let trivial = SymbolAlphabet(raw: [], folded: [])

    convenience init(raw: Set<Unicode.Scalar>, folded: Set<Unicode.Scalar>) {
        self.init(uncheckedRaw: raw, folded: folded)
    }

    private init(uncheckedRaw raw: Set<Unicode.Scalar>, folded: Set<Unicode.Scalar>) {
        self.raw = raw
        self.folded = folded
        var hasher = Hasher()
        hasher.combine(raw)
        hasher.combine(folded)
        contentHash = hasher.finalize()
        var keys: Set<Key> = []
        for scalar in raw {
            let foldedScalar = folded.isEmpty ? nil : CaseFolding.fold(scalar)
            keys.insert(Key(raw: scalar, folded: foldedScalar.flatMap { folded.contains($0) ? $0 : nil }))
        }
        for target in folded {
            for scalar in CaseFolding.preimage(of: target) {
                keys.insert(Key(raw: raw.contains(scalar) ? scalar : nil, folded: target))
            }
        }
        let other = Key(raw: nil, folded: nil)
        keys.remove(other)
        func representative(_ key: Key) -> Unicode.Scalar {
            if let scalar = key.raw { return scalar }
            if let target = key.folded {
                let members = CaseFolding.preimage(of: target).filter { !raw.contains($0) }
                return members.contains(target) ? target : members[0]
            }
            return Self.otherRepresentative(raw: raw, folded: folded)
        }
        var sorted = keys.map { ($0, representative($0)) }.sorted { $0.1.value < $1.1.value }
        sorted.insert((other, representative(other)), at: 0)
        self.keys = sorted.map(\.0)
        representatives = sorted.map(\.1)
        var index: [Key: Int] = [:]
        for (symbol, key) in self.keys.enumerated() { index[key] = symbol }
        self.index = index
        var asciiSymbols = [Int](repeating: 0, count: 128)
        for (symbol, key) in self.keys.enumerated() {
            if let scalar = key.raw {
                if scalar.isASCII { asciiSymbols[Int(scalar.value)] = symbol }
            } else if let target = key.folded {
                for scalar in CaseFolding.preimage(of: target) where scalar.isASCII && !raw.contains(scalar) {
                    asciiSymbols[Int(scalar.value)] = symbol
                }
            }
        }
        self.asciiSymbols = asciiSymbols
        let rest = (1..<sorted.count).sorted { lhs, rhs in
            let left = Self.rank(sorted[lhs].1), right = Self.rank(sorted[rhs].1)
            return left != right ? left < right : sorted[lhs].1.value < sorted[rhs].1.value
        }
        preference = [0] + rest
    }

    var count: Int { keys.count }

    /// The symbol of `scalar`.
    func symbol(of scalar: Unicode.Scalar) -> Int {
        if scalar.value < 128 { return asciiSymbols[Int(scalar.value)] }
        let rawScalar = raw.contains(scalar) ? scalar : nil
        var foldedScalar: Unicode.Scalar?
        if !folded.isEmpty {
            let candidate = CaseFolding.fold(scalar)
            if folded.contains(candidate) { foldedScalar = candidate }
        }
        if rawScalar == nil && foldedScalar == nil { return 0 }
        return index[Key(raw: rawScalar, folded: foldedScalar)] ?? 0
    }

    /// The alphabet fine enough for the patterns of both.
    func merged(with other: SymbolAlphabet) -> SymbolAlphabet {
        if other.raw.isSubset(of: raw) && other.folded.isSubset(of: folded) { return self }
        if raw.isSubset(of: other.raw) && folded.isSubset(of: other.folded) { return other }
        return SymbolAlphabet(raw: raw.union(other.raw), folded: folded.union(other.folded))
    }

    /// For each symbol of `self`, the symbol of `coarser` holding it (`self` must refine `coarser`).
    func mapping(to coarser: SymbolAlphabet) -> [Int] {
        representatives.map { coarser.symbol(of: $0) }
    }

    /// Whether the symbol's scalars separate segments in GitHub subjects and ARNs (`:` and `/`).
    func isSeparator(_ symbol: Int) -> Bool {
        let scalar = representatives[symbol]
        return scalar == ":" || scalar == "/"
    }

    private static func rank(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x61...0x7A: 0
        case 0x30...0x39: 1
        case 0x41...0x5A: 2
        case 0x21...0x7E: 3
        case 0x20: 4
        default: 5
        }
    }

    /// A scalar in no symbol but the other one, preferring readable letters.
    private static func otherRepresentative(raw: Set<Unicode.Scalar>, folded: Set<Unicode.Scalar>) -> Unicode.Scalar {
        func isFree(_ scalar: Unicode.Scalar) -> Bool {
            !raw.contains(scalar) && (folded.isEmpty || !folded.contains(CaseFolding.fold(scalar)))
        }
        for scalar in "xyzqwvjkuhgfpmnbdcltrseoaiXYZQWVJKUHGFPMNBDCLTRSEOAI0123456789-_.".unicodeScalars where isFree(scalar) {
            return scalar
        }
        // Finitely many scalars are taken, so a free one exists.
        var value: UInt32 = 0x21
        while true {
            if let scalar = Unicode.Scalar(value), isFree(scalar) { return scalar }
            value += 1
        }
    }
}
