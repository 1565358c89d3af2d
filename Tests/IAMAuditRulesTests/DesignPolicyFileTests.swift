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
        let match = try #require(DesignFixtures.lexicalResolver(design).placement(ofFile: DesignFixtures.lexicalKey(path)))
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
        #expect(DesignFixtures.lexicalResolver(design).placement(ofFile: DesignFixtures.lexicalKey(path)) == nil)
    }

    @Test("a design in the current directory matches paths with and without ./")
    func designInCurrentDirectory() throws {
        let design = try DesignFixtures.design(Self.nested, file: "iam-audit.json")
        let resolver = DesignFixtures.lexicalResolver(design)
        func place(_ path: String) -> Placement? { resolver.placement(ofFile: DesignFixtures.lexicalKey(path)) }
        #expect(design.folder == ".")
        #expect(place("dev/trust-policy.json")?.role == .trust)
        #expect(place("./dev/trust-policy.json")?.environment.name == "dev")
        #expect(place("prod/shared/logs.json")?.role == .permission)
        #expect(place("policies/dev/trust-policy.json") == nil)
    }

    @Test("real files are placed by identity, whatever path reaches them")
    func identity() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("iam-audit-placement-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("policies/dev"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: root.appendingPathComponent("policies/dev/trust-policy.json"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: root.appendingPathComponent("policies"))
        let design = try DesignFixtures.design(Self.nested, file: root.path + "/policies/iam-audit.json")
        let resolver = PlacementResolver(design: design) { DesignFixtures.fileKey($0) }
        for spelling in ["policies/dev/trust-policy.json", "policies/../policies/dev/trust-policy.json", "link/dev/trust-policy.json"] {
            #expect(resolver.placement(ofFile: DesignFixtures.fileKey(root.path + "/" + spelling))?.environment.name == "dev", "\(spelling)")
        }
        #expect(resolver.placement(ofFile: DesignFixtures.fileKey(root.path + "/policies/dev")) == nil)
        #expect(resolver.placement(ofFile: nil) == nil)
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
