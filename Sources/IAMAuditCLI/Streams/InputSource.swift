/// Where `-` reads from: standard input, or bytes a test supplies.
public struct InputSource: Sendable {
    let readAll: @Sendable (_ limit: Int) -> Result<[UInt8], ReadFailure>

    /// The process's standard input (file descriptor 0), read to its end.
    public static let standardInput = InputSource { limit in
        FileReader.read(descriptor: 0, limit: limit, expectedSize: nil)
    }

    /// Fixed bytes, as if piped in.
    public static func bytes(_ bytes: [UInt8]) -> InputSource {
        InputSource { limit in
            bytes.count > limit ? .failure(.tooLarge(size: nil, limit: limit)) : .success(bytes)
        }
    }

    /// Fixed UTF-8 text, as if piped in.
    public static func text(_ text: String) -> InputSource {
        bytes(Array(text.utf8))
    }
}
