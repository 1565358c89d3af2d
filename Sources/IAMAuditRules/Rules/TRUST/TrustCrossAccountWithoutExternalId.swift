import IAMPolicy

/// TRUST002: a role trust policy that lets a principal of another account than the design's call
/// `sts:AssumeRole` without an `sts:ExternalId` condition.
public struct TrustCrossAccountWithoutExternalId: Rule {
    public static let description = RuleDescription(
        code: "TRUST002",
        name: "trust-cross-account-without-external-id",
        title: "Another account may assume the role without an external id",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports each `AWS` principal of an `Allow` statement covering `sts:AssumeRole` in a role trust policy that \
        belongs to an account other than the design's `account` (a bare account id, an `arn:…:iam::ACCOUNT:root` \
        ARN, or a user, role or session ARN of that account) when the statement has no `sts:ExternalId` condition \
        under a positive operator that needs the key present (`StringEquals`, not `StringEqualsIfExists`) with a \
        value that is not all wildcards. A statement that pins the caller's organization (`aws:PrincipalOrgID` or \
        `aws:PrincipalOrgPaths`) is not reported: another account of your own organization is not a third party. \
        Without a design there is no account of one's own to compare with, and the rule stays silent. The examples \
        are audited with a design whose account is `337909745089`.
        """,
        rationale: """
        A role that trusts another account, typically a vendor's, is exposed to the confused deputy problem: the \
        vendor assumes roles for many customers, and any of its other customers can give it your role's ARN and \
        have it act on your resources. An external id that you and the vendor agree on, required by the trust \
        policy with `"Condition": {"StringEquals": {"sts:ExternalId": "…"}}`, makes the vendor prove which customer \
        it is acting for. An `…IfExists` operator or a `*` value does not: a request without the external id still \
        passes. When the other account is yours, pin the organization with `aws:PrincipalOrgID` instead, or name \
        the exact role that may assume this one.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "MonitoringVendor",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Sid": "CostReports",
                  "Effect": "Allow",
                  "Principal": {"AWS": ["111122223333", "arn:aws:iam::337909745089:role/ops"]},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringLike": {"sts:ExternalId": "*"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/AWS", "/Statement/1/Principal/AWS/0"], design: exampleDesign),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "VendorIntegration",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::444455556666:role/vendor-integration"},
                  "Action": ["sts:AssumeRole", "sts:TagSession"],
                  "Condition": {"StringEqualsIfExists": {"sts:ExternalId": "7f3c9a2e-5b1d-4e8a-9c6f-2d4b8e1a0c37"}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/AWS"], design: exampleDesign),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "OwnAccount",
                  "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::337909745089:root", "arn:aws:iam::337909745089:role/ops"]},
                  "Action": "sts:AssumeRole"
                },
                {
                  "Sid": "MonitoringVendor",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"sts:ExternalId": "7f3c9a2e-5b1d-4e8a-9c6f-2d4b8e1a0c37"}}
                },
                {
                  "Sid": "ToolingAccountOfOurOrganization",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci-deployer"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
                }
              ]
            }
            """, design: exampleDesign),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "MonitoringVendor",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                  "Action": "sts:AssumeRole"
                }
              ]
            }
            """),
        ]
    )

    /// The design the examples are audited with: only its account matters here.
    static let exampleDesign = Design(file: "iam-audit.json", account: "337909745089")

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        guard policy.kind == .trust, let own = context.design?.account, AWSAccountID.isValid(own) else { return [] }
        var violations: [Violation] = []
        for statement in policy.document.statements where statement.isAllow && statement.covers(action: "sts:AssumeRole") {
            guard let principal = statement.principal,
                  !PrincipalNarrowing.narrows(statement, on: ["sts:externalid"]),
                  !PrincipalNarrowing.narrows(statement, on: PrincipalNarrowing.organizationKeys) else { continue }
            let ineffective = PrincipalNarrowing.firstIneffective(in: statement, on: ["sts:externalid"])
            for item in principal.values(ofType: "AWS") {
                guard let account = Self.account(of: item.value), account != own else { continue }
                violations.append(Violation(at: item, Message.foreign(item.value, account: account, own: own, ineffective?.reason)))
            }
        }
        return violations
    }

    /// The account a principal value names: a bare account id, or the account field of an IAM or STS ARN.
    static func account(of value: String) -> String? {
        if AWSAccountID.isValid(value) { return value }
        guard let arn = ARN(parsing: value), arn.service == "iam" || arn.service == "sts", AWSAccountID.isValid(arn.account) else { return nil }
        return arn.account
    }

    private enum Message {
        static func foreign(_ value: String, account: String, own: String, _ ineffective: String?) -> String {
            let who = value == account || value.hasSuffix(":root") ? "account \(account)" : "principal '\(value)' of account \(account)"
            let condition = ineffective.map { "an effective sts:ExternalId condition (\($0))" } ?? "an sts:ExternalId condition"
            return "\(who), not the design's account \(own), may assume the role without \(condition)"
        }
    }
}
