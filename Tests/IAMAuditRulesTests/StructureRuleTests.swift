import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The tricky points of the policy-structure rules (IAM002–IAM017) that their examples do not pin down.
@Suite("Policy structure rules")
struct StructureRuleTests {
    /// Audits `source` with the whole catalog and returns the findings of `rule`.
    func findings(_ rule: any Rule.Type, in source: String, file: String = "policy.json", kind: PolicyKind? = nil) -> [Finding] {
        Auditor(catalog: RuleCatalog.all).audit(file: file, bytes: Array(source.utf8), kind: kind).findings
            .filter { $0.ruleCode == rule.description.code }
    }

    /// The structure rules this suite is about.
    static let structureRules: [any Rule.Type] = [
        UnknownPolicyElement.self, MissingVersion.self, OutdatedVersion.self, InvalidEffect.self, ActionWithNotAction.self,
        MissingAction.self, ResourceInTrustPolicy.self, MissingResource.self, PrincipalInIdentityPolicy.self,
        NotPrincipalInTrustPolicy.self, InvalidElementType.self, EmptyValue.self, DuplicateJSONKey.self, DuplicateSid.self,
        InvalidSid.self, PolicyOverSizeQuota.self,
    ]

    /// Every finding of the structure rules, as `CODE pointer` (other families judge other things).
    func allFindings(in source: String, kind: PolicyKind? = nil) -> [String] {
        let codes = Set(Self.structureRules.map { $0.description.code })
        return Auditor(catalog: RuleCatalog.all).audit(file: "policy.json", bytes: Array(source.utf8), kind: kind).findings
            .filter { codes.contains($0.ruleCode) }
            .map { "\($0.ruleCode) \($0.pointer)" }
    }

    @Test func everyStructureRuleIsInTheCatalog() {
        let catalog = Set(RuleCatalog.all.map { $0.description.code })
        #expect(Self.structureRules.allSatisfy { catalog.contains($0.description.code) })
    }

    // MARK: Statement as one object or as a list

    @Test func statementAsSingleObjectIsPointedAtWithoutIndex() {
        let single = #"{"Version": "2012-10-17", "Statement": {"Action": "s3:GetObject", "Resource": "*"}}"#
        let list = #"{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}"#
        #expect(findings(InvalidEffect.self, in: single).map(\.pointer.description) == ["/Statement"])
        #expect(findings(InvalidEffect.self, in: list).map(\.pointer.description) == ["/Statement/0"])
        let unknown = #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Conditon": {}}}"#
        #expect(findings(UnknownPolicyElement.self, in: unknown).map(\.pointer.description) == ["/Statement/Conditon"])
    }

    // MARK: IAM002 suggestions

    @Test(arguments: [
        ("Statements", ElementSpelling.Level.document, "Statement"),
        ("version", .document, "Version"),
        ("STATEMENT", .document, "Statement"),
        ("ID", .document, "Id"),
        ("Conditions", .statement, "Condition"),
        ("condition", .statement, "Condition"),
        ("Prinicpal", .statement, "Principal"),
        ("Principle", .statement, "Principal"),
        ("NotActions", .statement, "NotAction"),
        ("Resources", .statement, "Resource"),
        ("Efect", .statement, "Effect"),
        ("SID", .statement, "Sid"),
        ("Sd", .statement, "Sid"),
    ])
    func suggestsTheElementMeant(key: String, level: ElementSpelling.Level, expected: String) {
        #expect(ElementSpelling.suggestion(for: key, at: level) == expected)
    }

    @Test(arguments: ["X", "Description", "Comment", "Ix", "Condit"])
    func suggestsNothingForUnrelatedKeys(key: String) {
        #expect(ElementSpelling.suggestion(for: key, at: .statement) == nil)
        #expect(ElementSpelling.suggestion(for: key, at: .document) == nil)
    }

    @Test func messagesSayWhereAnElementBelongs() {
        let source = #"{"Version": "2012-10-17", "Effect": "Allow", "Statement": [{"Id": "x", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
        let messages = findings(UnknownPolicyElement.self, in: source).map(\.message)
        #expect(messages == [
            "'Effect' is a statement element, not a top-level policy element; it belongs inside 'Statement'",
            "'Id' is a top-level policy element, not a statement element",
        ])
    }

    @Test func aMisspeltElementIsReportedOnceNotAlsoAsMissing() {
        let source = """
        {"version": "2012-10-17",
         "Statement": [{"Efect": "Allow", "Actions": "s3:GetObject", "Resources": "arn:aws:s3:::b/*"}]}
        """
        #expect(allFindings(in: source).sorted() == [
            "IAM002 /Statement/0/Actions", "IAM002 /Statement/0/Efect", "IAM002 /Statement/0/Resources", "IAM002 /version",
        ])
        // An unrelated unknown key does not hide the missing element.
        let unrelated = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Comment": "x", "Resource": "*"}]}"#
        #expect(allFindings(in: unrelated).sorted() == ["IAM002 /Statement/0/Comment", "IAM007 /Statement/0"])
    }

    @Test func aRepeatedUnknownKeyIsReportedOnceByEachRule() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Note": "a", "Note": "b"}]}"#
        #expect(allFindings(in: source).sorted() == ["IAM002 /Statement/0/Note", "IAM014 /Statement/0/Note"])
    }

    // MARK: One root cause, one finding

    @Test func wrongTypesAreOnlyIAM012() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Effect": 1, "Action": [5], "Resource": {"a": "b"}}]}"#
        #expect(allFindings(in: source).sorted() == [
            "IAM012 /Statement/0/Action/0", "IAM012 /Statement/0/Effect", "IAM012 /Statement/0/Resource",
        ])
        let messages = findings(InvalidElementType.self, in: source).map(\.message).sorted()
        #expect(messages == [
            "'Effect' must be a string, found a number",
            "'Resource' must be a string or a list of strings, found an object",
            "item 0 of 'Action' must be a string, found a number",
        ])
    }

    @Test func bothElementsOfTheWrongTypeAreStillBoth() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "NotAction": 5, "Resource": "*"}]}"#
        let found = findings(ActionWithNotAction.self, in: source)
        #expect(found.map(\.pointer.description) == ["/Statement/0/NotAction"])
        #expect(found.first?.message == "statement has both 'Action' and 'NotAction'")
    }

    // MARK: IAM013 empty values

    @Test func emptyValuesAreNotWrongTypes() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": [7]}]}"#
        #expect(allFindings(in: source).sorted() == ["IAM012 /Statement/0/Resource/0", "IAM013 /Statement/0/Action"])
    }

    @Test func emptyPrincipalObjectsAndValues() {
        let source = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"},
          {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", ""]}, "Action": "sts:AssumeRole"}
        ]}
        """
        let found = findings(EmptyValue.self, in: source)
        #expect(found.map(\.pointer.description) == ["/Statement/0/Principal", "/Statement/1/Principal/AWS/1"])
        #expect(found.map(\.message) == ["'Principal' is an empty object", "item 1 of 'AWS' is an empty string"])
    }

    // MARK: IAM014 duplicate keys

    @Test func duplicateKeysNestedInConditionAreLocatedAtTheRepeatedKey() throws {
        let source = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
              "StringLike": {
                "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main",
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": "repo:acme/*"
              }
            }
          }]
        }
        """
        let found = try #require(findings(DuplicateJSONKey.self, in: source).first)
        #expect(found.pointer.description == "/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub")
        #expect(found.span.start.line == 11 && found.span.start.column == 9)
        #expect(found.span.end.line == 11 && found.span.end.column == 9 + #""token.actions.githubusercontent.com:sub""#.count)
        #expect(found.message.contains("different values"))
    }

    @Test func aKeyRepeatedThreeTimesIsOneFindingAtItsFirstRepeat() throws {
        let source = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::a/*",
          "Resource": "arn:aws:s3:::b/*",
          "Resource": "arn:aws:s3:::c/*"}]}
        """
        let found = findings(DuplicateJSONKey.self, in: source)
        #expect(found.count == 1)
        #expect(found.first?.span.start.line == 3)
        #expect(found.first?.message == "key 'Resource' appears 3 times in the same object, with different values; IAM keeps only one of them")
    }

    @Test func duplicateKeysInsideListsAndOutsideTheDocument() {
        let inList = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}"#
        #expect(findings(DuplicateJSONKey.self, in: inList).map(\.pointer.description) == ["/Statement/1/Effect"])
        // Keys escaped in the pointer (RFC 6901: `/` is `~1`).
        let escaped = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a", "aws:PrincipalTag/team": "a"}}}]}"#
        let found = findings(DuplicateJSONKey.self, in: escaped)
        #expect(found.map(\.pointer.description) == ["/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team"])
        #expect(found.first?.message.hasSuffix("with the same value") == true)
        // The container around a get-role document is not part of the policy.
        let container = #"{"Role": {"RoleName": "a", "RoleName": "a", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}"#
        #expect(findings(DuplicateJSONKey.self, in: container).isEmpty)
    }

    // MARK: IAM015 and IAM016

    @Test func duplicateSidNamesTheFirstStatementAndSkipsEmptySids() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}, {"Sid": "A", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}, {"Sid": "A", "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"}]}"#
        #expect(findings(DuplicateSid.self, in: source).map(\.message) == ["Sid 'A' is already used by statement 2"])
    }

    @Test func invalidSidOnlyInIAMsOwnPolicies() {
        let bucketPolicy = #"{"Version": "2012-10-17", "Statement": [{"Sid": "Public read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#
        #expect(findings(InvalidSid.self, in: bucketPolicy).isEmpty)
        #expect(findings(InvalidSid.self, in: bucketPolicy, kind: .identity).map(\.pointer.description) == ["/Statement/0/Sid"])
        #expect(InvalidSid.invalidCharacters("Ünïcode-Sid_1") == ["Ü", "ï", "-", "_"])
        #expect(InvalidSid.invalidCharacters("AllowRead2") == [])
    }

    // MARK: IAM017 size

    /// A trust policy whose length without whitespace is exactly `length`, written with the given indentation.
    func trustPolicy(compactLength length: Int, pretty: Bool) throws -> String {
        func text(_ padding: Int) -> String {
            let value = String(repeating: "a", count: padding)
            if pretty {
                return """
                {
                    "Version" : "2012-10-17",
                    "Statement" : [
                        {
                            "Sid" : "\(value)",
                            "Effect" : "Allow",
                            "Principal" : { "Service" : "lambda.amazonaws.com" },
                            "Action" : "sts:AssumeRole"
                        }
                    ]
                }
                """
            }
            return #"{"Version":"2012-10-17","Statement":[{"Sid":"\#(value)","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        }
        let base = try #require(PolicyLoader().load(file: "p.json", bytes: Array(text(0).utf8)).policies.first).compactLength
        return text(length - base)
    }

    @Test(arguments: [false, true])
    func sizeIgnoresWhitespaceAndTheQuotaIsInclusive(pretty: Bool) throws {
        let atQuota = try trustPolicy(compactLength: 2_048, pretty: pretty)
        let overQuota = try trustPolicy(compactLength: 2_049, pretty: pretty)
        #expect(try #require(PolicyLoader().load(file: "p.json", bytes: Array(atQuota.utf8)).policies.first).compactLength == 2_048)
        #expect(findings(PolicyOverSizeQuota.self, in: atQuota).isEmpty)
        let found = findings(PolicyOverSizeQuota.self, in: overQuota)
        #expect(found.map(\.message) == ["trust policy is 2,049 characters without whitespace, over the default quota of 2,048 (raisable to 4,096)"])
        #expect(found.first.map { ($0.span.start.line, $0.span.start.column, $0.span.end.column) } ?? (0, 0, 0) == (1, 1, 2))
        if pretty {
            #expect(atQuota.utf8.count > 2_048, "the file itself is over the quota; only whitespace makes the difference")
        }
        let overMaximum = try trustPolicy(compactLength: 4_097, pretty: pretty)
        #expect(findings(PolicyOverSizeQuota.self, in: overMaximum).first?.message.contains("over the maximum quota of 4,096") == true)
    }

    @Test func sizeQuotaFollowsTheContainer() {
        let resources = (1...250).map { "\"arn:aws:s3:::bucket-\($0)/*\"" }.joined(separator: ",")
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[\#(resources)]}]}"#
        #expect(findings(PolicyOverSizeQuota.self, in: document).map(\.message).first?.contains("over the quota of 6,144") == true)
        let inline = #"{"RoleName": "r", "PolicyName": "p", "PolicyDocument": \#(document)}"#
        #expect(findings(PolicyOverSizeQuota.self, in: inline).isEmpty)
        let resourcePolicy = document.replacingOccurrences(of: #""Effect":"Allow","#, with: #""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"#)
        #expect(findings(PolicyOverSizeQuota.self, in: resourcePolicy).isEmpty)
    }

    @Test func thousandsAreGrouped() {
        #expect(PolicyOverSizeQuota.grouped(7) == "7")
        #expect(PolicyOverSizeQuota.grouped(2_048) == "2,048")
        #expect(PolicyOverSizeQuota.grouped(123_456) == "123,456")
        #expect(PolicyOverSizeQuota.grouped(1_234_567) == "1,234,567")
    }

    // MARK: Locations

    @Test func documentRootFindingsPointAtTheOpeningBrace() throws {
        let source = "\n\n   {\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"
        let found = try #require(findings(MissingVersion.self, in: source).first)
        #expect(found.pointer.isRoot)
        #expect((found.span.start.line, found.span.start.column, found.span.end.line, found.span.end.column) == (3, 4, 3, 5))
    }

    @Test func findingsInAnEmbeddedDocumentLandOnTheEmbeddingString() throws {
        let encoded = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
        let source = """
        {"Role": {"RoleName": "example", "AssumeRolePolicyDocument": "\(encoded)"}}
        """
        let found = allFindings(in: source).sorted()
        #expect(found == ["IAM003 /Role/AssumeRolePolicyDocument", "IAM005 /Role/AssumeRolePolicyDocument"])
    }

    // MARK: Kinds

    @Test func principalRulesFollowTheDeclaredKind() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#
        // NotPrincipal with sts:AssumeRole infers as a trust policy.
        #expect(findings(NotPrincipalInTrustPolicy.self, in: source).map(\.pointer.description) == ["/Statement/0/NotPrincipal"])
        #expect(findings(PrincipalInIdentityPolicy.self, in: source).isEmpty)
        #expect(findings(NotPrincipalInTrustPolicy.self, in: source, kind: .identity).isEmpty)
        #expect(findings(PrincipalInIdentityPolicy.self, in: source, kind: .identity).map(\.pointer.description) == ["/Statement/0/NotPrincipal"])
    }

    @Test func resourceRulesFollowTheKind() {
        let trust = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*", "NotResource": "x"}]}"#
        #expect(findings(ResourceInTrustPolicy.self, in: trust).map(\.pointer.description) == ["/Statement/0/Resource", "/Statement/0/NotResource"])
        #expect(findings(MissingResource.self, in: trust).isEmpty)
        let bucket = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject"}]}"#
        #expect(findings(MissingResource.self, in: bucket).isEmpty, "resource policies are left to their service")
        #expect(findings(MissingResource.self, in: bucket, kind: .identity).map(\.pointer.description) == ["/Statement/0"])
    }

    @Test func outdatedVersionLeavesEmptyAndMissingToOtherRules() {
        #expect(allFindings(in: #"{"Version": "", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#) == ["IAM013 /Version"])
        #expect(allFindings(in: #"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#) == ["IAM003 "])
    }
}
