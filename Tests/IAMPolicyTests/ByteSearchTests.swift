import IAMPolicy
import Testing

/// The byte search the sources' recognizers use agrees with a plain scan, over needles of every length class and
/// haystacks on both sides of the size where it changes method.
@Suite("Byte search")
struct ByteSearchTests {
    /// The first offset at or after `start` where `needle` occurs, by trying every offset.
    static func plainSearch(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty else { return start <= bytes.count ? start : nil }
        guard bytes.count >= needle.count, max(0, start) <= bytes.count - needle.count else { return nil }
        for offset in max(0, start)...(bytes.count - needle.count) where Array(bytes[offset..<(offset + needle.count)]) == needle {
            return offset
        }
        return nil
    }

    @Test("Agrees with a plain scan on random bytes over a small alphabet")
    func agreesWithPlainScan() {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("ab\"R".utf8)
        for round in 0..<400 {
            let size = round % 4 == 0 ? 17_000 + Int(generator.next() % 300) : Int(generator.next() % 200)
            let bytes = (0..<size).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let needle = (0..<(1 + Int(generator.next() % 9))).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let start = Int(generator.next() % UInt64(max(1, size / 2)))
            let expected = Self.plainSearch(needle, in: bytes, from: start)
            #expect(ByteSearch(needle).firstOffset(in: bytes, from: start) == expected, "round \(round)")
            #expect(ByteSearch.contains(bytes, String(decoding: needle, as: UTF8.self)) == (Self.plainSearch(needle, in: bytes, from: 0) != nil))
        }
    }

    @Test("Finds a needle at the very end and not past it")
    func edges() {
        let bytes = Array(String(repeating: "x", count: 20_000).utf8) + Array("\"AWSTemplateFormatVersion\"".utf8)
        #expect(ByteSearch("\"AWSTemplateFormatVersion\"").firstOffset(in: bytes) == 20_000)
        #expect(ByteSearch.contains(bytes, "\"AWSTemplateFormatVersion\""))
        #expect(!ByteSearch.contains(Array(bytes.dropLast()), "\"AWSTemplateFormatVersion\""))
        #expect(ByteSearch("ab").firstOffset(in: Array("a".utf8)) == nil)
    }
}
