/// Byte-level tests on policy text.
///
/// With Foundation imported, `String.contains("*")` resolves to `NSString`'s locale-aware search, which costs a
/// bridge and a `CFString` scan per call. Policy grammar is ASCII, so these look at UTF-8 bytes instead.
extension StringProtocol {
    /// Whether the text contains `*` or `?`, the wildcards of IAM's `StringLike`, `ArnLike` and action patterns.
    @inlinable
    public var containsGlobWildcard: Bool {
        utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    /// Whether the text contains the ASCII character `character`.
    @inlinable
    public func containsASCII(_ character: Unicode.Scalar) -> Bool {
        precondition(character.isASCII, "containsASCII takes an ASCII character")
        let byte = UInt8(truncatingIfNeeded: character.value)
        return utf8.contains(byte)
    }

    /// Whether the text contains `needle`, compared byte for byte (no locale, no case folding).
    @inlinable
    public func containsLiteral(_ needle: String) -> Bool {
        rangeOfLiteral(needle) != nil
    }

    /// The first range where `needle` occurs, compared byte for byte; nil when it does not.
    @inlinable
    public func rangeOfLiteral(_ needle: String) -> Range<Index>? {
        let wanted = needle.utf8
        guard let first = wanted.first else { return startIndex..<startIndex }
        let bytes = utf8
        var start = bytes.startIndex
        while let candidate = bytes[start...].firstIndex(of: first) {
            var end = candidate
            var next = wanted.startIndex
            while next != wanted.endIndex, end != bytes.endIndex, bytes[end] == wanted[next] {
                bytes.formIndex(after: &end)
                wanted.formIndex(after: &next)
            }
            if next == wanted.endIndex { return candidate..<end }
            start = bytes.index(after: candidate)
        }
        return nil
    }

    /// Whether every character is an ASCII letter or digit (true for empty text).
    @inlinable
    public var isASCIIAlphanumeric: Bool {
        func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            bytes.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"): true
                default: false
                }
            }
        }
        return utf8.withContiguousStorageIfAvailable(check) ?? Array(utf8).withUnsafeBufferPointer(check)
    }
}
