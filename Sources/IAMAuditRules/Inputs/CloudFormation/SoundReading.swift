import IAMPolicy

/// Reads the holes an evaluated template policy still holds (``TemplateIntrinsics/hole``) as the values that admit
/// the most, statement by statement, so an unknown never hides access:
///
/// - a `Deny` statement that depends on a hole is dropped (it may deny nothing);
/// - in an `Allow` statement, a hole in `Action`, `Resource` or a principal is `*` (any text); an entry of
///   `NotAction`, `NotResource` or `NotPrincipal` holding one is dropped (it may exclude nothing);
/// - a condition key whose values hold a hole is dropped (it may hold for every request), except under the
///   wildcard operators (`StringLike`, `ArnLike`, `ArnEquals` and their `IfExists` forms), where the hole is `*`;
/// - an `Effect` that is a hole is `Allow`; elsewhere (`Sid`, `Version`, `Id`) a hole is neutral text;
/// - this stack's account, when the design does not give it, is one unknown account: in a principal it stands as
///   ``standInAccount`` (so `arn:…:iam::${AWS::AccountId}:oidc-provider/…` stays that provider), elsewhere a hole.
///
/// Every reading is described in ``notes`` so the finding that follows can say the value was not known.
struct SoundReading {
    private(set) var notes: [Located<String>] = []
    /// Where the reading wrote a value the template does not hold (`*` for a principal not known): grammar findings
    /// there are about the reading, not the template.
    private(set) var fabricated: [JSONPointer] = []

    static let hole = TemplateIntrinsics.hole
    static let accountHole = TemplateIntrinsics.accountHole
    static let generatedHole = TemplateIntrinsics.generatedHole
    /// This stack's account in a principal when the design does not give it.
    static let standInAccount = "000000000000"
    static let wildcardOperators: Set<ConditionOperatorBase> = [.stringLike, .arnLike, .arnEquals]

    static func holds(_ node: JSONNode) -> Bool {
        switch node.value {
        case .string(let text): TemplateIntrinsics.holds(text)
        case .array(let elements): elements.contains(where: holds)
        case .object(let members): members.contains { TemplateIntrinsics.holds($0.key) || holds($0.value) }
        default: false
        }
    }

    /// The document read soundly.
    mutating func read(_ document: JSONNode, pointer: JSONPointer) -> JSONNode {
        guard case .object(let members) = document.value else { return document }
        var result: [JSONMember] = []
        for member in members {
            var value = member.value
            switch member.key {
            case "Statement":
                if let statements = value.arrayValue {
                    var kept: [JSONNode] = []
                    for (index, statement) in statements.enumerated() {
                        if let read = readStatement(statement, pointer: pointer.appending("Statement").appending(index)) { kept.append(read) }
                    }
                    value = JSONNode(.array(kept), span: value.span)
                } else if let read = readStatement(value, pointer: pointer.appending("Statement")) {
                    value = read
                } else {
                    value = JSONNode(.array([]), span: value.span)
                }
            case "Version":
                value = replaced(value, with: "2012-10-17")
            default:
                value = replaced(value, with: "x")
            }
            result.append(JSONMember(key: member.key, keySpan: member.keySpan, value: value))
        }
        return JSONNode(.object(result), span: document.span)
    }

    private mutating func readStatement(_ statement: JSONNode, pointer: JSONPointer) -> JSONNode? {
        guard case .object(let members) = statement.value, Self.holds(statement) else { return statement }
        let effect = statement["Effect"]
        if let effect, Self.holds(effect) {
            notes.append(Located("the Effect is not known and is read as Allow", pointer: pointer.appending("Effect"), span: effect.span))
        } else if effect?.stringValue == "Deny" {
            notes.append(Located("a Deny statement that depends on a value not known is read as denying nothing", pointer: pointer, span: statement.span))
            return nil
        }
        var result: [JSONMember] = []
        for member in members {
            let path = pointer.appending(member.key)
            guard Self.holds(member.value) else {
                result.append(member)
                continue
            }
            var value = member.value
            switch member.key {
            case "Effect":
                value = JSONNode(.string("Allow"), span: value.span)
            case "Principal":
                value = principal(value)
                if Self.holds(member.value.replacingAccount(with: Self.standInAccount)) {
                    notes.append(Located("a principal not known is read as '*'", pointer: path, span: member.value.span))
                    fabricated.append(path)
                }
            case "Action", "Resource":
                value = wildcard(value)
                notes.append(Located("a value not known is read as '*' in \(member.key): \(Self.shown(value))", pointer: path, span: member.value.span))
            case "NotAction", "NotResource", "NotPrincipal":
                guard let pruned = pruned(value) else {
                    notes.append(Located("\(member.key) depends on values not known and is read as excluding nothing", pointer: path, span: member.value.span))
                    continue
                }
                value = pruned
                notes.append(Located("entries of \(member.key) not known are read as excluding nothing", pointer: path, span: member.value.span))
            case "Condition":
                value = readCondition(value, pointer: path)
                if value.objectValue?.isEmpty == true { continue }
            default:
                value = replaced(value, with: "X")
            }
            result.append(JSONMember(key: member.key, keySpan: member.keySpan, value: value))
        }
        return JSONNode(.object(result), span: statement.span)
    }

    private mutating func readCondition(_ condition: JSONNode, pointer: JSONPointer) -> JSONNode {
        guard case .object(let operators) = condition.value else { return replaced(condition, with: "X") }
        var result: [JSONMember] = []
        for block in operators {
            guard case .object(let keys) = block.value.value else {
                result.append(block)
                continue
            }
            let wildcardOperator = ConditionOperator(parsing: block.key).map { Self.wildcardOperators.contains($0.base) } ?? false
            var kept: [JSONMember] = []
            for key in keys {
                guard Self.holds(key.value) || TemplateText.contains(marker: Self.hole, in: key.key) else {
                    kept.append(key)
                    continue
                }
                let path = pointer.appending(block.key).appending(key.key)
                if wildcardOperator, !TemplateText.contains(marker: Self.hole, in: key.key) {
                    kept.append(JSONMember(key: key.key, keySpan: key.keySpan, value: wildcard(key.value)))
                    notes.append(Located("a value not known is read as '*' under \(block.key): \(key.key) \(Self.shown(wildcard(key.value)))",
                                         pointer: path, span: key.value.span))
                } else {
                    notes.append(Located("the condition on \(key.key) depends on a value not known and is read as always true",
                                         pointer: path, span: key.value.span))
                }
            }
            if !kept.isEmpty {
                result.append(JSONMember(key: block.key, keySpan: block.keySpan, value: JSONNode(.object(kept), span: block.value.span)))
            }
        }
        return JSONNode(.object(result), span: condition.span)
    }

    /// The strings of `node`, quoted, for a note.
    static func shown(_ node: JSONNode) -> String {
        switch node.value {
        case .string(let string): "'\(string)'"
        case .array(let elements): elements.map(shown).joined(separator: ", ")
        default: node.canonicalText(limit: 200)
        }
    }

    /// Every hole of `node` as `*`.
    private func wildcard(_ node: JSONNode) -> JSONNode {
        replaced(node, with: "*")
    }

    /// A principal: the stack's account as ``standInAccount`` and a generated name of one of its resources as
    /// `generated-name` (one principal, unknown but not anyone); a principal value holding any other hole is `*`.
    private func principal(_ node: JSONNode) -> JSONNode {
        let node = node.replacingAccount(with: Self.standInAccount).replacing(Self.generatedHole, with: "generated-name")
        switch node.value {
        case .string(let string) where string.contains(Self.hole):
            return JSONNode(.string("*"), span: node.span)
        case .array(let elements):
            return JSONNode(.array(elements.map(principal)), span: node.span)
        case .object(let members):
            return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: $0.keySpan, value: principal($0.value)) }), span: node.span)
        default:
            return node
        }
    }

    /// `node` with every hole replaced by `text`.
    private func replaced(_ node: JSONNode, with text: String) -> JSONNode {
        switch node.value {
        case .string(let string) where TemplateIntrinsics.holds(string):
            var replaced = string
            for marker in [Self.hole, Self.accountHole, Self.generatedHole] {
                replaced = TemplateText.replacing(String(marker), in: replaced, with: text)
            }
            return JSONNode(.string(replaced), span: node.span)
        case .array(let elements):
            return JSONNode(.array(elements.map { replaced($0, with: text) }), span: node.span)
        case .object(let members):
            return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: $0.keySpan, value: replaced($0.value, with: text)) }), span: node.span)
        default:
            return node
        }
    }

    /// `node` without the strings that hold a hole (in a principal object, per principal type); nil when nothing
    /// is left.
    private func pruned(_ node: JSONNode) -> JSONNode? {
        switch node.value {
        case .string: return Self.holds(node) ? nil : node
        case .array(let elements):
            let kept = elements.filter { !Self.holds($0) }
            return kept.isEmpty ? nil : JSONNode(.array(kept), span: node.span)
        case .object(let members):
            let kept = members.compactMap { member in pruned(member.value).map { JSONMember(key: member.key, keySpan: member.keySpan, value: $0) } }
            return kept.isEmpty ? nil : JSONNode(.object(kept), span: node.span)
        default:
            return node
        }
    }
}

extension JSONNode {
    /// The node with this stack's account (``TemplateIntrinsics/accountHole``) written as `account`.
    func replacingAccount(with account: String) -> JSONNode {
        replacing(TemplateIntrinsics.accountHole, with: account)
    }

    /// The node with every `marker` in its strings written as `text`.
    func replacing(_ marker: Character, with text: String) -> JSONNode {
        switch value {
        case .string(let string) where TemplateText.contains(marker: marker, in: string):
            return JSONNode(.string(TemplateText.replacing(String(marker), in: string, with: text)), span: span)
        case .array(let elements):
            return JSONNode(.array(elements.map { $0.replacing(marker, with: text) }), span: span)
        case .object(let members):
            return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: $0.keySpan, value: $0.value.replacing(marker, with: text)) }), span: span)
        default:
            return self
        }
    }
}

extension JSONNode {
    /// The node with every span, its members' key spans included, set to `span` (a document parsed out of a string
    /// is reported at that string).
    func respanned(to span: SourceSpan) -> JSONNode {
        switch value {
        case .array(let elements):
            return JSONNode(.array(elements.map { $0.respanned(to: span) }), span: span)
        case .object(let members):
            return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: span, value: $0.value.respanned(to: span)) }), span: span)
        default:
            return JSONNode(value, span: span)
        }
    }
}
