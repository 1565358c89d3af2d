import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// The action-catalog rules (IAM030–IAM039) on the repository's policies and on the cases their decisions rest on.
@Suite("Action-catalog rules")
struct CatalogRuleTests {
    /// The rules that consult the action catalog: IAM030 to IAM035.
    static let rules = RuleCatalog.all.filter { ("IAM030"..."IAM035").contains($0.description.code) }
    static let auditor = Auditor(catalog: rules)

    /// Every JSON file of `policies/` and `fixtures/seed-as-documented/`, relative to the package root.
    static var acceptanceFiles: [String] {
        ["policies", "fixtures/seed-as-documented"].flatMap { folder -> [String] in
            let url = PackageRoot.url.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            return files.filter { $0.pathExtension == "json" }
                .map { folder + "/" + $0.path.dropFirst(url.path.count + 1) }
                .sorted()
        }
    }

    /// The catalog rules' findings on a policy given as text.
    func findings(_ source: String, kind: PolicyKind? = nil) -> [Finding] {
        let audit = Self.auditor.audit(file: "example.json", bytes: Array(source.utf8), kind: kind)
        #expect(audit.errors.isEmpty, "\(audit.errors.map(\.formatted))")
        return audit.findings
    }

    /// A one-statement identity policy.
    func policy(action: String, resource: String = "\"*\"", condition: String? = nil, effect: String = "Allow") -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "\(effect)", "Action": \(action), "Resource": \(resource)\
        \(condition.map { ", \"Condition\": \($0)" } ?? "")}]}
        """
    }

    @Test func rulesAreRegistered() {
        #expect(Self.rules.map { $0.description.code } == ["IAM030", "IAM031", "IAM032", "IAM033", "IAM034", "IAM035"])
    }

    // MARK: Acceptance

    /// The hardened policies and the seed as documented hold no mistake the catalog rules can see.
    @Test(arguments: acceptanceFiles)
    func acceptanceFileHasNoCatalogFinding(path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: PackageRoot.url.appendingPathComponent(path)))
        let audit = Self.auditor.audit(file: path, bytes: bytes, explicit: false)
        #expect(audit.errors.isEmpty, "\(audit.errors.map(\.formatted))")
        #expect(audit.findings.isEmpty, "\(audit.findings.map { "\($0.ruleCode) \($0.pointer): \($0.message)" })")
    }

    @Test func acceptanceCoversEveryPolicy() throws {
        var policies = 0
        for path in Self.acceptanceFiles {
            let bytes = try [UInt8](Data(contentsOf: PackageRoot.url.appendingPathComponent(path)))
            policies += Self.auditor.audit(file: path, bytes: bytes, explicit: false).policyCount
        }
        #expect(policies == 8, "two trust and two permission policies in each of policies/ and the fixture")
    }

    // MARK: IAM030, IAM031

    @Test func unknownActionSuggestsTheServiceOrTheAction() {
        let reported = findings(policy(action: #"["lamda:InvokeFunction", "s3:GetObjekt", "S3:GETOBJECT", "retired-service:DoThing"]"#))
        #expect(reported.map(\.pointer.description) == ["/Statement/0/Action/0", "/Statement/0/Action/1", "/Statement/0/Action/3"])
        #expect(reported.allSatisfy { $0.ruleCode == "IAM030" })
        #expect(reported[0].message.contains("service prefix 'lamda'") && reported[0].message.contains("did you mean 'lambda'?"))
        #expect(reported[1].message.contains("did you mean 's3:GetObject'?"))
        #expect(!reported[2].message.contains("did you mean"))
    }

    @Test func patternOfAnUnknownServiceIsLeftToIAM030() {
        #expect(findings(policy(action: #"["retired-service:Describe*", "s3:Get*Objekt"]"#)).map(\.ruleCode) == ["IAM031"])
    }

    // MARK: IAM032

    @Test func providerAndTrustKeysAreAccepted() {
        let trust = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/ABC"},
           "Action": "sts:AssumeRoleWithWebIdentity",
           "Condition": {"StringEquals": {"oidc.eks.eu-north-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:app",
                                          "accounts.google.com:aud": "x", "cognito-identity.amazonaws.com:amr": "authenticated"}}},
          {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp"},
           "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
           "Condition": {"StringEquals": {"sts:ExternalId": "x", "sts:SourceIdentity": "y"}, "StringLike": {"sts:RoleSessionName": "ci-*"}}}
        ]}
        """
        #expect(findings(trust, kind: .trust).isEmpty)
    }

    @Test func stsKeyInAnIdentityPolicyOfAnotherServiceIsReported() {
        let reported = findings(policy(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::example-bucket/*""#,
                                       condition: #"{"StringEquals": {"sts:ExternalId": "x"}}"#))
        #expect(reported.map(\.ruleCode) == ["IAM032"])
        #expect(reported.first?.message.contains("none of the statement's actions ('s3') lists it") == true)
    }

    @Test func tagKeyFormsAreAccepted() {
        let condition = """
        {"StringEquals": {"secretsmanager:ResourceTag/owner": "x", "aws:ResourceTag/team": "y", "aws:RequestTag/env": "z",
                          "aws:PrincipalTag/dept": "d", "ec2:ResourceTag/Name": "n"}}
        """
        #expect(findings(policy(action: #"["secretsmanager:GetSecretValue", "ec2:StartInstances"]"#, condition: condition)).isEmpty)
    }

    @Test func unknownKeysGetASuggestion() {
        let reported = findings(policy(action: #""s3:ListBucket""#, resource: #""arn:aws:s3:::example-bucket""#,
                                       condition: #"{"StringLike": {"s3:prefixes": "a/*", "aws:PrincipalOrgId": "o-1"}, "IpAddress": {"aws:SourceIP": "1.2.3.4/32", "aws:SorceIp": "1.2.3.4/32"}}"#))
        #expect(reported.map(\.message) == [
            "condition key 's3:prefixes' is not a condition key of 's3' in the action catalog; did you mean 's3:prefix'?",
            "condition key 'aws:SorceIp' is not a global condition key; did you mean 'aws:SourceIp'?",
        ])
    }

    // MARK: IAM033

    @Test func stringOperatorsOnARNKeysAreReportedAndARNOperatorsOnStringKeysAccepted() {
        let reported = findings(policy(action: #""sqs:SendMessage""#, resource: #""arn:aws:sqs:eu-north-1:111122223333:q""#,
                                       condition: #"{"StringNotLike": {"aws:SourceArn": "arn:aws:sns:*"}, "ArnLike": {"aws:SourceAccount": "111122223333"}, "ForAnyValue:StringLike": {"aws:CalledVia": "athena.amazonaws.com"}}"#))
        #expect(reported.map(\.pointer.description) == ["/Statement/0/Condition/StringNotLike/aws:SourceArn"])
        #expect(reported.first?.message == "'StringNotLike' on 'aws:SourceArn', a key of type ARN, compares the ARN as plain text: "
                + "a wildcard of 'arn:aws:sns:*' can span its ':' fields; use ArnNotLike")
    }

    /// An exact ARN under `StringEquals` (AWS's permissions-boundary examples) compares as `ArnEquals` would; a
    /// wildcard in the resource part alone spans no field. Case-insensitive operators and wildcards in the first
    /// five fields misread the ARN, whatever the qualifier.
    @Test func stringOperatorsOnARNKeysAreReportedOnlyWhereTheyMisreadTheARN() {
        func reported(_ condition: String) -> [String] {
            findings(policy(action: #""iam:CreateRole""#, resource: #""arn:aws:iam::111122223333:role/app-*""#, condition: condition))
                .filter { $0.ruleCode == "IAM033" }.map(\.message)
        }
        let boundary = "arn:aws:iam::111122223333:policy/AppBoundary"
        for quiet in [
            #"{"StringEquals": {"iam:PermissionsBoundary": "\#(boundary)"}}"#,
            #"{"StringNotEqualsIfExists": {"iam:PermissionsBoundary": "\#(boundary)"}}"#,
            #"{"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/App*"}}"#,
            #"{"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::${aws:PrincipalAccount}:policy/App?oundary"}}"#,
            #"{"ArnLike": {"iam:PermissionsBoundary": "arn:aws:iam::*:policy/App*"}}"#,
        ] {
            #expect(reported(quiet).isEmpty, "\(quiet)")
        }
        #expect(reported(#"{"StringEqualsIgnoreCase": {"iam:PermissionsBoundary": "\#(boundary)"}}"#) == [
            "'StringEqualsIgnoreCase' on 'iam:PermissionsBoundary', a key of type ARN, compares the ARN ignoring case, "
                + "which the ARN operators keep; use ArnEquals",
        ])
        #expect(reported(#"{"ForAnyValue:StringNotEqualsIgnoreCaseIfExists": {"iam:PermissionsBoundary": "\#(boundary)"}}"#).first?
            .hasSuffix("use ForAnyValue:ArnNotEqualsIfExists") == true)
        #expect(reported(#"{"StringLike": {"iam:PermissionsBoundary": ["\#(boundary)", "arn:aws:iam::*:policy/AppBoundary"]}}"#) == [
            "'StringLike' on 'iam:PermissionsBoundary', a key of type ARN, compares the ARN as plain text: "
                + "a wildcard of 'arn:aws:iam::*:policy/AppBoundary' can span its ':' fields; use ArnLike",
        ])
        #expect(reported(#"{"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:*"}}"#).isEmpty)
        #expect(reported(#"{"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam:*"}}"#).count == 1)
    }

    // MARK: IAM034

    @Test func samTransformAndAPIGatewayV1AreUnderstood() {
        #expect(findings(policy(action: #""cloudformation:CreateChangeSet""#,
                                resource: #""arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31""#)).isEmpty)
        #expect(findings(policy(action: #"["apigateway:GET", "apigateway:PUT", "apigateway:DELETE"]"#,
                                resource: #"["arn:aws:apigateway:eu-north-1::/restapis/*", "arn:aws:apigateway:eu-north-1::/usageplans"]"#)).isEmpty)
        // The transform is not a stack: other CloudFormation actions on it grant nothing.
        #expect(findings(policy(action: #""cloudformation:ExecuteChangeSet""#,
                                resource: #""arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31""#)).map(\.ruleCode) == ["IAM034"])
    }

    @Test func objectActionOnABucketNamesTheObjectShape() {
        let reported = findings(policy(action: #"["s3:ListBucket", "s3:GetObject"]"#, resource: #""arn:aws:s3:::example-bucket""#))
        #expect(reported.map(\.pointer.description) == ["/Statement/0/Action/1"])
        #expect(reported.first?.message.hasPrefix("action 's3:GetObject' acts on none of the statement's resources; it needs arn:${Partition}:s3:::${BucketName}/${ObjectName}") == true)
    }

    @Test func awsOwnedResourcesWithoutAnAccountMatch() {
        #expect(findings(policy(action: #""ssm:SendCommand""#,
                                resource: #"["arn:aws:ssm:*::document/AWS-RunShellScript", "arn:aws:ec2:*:*:instance/*"]"#)).isEmpty)
    }

    @Test func unjudgeableStatementsAreLeftAlone() {
        for resource in [#""*""#, #"["arn:aws:s3:::example-bucket", "*"]"#, #""arn:${aws:partition}:s3:::example-bucket""#, #""example-bucket""#] {
            #expect(findings(policy(action: #""s3:GetObject""#, resource: resource)).filter { $0.ruleCode == "IAM034" }.isEmpty, "\(resource)")
        }
        #expect(findings(policy(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::example-bucket""#, effect: "Deny")).isEmpty)
    }

    // MARK: IAM035

    @Test func multivaluedKeysNeedASetOperator() {
        let reported = findings(policy(action: #""ec2:CreateTags""#, condition: """
            {"StringEqualsIfExists": {"aws:TagKeys": "team"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
             "Null": {"aws:TagKeys": "false"}, "StringEquals": {"aws:RequestTag/team": "a", "aws:PrincipalOrgPaths": "o-1/r-2/"}}
            """)).filter { $0.ruleCode == "IAM035" }
        #expect(reported.map(\.pointer.description)
                == ["/Statement/0/Condition/StringEqualsIfExists/aws:TagKeys", "/Statement/0/Condition/StringEquals/aws:PrincipalOrgPaths"])
        #expect(reported.first?.message == "'aws:TagKeys' is multivalued (ArrayOfString) but 'StringEqualsIfExists' has no set operator; "
                + "write 'ForAnyValue:StringEqualsIfExists' (some value matches) or 'ForAllValues:StringEqualsIfExists' (every value matches)")
        // Single-valued and unknown keys are not this rule's business.
        #expect(findings(policy(action: #""s3:GetObject""#, condition: #"{"StringEquals": {"aws:SourceVpce": "vpce-1", "s3:no-such-key": "x"}}"#))
            .filter { $0.ruleCode == "IAM035" }.isEmpty)
    }
}
