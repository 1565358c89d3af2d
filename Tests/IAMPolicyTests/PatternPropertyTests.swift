import IAMPolicy
import Testing

/// A tiny deterministic generator (SplitMix64), so that property tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Brute-force references for the pattern languages: a backtracking matcher and enumeration of short strings.
enum PatternReference {
    /// Whether `string` from `stringIndex` matches `pattern` from `patternIndex`, `*` and `?` read as
    /// wildcards (no variables, no escapes); both are Unicode scalar values.
    static func matches(_ pattern: [UInt32], _ string: [UInt32]) -> Bool { matches(pattern, 0, string, 0) }

    private static func matches(_ pattern: [UInt32], _ patternIndex: Int, _ string: [UInt32], _ stringIndex: Int) -> Bool {
        guard patternIndex < pattern.count else { return stringIndex == string.count }
        switch pattern[patternIndex] {
        case 0x2A: // *
            return matches(pattern, patternIndex + 1, string, stringIndex)
                || (stringIndex < string.count && matches(pattern, patternIndex, string, stringIndex + 1))
        case 0x3F: // ?
            return stringIndex < string.count && matches(pattern, patternIndex + 1, string, stringIndex + 1)
        case let literal:
            return stringIndex < string.count && string[stringIndex] == literal
                && matches(pattern, patternIndex + 1, string, stringIndex + 1)
        }
    }

    static func scalars(_ string: String) -> [UInt32] { string.unicodeScalars.map(\.value) }

    static func matches(_ pattern: String, _ string: String) -> Bool {
        matches(scalars(pattern), scalars(string))
    }

    /// A pattern token of the mixed-operator properties: a character, a wildcard, or an escape `${*}`/`${?}`.
    enum Token: Equatable {
        case character(UInt32), star, question

        /// The reading of `text` under `matching`, by IAM's documented rules.
        static func tokens(_ text: String, _ matching: StringPattern.Matching) -> [Token] {
            var result: [Token] = []
            var rest = Substring(text)
            while let first = rest.unicodeScalars.first {
                if rest.hasPrefix("${*}") { result.append(.character(0x2A)); rest = rest.dropFirst(4); continue }
                if rest.hasPrefix("${?}") { result.append(.character(0x3F)); rest = rest.dropFirst(4); continue }
                rest = Substring(rest.unicodeScalars.dropFirst())
                if matching == .wildcard && first == "*" { result.append(.star) }
                else if matching == .wildcard && first == "?" { result.append(.question) }
                else { result.append(.character(first.value)) }
            }
            return result
        }
    }

    /// Whether `string` matches `tokens`, comparing characters on ASCII-lowercased forms when `ignoringCase`.
    static func matches(_ tokens: [Token], _ string: [UInt32], ignoringCase: Bool) -> Bool {
        func lower(_ value: UInt32) -> UInt32 { ignoringCase && (0x41...0x5A).contains(value) ? value + 0x20 : value }
        func match(_ t: Int, _ s: Int) -> Bool {
            guard t < tokens.count else { return s == string.count }
            switch tokens[t] {
            case .star: return match(t + 1, s) || (s < string.count && match(t, s + 1))
            case .question: return s < string.count && match(t + 1, s + 1)
            case .character(let value): return s < string.count && lower(string[s]) == lower(value) && match(t + 1, s + 1)
            }
        }
        return match(0, 0)
    }

    /// Whether `arn` matches `pattern` by IAM's ARN rules: both split into six fields at the first five `:`,
    /// fields compared one by one; in a `Resource` element a `*` ending one of the first five fields may
    /// also run across `:`.
    static func arnMatches(_ pattern: String, _ arn: String, resource: Bool) -> Bool {
        guard arn.hasPrefix("arn:"), arn.filter({ $0 == ":" }).count >= 5 else { return false }
        if pattern == "*" { return true }
        let fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        if !resource {
            let values = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            return fields.count == 6 && zip(fields, values).allSatisfy { matches(scalars($0), scalars($1)) }
        }
        // Whole-string backtracking: `*` crosses ':' when it ends a field (or lies in the resource field);
        // other wildcards of the first five fields stay within their field.
        enum Unit { case literal(UInt32), star(crossing: Bool), question(crossing: Bool) }
        var units: [Unit] = []
        for (number, field) in fields.enumerated() {
            if number > 0 { units.append(.literal(0x3A)) }
            let characters = Array(field.unicodeScalars)
            for (position, character) in characters.enumerated() {
                switch character {
                case "*": units.append(.star(crossing: number == 5 || position == characters.count - 1))
                case "?": units.append(.question(crossing: number == 5))
                default: units.append(.literal(character.value))
                }
            }
        }
        let string = scalars(arn)
        func match(_ u: Int, _ s: Int) -> Bool {
            guard u < units.count else { return s == string.count }
            switch units[u] {
            case .literal(let value): return s < string.count && string[s] == value && match(u + 1, s + 1)
            case .question(let crossing): return s < string.count && (crossing || string[s] != 0x3A) && match(u + 1, s + 1)
            case .star(let crossing):
                return match(u + 1, s) || (s < string.count && (crossing || string[s] != 0x3A) && match(u, s + 1))
            }
        }
        return match(0, 0)
    }

    /// Every string over `alphabet` of length at most `length`, shortest first.
    static func strings(over alphabet: [Character], upTo length: Int) -> [String] {
        var result = [""]
        var layer = [""]
        for _ in 0..<length {
            layer = layer.flatMap { prefix in alphabet.map { prefix + String($0) } }
            result += layer
        }
        return result
    }
}

@Suite("Pattern properties")
struct PatternPropertyTests {
    /// Pattern tokens: literals, separators and both wildcards.
    static let patternAlphabet: [Character] = ["a", "b", "/", ":", "*", "?"]
    /// String characters: the literals, separators, and `c`, which no pattern mentions.
    static let stringAlphabet: [Character] = ["a", "b", "/", ":", "c"]

    static func randomPattern(_ generator: inout SplitMix64, maxLength: Int) -> String {
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String((0..<length).map { _ in patternAlphabet.randomElement(using: &generator)! })
    }

    static func randomString(_ generator: inout SplitMix64, maxLength: Int) -> String {
        // Now and then a character outside every pattern's alphabet, or a literal wildcard character.
        let characters = stringAlphabet + ["é", "*", "?"]
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String((0..<length).map { _ in
            Int.random(in: 0..<8, using: &generator) == 0
                ? characters.randomElement(using: &generator)!
                : stringAlphabet.randomElement(using: &generator)!
        })
    }

    @Test func containsAgreesWithBacktracking() {
        var generator = SplitMix64(seed: 0x1A5_A0D1)
        var cases = 0
        var mismatches: [String] = []
        for _ in 0..<400 {
            let text = Self.randomPattern(&generator, maxLength: 6)
            let pattern = StringPattern(text, matching: .wildcard)
            let set = PatternSet(pattern)
            for _ in 0..<15 {
                let string = Self.randomString(&generator, maxLength: 6)
                let expected = PatternReference.matches(text, string)
                if pattern.matches(string) != expected { mismatches.append("'\(text)'.matches('\(string)')") }
                if set.contains(string) != expected { mismatches.append("PatternSet('\(text)').contains('\(string)')") }
                cases += 1
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(cases == 6_000)
    }

    @Test func setOperationsAgreeWithEnumeration() {
        var generator = SplitMix64(seed: 0x5E7_0B5)
        let strings = PatternReference.strings(over: Self.stringAlphabet, upTo: 5)
        let scalars = strings.map(PatternReference.scalars)
        #expect(strings.count == 3_906)
        var pairs = 0
        for _ in 0..<45 {
            let left = Self.randomPattern(&generator, maxLength: 5), right = Self.randomPattern(&generator, maxLength: 5)
            let a = PatternSet(StringPattern(left)), b = PatternSet(StringPattern(right))
            let union = a.union(b), intersection = a.intersection(b), complement = a.complement(), difference = a.subtracting(b)
            let leftScalars = PatternReference.scalars(left), rightScalars = PatternReference.scalars(right)
            let memberships = strings.indices.map { index in
                (PatternReference.matches(leftScalars, scalars[index]), PatternReference.matches(rightScalars, scalars[index]))
            }
            let inA = memberships.contains { $0.0 }
            let inIntersection = memberships.contains { $0.0 && $0.1 }
            let shortestDifference = memberships.firstIndex { $0.0 && !$0.1 }.map { strings[$0].count }
            let inDifference = shortestDifference != nil
            let mismatches = Self.mismatches(strings, memberships, union: union, intersection: intersection,
                                             complement: complement, difference: difference)
            #expect(mismatches.isEmpty, "'\(left)' and '\(right)': \(mismatches.prefix(5))")
            // Emptiness and inclusion: a short member found by enumeration must be seen, and any witness the
            // automaton gives must check out with the backtracking matcher, however long.
            if inDifference { #expect(!a.isSubset(of: b), "'\(left)' ⊄ '\(right)'") }
            if inIntersection { #expect(a.overlaps(b), "'\(left)' meets '\(right)'") }
            if inA { #expect(!a.isEmpty) }
            if let witness = difference.shortestWitness() {
                #expect(PatternReference.matches(left, witness) && !PatternReference.matches(right, witness), "witness '\(witness)' of '\(left)' − '\(right)'")
                #expect(!a.isSubset(of: b))
            } else {
                #expect(!inDifference)
                #expect(a.isSubset(of: b))
            }
            if let member = difference.shortestMember(), let expected = shortestDifference {
                #expect(member.count == expected, "shortest of '\(left)' − '\(right)'")
            }
            #expect(a.union(a.complement()).isUniversal)
            #expect(a.intersection(a.complement()).isEmpty)
            #expect(union.isEquivalent(to: b.union(a)))
            pairs += 1
        }
        #expect(pairs == 45)
    }

    /// The strings where the sets disagree with the reference memberships (kept out of the test body, whose
    /// debug stack frame is large).
    static func mismatches(_ strings: [String], _ memberships: [(Bool, Bool)], union: PatternSet, intersection: PatternSet,
                           complement: PatternSet, difference: PatternSet) -> [String] {
        var result: [String] = []
        for (string, (memberOfA, memberOfB)) in zip(strings, memberships) {
            if union.contains(string) != (memberOfA || memberOfB) { result.append("∪ at '\(string)'") }
            if intersection.contains(string) != (memberOfA && memberOfB) { result.append("∩ at '\(string)'") }
            if complement.contains(string) == memberOfA { result.append("¬ at '\(string)'") }
            if difference.contains(string) != (memberOfA && !memberOfB) { result.append("− at '\(string)'") }
        }
        return result
    }

    @Test func exactIgnoreCaseAndEscapesAgreeWithEnumeration() {
        var generator = SplitMix64(seed: 0xCA5E)
        let pieces = ["a", "A", "*", "?", "${*}", "${?}"]
        let strings = PatternReference.strings(over: ["a", "A", "*", "?", "c"], upTo: 4)
        let scalars = strings.map(PatternReference.scalars)
        let modes: [StringPattern.Matching] = [.exact, .exactIgnoringCase, .wildcard]
        var mismatches: [String] = []
        for _ in 0..<120 {
            func random() -> (String, StringPattern.Matching) {
                let length = Int.random(in: 0...4, using: &generator)
                return ((0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined(), modes.randomElement(using: &generator)!)
            }
            let (left, leftMode) = random(), (right, rightMode) = random()
            let leftTokens = PatternReference.Token.tokens(left, leftMode), rightTokens = PatternReference.Token.tokens(right, rightMode)
            let a = PatternSet(StringPattern(left, matching: leftMode)), b = PatternSet(StringPattern(right, matching: rightMode))
            let union = a.union(b), difference = a.subtracting(b), complement = b.complement()
            // One subset construction over both patterns, whatever their case sensitivity.
            let anyOf = PatternSet(anyOf: [StringPattern(left, matching: leftMode), StringPattern(right, matching: rightMode)])
            var inDifference = false
            for index in strings.indices {
                let string = strings[index]
                let memberOfA = PatternReference.matches(leftTokens, scalars[index], ignoringCase: leftMode == .exactIgnoringCase)
                let memberOfB = PatternReference.matches(rightTokens, scalars[index], ignoringCase: rightMode == .exactIgnoringCase)
                if a.contains(string) != memberOfA { mismatches.append("\(leftMode) '\(left)' at '\(string)'") }
                if union.contains(string) != (memberOfA || memberOfB) { mismatches.append("'\(left)' ∪ '\(right)' at '\(string)'") }
                if anyOf.contains(string) != (memberOfA || memberOfB) { mismatches.append("any of '\(left)', '\(right)' at '\(string)'") }
                if difference.contains(string) != (memberOfA && !memberOfB) { mismatches.append("'\(left)' − '\(right)' at '\(string)'") }
                if complement.contains(string) == memberOfB { mismatches.append("¬'\(right)' at '\(string)'") }
                inDifference = inDifference || (memberOfA && !memberOfB)
            }
            if let witness = difference.shortestWitness() {
                let ws = PatternReference.scalars(witness)
                if !(PatternReference.matches(leftTokens, ws, ignoringCase: leftMode == .exactIgnoringCase)
                     && !PatternReference.matches(rightTokens, ws, ignoringCase: rightMode == .exactIgnoringCase)) {
                    mismatches.append("witness '\(witness)' of '\(left)' − '\(right)'")
                }
            } else if inDifference {
                mismatches.append("'\(left)' − '\(right)' said empty")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test(arguments: [ARNPattern.Context.condition, .resource])
    func arnPatternsAgreeWithFieldByFieldMatching(_ context: ARNPattern.Context) {
        var generator = SplitMix64(seed: context == .condition ? 0xA12 : 0xA13)
        let fieldPieces = ["", "a", "b", "*", "?", "a*", "*b", "/"]
        func randomField() -> String {
            (0..<Int.random(in: 0...2, using: &generator)).map { _ in fieldPieces.randomElement(using: &generator)! }.joined()
        }
        func randomPattern() -> String {
            let head = Int.random(in: 0..<6, using: &generator) == 0 ? "*" : "arn"
            return ([head] + (0..<5).map { _ in randomField() } + (Int.random(in: 0..<3, using: &generator) == 0 ? [randomField()] : [])).joined(separator: ":")
        }
        func randomARN() -> String {
            let valuePieces = ["", "a", "b", "ab", ":", "/", "a:b"]
            var fields = ["arn"]
            for number in 1...5 {
                // Colons inside the first five fields shift the split: so much the better.
                let piece = valuePieces.randomElement(using: &generator)!
                fields.append(number < 5 && Int.random(in: 0..<4, using: &generator) != 0 ? piece.replacingOccurrences(of: ":", with: "") : piece)
            }
            return fields.joined(separator: ":")
        }
        let resource = context == .resource
        var mismatches: [String] = []
        var checked = 0
        for _ in 0..<45 {
            let left = randomPattern(), right = randomPattern()
            guard let a = ARNPattern(left, context: context), let b = ARNPattern(right, context: context) else {
                mismatches.append("'\(left)' or '\(right)' rejected")
                continue
            }
            let (languageA, languageB) = (a.language, b.language)
            let isSubset = a.isSubset(of: b)
            for _ in 0..<25 {
                let arn = randomARN()
                let expected = PatternReference.arnMatches(left, arn, resource: resource)
                if a.contains(arn) != expected { mismatches.append("'\(left)'.contains('\(arn)')") }
                if languageA.contains(arn) != expected { mismatches.append("language of '\(left)' at '\(arn)'") }
                if expected && isSubset && !PatternReference.arnMatches(right, arn, resource: resource) {
                    mismatches.append("'\(left)' ⊆ '\(right)' but '\(arn)'")
                }
                checked += 1
            }
            if let witness = languageA.witness(avoiding: languageB) {
                if !(PatternReference.arnMatches(left, witness, resource: resource) && !PatternReference.arnMatches(right, witness, resource: resource)) {
                    mismatches.append("witness '\(witness)' of '\(left)' − '\(right)'")
                }
            }
            if let common = languageA.intersection(languageB).shortestWitness() {
                if !(PatternReference.arnMatches(left, common, resource: resource) && PatternReference.arnMatches(right, common, resource: resource)) {
                    mismatches.append("common '\(common)' of '\(left)' and '\(right)'")
                }
                if !languageA.overlaps(languageB) { mismatches.append("'\(left)' overlaps '\(right)'") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(checked == 1_125)
    }
}
