/// The case folding of the `…IgnoreCase` operators.
///
/// Convention: a string is folded one Unicode scalar at a time. ASCII `A`–`Z` become `a`–`z`; any other
/// scalar becomes its Unicode lowercase mapping (`String.lowercased()` applied to that scalar alone) when
/// that mapping is a single scalar, and stays as it is otherwise. The one scalar whose full lowercase
/// mapping is longer, `U+0130` (`İ`, lowercased to `i` + `U+0307`), folds to its simple mapping `i`, so
/// that folding never changes a string's length and `?` keeps meaning one scalar. AWS does not document
/// which folding IAM uses beyond "ignoring case"; this choice agrees with per-character case-insensitive
/// comparison on every ASCII string.
enum CaseFolding {
    /// The folded form of one scalar.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            let value = scalar.value
            return (0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar
        }
        if scalar.value == 0x130 { return "i" }
        return single(scalar.properties.lowercaseMapping) ?? scalar
    }

    /// The folded form of a string.
    static func fold(_ string: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in string.unicodeScalars { result.append(fold(scalar)) }
        return String(result)
    }

    /// Every scalar whose folded form is `folded`, in ascending order (empty when `folded` is not itself folded).
    static func preimage(of folded: Unicode.Scalar) -> [Unicode.Scalar] {
        folded.isASCII ? asciiPreimages[Int(folded.value)] : computedPreimage(of: folded)
    }

    /// The preimages of the ASCII scalars, which nearly every pattern's literals are: worked out once, since each
    /// asks Unicode's case mappings of several scalars.
    private static let asciiPreimages: [[Unicode.Scalar]] = (0..<128).map { computedPreimage(of: Unicode.Scalar(UInt8($0))) }

    private static func computedPreimage(of folded: Unicode.Scalar) -> [Unicode.Scalar] {
        var candidates: Set<Unicode.Scalar> = [folded]
        if let upper = single(folded.properties.uppercaseMapping) { candidates.insert(upper) }
        if let title = single(folded.properties.titlecaseMapping) { candidates.insert(title) }
        candidates.formUnion(irregularUppercase)
        return candidates.filter { fold($0) == folded }.sorted { $0.value < $1.value }
    }

    /// Scalars that fold to a scalar whose own upper- and titlecase mappings lead elsewhere:
    /// `İ` → `i`, `ϴ` → `θ`, `ẞ` → `ß`, `Ω` (ohm) → `ω`, `K` (kelvin) → `k`, `Å` (angstrom) → `å`.
    /// Found by scanning every Unicode scalar; a test keeps the list honest.
    static let irregularUppercase: [Unicode.Scalar] = ["\u{130}", "\u{3F4}", "\u{1E9E}", "\u{2126}", "\u{212A}", "\u{212B}"]

    private static func single(_ string: String) -> Unicode.Scalar? {
        let scalars = string.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return nil }
        return first
    }
}
