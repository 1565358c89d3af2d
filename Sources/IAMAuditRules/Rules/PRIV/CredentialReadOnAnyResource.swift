import IAMPolicy

/// PRIV006: reading secrets, parameters or decrypting with any key, on every resource.
public struct CredentialReadOnAnyResource: Rule {
    public static let description = RuleDescription(
        code: "PRIV006",
        name: "credential-read-on-any-resource",
        title: "Secrets, parameters or decryption allowed on every resource",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports `"Resource": "*"` (or an all-wildcard ARN) in an `Allow` statement of an identity or resource policy \
        that grants a credential read: `secretsmanager:GetSecretValue`, `ssm:GetParameter`, `ssm:GetParameters`, \
        `ssm:GetParametersByPath` or `kms:Decrypt`, literally or through a pattern or `NotAction` (`*` alone is \
        PRIV001's). Not reported when a condition keeps the statement to resources carrying a tag \
        (`…:ResourceTag/…` tested positively or with `Null` `false`), to requests another service makes on the \
        principal's behalf (`kms:ViaService`, `aws:CalledVia`, `aws:CalledViaFirst`, `aws:CalledViaLast` naming \
        services), or to ciphertexts of a given encryption context (`kms:EncryptionContext:…`). Reported at the \
        wildcard resource; the finding supersedes PRIV003's on the same wildcard.
        """,
        rationale: """
        These actions return secret material: database passwords and API keys from Secrets Manager, `SecureString` \
        parameters from Parameter Store, and the plaintext of anything encrypted under a KMS key the key policy \
        lets the account use. On `*` the principal reads every secret and parameter of the account, not only the \
        workload's: one leaked deploy token then exposes every other system's credentials. Scope the statement to \
        the workload's secrets (`arn:aws:secretsmanager:eu-north-1:111122223333:secret:my-app/prod/*`), parameters \
        (`arn:aws:ssm:eu-north-1:111122223333:parameter/my-app/prod/*`) and keys, or to resources carrying the \
        workload's tag.
        """,
        references: [
            "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html",
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html",
            "https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        ],
        supersedes: [Supersession("PRIV003", at: .samePointer, reason: """
            the credential read is the graver finding on the same wildcard, and its message lists the scoping of the \
            statement's other actions too
            """)],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "SecretsManagerRead",
                  "Effect": "Allow",
                  "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["ssm:GetParameter*", "kms:Decrypt"],
                  "Resource": ["arn:aws:ssm:eu-north-1:337909745089:parameter/ai-multi-comms/dev/*", "arn:*"]
                },
                {
                  "Effect": "Allow",
                  "Action": "secretsmanager:*",
                  "Resource": "*",
                  "Condition": {"StringEqualsIfExists": {"aws:ResourceTag/app": "ai-multi-comms"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Resource/1", "/Statement/1/Resource"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "SecretsManagerRead",
                  "Effect": "Allow",
                  "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                  "Resource": "arn:aws:secretsmanager:eu-north-1:337909745089:secret:ai-multi-comms/dev/*"
                },
                {
                  "Sid": "ListSecrets",
                  "Effect": "Allow",
                  "Action": ["secretsmanager:ListSecrets", "ssm:DescribeParameters", "kms:ListAliases"],
                  "Resource": "*"
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "TeamSecretsByTag",
                  "Effect": "Allow",
                  "Action": "secretsmanager:GetSecretValue",
                  "Resource": "*",
                  "Condition": {"StringEquals": {"secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}"}}
                },
                {
                  "Effect": "Deny",
                  "Action": ["kms:Decrypt", "ssm:GetParameters"],
                  "Resource": "*"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        zip(PermissionStatement.all(in: policy), CredentialReads.of(policy)).compactMap { statement, reads in
            guard let star = statement.everyResource, !reads.isEmpty else { return nil }
            return Violation(at: star, Message.reads(star.value, reads, statement, known: ScopeSuggestion.KnownValues(context)))
        }
    }

    private enum Message {
        /// What each service's credential read returns.
        static let serviceNouns = ["secretsmanager": "secret", "ssm": "parameter", "kms": "key"]

        static func reads(_ value: String, _ reads: [(action: String, grant: ActionGrant)], _ statement: PermissionStatement,
                          known: ScopeSuggestion.KnownValues) -> String {
            let catalog = ActionCatalog.shared
            let names = reads.map(\.action)
            let through = ScopeSuggestion.unique(reads.map(\.grant).filter { $0.shape != .literal }.map(\.text))
            let granted = through.isEmpty ? "" : " (through \(through.map { "'\($0)'" }.joined(separator: ", ")))"
            let nouns = ScopeSuggestion.unique(names.compactMap { name in name.split(separator: ":").first.flatMap { serviceNouns[String($0)] } })
            let every = nouns.count == 1 ? nouns[0] : nouns.dropLast().joined(separator: ", ") + " and " + (nouns.last ?? "")
            let noun = names.count == 1 ? "credential read" : "credential reads"
            var text = "resource \(ScopeSuggestion.quoted(value)) grants \(noun) \(ScopeSuggestion.list(names))\(granted) on every \(every)"
            let targets = ScopeSuggestion.unique(names.compactMap(catalog.action) + ScopeSuggestion.actions(of: statement).scopable)
            let scoping = ScopeSuggestion.scoping(targets, filling: known)
            if !scoping.isEmpty { text += ": scope " + scoping }
            return text
        }
    }
}
