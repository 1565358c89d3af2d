/// A string of the design file with `${name}` placeholders, split into literal text and placeholders.
///
/// A `$` not followed by `{` is literal text. A `${` without a closing `}` is unterminated: the parse
/// keeps it as literal text and records where it starts.
struct DesignTemplate: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case literal(String)
        /// `name` is the text between `${` and `}`; `scalarOffset` is the 0-based index of the `$`
        /// in the template's Unicode scalars.
        case placeholder(name: String, scalarOffset: Int)
    }

    /// The placeholder names the design file knows, in the order `docs/design-file.md` lists them.
    static let names = ["partition", "account", "region", "repository", "env", "branch", "githubEnvironment", "stackName"]

    var pieces: [Piece]
    /// The 0-based scalar index of the `$` of an unterminated `${`, if any.
    var unterminatedOffset: Int?

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        var index = 0
        var unterminated: Int?
        while index < scalars.count {
            if scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{" {
                guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                    unterminated = index
                    literal.append(contentsOf: scalars[index...])
                    break
                }
                if !literal.isEmpty {
                    pieces.append(.literal(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: scalars[(index + 2)..<close])
                pieces.append(.placeholder(name: String(name), scalarOffset: index))
                index = close + 1
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { pieces.append(.literal(String(literal))) }
        self.pieces = pieces
        self.unterminatedOffset = unterminated
    }

    /// The placeholders in order, each with the scalar index of its `$`.
    var placeholders: [(name: String, scalarOffset: Int)] {
        pieces.compactMap {
            if case .placeholder(let name, let offset) = $0 { return (name, offset) }
            return nil
        }
    }

    /// The template with each placeholder replaced by `value(name)`; a placeholder without a value stays as written.
    func expanded(_ value: (String) -> String?) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): result += text
            case .placeholder(let name, _): result += value(name) ?? "${\(name)}"
            }
        }
        return result
    }
}
