@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The tricky points of the TRUST rules that their examples do not pin down.
@Suite("Other trust rules")
struct TrustRuleTests {
    func findings(_ rule: any Rule.Type, in source: String, design: Design? = nil) -> [Finding] {
        Auditor(catalog: RuleCatalog.all, design: design).audit(file: "policy.json", bytes: Array(source.utf8)).findings
            .filter { $0.ruleCode == rule.description.code }
    }

    /// A trust statement with `Principal: {"AWS": "*"}` and `condition` (a JSON object).
    func anyPrincipal(_ condition: String, effect: String = "Allow") -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "\(effect)", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": \(condition)}]}
        """
    }

    // MARK: TRUST001

    @Test(arguments: [
        #"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}"#,
        #"{"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}"#,
        #"{"Bool": {"aws:PrincipalIsAWSService": "true"}}"#,
        #"{"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}"#,
        #"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#,
        #"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "StringEqualsIgnoreCase": {"sts:ExternalId": "7f3c9a2e"}}"#,
        #"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::ai-multi-comms-dev-artifacts"}}"#,
    ])
    func narrowingConditions(condition: String) {
        #expect(findings(TrustAnyPrincipal.self, in: anyPrincipal(condition)).isEmpty, "\(condition)")
    }

    @Test(arguments: [
        (#"{"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}}"#, "'ForAllValues:StringLike' passes when the key is absent"),
        (#"{"Bool": {"aws:PrincipalIsAWSService": "false"}}"#, "'false' admits every caller that is not an AWS service"),
        (#"{"Null": {"aws:PrincipalOrgID": "false"}}"#, "'Null' only tests whether the key is present"),
        (#"{"StringLike": {"aws:PrincipalAccount": ["111122223333", "*"]}}"#, "value '*' matches any value"),
        (#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#,
         "'aud' is not tied to one repository or owner: any GitHub workflow can present the same value"),
        (#"{"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/intruder"}}"#, "'ArnNotLike' admits every value it does not list"),
        (#"{"StringEqualsIgnoreCase": {"sts:ExternalId": "7f3c9a2e"}}"#,
         "with 'Principal: \"*\"' an external ID keeps no account out: AWS documents it as an identifier, not a secret, so any account that learns it gets in"),
        (#"{"StringLike": {"aws:PrincipalOrgID": "o-*"}}"#,
         "value 'o-*' is a pattern: it matches identifiers other than one, and anyone can create an account, organization or endpoint that matches"),
        (#"{"StringLike": {"aws:SourceVpce": "vpce-*"}}"#,
         "value 'vpce-*' is a pattern: it matches identifiers other than one, and anyone can create an account, organization or endpoint that matches"),
        (#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-??????????/*"}}"#,
         "value 'o-?????????\u{3F}/*' does not name the organization literally: it matches paths of other organizations"),
        (#"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}"#, "value 'arn:aws:s3:::*' matches principals of every account"),
        (#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::33790974508?:role/ci"}}"#, "value 'arn:aws:iam::33790974508?:role/ci' matches principals of every account"),
    ])
    func conditionsThatDoNotNarrow(condition: String, reason: String) {
        let messages = findings(TrustAnyPrincipal.self, in: anyPrincipal(condition)).map(\.message)
        #expect(messages.count == 1, "\(condition)")
        #expect(messages.first?.hasSuffix(": " + reason) == true, "\(messages)")
    }

    @Test func denyAndIdentityPoliciesAreSilent() {
        #expect(findings(TrustAnyPrincipal.self, in: anyPrincipal("{}", effect: "Deny")).isEmpty)
        let identity = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
        #expect(findings(TrustAnyPrincipal.self, in: identity).isEmpty)
    }

    @Test func wildcardInAnAWSListIsReportedOnce() {
        let source = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*", "arn:aws:iam::337909745089:root", "*"]}, "Action": "sts:AssumeRole"}]}"#
        #expect(findings(TrustAnyPrincipal.self, in: source).map(\.pointer.description) == ["/Statement/0/Principal/AWS/0"])
    }

    // MARK: TRUST002

    let design = Design(file: "iam-audit.json", account: "337909745089")

    func crossAccount(_ principal: String, action: String = "\"sts:AssumeRole\"", condition: String = "{}") -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": \(principal)}, "Action": \(action), "Condition": \(condition)}]}
        """
    }

    @Test func sessionAndUserARNsOfAnotherAccountAreReported() {
        let source = crossAccount(#"["arn:aws:sts::444455556666:assumed-role/vendor/session", "arn:aws:iam::444455556666:user/bot", "arn:aws:iam::337909745089:user/ops"]"#)
        let reported = findings(TrustCrossAccountWithoutExternalId.self, in: source, design: design)
        #expect(reported.map(\.pointer.description) == ["/Statement/0/Principal/AWS/0", "/Statement/0/Principal/AWS/1"])
        #expect(reported.first?.message
            == "principal 'arn:aws:sts::444455556666:assumed-role/vendor/session' of account 444455556666, not the design's account 337909745089, may assume the role without an sts:ExternalId condition")
    }

    @Test func actionsMustCoverAssumeRole() {
        #expect(findings(TrustCrossAccountWithoutExternalId.self, in: crossAccount(#""444455556666""#, action: #""sts:*""#), design: design).count == 1)
        #expect(findings(TrustCrossAccountWithoutExternalId.self, in: crossAccount(#""444455556666""#, action: #""sts:AssumeRole*""#), design: design).count == 1)
        #expect(findings(TrustCrossAccountWithoutExternalId.self, in: crossAccount(#""444455556666""#, action: #"["sts:TagSession"]"#), design: design).isEmpty)
    }

    @Test func negatedOrWildcardExternalIdDoesNotCount() {
        let negated = crossAccount(#""444455556666""#, condition: #"{"StringNotEquals": {"sts:ExternalId": "x"}}"#)
        #expect(findings(TrustCrossAccountWithoutExternalId.self, in: negated, design: design).first?.message
            == "account 444455556666, not the design's account 337909745089, may assume the role without an effective sts:ExternalId condition ('StringNotEquals' admits every value it does not list)")
    }

    @Test func aDesignWithoutAnAccountIsLikeNoDesign() {
        let source = crossAccount(#""444455556666""#)
        #expect(findings(TrustCrossAccountWithoutExternalId.self, in: source, design: Design(file: "iam-audit.json")).isEmpty)
    }

    // MARK: TRUST003

    @Test func notPrincipalMessages() {
        let listed = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"]}, "Action": "s3:GetObject", "Resource": "*"}]}"#
        #expect(findings(NotPrincipalWithAllow.self, in: listed).map(\.message)
            == ["'NotPrincipal' with 'Allow' grants every principal but the 2 principals listed, anonymous callers included"])
        let everyone = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#
        #expect(findings(NotPrincipalWithAllow.self, in: everyone).first?.message.hasPrefix("'NotPrincipal' \"*\" with 'Allow' leaves out every principal") == true)
    }
}
