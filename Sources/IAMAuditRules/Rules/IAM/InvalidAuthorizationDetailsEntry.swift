import IAMPolicy

/// IAM019: an entry of `aws iam get-account-authorization-details` output lacks a member AWS always prints,
/// such as a role's `AssumeRolePolicyDocument` or a managed policy's default version, or holds the wrong type.
///
/// The engine reports this rule from what the loader finds while reading an account dump (`reportedBy: .loader`).
public struct InvalidAuthorizationDetailsEntry: LoaderReportedRule {
    public static let description = RuleDescription(
        code: "IAM019",
        name: "invalid-authorization-details-entry",
        title: "Account authorization dump entry is not in the shape AWS prints",
        level: .error,
        securitySeverity: 5.5,
        summary: """
        Reports an entry of `aws iam get-account-authorization-details` output that lacks a member AWS always \
        prints (a role's `RoleName` or `AssumeRolePolicyDocument`, an inline policy's `PolicyDocument`, a managed \
        policy's default version in `PolicyVersionList`) or holds a value of the wrong type, at the entry or member.
        """,
        rationale: """
        A dump that was edited by hand, cut short or produced by another tool can leave out a policy document, and \
        a policy that is not there cannot be audited: a clean report would then hide the role whose trust policy \
        went missing. Export the dump again with `aws iam get-account-authorization-details` (all pages, \
        concatenated into one object per list), or audit the role's policies with `get-role` and \
        `get-role-policy`. The other entries of the dump are still audited.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html",
            "https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html",
        ],
        reportedBy: .loader,
        triggeringExamples: [
            RuleExample("""
            {
              "RoleDetailList": [
                {"RoleName": "deploy", "Arn": "arn:aws:iam::123456789012:role/deploy", "RolePolicyList": []}
              ]
            }
            """, pointers: ["/RoleDetailList/0"]),
            RuleExample("""
            {
              "Policies": [
                {
                  "PolicyName": "ReadBucket",
                  "Arn": "arn:aws:iam::123456789012:policy/ReadBucket",
                  "DefaultVersionId": "v2",
                  "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": false, "Document": {}}]
                }
              ]
            }
            """, pointers: ["/Policies/0/PolicyVersionList"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "RoleDetailList": [
                {
                  "RoleName": "deploy",
                  "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
                  },
                  "RolePolicyList": []
                }
              ],
              "Policies": []
            }
            """),
        ]
    )

    public init() {}
}
