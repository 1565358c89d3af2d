import Foundation
import IAMPolicy
import Testing

@Suite("YAML parser")
struct YAMLParserTests {
    let parser = YAMLParser()
    let cloudFormation = YAMLParser(options: YAMLParser.Options(cloudFormationTags: true))

    func parse(_ text: String) throws -> JSONNode {
        try parser.parse(text)
    }

    func syntaxError(_ bytes: [UInt8], parser: YAMLParser = YAMLParser()) -> YAMLSyntaxError? {
        do {
            _ = try parser.parseDocuments(bytes)
            return nil
        } catch {
            return error
        }
    }

    func syntaxError(_ text: String, parser: YAMLParser = YAMLParser()) -> YAMLSyntaxError? {
        syntaxError(Array(text.utf8), parser: parser)
    }

    /// The tree with every span emptied, to compare values alone.
    func withoutSpans(_ node: JSONNode) -> JSONNode {
        let none = SourceSpan(at: .start)
        switch node.value {
        case .array(let elements):
            return JSONNode(.array(elements.map(withoutSpans)), span: none)
        case .object(let members):
            return JSONNode(.object(members.map { JSONMember(key: $0.key, keySpan: none, value: withoutSpans($0.value)) }), span: none)
        default:
            return JSONNode(node.value, span: none)
        }
    }

    /// The value a JSON text parses to, without spans: how these tests write the tree they expect.
    func json(_ text: String) throws -> JSONNode {
        withoutSpans(try JSONParser().parse(text))
    }

    func expectSameValue(_ yaml: String, _ expected: String, parser: YAMLParser = YAMLParser(),
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tree = try parser.parse(yaml)
        #expect(withoutSpans(tree) == (try json(expected)), sourceLocation: sourceLocation)
    }

    // MARK: Collections

    @Test func blockMappingsAndSequencesIncludingCompactAndIndentlessForms() throws {
        let yaml = """
        top:
          - plain
          - key: v
            other: w
          - - nested
            - sequence
          -
            - on its own line
        indentless:
        - a
        - b
        empty:
        after: 1
        """
        try expectSameValue(yaml, """
        {"top": ["plain", {"key": "v", "other": "w"}, ["nested", "sequence"], ["on its own line"]],
         "indentless": ["a", "b"], "empty": null, "after": 1}
        """)
    }

    @Test func flowCollectionsOnOneLineAndOverSeveral() throws {
        try expectSameValue("{a: 1, b: [x, y], 'c': {d: e}}", #"{"a": 1, "b": ["x", "y"], "c": {"d": "e"}}"#)
        try expectSameValue("""
        list: [one,
          two, # a comment
          {three: 3},
        ]
        next: {"json":"like", "k":[1,2]}
        """, #"{"list": ["one", "two", {"three": 3}], "next": {"json": "like", "k": [1, 2]}}"#)
        // A `key: value` entry of a flow sequence is a mapping of one member; a key without a value is null.
        try expectSameValue("[a: 1, b, ? c]", #"[{"a": 1}, "b", {"c": null}]"#)
        try expectSameValue("{a, b: , c: d}", #"{"a": null, "b": null, "c": "d"}"#)
        // In flow a plain scalar holds `:` when no space follows (`a:1`), as URLs need.
        try expectSameValue("[http://example.com/x, a:1]", #"["http://example.com/x", "a:1"]"#)
    }

    @Test func explicitKeysWithScalarKeys() throws {
        try expectSameValue("? a\n: 1\n? b\nc: 3", #"{"a": 1, "b": null, "c": 3}"#)
        try expectSameValue("- ? x\n  : y", #"[{"x": "y"}]"#)
    }

    // MARK: Spans

    @Test func spansOfKeysValuesAndCollectionsAreOneBasedWithExclusiveEnds() throws {
        let text = """
        Statement:
          - Effect: Allow
            Action: [s3:GetObject, "s3:PutObject"]
        """
        let root = try parse(text)
        #expect(root.span.description == "1:1-3:43")
        let statement = try #require(root.member("Statement"))
        #expect(statement.keySpan.description == "1:1-1:10")
        #expect(statement.keySpan.end.offset == 9)
        #expect(statement.value.span.description == "2:3-3:43")
        let first = try #require(statement.value.arrayValue?.first)
        #expect(first.span.description == "2:5-3:43")
        #expect(first.member("Effect")?.keySpan.description == "2:5-2:11")
        #expect(first["Effect"]?.span.description == "2:13-2:18")
        #expect(first["Effect"]?.span.start.offset == 23)
        let action = try #require(first["Action"])
        #expect(action.span.description == "3:13-3:43")
        #expect(action.arrayValue?.map(\.span.description) == ["3:14-3:26", "3:28-3:42"])
    }

    @Test func scalarSpansCoverTheirText() throws {
        let text = """
        plain: first
          second
        quoted: 'it''s'
        literal: |
          one
          two

        empty:
        """
        let root = try parse(text)
        #expect(root["plain"]?.stringValue == "first second")
        #expect(root["plain"]?.span.description == "1:8-2:9")
        #expect(root["quoted"]?.stringValue == "it's")
        #expect(root["quoted"]?.span.description == "3:9-3:16")
        #expect(root["literal"]?.stringValue == "one\ntwo\n")
        #expect(root["literal"]?.span.description == "4:10-6:6")
        #expect(root["empty"]?.isNull == true)
        #expect(root["empty"]?.span.description == "8:7-8:7")
        #expect(root.span.description == "1:1-8:7")
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let root = try parse("\"ü€😀\": x\na: [é, k]")
        let k = try #require(root["a"]?.arrayValue?.last)
        #expect(k.span.start == SourcePosition(line: 2, column: 8, offset: 23))
        #expect(root.member("ü€😀")?.value.span.start.column == 8)
    }

    @Test func byteOrderMarkCarriageReturnsAndLoneCarriageReturns() throws {
        let root = try parser.parse([0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb: |\r\n  x\r\n  y\r\nc: 3\rd: 4".utf8))
        #expect(root.span.start == SourcePosition(line: 1, column: 1, offset: 3))
        #expect(root["b"]?.stringValue == "x\ny\n")
        #expect(root.member("c")?.keySpan.start.line == 5)
        #expect(root.member("d")?.keySpan.start == SourcePosition(line: 6, column: 1, offset: 30))
    }

    @Test func tabsMaySeparateButNeverIndentBlockStructure() throws {
        try expectSameValue("\t{\"a\": [1,\n\t\t2]}", #"{"a": [1, 2]}"#)
        try expectSameValue("key:\n  \t[1, 2]", #"{"key": [1, 2]}"#)
        #expect(syntaxError("a:\n\t- b")?.position.description == "2:1")
        #expect(syntaxError("a:\n  \tb: 1")?.position.description == "2:3")
    }

    // MARK: Scalars

    @Test func plainScalarsFoldAndStopAtCommentsOnlyAfterWhiteSpace() throws {
        try expectSameValue("""
        text: one
          two

          three
        hash: a#b # a comment
        colon: a:b
        url: https://example.com:443/x
        dash: -x
        """, #"{"text": "one two\nthree", "hash": "a#b", "colon": "a:b", "url": "https://example.com:443/x", "dash": "-x"}"#)
    }

    @Test func plainScalarsAreTypedByTheCoreSchema() throws {
        let root = try parse("""
        - null
        - Null
        - NULL
        - ~
        -
        - true
        - True
        - FALSE
        - 42
        - -7
        - +3
        - 0o17
        - 0x1F
        - 1.5
        - -2.5e3
        - .5
        - .inf
        - -.Inf
        - .NaN
        - yes
        - on
        - 1_000
        - 0x
        - 1e
        - "true"
        - '12'
        """)
        #expect(root.arrayValue?.map(\.value) == [
            .null, .null, .null, .null, .null,
            .bool(true), .bool(true), .bool(false),
            .number("42"), .number("-7"), .number("+3"), .number("0o17"), .number("0x1F"),
            .number("1.5"), .number("-2.5e3"), .number(".5"), .number(".inf"), .number("-.Inf"), .number(".NaN"),
            .string("yes"), .string("on"), .string("1_000"), .string("0x"), .string("1e"),
            .string("true"), .string("12"),
        ])
    }

    @Test func doubleQuotedEscapesOfYAML12() throws {
        let root = try parse(#"x: "\0\a\b\t\\#t\n\v\f\r\e\ \"\/\\\N\_\L\P\x41\u00e9\U0001F600\ud83d\ude00\ud800""#)
        #expect(root["x"]?.stringValue
            == "\u{0}\u{7}\u{8}\t\t\n\u{B}\u{C}\r\u{1B} \"/\\\u{85}\u{A0}\u{2028}\u{2029}Aé😀😀\u{FFFD}")
    }

    @Test func quotedScalarsFoldTheirLines() throws {
        try expectSameValue("""
        double: "one
          two

          three \\
          four"
        single: 'it''s
          folded'
        """, #"{"double": "one two\nthree four", "single": "it's folded"}"#)
    }

    @Test func literalAndFoldedBlockScalarsWithChompingAndIndentation() throws {
        try expectSameValue("""
        clip: |
          a
          b

        strip: |-
          a

        keep: |+
          a


        folded: >
          one
          two

          three
            indented
          four
        explicit: |2
            two more
          base
        reversed: >-2
           x
          y
        last: end
        """, #"""
        {"clip": "a\nb\n", "strip": "a", "keep": "a\n\n\n", "folded": "one two\nthree\n  indented\nfour\n",
         "explicit": "  two more\nbase\n", "reversed": " x\ny", "last": "end"}
        """#)
    }

    // MARK: Documents

    @Test func documentsDirectivesAndMarkers() throws {
        let documents = try parser.parseDocuments("""
        %YAML 1.2
        %TAG !e! tag:yaml.org,2002:
        ---
        a: !e!str 1
        ...
        # between documents
        --- second
        ---
        """)
        #expect(documents.map(withoutSpans) == [try json(#"{"a": "1"}"#), try json(#""second""#), try json("null")])
        #expect(try parser.parseDocuments("").isEmpty)
        #expect(try parser.parseDocuments("# only a comment\n").isEmpty)
        #expect(try parser.parseDocuments("%YAML 1.1\n---\nx").map(withoutSpans) == [try json(#""x""#)])
        // A byte order mark may open each document; an indentation indicator at the root counts from column 1.
        let second = try parser.parseDocuments("a: 1\n...\n\u{FEFF}--- |2\n   x\n")
        #expect(second.map(withoutSpans) == [try json(#"{"a": 1}"#), try json(#"" x\n""#)])
    }

    @Test func parseWantsExactlyOneDocument() {
        let second = syntaxErrorOfParse("a: 1\n---\nb: 2\n")
        #expect(second?.message == "a second YAML document starts here; expected one document")
        #expect(second?.position == SourcePosition(line: 2, column: 1, offset: 5))
        #expect(syntaxErrorOfParse("")?.message == "the file is empty")
        #expect(syntaxErrorOfParse("# nothing\n")?.message == "the file holds no YAML document")
    }

    func syntaxErrorOfParse(_ text: String) -> YAMLSyntaxError? {
        do {
            _ = try parser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Anchors, aliases, merge keys

    @Test func aliasesAreCopiesSpanningTheAliasText() throws {
        let root = try parse("""
        base: &b {x: 1, y: [2]}
        copy: *b
        """)
        #expect(withoutSpans(try #require(root["copy"])) == (try json(#"{"x": 1, "y": [2]}"#)))
        #expect(root["copy"]?.span.description == "2:7-2:9")
        // Inside the copy, nodes keep the spans of the text they were read from.
        #expect(root["copy"]?["x"]?.span.description == "1:14-1:15")
    }

    @Test func mergeKeysBringMembersAndExplicitKeysWin() throws {
        try expectSameValue("""
        defaults: &defaults {a: 1, b: 2}
        other: &other {b: 20, c: 30}
        one:
          <<: *defaults
          b: 3
        many:
          z: 0
          <<: [*defaults, *other]
        quoted:
          "<<": *defaults
        """, """
        {"defaults": {"a": 1, "b": 2}, "other": {"b": 20, "c": 30},
         "one": {"a": 1, "b": 3}, "many": {"z": 0, "a": 1, "b": 2, "c": 30}, "quoted": {"<<": {"a": 1, "b": 2}}}
        """)
        let error = syntaxError("a: &a x\nb:\n  <<: *a\n")
        #expect(error?.message == "a merge key ('<<') needs a mapping or a sequence of mappings")
        #expect(error?.position.description == "3:7")
    }

    @Test func anAliasNamesTheLatestNodeOfItsAnchor() throws {
        try expectSameValue("- &a first\n- *a\n- &a second\n- *a", #"["first", "first", "second", "second"]"#)
    }

    @Test func anchoredKeysAndAliasKeys() throws {
        try expectSameValue("&k key: 1\n*k : 2", #"{"key": 1, "key": 2}"#)
    }

    // MARK: Keys

    @Test func keysAreStringsAndDuplicatesAreKept() throws {
        let root = try parse("""
        on: push
        1: one
        true: yes
        ~: tilde
        Effect: Deny
        Effect: Allow
        """)
        #expect(root.objectValue?.map(\.key) == ["on", "1", "true", "~", "Effect", "Effect"])
        #expect(root["on"]?.stringValue == "push")
        #expect(root["Effect"]?.stringValue == "Allow")
        #expect(root.duplicateMembers.map(\.keySpan.description) == ["6:1-6:7"])
    }

    // MARK: Tags

    @Test func coreTagsAreHonoured() throws {
        try expectSameValue("""
        s: !!str 12
        i: !!int "12"
        f: !!float 1
        b: !!bool "TRUE"
        n: !!null ""
        m: !!map {a: 1}
        q: !!seq [1]
        e: !!str
        v: !<tag:yaml.org,2002:int> '7'
        x: ! 12
        """, #"{"s": "12", "i": 12, "f": 1, "b": true, "n": null, "m": {"a": 1}, "q": [1], "e": "", "v": 7, "x": "12"}"#)
        #expect(syntaxError("a: !!int twelve")?.message == "'twelve' cannot be read as !!int")
        #expect(syntaxError("a: !!map [1]")?.message == "a sequence cannot be read as !!map")
        let binary = syntaxError("a:\n  - !!binary aGk=")
        #expect(binary?.message == "the tag '!!binary' is not supported (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq)")
        #expect(binary?.position.description == "2:5")
        #expect(syntaxError("a: !!set {x}")?.position.description == "1:4")
    }

    @Test func cloudFormationShortFormsBecomeLongForms() throws {
        try expectSameValue("""
        Ref: !Ref Bucket
        Condition: !Condition IsProd
        SubScalar: !Sub 'arn:aws:s3:::${Bucket}/*'
        SubList: !Sub
          - 'arn:${Partition}:s3:::${Name}'
          - Name: !Ref Bucket
        GetAtt: !GetAtt Role.Arn
        GetAttDeep: !GetAtt Balancer.SourceSecurityGroup.OwnerAlias
        GetAttList: !GetAtt [Role, Arn]
        Join: !Join [':', [a, !Ref B]]
        If: !If [IsProd, !Ref A, !Ref 'AWS::NoValue']
        Select: !Select [0, !GetAZs '']
        Split: !Split [',', !ImportValue Shared]
        FindInMap: !FindInMap [Map, !Ref 'AWS::Region', Ami]
        Base64: !Base64 |
          #!/bin/sh
        Cidr: !Cidr [10.0.0.0/16, 4, 8]
        Logic: !And [!Equals [a, b], !Or [!Not [!Condition C], !Condition D]]
        Transform: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}
        Length: !Length [1, 2]
        ToJsonString: !ToJsonString {a: 1}
        GetAZs: !GetAZs
        """, #"""
        {"Ref": {"Ref": "Bucket"}, "Condition": {"Condition": "IsProd"},
         "SubScalar": {"Fn::Sub": "arn:aws:s3:::${Bucket}/*"},
         "SubList": {"Fn::Sub": ["arn:${Partition}:s3:::${Name}", {"Name": {"Ref": "Bucket"}}]},
         "GetAtt": {"Fn::GetAtt": ["Role", "Arn"]},
         "GetAttDeep": {"Fn::GetAtt": ["Balancer", "SourceSecurityGroup.OwnerAlias"]},
         "GetAttList": {"Fn::GetAtt": ["Role", "Arn"]},
         "Join": {"Fn::Join": [":", ["a", {"Ref": "B"}]]},
         "If": {"Fn::If": ["IsProd", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
         "Select": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
         "Split": {"Fn::Split": [",", {"Fn::ImportValue": "Shared"}]},
         "FindInMap": {"Fn::FindInMap": ["Map", {"Ref": "AWS::Region"}, "Ami"]},
         "Base64": {"Fn::Base64": "#!/bin/sh\n"},
         "Cidr": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
         "Logic": {"Fn::And": [{"Fn::Equals": ["a", "b"]}, {"Fn::Or": [{"Fn::Not": [{"Condition": "C"}]}, {"Condition": "D"}]}]},
         "Transform": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}},
         "Length": {"Fn::Length": [1, 2]},
         "ToJsonString": {"Fn::ToJsonString": {"a": 1}},
         "GetAZs": {"Fn::GetAZs": ""}}
        """#, parser: cloudFormation)
    }

    @Test func cloudFormationShortFormSpans() throws {
        let root = try cloudFormation.parse("Role: !GetAtt MyRole.Arn\nName: !Sub\n  - x-${A}\n  - {}\n")
        let getAtt = try #require(root["Role"])
        #expect(getAtt.span.description == "1:7-1:25")
        #expect(getAtt.member("Fn::GetAtt")?.keySpan.description == "1:7-1:25")
        #expect(getAtt["Fn::GetAtt"]?.arrayValue?.map(\.span.description) == ["1:15-1:21", "1:22-1:25"])
        let sub = try #require(root["Name"])
        #expect(sub.span.description == "2:7-4:7")
        #expect(sub["Fn::Sub"]?.span.description == "3:3-4:7")
    }

    @Test func unknownAndDisabledLocalTagsAreErrors() {
        let unknown = syntaxError("Resources:\n  X: !Frobnicate y", parser: cloudFormation)
        #expect(unknown?.message == "unknown tag '!Frobnicate': not a CloudFormation short-form function")
        #expect(unknown?.position == SourcePosition(line: 2, column: 6, offset: 16))
        let disabled = syntaxError("X: !Ref y")
        #expect(disabled?.message == "the local tag '!Ref' is not supported (CloudFormation short forms are not enabled)")
        #expect(disabled?.position.description == "1:4")
        #expect(syntaxError("X: !GetAtt NoAttribute", parser: cloudFormation)?.message
            == "!GetAtt needs 'Resource.Attribute', not 'NoAttribute'")
    }

    // MARK: Realistic files

    @Test func samTemplateExcerpt() throws {
        let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Description: >
          Channel router for the messaging service.
        Parameters:
          Environment:
            Type: String
            AllowedValues: [dev, prod]
        Resources:
          ChannelRouterFunction:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: !Sub 'channel-router-${Environment}'
              Handler: app.handler
              Timeout: 30
              Role: !GetAtt ChannelRouterRole.Arn
              Environment:
                Variables:
                  QUEUE_URL: !Ref WhatsAppQueue
          ChannelRouterRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: '2012-10-17'
                Statement:
                  - Effect: Allow
                    Principal:
                      Service: lambda.amazonaws.com
                    Action: sts:AssumeRole
              Policies:
                - PolicyName: send-to-queue
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action:
                          - sqs:SendMessage
                        Resource: !GetAtt WhatsAppQueue.Arn
                      - Effect: Allow
                        Action: logs:*    # wider than it needs
                        Resource: !Join
                          - ''
                          - - 'arn:aws:logs:'
                            - !Ref AWS::Region
                            - ':log-group:/aws/lambda/*'
          WhatsAppQueue:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub ai-multi-comms-whatsapp-queue-${Environment}
        """
        try expectSameValue(template, #"""
        {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
         "Description": "Channel router for the messaging service.\n",
         "Parameters": {"Environment": {"Type": "String", "AllowedValues": ["dev", "prod"]}},
         "Resources": {
          "ChannelRouterFunction": {"Type": "AWS::Serverless::Function", "Properties": {
            "FunctionName": {"Fn::Sub": "channel-router-${Environment}"}, "Handler": "app.handler", "Timeout": 30,
            "Role": {"Fn::GetAtt": ["ChannelRouterRole", "Arn"]},
            "Environment": {"Variables": {"QUEUE_URL": {"Ref": "WhatsAppQueue"}}}}},
          "ChannelRouterRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "send-to-queue", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": {"Fn::GetAtt": ["WhatsAppQueue", "Arn"]}},
              {"Effect": "Allow", "Action": "logs:*", "Resource": {"Fn::Join": ["", [
                "arn:aws:logs:", {"Ref": "AWS::Region"}, ":log-group:/aws/lambda/*"]]}}]}}]}},
          "WhatsAppQueue": {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": {"Fn::Sub": "ai-multi-comms-whatsapp-queue-${Environment}"}}}}}
        """#, parser: cloudFormation)
        let root = try cloudFormation.parse(template)
        let statement = try #require(root.resolve(JSONPointer(
            tokens: ["Resources", "ChannelRouterRole", "Properties", "Policies", "0", "PolicyDocument", "Statement", "1"])))
        #expect(statement["Action"]?.span.description == "40:25-40:31")
        #expect(statement.span.start.description == "39:17")
    }

    @Test func gitHubWorkflow() throws {
        try expectSameValue("""
        name: Deploy
        on:
          push:
            branches: [main]
          pull_request:
        permissions:
          id-token: write
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - uses: actions/checkout@v4
              - name: Configure AWS credentials
                uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
                with:
                  role-to-assume: ${{ secrets.DEPLOY_ROLE_ARN }}
                  aws-region: eu-west-2
              - run: |
                  sam build
                  sam deploy --no-confirm-changeset
                if: github.ref == 'refs/heads/main'
        """, #"""
        {"name": "Deploy", "on": {"push": {"branches": ["main"]}, "pull_request": null},
         "permissions": {"id-token": "write", "contents": "read"},
         "jobs": {"deploy": {"runs-on": "ubuntu-latest", "environment": "production", "steps": [
           {"uses": "actions/checkout@v4"},
           {"name": "Configure AWS credentials",
            "uses": "aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502",
            "with": {"role-to-assume": "${{ secrets.DEPLOY_ROLE_ARN }}", "aws-region": "eu-west-2"}},
           {"run": "sam build\nsam deploy --no-confirm-changeset\n", "if": "github.ref == 'refs/heads/main'"}]}}}
        """#)
    }

    @Test func everyJSONFixtureReadsAsTheSameValueInYAML() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fixtures = root.appendingPathComponent("fixtures")
        let enumerator = try #require(FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil))
        var compared = 0
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let bytes = try Array(Data(contentsOf: url))
            guard let expected = try? JSONParser().parse(bytes) else { continue }
            let tree = try parser.parse(bytes)
            #expect(withoutSpans(tree) == withoutSpans(expected), "\(url.path)")
            compared += 1
        }
        #expect(compared > 20)
    }

    // MARK: Errors

    @Test func errorsNameTheirPosition() {
        let cases: [(String, String, String)] = [
            ("a:\n\tb: 1", "2:1", "a tab indents this line; YAML indents with spaces only"),
            ("a: [1, 2\nb: 3", "1:4", "unclosed flow sequence: this '[' has no matching ']'"),
            ("a: {b: 1", "1:4", "unclosed flow mapping: this '{' has no matching '}'"),
            ("a:\n  b: 1\n c: 2", "3:2", "bad indentation: this line is indented more than its mapping's keys (column 1)"),
            ("- 'a'\n  - b", "2:3", "bad indentation: this line is indented more than its sequence's entries (column 1)"),
            ("a: *later\nb: &later 1", "1:4", "undefined alias '*later' (an alias must follow its anchor '&later')"),
            ("a: b: c", "1:5", "a mapping value is not allowed here (a ': ' inside a plain scalar, or a key on the line of another key?)"),
            ("key: - a", "1:6", "a block sequence cannot start on this line; start it on the next line, indented"),
            ("[a]: b", "1:1", "a flow mapping or sequence cannot be a mapping key (complex keys are not supported)"),
            ("? [a]\n: b", "1:3", "a mapping or sequence cannot be a mapping key (complex keys are not supported)"),
            ("a: \"open", "1:4", "unterminated double-quoted string"),
            ("a: 'open\n---\n", "1:4", "unterminated single-quoted string (a document marker inside it)"),
            ("a: \"\\q\"", "1:5", "invalid escape sequence: a backslash followed by 'q' in a double-quoted string"),
            ("a: |0\n x", "1:5", "unexpected '0' in a block scalar's header (expected an indentation digit 1-9, '-' or '+')"),
            ("a: 1\n- b", "2:1", "a sequence entry cannot stand among a mapping's keys"),
            ("- a\nb: 1", "2:1", "unexpected 'b' after the end of the document's root node (check its indentation)"),
            ("a: @x", "1:4", "unexpected '@', expected a value"),
            ("%YAML 2.0\n---\na", "1:7", "YAML version 2.0 is not supported (YAML 1.x only)"),
            ("%YAML 1.2\na: 1", "1:1", "a directive must be followed by a document ('---')"),
            ("a: !x!y z", "1:4", "undeclared tag handle '!x!' (declare it with a %TAG directive)"),
            ("a: &x *y", "1:7", "an alias cannot have an anchor or a tag"),
            ("a: [b, |c]", "1:8", "a block scalar cannot stand inside a flow collection"),
        ]
        for (text, position, message) in cases {
            let error = syntaxError(text)
            #expect(error?.position.description == position, "\(text)")
            if !message.isEmpty { #expect(error?.message == message, "\(text)") }
        }
    }

    @Test func messagesQuotingLongTextAreClipped() {
        let key = String(repeating: "k", count: 100_000)
        let error = syntaxError("a: 1\n\(key)\n")
        #expect(error?.position.description == "2:100001")
        #expect(error?.message.hasPrefix("expected ':' after the mapping key 'kkk") == true)
        #expect(error?.message.hasSuffix("kkk'") == true)
        #expect((error?.message.count ?? 0) < 500)
    }

    @Test func invalidBytesAreErrors() {
        let utf8 = syntaxError(Array("a: x".utf8) + [0xFF])
        #expect(utf8?.message == "invalid UTF-8: byte 0xFF")
        #expect(utf8?.position == SourcePosition(line: 1, column: 5, offset: 4))
        #expect(syntaxError(Array("a: \u{1}".utf8))?.message == "control character 0x1 in the file")
        #expect(syntaxError([0xFF, 0xFE, 0x61, 0x00])?.message == "the file is UTF-16 encoded; YAML files must be UTF-8")
    }

    // MARK: Bounds

    @Test func aliasBombEndsWithAnError() {
        var lines = [#"a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]"#]
        let names = Array("abcdefghij")
        for level in 1..<names.count {
            let alias = "*\(names[level - 1])"
            lines.append("\(names[level]): &\(names[level]) [\(Array(repeating: alias, count: 9).joined(separator: ", "))]")
        }
        let error = syntaxError(lines.joined(separator: "\n"))
        #expect(error?.message == "aliases expand to more than 100000 nodes")
        #expect(error?.position.line == 6)
        let small = YAMLParser(options: YAMLParser.Options(maxAliasExpansion: 10))
        // `&a` holds four nodes: the third copy passes ten.
        #expect(syntaxError("a: &a [1, 2, 3]\nb: [*a, *a]", parser: small) == nil)
        #expect(syntaxError("a: &a [1, 2, 3]\nb: [*a, *a, *a]", parser: small)?.position.description == "2:13")
    }

    @Test func deepNestingEndsWithAnErrorBeforeTheStackDoes() {
        let brackets = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(syntaxError(brackets)?.message == "nesting deeper than 512 levels")
        #expect(syntaxError(brackets)?.position.description == "1:513")
        let entries = String(repeating: "- ", count: 100_000) + "x"
        #expect(syntaxError(entries)?.message == "nesting deeper than 512 levels")
        let mappings = (0..<1_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(syntaxError(mappings)?.position.description == "513:513")
        let braces = "a: " + String(repeating: "{a: [", count: 50_000)
        #expect(syntaxError(braces)?.message == "nesting deeper than 512 levels")
        let limited = YAMLParser(options: YAMLParser.Options(maxDepth: 2))
        #expect(syntaxError("a: [[1]]", parser: limited)?.position.description == "1:5")
        #expect(syntaxError("a: [1]", parser: limited) == nil)
    }
}
