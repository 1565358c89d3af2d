import IAMPolicy
import Testing

@Suite("Policy model")
struct PolicyModelTests {
    func load(_ text: String, file: String = "p.json") -> PolicyLoader.Result {
        PolicyLoader().load(file: file, bytes: Array(text.utf8))
    }

    @Test func decodesTheWholeGrammarWithPointers() throws {
        let result = load("""
        {
          "Version": "2012-10-17",
          "Id": "doc",
          "Statement": [{
            "Sid": "Trust",
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
            "Condition": {
              "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
              "ForAnyValue:StringLikeIfExists": {"token.actions.githubusercontent.com:sub": ["repo:a/b:*", "repo:a/c:*"]},
              "Bool": {"aws:SecureTransport": true},
              "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}
            }
          }]
        }
        """)
        let policy = try #require(result.policies.first)
        #expect(policy.kind == .trust)
        #expect(policy.container == .bare)
        let document = policy.document
        #expect(document.version?.value == "2012-10-17")
        #expect(document.id?.value == "doc")
        #expect(document.issues.isEmpty)
        let statement = try #require(document.statements.first)
        #expect(statement.pointer.description == "/Statement/0")
        #expect(statement.sid?.value == "Trust")
        #expect(statement.parsedEffect == .allow)
        #expect(statement.principal?.values(ofType: "Federated").first?.pointer.description == "/Statement/0/Principal/Federated")
        #expect(statement.action?.values == ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"])
        #expect(statement.action?.items[1].pointer.description == "/Statement/0/Action/1")
        #expect(statement.action?.items[1].span.start.line == 8)
        let clauses = try #require(statement.condition?.clauses)
        #expect(clauses.count == 4)
        let sub = clauses[1]
        #expect(sub.parsedOperator == ConditionOperator(qualifier: .forAnyValue, base: .stringLike, ifExists: true))
        #expect(sub.values.values == [.string("repo:a/b:*"), .string("repo:a/c:*")])
        #expect(sub.values.items[1].pointer.description == "/Statement/0/Condition/ForAnyValue:StringLikeIfExists/token.actions.githubusercontent.com:sub/1")
        #expect(clauses[2].values.values == [.bool(true)])
        #expect(clauses[3].values.values == [.number("3600")])
    }

    @Test func wrongTypesBecomeIssuesNotFailures() throws {
        let result = load(#"{"Version": 2012, "Statement": [{"Effect": 1, "Action": ["s3:GetObject", 5], "Resource": {}}, "x"]}"#)
        let policy = try #require(result.policies.first)
        let issues = policy.document.issues.map(\.pointer.description)
        #expect(issues == ["/Version", "/Statement/1", "/Statement/0/Effect", "/Statement/0/Action/1", "/Statement/0/Resource"])
        #expect(policy.document.statements.count == 1)
        #expect(policy.document.statements[0].action?.values == ["s3:GetObject"])
    }

    @Test func singleStatementObjectAndKinds() throws {
        let identity = try #require(load(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#).policies.first)
        #expect(identity.kind == .identity)
        #expect(identity.document.statements.first?.pointer.description == "/Statement")
        let resource = try #require(load(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#).policies.first)
        #expect(resource.kind == .resource)
        #expect(resource.document.statements.first?.principal?.isEveryone == true)
    }

    @Test func readsCLIWrappersAndEmbeddedDocuments() throws {
        let wrapped = load(#"{"PolicyVersion": {"CreateDate": "x", "Document": {"Version": "2012-10-17", "Statement": []}, "VersionId": "v1"}}"#)
        #expect(wrapped.policies.first?.container == .getPolicyVersion)
        #expect(wrapped.policies.first?.document.pointer.description == "/PolicyVersion/Document")

        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
        let role = load(#"{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": "\#(encoded)"}}"#)
        let policy = try #require(role.policies.first)
        #expect(policy.container == .getRole && policy.kind == .trust && policy.name == "r")
        #expect(policy.embedding?.pointer.description == "/Role/AssumeRolePolicyDocument")
        #expect(policy.document.statements.first?.principal?.values(ofType: "Service").first?.value == "lambda.amazonaws.com")

        let inline = load(#"{"RoleName": "r", "PolicyName": "p", "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}"#)
        #expect(inline.policies.first?.container == .getRolePolicy && inline.policies.first?.quotaClass == .inlineRole)

        let asString = load(#""{\"Version\": \"2012-10-17\", \"Statement\": []}""#)
        #expect(asString.policies.count == 1)

        let broken = load(#"{"PolicyDocument": "{\"Version\": "}"#)
        #expect(broken.policies.isEmpty && broken.syntaxErrors.first?.pointer.description == "/PolicyDocument")
    }

    @Test func openIDConnectProviderIsRecognised() throws {
        let result = load(#"{"Url": "token.actions.githubusercontent.com", "ClientIDList": ["sts.amazonaws.com"], "ThumbprintList": []}"#)
        #expect(result.policies.isEmpty && result.notAPolicy == nil)
        #expect(result.provider?.url.value == "token.actions.githubusercontent.com")
        #expect(result.provider?.clientIDs.map(\.value) == ["sts.amazonaws.com"])
    }

    @Test func nonPoliciesAreNamed() {
        #expect(load(#"{"name": "package.json"}"#).notAPolicy != nil)
        #expect(load("[1, 2]").notAPolicy != nil)
        #expect(load("").syntaxErrors.first?.message == "the file is empty")
    }

    @Test func compactLengthIgnoresWhitespaceOutsideStrings() throws {
        let policy = try #require(load("{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ ]\n}").policies.first)
        #expect(policy.compactLength == #"{"Version":"2012-10-17","Statement":[]}"#.count)
        let spaced = try #require(load(#"{"Version": "a b\"c"}"#).policies.first)
        #expect(spaced.compactLength == #"{"Version":"a b\"c"}"#.count)
        // Characters are Unicode scalars, however many UTF-8 bytes each takes.
        let wide = try #require(load("{ \"Sid\" : \"caf\u{E9} \u{1F600}\", \"Version\": \"2012-10-17\" }").policies.first)
        #expect(wide.compactLength == "{\"Sid\":\"caf\u{E9} \u{1F600}\",\"Version\":\"2012-10-17\"}".unicodeScalars.count)
    }

    @Test func conditionOperatorsParse() {
        #expect(ConditionOperator(parsing: "StringLike")?.base == .stringLike)
        #expect(ConditionOperator(parsing: "ForAllValues:StringEqualsIgnoreCaseIfExists") == ConditionOperator(qualifier: .forAllValues, base: .stringEqualsIgnoreCase, ifExists: true))
        #expect(ConditionOperator(parsing: "NullIfExists")?.ifExists == true)
        #expect(ConditionOperator(parsing: "stringlike") == nil)
        #expect(ConditionOperator(parsing: "ForAnyValues:StringLike") == nil)
        #expect(ConditionOperator(parsing: "StringLikeIfExistsIfExists") == nil)
        // Every base operator, alone and with each qualifier and `IfExists`, parses back to itself.
        for base in ConditionOperatorBase.allCases {
            for qualifier in [nil, ConditionOperator.Qualifier.forAnyValue, .forAllValues] {
                for ifExists in [false, true] {
                    let op = ConditionOperator(qualifier: qualifier, base: base, ifExists: ifExists)
                    #expect(ConditionOperator(parsing: op.description) == op)
                }
            }
        }
        // Names are compared exactly, byte for byte: no empty part, no stray character, no look-alike.
        for name in ["", "IfExists", "ForAnyValue:", "ForAnyValue:IfExists", ":StringLike", "ForAnyValue::StringLike",
                     "StringLike ", "StringLike\u{301}", "ArnLike\u{0}", "ForAnyValue:StringLike:IfExists", "Nul"] {
            #expect(ConditionOperator(parsing: name) == nil, "\(name.debugDescription)")
        }
    }

    @Test func arnsSplitIntoSixFields() throws {
        let arn = try #require(ARN(parsing: "arn:aws:logs:eu-north-1:123456789012:log-group:/aws/lambda/x:*"))
        #expect(arn.service == "logs" && arn.account == "123456789012" && arn.resource == "log-group:/aws/lambda/x:*")
        #expect(ARN(parsing: "arn:aws:s3:::bucket")?.region == "")
        #expect(ARN(parsing: "arn:aws:s3") == nil)
    }
}
