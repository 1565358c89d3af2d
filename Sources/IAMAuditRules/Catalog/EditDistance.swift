/// Case-insensitive edit distance (optimal string alignment: insertions, deletions, substitutions and
/// transpositions of neighbours each cost 1), for did-you-mean suggestions.
enum EditDistance {
    /// The largest distance worth suggesting for a name of `length` characters: a third of it, at least 1, at most 4.
    static func limit(forLength length: Int) -> Int {
        min(4, max(1, length / 3))
    }

    /// The candidate nearest to `name` within `limit(forLength:)`; the first in `candidates` order wins a tie.
    static func closest<Candidates: Sequence<String>>(to name: String, among candidates: Candidates) -> String? {
        let wanted = name.utf8.map(ASCIICaseInsensitive.fold)
        let limit = limit(forLength: wanted.count)
        var best: (distance: Int, candidate: String)?
        for candidate in candidates {
            let bound = best.map { $0.distance - 1 } ?? limit
            if abs(candidate.utf8.count - wanted.count) > bound { continue }
            let bytes = candidate.utf8.map(ASCIICaseInsensitive.fold)
            if let distance = distance(wanted, bytes, atMost: bound), distance < bytes.count {
                best = (distance, candidate)
                if distance <= 1 { break }
            }
        }
        return best?.candidate
    }

    /// The distance between `a` and `b` (already case-folded), or nil when it exceeds `bound`.
    static func distance(_ a: [UInt8], _ b: [UInt8], atMost bound: Int) -> Int? {
        if bound < 0 { return nil }
        if abs(a.count - b.count) > bound { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > bound { return nil }
            swap(&previous2, &previous)
            swap(&previous, &current)
        }
        let result = previous[b.count]
        return result <= bound ? result : nil
    }
}
