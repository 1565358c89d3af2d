/// A node's tag, resolved to what the reader does with it.
enum YAMLTag: Equatable {
    /// `!`: the node is a string (or stays the collection it is).
    case nonSpecific
    /// One of YAML 1.2's core schema tags, `tag:yaml.org,2002:…`.
    case core(YAMLCoreTag)
    /// A CloudFormation short form such as `!Sub`, with the key of its long form (`Fn::Sub`).
    case cloudFormation(name: String, key: String)

    /// Whether `handle` is a `%TAG` handle: `!`, `!!` or `!name!` with a name of letters, digits and `-`.
    static func isValidHandle(_ handle: String) -> Bool {
        guard handle.count >= 1, handle.first == "!", handle.last == "!" else { return false }
        return handle.dropFirst().dropLast().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}

/// The core schema tags the reader honours; `!!binary`, `!!set`, `!!omap`, `!!timestamp` and others are errors.
enum YAMLCoreTag: String {
    case str, int, float, bool, null, map, seq
}

/// CloudFormation's YAML short forms of its intrinsic functions: `!Name value` is the long form
/// `{"Fn::Name": value}`, except `!Ref` (`{"Ref": …}`) and `!Condition` (`{"Condition": …}`).
///
/// `!GetAtt Resource.Attribute`, a scalar, is `{"Fn::GetAtt": ["Resource", "Attribute"]}`, split at the first dot;
/// its sequence form is kept as written. `!Length` and `!ToJsonString` belong to the `AWS::LanguageExtensions`
/// transform. See "Intrinsic function reference" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html),
/// "Fn::GetAtt" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html)
/// and "Condition functions" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html).
enum CloudFormationShortForm {
    static let functionNames: Set<String> = [
        "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue", "Join", "Length",
        "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform",
    ]

    /// The long-form key of the short form `!name`, or nil when CloudFormation defines no such short form.
    static func longFormKey(_ name: String) -> String? {
        if name == "Ref" || name == "Condition" { return name }
        return functionNames.contains(name) ? "Fn::" + name : nil
    }
}

/// YAML 1.2's core schema: how an untagged plain scalar resolves.
enum YAMLCoreSchema {
    static func value(ofPlain text: String) -> JSONValue {
        // Null, a Boolean or a number starts with one of these (or is empty): most plain scalars of a template are
        // names and are strings at the first byte.
        if let first = text.utf8.first, !"~nNtTfF+-.0123456789".utf8.contains(first) { return .string(text) }
        if isNull(text) { return .null }
        if let bool = bool(text) { return .bool(bool) }
        if isInteger(text) || isFloat(text) { return .number(text) }
        return .string(text)
    }

    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    static func isInteger(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        if utf8.count > 2, utf8[0] == UInt8(ascii: "0") {
            if utf8[1] == UInt8(ascii: "o") { return utf8[2...].allSatisfy { (0x30...0x37).contains($0) } }
            if utf8[1] == UInt8(ascii: "x") { return utf8[2...].allSatisfy(isHexadecimalDigit) }
        }
        let digits = utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") ? utf8.dropFirst() : utf8[...]
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)` or `\.(nan|NaN|NAN)`.
    static func isFloat(_ text: String) -> Bool {
        if text == ".nan" || text == ".NaN" || text == ".NAN" { return true }
        var utf8 = Array(text.utf8)[...]
        if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        let unsigned = String(decoding: utf8, as: UTF8.self)
        if unsigned == ".inf" || unsigned == ".Inf" || unsigned == ".INF" { return true }
        let integerDigits = utf8.prefix(while: isDigit).count
        utf8 = utf8.dropFirst(integerDigits)
        var fractionDigits = 0
        if utf8.first == UInt8(ascii: ".") {
            utf8 = utf8.dropFirst()
            fractionDigits = utf8.prefix(while: isDigit).count
            utf8 = utf8.dropFirst(fractionDigits)
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return false }
        if utf8.first == UInt8(ascii: "e") || utf8.first == UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
            let exponentDigits = utf8.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            utf8 = utf8.dropFirst(exponentDigits)
        }
        return utf8.isEmpty
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    static func isHexadecimalDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}

extension YAMLReader {
    /// Resolves a tag as written (`!!str`, `!Ref`, `!e!name`, `!<tag:yaml.org,2002:str>`) through the document's
    /// `%TAG` handles; a tag the reader cannot honour is an error at `offset`.
    mutating func resolveTag(_ text: String, at offset: Int) throws(YAMLSyntaxError) -> YAMLTag {
        if text == "!" { return .nonSpecific }
        let coreTagPrefix = "tag:yaml.org,2002:"
        let full: String
        if text.hasPrefix("!<") {
            guard text.hasSuffix(">"), text.count > 3 else { throw error("invalid verbatim tag '\(text)'", at: offset) }
            full = String(text.dropFirst(2).dropLast())
        } else {
            let body = text.dropFirst()
            if let bang = body.firstIndex(of: "!") {
                let handle = "!" + body[..<bang] + "!"
                let suffix = body[body.index(after: bang)...]
                guard let prefix = tagHandles[handle] ?? (handle == "!!" ? coreTagPrefix : nil) else {
                    throw error("undeclared tag handle '\(handle)' (declare it with a %TAG directive)", at: offset)
                }
                guard !suffix.isEmpty else { throw error("the tag '\(text)' has no name after its handle", at: offset) }
                full = prefix + suffix
            } else {
                full = (tagHandles["!"] ?? "!") + body
            }
        }
        if full.hasPrefix(coreTagPrefix) {
            guard let core = YAMLCoreTag(rawValue: String(full.dropFirst(coreTagPrefix.count))) else {
                throw error("the tag '\(text)' is not supported (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq)", at: offset)
            }
            return .core(core)
        }
        if full.hasPrefix("!"), full.count > 1 {
            let name = String(full.dropFirst())
            guard options.cloudFormationTags else {
                throw error("the local tag '\(text)' is not supported (CloudFormation short forms are not enabled)", at: offset)
            }
            guard let key = CloudFormationShortForm.longFormKey(name) else {
                throw error("unknown tag '\(text)': not a CloudFormation short-form function", at: offset)
            }
            return .cloudFormation(name: name, key: key)
        }
        throw error("the tag '\(text)' is not supported", at: offset)
    }

    /// The node the tag of `properties` makes of `parsed`.
    mutating func apply(_ tag: YAMLTag, of properties: YAMLNodeProperties,
                        to parsed: YAMLParsedNode) throws(YAMLSyntaxError) -> YAMLParsedNode {
        let tagOffset = properties.tagOffset
        var result = parsed
        result.isPlain = false
        let text = parsed.scalarText
        switch tag {
        case .nonSpecific:
            if let text { result.node.value = .string(text) }
        case .core(let core):
            let resolved: JSONValue?
            switch core {
            case .str: resolved = text.map { .string($0) }
            case .int: resolved = text.flatMap { YAMLCoreSchema.isInteger($0) ? .number($0) : nil }
            case .float: resolved = text.flatMap { YAMLCoreSchema.isFloat($0) || YAMLCoreSchema.isInteger($0) ? .number($0) : nil }
            case .bool: resolved = text.flatMap { YAMLCoreSchema.bool($0) }.map { .bool($0) }
            case .null: resolved = text.flatMap { YAMLCoreSchema.isNull($0) ? .null : nil }
            case .map: resolved = parsed.node.objectValue == nil ? nil : parsed.node.value
            case .seq: resolved = parsed.node.arrayValue == nil ? nil : parsed.node.value
            }
            guard let resolved else {
                let what = text.map { "'\($0)'" } ?? "a \(parsed.node.value.typeName == "object" ? "mapping" : "sequence")"
                throw error("\(what) cannot be read as !!\(core.rawValue)", at: tagOffset)
            }
            result.node.value = resolved
        case .cloudFormation(let name, let key):
            var value = parsed.node
            if let text {
                value.value = .string(text)
                if name == "GetAtt" { value.value = try attributeReference(text, of: parsed, tagOffset: tagOffset) }
            }
            let span = SourceSpan(start: properties.tagPosition, end: max(properties.tagPosition, parsed.node.span.end))
            result = YAMLParsedNode(node: JSONNode(.object([JSONMember(key: key, keySpan: span, value: value)]), span: span))
        }
        return result
    }

    /// `Resource.Attribute` split at its first dot into `["Resource", "Attribute"]`; each part spans its own text
    /// when the scalar was written plain on one line, else the whole scalar.
    mutating func attributeReference(_ text: String, of parsed: YAMLParsedNode,
                                     tagOffset: Int) throws(YAMLSyntaxError) -> JSONValue {
        let utf8 = Array(text.utf8)
        guard let dot = utf8.firstIndex(of: YAMLByte.period), dot > 0, dot < utf8.count - 1 else {
            throw error("!GetAtt needs 'Resource.Attribute', not '\(text)'", at: tagOffset)
        }
        let span = parsed.node.span
        var resourceSpan = span
        var attributeSpan = span
        if parsed.isPlain, span.end.offset - span.start.offset == utf8.count {
            let dotColumn = span.start.column + utf8[..<dot].lazy.filter { $0 & 0xC0 != 0x80 }.count
            let dotPosition = SourcePosition(line: span.start.line, column: dotColumn, offset: span.start.offset + dot)
            let afterDot = SourcePosition(line: span.start.line, column: dotColumn + 1, offset: span.start.offset + dot + 1)
            resourceSpan = SourceSpan(start: span.start, end: dotPosition)
            attributeSpan = SourceSpan(start: afterDot, end: span.end)
        }
        return .array([
            JSONNode(.string(String(decoding: utf8[..<dot], as: UTF8.self)), span: resourceSpan),
            JSONNode(.string(String(decoding: utf8[(dot + 1)...], as: UTF8.self)), span: attributeSpan),
        ])
    }
}
