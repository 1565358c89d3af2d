import IAMPolicy

/// PRIV002: `service:*` in an Allow statement of a permission policy.
public struct AllowServiceWildcard: Rule {
    public static let description = RuleDescription(
        code: "PRIV002",
        name: "allow-service-wildcard",
        title: "Allow statement grants every action of a service",
        level: .warning,
        securitySeverity: 8.0,
        summary: """
        Reports an `Action` value of an `Allow` statement in an identity or resource policy that is `service:*` \
        (`apigateway:*`, `s3:*`): every action of the service. The message says how many actions that is in the \
        action catalog and at which access levels (List, Read, Write, Permissions management, Tagging).
        """,
        rationale: """
        `service:*` grants every action of the service, today's and those AWS adds later, at every access level: \
        reading data, deleting resources, and the *Permissions management* actions that change who else may \
        use them (`s3:PutBucketPolicy`, `apigateway:UpdateRestApiPolicy`, `lambda:AddPermission`). A deploy job \
        needs a known handful. List the actions the workload calls, or a prefix that keeps to one access level \
        (`ec2:Describe*`), and scope them to the workload's resources. AWS Config's managed rule \
        `iam-policy-no-statements-with-full-access` reports the same pattern, and Control Tower's proactive control \
        CT.IAM.PR.3 blocks it.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
            "https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-full-access.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ApiGateway",
                  "Effect": "Allow",
                  "Action": "apigateway:*",
                  "Resource": "*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "S3:*", "sqs:SendMessage"],
                  "Resource": "arn:aws:s3:::aws-sam-cli-managed-default-samclisourcebucket-*/*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["dynamodb:DescribeTable", "dynamodb:**"],
                  "Resource": "arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-dev-*"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1", "/Statement/1/Action/1"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ApiGatewayRestApis",
                  "Effect": "Allow",
                  "Action": ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
                  "Resource": ["arn:aws:apigateway:eu-north-1::/restapis", "arn:aws:apigateway:eu-north-1::/restapis/*"]
                },
                {
                  "Sid": "ReadOnlyEverywhere",
                  "Effect": "Allow",
                  "Action": ["ec2:Describe*", "cloudwatch:Get*"],
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
                  "Sid": "NoDeletesAnywhere",
                  "Effect": "Deny",
                  "Action": ["s3:*", "dynamodb:*"],
                  "Resource": "*",
                  "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "337909745089"}}
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        PermissionStatement.all(in: policy).flatMap { statement in
            statement.grants.filter { $0.shape == .wholeService }.map { grant in
                Violation(pointer: grant.pointer, span: grant.span, message: Message.wholeService(grant, statement))
            }
        }
    }

    private enum Message {
        static func wholeService(_ grant: ActionGrant, _ statement: PermissionStatement) -> String {
            let prefix = String(grant.text[..<(grant.text.utf8.firstIndex(of: UInt8(ascii: ":")) ?? grant.text.endIndex)])
            let actions = grant.catalogActions() ?? []
            let scope = ScopeSuggestion.resourceScope(of: statement)
            let services = Set(actions.map(\.service)).sorted()
            guard !actions.isEmpty else {
                return "action '\(grant.text)' grants every action of '\(prefix)', a service prefix the action catalog does not know, \(scope)"
            }
            let whose = services.count == 1 ? services[0] : "\(services.count) services (\(ScopeSuggestion.list(services)))"
            let levels = AccessLevel.allCases.compactMap { level -> String? in
                let count = actions.count(where: { $0.accessLevel == level })
                return count == 0 ? nil : "\(count) \(level.rawValue)"
            }
            let noun = actions.count == 1 ? "action" : "actions"
            return "action '\(grant.text)' grants all \(actions.count) \(noun) of \(whose) (\(levels.joined(separator: ", "))) \(scope)"
        }
    }
}
