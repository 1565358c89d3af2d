import IAMAuditRules

/// "Did you mean …?" for the command line, on the project's one edit distance (`EditDistance`).
enum Suggestion {
    /// The candidate closest to `word` (case-insensitive), when it is a likely typo: at most a third of the
    /// word's length in edits, at least 1 and at most 3.
    static func closest(to word: String, among candidates: [String]) -> String? {
        EditDistance.suggestion(for: word, among: candidates, maxDistance: min(3, max(1, word.count / 3)))
    }
}
