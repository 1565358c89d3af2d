/// A JSON value whose objects keep the order their members were written in, rendered as the design files of the
/// repository are written: two-space indents, one array element a line.
indirect enum StarterDesignJSON: Sendable {
    case string(String)
    case number(Int)
    case array([StarterDesignJSON])
    /// Members in order; `inline` renders the object on one line (a review note).
    case object([(key: String, value: StarterDesignJSON)], inline: Bool = false)

    /// The value as JSON text, ending in a line break.
    func rendered() -> String {
        var text = ""
        write(into: &text, indent: "")
        return text + "\n"
    }

    private func write(into text: inout String, indent: String) {
        switch self {
        case .string(let value):
            text += Self.quoted(value)
        case .number(let value):
            text += String(value)
        case .array(let elements):
            guard !elements.isEmpty else {
                text += "[]"
                return
            }
            text += "[\n"
            for (index, element) in elements.enumerated() {
                text += indent + "  "
                element.write(into: &text, indent: indent + "  ")
                text += index == elements.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case .object(let members, let inline):
            guard !members.isEmpty else {
                text += "{}"
                return
            }
            if inline {
                text += "{"
                for (index, member) in members.enumerated() {
                    text += Self.quoted(member.key) + ": "
                    member.value.write(into: &text, indent: indent)
                    if index < members.count - 1 { text += ", " }
                }
                text += "}"
                return
            }
            text += "{\n"
            for (index, member) in members.enumerated() {
                text += indent + "  " + Self.quoted(member.key) + ": "
                member.value.write(into: &text, indent: indent + "  ")
                text += index == members.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        }
    }

    /// `value` as a JSON string: quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}
