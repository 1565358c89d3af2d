import Foundation
import IAMPolicy

/// The findings a team has accepted for now, written by `--write-baseline` and read by `--baseline`.
///
/// The file is JSON, pretty-printed with sorted keys and a final line break, entries sorted by file, rule,
/// pointer and fingerprint, so a change to it reads as a small diff:
///
/// ```json
/// {
///   "entries" : [
///     { "file" : "prod/trust-policy.json", "fingerprint" : "…", "message" : "…", "pointer" : "/Statement/0", "rule" : "OIDC004" }
///   ],
///   "tool" : { "name" : "iam-audit", "version" : "0.1.0" },
///   "version" : 1
/// }
/// ```
public struct Baseline: Sendable, Equatable, Codable {
    /// The version of the file's shape this tool reads and writes.
    public static let currentVersion = 1

    public var version: Int
    public var tool: Tool
    public var entries: [Entry]

    public struct Tool: Sendable, Equatable, Codable {
        public var name: String
        public var version: String
    }

    /// One accepted finding. It matches a finding only with the same fingerprint, rule and file.
    public struct Entry: Sendable, Hashable, Codable {
        /// The rule code, such as `OIDC004`.
        public var rule: String
        /// The file as reports name it.
        public var file: String
        /// RFC 6901 pointer of the finding, for people reading the file.
        public var pointer: String
        public var fingerprint: String
        /// The finding's message when the baseline was written, for people reading the file.
        public var message: String

        public init(rule: String, file: String, pointer: String, fingerprint: String, message: String) {
            self.rule = rule
            self.file = file
            self.pointer = pointer
            self.fingerprint = fingerprint
            self.message = message
        }

        public init(_ finding: Finding) {
            self.init(rule: finding.ruleCode, file: finding.file, pointer: finding.pointer.description,
                      fingerprint: finding.fingerprint, message: finding.message)
        }

        /// What a finding must share with the entry to match it.
        var key: Key { Key(fingerprint: fingerprint, rule: rule, file: Fingerprint.stableFile(file)) }

        static func order(_ lhs: Entry, _ rhs: Entry) -> Bool {
            (lhs.file, lhs.rule, lhs.pointer, lhs.fingerprint, lhs.message) < (rhs.file, rhs.rule, rhs.pointer, rhs.fingerprint, rhs.message)
        }
    }

    struct Key: Hashable {
        var fingerprint: String
        var rule: String
        var file: String

        init(fingerprint: String, rule: String, file: String) {
            self.fingerprint = fingerprint
            self.rule = rule
            self.file = file
        }

        init(_ finding: Finding) {
            self.init(fingerprint: finding.fingerprint, rule: finding.ruleCode, file: Fingerprint.stableFile(finding.file))
        }
    }

    public init(toolName: String = ToolInfo.name, toolVersion: String = ToolInfo.version, entries: [Entry]) {
        version = Self.currentVersion
        tool = Tool(name: toolName, version: toolVersion)
        self.entries = Array(Set(entries)).sorted(by: Entry.order)
    }

    /// A baseline of every finding.
    public init(findings: [Finding], toolName: String = ToolInfo.name, toolVersion: String = ToolInfo.version) {
        self.init(toolName: toolName, toolVersion: toolVersion, entries: findings.map(Entry.init))
    }

    /// What comparing a run's findings with the baseline produced.
    public struct Comparison: Sendable {
        /// Findings the baseline does not hold, in their original order.
        public var new: [Finding]
        /// How many findings the baseline holds.
        public var baselined: Int
        /// Entries that match no finding.
        public var stale: [Entry]
    }

    /// Splits `findings` into the new ones and those the baseline holds.
    public func compare(_ findings: [Finding]) -> Comparison {
        let known = Set(entries.map(\.key))
        var matched = Set<Key>()
        var new: [Finding] = []
        for finding in findings {
            let key = Key(finding)
            if known.contains(key) {
                matched.insert(key)
            } else {
                new.append(finding)
            }
        }
        return Comparison(new: new, baselined: findings.count - new.count,
                          stale: entries.filter { !matched.contains($0.key) })
    }

    /// The file's bytes: pretty JSON, sorted keys, a final line break.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { preconditionFailure("baseline encoding failed") }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a baseline file's bytes; the error is one sentence saying what is wrong.
    public static func decode(_ bytes: [UInt8]) -> Result<Baseline, BaselineError> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            return .failure(BaselineError("it is not valid JSON"))
        }
        guard let dictionary = object as? [String: Any] else {
            return .failure(BaselineError("it is not a JSON object"))
        }
        guard let version = dictionary["version"] as? Int else {
            return .failure(BaselineError("it has no \"version\" number"))
        }
        guard version == currentVersion else {
            return .failure(BaselineError("its version \(version) is not supported (expected \(currentVersion))"))
        }
        do {
            return .success(try JSONDecoder().decode(Baseline.self, from: Data(bytes)))
        } catch let DecodingError.keyNotFound(key, context) {
            return .failure(BaselineError("\(location(context.codingPath)) has no \"\(key.stringValue)\""))
        } catch let DecodingError.typeMismatch(_, context) {
            return .failure(BaselineError("\(location(context.codingPath)) has the wrong type"))
        } catch let DecodingError.valueNotFound(_, context) {
            return .failure(BaselineError("\(location(context.codingPath)) is null"))
        } catch {
            return .failure(BaselineError("it is not a baseline"))
        }
    }

    private static func location(_ path: [any CodingKey]) -> String {
        let pointer = JSONPointer(tokens: path.map { $0.intValue.map(String.init) ?? $0.stringValue })
        return pointer.isRoot ? "the file" : "'\(pointer)'"
    }
}

/// Why a baseline file could not be read.
public struct BaselineError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
