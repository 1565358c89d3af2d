// libFuzzer target: the YAML reader must never crash or hang; every span it gives lies inside the input, in order,
// and whatever the JSON parser reads, the YAML reader reads to the same values (JSON is YAML).
import IAMPolicy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = YAMLParser(options: YAMLParser.Options(cloudFormationTags: true))
    if let documents = try? parser.parseDocuments(bytes) {
        for document in documents {
            checkSpans(document, size: size)
            precondition(document.resolve(.root) == document)
        }
    }
    if let json = try? JSONParser().parse(bytes) {
        let yaml: JSONNode
        do {
            yaml = try YAMLParser().parse(bytes)
        } catch {
            preconditionFailure("JSON the YAML reader rejects: \(error)")
        }
        precondition(sameValue(json, yaml), "JSON the YAML reader reads to another value")
    }
    return 0
}

func checkSpans(_ node: JSONNode, size: Int) {
    check(node.span, size: size)
    switch node.value {
    case .array(let elements):
        elements.forEach { checkSpans($0, size: size) }
    case .object(let members):
        for member in members {
            check(member.keySpan, size: size)
            checkSpans(member.value, size: size)
        }
    default:
        break
    }
}

func check(_ span: SourceSpan, size: Int) {
    precondition(span.start.offset <= span.end.offset && span.end.offset <= size, "span outside the input: \(span)")
    precondition(span.start.line >= 1 && span.start.column >= 1 && span.start <= span.end, "span out of order: \(span)")
}

func sameValue(_ left: JSONNode, _ right: JSONNode) -> Bool {
    switch (left.value, right.value) {
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy(sameValue)
    case (.object(let a), .object(let b)):
        return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && sameValue($0.value, $1.value) }
    default:
        return left.value == right.value
    }
}
