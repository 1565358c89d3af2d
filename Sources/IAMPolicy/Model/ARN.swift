/// An Amazon Resource Name split into its six fields:
/// `arn:partition:service:region:account-id:resource`.
///
/// The resource part keeps everything after the fifth colon, `:` and `/` included.
public struct ARN: Sendable, Hashable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    /// The partitions AWS documents.
    public static let knownPartitions: Set<String> = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]

    /// Splits `string`; nil when it does not start with `arn:` or has fewer than six fields.
    public init?(parsing string: String) {
        guard string.hasPrefix("arn:") else { return nil }
        let fields = string.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6 else { return nil }
        partition = String(fields[1])
        service = String(fields[2])
        region = String(fields[3])
        account = String(fields[4])
        resource = String(fields[5])
    }

    public init(partition: String, service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

    /// The number of `:`-separated fields in `string` (an ARN has at least six).
    public static func fieldCount(_ string: String) -> Int {
        string.reduce(1) { $1 == ":" ? $0 + 1 : $0 }
    }
}

/// An action string `service:Action`, where the action part may hold `*` and `?`.
public struct ActionName: Sendable, Hashable, CustomStringConvertible {
    public var service: String
    public var action: String

    /// Splits `service:Action`; nil when there is not exactly one colon (the string `*` is handled by callers).
    public init?(parsing string: String) {
        let colon = UInt8(ascii: ":")
        guard let first = string.utf8.firstIndex(of: colon), string.utf8.lastIndex(of: colon) == first else { return nil }
        service = String(string[..<first])
        action = String(string[string.utf8.index(after: first)...])
    }

    public var description: String { "\(service):\(action)" }

    /// Whether the action part holds a wildcard.
    public var hasWildcard: Bool { action.containsGlobWildcard }
}
