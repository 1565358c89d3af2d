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

/// An open-addressing hash index over names stored elsewhere as UTF-8, looked up ignoring ASCII case: one hash
/// of the wanted name and, mostly, one comparison, where a binary search over hundreds of names compares at a
/// dozen places scattered through memory.
struct FoldedNameIndex: Sendable {
    /// Index + 1 of the name in each slot; 0 is empty. The count is a power of two, at least twice the names.
    private let slots: [Int32]

    /// Indexes `count` names; `name(i)` is the bytes of name `i`.
    init(count: Int, name: (Int) -> UnsafeBufferPointer<UInt8>) {
        var size = 8
        while size < count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for index in 0..<count {
            var slot = Int(Self.hash(name(index))) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index + 1)
        }
        self.slots = slots
    }

    /// The index of the name equal to `wanted` ignoring ASCII case, or nil.
    func find(_ wanted: UnsafeBufferPointer<UInt8>, name: (Int) -> UnsafeBufferPointer<UInt8>) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(Self.hash(wanted)) & mask
            while slots[slot] != 0 {
                let index = Int(slots[slot]) - 1
                let candidate = name(index)
                if candidate.count == wanted.count && ASCIICaseInsensitive.compare(candidate, wanted) == 0 { return index }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// FNV-1a over the ASCII-folded bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(ASCIICaseInsensitive.fold(byte))) &* 16_777_619 }
        return hash
    }
}
