// libFuzzer target: the full audit of one document (every rule) must never crash or hang.
import IAMAuditRules

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudit(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let audit = Auditor().audit(file: "fuzz.json", bytes: bytes)
    for finding in audit.findings {
        precondition(finding.span.start.line >= 1 && finding.span.start.column >= 1, "finding without a position")
    }
    return 0
}
