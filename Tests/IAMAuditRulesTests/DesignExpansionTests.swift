import IAMAuditRules
import Testing

@Suite("Design expansion")
struct DesignExpansionTests {
    @Test("allowed subjects of the §5 example: branch form, then environment form")
    func allowedSubjects() throws {
        let design = try DesignFixtures.design(DesignFixtures.example)
        let dev = try #require(design.environment(named: "dev"))
        let prod = try #require(design.environment(named: "prod"))
        #expect(design.allowedSubjects(for: dev) == [
            "repo:junksamiad/template-sender-engine:ref:refs/heads/develop",
            "repo:junksamiad/template-sender-engine:environment:dev",
        ])
        #expect(design.allowedSubjects(for: prod) == [
            "repo:junksamiad/template-sender-engine:ref:refs/heads/main",
            "repo:junksamiad/template-sender-engine:environment:prod",
        ])
    }

    @Test("allowed subjects add the expanded subjects and, with owner and repository ids, the immutable forms")
    func allowedSubjectsWithIdsAndExtras() throws {
        let design = try DesignFixtures.design("""
        {"version": 1, "github": {"repository": "acme/app", "ownerId": "111", "repositoryId": "222"},
         "environments": {
           "dev": {"branch": "develop", "githubEnvironment": "dev",
                   "subjects": ["repo:${repository}:pull_request", "repo:${repository}:ref:refs/heads/${branch}"]},
           "tags": {"subjects": ["repo:${repository}:ref:refs/tags/v1"]},
           "prod": {"githubEnvironment": "production"}}}
        """)
        let dev = try #require(design.environment(named: "dev"))
        #expect(design.allowedSubjects(for: dev) == [
            "repo:acme/app:ref:refs/heads/develop",
            "repo:acme/app:environment:dev",
            "repo:acme/app:pull_request",
            "repo:acme@111/app@222:ref:refs/heads/develop",
            "repo:acme@111/app@222:environment:dev",
        ])
        let tags = try #require(design.environment(named: "tags"))
        #expect(design.allowedSubjects(for: tags) == ["repo:acme/app:ref:refs/tags/v1"])
        let prod = try #require(design.environment(named: "prod"))
        #expect(design.allowedSubjects(for: prod) == [
            "repo:acme/app:environment:production",
            "repo:acme@111/app@222:environment:production",
        ])
    }

    @Test("immutable forms need both ids")
    func immutableFormsNeedBothIds() throws {
        let design = try DesignFixtures.design("""
        {"version": 1, "github": {"repository": "acme/app", "ownerId": "111"}, "environments": {"dev": {"branch": "main"}}}
        """)
        let dev = try #require(design.environment(named: "dev"))
        #expect(design.allowedSubjects(for: dev) == ["repo:acme/app:ref:refs/heads/main"])
    }

    @Test("resource patterns of the §5 example, expanded for dev and prod")
    func resourcePatterns() throws {
        let design = try DesignFixtures.design(DesignFixtures.example)
        let dev = try #require(design.environment(named: "dev"))
        let prod = try #require(design.environment(named: "prod"))
        #expect(design.resourcePatterns(for: dev) == [
            "lambda": ["arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"],
            "sqs": ["arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-*-queue-dev"],
            "dynamodb": ["arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-dev-*"],
            "logs": ["arn:aws:logs:eu-north-1:337909745089:log-group:/aws/lambda/ai-multi-comms-dev-*"],
        ])
        #expect(design.resourcePatterns(for: prod) == [
            "lambda": ["arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-prod-*"],
            "sqs": ["arn:aws:sqs:eu-north-1:337909745089:ai-multi-comms-*-queue-prod"],
            "dynamodb": ["arn:aws:dynamodb:eu-north-1:337909745089:table/ai-multi-comms-prod-*"],
            "logs": ["arn:aws:logs:eu-north-1:337909745089:log-group:/aws/lambda/ai-multi-comms-prod-*"],
        ])
    }

    @Test("an environment's resources replace the top-level patterns of the same service and add new services")
    func resourceOverrides() throws {
        let design = try DesignFixtures.design("""
        {"version": 1, "partition": "aws-cn", "account": "123456789012", "region": "cn-north-1",
         "resources": {"lambda": ["arn:${partition}:lambda:${region}:${account}:function:${stackName}-*"],
                       "sqs": ["arn:${partition}:sqs:${region}:${account}:q-${env}"]},
         "environments": {
           "dev": {"stackName": "app-dev"},
           "prod": {"resources": {"lambda": ["arn:${partition}:lambda:${region}:${account}:function:prod-only"],
                                  "s3": ["arn:${partition}:s3:::bucket-${env}/*"]}}}}
        """)
        let dev = try #require(design.environment(named: "dev"))
        let prod = try #require(design.environment(named: "prod"))
        #expect(design.resourcePatterns(for: dev) == [
            "lambda": ["arn:aws-cn:lambda:cn-north-1:123456789012:function:app-dev-*"],
            "sqs": ["arn:aws-cn:sqs:cn-north-1:123456789012:q-dev"],
        ])
        // prod sets no stackName, which is fine: it overrides the only service that needs one.
        #expect(design.resourcePatterns(for: prod) == [
            "lambda": ["arn:aws-cn:lambda:cn-north-1:123456789012:function:prod-only"],
            "sqs": ["arn:aws-cn:sqs:cn-north-1:123456789012:q-prod"],
            "s3": ["arn:aws-cn:s3:::bucket-prod/*"],
        ])
    }

    @Test("expand fills every placeholder it has a value for and leaves the others as written")
    func expand() throws {
        let design = try DesignFixtures.design(DesignFixtures.example)
        let dev = try #require(design.environment(named: "dev"))
        let all = "${partition}|${account}|${region}|${repository}|${env}|${branch}|${githubEnvironment}|${stackName}"
        #expect(design.expand(all, environment: dev)
            == "aws|337909745089|eu-north-1|junksamiad/template-sender-engine|dev|develop|dev|ai-multi-comms-dev")
        #expect(design.expand(all, environment: nil)
            == "aws|337909745089|eu-north-1|junksamiad/template-sender-engine|${env}|${branch}|${githubEnvironment}|${stackName}")
        #expect(design.expand("$5 ${nope} ${env", environment: dev) == "$5 ${nope} ${env")
        #expect(design.expand("${env}${env}", environment: dev) == "devdev")
        #expect(design.expand("", environment: dev) == "")
    }
}
