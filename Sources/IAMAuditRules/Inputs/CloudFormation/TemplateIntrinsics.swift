import IAMPolicy

/// Evaluates the CloudFormation intrinsic functions of a template value into plain JSON, symbolically.
///
/// A value built from intrinsics becomes text with holes: `Ref` to a parameter is its one allowed value or its
/// default, a pseudo parameter is the design's partition, account or region where the design gives them,
/// `Fn::GetAtt Res.Arn` is the ARN of that resource of the template (``TemplateResourceNames``), and `Fn::Sub`,
/// `Fn::Join`, `Fn::Select`, `Fn::Split` and `Fn::FindInMap` combine them. `Fn::If` takes the branch the current
/// choice of its condition says (the source audits every combination); a parameter with several allowed values
/// is a choice too. What cannot be resolved (`Fn::ImportValue`, a parameter without default, an attribute other
/// than an ARN, a resource name CloudFormation generates) becomes a hole, ``hole``, and is named in
/// ``unresolved``; ``SoundReading`` then reads each hole as the value that admits the most.
///
/// References: AWS CloudFormation User Guide, "Intrinsic function reference" and "Pseudo parameters reference"
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html,
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
struct TemplateIntrinsics {
    /// Stands for an unknown run of text inside an evaluated string (a private-use scalar no template holds).
    static let hole: Character = "\u{E000}"
    /// Stands for this stack's account when the design does not give it: unknown, but one account throughout.
    static let accountHole: Character = "\u{E001}"
    /// Stands for a name CloudFormation generates for a resource of this stack: unknown, but one resource.
    static let generatedHole: Character = "\u{E002}"

    let template: TemplateModel
    /// Condition name → the branch taken; parameter name → the index of its allowed value taken.
    var conditionChoices: [String: Bool] = [:]
    var parameterChoices: [String: Int] = [:]
    /// The intrinsics read as holes, for the note that says so: `Fn::ImportValue`, `Ref BucketParam`.
    private(set) var unresolved: [Located<String>] = []
    /// The conditions and multi-valued parameters the evaluation met, to enumerate.
    private(set) var conditionsMet: [String] = []
    private(set) var parametersMet: [String] = []

    /// Whether this evaluation only surveys the choices a value depends on: every branch of every `Fn::If` is
    /// visited, so a condition nested in an unchosen branch is found too.
    var probing = false
    /// Whether a condition or multi-valued parameter absent from the choices is a hole (beyond the combinations the
    /// source audits one by one) rather than its first value.
    var unchosenAreHoles = false

    /// How many resource names deep the evaluation is (a name built from another resource's name), bounded.
    var nameDepth = 0

    /// Deeper nesting than this is read as a hole (a template cannot usefully nest intrinsics further).
    static let maxDepth = 64

    init(template: TemplateModel) {
        self.template = template
    }

    /// Holds `choice` at `value` (a condition: 0 true, 1 false; a parameter: the index of its allowed value).
    mutating func choose(_ choice: TemplateReader.Choice, _ value: Int) {
        switch choice {
        case .condition(let name):
            conditionChoices[name] = value == 0
            // A condition taken against what the parameters' defaults make it means those parameters were given
            // other values at deploy time: in this combination they are not known.
            if let definition = template.conditions[name], let byDefault = decide(definition, depth: 0), byDefault != (value == 0) {
                // The stack's own parameters keep the values the design gives them.
                overridden.formUnion(Self.parameters(in: definition, template: template, depth: 0).subtracting(template.fixedParameters))
            }
        case .parameter(let name, _): parameterChoices[name] = value
        }
    }

    /// Parameters given a value other than their default in this combination (``choose(_:_:)``).
    var overridden: Set<String> = []

    /// A condition's value when the parameters keep their defaults; nil when it depends on something else.
    private func decide(_ node: JSONNode, depth: Int) -> Bool? {
        guard depth < 32, let function = node.objectValue?.first, node.objectValue?.count == 1 else {
            return node.boolValue ?? (node.stringValue == "true" ? true : node.stringValue == "false" ? false : nil)
        }
        let arguments = function.value.arrayValue ?? []
        switch function.key {
        case "Fn::Equals":
            guard arguments.count == 2, let left = scalar(arguments[0], depth: depth + 1), let right = scalar(arguments[1], depth: depth + 1) else { return nil }
            return left == right
        case "Fn::Not":
            return arguments.first.flatMap { decide($0, depth: depth + 1) }.map(!)
        case "Fn::And":
            let values = arguments.map { decide($0, depth: depth + 1) }
            if values.contains(false) { return false }
            return values.contains(nil) ? nil : true
        case "Fn::Or":
            let values = arguments.map { decide($0, depth: depth + 1) }
            if values.contains(true) { return true }
            return values.contains(nil) ? nil : false
        case "Condition":
            return function.value.stringValue.flatMap { template.conditions[$0] }.flatMap { decide($0, depth: depth + 1) }
        default:
            return nil
        }
    }

    /// The text of a condition operand under the parameters' defaults.
    private func scalar(_ node: JSONNode, depth: Int) -> String? {
        if let text = node.stringValue { return text }
        if case .number(let text) = node.value { return text }
        guard let function = node.objectValue?.first, node.objectValue?.count == 1, function.key == "Ref",
              let name = function.value.stringValue else { return nil }
        if let parameter = template.parameters[name] {
            return parameter["Default"].flatMap { $0.stringValue ?? (Self.numberText($0)) }
        }
        return template.pseudoParameters[name].flatMap { TemplateIntrinsics.holds($0) ? nil : $0 }
    }

    /// The parameters a condition's definition refers to, through the conditions it names.
    private static func parameters(in node: JSONNode, template: TemplateModel, depth: Int) -> Set<String> {
        guard depth < 32 else { return [] }
        switch node.value {
        case .object(let members):
            if members.count == 1, members[0].key == "Ref", let name = members[0].value.stringValue, template.parameters[name] != nil {
                return [name]
            }
            if members.count == 1, members[0].key == "Condition", let name = members[0].value.stringValue, let definition = template.conditions[name] {
                return parameters(in: definition, template: template, depth: depth + 1)
            }
            return members.reduce(into: Set<String>()) { $0.formUnion(parameters(in: $1.value, template: template, depth: depth + 1)) }
        case .array(let elements):
            return elements.reduce(into: Set<String>()) { $0.formUnion(parameters(in: $1, template: template, depth: depth + 1)) }
        default:
            return []
        }
    }

    /// `node` with every intrinsic evaluated; nil for `Ref: AWS::NoValue` (the member or element is removed).
    mutating func evaluate(_ node: JSONNode, pointer: JSONPointer, depth: Int = 0) -> JSONNode? {
        guard depth < Self.maxDepth else { return holeNode(node, "nesting deeper than \(Self.maxDepth)", pointer) }
        switch node.value {
        case .object(let members):
            if members.count == 1, let function = members.first, Self.isIntrinsic(function.key) {
                return evaluateFunction(function.key, function.value, whole: node, pointer: pointer, depth: depth)
            }
            var result: [JSONMember] = []
            for member in members {
                if let value = evaluate(member.value, pointer: pointer.appending(member.key), depth: depth + 1) {
                    result.append(JSONMember(key: member.key, keySpan: member.keySpan, value: value))
                }
            }
            return JSONNode(.object(result), span: node.span)
        case .array(let elements):
            var result: [JSONNode] = []
            for (index, element) in elements.enumerated() {
                guard let value = evaluate(element, pointer: pointer.appending(index), depth: depth + 1) else { continue }
                result.append(value)
            }
            return JSONNode(.array(result), span: node.span)
        case .string(let text) where TemplateText.contains("{{resolve:", in: text):
            return JSONNode(.string(withoutDynamicReferences(text, node: node, pointer: pointer)), span: node.span)
        default:
            return node
        }
    }

    /// Whether `text` holds a hole of any kind.
    static func holds(_ text: String) -> Bool {
        TemplateText.holdsMarker(text) ?? (text.contains(hole) || text.contains(accountHole) || text.contains(generatedHole))
    }

    /// `text` with each dynamic reference (`{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`) a hole: its value is
    /// read at deploy time.
    private mutating func withoutDynamicReferences(_ text: String, node: JSONNode, pointer: JSONPointer) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = TemplateText.range(of: "{{resolve:", in: rest) {
            output += rest[..<open.lowerBound]
            guard let close = TemplateText.range(of: "}}", in: rest[open.upperBound...]) else {
                output += rest[open.lowerBound...]
                rest = ""
                break
            }
            note("dynamic reference \(rest[open.lowerBound..<close.upperBound])", node, pointer)
            output.append(Self.hole)
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    static func isIntrinsic(_ key: String) -> Bool {
        key == "Ref" || key.hasPrefix("Fn::")
    }

    // MARK: Functions

    private mutating func evaluateFunction(_ name: String, _ argument: JSONNode, whole: JSONNode, pointer: JSONPointer,
                                           depth: Int) -> JSONNode? {
        let inner = pointer.appending(name)
        switch name {
        case "Ref":
            guard let target = argument.stringValue else { return holeNode(whole, "Ref of a non-string", pointer) }
            if target == "AWS::NoValue" { return nil }
            return reference(target, at: whole, pointer: pointer)
        case "Fn::Sub":
            return substitute(argument, whole: whole, pointer: inner, depth: depth)
        case "Fn::GetAtt":
            var parts: [String]
            if let text = argument.stringValue {
                parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            } else if let elements = argument.arrayValue {
                parts = elements.map { element in
                    evaluate(element, pointer: inner, depth: depth + 1)?.stringValue ?? String(Self.hole)
                }
            } else {
                parts = []
            }
            guard parts.count == 2 else { return holeNode(whole, "Fn::GetAtt", pointer) }
            let names = template.names
            if let value = names.attribute(parts[1], of: parts[0], template: &self) {
                return JSONNode(.string(value), span: whole.span)
            }
            return holeNode(whole, "Fn::GetAtt \(parts[0]).\(parts[1])", pointer)
        case "Fn::Join":
            guard let arguments = argument.arrayValue, arguments.count == 2,
                  let separator = evaluate(arguments[0], pointer: inner.appending(0), depth: depth + 1)?.stringValue,
                  let list = evaluate(arguments[1], pointer: inner.appending(1), depth: depth + 1) else {
                return holeNode(whole, "Fn::Join", pointer)
            }
            guard let elements = list.arrayValue else {
                return JSONNode(.string(list.stringValue ?? String(Self.hole)), span: whole.span)
            }
            return JSONNode(.string(elements.map { $0.stringValue ?? String(Self.hole) }.joined(separator: separator)), span: whole.span)
        case "Fn::If":
            guard let arguments = argument.arrayValue, arguments.count == 3, let condition = arguments[0].stringValue else {
                return holeNode(whole, "Fn::If", pointer)
            }
            if let fixed = template.fixedConditions[condition] {
                let chosen = fixed ? 1 : 2
                return evaluate(arguments[chosen], pointer: inner.appending(chosen), depth: depth + 1)
            }
            if !conditionsMet.contains(condition) { conditionsMet.append(condition) }
            if probing {
                let whenTrue = evaluate(arguments[1], pointer: inner.appending(1), depth: depth + 1)
                _ = evaluate(arguments[2], pointer: inner.appending(2), depth: depth + 1)
                return whenTrue
            }
            guard let branch = conditionChoices[condition] ?? (unchosenAreHoles ? nil : true) else {
                return holeNode(whole, "Fn::If \(condition) (beyond the combinations audited one by one)", pointer)
            }
            let chosen = branch ? 1 : 2
            return evaluate(arguments[chosen], pointer: inner.appending(chosen), depth: depth + 1)
        case "Fn::Select":
            guard let arguments = argument.arrayValue, arguments.count == 2,
                  let indexText = evaluate(arguments[0], pointer: inner.appending(0), depth: depth + 1),
                  let index = Int(indexText.stringValue ?? Self.numberText(indexText) ?? ""),
                  let list = evaluate(arguments[1], pointer: inner.appending(1), depth: depth + 1)?.arrayValue,
                  list.indices.contains(index) else {
                return holeNode(whole, "Fn::Select", pointer)
            }
            return list[index]
        case "Fn::Split":
            guard let arguments = argument.arrayValue, arguments.count == 2,
                  let separator = evaluate(arguments[0], pointer: inner.appending(0), depth: depth + 1)?.stringValue, !separator.isEmpty,
                  let text = evaluate(arguments[1], pointer: inner.appending(1), depth: depth + 1)?.stringValue,
                  !TemplateIntrinsics.holds(text) else {
                // Text not known may hold the separator itself: no element of the split is known.
                return holeNode(whole, "Fn::Split", pointer)
            }
            let parts = text.components(separatedBy: separator).map { JSONNode(.string($0), span: whole.span) }
            return JSONNode(.array(parts), span: whole.span)
        case "Fn::FindInMap":
            guard let arguments = argument.arrayValue, arguments.count >= 3 else { return holeNode(whole, "Fn::FindInMap", pointer) }
            let keys = arguments.prefix(3).enumerated().map { index, key in
                evaluate(key, pointer: inner.appending(index), depth: depth + 1)?.stringValue
            }
            guard let map = keys[0], let top = keys[1], let second = keys[2], !(map + top + second).contains(Self.hole),
                  let value = template.mappings?[map]?[top]?[second] else {
                return holeNode(whole, "Fn::FindInMap", pointer)
            }
            return JSONNode(value.value, span: whole.span)
        default:
            // Fn::ImportValue, Fn::Base64, Fn::Cidr, Fn::GetAZs, Fn::Transform, Fn::ToJsonString, Fn::Length, …
            return holeNode(whole, name, pointer)
        }
    }

    /// `Ref` of a parameter, a pseudo parameter or a resource.
    private mutating func reference(_ name: String, at whole: JSONNode, pointer: JSONPointer) -> JSONNode {
        if let parameter = template.parameters[name] {
            if overridden.contains(name) {
                return holeNode(whole, "Ref \(name) (given another value than its default, as a condition taken here needs)", pointer)
            }
            // An SSM parameter type's default is the name of the SSM parameter, not its value.
            if let type = parameter["Type"]?.stringValue, type.hasPrefix("AWS::SSM::Parameter::Value") {
                return holeNode(whole, "Ref \(name) (a value read from SSM at deploy time)", pointer)
            }
            if let allowed = parameter["AllowedValues"]?.arrayValue, !allowed.isEmpty {
                if allowed.count > 1, !parametersMet.contains(name) { parametersMet.append(name) }
                if allowed.count > 1, parameterChoices[name] == nil, unchosenAreHoles {
                    return holeNode(whole, "Ref \(name) (beyond the combinations audited one by one)", pointer)
                }
                let index = min(parameterChoices[name] ?? 0, allowed.count - 1)
                return Self.parameterValue(allowed[index], type: parameter["Type"]?.stringValue, span: whole.span)
                    ?? holeNode(whole, "Ref \(name)", pointer)
            }
            if let value = parameter["Default"], let resolved = Self.parameterValue(value, type: parameter["Type"]?.stringValue, span: whole.span) {
                return resolved
            }
            return holeNode(whole, "Ref \(name) (a parameter without default)", pointer)
        }
        if let pseudo = template.pseudoParameters[name] { return JSONNode(.string(pseudo), span: whole.span) }
        if name.hasPrefix("AWS::") { return holeNode(whole, "Ref \(name)", pointer) }
        let names = template.names
        if let value = names.reference(to: name, template: &self) { return JSONNode(.string(value), span: whole.span) }
        return holeNode(whole, "Ref \(name)", pointer)
    }

    /// A parameter's value: a string, or a list for `CommaDelimitedList` and `List<…>` types.
    private static func parameterValue(_ value: JSONNode, type: String?, span: SourceSpan) -> JSONNode? {
        let text = value.stringValue ?? numberText(value)
        guard let text else { return nil }
        if let type, type == "CommaDelimitedList" || type.hasPrefix("List<") {
            let items = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { JSONNode(.string($0.trimmingCharacters(in: .whitespaces)), span: span) }
            return JSONNode(.array(items), span: span)
        }
        return JSONNode(.string(text), span: span)
    }

    private static func numberText(_ node: JSONNode) -> String? {
        switch node.value {
        case .number(let text): text
        case .bool(let bool): bool ? "true" : "false"
        default: nil
        }
    }

    /// `Fn::Sub`: a string, or `[string, {name: value}]`; `${Name}` is a variable or a `Ref`, `${Res.Attr}` a
    /// `Fn::GetAtt`, `${!Text}` the literal `${Text}`.
    private mutating func substitute(_ argument: JSONNode, whole: JSONNode, pointer: JSONPointer, depth: Int) -> JSONNode {
        var text: String
        var variables: [String: String] = [:]
        if let string = argument.stringValue {
            text = string
        } else if let elements = argument.arrayValue, elements.count == 2, let string = elements[0].stringValue {
            text = string
            for member in elements[1].objectValue ?? [] {
                let value = evaluate(member.value, pointer: pointer.appending(1).appending(member.key), depth: depth + 1)
                variables[member.key] = value?.stringValue ?? String(Self.hole)
            }
        } else {
            return holeNode(whole, "Fn::Sub", pointer)
        }
        var output = ""
        while let open = TemplateText.range(of: "${", in: text) {
            output += text[..<open.lowerBound]
            guard let close = text[open.upperBound...].firstIndex(of: "}") else {
                output += text[open.lowerBound...]
                text = ""
                break
            }
            let name = String(text[open.upperBound..<close])
            text = String(text[text.index(after: close)...])
            if name.hasPrefix("!") {
                output += "${" + name.dropFirst() + "}"
            } else if let value = variables[name] {
                output += value
            } else if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") {
                let resource = String(name[..<dot]), attribute = String(name[name.index(after: dot)...])
                let names = template.names
                if let value = names.attribute(attribute, of: resource, template: &self) {
                    output += value
                } else {
                    note("Fn::Sub ${\(name)}", whole, pointer)
                    output.append(Self.hole)
                }
            } else {
                let value = reference(name, at: whole, pointer: pointer)
                output += value.stringValue ?? (value.arrayValue?.compactMap(\.stringValue).joined(separator: ",") ?? String(Self.hole))
            }
        }
        output += text
        if TemplateText.contains("{{resolve:", in: output) { output = withoutDynamicReferences(output, node: whole, pointer: pointer) }
        return JSONNode(.string(output), span: whole.span)
    }

    private mutating func holeNode(_ node: JSONNode, _ what: String, _ pointer: JSONPointer) -> JSONNode {
        note(what, node, pointer)
        return JSONNode(.string(String(Self.hole)), span: node.span)
    }

    private mutating func note(_ what: String, _ node: JSONNode, _ pointer: JSONPointer) {
        if !unresolved.contains(where: { $0.value == what && $0.pointer == pointer }) {
            unresolved.append(Located(what, pointer: pointer, span: node.span))
        }
    }
}

/// The parts of a template that intrinsics read.
struct TemplateModel: Sendable {
    var parameters: [String: JSONNode] = [:]
    /// The `Conditions` section: name → definition.
    var conditions: [String: JSONNode] = [:]
    var mappings: JSONNode?
    /// `AWS::Partition`, `AWS::AccountId`, `AWS::Region`, `AWS::URLSuffix` where known.
    var pseudoParameters: [String: String] = [:]
    var names: TemplateResourceNames
    /// Conditions whose value the design's stack settles (they depend only on the parameters it gives and on known
    /// pseudo parameters): `Fn::If` takes their one branch, and they are not enumerated.
    var fixedConditions: [String: Bool] = [:]
    /// The parameters the design's stack gives a value.
    var fixedParameters: Set<String> = []

    /// A condition's value from `values` alone (the stack's parameters and the known pseudo parameters); nil when it
    /// depends on anything else.
    private static func settled(_ node: JSONNode, values: [String: String], conditions: [String: JSONNode], depth: Int) -> Bool? {
        guard depth < 32, let function = node.objectValue?.first, node.objectValue?.count == 1 else {
            return node.boolValue ?? (node.stringValue == "true" ? true : node.stringValue == "false" ? false : nil)
        }
        func scalar(_ node: JSONNode) -> String? {
            if let text = node.stringValue { return text }
            if case .number(let text) = node.value { return text }
            guard let reference = node.objectValue?.first, node.objectValue?.count == 1, reference.key == "Ref",
                  let name = reference.value.stringValue else { return nil }
            return values[name]
        }
        let arguments = function.value.arrayValue ?? []
        switch function.key {
        case "Fn::Equals":
            guard arguments.count == 2, let left = scalar(arguments[0]), let right = scalar(arguments[1]) else { return nil }
            return left == right
        case "Fn::Not":
            return arguments.count == 1 ? settled(arguments[0], values: values, conditions: conditions, depth: depth + 1).map(!) : nil
        case "Fn::And", "Fn::Or":
            let settledValues = arguments.map { settled($0, values: values, conditions: conditions, depth: depth + 1) }
            let isAnd = function.key == "Fn::And"
            if settledValues.contains(!isAnd) { return !isAnd }
            return settledValues.contains(nil) || settledValues.isEmpty ? nil : isAnd
        case "Condition":
            return function.value.stringValue.flatMap { conditions[$0] }.flatMap { settled($0, values: values, conditions: conditions, depth: depth + 1) }
        default:
            return nil
        }
    }

    /// For each parameter `Ref`'d as a key of `Fn::FindInMap` or as the index of `Fn::Select`, the values that pick
    /// something: the mapping's keys at that level, the list's indices (a literal list or `Fn::Split` of literal
    /// text).
    static func picks(in root: JSONNode, mappings: JSONNode?) -> [String: [String]] {
        var result: [String: [String]] = [:]
        func parameterName(_ node: JSONNode) -> String? {
            guard let members = node.objectValue, members.count == 1, members[0].key == "Ref" else { return nil }
            return members[0].value.stringValue
        }
        func add(_ name: String, _ values: [String]) {
            for value in values where result[name]?.contains(value) != true { result[name, default: []].append(value) }
        }
        func visit(_ node: JSONNode, depth: Int) {
            guard depth < 64 else { return }
            switch node.value {
            case .object(let members):
                if members.count == 1, let arguments = members[0].value.arrayValue {
                    if members[0].key == "Fn::FindInMap", arguments.count >= 3, let map = arguments[0].stringValue,
                       let table = mappings?[map] {
                        if let name = parameterName(arguments[1]) { add(name, table.objectValue?.map(\.key) ?? []) }
                        if let top = arguments[1].stringValue, let name = parameterName(arguments[2]) {
                            add(name, table[top]?.objectValue?.map(\.key) ?? [])
                        }
                    }
                    if members[0].key == "Fn::Select", arguments.count == 2, let name = parameterName(arguments[0]) {
                        var count = arguments[1].arrayValue?.count
                        if let split = arguments[1]["Fn::Split"]?.arrayValue, split.count == 2, let separator = split[0].stringValue,
                           !separator.isEmpty, let text = split[1].stringValue {
                            count = text.components(separatedBy: separator).count
                        }
                        if let count { add(name, (0..<min(count, 64)).map(String.init)) }
                    }
                }
                for member in members where member.key != "Parameters" && member.key != "Mappings" || depth > 0 {
                    visit(member.value, depth: depth + 1)
                }
            case .array(let elements):
                for element in elements { visit(element, depth: depth + 1) }
            case .null, .bool, .number, .string:
                break
            }
        }
        visit(root, depth: 0)
        return result
    }

    /// - Parameter stack: the design environment whose stack the template is read as: its `parameters` replace the
    ///   template's defaults and allowed values (a parameter given so has that one value), and its `stackName` is
    ///   `AWS::StackName`.
    init(root: JSONNode, design: Design?, stack: Design.Environment? = nil) {
        for member in root["Parameters"]?.objectValue ?? [] {
            var parameter = member.value
            if let value = stack?.parameters[member.key] {
                // The stack's value, as the only value: its type kept, its default and allowed values replaced.
                var members: [JSONMember] = []
                if let type = member.value["Type"] { members.append(JSONMember(key: "Type", keySpan: type.span, value: type)) }
                members.append(JSONMember(key: "Default", keySpan: member.value.span, value: JSONNode(.string(value), span: member.value.span)))
                parameter = JSONNode(.object(members), span: member.value.span)
            }
            parameters[member.key] = parameter
        }
        if let stackName = stack?.stackName { pseudoParameters["AWS::StackName"] = stackName }
        for member in root["Conditions"]?.objectValue ?? [] { conditions[member.key] = member.value }
        mappings = root["Mappings"]
        // A parameter with no allowed values that picks a mapping entry or a list element can be given any of the
        // keys or indices there (another value fails the deploy): those are its values, the default first, so that
        // every entry it may pick is audited, not only the default's.
        for (name, picks) in Self.picks(in: root, mappings: mappings) where stack?.parameters[name] == nil {
            guard let parameter = parameters[name], parameter["AllowedValues"] == nil,
                  parameter["Type"]?.stringValue.map({ $0.hasPrefix("AWS::SSM::") || $0.hasPrefix("List<") || $0 == "CommaDelimitedList" }) != true
            else { continue }
            var values: [String] = parameter["Default"]?.stringValue.map { [$0] } ?? []
            for value in picks where !values.contains(value) { values.append(value) }
            guard values.count > 1 else { continue }
            var members = parameter.objectValue ?? []
            members.append(JSONMember(key: "AllowedValues", keySpan: parameter.span,
                                      value: JSONNode(.array(values.map { JSONNode(.string($0), span: parameter.span) }), span: parameter.span)))
            parameters[name] = JSONNode(.object(members), span: parameter.span)
        }
        pseudoParameters["AWS::URLSuffix"] = "amazonaws.com"
        if let design {
            pseudoParameters["AWS::Partition"] = design.partition
            pseudoParameters["AWS::AccountId"] = design.account ?? String(TemplateIntrinsics.accountHole)
            if let region = design.region { pseudoParameters["AWS::Region"] = region }
        } else {
            pseudoParameters["AWS::Partition"] = "aws"
            pseudoParameters["AWS::AccountId"] = String(TemplateIntrinsics.accountHole)
        }
        names = TemplateResourceNames(resources: root["Resources"])
        // Conditions the stack's own values settle take their one branch: the other is not this stack's.
        if let stack {
            fixedParameters = Set(stack.parameters.keys)
            var values = stack.parameters
            for (name, value) in pseudoParameters where !TemplateIntrinsics.holds(value) { values[name] = value }
            for name in conditions.keys {
                if let value = Self.settled(JSONNode(.object([JSONMember(key: "Condition", keySpan: root.span, value: JSONNode(.string(name), span: root.span))]), span: root.span),
                                            values: values, conditions: conditions, depth: 0) {
                    fixedConditions[name] = value
                }
            }
        }
    }
}
