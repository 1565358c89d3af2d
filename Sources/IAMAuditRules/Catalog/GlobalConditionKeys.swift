/// The global condition keys AWS documents in "AWS global condition context keys" (IAM User Guide),
/// with their data types, including the cross-service keys that page lists.
///
/// The generated catalog has only the few `aws:` keys services repeat (`aws:RequestTag/${TagKey}`,
/// `aws:ResourceTag/${TagKey}`, `aws:TagKeys`); this table supplies the rest. A multivalued key is
/// `ArrayOf…`; `aws:EpochTime` works with both date and numeric operators.
enum GlobalConditionKeys {
    static let all: [ConditionKey] = table.map { ConditionKey(name: $0.0, types: $0.1, isGlobal: true) }

    private static let table: [(String, [ConditionKeyType])] = [
        // Properties of the principal
        ("aws:PrincipalArn", [.arn]),
        ("aws:PrincipalAccount", [.string]),
        ("aws:PrincipalOrgPaths", [.arrayOfString]),
        ("aws:PrincipalOrgID", [.string]),
        ("aws:PrincipalTag/${TagKey}", [.string]),
        ("aws:PrincipalIsAWSService", [.bool]),
        ("aws:PrincipalServiceName", [.string]),
        ("aws:PrincipalServiceNamesList", [.arrayOfString]),
        ("aws:PrincipalType", [.string]),
        ("aws:userid", [.string]),
        ("aws:username", [.string]),
        // Properties of the role session
        ("aws:AssumedRoot", [.string]),
        ("aws:FederatedProvider", [.string]),
        ("aws:TokenIssueTime", [.date]),
        ("aws:MultiFactorAuthAge", [.numeric]),
        ("aws:MultiFactorAuthPresent", [.bool]),
        ("aws:ChatbotSourceArn", [.arn]),
        ("aws:Ec2InstanceSourceVpc", [.string]),
        ("aws:Ec2InstanceSourcePrivateIPv4", [.ipAddress]),
        ("aws:SourceIdentity", [.string]),
        ("ec2:RoleDelivery", [.numeric]),
        ("ec2:SourceInstanceArn", [.arn]),
        ("glue:RoleAssumedBy", [.string]),
        ("glue:CredentialIssuingService", [.string]),
        ("codebuild:BuildArn", [.arn]),
        ("codebuild:ProjectArn", [.arn]),
        ("lambda:SourceFunctionArn", [.arn]),
        ("ssm:SourceInstanceArn", [.arn]),
        ("identitystore:UserId", [.string]),
        // Properties of the network
        ("aws:SourceIp", [.ipAddress]),
        ("aws:SourceVpc", [.string]),
        ("aws:SourceVpcArn", [.arn]),
        ("aws:SourceVpce", [.string]),
        ("aws:VpceAccount", [.string]),
        ("aws:VpceOrgID", [.string]),
        ("aws:VpceOrgPaths", [.arrayOfString]),
        ("aws:VpcSourceIp", [.ipAddress]),
        // Properties of the resource
        ("aws:ResourceAccount", [.string]),
        ("aws:ResourceOrgID", [.string]),
        ("aws:ResourceOrgPaths", [.arrayOfString]),
        ("aws:ResourceTag/${TagKey}", [.string]),
        // Properties of the request
        ("aws:CalledVia", [.arrayOfString]),
        ("aws:CalledViaFirst", [.string]),
        ("aws:CalledViaLast", [.string]),
        ("aws:CalledViaAWSMCP", [.string]),
        ("aws:ViaAWSService", [.bool]),
        ("aws:ViaAWSMCPService", [.bool]),
        ("aws:IsMcpServiceAction", [.bool]),
        ("aws:CurrentTime", [.date]),
        ("aws:EpochTime", [.date, .numeric]),
        ("aws:referer", [.string]),
        ("aws:RequestedRegion", [.string]),
        ("aws:RequestTag/${TagKey}", [.string]),
        ("aws:TagKeys", [.arrayOfString]),
        ("aws:SecureTransport", [.bool]),
        ("aws:SourceArn", [.arn]),
        ("aws:SourceAccount", [.string]),
        ("aws:SourceOwner", [.string]),
        ("aws:SourceOrgPaths", [.arrayOfString]),
        ("aws:SourceOrgID", [.string]),
        ("aws:UserAgent", [.string]),
    ]
}
