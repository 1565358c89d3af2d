import Foundation
@testable import IAMAuditRules
import Testing

/// `TemplateText` finds and replaces what Foundation and `Character` comparison do, on plain text (its byte path)
/// and on text with other scalars (its Foundation path).
@Suite("Template text")
struct TemplateTextTests {
    /// Pieces random texts are made of: ASCII, the hole markers, and scalars that compose or fold (a combining
    /// acute, a precomposed `é`, the Kelvin sign that is canonically `K`).
    static let pieces = ["${", "}", "{{resolve:", "}}", "{name}", "{region}", "a", "K", ":", "\r\n", "\u{E000}", "\u{E001}",
                         "\u{E002}", "\u{301}", "é", "\u{212A}", "x-y"]
    static let targets = ["${", "}}", "{{resolve:", "{name}", "{region}", "K", "\u{E000}", "\u{E001}", "\u{E002}"]

    @Test("agrees with Foundation on random texts")
    func agreesWithFoundation() {
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in generator.pick(Self.pieces) }.joined()
            #expect(TemplateText.isPlain(text) == text.unicodeScalars.allSatisfy { $0.isASCII || (0xE000...0xE002).contains($0.value) })
            for target in Self.targets {
                #expect(TemplateText.range(of: target, in: text) == text.range(of: target), "\(text.debugDescription) \(target.debugDescription)")
                #expect(TemplateText.range(of: target, in: Substring(text)) == Substring(text).range(of: target))
                #expect(TemplateText.contains(target, in: text) == text.contains(target))
                #expect(TemplateText.replacing(target, in: text, with: "<\(target)>") == text.replacingOccurrences(of: target, with: "<\(target)>"))
            }
            for marker in [TemplateIntrinsics.hole, TemplateIntrinsics.accountHole, TemplateIntrinsics.generatedHole] {
                #expect(TemplateText.contains(marker: marker, in: text) == text.contains(marker), "\(text.debugDescription)")
            }
            let markers = [TemplateIntrinsics.hole, TemplateIntrinsics.accountHole, TemplateIntrinsics.generatedHole]
            #expect(TemplateIntrinsics.holds(text) == markers.contains(where: text.contains), "\(text.debugDescription)")
        }
    }
}
