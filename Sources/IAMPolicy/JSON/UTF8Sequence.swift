/// The shape of a well-formed UTF-8 sequence (RFC 3629 §4), from its lead byte.
public enum UTF8Sequence {
    /// The sequence's length in bytes and the range its second byte must lie in (continuation bytes after it lie
    /// in 0x80...0xBF), or nil when `lead` begins no multi-byte sequence (ASCII, a continuation byte, 0xC0, 0xC1,
    /// 0xF5 and above).
    @inlinable
    public static func shape(lead: UInt8) -> (length: Int, second: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: nil
        }
    }
}
