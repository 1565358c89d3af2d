/// FNV-1a, the one non-cryptographic hash of iam-audit: finding fingerprints, the catalog's name tables, automaton
/// fingerprints and memo keys. Never used where a collision could change a result unnoticed: every table that keys
/// by it also compares the values.
public enum FNV1a {
    public static let offsetBasis64: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime64: UInt64 = 0x0000_0100_0000_01B3
    public static let offsetBasis32: UInt32 = 2_166_136_261
    public static let prime32: UInt32 = 16_777_619

    /// The 64-bit hash of `bytes`, continuing from `seed` (the offset basis, or an earlier hash to chain).
    @inlinable
    public static func hash64(_ bytes: some Sequence<UInt8>, seed: UInt64 = offsetBasis64) -> UInt64 {
        var hash = seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* prime64 }
        return hash
    }

    /// The 32-bit hash of `bytes`.
    @inlinable
    public static func hash32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash = offsetBasis32
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* prime32 }
        return hash
    }
}
