import Foundation
import IAMAuditRules
import Testing

@Suite("Design policy files")
struct DesignPolicyFileTests {
    static let nested = """
    {"version": 1, "environments": {
      "dev": {"trustPolicy": "./dev/trust-policy.json", "permissionPolicies": ["dev/permissions-policy.json"]},
      "prod": {"trustPolicy": "prod/trust-policy.json",
               "permissionPolicies": ["prod/deploy/lambda.json", "./prod//deploy/../shared/./logs.json"]}}}
    """

    @Test("a policy file maps to its environment and role however its path is spelled", arguments: [
        ("policies/dev/trust-policy.json", "dev", PolicyRole.trust),
        ("./policies/dev/trust-policy.json", "dev", .trust),
        ("policies/./dev/trust-policy.json", "dev", .trust),
        ("policies//dev/permissions-policy.json", "dev", .permission),
        ("policies/prod/trust-policy.json", "prod", .trust),
        ("policies/prod/deploy/lambda.json", "prod", .permission),
        ("./policies/prod/deploy/../deploy/lambda.json", "prod", .permission),
        ("policies/prod/shared/logs.json", "prod", .permission),
    ])
    func matches(path: String, environment: String, role: PolicyRole) throws {
        let design = try DesignFixtures.design(Self.nested, file: "policies/iam-audit.json")
        let match = try #require(design.environment(forPolicyFile: path))
        #expect(match.environment.name == environment)
        #expect(match.role == role)
    }

    @Test("files the design does not name match nothing", arguments: [
        "dev/trust-policy.json",
        "policies/dev/trust-policy.json.bak",
        "policies/prod/deploy",
        "policies/oidc-provider.json",
        "other/policies/dev/trust-policy.json",
    ])
    func unmatched(path: String) throws {
        let design = try DesignFixtures.design(Self.nested, file: "policies/iam-audit.json")
        #expect(design.environment(forPolicyFile: path) == nil)
    }

    @Test("a design in the current directory matches paths with and without ./")
    func designInCurrentDirectory() throws {
        let design = try DesignFixtures.design(Self.nested, file: "iam-audit.json")
        #expect(design.folder == ".")
        #expect(design.environment(forPolicyFile: "dev/trust-policy.json")?.role == .trust)
        #expect(design.environment(forPolicyFile: "./dev/trust-policy.json")?.environment.name == "dev")
        #expect(design.environment(forPolicyFile: "prod/shared/logs.json")?.role == .permission)
        #expect(design.environment(forPolicyFile: "policies/dev/trust-policy.json") == nil)
    }

    @Test("a design named by an absolute path matches relative policy paths through the current directory")
    func absoluteDesignRelativePolicy() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let design = try DesignFixtures.design(Self.nested, file: cwd + "/policies/iam-audit.json")
        #expect(design.environment(forPolicyFile: "policies/dev/trust-policy.json")?.environment.name == "dev")
        #expect(design.environment(forPolicyFile: cwd + "/policies/prod/deploy/lambda.json")?.role == .permission)

        let relative = try DesignFixtures.design(Self.nested, file: "policies/iam-audit.json")
        #expect(relative.environment(forPolicyFile: cwd + "/policies/dev/trust-policy.json")?.role == .trust)
    }

    @Test("paths relative to the design file's folder", arguments: [
        ("policies/iam-audit.json", "policies/dev/trust-policy.json", "dev/trust-policy.json"),
        ("policies/iam-audit.json", "./policies/prod/../dev/x.json", "dev/x.json"),
        ("policies/iam-audit.json", "other/x.json", nil),
        ("policies/iam-audit.json", "policies-old/x.json", nil),
        ("iam-audit.json", "./dev/x.json", "dev/x.json"),
        ("iam-audit.json", "../x.json", nil),
        ("/repo/iam-audit.json", "/repo/a/b.json", "a/b.json"),
    ] as [(String, String, String?)])
    func pathRelativeToDesign(designFile: String, path: String, expected: String?) throws {
        let design = Design(file: designFile)
        #expect(design.pathRelativeToDesign(path) == expected)
    }

    @Test("resolved paths are the design file's folder joined with the relative path, normalized", arguments: [
        ("policies/iam-audit.json", "./dev/t.json", "policies/dev/t.json"),
        ("iam-audit.json", "./dev/t.json", "dev/t.json"),
        ("a/b/iam-audit.json", "../shared/t.json", "a/shared/t.json"),
        ("iam-audit.json", "../t.json", "../t.json"),
        ("/iam-audit.json", "t.json", "/t.json"),
        ("/repo/iam-audit.json", "/abs/t.json", "/abs/t.json"),
    ])
    func resolvedPath(designFile: String, path: String, expected: String) {
        #expect(Design(file: designFile).resolvedPath(path) == expected)
    }
}
