import IAMPolicy

/// AWS SAM's policy templates (`DynamoDBCrudPolicy: {TableName: !Ref Orders}` in a function's `Policies`), expanded
/// into the statements SAM writes for them: each `Ref` to a template parameter is replaced by the value the call
/// gives, which the template source then evaluates like any other value of the template.
///
/// Reference: AWS SAM Developer Guide, "AWS SAM policy templates"
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html);
/// the data is SAM's own (``SAMPolicyTemplatesData``).
enum SAMPolicyTemplates {
    /// Template name → its definition (a policy document without `Version`) and parameter names.
    static let templates: [String: (definition: JSONNode, parameters: [String])] = {
        guard let tree = try? JSONParser().parse(SAMPolicyTemplatesData.json), let members = tree.objectValue else { return [:] }
        var templates: [String: (JSONNode, [String])] = [:]
        for member in members {
            guard let definition = member.value["Definition"] else { continue }
            templates[member.key] = (definition, member.value["Parameters"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        return templates
    }()

    static let names = Set(templates.keys)

    /// The statements of template `name` called with `parameters` (an object of parameter values), every node of
    /// the definition placed at `span` (the call in the user's template); nil when SAM has no such template.
    /// A parameter the call does not give stays a `Ref` of that name, which the template source reads as unknown
    /// unless the template declares a parameter of that name.
    static func expand(_ name: String, parameters: JSONNode, at span: SourceSpan) -> JSONNode? {
        guard let template = templates[name] else { return nil }
        var values: [String: JSONNode] = [:]
        for member in parameters.objectValue ?? [] where template.parameters.contains(member.key) { values[member.key] = member.value }
        return substituted(template.definition, values: values, span: span)
    }

    private static func substituted(_ node: JSONNode, values: [String: JSONNode], span: SourceSpan) -> JSONNode {
        switch node.value {
        case .object(let members):
            if members.count == 1, members[0].key == "Ref", let parameter = members[0].value.stringValue, let value = values[parameter] {
                return value
            }
            return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: span, value: substituted($0.value, values: values, span: span)) }),
                            span: span)
        case .array(let elements):
            return JSONNode(.array(elements.map { substituted($0, values: values, span: span) }), span: span)
        default:
            return JSONNode(node.value, span: span)
        }
    }
}
