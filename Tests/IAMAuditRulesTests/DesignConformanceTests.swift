import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The DSN rules on the repository's own design and policies, and the points their examples do not pin down.
@Suite("Design conformance")
struct DesignConformanceTests {
    // MARK: The seed system

    /// The DSN findings (or those of the families `prefixes` name) of every JSON file in `folder` (relative to the
    /// package root), each audited as the CLI does: with the folder's design, as the environment and kind the
    /// design gives the file.
    func designFindings(in folder: String, prefixes: [String] = ["DSN"]) throws -> (findings: [Finding], claimed: [String]) {
        let root = PackageRoot.url.appendingPathComponent(folder)
        let designFile = root.appendingPathComponent(DesignLoader.fileName).path
        let design: Design
        switch DesignFixtures.loadFile(designFile) {
        case .success(let loaded): design = loaded
        case .failure(let errors):
            Issue.record("design did not load: \(errors.errors.map(\.formatted))")
            throw errors
        }
        let auditor = Auditor(catalog: RuleCatalog.all, design: design)
        let resolver = PlacementResolver(design: design) { DesignFixtures.fileKey($0) }
        var findings: [Finding] = []
        var claimed: [String] = []
        for file in try jsonFiles(under: root) where file.lastPathComponent != DesignLoader.fileName {
            let relative = String(file.path.dropFirst(root.path.count + 1))
            var kind: PolicyKind?
            var environment: String?
            if let match = resolver.placement(ofFile: DesignFixtures.fileKey(file.path)) {
                environment = match.environment.name
                kind = match.role == .trust ? .trust : .identity
                claimed.append("\(match.environment.name) \(match.role.rawValue) \(relative)")
            }
            let bytes = try [UInt8](Data(contentsOf: file))
            let audit = auditor.audit(file: relative, bytes: bytes, explicit: false, kind: kind, environment: environment)
            #expect(audit.errors.isEmpty, "\(relative): \(audit.errors.map(\.formatted))")
            findings += audit.findings.filter { finding in prefixes.contains { finding.ruleCode.hasPrefix($0) } }
        }
        return (findings, claimed.sorted())
    }

    func jsonFiles(under folder: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }

    static let claimedSeedFiles = [
        "dev permission dev/permissions-policy.json", "dev trust dev/trust-policy.json",
        "prod permission prod/permissions-policy.json", "prod trust prod/trust-policy.json",
    ]

    /// `policies/` is the seed system as it should be: the project's own gate, clean.
    @Test func policiesConformToTheirDesign() throws {
        let (findings, claimed) = try designFindings(in: "policies")
        #expect(claimed == Self.claimedSeedFiles)
        #expect(findings.isEmpty, "\(findings.map { "\($0.file)\($0.pointer) \($0.ruleCode): \($0.message)" })")
    }

    /// The document's `repo:…:*` lets each environment's role be assumed by the other's deploy; of its resource
    /// compromises (all `Resource: "*"`), those of services the design scopes (Lambda, and CloudFormation in prod)
    /// are outside the environment's scope. Secrets Manager's `*` is a credential read (PRIV006) and
    /// `apigateway:*` a service the design does not scope: no design finding.
    @Test func seedAsDocumentedAdmitsTheOtherEnvironment() throws {
        let (findings, claimed) = try designFindings(in: "fixtures/seed-as-documented")
        #expect(claimed == Self.claimedSeedFiles)
        let sub = "/Statement/0/Condition/StringLike/token.actions.githubusercontent.com:sub"
        let found = findings.map { "\($0.ruleCode) \($0.file) \($0.pointer) \($0.span.start.line)" }.sorted()
        #expect(found == [
            "DSN003 dev/trust-policy.json \(sub) 16", "DSN003 prod/trust-policy.json \(sub) 16",
            "DSN008 dev/permissions-policy.json /Statement/6/Resource 75",
            "DSN008 prod/permissions-policy.json /Statement/0/Resource 16",
            "DSN008 prod/permissions-policy.json /Statement/6/Resource 75",
        ], "\(findings.map(\.message))")
        let repository = "repo:junksamiad/template-sender-engine"
        #expect(findings.first { $0.ruleCode == "DSN003" && $0.file.hasPrefix("dev/") }?.message.contains("'\(repository):ref:refs/heads/main', a subject of environment 'prod'") == true)
        #expect(findings.first { $0.ruleCode == "DSN003" && $0.file.hasPrefix("prod/") }?.message.contains("'\(repository):ref:refs/heads/develop', a subject of environment 'dev'") == true)
    }

    /// One root cause, one finding: with the design, the Lambda `*` of the seed is DSN008's error naming the
    /// environment's concrete function pattern, and PRIV003 says nothing of it; the event source mapping
    /// statement, kept on `*` by its `lambda:FunctionArn` condition, is silent.
    @Test(arguments: ["dev", "prod"])
    func seedLambdaWildcardIsTheDesignsError(env: String) throws {
        let (findings, _) = try designFindings(in: "fixtures/seed-as-documented", prefixes: ["DSN", "PRIV"])
        let lambda = findings.filter { $0.file == "\(env)/permissions-policy.json" && $0.pointer == "/Statement/6/Resource" }
        #expect(lambda.map(\.ruleCode) == ["DSN008"])
        #expect(lambda.first?.level == .error)
        #expect(lambda.first?.message == "resource \"*\" grants 15 lambda actions outside the scope of environment '\(env)': scope to "
                + "'arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-\(env)-*' "
                + "(lambda:CreateFunction, lambda:DeleteFunction, lambda:GetFunction and 12 more)")
        #expect(!findings.contains { $0.file == "\(env)/permissions-policy.json" && $0.pointer.hasPrefix("/Statement/8") })
        #expect(!findings.contains { $0.ruleCode == "PRIV003" })
    }

    /// The README's resource compromises are `*` values: the reason DSN005–007 have nothing to say about them.
    @Test(arguments: [
        ("dev/permissions-policy.json", "/Statement/6/Resource"), ("prod/permissions-policy.json", "/Statement/6/Resource"),
        ("dev/permissions-policy.json", "/Statement/9/Resource"), ("prod/permissions-policy.json", "/Statement/9/Resource"),
        ("dev/permissions-policy.json", "/Statement/13/Resource"), ("prod/permissions-policy.json", "/Statement/13/Resource"),
        ("prod/permissions-policy.json", "/Statement/0/Resource"),
    ])
    func seedResourceCompromisesAreWildcards(file: String, pointer: String) throws {
        let url = PackageRoot.url.appendingPathComponent("fixtures/seed-as-documented").appendingPathComponent(file)
        let tree = try JSONParser().parse([UInt8](Data(contentsOf: url)))
        #expect(tree.resolve(JSONPointer(stringLiteral: pointer))?.stringValue == "*", "\(file)\(pointer)")
    }

    // MARK: Rules, beyond their examples

    func findings(_ rule: any Rule.Type, in source: String, design: Design? = .example, environment: String? = "dev") -> [Finding] {
        Auditor(catalog: RuleCatalog.all, design: design).audit(file: "policy.json", bytes: Array(source.utf8), environment: environment)
            .findings.filter { $0.ruleCode == rule.description.code }
    }

    /// A GitHub trust policy with `condition` (a JSON object) and `action`.
    func trust(_ condition: String?, action: String = "sts:AssumeRoleWithWebIdentity",
               provider: String = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com") -> String {
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "\(provider)"}, \
        "Action": "\(action)"\(condition.map { ", \"Condition\": \($0)" } ?? "")}]}
        """
    }

    func sub(_ values: String, operator op: String = "StringEquals") -> String {
        #"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "\#(op)": {"token.actions.githubusercontent.com:sub": \#(values)}}"#
    }

    func permissions(_ resources: String, effect: String = "Allow") -> String {
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "\#(effect)", "Action": "lambda:GetFunction", "Resource": \#(resources)}]}"#
    }

    static let everyDSNRule: [any Rule.Type] = RuleCatalog.all.filter { $0.description.code.hasPrefix("DSN") }

    @Test func designFreeAndUnclaimedRunsAreSilent() {
        let sources = [
            trust(sub(#""repo:example-org/deploy:*""#, operator: "StringLike"), provider: "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"),
            permissions(#""arn:aws:lambda:us-east-1:444455556666:function:other""#),
        ]
        for source in sources {
            for rule in Self.everyDSNRule {
                #expect(findings(rule, in: source, design: nil, environment: nil).isEmpty, "\(rule.description.code)")
                #expect(findings(rule, in: source, environment: nil).isEmpty, "\(rule.description.code)")
                #expect(findings(rule, in: source, environment: "staging").isEmpty, "\(rule.description.code)")
            }
        }
    }

    @Test func noSubjectPinReachesTheOtherEnvironmentAsAWhole() {
        let found = findings(TrustAdmitsOtherEnvironmentSubject.self, in: trust(#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#))
        #expect(found.map(\.pointer.description) == ["/Statement/0/Condition"])
        #expect(found.first?.message == "trust admits 'repo:example-org/deploy:ref:refs/heads/main', a subject of environment 'prod': a workflow that may deploy 'prod' can assume the role of 'dev'")
        let negated = findings(TrustAdmitsOtherEnvironmentSubject.self,
                               in: trust(sub(#""repo:example-org/deploy:ref:refs/heads/feature""#, operator: "StringNotEquals")))
        #expect(negated.map(\.pointer.description) == ["/Statement/0/Condition/StringNotEquals/token.actions.githubusercontent.com:sub"])
    }

    @Test func aDeployWithoutGitHubEnvironmentPresentsItsBranch() {
        var design = Design.example
        design.environments[0].githubEnvironment = nil
        let pinnedToEnvironment = trust(sub(#""repo:example-org/deploy:environment:dev""#))
        let found = findings(TrustAdmitsNoDeploySubject.self, in: pinnedToEnvironment, design: design)
        #expect(found.map(\.message) == ["trust admits no subject the deploy job of environment 'dev' presents: a job on branch 'develop' presents 'repo:example-org/deploy:ref:refs/heads/develop', so the deploy would fail with AccessDenied"])
        #expect(findings(TrustAdmitsNoDeploySubject.self, in: trust(sub(#""repo:example-org/deploy:ref:refs/heads/develop""#)), design: design).isEmpty)
    }

    @Test func aTrustThatNeverMatchesIsReportedOnItsPrincipal() {
        let found = findings(TrustAdmitsNoDeploySubject.self, in: trust(nil, action: "sts:AssumeRole"))
        #expect(found.map(\.pointer.description) == ["/Statement/0/Principal/Federated"])
    }

    @Test func immutableSubjectsFollowTheDesign() {
        var design = Design.example
        design.github?.ownerId = "1234"
        design.github?.repositoryId = "5678"
        let immutable = trust(sub(#""repo:example-org@1234/deploy@5678:environment:dev""#))
        for rule in [TrustAdmitsUndeclaredSubject.self, TrustAdmitsNoDeploySubject.self] as [any Rule.Type] {
            #expect(findings(rule, in: immutable, design: design).isEmpty, "\(rule.description.code)")
        }
        // Without the IDs in the design, the immutable form is a subject it never declared.
        #expect(findings(TrustAdmitsUndeclaredSubject.self, in: immutable).count == 1)
        // An ID wildcard admits a re-created owner of the same name: not a subject the design allows.
        let anyID = trust(sub(#""repo:example-org@*/deploy@*:environment:dev""#, operator: "StringLike"))
        let messages = findings(TrustAdmitsUndeclaredSubject.self, in: anyID, design: design).map(\.message)
        #expect(messages.count == 1 && messages[0].hasPrefix("sub pattern 'repo:example-org@*/deploy@*:environment:dev' admits 'repo:example-org@"), "\(messages)")
    }

    @Test func sharedSubjectsOfTheDesignAreNotForeign() {
        var design = Design.example
        design.environments[1].subjects = ["repo:example-org/deploy:environment:dev"]
        let own = trust(sub(#"["repo:example-org/deploy:ref:refs/heads/develop", "repo:example-org/deploy:environment:dev"]"#))
        #expect(findings(TrustAdmitsOtherEnvironmentSubject.self, in: own, design: design).isEmpty)
    }

    @Test func providerInAnotherAccountAndPartition() {
        let source = trust(sub(#""repo:example-org/deploy:environment:dev""#),
                           provider: "arn:aws-us-gov:iam::444455556666:oidc-provider/token.actions.githubusercontent.com")
        #expect(findings(ProviderOutsideDesignAccount.self, in: source).map(\.message) == [
            "provider 'arn:aws-us-gov:iam::444455556666:oidc-provider/token.actions.githubusercontent.com' is in partition 'aws-us-gov' and account '444455556666', not the design's partition and account 'aws' and '111122223333'",
        ])
    }

    @Test(arguments: [
        // Wildcard service and short forms reach prod's functions.
        (#""arn:aws:*:eu-west-1:111122223333:*""#, "DSN006"),
        (#""arn:aws:lambda:*""#, "DSN006"),
        (#""arn:aws:lambda:eu-west-1:111122223333:function:*""#, "DSN006"),
        // Outside dev's scope, nowhere near prod's.
        (#""arn:aws:lambda:eu-west-1:111122223333:function:deploy-devx""#, "DSN005"),
        (#""arn:aws:lambda:eu-west-1:*:function:deploy-dev-*""#, "DSN005"),
        (#""arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-${aws:username}""#, nil),
        // Inside the scope, or of an unscoped service, or somewhere else entirely.
        (#""arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api""#, nil),
        (#""arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api:live""#, nil),
        (#""arn:aws:states:eu-west-1:111122223333:stateMachine:*""#, nil),
        (#""arn:aws:states:eu-west-1:444455556666:stateMachine:*""#, "DSN007"),
        (#""*""#, nil),
        (#""arn:aws:*:*:*:*""#, nil),
        (#""not-an-arn""#, nil),
    ] as [(String, String?)])
    func resourceVerdicts(resource: String, expected: String?) {
        let source = permissions(resource)
        let codes = [ResourceOutsideEnvironmentScope.self, ResourceInOtherEnvironmentScope.self, ResourceInOtherAccountOrRegion.self]
            .flatMap { findings($0, in: source) }.map(\.ruleCode)
        #expect(codes == (expected.map { [$0] } ?? []), "\(resource)")
    }

    @Test func denyStatementsAndTrustPoliciesHaveNoScopeFindings() {
        let deny = permissions(#""arn:aws:lambda:eu-west-1:111122223333:function:deploy-prod-*""#, effect: "Deny")
        #expect(findings(ResourceInOtherEnvironmentScope.self, in: deny).isEmpty)
        let trustWithResource = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, \
        "Action": "sts:AssumeRole", "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-prod-*"}]}
        """
        for rule in [ResourceOutsideEnvironmentScope.self, ResourceInOtherEnvironmentScope.self, ResourceInOtherAccountOrRegion.self] as [any Rule.Type] {
            #expect(Auditor(catalog: RuleCatalog.all, design: .example)
                .audit(file: "policy.json", bytes: Array(trustWithResource.utf8), kind: .trust, environment: "dev")
                .findings.filter { $0.ruleCode == rule.description.code }.isEmpty)
        }
    }

    @Test func anEnvironmentsOwnResourcesOverrideTheTopLevel() {
        var design = Design.example
        design.environments[0].resources = ["lambda": ["arn:${partition}:lambda:${region}:${account}:function:special-*"]]
        let special = permissions(#""arn:aws:lambda:eu-west-1:111122223333:function:special-api""#)
        #expect(findings(ResourceOutsideEnvironmentScope.self, in: special, design: design).isEmpty)
        let stack = permissions(#""arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api""#)
        #expect(findings(ResourceOutsideEnvironmentScope.self, in: stack, design: design).count == 1)
    }

    // MARK: DSN008

    func allow(_ actions: String, resource: String = #""*""#, condition: String? = nil) -> String {
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": \#(actions), "Resource": \#(resource)\#(condition.map { ", \"Condition\": \($0)" } ?? "")}]}"#
    }

    func codesAndMessages(_ source: String, design: Design? = .example, environment: String? = "dev") -> [String] {
        Auditor(catalog: RuleCatalog.all, design: design).audit(file: "policy.json", bytes: Array(source.utf8), environment: environment)
            .findings.filter { ["DSN008", "PRIV002", "PRIV003"].contains($0.ruleCode) }.map { "\($0.ruleCode) \($0.detail ?? $0.message)" }
    }

    /// A value that grants scoped and unscoped services' actions gets one finding per action: DSN008 the scoped
    /// ones, with the design's patterns; PRIV003 the others, with the catalog's ARN formats.
    @Test func scopedAndUnscopedServicesShareAWildcardOneFindingPerAction() {
        #expect(codesAndMessages(allow(#"["lambda:UpdateFunctionCode", "states:StartExecution", "sqs:GetQueueAttributes"]"#)) == [
            "DSN008 resource \"*\" grants 2 lambda and sqs actions outside the scope of environment 'dev': scope to "
                + "'arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*' (lambda:UpdateFunctionCode); scope to "
                + "'arn:aws:sqs:eu-west-1:111122223333:deploy-*-queue-dev' (sqs:GetQueueAttributes)",
            // The design's partition, region and account fill the catalog's ARN format.
            "PRIV003 resource \"*\" grants 1 action that supports resource-level permissions: scope states:StartExecution to "
                + "arn:aws:states:eu-west-1:111122223333:stateMachine:${StateMachineName}",
        ])
    }

    /// Without a design, or for a policy no environment claims, `*` stays PRIV003's warning.
    @Test func withoutAPlacementTheWildcardIsPRIV003s() {
        let source = allow(#"["lambda:UpdateFunctionCode", "lambda:GetFunction"]"#)
        for (design, environment) in [(nil, nil), (Design.example, nil), (Design.example, "staging")] as [(Design?, String?)] {
            #expect(codesAndMessages(source, design: design, environment: environment).map { String($0.prefix { $0 != " " }) } == ["PRIV003"])
        }
    }

    /// `service:*` on `*`: PRIV002 weighs the action wildcard, DSN008 the resource; the actions that accept only
    /// `*` and have no resource key stay unreported, the event source mapping gets its working form.
    @Test func serviceWildcardOnEveryResource() throws {
        let found = codesAndMessages(allow(#""lambda:*""#))
        #expect(found.map { String($0.prefix { $0 != " " }) } == ["PRIV002", "DSN008"])
        let message = try #require(found.last)
        #expect(message.contains("to 'arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*'"))
        #expect(message.contains("to 'arn:aws:lambda:eu-west-1:111122223333:event-source-mapping:*'"))
        #expect(message.hasSuffix("lambda:CreateEventSourceMapping accepts only \"*\": grant it in a statement of its own with the condition "
                                  + #"{"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"}}"#))
        #expect(!message.contains("lambda:ListFunctions"))
    }

    /// An action that accepts only `*` is inside the scope when a positive ARN or string test of its resource key
    /// names only ARNs the scope names.
    @Test(arguments: [
        (#"{"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"}}"#, false),
        (#"{"ArnEquals": {"lambda:FunctionArn": ["arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api"]}}"#, false),
        (#"{"StringEquals": {"lambda:functionarn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api"}}"#, false),
        (#"{"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:*"}}"#, true),
        (#"{"ArnLike": {"lambda:FunctionArn": ["arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*", "arn:aws:lambda:*:*:function:x"]}}"#, true),
        (#"{"ArnNotLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-prod-*"}}"#, true),
        (#"{"ArnLikeIfExists": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"}}"#, true),
        (#"{"StringEqualsIgnoreCase": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-api"}}"#, true),
        (#"{"StringEquals": {"aws:RequestTag/env": "dev"}}"#, true),
    ] as [(String, Bool)])
    func eventSourceMappingCondition(condition: String, reported: Bool) {
        let found = codesAndMessages(allow(#""lambda:CreateEventSourceMapping""#, condition: condition))
        #expect(found.map { String($0.prefix { $0 != " " }) } == (reported ? ["DSN008"] : []), "\(condition)")
        if reported {
            #expect(found.first?.hasSuffix(#"grant it with the condition {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:deploy-dev-*"}}"#) == true)
        }
    }

    /// The environment's own patterns for a service replace the top-level ones in the message; a service scoped
    /// to nothing names no resource for its actions.
    @Test func theEnvironmentsOwnScopeIsTheOneNamed() {
        var design = Design.example
        design.environments[0].resources = ["lambda": ["arn:${partition}:lambda:${region}:${account}:function:special-${env}-*"], "sqs": []]
        #expect(codesAndMessages(allow(#"["lambda:GetFunction", "sqs:GetQueueUrl"]"#), design: design) == [
            "DSN008 resource \"*\" grants 2 lambda and sqs actions outside the scope of environment 'dev': scope to "
                + "'arn:aws:lambda:eu-west-1:111122223333:function:special-dev-*' (lambda:GetFunction); the scope names no resource of sqs:GetQueueUrl",
        ])
    }
}
