@testable import IAMPolicy
import Testing

/// The case folding of the `…IgnoreCase` operators, checked against every Unicode scalar.
@Suite("Case folding")
struct CaseFoldingTests {
    /// Every scalar, in ascending order.
    static let allScalars: [Unicode.Scalar] = (0...0x10FFFF).compactMap { Unicode.Scalar(UInt32($0)) }

    @Test("The preimage of each ASCII scalar is every scalar that folds to it")
    func asciiPreimages() {
        var folding: [UInt32: [Unicode.Scalar]] = [:]
        for scalar in Self.allScalars {
            let folded = CaseFolding.fold(scalar)
            if folded.isASCII { folding[folded.value, default: []].append(scalar) }
        }
        for value in 0..<128 {
            let scalar = Unicode.Scalar(UInt8(value))
            let expected = CaseFolding.fold(scalar) == scalar ? folding[UInt32(value)] ?? [] : []
            #expect(CaseFolding.preimage(of: scalar) == expected, "preimage of U+\(String(value, radix: 16))")
        }
    }

    @Test("The irregular uppercase list holds every scalar the mappings of its image miss")
    func irregularList() {
        for scalar in Self.allScalars where !scalar.isASCII {
            let folded = CaseFolding.fold(scalar)
            guard folded != scalar else { continue }
            #expect(CaseFolding.preimage(of: folded).contains(scalar), "U+\(String(scalar.value, radix: 16)) folds to U+\(String(folded.value, radix: 16))")
        }
    }
}
