import Foundation

/// What a policy is for, inferred from its content (or declared by the design).
public enum PolicyKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A role trust policy: a principal and only `sts:AssumeRole*`-family actions.
    case trust
    /// An identity-based (permission) policy: no principal.
    case identity
    /// A resource-based policy: a principal and other actions.
    case resource

    /// Actions that belong in a role trust policy.
    public static let trustActions: Set<String> = [
        "sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml",
        "sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
    ]

    /// Infers the kind: no principal anywhere → identity; principals with only trust actions → trust;
    /// otherwise resource.
    public static func infer(from document: PolicyDocument) -> PolicyKind {
        let statements = document.statements
        guard statements.contains(where: { $0.principal != nil || $0.notPrincipal != nil }) else { return .identity }
        let actions = statements.flatMap { $0.action?.values ?? [] }.map { $0.lowercased() }
        if !actions.isEmpty, actions.allSatisfy({ trustActions.contains($0) || $0 == "sts:*" || $0 == "sts:assumerole*" }) {
            return .trust
        }
        if actions.isEmpty, statements.allSatisfy({ $0.notAction == nil }) { return .trust }
        return .resource
    }
}

/// The shape a policy document was found in.
public enum PolicyContainer: String, Sendable, Hashable, Codable {
    /// A bare `{"Version", "Statement"}` document.
    case bare
    /// `aws iam get-role` output: `Role.AssumeRolePolicyDocument`.
    case getRole = "get-role"
    /// `aws iam get-policy-version` output: `PolicyVersion.Document`.
    case getPolicyVersion = "get-policy-version"
    /// `aws iam get-role-policy` output: `PolicyDocument`.
    case getRolePolicy = "get-role-policy"
    /// `aws iam get-account-authorization-details` output: a role's `AssumeRolePolicyDocument`.
    case accountRoleTrust = "get-account-authorization-details role trust policy"
    /// `aws iam get-account-authorization-details` output: a role's inline policy (`RolePolicyList`).
    case accountRoleInline = "get-account-authorization-details role inline policy"
    /// `aws iam get-account-authorization-details` output: a user's inline policy (`UserPolicyList`).
    case accountUserInline = "get-account-authorization-details user inline policy"
    /// `aws iam get-account-authorization-details` output: a group's inline policy (`GroupPolicyList`).
    case accountGroupInline = "get-account-authorization-details group inline policy"
    /// `aws iam get-account-authorization-details` output: a managed policy's default version (`Policies`).
    case accountManagedPolicy = "get-account-authorization-details managed policy"

    /// A CloudFormation or SAM template: an `AWS::IAM::Role`'s `AssumeRolePolicyDocument`.
    case templateRoleTrust = "CloudFormation role trust policy"
    /// A CloudFormation or SAM template: an inline policy (a role's, user's or group's `Policies`, `AWS::IAM::Policy`,
    /// `AWS::IAM::RolePolicy`, a SAM function's statements).
    case templateInline = "CloudFormation inline policy"
    /// A CloudFormation template: an `AWS::IAM::ManagedPolicy`.
    case templateManagedPolicy = "CloudFormation managed policy"
    /// A CloudFormation template: a resource-based policy (bucket, queue, topic, key, secret, repository).
    case templateResourcePolicy = "CloudFormation resource policy"

    /// The policy kind this shape implies, if any.
    public var impliedKind: PolicyKind? {
        switch self {
        case .getRole, .accountRoleTrust: .trust
        case .getPolicyVersion, .getRolePolicy, .accountRoleInline, .accountUserInline, .accountGroupInline, .accountManagedPolicy: .identity
        case .templateRoleTrust: .trust
        case .templateInline, .templateManagedPolicy: .identity
        case .templateResourcePolicy: .resource
        case .bare: nil
        }
    }
}

/// How a policy's size is judged against IAM quotas.
public enum PolicyQuotaClass: String, Sendable, Hashable, Codable {
    /// Role trust policy: 2,048 characters by default, 4,096 at most.
    case trust
    /// Customer managed policy: 6,144 characters.
    case managed
    /// Inline role policy: 10,240 characters (aggregate per role).
    case inlineRole
    /// Inline user policy: 2,048 characters (aggregate per user).
    case inlineUser
    /// Inline group policy: 5,120 characters (aggregate per group).
    case inlineGroup
}

/// One policy document found in a file, decoded and located.
public struct Policy: Sendable {
    /// The file, as the user named it (or as found under a named directory).
    public var file: String
    /// The policy document's node in the parsed tree (for an embedded document, the inner tree).
    public var root: JSONNode
    public var document: PolicyDocument
    public var kind: PolicyKind
    public var container: PolicyContainer
    /// When the document was embedded in the file as a JSON string (possibly URL-encoded), the
    /// location of that string: every finding inside the document lands on it.
    public var embedding: Located<String>?
    /// Whether the spans of a document embedded as a string lie in the file (at the values inside the string
    /// literal) rather than in the decoded text; then they are reported as they are.
    public var spansInFile = false
    /// Where a source wrote a value the file does not hold, reading something not known as the value that admits
    /// the most (a template's principal as `*`): the engine drops grammar findings there.
    public var readingValues: [JSONPointer] = []
    /// The document's length in characters with whitespace outside strings removed, as IAM counts it.
    public var compactLength: Int
    /// The policy name, when the container says it (role name for a trust policy).
    public var name: String?
    /// Where the policy sits in an account authorization dump, for messages (`role deploy`, `managed policy P`);
    /// nil for a policy that is a file of its own.
    public var label: String?
    /// Analyses computed once per policy and shared by the rules that need them.
    public let analyses = AnalysisCache()

    public init(file: String, root: JSONNode, document: PolicyDocument, kind: PolicyKind, container: PolicyContainer,
                embedding: Located<String>? = nil, compactLength: Int, name: String? = nil, label: String? = nil) {
        self.file = file
        self.root = root
        self.document = document
        self.kind = kind
        self.container = container
        self.embedding = embedding
        self.compactLength = compactLength
        self.name = name
        self.label = label
    }

    /// The quota class the size rule applies.
    public var quotaClass: PolicyQuotaClass {
        switch (kind, container) {
        case (.trust, _): .trust
        case (_, .getRolePolicy), (_, .accountRoleInline), (_, .templateInline): .inlineRole
        case (_, .accountUserInline): .inlineUser
        case (_, .accountGroupInline): .inlineGroup
        default: .managed
        }
    }

    /// The span to report for a location inside the document: itself, or the embedding string's span.
    public func reportSpan(_ span: SourceSpan) -> SourceSpan {
        spansInFile ? span : embedding?.span ?? span
    }
}

extension JSONNode {
    /// The length in characters of this value written without whitespace outside strings.
    public var compactLength: Int {
        switch value {
        case .null: return 4
        case .bool(let bool): return bool ? 4 : 5
        case .number(let text): return text.utf8.count
        case .string(let string): return Self.compactLength(ofString: string)
        case .array(let elements): return 2 + max(0, elements.count - 1) + elements.reduce(0) { $0 + $1.compactLength }
        case .object(let members):
            return 2 + max(0, members.count - 1) + members.reduce(0) {
                $0 + Self.compactLength(ofString: $1.key) + 1 + $1.value.compactLength
            }
        }
    }

    /// A string's length written as JSON: its Unicode scalars, the quotes, and one more for each escaped quote,
    /// backslash or control character. Counted over UTF-8: every byte that does not continue a scalar starts one.
    static func compactLength(ofString string: String) -> Int {
        func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            var length = 2
            for byte in bytes {
                if byte & 0xC0 != 0x80 { length += 1 }
                if byte == 0x22 || byte == 0x5C || byte < 0x20 { length += 1 }
            }
            return length
        }
        return string.utf8.withContiguousStorageIfAvailable(count) ?? Array(string.utf8).withUnsafeBufferPointer(count)
    }
}

/// A per-policy store of derived analyses, so that rules asking the same question compute the answer once.
///
/// Thread-safe. Rules ask for an analysis many times per policy, so a lookup is an array index under a lock,
/// with neither a string hash nor a dynamic cast.
public final class AnalysisCache: @unchecked Sendable {
    private let lock = NSLock()
    /// Slot `key.index` holds an `AnalysisBox<Value>` for that key's `Value`, once computed.
    private var values: [AnyObject?] = []

    public init() {}

    /// The value stored under `key`, computed by `make` on first use.
    ///
    /// `make` runs outside the lock (it may itself ask the cache for other analyses); when two threads race,
    /// the first stored value wins and both return it.
    public func value<Value: Sendable>(_ key: AnalysisKey<Value>, _ make: () -> Value) -> Value {
        lock.lock()
        if key.index < values.count, let stored = values[key.index] {
            lock.unlock()
            return unsafeDowncast(stored, to: AnalysisBox<Value>.self).value
        }
        lock.unlock()
        let value = make()
        lock.lock()
        defer { lock.unlock() }
        if key.index >= values.count { values += Array(repeating: nil, count: key.index + 1 - values.count) }
        if let stored = values[key.index] { return unsafeDowncast(stored, to: AnalysisBox<Value>.self).value }
        values[key.index] = AnalysisBox(value)
        return value
    }
}

/// The name of one kind of analysis in an `AnalysisCache`, and the type of its value. Create each key once,
/// as a `static let`: every key gets a slot of its own.
public final class AnalysisKey<Value: Sendable>: Sendable {
    /// What the analysis is, for people reading the code.
    public let name: String
    let index: Int

    public init(_ name: String) {
        self.name = name
        index = AnalysisKeyCounter.next()
    }
}

/// Hands out analysis slots 0, 1, 2, ….
private final class AnalysisKeyCounter: @unchecked Sendable {
    private static let shared = AnalysisKeyCounter()
    /// Guarded by `lock`.
    private var count = 0
    private let lock = NSLock()

    static func next() -> Int {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        shared.count += 1
        return shared.count - 1
    }
}

private final class AnalysisBox<Value: Sendable>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
