import IAMPolicy

// The syntax of the values IAM policy elements hold: policy variables, ARNs, account ids, Region
// codes, IP addresses and CIDR blocks, dates, numbers and base64. Pure functions over strings, shared
// by the element-value rules (IAM020–IAM029).

/// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'none'}` and the escapes
/// `${*}`, `${?}` and `${$}`.
///
/// A `${…}` that does not name a condition key (`${AWS_ACCOUNT_ID}`, `${AWS::Partition}`) is a
/// template placeholder left in the file, not a policy variable.
public enum PolicyVariable {
    /// The ranges of every `${…}` in `text`, variable or not, in order.
    public static func braceRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        while let start = text[index...].rangeOfLiteral("${")?.lowerBound {
            guard let close = text[start...].firstIndex(of: "}") else { break }
            let end = text.index(after: close)
            ranges.append(start..<end)
            index = end
        }
        return ranges
    }

    /// Whether `text` is exactly one policy variable.
    public static func isVariable<S: StringProtocol>(_ text: S) -> Bool {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count >= 4 else { return false }
        let body = text.dropFirst(2).dropLast()
        if body == "*" || body == "?" || body == "$" { return true }
        // `prefix:name`, optionally followed by `, 'default'`.
        let key = body.prefix { $0 != "," }.trimmingCharacters(in: .whitespaces)
        guard let colon = key.utf8.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let prefix = key[..<colon]
        let name = key[key.index(after: colon)...]
        return !prefix.isEmpty && prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            && !name.isEmpty && !name.containsASCII(":") && !name.containsASCII("{")
    }

    /// `text` with every policy variable removed (template placeholders are kept).
    public static func removingVariables(from text: String) -> String {
        let ranges = braceRanges(in: text)
        // Most values hold no `${`: they come back as they are, without a copy.
        if ranges.isEmpty { return text }
        var output = ""
        var index = text.startIndex
        for range in ranges where isVariable(text[range]) {
            output += text[index..<range.lowerBound]
            index = range.upperBound
        }
        output += text[index...]
        return output
    }

    /// Whether `text` holds a policy variable anywhere.
    public static func containsVariable(_ text: String) -> Bool {
        braceRanges(in: text).contains { isVariable(text[$0]) }
    }
}

/// An AWS Region code such as `us-east-1`, `us-gov-west-1`, `cn-north-1` or `eusc-de-east-1`.
public enum AWSRegionCode {
    /// Whether `text` has the shape of a Region code: lowercase words joined by hyphens, ending in a number.
    public static func isValid<S: StringProtocol>(_ text: S) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let first = parts.first, let last = parts.last else { return false }
        let isWord = { (part: S.SubSequence) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isLowercase } }
        return (2...4).contains(first.count) && isWord(first)
            && parts.dropFirst().dropLast().allSatisfy(isWord)
            && !last.isEmpty && last.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The Region code `text` was probably meant to be (`EU-NORTH-1`, `eu-north1` → `eu-north-1`), if any.
    public static func correction(for text: String) -> String? {
        var candidate = text.lowercased().replacingOccurrences(of: "_", with: "-")
        if let digits = candidate.lastIndex(where: { !$0.isNumber }).map({ candidate.index(after: $0) }),
           digits < candidate.endIndex, candidate[candidate.index(before: digits)] != "-" {
            candidate.insert("-", at: digits)
        }
        return candidate != text && isValid(candidate) ? candidate : nil
    }
}

/// An AWS account id: exactly 12 digits.
public enum AWSAccountID {
    public static func isValid<S: StringProtocol>(_ text: S) -> Bool {
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether `text` reads as an unfilled placeholder (`YOUR_ACCOUNT_ID`, `{AWS_ACCOUNT_ID}`,
    /// `${AWS_ACCOUNT_ID}`, `<account-id>`) rather than a mistyped number.
    public static func isPlaceholder<S: StringProtocol>(_ text: S) -> Bool {
        text.contains { $0.isLetter || "{}<>$_".contains($0) }
    }
}

/// An Amazon Resource Name as written in a policy, split into its six fields.
///
/// Unlike `ARN(parsing:)`, colons inside `${…}` do not split fields, so
/// `arn:aws:iam::${aws:PrincipalAccount}:role/x` keeps its account field whole.
public struct ARNFields: Sendable, Hashable {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    /// The `:`-separated fields of `text` outside `${…}`; at most six, the last keeping the rest.
    public static func fields(of text: String) -> [Substring] {
        // The separators are found over the bytes (`$`, `{`, `}` and `:` are ASCII, so their offsets are character
        // boundaries), then the string is cut at them.
        var contiguous = text
        let separators = contiguous.withUTF8(separatorOffsets)
        var fields: [Substring] = []
        fields.reserveCapacity(separators.count + 1)
        let bytes = text.utf8
        var fieldStart = bytes.startIndex
        for offset in separators {
            let colon = bytes.index(bytes.startIndex, offsetBy: offset)
            fields.append(text[fieldStart..<colon])
            fieldStart = bytes.index(after: colon)
        }
        fields.append(text[fieldStart...])
        return fields
    }

    /// The offsets of the first five `:` of `bytes` outside `${…}`, as `fields(of:)` finds them.
    private static func separatorOffsets(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var separators: [Int] = []
        separators.reserveCapacity(5)
        var index = 0
        var insideVariable = false
        while index < bytes.count, separators.count < 5 {
            let byte = bytes[index]
            if insideVariable {
                if byte == UInt8(ascii: "}") { insideVariable = false }
            } else if byte == UInt8(ascii: "$") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{"),
                   UnsafeBufferPointer(rebasing: bytes[(index + 1)...]).contains(UInt8(ascii: "}")) {
                    insideVariable = true
                    index += 1
                }
            } else if byte == UInt8(ascii: ":") {
                separators.append(index)
            }
            index += 1
        }
        return separators
    }

    /// Splits `text`; nil when it does not start with `arn:` or has fewer than six fields.
    public init?(parsing text: String) {
        let fields = Self.fields(of: text)
        guard fields.count == 6, fields[0] == "arn" else { return nil }
        partition = String(fields[1])
        service = String(fields[2])
        region = String(fields[3])
        account = String(fields[4])
        resource = String(fields[5])
    }
}

/// What is wrong with an ARN, field by field, in the order a reader checks them.
public enum ARNDefect: Sendable, Hashable {
    case notAnARN
    /// Fewer than six `:`-separated fields; the count found.
    case missingFields(Int)
    case unknownPartition(String, suggestion: String?)
    case emptyService
    case invalidService(String)
    /// A Region in the ARN of a resource that has none (IAM, STS, CloudFront, Route 53, S3 buckets).
    case regionNotAllowed(service: String, region: String)
    case placeholderRegion(String)
    case invalidRegion(String, suggestion: String?)
    /// An account in the ARN of an S3 bucket or object.
    case accountNotAllowed(String)
    /// No account in the ARN of an IAM or STS resource.
    case missingAccount(service: String)
    case placeholderAccount(String)
    case invalidAccount(String)
    case emptyResource

    /// Services whose ARNs never carry a Region.
    public static let servicesWithoutRegion: Set<String> = ["iam", "sts", "cloudfront", "route53"]
    /// Services whose ARNs always carry an account (or `aws` for AWS-owned resources).
    public static let servicesWithAccount: Set<String> = ["iam", "sts"]
    /// The first `/`-segments of S3 resource types that carry a Region and account (access points,
    /// batch jobs, Storage Lens, Access Grants, Multi-Region Access Point requests); every other S3
    /// ARN names a bucket or an object, which carry neither.
    public static let s3RegionalResourceTypes: Set<String> = [
        "accesspoint", "job", "storage-lens", "storage-lens-group", "access-grants", "async-request",
    ]

    /// The first defect of `text`, or nil when it is a well-formed ARN.
    ///
    /// `*` and `?` make any field acceptable, as do policy variables outside the partition and service.
    public static func find(in text: String) -> ARNDefect? {
        guard text.hasPrefix("arn:") else { return .notAnARN }
        guard let arn = ARNFields(parsing: text) else { return .missingFields(ARNFields.fields(of: text).count) }
        func isFree(_ field: String) -> Bool {
            field.containsGlobWildcard || PolicyVariable.isVariable(field)
        }
        if !ARN.knownPartitions.contains(arn.partition), !arn.partition.containsGlobWildcard {
            let known = ARN.knownPartitions.sorted { ($0.count, $0) < ($1.count, $1) }
            return .unknownPartition(arn.partition, suggestion: EditDistance.suggestion(for: arn.partition, among: known, maxDistance: 3))
        }
        if arn.service.isEmpty { return .emptyService }
        // Over bytes: every byte of a valid service is ASCII, so any other byte fails the test as it should.
        if !arn.service.utf8.allSatisfy({ byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?")
        }) {
            return .invalidService(arn.service)
        }
        // The resource type of an S3 ARN is its first `/`-segment; a wildcard there may stand for any type.
        let isS3BucketOrObject: Bool
        if arn.service == "s3" {
            let s3Type = String(decoding: arn.resource.utf8.prefix { $0 != UInt8(ascii: "/") }, as: UTF8.self)
            isS3BucketOrObject = !s3RegionalResourceTypes.contains(s3Type) && !s3Type.containsGlobWildcard
        } else {
            isS3BucketOrObject = false
        }
        if !arn.region.isEmpty, !isFree(arn.region) {
            if servicesWithoutRegion.contains(arn.service) || isS3BucketOrObject {
                return .regionNotAllowed(service: arn.service, region: arn.region)
            }
            if !AWSRegionCode.isValid(arn.region) {
                if arn.region.contains(where: { "{}<>$_".contains($0) }) || arn.region.allSatisfy({ $0.isUppercase || $0 == "-" }) {
                    return .placeholderRegion(arn.region)
                }
                return .invalidRegion(arn.region, suggestion: AWSRegionCode.correction(for: arn.region))
            }
        }
        if arn.account.isEmpty {
            if servicesWithAccount.contains(arn.service) { return .missingAccount(service: arn.service) }
        } else if !isFree(arn.account) {
            if isS3BucketOrObject { return .accountNotAllowed(arn.account) }
            if !AWSAccountID.isValid(arn.account) && arn.account != "aws" {
                return AWSAccountID.isPlaceholder(arn.account) ? .placeholderAccount(arn.account) : .invalidAccount(arn.account)
            }
        }
        if arn.resource.isEmpty { return .emptyResource }
        return nil
    }

    /// The defect in words, after the ARN (`… has placeholder account 'YOUR_ACCOUNT_ID'`).
    public var explanation: String {
        switch self {
        case .notAnARN:
            return "is not an ARN (expected 'arn:partition:service:region:account:resource')"
        case .missingFields(let count):
            return "has \(count) of the six ':'-separated fields arn:partition:service:region:account:resource"
        case .unknownPartition(let partition, let suggestion):
            return "has unknown partition '\(partition)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .emptyService:
            return "has an empty service field"
        case .invalidService(let service):
            return "has service '\(service)', which is not lowercase letters, digits and hyphens"
        case .regionNotAllowed(let service, let region):
            let what = service == "s3" ? "s3 bucket and object ARNs" : "\(service) ARNs"
            return "has Region '\(region)', but \(what) have an empty Region field"
        case .placeholderRegion(let region):
            return "has placeholder Region '\(region)'"
        case .invalidRegion(let region, let suggestion):
            return "has Region '\(region)', which is not a Region code like 'us-east-1'"
                + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .accountNotAllowed(let account):
            return "has account '\(account)', but s3 bucket and object ARNs have an empty account field"
        case .missingAccount(let service):
            return "has no account, but \(service) ARNs need the 12-digit account id"
        case .placeholderAccount(let account):
            return "has placeholder account '\(account)'"
        case .invalidAccount(let account):
            return "has account '\(account)', which is not a 12-digit account id"
        case .emptyResource:
            return "has an empty resource field"
        }
    }
}

/// An IPv4 or IPv6 address or CIDR block, as the `IpAddress` operators take it.
///
/// A bare address is a single-address block (`/32` or `/128`), as IAM reads it.
public struct CIDRBlock: Sendable, Hashable {
    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    public var family: Family
    /// The address bytes: 4 for IPv4, 16 for IPv6.
    public var address: [UInt8]
    public var prefixLength: Int

    public init?(parsing text: String) {
        guard case .success(let block) = Self.parse(text) else { return nil }
        self = block
    }

    /// Why `text` is not an address or CIDR block, in words, or nil when it is one.
    public static func defect(in text: String) -> String? {
        if case .failure(let reason) = parse(text) { return reason.text }
        return nil
    }

    struct Reason: Error {
        var text: String
    }

    static func parse(_ text: String) -> Result<CIDRBlock, Reason> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = parts[0]
        let family: Family
        let address: [UInt8]
        if addressText.containsASCII(":") {
            guard let bytes = ipv6Bytes(addressText) else { return .failure(Reason(text: "not a valid IPv6 address")) }
            family = .ipv6
            address = bytes
        } else {
            switch ipv4Bytes(addressText) {
            case .success(let bytes):
                family = .ipv4
                address = bytes
            case .failure(let reason):
                return .failure(reason)
            }
        }
        let maximum = family == .ipv4 ? 32 : 128
        var prefixLength = maximum
        if parts.count == 2 {
            let prefix = parts[1]
            guard !prefix.isEmpty, prefix.count <= 3, prefix.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(prefix) else {
                return .failure(Reason(text: "prefix length '/\(prefix)' is not a number"))
            }
            guard value <= maximum else {
                return .failure(Reason(text: "prefix length /\(value) is above /\(maximum)"))
            }
            prefixLength = value
        }
        return .success(CIDRBlock(family: family, address: address, prefixLength: prefixLength))
    }

    private init(family: Family, address: [UInt8], prefixLength: Int) {
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
    }

    static func ipv4Bytes<S: StringProtocol>(_ text: S) -> Result<[UInt8], Reason> {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return .failure(Reason(text: "not an IPv4 address of four dot-separated numbers")) }
        var bytes: [UInt8] = []
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(octet) else {
                return .failure(Reason(text: "not an IPv4 address of four dot-separated numbers"))
            }
            guard value <= 255 else { return .failure(Reason(text: "octet \(value) is above 255")) }
            bytes.append(UInt8(value))
        }
        return .success(bytes)
    }

    /// The 16 bytes of an IPv6 address in any RFC 4291 text form (`::` compression, embedded IPv4).
    static func ipv6Bytes<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowIPv4Tail, piece.containsASCII(".") {
                    guard case .success(let bytes) = ipv4Bytes(piece) else { return nil }
                    result.append(UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
                    result.append(UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
                    continue
                }
                guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit), let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowIPv4Tail: true), only.count == 8 else { return nil }
            all = only
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// A date in one of the W3C profiles of ISO 8601 (https://www.w3.org/TR/NOTE-datetime), which
/// the `Date` operators take: `2026`, `2026-01`, `2026-01-01`, `2026-01-01T10:00Z`,
/// `2026-01-01T10:00:00Z`, `2026-01-01T10:00:00.123+02:00`.
///
/// The time-zone designator is optional here (IAM's parser is not documented to require it).
public enum W3CDateTime {
    public static func isValid(_ text: String) -> Bool {
        let characters = Array(text)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= characters.count else { return nil }
            let slice = characters[index..<index + digits]
            guard slice.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            index += digits
            return Int(String(slice))
        }
        func consume(_ character: Character) -> Bool {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4) else { return false }
        if index == characters.count { return true }
        guard consume("-"), let month = number(2), (1...12).contains(month) else { return false }
        if index == characters.count { return true }
        guard consume("-"), let day = number(2), (1...daysIn(month: month, year: year)).contains(day) else { return false }
        if index == characters.count { return true }
        guard consume("T"), let hour = number(2), hour <= 23, consume(":"), let minute = number(2), minute <= 59 else { return false }
        if consume(":") {
            guard let second = number(2), second <= 60 else { return false }
            if consume(".") {
                let start = index
                while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                guard index > start else { return false }
            }
        }
        if index == characters.count || (consume("Z") && index == characters.count) { return true }
        guard index < characters.count, characters[index] == "+" || characters[index] == "-" else { return false }
        index += 1
        guard let offsetHours = number(2), offsetHours <= 23 else { return false }
        _ = consume(":")
        guard let offsetMinutes = number(2), offsetMinutes <= 59 else { return false }
        return index == characters.count
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The plain text forms of condition values that are not strings.
public enum ConditionValueText {
    /// An integer or decimal number: `10`, `-3`, `1.2`.
    public static func isDecimal(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Compares two ``isDecimal(_:)`` numbers exactly, whatever their number of digits (no `Double` rounding or
    /// overflow): negative, zero or positive as `lhs` is below, equal to or above `rhs`; nil when either is not one.
    public static func compareDecimals(_ lhs: String, _ rhs: String) -> Int? {
        guard isDecimal(lhs), isDecimal(rhs) else { return nil }
        func parts(_ text: String) -> (negative: Bool, integer: Substring, fraction: Substring) {
            var body = Substring(text)
            let negative = body.first == "-"
            if negative || body.first == "+" { body = body.dropFirst() }
            let split = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let integer = split[0].drop { $0 == "0" }
            var fraction = split.count > 1 ? split[1] : ""
            while fraction.last == "0" { fraction = fraction.dropLast() }
            return (negative && !(integer.isEmpty && fraction.isEmpty), integer, fraction)
        }
        let (a, b) = (parts(lhs), parts(rhs))
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        // Digit strings without leading zeros order by length, then text; fractions without trailing zeros by text.
        let magnitude = if a.integer.count != b.integer.count {
            a.integer.count < b.integer.count ? -1 : 1
        } else if a.integer != b.integer {
            a.integer < b.integer ? -1 : 1
        } else if a.fraction != b.fraction {
            a.fraction < b.fraction ? -1 : 1
        } else {
            0
        }
        return a.negative ? -magnitude : magnitude
    }

    /// Epoch (UNIX) seconds: digits only.
    public static func isEpochSeconds(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `true` or `false`, in any case.
    public static func isBoolean(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered == "true" || lowered == "false"
    }

    /// Standard base64 (RFC 4648 §4), with or without `=` padding.
    public static func isBase64(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        let body = Substring(text)
        let padding = body.reversed().prefix { $0 == "=" }.count
        guard padding <= 2 else { return false }
        let data = body.dropLast(padding)
        guard data.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }) else { return false }
        return padding > 0 ? text.count % 4 == 0 : data.count % 4 != 1
    }
}
