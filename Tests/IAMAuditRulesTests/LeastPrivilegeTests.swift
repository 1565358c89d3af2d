@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The tricky points of the PRIV rules that their examples do not pin down.
@Suite("Least-privilege rules")
struct LeastPrivilegeTests {
    static let auditor = Auditor(catalog: RuleCatalog.all.filter { $0.description.family == .priv })

    func findings(_ source: String) -> [Finding] {
        let audit = Self.auditor.audit(file: "policy.json", bytes: Array(source.utf8))
        #expect(audit.errors.isEmpty)
        return audit.findings
    }

    /// An identity policy with one Allow statement of `actions` (JSON) on `resource` (JSON), with an optional condition.
    func allow(_ actions: String, on resource: String = #""*""#, condition: String? = nil) -> String {
        let condition = condition.map { #", "Condition": \#($0)"# } ?? ""
        return #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": \#(actions), "Resource": \#(resource)\#(condition)}]}"#
    }

    // MARK: PRIV003: the issue's "Done when"

    @Test(arguments: ["lambda:ListFunctions", "cloudformation:ValidateTemplate", "lambda:GetAccountSettings",
                      "lambda:CreateEventSourceMapping", "logs:DescribeLogGroups"])
    func wildcardResourceIsSilentForActionsWithoutResourceLevelPermissions(action: String) {
        #expect(findings(allow("\"\(action)\"")).isEmpty, "\(action)")
    }

    @Test func wildcardResourceOnUpdateFunctionCodeNamesTheFunctionARNShape() throws {
        let reported = findings(allow(#""lambda:UpdateFunctionCode""#))
        #expect(reported.map(\.ruleCode) == ["PRIV003"])
        let finding = try #require(reported.first)
        #expect(finding.pointer == "/Statement/0/Resource")
        #expect(finding.level == .warning)
        #expect(finding.message == #"resource "*" grants 1 action that supports resource-level permissions: scope lambda:UpdateFunctionCode to arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"#)
    }

    @Test func theMessageSaysWhichActionsMustStayOnWildcard() throws {
        let reported = findings(allow(#"["lambda:ListFunctions", "lambda:UpdateFunctionCode", "cloudformation:ValidateTemplate", "cloudformation:DescribeStacks"]"#))
        let message = try #require(reported.first { $0.ruleCode == "PRIV003" }.map { $0.detail ?? $0.message })
        #expect(message.contains("scope lambda:UpdateFunctionCode to arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"))
        #expect(message.contains("cloudformation:DescribeStacks to arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}"))
        #expect(message.hasSuffix(#"only lambda:ListFunctions, cloudformation:ValidateTemplate must stay on "*" (no resource-level permissions)"#))
    }

    @Test func optionalResourceTypesJoinTheGroupOfTheStatementsRequiredType() throws {
        let reported = findings(allow(#"["lambda:GetFunction", "lambda:TagResource", "s3:ListBucket"]"#))
        let message = try #require(reported.first?.message)
        #expect(message.contains("lambda:GetFunction, lambda:TagResource to arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"))
        // No type of s3:ListBucket is marked required in the data: the one its name names is chosen.
        #expect(message.contains("s3:ListBucket to arn:${Partition}:s3:::${BucketName}"))
    }

    @Test func patternsAreExpandedThroughTheCatalog() throws {
        let reported = findings(allow(#""lambda:List*""#))
        let message = try #require(reported.first { $0.ruleCode == "PRIV003" }.map { $0.detail ?? $0.message })
        #expect(message.contains("lambda:ListAliases"))
        #expect(message.contains("lambda:ListFunctions"))
    }

    @Test func anActionGrantedByTwoValuesIsCountedOnce() throws {
        /// N in `resource "*" grants N actions that support …`.
        func count(_ actions: String) throws -> Int {
            let message = try #require(findings(allow(actions)).first { $0.ruleCode == "PRIV003" }?.message)
            return try #require(message.split(separator: " ").dropFirst(3).first.flatMap { Int($0) }, "\(message)")
        }
        // Overlapping values, in any order and whatever the case: each action once, as many as the widest value.
        let get = try count(#""lambda:Get*""#)
        #expect(get > 2)
        #expect(try count(#"["lambda:Get*", "lambda:GetFunction", "LAMBDA:getfunction"]"#) == get)
        #expect(try count(#"["lambda:GETFUNCTION", "lambda:Get*"]"#) == get)
        #expect(try count(#"["lambda:GetF*", "lambda:G*", "lambda:GetFunction"]"#) == (try count(#""lambda:G*""#)))
        #expect(try count(#"["lambda:GetFunction", "lambda:getfunction"]"#) == 1)
        // Disjoint values add up: no action `lambda:List*` matches begins with `lambda:Get`.
        #expect(try count(#"["lambda:Get*", "lambda:List*"]"#) == get + (try count(#""lambda:List*""#)))
    }

    @Test func wildcardResourceShapes() {
        for value in ["*", "**", "arn:*", "arn:aws:*", "arn:*:*:*:*:*", "arn:aws:*:*:*:*"] {
            #expect(PermissionStatement.namesEveryResource(value), "\(value)")
        }
        for value in ["arn:aws:s3:::*", "arn:aws:lambda:*:*:function:*", "arn:*:*:*:*:*:x", "arn:aws:*:*:*:*/x", "*x", "arn", "arn:", "arn:aws:*::*", "arn:aws:*:*:*:*:*"] {
            #expect(!PermissionStatement.namesEveryResource(value), "\(value)")
        }
    }

    // MARK: One root cause, one finding

    @Test func serviceWildcardOnWildcardResourceIsPRIV002Only() {
        #expect(findings(allow(#""apigateway:*""#)).map(\.ruleCode) == ["PRIV002"])
        #expect(findings(allow(#""*""#)).map(\.ruleCode).filter { $0 != "PRIV004" } == ["PRIV001"])
    }

    @Test func credentialReadsAndIAMWritesTakeThePlaceOfPRIV003() {
        #expect(findings(allow(#"["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "lambda:GetFunction"]"#)).map(\.ruleCode) == ["PRIV006"])
        #expect(findings(allow(#"["iam:CreateRole", "iam:GetRole"]"#)).map(\.ruleCode) == ["PRIV007"])
        // Both specific rules report the same wildcard: two different risks.
        #expect(findings(allow(#"["kms:Decrypt", "iam:DeleteRolePolicy"]"#)).map(\.ruleCode).sorted() == ["PRIV006", "PRIV007"])
    }

    @Test func passRoleIsPRIV004s() {
        #expect(findings(allow(#""iam:PassRole""#)).map(\.ruleCode) == ["PRIV004"])
        #expect(findings(allow(#"["iam:PassRole", "iam:GetRole"]"#)).map(\.ruleCode).sorted() == ["PRIV003", "PRIV004"])
        let message = findings(allow(#"["iam:PassRole", "iam:GetRole"]"#)).first { $0.ruleCode == "PRIV003" }?.message ?? ""
        #expect(!message.contains("iam:PassRole"))
    }

    @Test func scopedByResourceTagIsNotAnyResource() {
        let tagged = #"{"StringEquals": {"aws:ResourceTag/app": "ai-multi-comms"}}"#
        #expect(findings(allow(#"["lambda:UpdateFunctionCode", "secretsmanager:GetSecretValue", "iam:PutRolePolicy"]"#, condition: tagged))
            .filter { ["PRIV003", "PRIV006", "PRIV007"].contains($0.ruleCode) }.isEmpty)
        let notTagged = #"{"StringNotEquals": {"aws:ResourceTag/app": "other"}}"#
        #expect(findings(allow(#""lambda:UpdateFunctionCode""#, condition: notTagged)).map(\.ruleCode) == ["PRIV003"])
    }

    @Test(arguments: [
        (#"{"Null": {"secretsmanager:ResourceTag/app": "false"}}"#, false),
        (#"{"StringLike": {"aws:ResourceTag/app": "*"}}"#, false),
        (#"{"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}"#, false),
        (#"{"StringEquals": {"aws:CalledViaFirst": "cloudformation.amazonaws.com"}}"#, false),
        (#"{"ArnLike": {"kms:EncryptionContext:SecretARN": "arn:aws:secretsmanager:*:*:secret:ai-multi-comms/*"}}"#, false),
        (#"{"Null": {"aws:ResourceTag/app": "true"}}"#, true),
        (#"{"StringLike": {"kms:ViaService": "*"}}"#, true),
        (#"{"StringEquals": {"aws:ResourceAccount": "337909745089"}}"#, true),
        (#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": "aws:ebs:id"}}"#, true),
    ])
    func credentialReadConditions(condition: String, reported: Bool) {
        let codes = findings(allow(#"["kms:Decrypt", "secretsmanager:GetSecretValue"]"#, condition: condition)).map(\.ruleCode)
        #expect(codes.contains("PRIV006") == reported, "\(condition): \(codes)")
    }

    @Test func trustPoliciesAreLeftToTheTrustRules() {
        let trust = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::337909745089:oidc-provider/token.actions.githubusercontent.com"},
         "NotAction": "iam:*", "Resource": "*"}]}
        """
        let audit = Self.auditor.audit(file: "trust.json", bytes: Array(trust.utf8), kind: .trust)
        #expect(audit.findings.isEmpty)
    }

    // MARK: PRIV002

    @Test func serviceWildcardCountsTheCatalogsActions() throws {
        let message = try #require(findings(allow(#""secretsmanager:*""#, on: #""arn:aws:secretsmanager:eu-north-1:337909745089:secret:x-*""#)).first?.message)
        let actions = ActionCatalog.shared.service("secretsmanager")?.actions ?? []
        #expect(message.hasPrefix("action 'secretsmanager:*' grants all \(actions.count) actions of secretsmanager ("))
        #expect(message.hasSuffix(") on the resource listed"))
        let unknown = try #require(findings(allow(#""nosuchservice:*""#)).first?.message)
        #expect(unknown.contains("a service prefix the action catalog does not know"))
    }

    // MARK: PRIV004

    @Test(arguments: [
        (#"{"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#, false),
        (#"{"StringLike": {"iam:PassedToService": ["lambda.amazonaws.com", "states.amazonaws.com"]}}"#, false),
        (#"{"ForAnyValue:StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#, false),
        (#"{"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#, true),
        (#"{"StringEqualsIfExists": {"iam:PassedToService": "lambda.amazonaws.com"}}"#, true),
        (#"{"StringLike": {"iam:PassedToService": "*.amazonaws.com"}}"#, true),
        (#"{"StringEquals": {"iam:AssociatedResourceArn": "arn:aws:lambda:eu-north-1:337909745089:function:x"}}"#, true),
    ])
    func passRoleConditions(condition: String, reported: Bool) {
        let source = allow(#""iam:PassRole""#, on: #""arn:aws:iam::337909745089:role/ai-multi-comms-dev-*""#, condition: condition)
        #expect(findings(source).map(\.ruleCode) == (reported ? ["PRIV004"] : []), "\(condition)")
    }

    @Test func passRoleOnEveryRoleIsReportedEvenWithTheCondition() throws {
        let source = allow(#""iam:PassRole""#, condition: #"{"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#)
        let message = try #require(findings(source).first { $0.ruleCode == "PRIV004" }?.message)
        #expect(message == #"'iam:PassRole' on every role (resource "*"): any role, an administrator's included, can be passed to lambda.amazonaws.com"#)
    }

    @Test func passRoleReachedThroughWildcardsAndNotAction() {
        #expect(findings(allow(#""iam:*""#)).filter { $0.ruleCode == "PRIV004" }.map(\.message)
            == [#"'iam:PassRole' (through 'iam:*') on every role (resource "*") without an 'iam:PassedToService' condition: any role, an administrator's included, can be passed to any service"#])
        #expect(findings(allow(#""*""#)).contains { $0.ruleCode == "PRIV004" && $0.pointer == "/Statement/0/Action" })
        let notAction = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]}"#
        #expect(findings(notAction).contains { $0.ruleCode == "PRIV004" && $0.pointer == "/Statement/0/NotAction" })
        let excluded = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:Pass*", "Resource": "*"}]}"#
        #expect(!findings(excluded).contains { $0.ruleCode == "PRIV004" })
    }

    // MARK: PRIV007

    @Test func iamWritesWithoutResourceLevelPermissionsAreNotReported() {
        #expect(findings(allow(#"["iam:UpdateAccountPasswordPolicy", "iam:CreateAccountAlias"]"#)).isEmpty)
        #expect(findings(allow(#""iam:CreateServiceLinkedRole""#, condition: #"{"StringLike": {"iam:AWSServiceName": "*a4b.amazonaws.com"}}"#))
            .map(\.ruleCode) == ["PRIV007"])
    }

    // MARK: PRIV008

    @Test func pathsStartingAtOneValueAreOneFinding() throws {
        let reported = findings(allow(#""iam:*""#)).filter { $0.ruleCode == "PRIV008" }
        let finding = try #require(reported.first)
        #expect(reported.count == 1)
        #expect(finding.pointer == "/Statement/0/Action")
        #expect(finding.message.hasPrefix("action 'iam:*' opens 12 privilege-escalation paths on any IAM principal: iam:CreatePolicyVersion, "))
    }

    @Test func companionsMayBeScopedButThePrincipalActionMayNot() {
        let policy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::337909745089:role/*"},
          {"Effect": "Allow", "Action": "cloudformation:CreateStack", "Resource": "arn:aws:cloudformation:eu-north-1:337909745089:stack/ai-multi-comms-dev/*"}
        ]}
        """
        #expect(findings(policy).filter { $0.ruleCode == "PRIV008" }.map(\.message)
            == ["action 'iam:PassRole' on any role with cloudformation:CreateStack is a privilege-escalation path (create a stack whose privileged service role creates anything)"])
        let narrow = policy.replacingOccurrences(of: "role/*", with: "role/ai-multi-comms-dev-*")
        #expect(!findings(narrow).contains { $0.ruleCode == "PRIV008" })
        // A companion granted only on resources of another type is not reachable.
        let elsewhere = policy.replacingOccurrences(of: "arn:aws:cloudformation:eu-north-1:337909745089:stack/ai-multi-comms-dev/*", with: "arn:aws:s3:::bucket")
        #expect(!findings(elsewhere).contains { $0.ruleCode == "PRIV008" })
    }

    @Test(arguments: [
        (#""iam:AttachRolePolicy""#, #"{"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}}"#, false),
        (#""iam:AttachRolePolicy""#, #"{"ArnLike": {"iam:PolicyARN": "arn:aws:iam::*:policy/*"}}"#, true),
        (#""iam:AttachRolePolicy""#, #"{"ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}}"#, true),
        (#""iam:PutRolePolicy""#, #"{"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::337909745089:policy/deploy-boundary"}}"#, false),
        (#""iam:PutRolePolicy""#, #"{"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}"#, true),
        (#""iam:AttachGroupPolicy""#, #"{"StringEqualsIfExists": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}"#, true),
    ])
    func conditionsThatLimitAttachingAndWritingPolicies(action: String, condition: String, reported: Bool) {
        #expect(findings(allow(action, condition: condition)).contains { $0.ruleCode == "PRIV008" } == reported, "\(action) \(condition)")
    }

    @Test func anyPrincipalResourceShapes() {
        for value in ["*", "arn:aws:iam::337909745089:*", "arn:aws:iam::337909745089:role/*", "arn:aws:iam::*:user/*", "arn:aws:iam::337909745089:policy/**"] {
            #expect(PermissionStatement.namesAnyPrincipal(value), "\(value)")
        }
        for value in ["arn:aws:iam::337909745089:role/ai-*", "arn:aws:iam::337909745089:role/service-role/*", "arn:aws:iam::337909745089:instance-profile/*"] {
            #expect(!PermissionStatement.namesAnyPrincipal(value), "\(value)")
        }
    }

    @Test func everyMethodNamesKnownActions() {
        for method in PrivilegeEscalationPath.methods {
            for action in [method.principalAction] + method.companions {
                #expect(ActionCatalog.shared.action(action) != nil, "\(action)")
            }
        }
        for action in CredentialReads.actions {
            #expect(ActionCatalog.shared.action(action) != nil, "\(action)")
        }
    }
}
