import Foundation
import IAMAuditCLI
import Testing

/// The GitHub workflow, composite action, pre-commit hook and example pipelines parse as YAML, keep their
/// security settings, and use only flags `iam-audit --help` lists.
///
/// YAML is parsed by python3's `yaml` module (the package has no YAML parser and takes no dependency); without
/// it the YAML checks print why and pass, and the flag check still runs on the raw text.
@Suite("Integration files")
struct IntegrationFileTests {
    static let files = [
        ".github/workflows/ci.yml", ".github/workflows/release.yml", "action.yml", ".pre-commit-hooks.yaml",
        "examples/workflows/dev_cicd.yml", "examples/workflows/prod_cicd.yml",
    ]

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: PackageRoot.url.appendingPathComponent(relative).path, encoding: .utf8)
    }

    /// `relative` parsed by python3's yaml and re-encoded as JSON; nil (with a printed reason) when python3 or
    /// its yaml module is missing.
    static func parsedYAML(_ relative: String) throws -> Any? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, sys
            try:
                import yaml
            except ImportError:
                sys.exit(3)
            with open(sys.argv[1]) as f:
                print(json.dumps(yaml.safe_load(f), default=str))
            """, PackageRoot.url.appendingPathComponent(relative).path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            print("IntegrationFileTests: python3 is not available (\(error)); YAML checks skipped")
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0:
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        case 3, 127:
            print("IntegrationFileTests: python3 or its yaml module is missing; YAML checks skipped")
            return nil
        default:
            Issue.record("\(relative) is not valid YAML: \(message)")
            return nil
        }
    }

    @Test(arguments: files)
    func parsesAsYAML(_ relative: String) throws {
        _ = try Self.parsedYAML(relative)
    }

    /// The `--flag` tokens of `text`: on lines that run iam-audit, and, for action.yml, in every run step.
    static func flags(in relative: String) throws -> Set<String> {
        let text = try Self.text(relative)
        let invocation = try Regex(#"(^|[\s/"'])iam-audit(["']?)(\s|$)"#)
        let flag = try Regex(#"--[a-z][a-z-]*"#)
        var flags = Set<String>()
        var inRunStep = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if relative == "action.yml" {
                if trimmed.hasPrefix("run:") { inRunStep = true } else if trimmed.hasPrefix("- name:") || trimmed.hasPrefix("branding:") { inRunStep = false }
            }
            let runsTool = !trimmed.hasPrefix("#") && !trimmed.hasPrefix("uses:") && !trimmed.hasPrefix("- uses:")
                && line.contains(invocation)
            guard runsTool || inRunStep else { continue }
            for match in line.matches(of: flag) { flags.insert(String(line[match.range])) }
        }
        return flags
    }

    @Test(arguments: files)
    func usesOnlyFlagsTheToolHas(_ relative: String) throws {
        let help = iamAudit(["--help"]).stdout
        let known = Set(help.matches(of: try Regex(#"--[a-z][a-z-]*"#)).map { String(help[$0.range]) })
        #expect(known.contains("--format") && known.contains("--baseline"))
        for flag in try Self.flags(in: relative).sorted() {
            #expect(known.contains(flag), "\(relative) uses \(flag), which iam-audit --help does not list")
        }
    }

    /// The flag check sees the invocations it is meant to check.
    @Test func flagCheckFindsTheInvocations() throws {
        #expect(try Self.flags(in: ".github/workflows/ci.yml").isSuperset(of: ["--format", "--output", "--fail-on"]))
        #expect(try Self.flags(in: "action.yml").isSuperset(of: ["--design", "--format", "--output", "--fail-on"]))
    }

    @Test func ciWorkflowUploadsSARIFAndGates() throws {
        guard let workflow = try Self.parsedYAML(".github/workflows/ci.yml") as? [String: Any] else { return }
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        let job = try #require(jobs.values.first)
        #expect(job["permissions"] as? [String: String] == ["security-events": "write", "contents": "read"])
        let steps = try #require(job["steps"] as? [[String: Any]])
        let runs = steps.compactMap { $0["run"] as? String }
        #expect(runs.contains("make test"))
        #expect(runs.contains { $0.contains("iam-audit policies/ --format sarif --output iam-audit.sarif") })
        let upload = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif@") == true })
        #expect(upload["if"] as? String == "always()")
        #expect((upload["with"] as? [String: String])?["category"] == "iam-audit")
        #expect((upload["with"] as? [String: String])?["sarif_file"] == "iam-audit.sarif")
        let uploadIndex = try #require(steps.firstIndex { ($0["uses"] as? String)?.contains("upload-sarif") == true })
        let gate = try #require(steps.last?["run"] as? String)
        #expect(steps.count - 1 > uploadIndex && gate.hasSuffix("iam-audit policies/"), "the last step gates with the default --fail-on")
    }

    @Test func actionHasItsInputs() throws {
        guard let action = try Self.parsedYAML("action.yml") as? [String: Any] else { return }
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        #expect(Set(inputs.keys) == ["version", "build-from-source", "paths", "design", "fail-on", "format", "sarif-file"])
        #expect(inputs["build-from-source"]?["default"] as? String == "false", "building from source is an opt-in")
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        let install = try #require(steps.first?["run"] as? String)
        #expect(install.contains("scripts/install-release.sh") && install.contains("make -C"))
        for step in steps {
            let run = step["run"] as? String ?? ""
            #expect(!run.contains("${{"), "inputs reach the scripts through env, never pasted into run")
        }
    }

    /// Every action a workflow or example uses is pinned to a commit, with its version in a comment, and every
    /// checkout drops its credentials.
    @Test(arguments: files.filter { $0.hasSuffix(".yml") && $0 != "action.yml" })
    func actionsArePinnedAndCheckoutsKeepNoCredentials(_ relative: String) throws {
        let pinned = try Regex(#"^\s*(-\s+)?uses:\s+[^@\s]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$"#)
        for line in try Self.text(relative).split(separator: "\n") where line.contains("uses:") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            #expect(line.wholeMatch(of: pinned) != nil, "\(relative): '\(line)' is not pinned to a commit with its version")
        }
        guard let workflow = try Self.parsedYAML(relative) as? [String: Any] else { return }
        #expect(workflow["permissions"] as? [String: String] == [:], "\(relative) grants nothing at the workflow level")
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        for (name, job) in jobs {
            #expect(job["permissions"] != nil, "\(relative): job \(name) names its permissions")
            for step in job["steps"] as? [[String: Any]] ?? [] where (step["uses"] as? String)?.hasPrefix("actions/checkout@") == true {
                #expect((step["with"] as? [String: Any])?["persist-credentials"] as? Bool == false, "\(relative): a checkout of job \(name) keeps its credentials")
            }
        }
    }

    @Test func releaseWorkflowPublishesWithTheOnlyWriteGrant() throws {
        guard let workflow = try Self.parsedYAML(".github/workflows/release.yml") as? [String: Any] else { return }
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        #expect(Set(jobs.keys) == ["linux", "macos", "publish"])
        for (name, job) in jobs {
            let permissions = try #require(job["permissions"] as? [String: String])
            #expect(permissions == (name == "publish" ? ["contents": "write"] : ["contents": "read"]), "job \(name)")
        }
        let publish = try #require(jobs["publish"]?["steps"] as? [[String: Any]])
        let release = try #require(publish.compactMap { $0["run"] as? String }.first { $0.contains("gh release create") })
        #expect(release.contains("SHA256SUMS") && release.contains("--verify-tag"))
        let builds = try #require((jobs["linux"]?["strategy"] as? [String: Any])?["matrix"] as? [String: Any])
        let arches = (builds["include"] as? [[String: String]] ?? []).compactMap { $0["arch"] }
        #expect(Set(arches) == ["x86_64", "aarch64"])
    }

    @Test func preCommitHooksAuditPolicyTemplateAndWorkflowChanges() throws {
        guard let hooks = try Self.parsedYAML(".pre-commit-hooks.yaml") as? [[String: Any]] else { return }
        #expect(hooks.map { $0["id"] as? String } == ["iam-audit", "iam-audit-system"])
        #expect(hooks.map { $0["language"] as? String } == ["swift", "system"])
        let changed = [
            "iam/trust-policy.json", "template.yaml", "stack.yml", "stack.template", ".github/workflows/deploy.yml",
        ]
        for hook in hooks {
            let files = try Regex(try #require(hook["files"] as? String))
            for path in changed { #expect(path.firstMatch(of: files) != nil, "\(hook["id"] ?? "") misses \(path)") }
            #expect("README.md".firstMatch(of: files) == nil)
            #expect(hook["entry"] as? String == "iam-audit")
            #expect(hook["pass_filenames"] as? Bool == false)
        }
    }

    /// The seed's pipelines: OIDC only for the deploy jobs (those that name an environment), the gate in pr_checks.
    @Test(arguments: ["dev", "prod"])
    func examplePipelineGrantsOIDCOnlyToDeployJobs(_ environment: String) throws {
        guard let workflow = try Self.parsedYAML("examples/workflows/\(environment)_cicd.yml") as? [String: Any] else { return }
        #expect(workflow["permissions"] as? [String: String] == [:])
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        #expect(Set(jobs.keys) == ["pr_checks", "build-and-deploy-\(environment)"])
        for (name, job) in jobs {
            let permissions = job["permissions"] as? [String: String]
            if name == "pr_checks" {
                #expect(permissions == ["contents": "read"])
                #expect(job["environment"] == nil)
                let steps = try #require(job["steps"] as? [[String: Any]])
                let audit = try #require(steps.first { ($0["uses"] as? String)?.contains("iam-audit") == true })
                #expect((audit["with"] as? [String: Any])?["version"] != nil, "the example names the release it installs")
            } else {
                #expect(permissions?["id-token"] == "write")
                #expect(job["environment"] as? String == environment)
                let steps = try #require(job["steps"] as? [[String: Any]])
                let credentials = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("aws-actions/configure-aws-credentials@") == true })
                let with = try #require(credentials["with"] as? [String: String])
                #expect(with["role-to-assume"] == "arn:aws:iam::337909745089:role/GitHubActions-template-sender-engine-\(environment)")
                #expect(with["aws-region"] == "eu-north-1")
            }
        }
    }
}
