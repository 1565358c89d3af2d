import IAMPolicy

/// IAM025: a `Principal` or `NotPrincipal` that IAM cannot read: a string other than `*`, an unknown
/// principal type, or a value of the wrong form for its type.
public struct InvalidPrincipal: Rule {
    public static let description = RuleDescription(
        code: "IAM025",
        name: "invalid-principal",
        title: "Principal is not a valid principal",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports a `Principal` or `NotPrincipal` that is a string other than `*`; a principal type other than `AWS`, \
        `Service`, `Federated` and `CanonicalUser` (with the one meant); a `Service` value that is not a service \
        principal such as `lambda.amazonaws.com`; an `AWS` value that is neither `*`, a 12-digit account id nor an \
        ARN (a bare role name, a unique id left by a deleted role), or an ARN with a wildcard; and a `Federated` value \
        that is neither an `oidc-provider` or `saml-provider` ARN nor a web identity provider IAM knows \
        (`cognito-identity.amazonaws.com`, `accounts.google.com`, `graph.facebook.com`, `www.amazon.com`).
        """,
        rationale: """
        IAM rejects a trust or resource policy whose principal it cannot resolve ("Invalid principal in policy"), \
        so the role or resource is not created or updated, and the deployment fails; a unique id such as \
        `AROA…` means the role it named was deleted, and the statement now matches no one. The GitHub OIDC host \
        written as a `Federated` value is the commonest case: IAM needs the provider's ARN, \
        `arn:aws:iam::ACCOUNT:oidc-provider/token.actions.githubusercontent.com`. Write principals as an object of \
        types to values: `{"AWS": "123456789012"}` or a user, role or session ARN; `{"Service": "ecs.amazonaws.com"}`; \
        `{"Federated": "arn:aws:iam::123456789012:oidc-provider/HOST"}`. A wildcard cannot match part of a principal \
        ARN: name the principal, or use `*` with an `aws:PrincipalArn` condition.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-invalid-principal-key",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Aws": "arn:aws:iam::337909745089:root"},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Service": ["lambda", "ecs-tasks.amazonaws.com"]},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Effect": "Allow",
                  "Principal": "arn:aws:iam::337909745089:root",
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/Aws", "/Statement/1/Principal/Service/0", "/Statement/2/Principal"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": ["GitHubActions-template-sender-engine-dev", "arn:aws:iam::337909745089:role/ops-*", "AROA3XFRBF535PLBIFPI4"]},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:environment:dev"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/AWS/0", "/Statement/0/Principal/AWS/1", "/Statement/0/Principal/AWS/2",
                            "/Statement/1/Principal/Federated"]),
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
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:junksamiad/template-sender-engine:environment:prod"
                    }
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Service": ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"]},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": ["123456789012", "arn:aws:iam::337909745089:role/ops", "arn:aws:sts::337909745089:assumed-role/ops/alice"]},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"sts:ExternalId": "ops-2026"}}
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-north-1:12345678-abcd-abcd-abcd-123456789012"},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
                  }
                },
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::337909745089:saml-provider/CorporateIdP"},
                  "Action": "sts:AssumeRoleWithSAML",
                  "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    /// Web identity providers IAM accepts by host name in `Federated`.
    static let webIdentityProviders: Set<String> = [
        "cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com",
    ]

    /// The DNS suffixes of the AWS partitions, which service principals end with.
    static let serviceSuffixes = [
        ".amazonaws.com", ".amazonaws.com.cn", ".c2s.ic.gov", ".sc2s.sgov.gov", ".cloud.adc-e.uk", ".csp.hci.ic.gov", ".amazonaws.eu",
    ]

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        for statement in policy.document.statements {
            for element in [statement.principal, statement.notPrincipal].compactMap({ $0 }) {
                let name = element.pointer.lastToken ?? "Principal"
                if case .invalidString(let string) = element.shape, !string.isEmpty {
                    violations.append(Violation(pointer: element.pointer, span: element.span,
                                                message: "string '\(string)' in \(name) is not '*', the only principal written as a string (write an object such as {\"AWS\": \"\(string)\"})"))
                }
                for entry in element.entries {
                    let type = entry.type.value
                    guard PrincipalElement.knownTypes.contains(type) else {
                        let known = ["AWS", "Service", "Federated", "CanonicalUser"]
                        let hint = EditDistance.suggestion(for: type, among: known, maxDistance: 3).map { " (did you mean '\($0)'?)" } ?? ""
                        violations.append(Violation(at: entry.type, "unknown principal type '\(type)'\(hint)"))
                        continue
                    }
                    // IAM013 supersedes the finding on an empty string.
                    for item in entry.values.items {
                        if let defect = Self.defect(in: item.value, type: type) {
                            violations.append(Violation(at: item, defect))
                        }
                    }
                }
            }
        }
        return violations
    }

    /// What is wrong with one value of a principal type, as a message, or nil.
    static func defect(in value: String, type: String) -> String? {
        switch type {
        case "AWS":
            if value == "*" || AWSAccountID.isValid(value) { return nil }
            if value.hasPrefix("arn:") { return wildcardDefect(in: value) }
            if isUniqueID(value) {
                return "principal '\(value)' is a unique id, which IAM shows when the user or role it named was deleted"
            }
            return "principal '\(value)' is neither '*', a 12-digit account id nor an ARN"
        case "Service":
            let isName = value.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
            if isName, let suffix = serviceSuffixes.first(where: value.hasSuffix), value.count > suffix.count { return nil }
            let hint = isName && !value.containsASCII(".") && !value.isEmpty ? " (did you mean '\(value).amazonaws.com'?)" : ""
            return "service principal '\(value)' is not of the form 'SERVICE.amazonaws.com'\(hint)"
        case "Federated":
            if webIdentityProviders.contains(value) { return nil }
            if value.hasPrefix("arn:") {
                // Malformed ARNs are InvalidARN's to report.
                guard let arn = ARNFields(parsing: value) else { return nil }
                if let wildcard = wildcardDefect(in: value) { return wildcard }
                if arn.service == "iam", arn.resource.hasPrefix("oidc-provider/") || arn.resource.hasPrefix("saml-provider/") { return nil }
                return "federated principal '\(value)' is not an oidc-provider or saml-provider ARN"
            }
            let hint = value.containsASCII("{") ? " (an unfilled template placeholder?)"
                : value.containsASCII(".") && !value.containsASCII("/") ? " (an OIDC provider is named by its ARN, arn:aws:iam::ACCOUNT:oidc-provider/\(value))"
                : ""
            return "federated principal '\(value)' is neither an identity provider ARN nor a web identity provider IAM knows\(hint)"
        default:
            return nil
        }
    }

    /// A wildcard inside a principal ARN, which IAM does not match partially.
    static func wildcardDefect(in arn: String) -> String? {
        guard arn.containsGlobWildcard else { return nil }
        return "principal ARN '\(arn)' holds a wildcard, which cannot match part of a principal"
    }

    /// Whether `value` is an IAM unique id of a user (`AIDA…`) or role (`AROA…`).
    static func isUniqueID(_ value: String) -> Bool {
        (value.hasPrefix("AIDA") || value.hasPrefix("AROA")) && value.count >= 20
            && value.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }
}
