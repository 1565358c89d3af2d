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
    static func isPlain(_ text: String) -> Bool {
        scan(text.utf8.span) != nil
    }

    /// Whether `text` holds only ASCII scalars and hole markers.
    static func isPlain(_ text: Substring) -> Bool {
        scan(text.utf8.span) != nil
    }

    /// Whether `text` holds a hole marker (U+E000, U+E001 or U+E002); nil when `text` is not plain.
    static func holdsMarker(_ text: String) -> Bool? {
        scan(text.utf8.span)
    }

    /// Whether `text` holds `marker`, a hole marker: a marker character is its scalar alone, so text without the
    /// scalar's bytes does not hold it.
    static func contains(marker: Character, in text: String) -> Bool {
        guard let first = marker.utf8.first, text.utf8.contains(first) else { return false }
        guard isPlain(text) else { return text.contains(marker) }
        return offset(of: Array(marker.utf8), in: text.utf8.span, from: 0) != nil
    }

    /// The first range of `target` in `text`, as `range(of:)` finds it.
    static func range(of target: String, in text: String) -> Range<String.Index>? {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.range(of: target) }
        guard let start = offset(of: Array(target.utf8), in: text.utf8.span, from: 0) else { return nil }
        let lower = text.utf8.index(text.utf8.startIndex, offsetBy: start)
        return lower..<text.utf8.index(lower, offsetBy: target.utf8.count)
    }

    /// The first range of `target` in `text`, as `range(of:)` finds it.
    static func range(of target: String, in text: Substring) -> Range<String.Index>? {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.range(of: target) }
        guard let start = offset(of: Array(target.utf8), in: text.utf8.span, from: 0) else { return nil }
        let lower = text.utf8.index(text.utf8.startIndex, offsetBy: start)
        return lower..<text.utf8.index(lower, offsetBy: target.utf8.count)
    }

    /// Whether `text` holds `target`, as Foundation's `contains(_:)` finds it.
    static func contains(_ target: String, in text: String) -> Bool {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.contains(target) }
        return offset(of: Array(target.utf8), in: text.utf8.span, from: 0) != nil
    }

    /// `text` with every occurrence of `target` written as `replacement`, as `replacingOccurrences(of:with:)` writes it.
    static func replacing(_ target: String, in text: String, with replacement: String) -> String {
        guard isPlain(text), isPlain(target), !target.isEmpty else { return text.replacingOccurrences(of: target, with: replacement) }
        let needle = Array(target.utf8)
        var found: [Int] = []
        var cursor = 0
        let bytes = text.utf8.span
        while let start = offset(of: needle, in: bytes, from: cursor) {
            found.append(start)
            cursor = start + needle.count
        }
        guard !found.isEmpty else { return text }
        var result = ""
        var start = text.startIndex
        for offset in found {
            let lower = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
            result += text[start..<lower]
            result += replacement
            start = text.utf8.index(lower, offsetBy: needle.count)
        }
        result += text[start...]
        return result
    }

    /// Whether plain `bytes` hold a hole marker; nil when they are not plain.
    private static func scan(_ bytes: Span<UInt8>) -> Bool? {
        var index = 0
        var marker = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            guard byte == 0xEE, index + 2 < bytes.count, bytes[index + 1] == 0x80, (0x80...0x82).contains(bytes[index + 2]) else { return nil }
            marker = true
            index += 3
        }
        return marker
    }

    /// The offset of the first occurrence of `needle` in `bytes` at or after `start`.
    private static func offset(of needle: [UInt8], in bytes: Span<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == first {
                var matched = 1
                while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
