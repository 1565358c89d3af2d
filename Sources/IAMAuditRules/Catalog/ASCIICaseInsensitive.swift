/// Byte-wise comparison that folds ASCII letters, as IAM does for action names and condition keys.
enum ASCIICaseInsensitive {
    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Negative, zero or positive as `lhs` sorts before, equal to or after `rhs`, ignoring ASCII case.
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let count = min(lhs.count, rhs.count)
        var index = 0
        while index < count {
            let left = fold(lhs[index])
            let right = fold(rhs[index])
            if left != right { return Int(left) - Int(right) }
            index += 1
        }
        return lhs.count - rhs.count
    }

    /// `string` with ASCII letters lowercased; other characters unchanged.
    static func lowercased(_ string: String) -> String {
        guard string.utf8.contains(where: { $0 &- 65 < 26 }) else { return string }
        var string = string
        return string.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for (index, byte) in bytes.enumerated() { buffer[index] = fold(byte) }
                return bytes.count
            }
        }
    }
}
