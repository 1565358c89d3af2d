import IAMPolicy

/// Applies a design's `ignore` entries (`docs/design-file.md`) to the findings of a run.
///
/// A finding is suppressed by an entry when the entry names its rule (by code or name), the entry's `path` glob
/// matches the finding's file relative to the design file's folder, and, when the entry has a `pointer`, the
/// finding's pointer is that pointer or lies inside it. An entry whose `expires` day is before today suppresses
/// nothing and is reported; so is an entry that matches no finding.
public struct Suppressions: Sendable {
    public var design: Design
    /// Today as `YYYY-MM-DD` (UTC): an entry expiring today still applies.
    public var today: String
    /// The rules that ran: an entry for a rule that did not run (`--select`, `--ignore`) is not reported as unused.
    public var enabledRules: [RuleDescription]

    public init(design: Design, today: String, enabledRules: [RuleDescription]) {
        self.design = design
        self.today = today
        self.enabledRules = enabledRules
    }

    /// What applying the entries produced.
    public struct Outcome: Sendable {
        /// Findings no live entry matches, in their original order.
        public var kept: [Finding] = []
        /// Findings a live entry matches, each with the first matching entry's reason.
        public var suppressed: [SuppressedFinding] = []
        /// Warnings about expired entries and entries that match nothing, located in the design file.
        public var notices: [AuditNotice] = []
    }

    /// - Parameter pathInDesign: a finding's file relative to the design file's folder, nil when it lies outside;
    ///   by default worked out from the spelling of both paths (``Design/pathRelativeToDesign(_:)``).
    public func apply(to findings: [Finding], pathInDesign: ((String) -> String?)? = nil) -> Outcome {
        var outcome = Outcome()
        let live = design.ignore.filter { !isExpired($0) }
        var used = Set<JSONPointer>()
        let locate = pathInDesign ?? design.pathRelativeToDesign
        for finding in findings {
            if let entry = live.first(where: { matches($0, finding, relativePath: locate(finding.file)) }) {
                used.insert(entry.pointerInDesign)
                outcome.suppressed.append(SuppressedFinding(finding: finding, reason: entry.reason))
            } else {
                outcome.kept.append(finding)
            }
        }
        for entry in design.ignore {
            if let expires = entry.expires, isExpired(entry) {
                outcome.notices.append(notice(entry, "expired on \(expires) and no longer suppresses findings; renew or remove it"))
            } else if !used.contains(entry.pointerInDesign), ruleRan(entry.rule) {
                outcome.notices.append(notice(entry, "matches no finding; remove it"))
            }
        }
        return outcome
    }

    /// Whether `entry`'s `expires` day is before today.
    public func isExpired(_ entry: Design.IgnoreEntry) -> Bool {
        guard let expires = entry.expires else { return false }
        return expires < today
    }

    /// Whether `entry` covers `finding`: same rule, path glob, and pointer (equal or an ancestor).
    /// - Parameter relativePath: the finding's file relative to the design file's folder.
    public func matches(_ entry: Design.IgnoreEntry, _ finding: Finding, relativePath: String?) -> Bool {
        guard Self.names(entry.rule, code: finding.ruleCode, name: finding.ruleName) else { return false }
        if let pointer = entry.pointer, !finding.pointer.hasPrefix(pointer) { return false }
        guard let relative = relativePath else { return false }
        return PathGlob(entry.path).matches(relative)
    }

    private func ruleRan(_ rule: String) -> Bool {
        enabledRules.contains { Self.names(rule, code: $0.code, name: $0.name) }
    }

    private static func names(_ rule: String, code: String, name: String) -> Bool {
        rule.uppercased() == code || rule.lowercased() == name
    }

    private func notice(_ entry: Design.IgnoreEntry, _ what: String) -> AuditNotice {
        var subject = "ignore entry \(entry.pointerInDesign) (rule '\(entry.rule)', path '\(entry.path)'"
        if let pointer = entry.pointer { subject += ", pointer '\(pointer)'" }
        subject += ")"
        return AuditNotice(file: design.file, message: "\(subject) \(what)", position: entry.span.start, isWarning: true)
    }
}

/// A path glob of an `ignore` entry: `/`-separated segments, where `*` matches any run of characters within one
/// segment, `?` one character, and a `**` segment any number of whole segments (none included).
public struct PathGlob: Sendable, Hashable {
    public let segments: [String]

    public init(_ pattern: String) {
        segments = LexicalPath.normalized(pattern).split(separator: "/").map(String.init)
    }

    /// Whether `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let parts = LexicalPath.normalized(path).split(separator: "/").map(String.init)
        return Self.match(segments[...], parts[...])
    }

    private static func match(_ globs: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let glob = globs.first else { return parts.isEmpty }
        if glob == "**" {
            let rest = globs.dropFirst()
            var remaining = parts
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let part = parts.first, segment(Array(glob.unicodeScalars)[...], Array(part.unicodeScalars)[...]) else {
            return false
        }
        return match(globs.dropFirst(), parts.dropFirst())
    }

    /// Matches one segment: `*` any run, `?` one character, anything else itself.
    private static func segment(_ glob: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var globIndex = glob.startIndex
        var textIndex = text.startIndex
        var star: (glob: Int, text: Int)?
        while textIndex < text.endIndex {
            if globIndex < glob.endIndex, glob[globIndex] == "*" {
                star = (globIndex, textIndex)
                globIndex += 1
            } else if globIndex < glob.endIndex, glob[globIndex] == "?" || glob[globIndex] == text[textIndex] {
                globIndex += 1
                textIndex += 1
            } else if let last = star {
                globIndex = last.glob + 1
                textIndex = last.text + 1
                star = (last.glob, last.text + 1)
            } else {
                return false
            }
        }
        while globIndex < glob.endIndex, glob[globIndex] == "*" { globIndex += 1 }
        return globIndex == glob.endIndex
    }
}
