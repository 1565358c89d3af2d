import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The CloudFormation source: what it reads, how it evaluates intrinsics, and that what it cannot resolve never
/// hides access.
@Suite("CloudFormation templates")
struct CloudFormationSourceTests {
    static let provider = "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"

    /// A YAML template with one GitHub trust role whose statements are `statements` (YAML, indented 10 spaces).
    static func trustTemplate(parameters: String = "", statements: String) -> String {
        """
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters:
          Unused:
            Type: String
            Default: x
        \(parameters)
        Resources:
          DeployRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: '2012-10-17'
                Statement:
        \(statements)
        """
    }

    static func allowStatement(sub: String, operator op: String = "StringLike") -> String {
        """
                  - Effect: Allow
                    Principal:
                      Federated: !Sub \(provider)
                    Action: sts:AssumeRoleWithWebIdentity
                    Condition:
                      StringEquals:
                        token.actions.githubusercontent.com:aud: sts.amazonaws.com
        \(op == "StringEquals" ? "" : "              \(op):\n")\
                        token.actions.githubusercontent.com:sub: \(sub)
        """
    }

    func audit(_ text: String, file: String = "template.yaml", design: Design? = nil) -> FileAudit {
        Auditor(design: design).audit(file: file, bytes: Array(text.utf8))
    }

    func codes(_ audit: FileAudit) -> [String] {
        audit.findings.map(\.ruleCode)
    }

    @Test("a mapping entry or list element a defaulted parameter picks is audited for every value the parameter may take",
          arguments: [
              ("!FindInMap [Subs, !Ref Env, sub]", true),
              ("!FindInMap [Subs, prod, !Ref Which]", true),
              ("!Select [!Ref Index, ['repo:acme/app:environment:prod', 'repo:*']]", true),
              ("!Select [!Ref Index, !Split [',', 'repo:acme/app:environment:prod,repo:*']]", true),
              ("!FindInMap [Tight, !Ref Env, sub]", false),
          ])
    func parameterPicks(value: String, wide: Bool) {
        let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Mappings:
          Subs:
            prod: {sub: 'repo:acme/app:environment:prod', other: 'repo:*'}
            dev: {sub: 'repo:*'}
          Tight:
            prod: {sub: 'repo:acme/app:environment:prod'}
            dev: {sub: 'repo:acme/app:environment:dev'}
        Parameters:
          Env: {Type: String, Default: prod}
          Which: {Type: String, Default: sub}
          Index: {Type: Number, Default: 0}
        Resources:
          DeployRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: '2012-10-17'
                Statement:
        \(Self.allowStatement(sub: value))
        """
        let found = codes(audit(template))
        #expect(found.contains("OIDC002") == wide, "\(value): \(found)")
        #expect(!found.contains { $0.hasPrefix("OIDC") && $0 != "OIDC002" }, "\(value): \(found)")
    }

    @Test("a managed policy a placed role attaches through ManagedPolicyArns is audited as that role's", arguments: ["!Ref ProdReach", "!GetAtt ProdReach.PolicyArn"])
    func managedPolicyArnsPlaceThePolicy(reference: String) {
        let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Resources:
          DevRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: deploy-dev
              AssumeRolePolicyDocument:
                Version: '2012-10-17'
                Statement:
                  - Effect: Allow
                    Principal: {Service: lambda.amazonaws.com}
                    Action: sts:AssumeRole
              ManagedPolicyArns: [\(reference)]
          ProdReach:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Version: '2012-10-17'
                Statement:
                  - Effect: Allow
                    Action: lambda:UpdateFunctionCode
                    Resource: arn:aws:lambda:eu-west-1:111122223333:function:deploy-prod-api
        """
        let found = audit(template, design: .example)
        #expect(found.findings.contains { $0.ruleCode == "DSN006" && $0.environment == "dev" }, "\(found.findings.map(\.message))")
    }

    @Test("a YAML template's trust role is audited at its place in the file, with the resource named")
    func yamlTrust() throws {
        let trust = audit(Self.trustTemplate(statements: Self.allowStatement(sub: "repo:acme/*")))
        #expect(trust.policyCount == 1)
        let finding = try #require(trust.findings.first { $0.ruleCode == "OIDC003" })
        #expect(finding.span.start.line == 22)
        #expect(finding.message.contains("(resource DeployRole, trust policy)"))
        #expect(trust.errors.isEmpty)
    }

    @Test("a Deny that depends on a parameter without default denies nothing")
    func denyWithHoleIsDropped() throws {
        let deny = """
                  - Effect: Deny
                    Principal: '*'
                    Action: sts:AssumeRoleWithWebIdentity
                    Condition:
                      StringNotEquals:
                        token.actions.githubusercontent.com:sub: !Sub repo:acme/${Repo}:ref:refs/heads/main
        """
        let parameters = "  Repo:\n    Type: String"
        let unknown = audit(Self.trustTemplate(parameters: parameters, statements: Self.allowStatement(sub: "repo:acme/*") + "\n" + deny))
        #expect(codes(unknown).contains("OIDC003"), "\(unknown.findings.map(\.message))")
        #expect(unknown.findings.contains { $0.ruleCode == "IAM036" && $0.message.contains("denying nothing") })
        // With the repository known, the Deny holds: only that repository's main branch gets in.
        let known = audit(Self.trustTemplate(parameters: parameters + "\n    Default: app",
                                             statements: Self.allowStatement(sub: "repo:acme/*") + "\n" + deny))
        #expect(!codes(known).contains("OIDC003"), "\(known.findings.map(\.message))")
    }

    @Test("a subject pin built from a parameter without default is read as no pin")
    func conditionWithHoleHolds() throws {
        let parameters = "  Org:\n    Type: String"
        let unpinned = audit(Self.trustTemplate(parameters: parameters,
                                                statements: Self.allowStatement(sub: "!Sub repo:${Org}/app:ref:refs/heads/main", operator: "StringEquals")))
        #expect(unpinned.findings.contains { $0.ruleCode.hasPrefix("OIDC") && $0.level == .error }, "\(unpinned.findings.map(\.message))")
        #expect(unpinned.findings.contains { $0.ruleCode == "IAM036" && $0.message.contains("Ref Org") })
        // Under StringLike the unknown text is '*': every owner.
        let like = audit(Self.trustTemplate(parameters: parameters, statements: Self.allowStatement(sub: "!Sub repo:${Org}/app:*")))
        #expect(codes(like).contains("OIDC002"))
    }

    @Test("a parameter's default or single allowed value is its value: no note, no finding")
    func parameterDefault() {
        let parameters = "  Org:\n    Type: String\n    Default: acme"
        let pinned = audit(Self.trustTemplate(parameters: parameters,
                                              statements: Self.allowStatement(sub: "!Sub repo:${Org}/app:ref:refs/heads/main", operator: "StringEquals")))
        #expect(pinned.findings.isEmpty, "\(pinned.findings.map(\.message))")
    }

    @Test("every branch of Fn::If is audited")
    func bothBranches() throws {
        let template = """
        {"AWSTemplateFormatVersion": "2010-09-09",
         "Conditions": {"IsProd": {"Fn::Equals": ["a", "b"]}},
         "Resources": {"Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
           "Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": {"Fn::If": ["IsProd", "s3:GetObject", "*"]}, "Resource": "*"}]}}}}}
        """
        let branches = audit(template, file: "template.json")
        let allowAll = try #require(branches.findings.first { $0.ruleCode == "PRIV001" })
        #expect(allowAll.span.start.line == 5)
        #expect(branches.policyCount == 1)
    }

    @Test("Fn::GetAtt Arn and Ref of the template's resources, and the design's account and region")
    func resourceNames() throws {
        let template = """
        {"Resources": {
          "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Join": ["-", ["orders", "dev"]]}}},
          "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders-dev"}},
          "Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}},
                          {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": {"Fn::Sub": "${Table.Arn}/index/*"}}]}}}}}
        """
        var design = Design(file: "iam-audit.json", account: "111122223333", region: "eu-west-1")
        design.partition = "aws"
        let known = audit(template, file: "template.json", design: design)
        #expect(known.findings.isEmpty, "\(known.findings.map(\.message))")
        // Without the design the region and account are not known: noted, read as '*'.
        let unknown = audit(template, file: "template.json")
        #expect(unknown.findings.contains { $0.ruleCode == "IAM036" && $0.message.contains("arn:aws:sqs:*:*:orders-dev") })
    }

    @Test("a role the template names is placed in the design environment whose role it is")
    func roleNamePlacement() throws {
        let design = Design.example
        let role = try #require(design.environments.first?.role)
        let template = """
        {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "\(role)",
          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
          "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:999999999999:elsewhere"}]}}]}}}}
        """
        let placed = audit(template, file: "template.json", design: design)
        #expect(placed.findings.contains { $0.ruleCode.hasPrefix("DSN") && $0.environment == design.environments.first?.name },
                "\(placed.findings.map { "\($0.ruleCode) \($0.message)" })")
    }

    @Test("SAM policy templates are expanded; an unknown one is an error, not a silent pass")
    func samPolicyTemplates() throws {
        func function(_ policies: String) -> String {
            """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  Policies:
            \(policies)
            """
        }
        let known = audit(function("        - DynamoDBCrudPolicy:\n            TableName: orders"))
        #expect(known.policyCount == 1)
        #expect(!codes(known).contains("IAM037"))
        let unknown = audit(function("        - NoSuchPolicyTemplate:\n            TableName: orders"))
        let unread = try #require(unknown.findings.first { $0.ruleCode == "IAM037" })
        #expect(unread.level == .error)
        #expect(unread.span.start.line == 9)
        // The expansion is the template's statements over the call's table (the region and account not known).
        #expect(known.findings.contains { $0.ruleCode == "IAM036" && $0.message.contains(":table/orders") },
                "\(known.findings.map(\.message))")
    }

    @Test("a YAML file that is not a template is left alone; a broken YAML template is a positioned syntax error")
    func yamlFiles() throws {
        let workflow = Auditor().audit(file: "ci.yml", bytes: Array("on: push\njobs: {}\n".utf8), explicit: false)
        #expect(workflow.findings.isEmpty && workflow.errors.isEmpty)
        let broken = audit("AWSTemplateFormatVersion: '2010-09-09'\nResources: {Role: {Type: AWS::IAM::Role\n")
        let syntax = try #require(broken.findings.first { $0.ruleCode == "IAM001" })
        #expect(syntax.span.start.line >= 2)
        let bomb = "AWSTemplateFormatVersion: x\nResources:\n a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + (1...12).map { " a\($0): &a\($0) [*a\($0 - 1 == 0 ? "" : String($0 - 1)), *a\($0 - 1 == 0 ? "" : String($0 - 1))]" }.joined(separator: "\n") + "\n"
        let exploded = audit(bomb)
        #expect(exploded.findings.contains { $0.ruleCode == "IAM001" } || exploded.policyCount == 0)
    }
}

/// A template written into another (a StackSet's `TemplateBody`, a Terraform stack's `template_body`) is deployed as
/// a stack of its own: IAM it declares is not read, and says so.
@Suite("Nested template bodies")
struct NestedTemplateBodyTests {
    static func stackSet(body: String) -> String {
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Roles:
            Type: AWS::CloudFormation::StackSet
            Properties:
              StackSetName: roles
              PermissionModel: SERVICE_MANAGED
              TemplateBody: |
        \(body.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n"))
        """
    }

    static let roleBody = """
    Resources:
      Deploy:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Federated: token.actions.githubusercontent.com}
                Action: sts:AssumeRoleWithWebIdentity
                Condition: {StringLike: {"token.actions.githubusercontent.com:sub": "repo:*"}}
    """

    @Test("a StackSet body declaring a role is an IAM037 error at the body; a body without IAM is not")
    func stackSetBody() throws {
        let audit = Auditor().audit(file: "org.yaml", bytes: Array(Self.stackSet(body: Self.roleBody).utf8))
        let finding = try #require(audit.findings.first { $0.ruleCode == "IAM037" })
        #expect(finding.level == .error && finding.pointer.description == "/Resources/Roles/Properties/TemplateBody")
        #expect(finding.span.start.line == 8)
        let bucketOnly = Auditor().audit(file: "org.yaml", bytes: Array(Self.stackSet(body: "Resources:\n  Logs:\n    Type: AWS::S3::Bucket").utf8),
                                         explicit: false)
        #expect(!bucketOnly.findings.contains { $0.ruleCode == "IAM037" })
        // Written as a JSON string inside a JSON template, the same.
        let json = #"{"Resources": {"Roles": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\"}}}"}}}}"#
        #expect(Auditor().audit(file: "org.json", bytes: Array(json.utf8)).findings.contains { $0.ruleCode == "IAM037" })
    }

    @Test("a body split across Fn::Join pieces, or given by an intrinsic whose text is elsewhere, is an IAM037 error too")
    func hiddenBodies() {
        let split = #"{"Resources": {"Roles": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Fn::Join": ["", ["{\"Resources\": {\"R\": {\"Type\": \"AWS::", "IAM::Role\"}}}"]]}}}}}"#
        #expect(Auditor().audit(file: "org.json", bytes: Array(split.utf8)).findings.contains { $0.ruleCode == "IAM037" })
        let imported = #"{"Resources": {"Roles": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Fn::ImportValue": "org-roles-template"}}}}}"#
        let finding = Auditor().audit(file: "org.json", bytes: Array(imported.utf8)).findings.first { $0.ruleCode == "IAM037" }
        #expect(finding?.message.contains("is given by Fn::ImportValue") == true)
        // Written out in full and holding no IAM: nothing to say.
        let bucket = #"{"Resources": {"Logs": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Fn::Join": ["", ["{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::", "Bucket\"}}}"]]}}}}}"#
        #expect(!Auditor().audit(file: "org.json", bytes: Array(bucket.utf8), explicit: false).findings.contains { $0.ruleCode == "IAM037" })
    }

    @Test("a Terraform plan's aws_cloudformation_stack_set whose template_body declares a role is an IAM037 error")
    func planTemplateBody() throws {
        let body = JSONNode.quoted(Self.roleBody)
        let plan = """
        {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
          {"address": "aws_cloudformation_stack_set.roles", "mode": "managed", "type": "aws_cloudformation_stack_set", "name": "roles",
           "values": {"name": "roles", "template_body": \(body)}}]}}}
        """
        let audit = Auditor().audit(file: "plan.json", bytes: Array(plan.utf8))
        let finding = try #require(audit.findings.first { $0.ruleCode == "IAM037" })
        #expect(finding.message.contains("aws_cloudformation_stack_set.roles"))
        #expect(finding.pointer.description.hasSuffix("/values/template_body"))
    }
}

@Suite("Lambda permissions")
struct LambdaPermissionDocumentTests {
    @Test("a function named without an ARN is the stack's own, in the account and region the design gives")
    func functionNameIsTheStacksOwn() throws {
        let properties = try JSONParser().parse(Array(#"{"Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com", "FunctionName": "deploy-dev-api"}"#.utf8))
        let placed = TemplatePermissionDocument.document(fromProperties: properties, place: .init(["AWS::Partition": "aws", "AWS::Region": "eu-west-1",
                                                                                                   "AWS::AccountId": "111122223333"]))
        #expect(placed?["Statement"]?.arrayValue?.first?["Resource"]?.stringValue == "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api")
        // Without a design the account and region are not known: any.
        let unplaced = TemplatePermissionDocument.document(fromProperties: properties)
        #expect(unplaced?["Statement"]?.arrayValue?.first?["Resource"]?.stringValue == "arn:aws:lambda:*:*:function:deploy-dev-api")
    }
}

@Suite("Terraform plans")
struct TerraformPlanSourceTests {
    static func plan(roleName: String, trust: String, inline: String, unknownPolicy: Bool) -> String {
        """
        {"format_version": "1.2", "terraform_version": "1.9.0",
         "planned_values": {"root_module": {
           "resources": [{"address": "aws_iam_role.deploy", "mode": "managed", "type": "aws_iam_role", "name": "deploy",
                          "values": {"name": "\(roleName)", "assume_role_policy": \(JSONNode.quoted(trust)),
                                     "inline_policy": [{"name": "all", "policy": \(JSONNode.quoted(inline))}]}}],
           "child_modules": [{"address": "module.ci", "resources": [
             {"address": "module.ci.aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "values": {"name": "p"}}]}]}},
         "resource_changes": [{"address": "module.ci.aws_iam_policy.p",
                               "change": {"actions": ["create"], "after_unknown": {"policy": \(unknownPolicy)}}}]}
        """
    }

    static let trust = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}}]}"#
    static let adminInline = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#

    @Test("a plan's role, inline policy and child modules are audited, named by address; a document unknown until apply is an error")
    func plan() throws {
        let text = Self.plan(roleName: "deploy", trust: Self.trust, inline: Self.adminInline, unknownPolicy: true)
        let audit = Auditor().audit(file: "plan.json", bytes: Array(text.utf8))
        let codes = audit.findings.map(\.ruleCode)
        #expect(codes.contains("OIDC003") && codes.contains("PRIV001"), "\(audit.findings.map(\.message))")
        #expect(audit.findings.first { $0.ruleCode == "OIDC003" }?.message.contains("(resource aws_iam_role.deploy, trust policy)") == true)
        let unknown = try #require(audit.findings.first { $0.ruleCode == "IAM037" })
        #expect(unknown.message.contains("module.ci.aws_iam_policy.p") && unknown.level == .error)
        let known = Auditor().audit(file: "plan.json", bytes: Array(Self.plan(roleName: "deploy", trust: Self.trust, inline: Self.adminInline,
                                                                              unknownPolicy: false).utf8))
        #expect(!known.findings.contains { $0.ruleCode == "IAM037" })
    }

    @Test("a managed policy attached to a placed role is audited as that role's: by the ARN's name, or by the configuration's reference when the ARN is unknown until apply",
          arguments: [true, false])
    func attachments(knownARN: Bool) throws {
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-prod-api"}]}"#
        let arn = knownARN ? #""policy_arn": "arn:aws:iam::111122223333:policy/prod-reach""# : #""policy_arn": null"#
        let plan = """
        {"format_version": "1.2", "terraform_version": "1.9.0",
         "planned_values": {"root_module": {"resources": [
           {"address": "aws_iam_policy.prod", "mode": "managed", "type": "aws_iam_policy", "name": "prod",
            "values": {"name": "prod-reach", "policy": \(JSONNode.quoted(policy))}},
           {"address": "aws_iam_role_policy_attachment.dev", "mode": "managed", "type": "aws_iam_role_policy_attachment", "name": "dev",
            "values": {"role": "deploy-dev", \(arn)}}]}},
         "configuration": {"root_module": {"resources": [
           {"address": "aws_iam_role_policy_attachment.dev", "mode": "managed", "type": "aws_iam_role_policy_attachment", "name": "dev",
            "expressions": {"role": {"constant_value": "deploy-dev"}, "policy_arn": {"references": ["aws_iam_policy.prod.arn", "aws_iam_policy.prod"]}}}]}}}
        """
        let audit = Auditor(design: .example).audit(file: "plan.json", bytes: Array(plan.utf8))
        #expect(audit.findings.contains { $0.ruleCode == "DSN006" && $0.environment == "dev" }, "\(audit.findings.map(\.message))")
    }

    @Test("a role named like a design environment's role is placed in it")
    func placement() throws {
        let design = Design.example
        let role = try #require(design.environments.first?.role)
        let inline = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:999999999999:elsewhere"}]}"#
        let audit = Auditor(design: design).audit(file: "plan.json", bytes: Array(Self.plan(roleName: role, trust: Self.trust, inline: inline,
                                                                                            unknownPolicy: false).utf8))
        #expect(audit.findings.contains { $0.ruleCode.hasPrefix("DSN") && $0.environment == design.environments.first?.name },
                "\(audit.findings.map { "\($0.ruleCode) \($0.message)" })")
    }
}

/// `fixtures/templates/adversarial/`: templates written to get past the template source, each with the error and
/// warning rules it must raise (EXPECTED.tsv); the correct ones must stay quiet.
@Suite("Adversarial templates")
struct AdversarialTemplateTests {
    static let folder = PackageRoot.url.appendingPathComponent("fixtures/templates/adversarial")

    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var expected: [String]
        var why: String
        var testDescription: String { "\(file): \(why)" }
    }

    static var cases: [Case] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { return nil }
            return Case(file: fields[0], expected: fields[1] == "-" ? [] : fields[1].split(separator: " ").map(String.init), why: fields[2])
        }
    }

    @Test("every fixture is listed") func everyFixtureIsListed() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0 != "EXPECTED.tsv" }.sorted()
        #expect(files == Self.cases.map(\.file).sorted())
        #expect(files.count >= 20)
    }

    @Test(arguments: cases)
    func expectedFindings(_ test: Case) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(test.file)))
        let audit = Auditor().audit(file: test.file, bytes: bytes, explicit: false)
        let raised = Set(audit.findings.filter { $0.level == .error || $0.level == .warning }.map(\.ruleCode))
        #expect(raised == Set(test.expected), "\(audit.findings.map { "\($0.ruleCode) \($0.message)" })")
        #expect(audit.errors.isEmpty)
    }
}

/// What an attacker's second list found, each a test: Terraform resources that attach or state permissions, raw
/// state, computed attributes, placement of policies by the role they join, role names without regard to case,
/// and the AWS CLI outputs that hold policies.
@Suite("Placement and inputs, adversarially")
struct PlacementAdversarialTests {
    static func plan(_ resources: String, extra: String = "") -> [UInt8] {
        Array("""
        {"format_version": "1.2", "terraform_version": "1.9.0"\(extra),
         "planned_values": {"root_module": {"resources": [\(resources)]}}}
        """.utf8)
    }

    static func resource(_ type: String, _ values: String) -> String {
        #"{"address": "\#(type).x", "mode": "managed", "type": "\#(type)", "name": "x", "values": {\#(values)}}"#
    }

    static let outOfScope = JSONNode.quoted(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:999999999999:elsewhere"}]}"#)

    func codes(_ audit: FileAudit) -> Set<String> {
        Set(audit.findings.filter { $0.level != .note }.map(\.ruleCode))
    }

    @Test func terraformRolePoliciesArePlacedByTheirRole() throws {
        let design = Design.example
        let role = try #require(design.environments.first?.role)
        let audit = Auditor(design: design).audit(file: "plan.json", bytes: Self.plan(Self.resource("aws_iam_role_policy", #""role": "\#(role.uppercased())", "policy": \#(Self.outOfScope)"#)))
        #expect(audit.findings.contains { $0.ruleCode.hasPrefix("DSN") }, "\(audit.findings.map(\.message))")
    }

    @Test func terraformAttachmentsAndPermissions() {
        let admin = Auditor().audit(file: "plan.json", bytes: Self.plan(Self.resource("aws_iam_role_policy_attachment",
                                                                                      #""role": "r", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess""#)))
        #expect(codes(admin) == ["IAM037"])
        let managed = Auditor().audit(file: "plan.json", bytes: Self.plan(Self.resource("aws_iam_role",
                                                                                        #""name": "r", "managed_policy_arns": ["arn:aws:iam::aws:policy/PowerUserAccess"]"#)))
        #expect(codes(managed) == ["IAM037"])
        let permission = Auditor().audit(file: "plan.json", bytes: Self.plan(Self.resource("aws_lambda_permission",
                                                                                           #""action": "lambda:InvokeFunction", "function_name": "f", "principal": "*", "source_arn": null"#)))
        #expect(codes(permission) == ["TRUST001"], "\(permission.findings.map(\.message))")
        let bucket = Auditor().audit(file: "plan.json", bytes: Self.plan(Self.resource("aws_s3_bucket", #""bucket": "b", "policy": \#(JSONNode.quoted(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#))"#)))
        #expect(codes(bucket).contains("TRUST001"))
    }

    @Test func terraformComputedAndPartialPlans() {
        let role = Self.resource("aws_iam_role", #""name": "r", "assume_role_policy": \#(JSONNode.quoted(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#))"#)
        func changes(_ unknown: String) -> String {
            #", "resource_changes": [{"address": "aws_iam_role.x", "change": {"actions": ["create"], "after_unknown": {\#(unknown)}}}]"#
        }
        // A new role's inline_policy is computed: unknown as a whole is no unknown document.
        #expect(codes(Auditor().audit(file: "plan.json", bytes: Self.plan(role, extra: changes(#""inline_policy": true, "arn": true"#)))).isEmpty)
        #expect(codes(Auditor().audit(file: "plan.json", bytes: Self.plan(role, extra: changes(#""inline_policy": [{"policy": true}]"#)))) == ["IAM037"])
        #expect(codes(Auditor().audit(file: "plan.json", bytes: Self.plan(role, extra: #", "errored": true"#))) == ["IAM037"])
    }

    @Test func rawTerraformStateIsRead() {
        let state = """
        {"version": 4, "terraform_version": "1.6.6", "serial": 1, "lineage": "x", "outputs": {},
         "resources": [{"mode": "managed", "type": "aws_iam_policy", "name": "p", "instances": [{"schema_version": 0,
           "attributes": {"name": "p", "policy": \(JSONNode.quoted(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#))}}]}]}
        """
        let audit = Auditor().audit(file: "terraform.tfstate.json", bytes: Array(state.utf8))
        #expect(codes(audit).contains("PRIV001"))
        #expect(audit.findings.first { $0.ruleCode == "PRIV001" }?.message.contains("aws_iam_policy.p") == true)
    }

    @Test func templatePolicyResourcesArePlacedByTheRolesTheyJoin() throws {
        let design = Design.example
        let role = try #require(design.environments.first?.role)
        let template = """
        {"Resources": {
          "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "\(role)", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
          "Extra": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "extra", "Roles": [{"Ref": "Role"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:999999999999:elsewhere"}]}}}}}
        """
        let audit = Auditor(design: design).audit(file: "template.json", bytes: Array(template.utf8))
        #expect(audit.findings.contains { $0.ruleCode.hasPrefix("DSN") && $0.message.contains("resource Extra") }, "\(audit.findings.map(\.message))")
    }

    @Test func awsCLIOutputsHoldingPolicies() {
        let star = JSONNode.quoted(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#)
        for text in [#"{"Policy": \#(star)}"#, #"{"Attributes": {"Policy": \#(star)}}"#] {
            let audit = Auditor().audit(file: "out.json", bytes: Array(text.utf8), explicit: false)
            #expect(codes(audit).contains("TRUST001"), "\(text)")
            // The finding is at the principal inside the string, not at the string's start.
            #expect(audit.findings.first { $0.ruleCode == "TRUST001" }.map { $0.span.start.column > 30 } == true)
        }
        let roles = #"{"Roles": [{"RoleName": "ci", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}]}"#
        let listed = Auditor().audit(file: "roles.json", bytes: Array(roles.utf8), explicit: false)
        #expect(codes(listed).contains("TRUST001"))
        #expect(listed.findings.contains { $0.message.contains("(role ci)") })
    }
}

@Suite("Terraform configuration")
struct TerraformConfigurationTests {
    @Test("HCL holding IAM is an error at each block, never a silent pass; HCL without IAM is skipped")
    func configuration() {
        let hcl = """
        resource "aws_iam_role" "deploy" {
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }

          data "aws_iam_policy_document" "trust" {
        }
        resource "aws_s3_bucket" "logs" {
          bucket = "logs"
        }
        resource "aws_s3_bucket" "public" {
          policy = file("public.json")
        }
        """
        let audit = Auditor().audit(file: "main.tf", bytes: Array(hcl.utf8), explicit: false)
        #expect(audit.findings.map(\.ruleCode) == ["IAM037", "IAM037", "IAM037"])
        // The bucket without a policy holds no IAM; the one that sets a policy does.
        #expect(audit.findings.map(\.span.start.line) == [1, 5, 10])
        #expect(audit.findings[1].span.start.column == 3)
        #expect(audit.findings[0].message.contains("aws_iam_role.deploy"))
        let plain = Auditor().audit(file: "vars.tf", bytes: Array(#"variable "region" {}"#.utf8), explicit: false)
        #expect(plain.findings.isEmpty && plain.errors.isEmpty)
        // The JSON syntax of the same configuration is no way around it.
        let json = #"{"resource": {"aws_iam_role": {"deploy": {"assume_role_policy": "${data.aws_iam_policy_document.trust.json}"}}, "aws_s3_bucket": {"logs": {"bucket": "logs"}}}}"#
        let jsonAudit = Auditor().audit(file: "main.tf.json", bytes: Array(json.utf8), explicit: false)
        #expect(jsonAudit.findings.map(\.ruleCode) == ["IAM037"])
        #expect(jsonAudit.findings.first?.pointer.description == "/resource/aws_iam_role/deploy")
        #expect(jsonAudit.findings.first?.span.start.column == 32)
    }
}
