/// Finding a byte string in a file's bytes: Horspool's algorithm, which looks at about one byte in the needle's
/// length, so the sources' recognizers can ask a 100 MB account dump several questions ("does it name
/// `AWSTemplateFormatVersion`?") for little more than one pass.
public struct ByteSearch: Sendable {
    public let needle: [UInt8]
    /// How far the window moves when its last byte is the table's index.
    private let shift: [Int]

    public init(_ needle: [UInt8]) {
        self.needle = needle
        var shift = [Int](repeating: max(1, needle.count), count: 256)
        for index in needle.indices.dropLast() { shift[Int(needle[index])] = needle.count - 1 - index }
        self.shift = shift
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    /// The offset of the first occurrence at or after `start`, or nil.
    public func firstOffset(in bytes: [UInt8], from start: Int = 0) -> Int? {
        let length = needle.count
        guard length > 0 else { return start <= bytes.count ? start : nil }
        var window = max(0, start)
        // A short needle moves the window too little for the table to pay: its first byte is looked for instead.
        if length < 4 { return Self.firstByteSearch(needle, in: bytes, from: window) }
        let lastByte = needle[length - 1]
        while window + length <= bytes.count {
            let last = bytes[window + length - 1]
            if last == lastByte {
                var index = 0
                while index < length - 1 && bytes[window + index] == needle[index] { index += 1 }
                if index == length - 1 { return window }
            }
            window += shift[Int(last)]
        }
        return nil
    }

    /// Whether `bytes` hold the needle.
    public func occurs(in bytes: [UInt8]) -> Bool { firstOffset(in: bytes) != nil }

    /// Whether `bytes` hold `text`'s UTF-8. A file of a few kilobytes (most policy files) is searched for the
    /// needle's first byte instead: building the table would cost more than the search.
    public static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= 16 * 1024 else { return firstByteSearch(needle, in: bytes, from: 0) != nil }
        return ByteSearch(needle).occurs(in: bytes)
    }

    /// The first occurrence of `needle` at or after `start`, found by looking for its first byte.
    static func firstByteSearch(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first else { return start <= bytes.count ? start : nil }
        var window = max(0, start)
        while window + needle.count <= bytes.count, let found = bytes[window...].firstIndex(of: first) {
            guard found + needle.count <= bytes.count else { return nil }
            if bytes[found..<(found + needle.count)].elementsEqual(needle) { return found }
            window = found + 1
        }
        return nil
    }
}
