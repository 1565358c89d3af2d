import IAMPolicy

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

/// Names as ASCII-folded UTF-8 in one buffer, with an open-addressing hash index, looked up ignoring ASCII
/// case: one hash of the wanted name and, mostly, one comparison, where a binary search over hundreds of names
/// compares at a dozen places scattered through memory.
final class FoldedNameTable: Sendable {
    /// The names one after another, folded.
    private let bytes: [UInt8]
    /// Where each name starts in `bytes`, plus the end.
    private let starts: [Int32]
    /// Index + 1 of the name in each slot; 0 is empty. The count is a power of two, at least twice the names.
    private let slots: [Int32]

    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        bytes.reserveCapacity(names.reduce(0) { $0 + $1.utf8.count })
        starts.reserveCapacity(names.count + 1)
        // Copied a name at a time and folded in place afterwards: this runs for every service parsed.
        for var name in names {
            name.withUTF8 { bytes.append(contentsOf: $0) }
            starts.append(Int32(bytes.count))
        }
        bytes.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = ASCIICaseInsensitive.fold(buffer[index]) }
        }
        var size = 8
        while size < names.count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        bytes.withUnsafeBufferPointer { bytes in
            for index in names.indices {
                let name = UnsafeBufferPointer(rebasing: bytes[Int(starts[index])..<Int(starts[index + 1])])
                var slot = Int(Self.hash(name)) & (size - 1)
                while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
                slots[slot] = Int32(index + 1)
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    /// The position of the name equal to `wanted` ignoring ASCII case, or nil.
    func position(of wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Int(Self.hash(wanted))
        return slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBufferPointer { bytes in
                    let mask = slots.count - 1
                    var slot = hash & mask
                    while slots[slot] != 0 {
                        let index = Int(slots[slot]) - 1
                        let start = Int(starts[index])
                        if Int(starts[index + 1]) - start == wanted.count,
                           ASCIICaseInsensitive.compare(UnsafeBufferPointer(rebasing: bytes[start..<(start + wanted.count)]), wanted) == 0 {
                            return index
                        }
                        slot = (slot + 1) & mask
                    }
                    return nil
                }
            }
        }
    }

    /// FNV-1a over the ASCII-folded bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        FNV1a.hash32(bytes.lazy.map(ASCIICaseInsensitive.fold))
    }
}
