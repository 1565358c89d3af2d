import IAMPolicy

/// Whether a file no source reads still looks like it holds IAM policy statements: a `Statement` key, an `Effect`
/// key and an `Allow` or `Deny` value, in any letter case (a policy in a wrapper iam-audit does not know, a policy
/// written in YAML, a `serverless.yml` with `iamRoleStatements`). Such a file found in a folder is an IAM037
/// error, never a file "without IAM": a gate must not pass on IAM it did not read.
enum IAMSniff {
    /// Why a template written inside another (a StackSet's `TemplateBody`, a Terraform stack's `template_body`)
    /// holds IAM iam-audit does not read, or nil when it holds none: it declares a role, a policy, a SAM function or
    /// policy statements (also when split across the pieces of an intrinsic), or it is given by an intrinsic whose
    /// text is not there (`!GetAtt`, `!ImportValue`, a parameter). Such a body is deployed as a stack of its own.
    static func nestedTemplateIAM(_ body: JSONNode) -> String? {
        var pieces: [String] = []
        func collect(_ node: JSONNode) {
            switch node.value {
            case .string(let text): pieces.append(text)
            case .array(let elements): elements.forEach(collect)
            case .object(let members):
                for member in members {
                    pieces.append("\(member.key):")
                    collect(member.value)
                }
            case .null, .bool, .number: break
            }
        }
        collect(body)
        for text in [pieces.joined(separator: "\n"), pieces.joined()] {
            for marker in ["AWS::IAM::", "AWS::Serverless::Function", "AssumeRolePolicyDocument", "PolicyDocument"] where text.contains(marker) {
                return "declares IAM roles or policies"
            }
            if statementPosition(in: Array(text.utf8)) != nil { return "declares IAM roles or policies" }
        }
        // An intrinsic's text was searched above when it is all written here (`Fn::Sub` or `Fn::Join` of literal
        // pieces); any other intrinsic, or a piece given by one, is text iam-audit does not have.
        guard let members = body.objectValue, members.count == 1, members[0].key == "Ref" || members[0].key.hasPrefix("Fn::") else { return nil }
        func holdsIntrinsic(_ node: JSONNode) -> Bool {
            switch node.value {
            case .object: true
            case .array(let elements): elements.contains(where: holdsIntrinsic)
            case .null, .bool, .number, .string: false
            }
        }
        let writtenOut = ["Fn::Sub", "Fn::Join"].contains(members[0].key) && !holdsIntrinsic(members[0].value)
        return writtenOut ? nil : "is given by \(members[0].key), so what it declares is not known"
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
