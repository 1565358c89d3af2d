import IAMPolicy

/// File names as reports spell them when they are not valid UTF-8 (Unix names are bytes): every byte outside a
/// valid UTF-8 sequence is written `\xHH` (two uppercase hexadecimal digits), the rest as it is. A name that is
/// valid UTF-8 is unchanged.
public enum EscapedFileName {
    /// `bytes` as report text: valid UTF-8 as it is, any other byte as `\xHH`.
    public static func text(_ bytes: [UInt8]) -> String {
        var result = ""
        var index = 0
        var runStart = 0
        func flush(_ end: Int) {
            if runStart < end { result += String(decoding: bytes[runStart..<end], as: UTF8.self) }
        }
        while index < bytes.count {
            if let length = validSequenceLength(bytes, at: index) {
                index += length
                continue
            }
            flush(index)
            result += "\\x" + hexDigits(bytes[index])
            index += 1
            runStart = index
        }
        flush(bytes.count)
        return result
    }

    /// The bytes a reported name stands for: each `\xHH` of a byte 0x80 or above is that byte again (valid UTF-8
    /// never needs the escape, so a plain name only maps to its own UTF-8).
    public static func bytes(_ name: String) -> [UInt8] {
        let utf8 = Array(name.utf8)
        guard utf8.contains(UInt8(ascii: "\\")) else { return utf8 }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count, utf8[index + 1] == UInt8(ascii: "x"),
               let high = hexValue(utf8[index + 2]), let low = hexValue(utf8[index + 3]), high >= 8 {
                result.append(high << 4 | low)
                index += 4
            } else {
                result.append(utf8[index])
                index += 1
            }
        }
        return result
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or nil when the byte there starts none.
    static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        if bytes[index] < 0x80 { return 1 }
        guard let (length, second) = UTF8Sequence.shape(lead: bytes[index]), index + length <= bytes.count else { return nil }
        for offset in 1..<length where !(offset == 1 ? second : 0x80...0xBF).contains(bytes[index + offset]) {
            return nil
        }
        return length
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
