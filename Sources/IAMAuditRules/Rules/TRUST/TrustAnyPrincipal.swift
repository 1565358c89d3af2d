import IAMPolicy

/// TRUST001: an Allow statement whose principal is everyone (`"*"` or `{"AWS": "*"}`) with no condition that
/// narrows it to an account, organization, principal or source.
public struct TrustAnyPrincipal: Rule {
    public static let description = RuleDescription(
        code: "TRUST001",
        name: "trust-any-principal",
        title: "Wildcard principal without a narrowing condition",
        level: .error,
        securitySeverity: 9.5,
        summary: """
        Reports `Principal: "*"` and an `AWS` principal `"*"` in an `Allow` statement of a trust or resource policy \
        when no condition of the statement narrows who the caller is. A narrowing condition tests \
        `aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalArn`, \
        `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceVpce`, \
        `aws:SourceVpc`, `aws:PrincipalIsAWSService` (with `true`) or an identifying claim of a federated provider \
        (a GitHub `sub`, `repository` or `job_workflow_ref`; not `aud`), under a positive operator that needs the \
        key present (not `…IfExists`, `ForAllValues:`, a negated operator or `Null`) with values that are not all \
        wildcards: an account, organization id, endpoint or VPC written without `*` or `?`, an organization path \
        whose organization id is literal, an ARN whose account is (or an S3 bucket's ARN whose name is). \
        `sts:ExternalId` alone does not narrow `"*"`.
        """,
        rationale: """
        In a role trust policy `"*"` and `{"AWS": "*"}` let every principal of every AWS account assume the role: \
        anyone who learns the role's ARN gets its permissions. In a resource policy `"*"` grants anyone, callers \
        that are not signed in to AWS included, and `{"AWS": "*"}` every principal of every account. AWS says to \
        limit such a principal by other means and not to leave a role accessible to everyone. A condition that \
        looks like a limit may not be one: `StringEqualsIfExists` and `ForAllValues:` pass when the key is \
        absent, a negated operator admits every value it does not list, `arn:aws:iam::*:role/x` matches that \
        role name in every account, `o-*` or `vpce-*` under `StringLike` matches organizations and endpoints anyone \
        can create, and an external ID alone keeps no account out (AWS does not treat it as a secret). Name the principals instead (`{"AWS": "arn:aws:iam::123456789012:role/ci"}`), \
        or keep `"*"` and add `StringEquals` on `aws:PrincipalOrgID` or `aws:PrincipalAccount`. A deliberately \
        public resource (a website bucket) is a reasoned `ignore` entry in the design.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
        ],
        triggeringExamples: [
            // Patterns of identifiers anyone can create, and an external ID, limit nobody.
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "AnyOrganization",
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringLike": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5", "o-*"]}}
                },
                {
                  "Sid": "AnyOrganizationPath",
                  "Effect": "Allow",
                  "Principal": {"AWS": "*"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*/r-ab12/*"}}
                },
                {
                  "Sid": "ExternalIdOnly",
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"sts:ExternalId": "example-corp-7f3a"}}
                },
                {
                  "Sid": "AnyAccountLike",
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringLike": {"aws:PrincipalAccount": "33790974508?"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal", "/Statement/1/Principal/AWS", "/Statement/2/Principal", "/Statement/3/Principal"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "AnyoneMayAssume",
                  "Effect": "Allow",
                  "Principal": {"AWS": "*"},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Sid": "OrganizationIfPresent",
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": ["sts:AssumeRole", "sts:TagSession"],
                  "Condition": {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/AWS", "/Statement/1/Principal"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ReadOverTLS",
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*",
                  "Condition": {"Bool": {"aws:SecureTransport": "true"}}
                },
                {
                  "Sid": "ReaderRoles",
                  "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::337909745089:role/reader", "*"]},
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts",
                  "Condition": {
                    "StringNotEquals": {"aws:PrincipalAccount": "111122223333"},
                    "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/reader"}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal", "/Statement/1/Principal/AWS/1"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "OrganizationMembers",
                  "Effect": "Allow",
                  "Principal": {"AWS": "*"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
                },
                {
                  "Sid": "OrganizationUnit",
                  "Effect": "Allow",
                  "Principal": {"AWS": "*"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}
                },
                {
                  "Sid": "DenyOutsideTheOrganization",
                  "Effect": "Deny",
                  "Principal": "*",
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ThroughOurEndpoint",
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/*",
                  "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
                },
                {
                  "Sid": "OurRolesOnly",
                  "Effect": "Allow",
                  "Principal": {"AWS": "*"},
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts",
                  "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::337909745089:role/ai-multi-comms-dev-*"}}
                },
                {
                  "Sid": "CloudTrailFromOurTrail",
                  "Effect": "Allow",
                  "Principal": {"Service": "cloudtrail.amazonaws.com"},
                  "Action": "s3:PutObject",
                  "Resource": "arn:aws:s3:::ai-multi-comms-dev-artifacts/AWSLogs/337909745089/*",
                  "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:eu-north-1:337909745089:trail/main"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind != .identity else { return [] }
        var violations: [Violation] = []
        for statement in policy.document.statements where statement.isAllow {
            guard let principal = statement.principal, principal.isEveryone, !PrincipalNarrowing.narrows(statement) else { continue }
            let ineffective = PrincipalNarrowing.firstIneffective(in: statement)
            switch principal.shape {
            case .everyone:
                violations.append(Violation(pointer: principal.pointer, span: principal.span,
                                            message: Message.everyone(policy.kind, written: "'*'", anonymous: true, ineffective)))
            case .map(let entries):
                let wildcards = entries.filter { $0.type.value == "AWS" }.flatMap(\.values.items).filter { $0.value == "*" }
                if let first = wildcards.first {
                    violations.append(Violation(at: first, Message.everyone(policy.kind, written: "{\"AWS\": \"*\"}", anonymous: false, ineffective)))
                }
            case .invalidString:
                break
            }
        }
        return violations
    }

    private enum Message {
        static func everyone(_ kind: PolicyKind, written: String, anonymous: Bool,
                             _ ineffective: (clause: ConditionClause, reason: String)?) -> String {
            let who = switch kind {
            case .trust: "lets every principal of every AWS account assume the role"
            default: anonymous ? "grants anyone, callers not signed in to AWS included" : "grants every principal of every AWS account"
            }
            let tail = ineffective.map { "; its condition on '\($0.clause.key.value)' does not narrow it: \($0.reason)" }
                ?? ", and no condition narrows it to an account, organization or principal"
            return "principal \(written) \(who)\(tail)"
        }
    }
}
