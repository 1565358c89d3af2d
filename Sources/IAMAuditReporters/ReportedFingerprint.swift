import IAMPolicy
import IAMAuditRules

extension Finding {
    /// The fingerprint reports print: the engine's, or, when a finding was built without one, a stable
    /// FNV-1a 64-bit hash of rule code, file and pointer (never the line).
    var reportedFingerprint: String {
        guard fingerprint.isEmpty else { return fingerprint }
        let hash = FNV1a.hash64("\(ruleCode)\u{0}\(file)\u{0}\(pointer.description)".utf8)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
