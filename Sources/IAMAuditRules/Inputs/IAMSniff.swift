import IAMPolicy

/// Whether a file no source reads still looks like it holds IAM policy statements: a `Statement` key, an `Effect`
/// key and an `Allow` or `Deny` value, in any letter case (a policy in a wrapper iam-audit does not know, a policy
/// written in YAML, a `serverless.yml` with `iamRoleStatements`). Such a file found in a folder is an IAM037
/// error, never a file "without IAM": a gate must not pass on IAM it did not read.
enum IAMSniff {
    /// Whether a template written inside another (a StackSet's `TemplateBody`, a Terraform stack's `template_body`)
    /// declares IAM: a role, a policy, a SAM function, or policy statements. Such a body is deployed as a template of
    /// its own, and its roles' trust and permissions are not read.
    static func nestedTemplateHoldsIAM(_ body: JSONNode) -> Bool {
        var lines: [String] = []
        func collect(_ node: JSONNode) {
            switch node.value {
            case .string(let text): lines.append(text)
            case .array(let elements): elements.forEach(collect)
            case .object(let members):
                for member in members {
                    lines.append("\(member.key):")
                    collect(member.value)
                }
            case .null, .bool, .number: break
            }
        }
        collect(body)
        let text = lines.joined(separator: "\n")
        for marker in ["AWS::IAM::", "AWS::Serverless::Function", "AssumeRolePolicyDocument", "PolicyDocument"] where text.contains(marker) {
            return true
        }
        return statementPosition(in: Array(text.utf8)) != nil
    }

    /// Where the first `statement` key is (1-based), when the file looks like it holds IAM statements.
    static func statementPosition(in bytes: [UInt8]) -> SourcePosition? {
        guard let statement = firstKey("statement", in: bytes),
              firstKey("effect", in: bytes) != nil,
              contains(bytes, "allow") || contains(bytes, "deny") else { return nil }
        var line = 1, column = 1
        for byte in bytes[..<statement] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column, offset: statement)
    }

    /// The offset of the first occurrence of `word` (lowercase, or with an `s`) as a key: followed, after an optional quote and
    /// blanks, by `:`; letters compared without regard to case.
    private static func firstKey(_ word: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(word.utf8)
        var index = 0
        while index + needle.count <= bytes.count {
            if matches(needle, bytes, at: index) {
                var after = index + needle.count
                // `statements:` of serverless.yml and the like.
                if after < bytes.count, bytes[after] == UInt8(ascii: "s") || bytes[after] == UInt8(ascii: "S") { after += 1 }
                // The closing quote, also escaped inside a JSON string (`\"`) or URL-encoded (`%22`).
                if after < bytes.count, bytes[after] == UInt8(ascii: "\\") { after += 1 }
                if after < bytes.count, bytes[after] == UInt8(ascii: "\"") || bytes[after] == UInt8(ascii: "'") {
                    after += 1
                } else if matches(Array("%22".utf8), bytes, at: after) {
                    after += 3
                }
                while after < bytes.count, bytes[after] == UInt8(ascii: " ") || bytes[after] == UInt8(ascii: "\t") { after += 1 }
                if after < bytes.count, bytes[after] == UInt8(ascii: ":") || matches(Array("%3a".utf8), bytes, at: after) { return index }
            }
            index += 1
        }
        return nil
    }

    private static func contains(_ bytes: [UInt8], _ word: String) -> Bool {
        let needle = Array(word.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { matches(needle, bytes, at: $0) }
    }

    /// Whether `bytes` at `index` spell `needle` (lowercase ASCII) in any letter case.
    private static func matches(_ needle: [UInt8], _ bytes: [UInt8], at index: Int) -> Bool {
        guard index + needle.count <= bytes.count else { return false }
        for (offset, expected) in needle.enumerated() {
            var byte = bytes[index + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            if byte != expected { return false }
        }
        return true
    }
}
