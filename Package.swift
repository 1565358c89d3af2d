// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "iam-audit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "iam-audit", targets: ["iam-audit"]),
        .library(name: "IAMPolicy", targets: ["IAMPolicy"]),
        .library(name: "IAMAuditRules", targets: ["IAMAuditRules"]),
    ],
    targets: [
        .target(name: "IAMPolicy"),
        .target(name: "IAMAuditRules", dependencies: ["IAMPolicy"]),
        .target(name: "IAMAuditReporters", dependencies: ["IAMPolicy", "IAMAuditRules"]),
        .target(name: "IAMAuditCLI", dependencies: ["IAMPolicy", "IAMAuditRules", "IAMAuditReporters"]),
        .executableTarget(name: "iam-audit", dependencies: ["IAMAuditCLI"]),
        .executableTarget(name: "iam-audit-bench", dependencies: ["IAMPolicy", "IAMAuditRules"], path: "Benchmarks/iam-audit-bench"),
        .testTarget(name: "IAMPolicyTests", dependencies: ["IAMPolicy"]),
        .testTarget(name: "IAMAuditRulesTests", dependencies: ["IAMAuditRules"]),
        .testTarget(name: "IAMAuditReportersTests", dependencies: ["IAMAuditReporters"]),
        .testTarget(name: "IAMAuditCLITests", dependencies: ["IAMAuditCLI", "IAMAuditReporters", "IAMAuditRules", "IAMPolicy"]),
    ],
    swiftLanguageModes: [.v6]
)
