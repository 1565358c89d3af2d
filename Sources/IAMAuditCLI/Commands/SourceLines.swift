/// The text of chosen lines of a file, for reporters that quote the offending line.
enum SourceLines {
    /// Lines `numbers` (1-based) of `bytes`, without their line breaks; a line break is `\n`, `\r\n` or a lone
    /// `\r`, as the parser counts them. Invalid UTF-8 is replaced with U+FFFD. Numbers past the end are absent.
    static func extract(_ numbers: Set<Int>, from bytes: [UInt8]) -> [Int: String] {
        guard let last = numbers.max(), last >= 1 else { return [:] }
        var lines: [Int: String] = [:]
        var line = 1
        var start = 0
        var index = 0
        func record(_ end: Int) {
            if numbers.contains(line) {
                lines[line] = String(decoding: bytes[start..<end], as: UTF8.self)
            }
        }
        while index < bytes.count, line <= last {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                record(index)
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                index += 1
                line += 1
                start = index
            } else {
                index += 1
            }
        }
        if line <= last { record(bytes.count) }
        return lines
    }
}
