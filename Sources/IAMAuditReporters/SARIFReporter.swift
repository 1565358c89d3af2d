import IAMAuditRules
import IAMPolicy

/// SARIF 2.1.0 as GitHub code scanning ingests it: one run, every enabled rule with its documentation, one
/// result per finding located by a `%SRCROOT%`-relative URI and a 1-based region (columns in Unicode code
/// points, `endColumn` exclusive), with a `partialFingerprints` entry that does not depend on the line.
///
/// Suppressed findings are left out. Run errors become error-level tool execution notifications and make
/// `executionSuccessful` false; notices become note-level notifications.
public struct SARIFReporter: Reporter {
    /// The key of the fingerprint in each result's `partialFingerprints`.
    public static let fingerprintKey = "iamAudit/v1"
    /// The base every artifact URI is relative to: the root of the checked-out repository.
    public static let sourceRootBaseID = "%SRCROOT%"

    /// The most results GitHub code scanning accepts in one run; it rejects an upload with more
    /// (docs.github.com, "SARIF results exceed limit").
    public static let maxResults = 25_000

    /// The most results this reporter writes; a longer report keeps the most severe.
    public var resultLimit: Int

    public init(resultLimit: Int = SARIFReporter.maxResults) {
        self.resultLimit = resultLimit
    }

    /// The findings a run of at most `limit` results keeps: the most severe (level, then security severity), in
    /// report order.
    public static func kept(_ findings: [Finding], limit: Int) -> [Finding] {
        guard findings.count > limit else { return findings }
        let ranked = findings.indices.sorted { lhs, rhs in
            let (left, right) = (findings[lhs], findings[rhs])
            if left.level != right.level { return left.level > right.level }
            if left.securitySeverity != right.securitySeverity { return left.securitySeverity > right.securitySeverity }
            return lhs < rhs
        }
        return ranked.prefix(max(limit, 0)).sorted().map { findings[$0] }
    }

    public func render(_ report: AuditReport) -> String {
        var report = report
        let cut = report.findings.count - min(report.findings.count, resultLimit)
        if cut > 0 {
            report.notices.append(AuditNotice(
                file: report.findings.first?.file ?? ".",
                message: "kept the \(resultLimit) most severe of \(report.findings.count) results: GitHub code scanning rejects a run "
                    + "of more than \(SARIFReporter.maxResults); the JSON report has them all", isWarning: true))
            report.findings = Self.kept(report.findings, limit: resultLimit)
        }
        var rules = report.rules
        var known = Set(rules.map(\.code))
        for finding in report.findings where !known.contains(finding.ruleCode) {
            rules.append(Self.placeholderRule(for: finding))
            known.insert(finding.ruleCode)
        }
        let ruleIndex = Dictionary(rules.enumerated().map { ($0.element.code, $0.offset) }, uniquingKeysWith: { first, _ in first })

        var notifications = report.errors.map { error in
            Notification(level: "error", message: Message(text: error.message),
                         locations: [Location(file: error.file, region: error.position.map(Region.init(at:)))])
        }
        notifications += report.notices.map { notice in
            Notification(level: notice.isWarning ? "warning" : "note", message: Message(text: notice.message),
                         locations: [Location(file: notice.file)])
        }

        let log = Log(runs: [
            Run(
                tool: Tool(driver: ToolComponent(
                    name: report.toolName, version: report.toolVersion,
                    semanticVersion: report.toolVersion, informationUri: ToolInfo.repository,
                    rules: rules.map { ReportingDescriptor($0, version: report.toolVersion) })),
                invocations: [Invocation(
                    executionSuccessful: report.errors.isEmpty,
                    toolExecutionNotifications: notifications.isEmpty ? nil : notifications)],
                results: report.findings.map { Result($0, ruleIndex: ruleIndex[$0.ruleCode]) }),
        ])
        return encodeSorted(log)
    }

    /// A stand-in for a rule a finding names but the report does not list, so every result has its rule.
    private static func placeholderRule(for finding: Finding) -> RuleDescription {
        RuleDescription(
            code: finding.ruleCode, name: finding.ruleName, title: "\(finding.ruleCode) \(finding.ruleName)",
            level: finding.level, securitySeverity: finding.securitySeverity,
            summary: "Run `iam-audit explain \(finding.ruleCode)` for this rule's documentation.",
            rationale: "", triggeringExamples: [], nonTriggeringExamples: [])
    }

    /// The `uri` of a reported file: forward slashes, no leading `./`, percent-encoded but for RFC 3986
    /// unreserved characters and `/`; relative to ``sourceRootBaseID``, or a `file://` URI for an absolute path.
    /// A byte of a name that is not UTF-8, reported as `\xFF` (``EscapedFileName``), is encoded as itself (`%FF`).
    static func artifactLocation(for file: String) -> (uri: String, uriBaseId: String?) {
        let slash = UInt8(ascii: "/")
        var path = EscapedFileName.bytes(file).map { $0 == UInt8(ascii: "\\") ? slash : $0 }[...]
        while path.starts(with: [UInt8(ascii: "."), slash]) { path.removeFirst(2) }
        if path.first == slash { return ("file://" + percentEncoded(path), nil) }
        return (percentEncoded(path), sourceRootBaseID)
    }

    private static func percentEncoded(_ path: ArraySlice<UInt8>) -> String {
        var result = ""
        for byte in path {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    // MARK: - SARIF 2.1.0 objects (OASIS standard, https://docs.oasis-open.org/sarif/sarif/v2.1.0/)

    /// §3.13 sarifLog object.
    private struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        private enum CodingKeys: String, CodingKey {
            case schema = "$schema", version, runs
        }
    }

    /// §3.14 run object; `columnKind` says columns count Unicode code points, as `SourcePosition` does.
    private struct Run: Encodable {
        var tool: Tool
        var invocations: [Invocation]
        var results: [Result]
        var columnKind = "unicodeCodePoints"
    }

    /// §3.18 tool object.
    private struct Tool: Encodable {
        var driver: ToolComponent
    }

    /// §3.19 toolComponent object.
    private struct ToolComponent: Encodable {
        var name: String
        var version: String
        var semanticVersion: String
        var informationUri: String
        var rules: [ReportingDescriptor]
    }

    /// §3.20 invocation object.
    private struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]?
    }

    /// §3.58 notification object.
    private struct Notification: Encodable {
        var level: String
        var message: Message
        var locations: [Location]
    }

    /// §3.49 reportingDescriptor object: one rule and its documentation.
    private struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: MultiformatMessageString
        var fullDescription: MultiformatMessageString
        var help: MultiformatMessageString
        /// The rule's section of `docs/RULES.md` at this version's tag.
        var helpUri: String
        var defaultConfiguration: ReportingConfiguration
        var properties: RuleProperties

        init(_ rule: RuleDescription, version: String) {
            id = rule.code
            helpUri = "\(ToolInfo.repository)/blob/v\(version)/docs/RULES.md#\(RuleDocumentation.anchor(for: rule))"
            name = rule.name
            shortDescription = MultiformatMessageString(text: rule.title)
            fullDescription = MultiformatMessageString(text: clippedText(rule.summary.isEmpty ? rule.title : rule.summary, to: 1024))
            help = MultiformatMessageString(
                text: RuleDocumentation.helpText(for: rule), markdown: RuleDocumentation.markdown(for: rule))
            defaultConfiguration = ReportingConfiguration(level: rule.level.rawValue)
            var tags = ["security"]
            if let family = rule.family { tags.append(family.rawValue.lowercased()) }
            properties = RuleProperties(tags: tags, securitySeverity: SecuritySeverity.text(rule.securitySeverity))
        }
    }

    /// §3.50 reportingConfiguration object.
    private struct ReportingConfiguration: Encodable {
        var level: String
    }

    /// §3.8 property bag of a rule, with GitHub code scanning's `tags`, `security-severity` (a string) and
    /// `precision`.
    private struct RuleProperties: Encodable {
        var tags: [String]
        var securitySeverity: String
        var precision = "very-high"

        private enum CodingKeys: String, CodingKey {
            case tags, securitySeverity = "security-severity", precision
        }
    }

    /// §3.12 multiformatMessageString object.
    private struct MultiformatMessageString: Encodable {
        var text: String
        var markdown: String?
    }

    /// §3.11 message object.
    private struct Message: Encodable {
        var text: String
    }

    /// §3.27 result object.
    private struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
        /// Stable across runs (rule, file and pointer, never the line), under ``SARIFReporter/fingerprintKey``.
        var partialFingerprints: [String: String]
        var properties: ResultProperties

        init(_ finding: Finding, ruleIndex: Int?) {
            ruleId = finding.ruleCode
            self.ruleIndex = ruleIndex
            level = finding.level.rawValue
            message = Message(text: finding.message)
            locations = [Location(file: finding.file, region: Region(finding.span))]
            partialFingerprints = [SARIFReporter.fingerprintKey: finding.reportedFingerprint]
            properties = ResultProperties(
                pointer: finding.pointer.description, environment: finding.environment,
                policyKind: finding.policyKind?.rawValue, detail: finding.detail)
        }
    }

    /// §3.8 property bag of a result: where in the JSON the finding is (RFC 6901) and what the policy is.
    private struct ResultProperties: Encodable {
        var pointer: String
        var environment: String?
        var policyKind: String?
        /// The whole message, when the result's message is its summary.
        var detail: String?
    }

    /// §3.28 location object.
    private struct Location: Encodable {
        var physicalLocation: PhysicalLocation

        init(file: String, region: Region? = nil) {
            let location = SARIFReporter.artifactLocation(for: file)
            physicalLocation = PhysicalLocation(
                artifactLocation: ArtifactLocation(uri: location.uri, uriBaseId: location.uriBaseId), region: region)
        }
    }

    /// §3.29 physicalLocation object.
    private struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    /// §3.4 artifactLocation object.
    private struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
    }

    /// §3.30 region object: a text region, 1-based, `endColumn` just past the last character.
    private struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int?
        var endColumn: Int?

        init(_ span: SourceSpan) {
            startLine = max(span.start.line, 1)
            startColumn = max(span.start.column, 1)
            let end = span.end < span.start ? span.start : span.end
            endLine = max(end.line, startLine)
            endColumn = max(end.line == startLine ? max(end.column, startColumn) : end.column, 1)
        }

        init(at position: SourcePosition) {
            startLine = max(position.line, 1)
            startColumn = max(position.column, 1)
        }
    }
}

/// `text` cut to at most `limit` characters, at a word boundary with an ellipsis when cut (GitHub code scanning
/// refuses rule descriptions over 1,024 characters).
func clippedText(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    let head = text.prefix(limit - 1)
    let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
    return cut + "…"
}
