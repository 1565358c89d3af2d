/// Edit distance between short identifiers, for "did you mean" suggestions.
///
/// The distance is the optimal-string-alignment distance: insertions, deletions, substitutions and
/// transpositions of two adjacent characters each cost 1 (`StirngLike` is 1 from `StringLike`).
public enum EditDistance {
    /// The edit distance between `lhs` and `rhs`, compared character by character as written.
    public static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rolling rows: the one before the previous (for transpositions), the previous, the current.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                var best = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The candidate `text` most likely meant, or nil when none is close enough.
    ///
    /// A candidate equal to `text` ignoring case wins; otherwise the candidate with the smallest
    /// case-insensitive distance, at most `maxDistance`, wins. On a tie, a candidate that contains every
    /// character of `text` in order (a word with letters left out, `aws-gov` for `aws-us-gov`) is preferred,
    /// then the first listed.
    /// - Parameters:
    ///   - text: what was written.
    ///   - candidates: the valid spellings, in order of preference.
    ///   - maxDistance: the largest distance still worth suggesting.
    public static func suggestion(for text: String, among candidates: [String], maxDistance: Int) -> String? {
        let lowered = text.lowercased()
        if let exact = candidates.first(where: { $0.lowercased() == lowered }) {
            return exact
        }
        var best: (candidate: String, distance: Int, isSupersequence: Bool)?
        let length = text.count  // once: counting a long text for every candidate would be quadratic
        for candidate in candidates where abs(candidate.count - length) <= maxDistance {
            let candidateLowered = candidate.lowercased()
            let distance = distance(lowered, candidateLowered)
            guard distance <= maxDistance else { continue }
            let isSupersequence = isSubsequence(lowered, of: candidateLowered)
            if let current = best, (current.distance, current.isSupersequence ? 0 : 1) <= (distance, isSupersequence ? 0 : 1) {
                continue
            }
            best = (candidate, distance, isSupersequence)
        }
        return best?.candidate
    }

    /// Whether every character of `text` appears in `other`, in order.
    static func isSubsequence(_ text: String, of other: String) -> Bool {
        var remaining = other[...]
        for character in text {
            guard let index = remaining.firstIndex(of: character) else { return false }
            remaining = remaining[remaining.index(after: index)...]
        }
        return true
    }
}
