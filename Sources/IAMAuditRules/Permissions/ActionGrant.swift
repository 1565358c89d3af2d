import IAMPolicy

/// One way an Allow statement grants actions: an `Action` value (`*`, `s3:*`, `s3:Get*`, `s3:GetObject`) or
/// the whole `NotAction` element (every action it does not list).
///
/// Matching ignores case and treats `*` as any run of characters and `?` as any one character, as IAM does
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
struct ActionGrant: Sendable {
    /// What kind of value grants the actions.
    enum Shape: Sendable, Equatable {
        /// `*` or `*:*`: every action of every service.
        case everyAction
        /// `service:*`: every action of the service (of several, when the prefix holds wildcards).
        case wholeService
        /// A value with `*` or `?` that names some of a service's actions: `s3:Get*`.
        case pattern
        /// A `service:Action` without wildcards.
        case literal
        /// A `NotAction` element: every action of every service that it does not list.
        case notAction
    }

    let shape: Shape
    /// The value as written; for `NotAction`, the element name.
    let text: String
    let pointer: JSONPointer
    let span: SourceSpan
    /// The value's pattern, or the patterns `NotAction` lists; empty for a literal (compared as text).
    private let patterns: [WildcardPattern]

    /// The grant of one `Action` value.
    init(value: Located<String>) {
        text = value.value
        pointer = value.pointer
        span = value.span
        shape = Self.shape(of: value.value)
        patterns = shape == .literal ? [] : [WildcardPattern(glob: value.value)]
    }

    /// The grant of a `NotAction` element.
    init(notAction: LocatedList<String>) {
        text = "NotAction"
        pointer = notAction.pointer
        span = notAction.span
        shape = .notAction
        patterns = notAction.values.map { WildcardPattern(glob: $0) }
    }

    /// Whether the grant covers the action named `qualifiedName` (`iam:PassRole`).
    func covers(_ qualifiedName: String) -> Bool {
        switch shape {
        case .literal:
            // Lengths first: most names differ in length, and a native string knows its length.
            return text.utf8.count == qualifiedName.utf8.count
                && text.utf8.elementsEqual(qualifiedName.utf8) { ASCIICaseInsensitive.fold($0) == ASCIICaseInsensitive.fold($1) }
        case .notAction:
            return !patterns.contains { $0.matches(qualifiedName) }
        default:
            return patterns[0].matches(qualifiedName)
        }
    }

    /// Whether the grant can cover some action of the service `prefix` (lowercase): `NotAction`, `*`, or a
    /// value whose service part is `prefix` (ignoring case) or holds a wildcard.
    func mayCover(service prefix: String) -> Bool {
        guard shape != .notAction, shape != .everyAction, let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let service = Substring(text)[..<colon].utf8
        if service.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) { return true }
        return service.elementsEqual(prefix.utf8) { ASCIICaseInsensitive.fold($0) == $1 }
    }

    /// Whether the value is `*` or `service:*`: the wildcards PRIV001 and PRIV002 report.
    var isWildcardOfServices: Bool { shape == .everyAction || shape == .wholeService }

    /// The catalog actions the value grants; nil for `*` and `NotAction` (nearly every action there is).
    /// Values the catalog does not know grant nothing here (the catalog rules report them).
    func catalogActions(_ catalog: ActionCatalog = .shared) -> [Action]? {
        switch shape {
        case .everyAction, .notAction: nil
        case .literal: catalog.action(text).map { [$0] } ?? []
        case .wholeService, .pattern: catalog.actions(matching: text)
        }
    }

    /// The shape of an `Action` value.
    static func shape(of value: String) -> Shape {
        let star = UInt8(ascii: "*")
        let bytes = value.utf8
        guard bytes.contains(where: { $0 == star || $0 == UInt8(ascii: "?") }) else { return .literal }
        func onlyStars(_ part: Substring.UTF8View) -> Bool { !part.isEmpty && part.allSatisfy { $0 == star } }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            // Without a colon only `*` is an action; IAM rejects the rest (the validity rules report them).
            return onlyStars(Substring(value).utf8) ? .everyAction : .literal
        }
        let service = Substring(value)[..<colon].utf8
        let name = Substring(value)[value.index(after: colon)...].utf8
        if onlyStars(name) { return onlyStars(service) ? .everyAction : .wholeService }
        return .pattern
    }
}
