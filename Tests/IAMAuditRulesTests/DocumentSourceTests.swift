import IAMAuditRules
import IAMPolicy
import Testing

/// The worked example of CONTRIBUTING.md's "Adding a source": a file of policies, one JSON document per line
/// (`*.policies.jsonl`). Each line is a unit of its own, so its findings carry the line's position in the file,
/// its pointer (`/2` is the third line) and its label in messages.
struct PolicyLinesSource: DocumentSource {
    static let name = "policy lines"

    static func walks(fileName: String) -> Bool {
        fileName.hasSuffix(".policies.jsonl")
    }

    static func recognizes(_ file: SourceFile) -> Bool {
        walks(fileName: file.name)
    }

    func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        var reading = SourceReading()
        let bytes = file.bytes
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if lineEnd > lineStart {
                let (range, line, name) = (lineStart..<lineEnd, lineNumber, file.name)
                let pointer = JSONPointer(tokens: [String(line - 1)])
                reading.units.append(SourceUnit {
                    let start = SourcePosition(line: line, column: 1, offset: range.lowerBound)
                    let parsed = bytes.withUnsafeBufferPointer { buffer -> Result<JSONNode, JSONSyntaxError> in
                        do throws(JSONSyntaxError) {
                            return .success(try loader.parser.parse(buffer, range: range, start: start, lineStart: range.lowerBound))
                        } catch {
                            return .failure(error)
                        }
                    }
                    let tree: JSONNode
                    switch parsed {
                    case .success(let node): tree = node
                    case .failure(let error):
                        return UnitReading(problems: [ReadingProblem(.syntax, message: error.message, pointer: pointer,
                                                                     span: SourceSpan(at: error.position))], label: "line \(line)")
                    }
                    switch loader.document(at: tree, pointer: pointer, file: name, label: "line \(line)") {
                    case .success(let policy):
                        return UnitReading(documents: [AuditDocument(policy: policy)], tree: tree, base: pointer, label: "line \(line)")
                    case .failure(.syntax(let failure)):
                        return UnitReading(problems: [ReadingProblem(.syntax, message: failure.message, pointer: failure.pointer, span: failure.span)])
                    case .failure(.notAPolicy(let reason)):
                        return UnitReading(problems: [ReadingProblem(.syntax, message: reason, pointer: pointer, span: tree.span)])
                    }
                })
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        if reading.units.isEmpty { reading.notAuditable = "no policy lines" }
        return reading
    }
}

@Suite("Document sources")
struct DocumentSourceTests {
    static let lines = """
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}

    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    {"Version": "2012-10-17", "Statement": [
    """

    func audit(_ text: String, file: String = "team.policies.jsonl", sources: [any DocumentSource.Type]) -> FileAudit {
        var auditor = Auditor()
        auditor.sources = sources
        return auditor.audit(file: file, bytes: Array(text.utf8), jobs: 2)
    }

    @Test("a registered source reads its files: findings at the line's position, with its pointer and label")
    func registeredSource() throws {
        let audit = audit(Self.lines, sources: [PolicyLinesSource.self] + SourceCatalog.all)
        #expect(audit.policyCount == 2)
        let allowAll = try #require(audit.findings.first { $0.ruleCode == "PRIV001" })
        #expect(allowAll.span.start.line == 3)
        #expect(allowAll.pointer.description.hasPrefix("/2/Statement/0"))
        #expect(allowAll.message.hasSuffix("(line 3)"))
        let syntax = try #require(audit.findings.first { $0.ruleCode == "IAM001" })
        #expect(syntax.span.start.line == 4)
        #expect(syntax.message.hasSuffix("(line 4)"))
    }

    @Test("without the registration the same file is read as one policy file, and found not to be one")
    func unregistered() {
        let audit = audit(Self.lines, sources: SourceCatalog.all)
        #expect(audit.policyCount == 0)
        #expect(audit.findings.map(\.ruleCode) == ["IAM001"])
    }

    @Test("the policy source reads what no other source recognizes; a file holding nothing is an error when named")
    func fallsBackToThePolicySource() {
        let named = audit(#"{"name": "not a policy"}"#, file: "package.json", sources: [PolicyLinesSource.self] + SourceCatalog.all)
        #expect(named.errors.map(\.message).first?.hasPrefix("not a policy: ") == true)
        var auditor = Auditor()
        auditor.sources = [PolicyLinesSource.self] + SourceCatalog.all
        let found = auditor.audit(file: "package.json", bytes: Array(#"{"name": "x"}"#.utf8), explicit: false)
        #expect(found.errors.isEmpty)
        #expect(found.notices.map(\.message).first?.hasPrefix("skipped, not a policy: ") == true)
    }

    @Test("the catalog's sources each walk JSON files but workflows and configuration, the workflow is asked first and the policy file last")
    func catalog() {
        #expect(SourceCatalog.all.map { $0.name } == ["GitHub workflow", "CloudFormation template", "Terraform plan", "Terraform configuration",
                                                     "account authorization details", "policy"])
        let others: Set<ObjectIdentifier> = [ObjectIdentifier(TerraformConfigurationSource.self), ObjectIdentifier(GitHubWorkflowSource.self)]
        #expect(SourceCatalog.all.filter { !others.contains(ObjectIdentifier($0)) }.allSatisfy { $0.walks(fileName: "x.JSON") })
        #expect(GitHubWorkflowSource.walks(fileName: "deploy.yml") && GitHubWorkflowSource.walks(fileName: "deploy.YAML"))
        #expect(!GitHubWorkflowSource.walks(fileName: "deploy.json"))
    }
}
