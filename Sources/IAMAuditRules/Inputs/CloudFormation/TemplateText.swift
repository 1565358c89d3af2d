import Foundation

/// The text searches and replacements of template evaluation, on UTF-8 bytes where that finds exactly what
/// Foundation's search and `Character` comparison find.
///
/// A template's strings are ASCII and hole markers (``TemplateIntrinsics/hole`` and its kin, U+E000 to U+E002)
/// almost always. In such *plain* text every scalar is a whole character with no canonical equivalent, so a byte
/// search finds the same ranges as `String.range(of:)` and `replacingOccurrences(of:with:)`, and a marker's bytes
/// are present exactly when the marker character is. Other text takes Foundation's path, as before. Evaluating a
/// 5,000-line template spent most of its time in those calls.
enum TemplateText {
    /// Whether `text` holds only ASCII scalars and hole markers.
    static func isPlain(_ text: some StringProtocol) -> Bool {
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte < 0x80 { continue }
            guard byte == 0xEE, bytes.next() == 0x80, let last = bytes.next(), (0x80...0x82).contains(last) else { return false }
        }
        return true
    }

    /// Whether `text` holds `marker`, a hole marker: a marker character is its scalar alone, so text without the
    /// scalar's bytes does not hold it.
    static func contains(marker: Character, in text: String) -> Bool {
        guard let first = marker.utf8.first, text.utf8.contains(first) else { return false }
        guard isPlain(text) else { return text.contains(marker) }
        return byteRange(of: Array(marker.utf8), in: text.utf8[...]) != nil
    }

    /// The first range of `target` in `text`, as `range(of:)` finds it.
    static func range(of target: String, in text: String) -> Range<String.Index>? {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.range(of: target) }
        return byteRange(of: Array(target.utf8), in: text.utf8[...])
    }

    /// The first range of `target` in `text`, as `range(of:)` finds it.
    static func range(of target: String, in text: Substring) -> Range<String.Index>? {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.range(of: target) }
        return byteRange(of: Array(target.utf8), in: text.utf8)
    }

    /// Whether `text` holds `target`, as Foundation's `contains(_:)` finds it.
    static func contains(_ target: String, in text: String) -> Bool {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.contains(target) }
        return byteRange(of: Array(target.utf8), in: text.utf8[...]) != nil
    }

    /// `text` with every occurrence of `target` written as `replacement`, as `replacingOccurrences(of:with:)` writes it.
    static func replacing(_ target: String, in text: String, with replacement: String) -> String {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.replacingOccurrences(of: target, with: replacement) }
        let needle = Array(target.utf8)
        var result = ""
        var start = text.startIndex
        while let found = byteRange(of: needle, in: text.utf8[start...]) {
            result += text[start..<found.lowerBound]
            result += replacement
            start = found.upperBound
        }
        guard start != text.startIndex else { return text }
        result += text[start...]
        return result
    }

    /// The first range of `needle` in `bytes`.
    private static func byteRange(of needle: [UInt8], in bytes: Substring.UTF8View) -> Range<String.Index>? {
        guard let first = needle.first else { return nil }
        var cursor = bytes.startIndex
        while let found = bytes[cursor...].firstIndex(of: first) {
            var end = found
            var matched = true
            for byte in needle {
                guard end < bytes.endIndex, bytes[end] == byte else {
                    matched = false
                    break
                }
                end = bytes.index(after: end)
            }
            if matched { return found..<end }
            cursor = bytes.index(after: found)
        }
        return nil
    }
}
