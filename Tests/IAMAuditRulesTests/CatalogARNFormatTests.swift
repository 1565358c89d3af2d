import Foundation
import IAMAuditRules
import Testing

@Suite("Action catalog: ARN formats")
struct CatalogARNFormatTests {
    let object = ARNFormat("arn:${Partition}:s3:::${BucketName}/${ObjectName}")
    let bucket = ARNFormat("arn:${Partition}:s3:::${BucketName}")
    let function = ARNFormat("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}")
    let logGroup = ARNFormat("arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}")

    @Test func objectVersusBucketARNs() {
        #expect(object.matches("arn:aws:s3:::my-bucket/key.txt"))
        #expect(object.matches("arn:aws:s3:::my-bucket/folder/key.txt"))
        #expect(!object.matches("arn:aws:s3:::my-bucket"))
        #expect(!object.matches("arn:aws:s3:::my-bucket/"), "an object name is not empty")
        #expect(bucket.matches("arn:aws:s3:::my-bucket"))
        #expect(!bucket.matches("arn:aws:s3:eu-north-1::my-bucket"), "S3 bucket ARNs have no region")
        #expect(!bucket.matches("arn:aws:sqs:::my-bucket"))
    }

    @Test func wildcardedARNs() {
        #expect(object.matches("arn:aws:s3:::my-bucket/*"))
        #expect(object.matches("arn:aws:s3:::*"))
        #expect(object.matches("arn:aws:s3:::my-bucket*"), "the star may reach into the object name")
        #expect(object.matches("arn:*:s3:::my-bucket/?"))
        #expect(bucket.matches("arn:aws:s3:::my-bucket*"))
        #expect(bucket.matches("arn:aws:s3:::*"))
        #expect(!bucket.matches("arn:aws:s3:::my-bucket/*"), "a bucket name holds no slash")
        #expect(function.matches("arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*"))
        #expect(function.matches("arn:aws:lambda:*:*:function:*"))
        #expect(function.matches("arn:aws:lambda:eu-*:337909745089:function:x"))
        #expect(!function.matches("arn:aws:lambda:eu-north-1:337909745089:layer:x"))
        #expect(logGroup.matches("arn:aws:logs:eu-north-1:337909745089:log-group:/aws/lambda/ai-multi-comms-dev-*"))
        #expect(logGroup.matches("arn:aws:logs:eu-north-1:337909745089:log-group:/aws/lambda/x:*"), "placeholders span ':' in the resource part")
    }

    @Test func starDoesNotCrossTheFirstFiveFields() {
        // The region star cannot swallow the account field and the colon after it.
        #expect(!function.matches("arn:aws:lambda:*:function:x"))
        // A star that ends a value of fewer than six fields extends over the rest, as IAM documents.
        #expect(function.matches("arn:aws:lambda:*"))
        #expect(function.matches("arn:*"))
        #expect(!function.matches("arn:aws:s3:*"))
        #expect(!function.matches("arn:aws:lambda"))
    }

    @Test func everythingMatchesStar() {
        #expect(object.matches("*"))
        #expect(function.matches("*"))
    }

    @Test func policyVariablesAndEscapes() {
        #expect(object.matches("arn:aws:s3:::home-bucket/${aws:username}/*"))
        #expect(bucket.matches("arn:aws:s3:::bucket-${aws:PrincipalTag/team}"))
        #expect(!bucket.matches("arn:aws:s3:::bucket/${aws:username}"))
        #expect(function.matches("arn:aws:lambda:eu-north-1:${aws:PrincipalAccount}:function:x"))
        let literalStar = ARNFormat("arn:${Partition}:s3:::bucket-with-*")
        #expect(literalStar.matches("arn:aws:s3:::bucket-with-${*}"))
    }

    @Test func formatWildcardsAndOddFormats() {
        let queue = ARNFormat("arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/queue/*")
        #expect(queue.matches("arn:aws:connect:eu-north-1:337909745089:instance/abc/queue/q1"))
        #expect(queue.matches("arn:aws:connect:eu-north-1:337909745089:instance/abc/queue/"))
        let shortFormat = ARNFormat("arn:${Partition}:thing")
        #expect(!shortFormat.matches("arn:aws:thing"))
        #expect(object.service == "s3")
        #expect(object.description == object.template)
    }

    @Test func caseSensitive() {
        #expect(!function.matches("arn:aws:lambda:eu-north-1:337909745089:Function:x"))
        #expect(!bucket.matches("ARN:aws:s3:::b"))
    }

    @Test func actionResourceTypesMatchingAResource() throws {
        let catalog = ActionCatalog.shared
        let getObject = try #require(catalog.action("s3:GetObject"))
        #expect(getObject.resourceTypes(matching: "arn:aws:s3:::my-bucket").isEmpty, "s3:GetObject on a bucket ARN matches no resource type")
        #expect(getObject.resourceTypes(matching: "arn:aws:s3:::my-bucket/*").map(\.name) == ["object"])
        let listBucket = try #require(catalog.action("s3:ListBucket"))
        #expect(listBucket.resourceTypes(matching: "arn:aws:s3:::my-bucket").map(\.name) == ["bucket"])
        #expect(listBucket.resourceTypes(matching: "arn:aws:s3:::my-bucket/*").isEmpty)
        let invoke = try #require(catalog.action("lambda:InvokeFunction"))
        #expect(!invoke.resourceTypes(matching: "arn:aws:lambda:eu-north-1:337909745089:function:ai-multi-comms-dev-*").isEmpty)
    }

    /// The transform ARN of the AWS SAM macro, which `cloudformation:CreateChangeSet` needs for a SAM template.
    /// The catalog has no `transform` resource type: no CloudFormation resource type matches it, so a rule
    /// built on `resourceTypes(matching:)` must not treat this ARN as a mistake on its own.
    @Test func cloudFormationTransformARNHasNoResourceType() throws {
        let catalog = ActionCatalog.shared
        let transform = "arn:aws:cloudformation:eu-north-1:aws:transform/Serverless-2016-10-31"
        let service = try #require(catalog.service("cloudformation"))
        #expect(service.resourceType("transform") == nil)
        #expect(service.resourceTypes.filter { $0.arnFormat.matches(transform) }.isEmpty)
        let createChangeSet = try #require(catalog.action("cloudformation:CreateChangeSet"))
        #expect(createChangeSet.resourceTypes(matching: transform).isEmpty)
        #expect(!createChangeSet.resourceTypes(matching: "arn:aws:cloudformation:eu-north-1:337909745089:stack/ai-multi-comms-dev/*").isEmpty)
    }

    /// Every format in the catalog is matched by itself with placeholders filled in, and by `*`.
    @Test func everyCatalogFormatMatchesAnInstance() {
        for service in ActionCatalog.shared.services {
            for type in service.resourceTypes {
                let instance = type.arnFormat.template
                    .replacingPlaceholders(with: "x")
                #expect(type.arnFormat.matches(instance), "\(type): \(instance)")
                #expect(type.arnFormat.matches("*"))
            }
        }
    }
}

extension String {
    /// `self` with each `${…}` replaced by `value`.
    fileprivate func replacingPlaceholders(with value: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            result += rest[..<start.lowerBound] + value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
