import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

@Suite("Design loading")
struct DesignLoaderTests {
    @Test("the DESIGN.md §5 example loads")
    func exampleLoads() throws {
        let design = try DesignFixtures.design(DesignFixtures.example)
        #expect(design.file == "policies/iam-audit.json")
        #expect(design.version == 1)
        #expect(design.partition == "aws")
        #expect(design.account == "337909745089")
        #expect(design.region == "eu-north-1")
        #expect(design.github == Design.GitHub(repository: "junksamiad/template-sender-engine", audience: "sts.amazonaws.com"))
        #expect(design.resources.keys.sorted() == ["dynamodb", "lambda", "logs", "sqs"])
        #expect(design.resources["sqs"] == ["arn:${partition}:sqs:${region}:${account}:ai-multi-comms-*-queue-${env}"])
        #expect(design.environments.map(\.name) == ["dev", "prod"])

        let dev = try #require(design.environment(named: "dev"))
        #expect(dev.branch == "develop")
        #expect(dev.githubEnvironment == "dev")
        #expect(dev.stackName == "ai-multi-comms-dev")
        #expect(dev.role == "GitHubActions-template-sender-engine-dev")
        #expect(dev.trustPolicy == "dev/trust-policy.json")
        #expect(dev.permissionPolicies == ["dev/permissions-policy.json"])
        #expect(dev.subjects.isEmpty)
        #expect(dev.resources.isEmpty)

        let prod = try #require(design.environment(named: "prod"))
        #expect(prod.branch == "main")
        #expect(prod.trustPolicy == "prod/trust-policy.json")

        let ignore = try #require(design.ignore.first)
        #expect(design.ignore.count == 1)
        #expect(ignore.rule == "PRIV002")
        #expect(ignore.path == "prod/permissions-policy.json")
        #expect(ignore.pointer == JSONPointer(tokens: ["Statement", "3"]))
        #expect(ignore.reason == "ValidateTemplate supports no resource-level permissions")
        #expect(ignore.expires == nil)
        #expect(ignore.pointerInDesign == JSONPointer(tokens: ["ignore", "0"]))
        #expect(ignore.span.start.line == 30)
        #expect(ignore.span.start.column == 5)
    }

    @Test("policy paths reach fileExists resolved against the design file's folder")
    func fileExistsReceivesResolvedPaths() {
        let text = """
        {"version": 1, "environments": {"dev": {"trustPolicy": "./dev/trust.json",
          "permissionPolicies": ["dev/../dev/perm.json", "nested/deeper/p.json"]}}}
        """
        let asked = PathsAsked()
        _ = DesignLoader.load(file: "policies/iam-audit.json", bytes: Array(text.utf8)) { asked.paths.append($0); return true }
        #expect(asked.paths == ["policies/dev/trust.json", "policies/dev/perm.json", "policies/nested/deeper/p.json"])

        asked.paths = []
        _ = DesignLoader.load(file: "iam-audit.json", bytes: Array(text.utf8)) { asked.paths.append($0); return true }
        #expect(asked.paths == ["dev/trust.json", "dev/perm.json", "nested/deeper/p.json"])
    }

    @Test("optional values load", arguments: [
        (#""ownerId": "12345", "repositoryId": "67890""#, "12345", "67890"),
        ("", nil, nil),
    ] as [(String, String?, String?)])
    func githubIds(members: String, ownerId: String?, repositoryId: String?) throws {
        let separator = members.isEmpty ? "" : ", "
        let design = try DesignFixtures.design("""
        {"version": 1, "github": {"repository": "o/r"\(separator)\(members)}, "environments": {"dev": {}}}
        """)
        #expect(design.github?.ownerId == ownerId)
        #expect(design.github?.repositoryId == repositoryId)
        #expect(design.github?.audience == nil)
        #expect(design.partition == "aws")
    }

    @Test("a $schema reference for editors is accepted and ignored")
    func schemaReference() throws {
        let design = try DesignFixtures.design(#"{"$schema": "../schemas/iam-audit.schema.json", "version": 1, "environments": {"dev": {}}}"#)
        #expect(design.environments.map(\.name) == ["dev"])
        #expect(DesignFixtures.errors(#"{"$schema": true, "version": 1, "environments": {"dev": {}}}"#).map(\.message)
            == ["/$schema must be a string, found boolean"])
    }

    @Test("an ignore entry keeps a valid expiry date")
    func ignoreExpiry() throws {
        let design = try DesignFixtures.design("""
        {"version": 1, "environments": {"dev": {}},
         "ignore": [{"rule": "github-sub-any-repository", "path": "**/trust-*.json", "reason": "migration", "expires": "2028-02-29"}]}
        """)
        #expect(design.ignore.first?.expires == "2028-02-29")
        #expect(design.ignore.first?.rule == "github-sub-any-repository")
        #expect(design.ignore.first?.pointer == nil)
    }

    @Test("each problem is reported at the offending key or value", arguments: DesignErrorCase.all)
    func reportsProblem(_ example: DesignErrorCase) throws {
        let marked = MarkedText(example.marked)
        let errors = DesignFixtures.errors(marked.text, existing: example.existing)
        #expect(errors.map(\.message) == [example.message], sourceLocation: example.sourceLocation)
        let error = try #require(errors.first, sourceLocation: example.sourceLocation)
        let mark = try #require(marked.marks.first, "the example marks no position", sourceLocation: example.sourceLocation)
        #expect(error.file == "policies/iam-audit.json", sourceLocation: example.sourceLocation)
        #expect(error.position?.line == mark.line, sourceLocation: example.sourceLocation)
        #expect(error.position?.column == mark.column, sourceLocation: example.sourceLocation)
    }

    @Test("every problem of a file is reported at once, in source order")
    func reportsAllProblems() {
        let marked = MarkedText("""
        {
          "version": ‸2,
          "account": ‸"33790974508",
          ‸"regoin": "eu-north-1",
          "github": ‸{ "audience": ‸"" },
          "resources": { "sqs": ["arn:aws:sqs:‸${regoin}:1:q-${env}"] },
          "environments": {
            "dev": { ‸"brnch": "develop", "trustPolicy": ‸"dev/trust-policy.json" },
            "prod": { "subjects": ["repo:o/r:ref:refs/heads/‸${branch}"] }
          },
          "ignore": [ ‸{ "rule": "IAM005", "path": "x.json" } ]
        }
        """)
        let errors = DesignFixtures.errors(marked.text, existing: [])
        #expect(errors.map(\.message) == [
            "/version must be 1, found 2",
            "/account must be 12 digits, found '33790974508'",
            "unknown key 'regoin' in the design; did you mean 'region'?",
            "/github is missing required key 'repository'",
            "/github/audience must not be empty",
            "unknown placeholder '${regoin}' in /resources/sqs/0; did you mean '${region}'?",
            "unknown key 'brnch' in /environments/dev; did you mean 'branch'?",
            "file 'dev/trust-policy.json' named by /environments/dev/trustPolicy does not exist",
            "placeholder '${branch}' in /environments/prod/subjects/0 has no value: environment 'prod' sets no 'branch'",
            "/ignore/0 is missing required key 'reason'",
        ])
        #expect(errors.map { $0.position?.line ?? 0 } == marked.marks.map(\.line))
        #expect(errors.map { $0.position?.column ?? 0 } == marked.marks.map(\.column))
        #expect(errors.allSatisfy { $0.file == "policies/iam-audit.json" })
    }

    @Test("a value already reported as invalid is not reported again by the placeholders that use it")
    func noCascade() {
        let errors = DesignFixtures.errors("""
        {"version": 1, "account": "12", "github": {"repository": "nope"},
         "resources": {"s3": ["arn:aws:s3:::${account}-${repository}-${stackName}"]},
         "environments": {"dev": {"stackName": "1bad", "subjects": ["repo:${repository}:ref:refs/heads/x"]}}}
        """)
        #expect(errors.map(\.message) == [
            "/account must be 12 digits, found '12'",
            "/github/repository must be 'owner/name', found 'nope'",
            "/environments/dev/stackName must be a CloudFormation stack name (a letter, then letters, digits and hyphens, "
                + "at most 128), found '1bad'",
        ])
    }

    @Test("the formatted error names the file, line and column")
    func formatted() {
        let errors = DesignFixtures.errors(#"{"version": 1, "environments": {"dev": {"role": 7}}}"#, file: "iam-audit.json")
        #expect(errors.map(\.formatted) == ["iam-audit.json:1:49: /environments/dev/role must be a string, found number"])
    }

    @Test("the committed design files load from disk", arguments: ["policies/iam-audit.json", "fixtures/seed-as-documented/iam-audit.json"])
    func committedDesignLoads(_ relative: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent(relative).path
        let result = DesignFixtures.loadFile(file)
        if case .failure(let errors) = result {
            Issue.record("\(errors.errors.map(\.formatted))")
        }
        let design = try result.get()
        #expect(design.environments.map(\.name) == ["dev", "prod"])
        let resolver = PlacementResolver(design: design) { DesignFixtures.fileKey($0) }
        #expect(resolver.placement(ofFile: DesignFixtures.fileKey(root.appendingPathComponent(relative).deletingLastPathComponent()
            .appendingPathComponent("prod/trust-policy.json").path))?.environment.name == "prod")
    }
}

/// Collects the paths a loader asks about.
private final class PathsAsked: @unchecked Sendable {
    var paths: [String] = []
}

/// A design text with one problem, the message expected and, marked `‸`, where it is expected.
struct DesignErrorCase: Sendable, CustomTestStringConvertible {
    var marked: String
    var message: String
    /// The policy files that exist (resolved paths); nil when every file exists.
    var existing: Set<String>?
    var sourceLocation: SourceLocation

    init(_ marked: String, _ message: String, existing: Set<String>? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        self.marked = marked
        self.message = message
        self.existing = existing
        self.sourceLocation = sourceLocation
    }

    var testDescription: String { message }

    /// A minimal design around `environment` (the members of environment `dev`) and `rest` (top-level members).
    static func design(dev environment: String = "", _ rest: String = "") -> String {
        #"{"version": 1, "environments": {"dev": {\#(environment)}}\#(rest.isEmpty ? "" : ", " + rest)}"#
    }

    static let all: [DesignErrorCase] = [
        // Syntax and shape of the file
        .init(#"{"version": 1,‸}"#, "invalid JSON: trailing comma before '}'"),
        .init(#"‸[]"#, "the design must be an object, found array"),
        .init(#"‸{"environments": {"dev": {}}}"#, "the design is missing required key 'version'"),
        .init(#"‸{"version": 1}"#, "the design is missing required key 'environments'"),

        // Unknown and duplicate keys
        .init(#"{"version": 1, ‸"enviroments": {}, "environments": {"dev": {}}}"#,
              "unknown key 'enviroments' in the design; did you mean 'environments'?"),
        .init(#"{"version": 1, ‸"colour": "blue", "environments": {"dev": {}}}"#, "unknown key 'colour' in the design"),
        .init(design(dev: #"‸"brnch": "develop""#), "unknown key 'brnch' in /environments/dev; did you mean 'branch'?"),
        .init(design(dev: #""trustPolicy": "t.json", ‸"TrustPolicy": "t.json""#),
              "unknown key 'TrustPolicy' in /environments/dev; did you mean 'trustPolicy'?"),
        .init(design(#""github": {"repository": "o/r", ‸"audiance": "sts.amazonaws.com"}"#),
              "unknown key 'audiance' in /github; did you mean 'audience'?"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x", "reason": "r", ‸"expiry": "2030-01-01"}]"#),
              "unknown key 'expiry' in /ignore/0; did you mean 'expires'?"),
        .init(#"{"version": 1, "environments": {"dev": {}}, ‸"version": 1}"#, "duplicate key 'version' in the design"),
        .init(#"{"version": 1, "environments": {"dev": {}, ‸"dev": {}}}"#, "duplicate key 'dev' in /environments"),

        // Top-level values
        .init(#"{"version": ‸2, "environments": {"dev": {}}}"#, "/version must be 1, found 2"),
        .init(#"{"version": ‸"1", "environments": {"dev": {}}}"#, "/version must be the number 1, found string"),
        .init(design(#""partition": ‸"aws-cm""#),
              "/partition must be one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc, "
                + "found 'aws-cm'; did you mean 'aws-cn'?"),
        .init(design(#""account": ‸"3379097450""#), "/account must be 12 digits, found '3379097450'"),
        .init(design(#""account": ‸337909745089"#), "/account must be a string, found number"),
        .init(design(#""region": ‸"eu-north""#), "/region must be a region name such as 'eu-north-1', found 'eu-north'"),
        .init(design(#""region": ‸"EU-NORTH-1""#), "/region must be a region name such as 'eu-north-1', found 'EU-NORTH-1'"),
        .init(design(#""github": ‸"o/r""#), "/github must be an object, found string"),
        .init(design(#""github": ‸{"audience": "sts.amazonaws.com"}"#), "/github is missing required key 'repository'"),
        .init(design(#""github": {"repository": ‸"junksamiad"}"#), "/github/repository must be 'owner/name', found 'junksamiad'"),
        .init(design(#""github": {"repository": ‸"o/r/x"}"#), "/github/repository must be 'owner/name', found 'o/r/x'"),
        .init(design(#""github": {"repository": ‸"o/*"}"#), "/github/repository must be 'owner/name', found 'o/*'"),
        .init(design(#""github": {"repository": "o/r", "audience": ‸""}"#), "/github/audience must not be empty"),
        .init(design(#""github": {"repository": "o/r", "audience": ‸["sts.amazonaws.com"]}"#),
              "/github/audience must be a string, found array"),
        .init(design(#""github": {"repository": "o/r", "ownerId": ‸"12a"}"#), "/github/ownerId must be a string of digits, found '12a'"),
        .init(design(#""github": {"repository": "o/r", "repositoryId": ‸42}"#), "/github/repositoryId must be a string, found number"),

        // Resources
        .init(design(#""resources": ‸[]"#), "/resources must be an object, found array"),
        .init(design(#""resources": {‸"Lambda": ["arn:aws:lambda:::x"]}"#),
              "service prefix 'Lambda' in /resources must hold only lowercase letters, digits and hyphens"),
        .init(design(#""resources": {"sqs": ‸[]}"#), "/resources/sqs must list at least one ARN pattern"),
        .init(design(#""resources": {"sqs": ‸"arn:aws:sqs:::q"}"#), "/resources/sqs must be an array of ARN patterns, found string"),
        .init(design(#""resources": {"sqs": [‸"*"]}"#),
              "/resources/sqs/0 must be an ARN pattern 'arn:partition:service:region:account:resource', found '*'"),
        .init(design(#""resources": {"sqs": ["arn:aws:sqs:eu-north-1:1:q", ‸7]}"#), "/resources/sqs/1 must be a string, found number"),
        .init(design(dev: #""resources": {"sqs": [‸"arn:aws:sqs:q"]}"#),
              "/environments/dev/resources/sqs/0 must be an ARN pattern 'arn:partition:service:region:account:resource', "
                + "found 'arn:aws:sqs:q'"),

        // Environments
        .init(#"{"version": 1, "environments": ‸{}}"#, "/environments must name at least one environment"),
        .init(#"{"version": 1, "environments": ‸["dev"]}"#, "/environments must be an object, found array"),
        .init(#"{"version": 1, "environments": {‸"my env": {}}}"#,
              "environment name 'my env' must hold only letters, digits, '.', '_' and '-'"),
        .init(#"{"version": 1, "environments": {"dev": ‸"develop"}}"#, "/environments/dev must be an object, found string"),
        .init(design(dev: #""branch": ‸"feature/*""#), "/environments/dev/branch must be one exact branch name, found 'feature/*'"),
        .init(design(dev: #""branch": ‸"refs/heads/main""#),
              "/environments/dev/branch must be a branch name without 'refs/heads/', found 'refs/heads/main'"),
        .init(design(dev: #""branch": ‸"""#), "/environments/dev/branch must not be empty"),
        .init(design(dev: #""githubEnvironment": ‸"prod*""#),
              "/environments/dev/githubEnvironment must be one exact environment name, found 'prod*'"),
        .init(design(dev: #""stackName": ‸"ai_multi""#),
              "/environments/dev/stackName must be a CloudFormation stack name (a letter, then letters, digits and hyphens, "
                + "at most 128), found 'ai_multi'"),
        .init(design(dev: #""role": ‸"arn:aws:iam::337909745089:role/x""#),
              "/environments/dev/role must be an IAM role name (letters, digits and '+=,.@_-', at most 64), "
                + "found 'arn:aws:iam::337909745089:role/x'"),
        .init(design(dev: #""subjects": ‸"repo:o/r:ref:refs/heads/main""#), "/environments/dev/subjects must be an array of strings, found string"),
        .init(design(dev: #""subjects": [‸"repo:o/r:*"]"#),
              "/environments/dev/subjects/0 must be an exact subject, found the wildcard pattern 'repo:o/r:*'"),
        .init(design(dev: #""permissionPolicies": ‸"dev/p.json""#),
              "/environments/dev/permissionPolicies must be an array of paths, found string"),
        .init(design(dev: #""trustPolicy": ‸["dev/t.json"]"#), "/environments/dev/trustPolicy must be a string, found array"),
        .init(design(dev: #""trustPolicy": ‸"/etc/trust.json""#),
              "/environments/dev/trustPolicy must be a path relative to the design file's folder, found '/etc/trust.json'"),

        // Policy files
        .init(design(dev: #""trustPolicy": ‸"dev/trust-policy.json""#),
              "file 'dev/trust-policy.json' named by /environments/dev/trustPolicy does not exist", existing: []),
        .init(design(dev: #""trustPolicy": "dev/t.json", "permissionPolicies": ["dev/p.json", ‸"dev/q.json"]"#),
              "file 'dev/q.json' named by /environments/dev/permissionPolicies/1 does not exist",
              existing: ["policies/dev/t.json", "policies/dev/p.json"]),
        .init(design(dev: #""trustPolicy": "dev/t.json", "permissionPolicies": [‸"./dev/t.json"]"#),
              "file './dev/t.json' named by /environments/dev/permissionPolicies/0 is already named by /environments/dev/trustPolicy"),

        // Ignore entries
        .init(design(#""ignore": ‸{}"#), "/ignore must be an array of objects, found object"),
        .init(design(#""ignore": [‸"IAM005"]"#), "/ignore/0 must be an object, found string"),
        .init(design(#""ignore": [‸{"rule": "IAM005", "path": "x.json"}]"#), "/ignore/0 is missing required key 'reason'"),
        .init(design(#""ignore": [‸{"path": "x.json", "reason": "r"}]"#), "/ignore/0 is missing required key 'rule'"),
        .init(design(#""ignore": [‸{"rule": "IAM005", "reason": "r"}]"#), "/ignore/0 is missing required key 'path'"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x.json", "reason": ‸"  "}]"#),
              "/ignore/0/reason must say why the findings are accepted, found an empty string"),
        .init(design(#""ignore": [{"rule": ‸"IAM 5", "path": "x.json", "reason": "r"}]"#),
              "/ignore/0/rule must be a rule code such as 'IAM005' or a rule name such as 'github-sub-any-repository', found 'IAM 5'"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": ‸"", "reason": "r"}]"#), "/ignore/0/path must not be empty"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x.json", "pointer": ‸"Statement/3", "reason": "r"}]"#),
              "/ignore/0/pointer must be an RFC 6901 JSON pointer such as '/Statement/0', found 'Statement/3'"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x.json", "pointer": ‸"/a~2", "reason": "r"}]"#),
              "/ignore/0/pointer must be an RFC 6901 JSON pointer such as '/Statement/0', found '/a~2'"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x.json", "reason": "r", "expires": ‸"2025-02-29"}]"#),
              "/ignore/0/expires must be a date 'YYYY-MM-DD', found '2025-02-29'"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x.json", "reason": "r", "expires": ‸"2025-4-1"}]"#),
              "/ignore/0/expires must be a date 'YYYY-MM-DD', found '2025-4-1'"),
        .init(design(#""ignore": [{"rule": "IAM005", "path": "x.json", "reason": "r", "expires": ‸"2025-13-01"}]"#),
              "/ignore/0/expires must be a date 'YYYY-MM-DD', found '2025-13-01'"),

        // Placeholders
        .init(design(#""resources": {"sqs": ["arn:aws:sqs:‸${regoin}:1:q"]}"#),
              "unknown placeholder '${regoin}' in /resources/sqs/0; did you mean '${region}'?"),
        .init(design(#""resources": {"sqs": ["arn:aws:sqs:eu-north-1:1:q-‸${environment}"]}"#),
              "unknown placeholder '${environment}' in /resources/sqs/0"),
        .init(design(#""resources": {"sqs": ["arn:aws:sqs:eu-north-1:1:q-‸${}"]}"#),
              "unknown placeholder '${}' in /resources/sqs/0"),
        .init(design(#""resources": {"sqs": ["arn:aws:sqs:eu-north-1:1:q-‸${env"]}"#),
              "unterminated placeholder '${env' in /resources/sqs/0"),
        .init(design(#""resources": {"sqs": ["arn:\u0061ws:sqs:eu-n\u00f6rth-1:1:q-‸${Env}"]}"#),
              "unknown placeholder '${Env}' in /resources/sqs/0; did you mean '${env}'?"),
        .init(design(#""resources": {"sqs": ["arn:aws:sqs:eu-north-1:1:\ud83d\ude00-😀-‸${stack}"]}"#),
              "unknown placeholder '${stack}' in /resources/sqs/0"),
        .init(design(dev: #""subjects": ["repo:o/r:environment:‸${githubEnv}"]"#),
              "unknown placeholder '${githubEnv}' in /environments/dev/subjects/0"),
        .init(design(dev: #""resources": {"s3": ["arn:aws:s3:::b-‸${stackname}"]}"#, #""github": {"repository": "o/r"}"#),
              "unknown placeholder '${stackname}' in /environments/dev/resources/s3/0; did you mean '${stackName}'?"),
        .init(design(#""resources": {"lambda": ["arn:aws:lambda:eu-north-1:1:function:‸${stackName}-*"]}"#),
              "placeholder '${stackName}' in /resources/lambda/0 has no value: environment 'dev' sets no 'stackName'"),
        .init(design(#""resources": {"lambda": ["arn:aws:lambda:eu-north-1:‸${account}:function:x"]}"#),
              "placeholder '${account}' in /resources/lambda/0 has no value: the design sets no 'account'"),
        .init(design(dev: #""subjects": ["repo:‸${repository}:ref:refs/heads/main"]"#),
              "placeholder '${repository}' in /environments/dev/subjects/0 has no value: the design sets no 'github.repository'"),
        .init(#"{"version": 1, "resources": {"sqs": ["arn:aws:sqs:‸${region}:1:q-${branch}"]},"#
                + #" "environments": {"dev": {"branch": "d"}, "prod": {"branch": "main"}}}"#,
              "placeholder '${region}' in /resources/sqs/0 has no value: the design sets no 'region'"),
        .init(#"{"version": 1, "resources": {"sqs": ["arn:aws:sqs:r:1:q-‸${branch}"]},"#
                + #" "environments": {"a": {}, "b": {"branch": "main"}, "c": {}}}"#,
              "placeholder '${branch}' in /resources/sqs/0 has no value: environments 'a', 'c' set no 'branch'"),
    ]
}
