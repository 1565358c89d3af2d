/// The candidate nearest to `word` by edit distance, when near enough to be a likely typo.
///
/// Case is ignored when measuring; a candidate is near enough when at most a third of its characters
/// (at least two) must change. Ties go to the earlier candidate.
func closestMatch(to word: String, in candidates: [String]) -> String? {
    let target = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let distance = EditDistance.distance(target, candidate.lowercased())
        guard distance <= max(2, candidate.count / 3), distance < candidate.count else { continue }
        if best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    return best?.candidate
}
