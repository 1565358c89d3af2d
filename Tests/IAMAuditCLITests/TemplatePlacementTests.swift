import Foundation
import Testing

/// A template an environment deploys (`templates` in the design) is read as that environment's stack, with its
/// parameters, and every role it creates is held to the environment's scope (DSN rules), at the template's lines.
@Suite("Templates placed by the design")
struct TemplatePlacementTests {
    /// `policies/` copied into a fresh folder: its design deploys `template.yaml` in dev and prod.
    private func project(editing edit: (String) -> String = { $0 }, design: ((String) -> String)? = nil) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let root = PackageRoot.url.path + "/policies/"
        for file in ["iam-audit.json", "oidc-provider.json", "template.yaml", "dev/trust-policy.json", "dev/permissions-policy.json",
                     "prod/trust-policy.json", "prod/permissions-policy.json"] {
            var text = try String(contentsOfFile: root + file, encoding: .utf8)
            if file == "template.yaml" { text = edit(text) }
            if file == "iam-audit.json", let design { text = design(text) }
            try folder.write(file, text)
        }
        return folder
    }

    private func findings(_ run: RunResult) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        return try #require(report["findings"] as? [[String: Any]])
    }

    private func described(_ findings: [[String: Any]]) -> Set<String> {
        Set(findings.map { "\($0["ruleId"] ?? "") \($0["line"] ?? ""):\($0["column"] ?? "") \($0["environment"] ?? "-")" })
    }

    /// The seed-shaped template, its ARNs built with `!Sub`, `!GetAtt` and `!Join`, stays inside each environment's
    /// scope: no finding.
    @Test func aCorrectlyScopedTemplateIsSilent() throws {
        let folder = try project()
        defer { folder.remove() }
        let run = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(run.code == .success, "\(run.stdout)")
        #expect(try findings(run).isEmpty)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((report["summary"] as? [String: Int])?["policies"] == 8)
    }

    /// Widened: another environment's table, `*` for a queue action, every environment's secrets. Each is the
    /// design's error at its line in the template, per environment that deploys it.
    @Test func aWidenedTemplateIsReportedAtItsLines() throws {
        let folder = try project(editing: { text in
            text.replacingOccurrences(of: """
                    Action: dynamodb:GetItem
                                    Resource: !GetAtt CompanyDataTable.Arn
                    """, with: """
                    Action: dynamodb:GetItem
                                    Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/ai-multi-comms-company-data-prod
                    """)
                .replacingOccurrences(of: """
                    Action: sqs:SendMessage
                                    Resource: !GetAtt WhatsAppQueue.Arn
                    """, with: """
                    Action: sqs:SendMessage
                                    Resource: "*"
                    """)
                .replacingOccurrences(of: "secret:ai-multi-comms/${EnvironmentName}/whatsapp-*", with: "secret:ai-multi-comms/*")
        })
        defer { folder.remove() }
        let run = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(run.code == .findings)
        let found = try findings(run)
        #expect(described(found) == [
            "DSN006 97:27 dev",
            "DSN008 101:27 dev", "DSN008 101:27 prod",
            "DSN006 160:27 dev", "DSN006 160:27 prod",
        ])
        #expect(found.allSatisfy { $0["file"] as? String == "template.yaml" })
        // One place, two environments: two findings, told apart by their fingerprints.
        let queue = found.filter { $0["line"] as? Int == 101 }.compactMap { $0["fingerprint"] as? String }
        #expect(Set(queue).count == 2)
    }

    /// A template one environment deploys is that environment's only; the stack name is `AWS::StackName`; a
    /// parameter the design gives replaces the default and the allowed values.
    @Test func theStackNameAndParametersComeFromTheEnvironment() throws {
        let folder = try project(editing: { text in
            text.replacingOccurrences(of: """
                    Action: sqs:SendMessage
                                    Resource: !GetAtt WhatsAppQueue.Arn
                    """, with: """
                    Action: sqs:SendMessage
                                    Resource: !GetAtt WhatsAppQueue.Arn
                                  - Sid: DescribeTheStack
                                    Effect: Allow
                                    Action: cloudformation:DescribeStacks
                                    Resource: !Sub arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*
                                  - Sid: ReadTheTable
                                    Effect: Allow
                                    Action: dynamodb:GetItem
                                    Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/ai-multi-comms-company-data-${TableEnvironment}
                    """)
                .replacingOccurrences(of: """
                    Parameters:
                      EnvironmentName:
                    """, with: """
                    Parameters:
                      TableEnvironment:
                        Type: String
                        Default: prod
                      EnvironmentName:
                    """)
        }, design: { text in
            // Only dev deploys the template, and gives TableEnvironment its own value.
            text.replacingOccurrences(of: #""EnvironmentName": "dev","#, with: #""EnvironmentName": "dev", "TableEnvironment": "dev","#)
                .replacingOccurrences(of: """
                      "templates": [
                        "template.yaml"
                      ],
                      "parameters": {
                        "EnvironmentName": "prod",
                        "LogLevel": "INFO"
                      }
                """, with: """
                      "parameters": {}
                """)
        })
        defer { folder.remove() }
        let template = try String(contentsOfFile: folder.url("template.yaml"), encoding: .utf8)
        let design = try String(contentsOfFile: folder.url("iam-audit.json"), encoding: .utf8)
        #expect(template.contains("stack/${AWS::StackName}/*") && template.contains("TableEnvironment:"))
        #expect(design.contains(#""TableEnvironment": "dev""#) && design.components(separatedBy: "template.yaml").count == 2)
        let run = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(run.code == .success, "\(run.stdout)")
        #expect(try findings(run).isEmpty)
        // The stack name read as a hole would be outside the scope: it is the environment's.
        let noStack = iamAudit([".", "-f", "json", "--select", "DSN,IAM036"], workingDirectory: folder.path)
        #expect(try findings(noStack).isEmpty)

        // Without the design's value, TableEnvironment takes its default: prod's table, from dev.
        let folder2 = try project(editing: { text in
            text.replacingOccurrences(of: "Resource: !GetAtt CompanyDataTable.Arn",
                                      with: "Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/ai-multi-comms-company-data-${TableEnvironment}")
                .replacingOccurrences(of: "Parameters:\n  EnvironmentName:", with: "Parameters:\n  TableEnvironment:\n    Type: String\n    Default: prod\n  EnvironmentName:")
        })
        defer { folder2.remove() }
        let defaulted = try findings(iamAudit([".", "-f", "json"], workingDirectory: folder2.path))
        #expect(described(defaulted) == ["DSN006 100:27 dev"], "\(defaulted)")
    }

    /// A condition the stack's parameters settle takes its one branch (`IsProd` is false in dev): the other
    /// environment's table in the other branch is not dev's. A condition on a parameter the design leaves open keeps
    /// both branches.
    @Test func conditionsTheStackSettlesTakeOneBranch() throws {
        func table(_ condition: String) -> (String) -> String {
            { text in
                text.replacingOccurrences(of: "Resource: !GetAtt CompanyDataTable.Arn", with:
                    "Resource: !If [\(condition), !Sub \"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/ai-multi-comms-x-prod\", "
                    + "!Sub \"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/ai-multi-comms-x-dev\"]")
                    .replacingOccurrences(of: "Globals:", with: "Conditions:\n  IsProd: !Equals [!Ref EnvironmentName, prod]\n"
                                          + "  Verbose: !Equals [!Ref LogLevel, DEBUG]\n  Mixed: !And [!Condition IsProd, !Equals [!Ref Flag, on]]\n"
                                          + "  Either: !Or [!Condition IsProd, !Equals [!Ref Flag, on]]\n\nGlobals:")
                    .replacingOccurrences(of: "Parameters:\n", with: "Parameters:\n  Flag:\n    Type: String\n    Default: \"off\"\n")
            }
        }
        // IsProd settles in both stacks; Mixed (IsProd and Flag) settles in dev only, so prod may take the dev
        // table; Either (IsProd or Flag) settles in prod only, so dev may take the prod table.
        for (condition, expected) in [("IsProd", Set<String>()), ("Mixed", ["prod"]), ("Either", ["dev"])] {
            let folder = try project(editing: table(condition))
            defer { folder.remove() }
            let found = try findings(iamAudit([".", "-f", "json", "--select", "DSN"], workingDirectory: folder.path))
            #expect(found.allSatisfy { $0["ruleId"] as? String == "DSN006" && ($0["message"] as? String)?.contains("ai-multi-comms-x-") == true },
                    "\(condition): \(found)")
            #expect(Set(found.compactMap { $0["environment"] as? String }) == expected, "\(condition): \(found)")
        }
    }

    @Test(arguments: [
        (#""templates": ["missing.yaml"]"#, "file 'missing.yaml' named by /environments/dev/templates/0 does not exist"),
        (#""templates": ["dev/permissions-policy.json"]"#, "is already named by /environments/dev/permissionPolicies/0"),
        (#""templates": "template.yaml""#, "/environments/dev/templates must be an array of paths"),
        (#""templates": ["template.yaml"], "parameters": {"Env": 1}"#, "/environments/dev/parameters/Env must be a string"),
        (#""templates": ["template.yaml"], "parameters": {"Env-Name": "dev"}"#, "must be named as a CloudFormation parameter"),
        (#""templates": ["template.yaml"], "parameters": ["dev"]"#, "/environments/dev/parameters must be an object of parameter values"),
    ])
    func designMistakesArePositionedErrors(member: String, expected: String) throws {
        let folder = try project(design: { text in
            text.replacingOccurrences(of: """
                      "templates": [
                        "template.yaml"
                      ],
                      "parameters": {
                        "EnvironmentName": "dev",
                        "LogLevel": "DEBUG"
                      }
                """, with: "      " + member)
        })
        defer { folder.remove() }
        let run = iamAudit(["."], workingDirectory: folder.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stderr.contains("iam-audit.json:"))
    }
}

/// The design's `github.defaultBranch`: the runs of default-branch events (`pull_request_target`, `issue_comment`,
/// `schedule`, …) carry that branch's ref; without it, any branch.
@Suite("The design's default branch")
struct DefaultBranchTests {
    /// `fixtures/workflows/pull-request-target/` copied, its design given `defaultBranch`, its trust pinned to `pinned`.
    private func codes(defaultBranch: String?, pinned: String) throws -> [String] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = PackageRoot.url.path + "/fixtures/workflows/pull-request-target/"
        for file in try FileManager.default.subpathsOfDirectory(atPath: root) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + file, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            var text = try String(contentsOfFile: root + file, encoding: .utf8)
            if file == "iam-audit.json", let defaultBranch {
                text = text.replacingOccurrences(of: #""audience": "sts.amazonaws.com""#,
                                                 with: #""audience": "sts.amazonaws.com", "defaultBranch": "\#(defaultBranch)""#)
            }
            if file == "prod/trust-policy.json" { text = text.replacingOccurrences(of: "ref:refs/heads/main", with: "ref:refs/heads/\(pinned)") }
            try folder.write(file, text)
        }
        let run = iamAudit([".", "-f", "json", "--select", "WF001"], workingDirectory: folder.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        return (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String }
    }

    @Test func pullRequestTargetRunsOnTheDeclaredDefaultBranch() throws {
        // Unknown default branch: a trust pinned to any branch admits the stranger's pull_request_target run.
        #expect(try codes(defaultBranch: nil, pinned: "main") == ["WF001"])
        #expect(try codes(defaultBranch: nil, pinned: "release") == ["WF001"])
        // Declared: only a trust pinned to that branch does.
        #expect(try codes(defaultBranch: "main", pinned: "main") == ["WF001"])
        #expect(try codes(defaultBranch: "main", pinned: "release").isEmpty)
    }

    @Test(arguments: ["refs/heads/main", "feature/*", "a b"])
    func aDefaultBranchIsOneExactName(value: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("iam-audit.json", #"{"version": 1, "github": {"repository": "o/r", "defaultBranch": "\#(value)"}, "environments": {}}"#)
        try folder.write("p.json", #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#)
        let run = iamAudit(["."], workingDirectory: folder.path)
        #expect(run.code == .failure)
        #expect(run.stderr.contains("/github/defaultBranch must be"), "\(run.stderr)")
    }
}

/// A design's `ignore` entries reach the findings of the rules over the whole run in files outside its folder (a
/// repository's `.github/workflows/` beside `policies/`), named from the design's folder with `..`.
@Suite("Ignore entries for workflows beside the design")
struct WorkflowIgnoreTests {
    @Test func anEntryClimbingOutOfTheDesignsFolderSuppressesAWorkflowFinding() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let seed = PackageRoot.url.path + "/fixtures/seed-as-documented/"
        for file in ["dev_cicd.yml", "prod_cicd.yml"] {
            try folder.write(".github/workflows/\(file)", try String(contentsOfFile: seed + ".github/workflows/" + file, encoding: .utf8))
        }
        for file in ["iam-audit.json", "oidc-provider.json", "template.yaml", "dev/trust-policy.json", "dev/permissions-policy.json",
                     "prod/trust-policy.json", "prod/permissions-policy.json"] {
            try folder.write("policies/" + file, try String(contentsOfFile: seed + file, encoding: .utf8))
        }
        func wf003(_ run: RunResult) throws -> (found: Int, suppressed: Int) {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
            let found = (report["findings"] as? [[String: Any]] ?? []).filter { $0["ruleId"] as? String == "WF003" }.count
            let suppressed = (report["suppressed"] as? [[String: Any]] ?? []).filter { $0["ruleId"] as? String == "WF003" }.count
            return (found, suppressed)
        }
        let before = try wf003(iamAudit([".", "-f", "json"], workingDirectory: folder.path))
        #expect(before.found == 2 && before.suppressed == 0)
        var design = try String(contentsOfFile: folder.url("policies/iam-audit.json"), encoding: .utf8)
        design = String(design.dropLast(while: { $0 != "}" }).dropLast())
            + #", "ignore": [{"rule": "WF003", "path": "../.github/workflows/*.yml", "reason": "the workflow-level grant is being split per job"}]}"# + "\n"
        try folder.write("policies/iam-audit.json", design)
        let run = iamAudit([".", "-f", "json"], workingDirectory: folder.path)
        #expect(try wf003(run).found == 0 && wf003(run).suppressed == 2)
        #expect(!run.stderr.contains("matches no finding"))
    }
}

private extension String {
    func dropLast(while predicate: (Character) -> Bool) -> Substring {
        var text = Substring(self)
        while let last = text.last, predicate(last) { text = text.dropLast() }
        return text
    }
}
