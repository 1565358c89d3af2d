@testable import IAMAuditRules
import Testing

@Suite("Value syntax: IP addresses and CIDR blocks")
struct CIDRBlockTests {
    @Test(arguments: [
        ("203.0.113.0/24", CIDRBlock.Family.ipv4, 24),
        ("198.51.100.7", .ipv4, 32),
        ("0.0.0.0/0", .ipv4, 0),
        ("255.255.255.255/32", .ipv4, 32),
        ("2001:DB8:1234:5678::/64", .ipv6, 64),
        ("2001:db8::1", .ipv6, 128),
        ("::", .ipv6, 128),
        ("::/0", .ipv6, 0),
        ("::1", .ipv6, 128),
        ("fe80::", .ipv6, 128),
        ("1:2:3:4:5:6:7::", .ipv6, 128),
        ("::2:3:4:5:6:7:8", .ipv6, 128),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", .ipv6, 128),
        ("::ffff:192.0.2.1", .ipv6, 128),
        ("64:ff9b::192.0.2.33/120", .ipv6, 120),
        ("2001:db8::/128", .ipv6, 128),
    ])
    func valid(_ text: String, family: CIDRBlock.Family, prefix: Int) throws {
        let block = try #require(CIDRBlock(parsing: text))
        #expect(block.family == family)
        #expect(block.prefixLength == prefix)
        #expect(block.address.count == (family == .ipv4 ? 4 : 16))
        #expect(CIDRBlock.defect(in: text) == nil)
    }

    @Test func ipv6BytesExpandCompression() throws {
        let block = try #require(CIDRBlock(parsing: "2001:db8::ff00:42:8329"))
        #expect(block.address == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29])
        let mapped = try #require(CIDRBlock(parsing: "::ffff:192.0.2.1"))
        #expect(mapped.address.suffix(6) == [0xff, 0xff, 192, 0, 2, 1])
    }

    @Test(arguments: [
        ("10.0.0.256", "octet 256 is above 255"),
        ("10.0.0.0/33", "prefix length /33 is above /32"),
        ("2001:db8::/129", "prefix length /129 is above /128"),
        ("10.0.0/8", nil),
        ("10.0.0.0.0", nil),
        ("10.0.0.0/", nil),
        ("10.0.0.0/-1", nil),
        ("10.0.0.0/8/8", nil),
        ("1.2.3.04444", nil),
        ("", nil),
        ("any", nil),
        ("2001:db8:::1", nil),
        ("2001:db8::1::1", nil),
        ("1:2:3:4:5:6:7:8:9", nil),
        ("1:2:3:4:5:6:7:8::", nil),
        ("1:2:3:4:5:6:7", nil),
        (":1:2:3:4:5:6:7", nil),
        ("2001:db8::g", nil),
        ("12345::", nil),
        ("fe80::1%eth0", nil),
        ("::ffff:192.0.2.256", nil),
        ("::192.0.2.1:1", nil),
    ] as [(String, String?)])
    func invalid(_ text: String, reason: String?) {
        #expect(CIDRBlock(parsing: text) == nil)
        let defect = CIDRBlock.defect(in: text)
        #expect(defect != nil)
        if let reason { #expect(defect == reason) }
    }
}

@Suite("Value syntax: dates, numbers, booleans and base64")
struct ConditionValueTextTests {
    @Test(arguments: [
        "2026", "2026-01", "2026-01-01", "2026-01-01T00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T23:59:59.999Z",
        "2026-06-30T12:00:00+02:00", "2026-06-30T12:00:00-0530", "2026-01-01T10:00:00", "2024-02-29", "2026-12-31T23:59:60Z",
    ])
    func validDates(_ text: String) {
        #expect(W3CDateTime.isValid(text))
    }

    @Test(arguments: [
        "01/02/2026", "2026-1-1", "2026-13-01", "2026-00-10", "2026-02-29", "2026-04-31", "2026-01-01 00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T10:60Z", "2026-01-01T10:00:00.Z", "2026-01-01T10:00:00+2", "2026-01-01TZ",
        "20260101", "26-01-01", "2026-01-01T10:00:00Zjunk", "", "now",
    ])
    func invalidDates(_ text: String) {
        #expect(!W3CDateTime.isValid(text))
    }

    @Test func epochSecondsAndDecimals() {
        #expect(ConditionValueText.isEpochSeconds("1767225600"))
        #expect(!ConditionValueText.isEpochSeconds("1.7e9"))
        #expect(!ConditionValueText.isEpochSeconds(""))
        for text in ["10", "-3", "+4", "1.2", "0.001"] { #expect(ConditionValueText.isDecimal(text), "\(text)") }
        for text in ["ten", "1.", ".5", "1.2.3", "", "-", "1e3", "10 "] { #expect(!ConditionValueText.isDecimal(text), "\(text)") }
    }

    @Test func booleans() {
        for text in ["true", "false", "True", "FALSE"] { #expect(ConditionValueText.isBoolean(text)) }
        for text in ["yes", "1", "", "truee"] { #expect(!ConditionValueText.isBoolean(text)) }
    }

    @Test func base64() {
        for text in ["QmluYXJ5VmFsdWVJbkJhc2U2NA==", "YWJj", "YWI=", "YQ==", "YWI", "a+/b"] { #expect(ConditionValueText.isBase64(text), "\(text)") }
        for text in ["not base64!", "", "YQ===", "Y", "YWJjZ", "YW=I", "YQ=", "a-_b"] { #expect(!ConditionValueText.isBase64(text), "\(text)") }
    }
}

@Suite("Value syntax: ARNs, Regions, accounts and policy variables")
struct ARNSyntaxTests {
    @Test(arguments: [
        "arn:aws:iam::337909745089:role/deploy",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:sts::337909745089:assumed-role/ops/alice",
        "arn:aws:s3:::example-bucket",
        "arn:aws:s3:::example-bucket/home/${aws:username}/*",
        "arn:aws:s3:us-east-1:123456789012:accesspoint/reports",
        "arn:aws:s3:us-west-2:123456789012:job/abc",
        "arn:aws:sqs:eu-north-1:337909745089:queue",
        "arn:aws-us-gov:sqs:us-gov-west-1:337909745089:queue",
        "arn:aws-cn:lambda:cn-north-1:337909745089:function:f",
        "arn:aws:bedrock:ap-southeast-5:337909745089:agent/x",
        "arn:aws-eusc:sqs:eusc-de-east-1:337909745089:queue",
        "arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31",
        "arn:aws:logs:*:*:log-group:/aws/lambda/x-*",
        "arn:aws:dynamodb:eu-north-?:33790974508*:table/t",
        "arn:aws:iam::${aws:PrincipalAccount}:role/x",
        "arn:aws:cloudfront::337909745089:distribution/EDFDVBD632BHDS5",
        "arn:aws:route53:::hostedzone/Z23ABC4XYZL05B",
        "arn:aws:apigateway:*::/restapis/*",
        "arn:aws:lambda:eu-north-1:337909745089:function:f:$LATEST",
        "arn:*:s3:::bucket",
        "arn:aws:s3:*:123456789012:*",
    ])
    func wellFormed(_ arn: String) {
        #expect(ARNDefect.find(in: arn) == nil)
    }

    @Test(arguments: [
        ("example-bucket", ARNDefect.notAnARN),
        ("ARN:aws:s3:::b", .notAnARN),
        ("arn:aws:iam::-provider/token.actions.githubusercontent.com", .missingFields(5)),
        ("arn:aws:s3", .missingFields(3)),
        ("arn:amazon:s3:::b", .unknownPartition("amazon", suggestion: nil)),
        ("arn:AWS:s3:::b", .unknownPartition("AWS", suggestion: "aws")),
        ("arn:aws-gov:s3:::b", .unknownPartition("aws-gov", suggestion: "aws-us-gov")),
        ("arn:aws::eu-north-1:337909745089:x", .emptyService),
        ("arn:aws:S3:::b", .invalidService("S3")),
        ("arn:aws:iam:us-east-1:337909745089:role/x", .regionNotAllowed(service: "iam", region: "us-east-1")),
        ("arn:aws:cloudfront:us-east-1:337909745089:distribution/X", .regionNotAllowed(service: "cloudfront", region: "us-east-1")),
        ("arn:aws:route53:us-east-1::hostedzone/Z", .regionNotAllowed(service: "route53", region: "us-east-1")),
        ("arn:aws:s3:eu-north-1::bucket", .regionNotAllowed(service: "s3", region: "eu-north-1")),
        ("arn:aws:s3::337909745089:bucket/key", .accountNotAllowed("337909745089")),
        ("arn:aws:sqs:eu-north1:337909745089:q", .invalidRegion("eu-north1", suggestion: "eu-north-1")),
        ("arn:aws:sqs:EU-NORTH-1:337909745089:q", .invalidRegion("EU-NORTH-1", suggestion: "eu-north-1")),
        ("arn:aws:sqs:europe:337909745089:q", .invalidRegion("europe", suggestion: nil)),
        ("arn:aws:sqs:REGION:337909745089:q", .placeholderRegion("REGION")),
        ("arn:aws:sqs:${AWS_REGION}:337909745089:q", .placeholderRegion("${AWS_REGION}")),
        ("arn:aws:iam:::role/x", .missingAccount(service: "iam")),
        ("arn:aws:iam::YOUR_ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com", .placeholderAccount("YOUR_ACCOUNT_ID")),
        ("arn:aws:iam::{AWS_ACCOUNT_ID}:oidc-provider/x", .placeholderAccount("{AWS_ACCOUNT_ID}")),
        ("arn:aws:iam::${AWS_ACCOUNT_ID}:oidc-provider/x", .placeholderAccount("${AWS_ACCOUNT_ID}")),
        ("arn:aws:iam::ACCOUNT_ID:role/x", .placeholderAccount("ACCOUNT_ID")),
        ("arn:aws:iam::<account-id>:role/x", .placeholderAccount("<account-id>")),
        ("arn:aws:iam::33790974508:root", .invalidAccount("33790974508")),
        ("arn:aws:iam::3379-0974-5089:root", .invalidAccount("3379-0974-5089")),
        ("arn:aws:s3:::", .emptyResource),
    ])
    func defects(_ arn: String, expected: ARNDefect) {
        #expect(ARNDefect.find(in: arn) == expected)
    }

    @Test func fieldsKeepPolicyVariablesWhole() {
        #expect(ARNFields.fields(of: "arn:aws:iam::${aws:PrincipalAccount}:role/a:b") == ["arn", "aws", "iam", "", "${aws:PrincipalAccount}", "role/a:b"])
        #expect(ARNFields(parsing: "arn:aws:s3:::b")?.resource == "b")
    }

    @Test func regionCodes() {
        for region in ["us-east-1", "eu-north-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "us-isob-east-1", "eusc-de-east-1", "il-central-1"] {
            #expect(AWSRegionCode.isValid(region), "\(region)")
        }
        for region in ["eu-north1", "EU-NORTH-1", "us-east", "east-1", "u-east-1", "us--east-1", "us-east-1a", ""] {
            #expect(!AWSRegionCode.isValid(region), "\(region)")
        }
        #expect(AWSRegionCode.correction(for: "us_east_1") == "us-east-1")
        #expect(AWSRegionCode.correction(for: "us-east-1") == nil)
    }

    @Test func policyVariables() {
        for text in ["${aws:username}", "${aws:PrincipalTag/team}", "${aws:username, 'nobody'}", "${*}", "${?}", "${$}",
                     "${token.actions.githubusercontent.com:sub}"] {
            #expect(PolicyVariable.isVariable(text), "\(text)")
        }
        for text in ["${AWS_ACCOUNT_ID}", "${AWS::Partition}", "{aws:username}", "$aws:username", "${}", "${:x}"] {
            #expect(!PolicyVariable.isVariable(text), "\(text)")
        }
        #expect(PolicyVariable.removingVariables(from: "home/${aws:username}/*") == "home//*")
        #expect(PolicyVariable.removingVariables(from: "repo:${GITHUB_ORG}/*") == "repo:${GITHUB_ORG}/*")
    }
}

@Suite("Edit distance and suggestions")
struct EditDistanceTests {
    @Test func distances() {
        #expect(EditDistance.distance("StringEqual", "StringEquals") == 1)
        #expect(EditDistance.distance("StirngLike", "StringLike") == 1)
        #expect(EditDistance.distance("", "abc") == 3)
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("same", "same") == 0)
    }

    /// The bounded distance stops early only when the distance is over the bound; at or under it, it is exact.
    /// Checked over every pair of a set of near and far words, ASCII and not, at every bound up to 6.
    @Test func boundedDistanceAgreesWithTheFullOne() {
        let words = ["", "a", "ab", "ba", "abc", "acb", "GetObject", "GetObjekt", "getobject", "PutObject", "teGObjcte",
                     "ListBuckets", "lamda", "lambda", "InvokeFunction", "InvokeFuntcion", "Zugriff", "Zugriffé",
                     "Ärzte", "Arzte", "ÄrzteÄ", "s3:GetObject", "s3:Get*"]
        for lhs in words {
            for rhs in words {
                let full = EditDistance.distance(lhs, rhs)
                for limit in 0...6 {
                    let bounded = EditDistance.distance(lhs, rhs, limit: limit)
                    if full <= limit { #expect(bounded == full, "\(lhs) \(rhs) \(limit)") } else { #expect(bounded > limit, "\(lhs) \(rhs) \(limit)") }
                }
            }
        }
        #expect(EditDistance.distance("Ärzte", "Arzte") == 1)
        #expect(EditDistance.distance("ab", "ba") == 1)
    }

    @Test func suggestions() {
        #expect(EditDistance.suggestion(for: "stringequals", among: ["StringEquals", "StringLike"], maxDistance: 1) == "StringEquals")
        #expect(EditDistance.suggestion(for: "Federation", among: ["AWS", "Service", "Federated", "CanonicalUser"], maxDistance: 3) == "Federated")
        #expect(EditDistance.suggestion(for: "Completely", among: ["AWS", "Service"], maxDistance: 3) == nil)
    }

    @Test(arguments: [
        ("StringEqual", "StringEquals"),
        ("stringEquals", "StringEquals"),
        ("ForAnyValues:StringLike", "ForAnyValue:StringLike"),
        ("forallvalues:stringequals", "ForAllValues:StringEquals"),
        ("ForAnyValueStringLike", "ForAnyValue:StringLike"),
        ("StringLikeIfexists", "StringLikeIfExists"),
        ("DateGreaterThen", "DateGreaterThan"),
        ("IPAddress", "IpAddress"),
        ("Boolean", "Bool"),
        ("ArnLikes", "ArnLike"),
    ])
    func operatorSuggestions(_ written: String, expected: String) {
        #expect(UnknownConditionOperator.suggestion(for: written) == expected)
    }

    @Test func noSuggestionForNonsense() {
        #expect(UnknownConditionOperator.suggestion(for: "Whatever:Something") == nil)
    }
}
