/// An IAM policy document: `Version`, `Id` and `Statement`, with every element located.
///
/// Decoding is lenient: elements of the wrong type are left out and recorded in `issues`, and
/// every key is kept in `elements`, so that rules can report unknown or misspelt elements.
public struct PolicyDocument: Sendable, Decodable {
    /// The element names IAM accepts at the top level of a policy.
    public static let knownElements: Set<String> = ["Version", "Id", "Statement"]

    public var pointer: JSONPointer
    public var span: SourceSpan
    public var version: Located<String>?
    public var id: Located<String>?
    public var statements: [Statement]
    /// The `Statement` element itself (object or array), if present.
    public var statementElement: Located<StatementShape>?
    /// Every top-level key with its key span, in source order.
    public var elements: [Located<String>]
    /// Type mismatches found anywhere in the document.
    public var issues: [ModelIssue]

    public enum StatementShape: Sendable, Hashable {
        case object
        case array
    }

    public init(from decoder: any Decoder) throws {
        var reader = try LenientReader(decoder)
        pointer = reader.pointer
        span = reader.node.span
        elements = reader.keys
        version = reader.string("Version")
        id = reader.string("Id")
        statements = []
        statementElement = nil
        if let child = reader.child("Statement") {
            switch child.node.value {
            case .object:
                statementElement = Located(.object, pointer: child.pointer, span: child.node.span)
                if let statement = try? Statement(from: child, index: 0) {
                    statements.append(statement)
                }
            case .array(let elements):
                statementElement = Located(.array, pointer: child.pointer, span: child.node.span)
                for (index, element) in elements.enumerated() {
                    let elementDecoder = child.child(element, key: PointerKey(intValue: index))
                    if case .object = element.value, let statement = try? Statement(from: elementDecoder, index: index) {
                        statements.append(statement)
                    } else {
                        reader.wrongType(elementDecoder, expected: "a statement object")
                    }
                }
            default:
                reader.wrongType(child, expected: "a statement object or a list of statements")
            }
        }
        issues = reader.issues + statements.flatMap(\.issues)
    }
}
