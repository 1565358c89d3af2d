import Foundation
import IAMPolicy
import Testing

/// The account dump (`aws iam get-account-authorization-details`): the top-level skim and the loading of each
/// entry into a tree of its own.
@Suite("Account authorization dump")
struct AuthorizationDetailsTests {
    static let trust = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#
    static let identity = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#

    /// `identity`, URL-encoded as the IAM API returns documents.
    static var encodedIdentity: String {
        identity.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static var dump: String {
        """
        {
            "UserDetailList": [
                {"UserName": "bot", "UserPolicyList": [{"PolicyName": "read", "PolicyDocument": \(identity)}]}
            ],
            "GroupDetailList": [
                {"GroupName": "admins", "GroupPolicyList": [{"PolicyName": "encoded", "PolicyDocument": "\(encodedIdentity)"}]}
            ],
            "RoleDetailList": [
                {
                    "RoleName": "deploy",
                    "AssumeRolePolicyDocument": \(trust),
                    "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": \(identity)}],
                    "AttachedManagedPolicies": [{"PolicyName": "Shared", "PolicyArn": "arn:aws:iam::123456789012:policy/Shared"}]
                }
            ],
            "Policies": [
                {
                    "PolicyName": "Shared",
                    "Arn": "arn:aws:iam::123456789012:policy/Shared",
                    "DefaultVersionId": "v2",
                    "PolicyVersionList": [
                        {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "VersionId": "v3", "IsDefaultVersion": false},
                        {"Document": \(identity), "VersionId": "v2", "IsDefaultVersion": true}
                    ]
                }
            ],
            "IsTruncated": false
        }
        """
    }

    func loads(_ text: String) throws -> [AuthorizationDetailsEntryLoad] {
        let bytes = Array(text.utf8)
        let scan = try #require(AuthorizationDetailsScan.scan(bytes))
        return bytes.withUnsafeBufferPointer { buffer in
            scan.entries.map { PolicyLoader().loadEntry($0, file: "dump.json", bytes: buffer) }
        }
    }

    @Test func skimFindsEveryEntryOfTheFourLists() throws {
        let scan = try #require(AuthorizationDetailsScan.scan(Array(Self.dump.utf8)))
        #expect(scan.entries.map(\.pointer.description) == ["/UserDetailList/0", "/GroupDetailList/0", "/RoleDetailList/0", "/Policies/0"])
        #expect(scan.entries.map(\.start.line) == [3, 6, 9, 17])
        #expect(scan.entries.map(\.start.column) == [9, 9, 9, 9])
        #expect(scan.problems.isEmpty && scan.syntaxErrors.isEmpty)
    }

    @Test(arguments: [
        #"{"Version": "2012-10-17", "Statement": [{"Sid": "Policies", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
        #"{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Statement": []}}}"#,
        #"[{"RoleDetailList": []}]"#,
        #"{"Nested": {"RoleDetailList": []}}"#,
        #"{"Version": "2012-10-17" "RoleDetailList": []}"#,
    ])
    func otherJSONIsNotADump(_ text: String) {
        #expect(AuthorizationDetailsScan.scan(Array(text.utf8)) == nil)
    }

    /// The quick test before a skim: a list name as a quoted key anywhere, at the very start and end of the
    /// bytes too; a prefix of a name, another key or an unquoted name is not one.
    @Test func mayHoldLooksForAQuotedListName() {
        let holds = [#"{"RoleDetailList": []}"#, #"{"a": 1, "Policies": []}"#, #""UserDetailList""#,
                     #"x"GroupDetailList""#, #"{"Role": "R", "RoleDetailList": []}"#]
        let holdsNot = ["", "\"", #"{"Roles": []}"#, #"{"RoleDetailLis"#, #"{RoleDetailList: []}"#,
                        #"{"Version": "2012-10-17", "Statement": []}"#, #""Policie""#, #""UserDetailList"#]
        for text in holds { #expect(AuthorizationDetailsScan.mayHold(Array(text.utf8)), "\(text)") }
        for text in holdsNot { #expect(!AuthorizationDetailsScan.mayHold(Array(text.utf8)), "\(text)") }
    }

    @Test func emptyListsAreADumpWithoutEntries() throws {
        let scan = try #require(AuthorizationDetailsScan.scan(Array(#"{"RoleDetailList": [], "Policies": [ ]}"#.utf8)))
        #expect(scan.entries.isEmpty && scan.problems.isEmpty && scan.syntaxErrors.isEmpty)
    }

    @Test func aListThatIsNotAnArrayIsAProblemWithItsSpan() throws {
        let scan = try #require(AuthorizationDetailsScan.scan(Array(#"{"RoleDetailList": "none", "Policies": []}"#.utf8)))
        let problem = try #require(scan.problems.first)
        #expect(problem.pointer.description == "/RoleDetailList")
        #expect(problem.value == "'RoleDetailList' is a string, not an array of entries")
        #expect(problem.span.start.column == 20 && problem.span.end.column == 26)
    }

    @Test func everyShapeYieldsItsPolicies() throws {
        let loads = try loads(Self.dump)
        let user = loads[0], group = loads[1], role = loads[2], managed = loads[3]
        #expect(user.label == "user bot" && user.policies.map(\.container) == [.accountUserInline])
        #expect(user.policies.first?.quotaClass == .inlineUser && user.policies.first?.label == "user bot, inline policy read")
        #expect(group.policies.map(\.container) == [.accountGroupInline] && group.policies.first?.quotaClass == .inlineGroup)
        #expect(role.name == "deploy" && role.policies.map(\.container) == [.accountRoleTrust, .accountRoleInline])
        #expect(role.policies.map(\.kind) == [.trust, .identity])
        #expect(role.policies.map(\.document.pointer.description) == ["/RoleDetailList/0/AssumeRolePolicyDocument", "/RoleDetailList/0/RolePolicyList/0/PolicyDocument"])
        #expect(role.attachedPolicyARNs == ["arn:aws:iam::123456789012:policy/Shared"])
        #expect(managed.arn == "arn:aws:iam::123456789012:policy/Shared" && managed.label == "managed policy Shared")
        for load in loads { #expect(load.problems.isEmpty && load.syntaxErrors.isEmpty, "\(load.label)") }
    }

    @Test func urlEncodedDocumentsAreDecodedAndLocatedOnTheirString() throws {
        let group = try loads(Self.dump)[1]
        let policy = try #require(group.policies.first)
        #expect(policy.embedding?.pointer.description == "/GroupDetailList/0/GroupPolicyList/0/PolicyDocument")
        #expect(policy.embedding?.span.start.line == 6)
        #expect(policy.document.statements.first?.action?.values == ["s3:GetObject"])
    }

    /// Lowercase escapes decode; a `%` that starts no escape leaves the string as written, which then is no JSON.
    @Test func urlEncodingIsDecodedByteByByte() throws {
        let lower = Self.encodedIdentity.replacingOccurrences(of: "%7B", with: "%7b")
        let loads = try loads("""
        {"GroupDetailList": [{"GroupName": "g", "GroupPolicyList": [
            {"PolicyName": "lower", "PolicyDocument": "  \(lower)\\n"},
            {"PolicyName": "bad", "PolicyDocument": "%7B%22Version%ZZ"},
            {"PolicyName": "utf8", "PolicyDocument": "%7B%22Sid%22%3A%22%C3%A9%22%7D"},
            {"PolicyName": "invalid", "PolicyDocument": "%7B%22Sid%22%3A%22%C3%22%7D"}]}]}
        """)[0]
        #expect(loads.policies.map(\.name) == ["lower", "utf8"])
        #expect(loads.policies.last?.document.elements.map(\.value) == ["Sid"])
        #expect(loads.syntaxErrors.map(\.pointer.description) == ["/GroupDetailList/0/GroupPolicyList/1/PolicyDocument",
                                                                   "/GroupDetailList/0/GroupPolicyList/3/PolicyDocument"])
    }

    /// Only the default version is audited: `IsDefaultVersion: true` wins over list order, and without any such
    /// flag the version `DefaultVersionId` names is taken.
    @Test func theDefaultVersionIsChosen() throws {
        let managed = try loads(Self.dump)[3]
        let policy = try #require(managed.policies.first)
        #expect(managed.policies.count == 1)
        #expect(policy.document.pointer.description == "/Policies/0/PolicyVersionList/1/Document")
        #expect(policy.container == .accountManagedPolicy && policy.quotaClass == .managed)

        let byId = try loads("""
        {"Policies": [{"PolicyName": "P", "DefaultVersionId": "v1", "PolicyVersionList": [
            {"Document": \(Self.identity), "VersionId": "v2"}, {"Document": \(Self.identity), "VersionId": "v1"}]}]}
        """)[0]
        #expect(byId.policies.map(\.document.pointer.description) == ["/Policies/0/PolicyVersionList/1/Document"])
    }

    @Test func missingMembersAreLocatedProblemsNotCrashes() throws {
        let loads = try loads("""
        {
          "RoleDetailList": [
            {"RoleName": "no-trust", "RolePolicyList": [{"PolicyName": "empty"}]},
            "just a string",
            {"AssumeRolePolicyDocument": \(Self.trust), "RolePolicyList": "none", "AttachedManagedPolicies": [{"PolicyName": "x"}]}
          ],
          "Policies": [{"PolicyName": "P", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": false}]}]
        }
        """)
        #expect(loads[0].problems.map(\.value) == ["entry has no 'AssumeRolePolicyDocument'", "inline policy has no 'PolicyDocument'"])
        #expect(loads[0].problems.map(\.pointer.description) == ["/RoleDetailList/0", "/RoleDetailList/0/RolePolicyList/0"])
        #expect(loads[0].problems[0].span.start.line == 3 && loads[0].problems[0].span.start.column == 5)
        #expect(loads[1].problems.map(\.value) == ["entry 1 of 'RoleDetailList' is a string, not an object"])
        #expect(loads[2].label == "role #2" && loads[2].policies.count == 1)
        #expect(loads[2].problems.map(\.value) == ["entry has no 'RoleName'", "'RolePolicyList' is a string, not an array",
                                                   "attached policy has no 'PolicyArn' string"])
        #expect(loads[3].policies.isEmpty && loads[3].problems.first?.pointer.description == "/Policies/0/PolicyVersionList")
    }

    /// A malformed entry is a syntax error at its own position; the entries around it still load.
    @Test(arguments: [
        (#"{"RoleName": "bad", "AssumeRolePolicyDocument": {"Effect": Allow}}"#, 4, 64),
        (#"{"RoleName": "bad", "AssumeRolePolicyDocument": {"Statement": [,]}}"#, 4, 68),
    ])
    func aMalformedEntryLeavesTheOthersReadable(_ broken: String, _ line: Int, _ column: Int) throws {
        let role = #"{"RoleName": "good", "AssumeRolePolicyDocument": \#(Self.trust)}"#
        let loads = try loads("{\n  \"RoleDetailList\": [\n    \(role),\n    \(broken),\n    \(role)\n  ]\n}")
        #expect(loads.count == 3)
        #expect(loads[0].policies.count == 1 && loads[2].policies.count == 1)
        let failure = try #require(loads[1].syntaxErrors.first)
        #expect(failure.pointer.description == "/RoleDetailList/1")
        #expect(failure.span.start.line == line && failure.span.start.column == column, "\(failure.message) at \(failure.span)")
    }

    /// An entry whose brackets do not close swallows the rest of the file: the skim records it to the end, the
    /// entries before it still load and its own parse reports where the file ends.
    @Test func anUnclosedEntryIsReportedAndTheEarlierOnesLoad() throws {
        let text = "{\"RoleDetailList\": [{\"RoleName\": \"a\", \"AssumeRolePolicyDocument\": \(Self.trust)}, {\"RoleName\": \"b\""
        let loads = try loads(text)
        #expect(loads.count == 2 && loads[0].policies.count == 1)
        #expect(loads[1].syntaxErrors.first?.message.hasPrefix("unexpected end of input") == true)
    }

    /// Every span of an entry's own tree equals the span of the same node in a parse of the whole file: on
    /// indented, CRLF, minified and non-ASCII input.
    @Test(arguments: ["indented", "crlf", "minified"])
    func entrySpansAreFileSpans(_ layout: String) throws {
        var text = Self.dump.replacingOccurrences(of: "\"deploy\"", with: "\"déploiement-🚀\"")
        if layout == "crlf" { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        if layout == "minified" {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            text = "\u{FEFF}" + String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let bytes = Array(text.utf8)
        let whole = try JSONParser().parse(bytes)
        let scan = try #require(AuthorizationDetailsScan.scan(bytes))
        #expect(scan.entries.count == 4)
        try bytes.withUnsafeBufferPointer { buffer in
            for entry in scan.entries {
                let tree = try JSONParser().parse(buffer, range: entry.range, start: entry.start, lineStart: entry.lineStart)
                let expected = try #require(whole.resolve(entry.pointer))
                #expect(tree == expected, "\(layout) \(entry.pointer)")
            }
        }
    }
}
