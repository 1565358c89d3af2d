import IAMPolicy

/// IAM034: an action of an Allow statement whose resource types none of the statement's resources can name.
public struct ResourceMatchesNoResourceType: Rule {
    public static let description = RuleDescription(
        code: "IAM034",
        name: "resource-matches-no-resource-type",
        title: "No resource of the statement is of a type the action acts on",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports an `Action` value of an `Allow` statement that supports resource-level permissions when no \
        `Resource` value of the statement can name a resource of any of its resource types in the action catalog \
        (`s3:GetObject` on the bucket ARN `arn:aws:s3:::example-bucket`); the message names the ARN shape the \
        action needs. A pattern (`s3:GetObject*`) is reported when none of the actions it matches that support \
        resource-level permissions fits a resource. Not judged: statements with `"Resource": "*"` (or an \
        all-wildcard ARN), `NotResource`, a value that is not an ARN or holds a policy variable before the \
        resource part; `*`, wildcard service prefixes, and actions the catalog does not know (IAM030). Understood \
        although the catalog's formats say otherwise: an empty account field, which AWS-owned resources have \
        (`arn:aws:ssm:*::document/AWS-RunShellScript`); the CloudFormation SAM transform \
        (`arn:aws:cloudformation:REGION:aws:transform/Serverless-2016-10-31`) for `cloudformation:CreateChangeSet`; \
        and API Gateway, whose REST (v1) and HTTP (v2) APIs share the `apigateway` prefix while the catalog lists \
        only v2 resource types for `apigateway:GET` and the other verbs: an `apigateway` action accepts a \
        resource of any `apigateway` resource type.
        """,
        rationale: """
        IAM matches a request's resource against the statement's `Resource` values. When none of them can be a \
        resource the action acts on, the statement grants nothing for that action, and the deployment that relies \
        on it fails with AccessDenied, typically after someone "fixes" it by widening the statement to `*`. The \
        classic case is S3: `s3:GetObject` and `s3:PutObject` act on objects (`arn:aws:s3:::bucket/key`), \
        `s3:ListBucket` on the bucket (`arn:aws:s3:::bucket`), so a statement needs both ARNs when it grants both \
        kinds of action. Name a resource of the shape the Service Authorization Reference gives for the action, or \
        move the action to a statement with such resources. The catalog lags AWS and has known defects, so this is \
        a warning.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-actions.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html",
            "https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-unsupported-resource-arn-in-policy",
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ReadReports",
                  "Effect": "Allow",
                  "Action": ["s3:ListBucket", "s3:GetObject", "s3:GetObjectVersion*"],
                  "Resource": "arn:aws:s3:::example-bucket"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action/1", "/Statement/0/Action/2"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "lambda:UpdateFunctionCode",
                  "Resource": "arn:aws:cloudformation:eu-north-1:337909745089:stack/ai-multi-comms-dev/*"
                },
                {
                  "Effect": "Allow",
                  "Action": ["cloudformation:DescribeStacks", "cloudformation:CreateChangeSet"],
                  "Resource": "arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31"
                }
              ]
            }
            """, pointers: ["/Statement/0/Action", "/Statement/1/Action/0"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:ListBucket", "s3:GetObject", "s3:Get*"],
                  "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]
                },
                {
                  "Effect": "Allow",
                  "Action": "cloudformation:CreateChangeSet",
                  "Resource": "arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31"
                },
                {
                  "Effect": "Allow",
                  "Action": ["lambda:ListFunctions", "lambda:GetFunction"],
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
                  "Effect": "Allow",
                  "Action": ["apigateway:GET", "apigateway:POST", "apigateway:PATCH"],
                  "Resource": ["arn:aws:apigateway:eu-north-1::/restapis", "arn:aws:apigateway:eu-north-1::/restapis/*"]
                },
                {
                  "Effect": "Allow",
                  "Action": ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                  "Resource": "arn:aws:logs:eu-north-1:337909745089:log-group:/aws/lambda/ai-multi-comms-dev-*"
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:${aws:partition}:s3:::example-bucket"
                },
                {
                  "Effect": "Deny",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::example-bucket"
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
        for (statement, resolved) in zip(policy.document.statements, ResolvedActions.of(policy)) where statement.isAllow {
            guard let actions = statement.action, let values = statement.resource?.values, !values.isEmpty,
                  values.allSatisfy(Self.isJudgeable) else { continue }
            var resources = ResourceValues(values)
            for (item, literal) in zip(actions.items, resolved) {
                let value = item.value
                guard let colon = value.utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
                guard !value[..<colon].containsGlobWildcard else { continue }
                if value.containsGlobWildcard {
                    let scopable = catalog.actions(matching: value).filter(\.supportsResourceLevelPermissions)
                    guard !scopable.isEmpty, !scopable.contains(where: { Self.acts($0, onSomeOf: &resources, catalog: catalog) }) else { continue }
                    violations.append(Violation(at: item, Message.pattern(value, scopable)))
                } else {
                    guard let action = literal, action.supportsResourceLevelPermissions,
                          !Self.acts(action, onSomeOf: &resources, catalog: catalog) else { continue }
                    violations.append(Violation(at: item, Message.literal(action)))
                }
            }
        }
        return violations
    }

    /// Whether the rule can weigh the `Resource` value: an ARN that names less than every resource, with no
    /// policy variable before its resource part.
    static func isJudgeable(_ resource: String) -> Bool {
        guard resource.hasPrefix("arn:"), !PermissionStatement.namesEveryResource(resource) else { return false }
        var colons = 0
        var previous: UInt8 = 0
        for byte in resource.utf8 {
            if byte == UInt8(ascii: ":") {
                colons += 1
                if colons == 5 { return true }
            } else if byte == UInt8(ascii: "{") && previous == UInt8(ascii: "$") {
                return false
            }
            previous = byte
        }
        return true
    }

    /// Whether some value of `resources` can name a resource `action` acts on.
    static func acts(_ action: Action, onSomeOf resources: inout ResourceValues, catalog: ActionCatalog) -> Bool {
        // API Gateway: REST (v1) and HTTP/WebSocket (v2) APIs share the prefix, and the catalog lists only v2
        // resource types for the verb actions (`apigateway:GET`), so any `apigateway` resource type is accepted.
        if action.service == "apigateway" {
            return catalog.service("apigateway")?.resourceTypes.contains { resources.nameSome($0.arnFormat) } ?? false
        }
        for row in action.resourceTypes where resources.nameSome(row.resourceType.arnFormat) { return true }
        return action.service == "cloudformation" && action.name == "CreateChangeSet" && resources.nameSome(samTransform)
    }

    /// The `Resource` values of one statement, with the answer for each ARN format kept: the actions of a
    /// statement share few resource types.
    struct ResourceValues {
        let values: [ARNFormat.ResourcePattern]
        private var answers: [ARNFormat: Bool] = [:]

        init(_ values: [String]) {
            self.values = values.map(ARNFormat.ResourcePattern.init)
        }

        /// Whether some value can name a resource of `format`.
        mutating func nameSome(_ format: ARNFormat) -> Bool {
            if let answer = answers[format] { return answer }
            let answer = values.contains { ResourceMatchesNoResourceType.matches(format, $0) }
            answers[format] = answer
            return answer
        }
    }

    /// Whether `format` matches `resource`, where an AWS-owned resource's ARN may leave the account empty
    /// (`arn:aws:ssm:*::document/AWS-RunShellScript`, `arn:aws:ssm:*::parameter/aws/service/*`) even though the
    /// reference writes the format with `${Account}`.
    static func matches(_ format: ARNFormat, _ resource: ARNFormat.ResourcePattern) -> Bool {
        if format.matches(resource) { return true }
        // The format with an empty account would match the empty account field: only the other fields count.
        guard resource.hasEmptyAccount, format.accountIsVariable else { return false }
        return format.matches(resource, ignoringAccount: true)
    }

    /// The AWS-owned SAM transform a change set of a SAM template is created with (account literally `aws`),
    /// which the catalog does not list as a resource type of `cloudformation:CreateChangeSet`.
    static let samTransform = ARNFormat("arn:${Partition}:cloudformation:${Region}:aws:transform/${TransformName}")

    private enum Message {
        static func literal(_ action: Action) -> String {
            "action '\(action)' acts on none of the statement's resources; it needs \(shapes(of: [action]))"
        }

        static func pattern(_ value: String, _ actions: [Action]) -> String {
            let matched = actions.count == 1
                ? "matches 1 action that supports resource-level permissions, and it acts on none of the statement's resources; it needs"
                : "matches \(actions.count) actions that support resource-level permissions, and none acts on the statement's resources; they need"
            return "action pattern '\(value)' \(matched) \(shapes(of: actions))"
        }

        /// The ARN formats the actions take, the likeliest first (the one their names name), at most three.
        static func shapes(of actions: [Action]) -> String {
            let first = actions.compactMap { ScopeSuggestion.arnFormat(of: $0) }
            let all = ScopeSuggestion.unique(first + actions.flatMap { $0.resourceTypes.map(\.arnFormat.template) })
            let shown = all.prefix(3).joined(separator: " or ")
            return all.count > 3 ? "\(shown) (or \(all.count - 3) more resource types)" : shown
        }
    }
}
