/// Edit distance between short identifiers, for "did you mean" suggestions.
///
/// The distance is the optimal-string-alignment distance: insertions, deletions, substitutions and
/// transpositions of two adjacent characters each cost 1 (`StirngLike` is 1 from `StringLike`).
public enum EditDistance {
    /// The edit distance between `lhs` and `rhs`, compared character by character as written.
    public static func distance(_ lhs: String, _ rhs: String) -> Int {
        distance(lhs, rhs, limit: Int.max)
    }

    /// The edit distance, or some number above `limit` once the distance is known to exceed it.
    static func distance(_ lhs: String, _ rhs: String, limit: Int) -> Int {
        // ASCII text compares as bytes, the same as by characters and without building them.
        if isASCII(lhs), isASCII(rhs) { return distance(Array(lhs.utf8), Array(rhs.utf8), limit: limit) }
        return distance(Array(lhs), Array(rhs), limit: limit)
    }

    private static func distance<Element: Equatable>(_ a: [Element], _ b: [Element], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rolling rows: the one before the previous (for transpositions), the previous, the current.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                var best = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
                rowMinimum = min(rowMinimum, best)
            }
            // No later row has a value below this row's least: each value comes from one of this row plus 0 or
            // 1, or from a transposition, one more than the value two rows up, which is at least the value
            // diagonally below it in this row.
            if rowMinimum > limit { return rowMinimum }
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
        let textIsASCII = isASCII(lowered)
        // Candidates are mostly ASCII names: compared over bytes, without lowercased copies.
        func equalsIgnoringCase(_ candidate: String) -> Bool {
            guard textIsASCII, isASCII(candidate) else { return candidate.lowercased() == lowered }
            return candidate.utf8.count == lowered.utf8.count
                && candidate.utf8.elementsEqual(lowered.utf8) { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
        }
        if let exact = candidates.first(where: equalsIgnoringCase) {
            return exact
        }
        let length = characterCount(text)
        var best: (candidate: String, distance: Int, isSupersequence: Bool)?
        for candidate in candidates where abs(characterCount(candidate) - length) <= maxDistance {
            let candidateLowered = candidate.lowercased()
            let distance = distance(lowered, candidateLowered, limit: maxDistance)
            guard distance <= maxDistance else { continue }
            let isSupersequence = isSubsequence(lowered, of: candidateLowered)
            if let current = best, (current.distance, current.isSupersequence ? 0 : 1) <= (distance, isSupersequence ? 0 : 1) {
                continue
            }
            best = (candidate, distance, isSupersequence)
        }
        return best?.candidate
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The number of characters, counted over bytes when the text is ASCII.
    private static func characterCount(_ text: String) -> Int {
        isASCII(text) ? text.utf8.count : text.count
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
