/// Reads an `if:` expression as a ``JobCondition``: what it says about the event and the ref, and `unknown` for
/// everything else.
///
/// A reading never narrows what it cannot decide: a part it does not model is `unknown` (possibly true, possibly
/// false), never `false`. Constants come only from literals, from `always()`, from a comparison of two literals or
/// of a property with itself, and from `success()` where it can only widen the condition.
///
/// References: GitHub, "Evaluate expressions in workflows and actions"
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions): "GitHub ignores case when
/// comparing strings", loose equality, truthiness, status check functions; GitHub, "Contexts reference"
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/contexts): `github.event_name`, `github.ref`,
/// `github.ref_name`, `github.ref_type`.
enum WorkflowConditionReading {
    /// The condition an `if:` text states: with or without the `${{ }}` wrapper; `unknown` when it is not one
    /// expression iam-audit can parse.
    static func condition(_ text: String) -> JobCondition {
        guard let body = conditionBody(text), let expression = WorkflowExpression.parse(body) else { return .unknown }
        return truth(of: expression, positive: true)
    }

    /// The expression of an `if:` text: the whole text, or what one `${{ }}` around all of it holds. Text mixing
    /// `${{ }}` with other text is interpolated into a string by GitHub, not evaluated as a condition: nil.
    static func conditionBody(_ text: String) -> Substring? {
        let trimmed = text.trimmingWorkflowWhitespace()
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.hasPrefix("${{") else { return trimmed.holdsWorkflowExpression ? nil : trimmed[...] }
        let inner = trimmed.dropFirst(3)
        guard let close = WorkflowInterpolation.closingBraces(inner), close.upperBound == inner.endIndex else { return nil }
        return inner[..<close.lowerBound]
    }

    /// The properties a condition is read against.
    private enum KnownProperty: Equatable {
        case eventName, ref, refName, refType, headRef, baseRef

        /// Context and property names ignore case (`GITHUB.EVENT_NAME` is `github.event_name`).
        init?(_ path: [String]) {
            guard path.count == 2, path[0].lowercased() == "github" else { return nil }
            switch path[1].lowercased() {
            case "event_name": self = .eventName
            case "ref": self = .ref
            case "ref_name": self = .refName
            case "ref_type": self = .refType
            case "head_ref": self = .headRef
            case "base_ref": self = .baseRef
            default: return nil
            }
        }
    }

    private enum Operand: Equatable {
        case literal(WorkflowExpression)
        case known(KnownProperty)
        case other

        init(_ expression: WorkflowExpression) {
            switch expression {
            case .string, .number, .boolean, .null: self = .literal(expression)
            case .property(let path): self = KnownProperty(path).map(Operand.known) ?? .other
            default: self = .other
            }
        }
    }

    /// Whether `expression` is truthy, as a condition. `positive` is false under an odd number of `!`: there
    /// `success()` (true only while earlier jobs and steps succeed) is `unknown` rather than `true`.
    static func truth(of expression: WorkflowExpression, positive: Bool) -> JobCondition {
        switch expression {
        case .boolean(let value): return .constant(value)
        case .null: return .constant(false)
        case .string(let string): return .constant(!string.isEmpty)
        case .number(let number): return .constant(number != 0 && !number.isNaN)
        case .property, .unreadableProperty: return .unknown
        case .not(let inner): return negate(truth(of: inner, positive: !positive))
        case .and(let operands): return all(operands.map { truth(of: $0, positive: positive) })
        case .or(let operands): return any(operands.map { truth(of: $0, positive: positive) })
        case .comparison(.equal, let left, let right): return equality(left, right, positive: positive)
        case .comparison(.notEqual, let left, let right): return negate(equality(left, right, positive: !positive))
        case .comparison: return .unknown
        case .call(let name, let arguments): return call(name, arguments, positive: positive)
        }
    }

    private static func call(_ name: String, _ arguments: [WorkflowExpression], positive: Bool) -> JobCondition {
        switch (name, arguments.count) {
        case ("always", 0): return .constant(true)
        case ("success", 0): return positive ? .constant(true) : .unknown
        case ("startswith", 2):
            switch (Operand(arguments[0]), Operand(arguments[1])) {
            case (.known(.ref), .literal(.string(let prefix))):
                return .refStartsWith(prefix)
            case (.literal(.string(let text)), .literal(.string(let prefix))) where text.isPlainASCII && prefix.isPlainASCII:
                return .constant(text.lowercased().hasPrefix(prefix.lowercased()))
            default:
                return .unknown
            }
        default:
            // `failure()`, `cancelled()`, `contains`, `endsWith`, `format`, `fromJSON`, `hashFiles`, …
            return .unknown
        }
    }

    /// `left == right` under GitHub's loose equality, for the comparisons iam-audit models. Where the reading is not
    /// exact it errs towards true when `positive`, towards false otherwise, so that the whole condition errs towards
    /// true.
    private static func equality(_ left: WorkflowExpression, _ right: WorkflowExpression, positive: Bool) -> JobCondition {
        switch (Operand(left), Operand(right)) {
        case (.literal(let a), .literal(let b)):
            return literalsEqual(a, b).map(JobCondition.constant) ?? .unknown
        case (.known(let a), .known(let b)):
            return a == b ? .constant(true) : .unknown
        case (.known(let property), .literal(.string(let text))), (.literal(.string(let text)), .known(let property)):
            return propertyEquals(property, text, positive: positive)
        default:
            return .unknown
        }
    }

    private static func propertyEquals(_ property: KnownProperty, _ text: String, positive: Bool) -> JobCondition {
        switch property {
        case .eventName:
            // Event names are lowercase words; GitHub compares ignoring case.
            return .eventIs(text.lowercased())
        case .ref:
            return .refIs(text)
        case .refName:
            // `ref_name` is the branch or tag name, or `<number>/merge` for a pull request's merge ref.
            var refs: [JobCondition] = [.refIs("refs/heads/" + text), .refIs("refs/tags/" + text)]
            if isPullRequestRefName(text) { refs.append(.refIs("refs/pull/" + text)) }
            return .any(refs)
        case .refType:
            switch text.lowercased() {
            case "tag": return .refStartsWith("refs/tags/")
            // A `refs/heads/` ref is surely a branch; pull request runs (`refs/pull/…/merge`) report `branch` too, so
            // read positively it is every ref that is not a tag.
            case "branch": return positive ? .not(.refStartsWith("refs/tags/")) : .refStartsWith("refs/heads/")
            default: return .unknown
            }
        case .headRef, .baseRef:
            return .unknown
        }
    }

    private static func isPullRequestRefName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[0].utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } && parts[1].lowercased() == "merge"
    }

    /// Equality of two literals of the same type; nil for mixed types (GitHub converts them to numbers) and for
    /// strings outside ASCII (whose case folding iam-audit does not model).
    private static func literalsEqual(_ a: WorkflowExpression, _ b: WorkflowExpression) -> Bool? {
        switch (a, b) {
        case (.string(let x), .string(let y)): x.isPlainASCII && y.isPlainASCII ? x.lowercased() == y.lowercased() : nil
        case (.number(let x), .number(let y)): x == y
        case (.boolean(let x), .boolean(let y)): x == y
        case (.null, .null): true
        default: nil
        }
    }

    static func negate(_ condition: JobCondition) -> JobCondition {
        switch condition {
        case .unknown: .unknown
        case .constant(let value): .constant(!value)
        case .not(let inner): inner
        default: .not(condition)
        }
    }

    static func all(_ conditions: [JobCondition]) -> JobCondition {
        var kept: [JobCondition] = []
        for condition in conditions {
            switch condition {
            case .constant(true): continue
            case .constant(false): return .constant(false)
            default: kept.append(condition)
            }
        }
        return kept.isEmpty ? .constant(true) : kept.count == 1 ? kept[0] : .all(kept)
    }

    static func any(_ conditions: [JobCondition]) -> JobCondition {
        var kept: [JobCondition] = []
        for condition in conditions {
            switch condition {
            case .constant(false): continue
            case .constant(true): return .constant(true)
            default: kept.append(condition)
            }
        }
        return kept.isEmpty ? .constant(false) : kept.count == 1 ? kept[0] : .any(kept)
    }
}

private extension String {
    var isPlainASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWorkflowWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
