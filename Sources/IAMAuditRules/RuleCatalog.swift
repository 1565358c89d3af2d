/// Every rule iam-audit has, by family (IAM, OIDC, TRUST, PRIV, DSN, WF) and by code within a family. A test keeps
/// this list complete and in that order.
public enum RuleCatalog {
    public static let all: [any Rule.Type] = [
        InvalidJSON.self,
        // IAM002–IAM019: policy structure
        UnknownPolicyElement.self,
        MissingVersion.self,
        OutdatedVersion.self,
        InvalidEffect.self,
        ActionWithNotAction.self,
        MissingAction.self,
        ResourceInTrustPolicy.self,
        MissingResource.self,
        PrincipalInIdentityPolicy.self,
        NotPrincipalInTrustPolicy.self,
        InvalidElementType.self,
        EmptyValue.self,
        DuplicateJSONKey.self,
        DuplicateSid.self,
        InvalidSid.self,
        PolicyOverSizeQuota.self,
        MissingStatement.self,
        InvalidAuthorizationDetailsEntry.self,
        // IAM020–IAM029: element values
        InvalidAction.self,
        InvalidARN.self,
        UnknownConditionOperator.self,
        NullWithIfExists.self,
        InvalidConditionValue.self,
        InvalidPrincipal.self,
        WildcardInExactOperator.self,
        ConditionKeyCaseDuplicate.self,
        // IAM030–IAM039: the action catalog
        UnknownAction.self,
        ActionPatternMatchesNothing.self,
        UnknownConditionKey.self,
        ConditionOperatorTypeMismatch.self,
        ResourceMatchesNoResourceType.self,
        MultivaluedKeyWithoutSetOperator.self,
        TemplateValueReadWidest.self,
        IAMNotRead.self,
        // OIDC: GitHub federated trust
        GitHubTrustWithoutSubjectPin.self,
        GitHubSubAnyOwner.self,
        GitHubSubAnyRepository.self,
        GitHubSubAnyRef.self,
        GitHubSubPullRequest.self,
        GitHubClaimIfExists.self,
        GitHubSubNegatedOperator.self,
        GitHubAudUnpinned.self,
        GitHubConditionKeyWrongIssuer.self,
        GitHubClaimNotExposed.self,
        GitHubSubNoOwnerAnchor.self,
        GitHubJobWorkflowRefMutable.self,
        GitHubPrincipalWrongAction.self,
        GitHubSubLegacyIDFormat.self,
        GitHubTrustNeverMatches.self,
        FederatedTrustTenantUnpinned.self,
        // TRUST: other trust
        TrustAnyPrincipal.self,
        TrustCrossAccountWithoutExternalId.self,
        NotPrincipalWithAllow.self,
        // PRIV: least privilege
        AllowAllActions.self,
        AllowServiceWildcard.self,
        WildcardResourceForScopableActions.self,
        PassRoleUnscoped.self,
        NotActionOrNotResourceWithAllow.self,
        CredentialReadOnAnyResource.self,
        IAMWriteOnAnyResource.self,
        PrivilegeEscalationPath.self,
        // DSN: conformance to the design
        TrustAdmitsUndeclaredSubject.self,
        TrustAdmitsNoDeploySubject.self,
        TrustAdmitsOtherEnvironmentSubject.self,
        ProviderOutsideDesignAccount.self,
        ResourceOutsideEnvironmentScope.self,
        ResourceInOtherEnvironmentScope.self,
        ResourceInOtherAccountOrRegion.self,
        WildcardResourceOutsideEnvironmentScope.self,
        DeployRoleCannotManageResource.self,
        DeployRoleLacksTemplateService.self,
        DeployRoleGrantsUnneededService.self,
        PrincipalIsOtherEnvironmentRole.self,
        // WF: GitHub workflows against the trust of the roles they assume
        StrangerStartedJobAdmitted.self,
        JobMintsTokenOfRoleItDoesNotAssume.self,
        IdTokenGrantedTooWidely.self,
        DeployJobDenied.self,
        JobAssumesOtherEnvironmentRole.self,
        AudienceMismatch.self,
        TrustAdmitsUnusedSubjects.self,
        WorkflowNotFullyRead.self,
    ]

    public static var descriptions: [RuleDescription] { all.map { $0.description } }

    /// The rule with this code or name (case-insensitive code).
    public static func rule(_ codeOrName: String) -> (any Rule.Type)? {
        all.first { $0.description.code == codeOrName.uppercased() || $0.description.name == codeOrName.lowercased() }
    }
}
