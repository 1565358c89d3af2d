import IAMPolicy

/// One way an Allow statement grants actions: an `Action` value (`*`, `s3:*`, `s3:Get*`, `s3:GetObject`) or
/// the whole `NotAction` element (every action it does not list).
///
/// Matching ignores case and treats `*` as any run of characters and `?` as any one character, as IAM does
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
final class ActionGrant: Sendable {
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
    /// The value's service part (before the first `:`), ASCII-lowercased, and whether it holds a wildcard;
    /// nil and false for `NotAction` and a value without a colon.
    private let service: String?
    private let serviceHasWildcard: Bool

    /// The catalog action a literal value names; nil for other shapes and unknown actions.
    let literalAction: Action?

    /// The grant of one `Action` value; `action` is the catalog action it names, if a literal one.
    init(value: Located<String>, action: Action?) {
        literalAction = action
        text = value.value
        pointer = value.pointer
        span = value.span
        // A value the catalog resolved is a literal `service:Action`, and the catalog's prefix is its service
        // part in lower case: no need to take the text apart.
        if let action {
            shape = .literal
            patterns = []
            service = action.service
            serviceHasWildcard = false
            return
        }
        let parts = Self.parts(of: value.value)
        shape = parts.shape
        patterns = shape == .literal ? [] : [WildcardPattern(glob: value.value)]
        service = parts.service
        serviceHasWildcard = parts.serviceHasWildcard
    }

    /// The grant of a `NotAction` element.
    init(notAction: LocatedList<String>) {
        text = "NotAction"
        pointer = notAction.pointer
        span = notAction.span
        shape = .notAction
        literalAction = nil
        patterns = notAction.values.map { WildcardPattern(glob: $0) }
        service = nil
        serviceHasWildcard = false
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
        guard shape != .notAction, shape != .everyAction, let service else { return true }
        return serviceHasWildcard || service == prefix
    }

    /// Whether the value is `*` or `service:*`: the wildcards PRIV001 and PRIV002 report.
    var isWildcardOfServices: Bool { shape == .everyAction || shape == .wholeService }

    /// The catalog actions the value grants; nil for `*` and `NotAction` (nearly every action there is).
    /// Values the catalog does not know grant nothing here (the catalog rules report them).
    func catalogActions(_ catalog: ActionCatalog = .shared) -> [Action]? {
        switch shape {
        case .everyAction, .notAction: nil
        case .literal: literalAction.map { [$0] } ?? []
        case .wholeService, .pattern: catalog.actions(matching: text)
        }
    }

    /// The shape of an `Action` value, its service part ASCII-lowercased (nil without a colon), and whether
    /// that part holds a wildcard: one pass over the bytes, as every value of every statement comes through here.
    private static func parts(of value: String) -> (shape: Shape, service: String?, serviceHasWildcard: Bool) {
        var value = value
        return value.withUTF8 { bytes in
            let star = UInt8(ascii: "*")
            func isWildcard(_ byte: UInt8) -> Bool { byte == star || byte == UInt8(ascii: "?") }
            func onlyStars(_ part: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool { !part.isEmpty && part.allSatisfy { $0 == star } }
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
                // Without a colon only `*` is an action; IAM rejects the rest (the validity rules report them).
                return (onlyStars(bytes[...]) ? .everyAction : .literal, nil, false)
            }
            let servicePart = bytes[..<colon]
            let namePart = bytes[(colon + 1)...]
            let serviceHasWildcard = servicePart.contains(where: isWildcard)
            let service = String(unsafeUninitializedCapacity: servicePart.count) { buffer in
                for (offset, byte) in servicePart.enumerated() { buffer[offset] = ASCIICaseInsensitive.fold(byte) }
                return servicePart.count
            }
            let shape: Shape = if !serviceHasWildcard && !namePart.contains(where: isWildcard) {
                .literal
            } else if onlyStars(namePart) {
                onlyStars(servicePart) ? .everyAction : .wholeService
            } else {
                .pattern
            }
            return (shape, service, serviceHasWildcard)
        }
    }
}
