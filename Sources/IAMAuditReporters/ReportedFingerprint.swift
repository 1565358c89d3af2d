import IAMAuditRules

extension Finding {
    /// The fingerprint reports print: the engine's, or, when a finding was built without one, a stable
    /// FNV-1a 64-bit hash of rule code, file and pointer (never the line).
    var reportedFingerprint: String {
        guard fingerprint.isEmpty else { return fingerprint }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(ruleCode)\u{0}\(file)\u{0}\(pointer.description)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
