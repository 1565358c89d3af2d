// libFuzzer target: the position-tracking JSON parser and the policy loader must never crash or hang.
import IAMPolicy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let tree = try? JSONParser().parse(bytes) {
        // Every node's span must lie inside the input, and resolving the root pointer must give the root.
        precondition(tree.span.start.offset <= tree.span.end.offset && tree.span.end.offset <= size)
        precondition(tree.resolve(.root) == tree)
    }
    _ = PolicyLoader().load(file: "fuzz.json", bytes: bytes)
    return 0
}
