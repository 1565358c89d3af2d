import IAMPolicy

/// Which policy element a key that is not one most likely means: the document-structure fact behind IAM002's
/// suggestions and behind the precedence of a misspelt element over a missing one.
enum ElementSpelling {
    /// Where a key was found.
    enum Level {
        case document
        case statement

        /// The elements of the level, in the grammar's spelling and order.
        var elements: [String] {
            switch self {
            case .document: ["Version", "Id", "Statement"]
            case .statement: ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]
            }
        }

        var knownElements: Set<String> {
            switch self {
            case .document: PolicyDocument.knownElements
            case .statement: Statement.knownElements
            }
        }
    }

    /// The element `key` most likely means at `level`: the same name in another case, or the closest name
    /// within two edits (one for names of three or four letters, none for `Id`).
    static func suggestion(for key: String, at level: Level) -> String? {
        let lowered = key.lowercased()
        if let match = level.elements.first(where: { $0.lowercased() == lowered }) { return match }
        var best: (name: String, distance: Int)?
        for candidate in level.elements {
            let limit = candidate.count <= 2 ? 0 : candidate.count <= 4 ? 1 : 2
            let distance = EditDistance.distance(lowered, candidate.lowercased())
            if distance <= limit, distance < best?.distance ?? .max {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Whether `key` is not an element of the level `names` belong to but a misspelling of one of `names`.
    static func isMisspelling(_ key: String, of names: [String]) -> Bool {
        let level: Level = names.allSatisfy(PolicyDocument.knownElements.contains) ? .document : .statement
        return !level.knownElements.contains(key) && suggestion(for: key, at: level).map(names.contains) == true
    }
}
