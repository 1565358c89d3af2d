#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the command line writes text: standard output, standard error, or a buffer a test reads.
public protocol TextSink: AnyObject {
    /// Writes `text` as UTF-8, unchanged (callers add line breaks).
    func write(_ text: String)
    /// Whether the sink is a terminal, which `--color auto` asks.
    var isTerminal: Bool { get }
}

/// A sink over an open file descriptor (standard output or standard error).
public final class FileDescriptorSink: TextSink, Sendable {
    public static let standardOutput = FileDescriptorSink(fileDescriptor: 1)
    public static let standardError = FileDescriptorSink(fileDescriptor: 2)

    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public var isTerminal: Bool { isatty(fileDescriptor) == 1 }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard var pointer = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = systemWrite(fileDescriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                pointer += written
                remaining -= written
            }
        }
    }
}

/// Text written by a run, kept in memory so tests can read it.
public final class CapturedOutput: TextSink {
    public private(set) var text = ""
    public var isTerminal: Bool

    /// - Parameter isTerminal: what the sink claims to be, to test `--color auto`.
    public init(isTerminal: Bool = false) {
        self.isTerminal = isTerminal
    }

    public func write(_ text: String) {
        self.text += text
    }

    /// The captured text split into lines, without the final empty line.
    public var lines: [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// `write(2)`, named apart from `TextSink.write`.
func systemWrite(_ descriptor: Int32, _ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int {
    #if canImport(Darwin)
    Darwin.write(descriptor, pointer, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, pointer, count)
    #else
    Glibc.write(descriptor, pointer, count)
    #endif
}
