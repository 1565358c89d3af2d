import IAMAuditRules
import IAMPolicy

/// `iam-audit simulate`: read one trust policy, evaluate it against the token's claims, print the decision.
///
/// Exit codes: 0 when the policy allows the token, 1 when it denies it, 2 when the file cannot be read, is not
/// valid JSON, holds no policy, or holds no statement that could apply to a GitHub token (one that names a GitHub
/// identity provider or every principal).
struct SimulateCommand {
    let request: SimulationRequest
    let context: RunContext

    func run() -> ExitCode {
        let name = request.path == "-" ? PolicySource.standardInputName : PathNames.tidy(request.path)
        let read = request.path == "-"
            ? context.standardInput.readAll(FileReader.defaultLimit)
            : FileReader.read(path: context.systemPath(request.path), limit: FileReader.defaultLimit, requireRegular: false)
        let bytes: [UInt8]
        switch read {
        case .success(let contents):
            bytes = contents
        case .failure(let failure):
            context.error("\(name): \(failure.message)")
            return .failure
        }
        let loaded = PolicyLoader().load(file: name, bytes: bytes)
        if let syntax = loaded.syntaxErrors.first {
            context.error("\(name):\(syntax.span.start.line):\(syntax.span.start.column): not valid JSON: \(syntax.message)")
            return .failure
        }
        if loaded.provider != nil {
            context.error("\(name): an OpenID Connect provider description (get-open-id-connect-provider output), not a trust policy")
            return .failure
        }
        guard let policy = loaded.policies.first else {
            context.error("\(name): not a policy: \(loaded.notAPolicy ?? "no policy document found")")
            return .failure
        }
        let result = TrustSimulation.evaluate(policy, claims: request.allClaims, provider: request.provider)
        guard result.appliesToGitHubTokens else {
            context.error("\(name): no statement has a GitHub federated principal "
                + "(arn:aws:iam::ACCOUNT:oidc-provider/token.actions.githubusercontent.com) or Principal \"*\", so there is nothing to simulate")
            return .failure
        }
        let output = switch request.format {
        case .text: SimulationOutput.text(result, file: name)
        case .json: SimulationOutput.json(result, file: name)
        }
        context.standardOutput.write(output)
        return result.decision.isAllowed ? .success : .findings
    }
}
