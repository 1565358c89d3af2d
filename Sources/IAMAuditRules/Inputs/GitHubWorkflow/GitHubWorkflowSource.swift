import IAMPolicy

/// GitHub Actions workflows (`.github/workflows/*.yml` and `*.yaml`): read into the workflow model
/// (``GitHubWorkflow``) for the rules that prove which job can assume which role. A workflow holds no policy; it
/// contributes the tokens its jobs can mint and the roles they assume to the rules over the whole run.
///
/// A file under `.github/workflows/` that does not parse is a syntax finding at its position: an unread workflow
/// may be the one that mints a token a role admits. A YAML file elsewhere is read as a workflow when its top level
/// has `on` and `jobs`.
///
/// Reference: GitHub, "Workflow syntax for GitHub Actions"
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax).
public struct GitHubWorkflowSource: DocumentSource {
    public static let name = "GitHub workflow"

    public init() {}

    public static func walks(fileName: String) -> Bool {
        CloudFormationSource.isYAMLName(fileName)
    }

    /// Whether a file of this name may be read as a workflow (`recognizes` looks at the bytes too).
    public static func mayRead(fileName: String) -> Bool {
        CloudFormationSource.isYAMLName(fileName) || isInWorkflowsFolder(fileName)
    }

    /// Whether the file sits in a `.github/workflows/` folder.
    static func isInWorkflowsFolder(_ name: String) -> Bool {
        let path = name.replacingOccurrences(of: "\\", with: "/")
        return path.hasPrefix(".github/workflows/") || path.containsLiteral("/.github/workflows/")
    }

    /// A YAML file in `.github/workflows/`, or one whose bytes name `jobs:` and `runs-on` or `on:` (confirmed on the
    /// tree in ``read(_:loader:)``).
    public static func recognizes(_ file: SourceFile) -> Bool {
        guard mayRead(fileName: file.name) else { return false }
        if isInWorkflowsFolder(file.name) { return true }
        return ByteSearch.contains(file.bytes, "jobs:")
            && (ByteSearch.contains(file.bytes, "runs-on") || ByteSearch.contains(file.bytes, "on:"))
    }

    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        let parser = YAMLParser(options: .init(maxDepth: loader.parser.maxDepth))
        let tree: JSONNode
        do {
            tree = try parser.parse(file.bytes)
        } catch {
            guard Self.isInWorkflowsFolder(file.name) else { return nil }
            let position = error.position
            return SourceReading(problems: [ReadingProblem(.syntax, message: "workflow is not valid YAML: \(error.message)", pointer: .root,
                                                           span: SourceSpan(at: position))])
        }
        guard GitHubWorkflowReader.isWorkflow(tree) else { return nil }
        return SourceReading(problems: Self.duplicateKeys(tree), workflows: [GitHubWorkflowReader.read(tree, file: file.name)])
    }

    /// A key written twice in the workflow's mapping or in a job's: GitHub rejects such a file, and iam-audit, which
    /// reads the last one, would not see what the first one says.
    static func duplicateKeys(_ tree: JSONNode) -> [ReadingProblem] {
        var problems: [ReadingProblem] = []
        func check(_ node: JSONNode, at pointer: JSONPointer) {
            guard let members = node.objectValue else { return }
            var seen = Set<String>()
            for member in members where !seen.insert(member.key).inserted {
                problems.append(ReadingProblem(.syntax, message: "key '\(member.key)' is written twice; GitHub rejects the workflow, and only the last is read",
                                               pointer: pointer.appending(member.key), span: member.keySpan))
            }
        }
        check(tree, at: .root)
        for job in tree["jobs"]?.objectValue ?? [] { check(job.value, at: JSONPointer.root.appending("jobs").appending(job.key)) }
        return problems
    }
}

extension GitHubWorkflow {
    /// Whether a job of the workflow may mint an OpenID Connect token or assume a role: a grant of `id-token`
    /// beyond `none`, or a step that configures AWS credentials.
    public var mintsTokens: Bool {
        if let permissions, permissions.idToken != .none { return true }
        return jobs.contains { job in
            (job.permissions.map { $0.idToken != .none } ?? false) || !job.credentialSteps.isEmpty || job.call != nil
        }
    }
}
