/// One statement of a policy, with every element located.
///
/// A class: every rule walks the statements, and a reference is one count to keep where a copy of the
/// elements is a dozen.
public final class Statement: Sendable {
    /// The element names IAM accepts in a statement.
    public static let knownElements: Set<String> = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
        "Resource", "NotResource", "Condition",
    ]

    /// 0-based position in the `Statement` list (0 when `Statement` is a single object).
    public let index: Int
    public let pointer: JSONPointer
    public let span: SourceSpan
    public let sid: Located<String>?
    public let effect: Located<String>?
    public let principal: PrincipalElement?
    public let notPrincipal: PrincipalElement?
    public let action: LocatedList<String>?
    public let notAction: LocatedList<String>?
    public let resource: LocatedList<String>?
    public let notResource: LocatedList<String>?
    public let condition: ConditionBlock?
    /// Every key of the statement object with its key span, in source order.
    public let elements: [Located<String>]
    /// Type mismatches found in this statement.
    public let issues: [ModelIssue]

    /// The effect, when it is exactly `Allow` or `Deny`.
    public let parsedEffect: Effect?

    public var isAllow: Bool { parsedEffect == .allow }
    public var isDeny: Bool { parsedEffect == .deny }

    init(from decoder: TreeDecoder, index: Int) throws {
        var reader = try LenientReader(decoder)
        self.index = index
        pointer = reader.pointer
        span = reader.node.span
        elements = reader.keys
        sid = reader.string("Sid")
        effect = reader.string("Effect")
        parsedEffect = effect.flatMap { Effect(rawValue: $0.value) }
        principal = reader.child("Principal").flatMap { PrincipalElement(decoder: $0, reader: &reader) }
        notPrincipal = reader.child("NotPrincipal").flatMap { PrincipalElement(decoder: $0, reader: &reader) }
        action = reader.stringList("Action")
        notAction = reader.stringList("NotAction")
        resource = reader.stringList("Resource")
        notResource = reader.stringList("NotResource")
        condition = reader.child("Condition").flatMap { ConditionBlock(decoder: $0, reader: &reader) }
        issues = reader.issues
    }

    /// `Action` or `NotAction`, whichever is present (`Action` first).
    public var actionElement: LocatedList<String>? { action ?? notAction }
    /// `Resource` or `NotResource`, whichever is present (`Resource` first).
    public var resourceElement: LocatedList<String>? { resource ?? notResource }
    /// `Principal` or `NotPrincipal`, whichever is present (`Principal` first).
    public var principalElement: PrincipalElement? { principal ?? notPrincipal }
}

/// The `Effect` of a statement.
public enum Effect: String, Sendable, Hashable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
}

/// A `Principal` or `NotPrincipal` element.
public struct PrincipalElement: Sendable {
    public enum Shape: Sendable {
        /// The string `"*"`: everyone.
        case everyone
        /// Any other string, which IAM rejects.
        case invalidString(String)
        /// An object of principal types (`AWS`, `Federated`, `Service`, `CanonicalUser`) to values.
        case map([PrincipalEntry])
    }

    /// The principal types IAM knows.
    public static let knownTypes: Set<String> = ["AWS", "Federated", "Service", "CanonicalUser"]

    public var shape: Shape
    public var pointer: JSONPointer
    public var span: SourceSpan

    init?(decoder: TreeDecoder, reader: inout LenientReader) {
        pointer = decoder.pointer
        span = decoder.node.span
        switch decoder.node.value {
        case .string(let string):
            shape = string == "*" ? .everyone : .invalidString(string)
        case .object(let members):
            var entries: [PrincipalEntry] = []
            for member in members {
                let child = decoder.child(member.value, key: PointerKey(stringValue: member.key))
                let type = Located(member.key, pointer: child.pointer, span: member.keySpan)
                if let values = reader.stringList(child) {
                    entries.append(PrincipalEntry(type: type, values: values))
                }
            }
            shape = .map(entries)
        default:
            reader.wrongType(decoder, expected: "\"*\" or an object of principal types")
            return nil
        }
    }

    public var entries: [PrincipalEntry] {
        if case .map(let entries) = shape { return entries }
        return []
    }

    /// The values of one principal type, e.g. every `Federated` value.
    public func values(ofType type: String) -> [Located<String>] {
        entries.filter { $0.type.value == type }.flatMap(\.values.items)
    }

    /// Whether the element admits everyone: `"*"` or `{"AWS": "*"}`.
    public var isEveryone: Bool {
        switch shape {
        case .everyone: return true
        case .invalidString: return false
        case .map(let entries): return entries.contains { $0.type.value == "AWS" && $0.values.values.contains("*") }
        }
    }
}

/// One principal type and its values, e.g. `"Federated": "arn:aws:iam::…:oidc-provider/…"`.
public struct PrincipalEntry: Sendable {
    /// The type name, located at its key.
    public var type: Located<String>
    public var values: LocatedList<String>
}
