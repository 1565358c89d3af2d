import Foundation
import IAMAuditCLI
import Testing

/// Templates on the command line: found in folder walks, failing the gate when their IAM is bad, and hostile YAML
/// ending with a positioned message.
@Suite("Templates on the command line")
struct TemplateCLITests {
    static let samTemplate = """
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      DeployRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal:
                  Federated: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
                Action: sts:AssumeRoleWithWebIdentity
                Condition:
                  StringEquals:
                    token.actions.githubusercontent.com:aud: sts.amazonaws.com
                  StringLike:
                    token.actions.githubusercontent.com:sub: repo:acme/*
          Policies:
            - PolicyName: deploy
              PolicyDocument:
                Version: '2012-10-17'
                Statement:
                  - Effect: Allow
                    Action: '*'
                    Resource: '*'
    """

    @Test("a repository holding only a SAM template with a bad role fails the gate")
    func samTemplateAtTheRoot() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.url(".git"), withIntermediateDirectories: true)
        try folder.write("template.yaml", Self.samTemplate)
        let run = iamAudit([".", "--color", "never"], workingDirectory: folder.path)
        #expect(run.code == .findings, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("template.yaml:18:"))
        #expect(run.stdout.contains("error[PRIV001]"))
        #expect(run.stdout.contains("(resource DeployRole, policy deploy)"))
    }

    /// An alias bomb: ten levels of ten aliases to the level below, 10^10 nodes if expanded.
    static var aliasBomb: String {
        var lines = ["AWSTemplateFormatVersion: x", "Resources:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let below = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("  a\(level): &a\(level) [\(below)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let hostile: [(String, String)] = [
        ("unterminated flow", "AWSTemplateFormatVersion: x\nResources: {Role: {Type: AWS::IAM::Role\n"),
        ("tabs", "AWSTemplateFormatVersion: x\nResources:\n\tRole: 1\n"),
        ("deep nesting", "AWSTemplateFormatVersion: x\nResources: " + String(repeating: "[", count: 100_000) + "\n"),
        ("alias bomb", aliasBomb),
        ("invalid UTF-8", ""),
    ]

    @Test("hostile YAML templates end with exit 2 or less and a positioned message", arguments: hostile)
    func hostileYAML(_ name: String, _ text: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var bytes = Array(text.utf8)
        if name == "invalid UTF-8" { bytes = Array("AWSTemplateFormatVersion: x\nResources: ".utf8) + [0xFF, 0xFE, 0x0A] }
        FileManager.default.createFile(atPath: folder.url("template.yaml"), contents: Data(bytes))
        let run = iamAudit(["template.yaml", "--color", "never"], workingDirectory: folder.path)
        #expect(run.code.rawValue <= 2)
        #expect(run.code != .success, "\(name): \(run.stdout)")
        #expect(run.stdout.contains("template.yaml:") && run.stdout.contains("IAM001"), "\(name): \(run.stdout)\(run.stderr)")
    }
}
