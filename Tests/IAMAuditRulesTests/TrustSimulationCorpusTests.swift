import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// `simulate` and ``ReferenceTrustEvaluator`` decide alike on the real policies of the corpus.
@Suite("Trust simulation on the corpus", .enabled(if: GitHubOIDCTrustCorpus.folder != nil, Comment(rawValue: GitHubOIDCTrustCorpus.absent)))
struct TrustSimulationCorpusTests {
    /// For every corpus policy the reference models (string and `Null` operators only), tokens made from the
    /// policy's own values (wildcards filled, owners swapped for a stranger's) and the runs of the seed repository
    /// and a stranger get the same decision from both, with the role's account worked out from the policy and with
    /// the account of the first provider it names.
    @Test func simulationAgreesWithTheReference() throws {
        var rng = SeededGenerator(seed: 0xC0_4905)
        var compared = 0
        var policies = 0
        for file in try GitHubOIDCTrustCorpus.policyFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let policy = PolicyLoader().load(file: file.lastPathComponent, bytes: Array(text.utf8)).policies.first,
                  let reference = try? ReferenceTrustEvaluator(json: text) else { continue }
            var tokens = Self.tokens(for: policy, &rng)
            // Only policies whose applicable statements use operators the reference models.
            guard tokens.allSatisfy({ reference.decide($0, roleAccount: nil) != nil }) else { continue }
            policies += 1
            tokens.sort { $0.description < $1.description }
            let accounts: [ReferenceTrustEvaluator.Account?] = [nil, Self.firstProviderAccount(policy)]
            for token in tokens {
                for account in accounts {
                    let expected = reference.decide(token, roleAccount: account)?.rawValue
                    let provider = account.map { "arn:\($0.partition):iam::\($0.id):oidc-provider/\(token.issuer)" }
                    let actual = TrustSimulation.evaluate(policy, claims: token.claims, issuer: token.issuer, provider: provider).decision.rawValue
                    #expect(actual == expected, "\(file.lastPathComponent): \(token), role account \(account?.id ?? "worked out")")
                    compared += 1
                }
            }
        }
        #expect(policies >= 40, "expected most corpus policies to be modelled by the reference, found \(policies)")
        print("compared \(compared) decisions over \(policies) corpus policies")
    }

    /// The account of the first identity-provider ARN a `Federated` principal names.
    static func firstProviderAccount(_ policy: Policy) -> ReferenceTrustEvaluator.Account? {
        for statement in policy.document.statements {
            for value in statement.principal?.values(ofType: "Federated") ?? [] {
                if let arn = ARN(parsing: value.value), !arn.account.isEmpty { return .init(partition: arn.partition, id: arn.account) }
            }
        }
        return nil
    }

    /// Tokens from the issuers the policy's keys name: the seed repository's and a stranger's runs, and for each value
    /// the policy writes, instances of it set on its claim of those runs.
    static func tokens(for policy: Policy, _ rng: inout SeededGenerator) -> [ReferenceTrustEvaluator.Token] {
        var issuers: Set<String> = []
        var values: [(claim: String, value: String)] = []
        for statement in policy.document.statements {
            for clause in statement.condition?.clauses ?? [] {
                let key = clause.key.value.lowercased()
                guard let colon = key.lastIndex(of: ":") else { continue }
                issuers.insert(String(key[..<colon]))
                for value in clause.values.values.prefix(30) { values.append((String(key[key.index(after: colon)...]), value.text)) }
            }
        }
        if issuers.isEmpty { issuers = [TrustPolicyGenerator.issuer] }
        var tokens: [ReferenceTrustEvaluator.Token] = []
        for issuer in issuers.sorted() {
            let seed = TrustPolicyGenerator.run(owner: "junksamiad", repository: "template-sender-engine", &rng)
            let stranger = TrustPolicyGenerator.run(owner: "stranger", repository: "x", &rng)
            tokens.append(.init(issuer: issuer, claims: seed))
            tokens.append(.init(issuer: issuer, claims: stranger))
            for (claim, value) in values {
                for base in [seed, stranger] {
                    var claims = base
                    claims[claim] = TrustPolicyGenerator.instance(of: value, &rng)
                    tokens.append(.init(issuer: issuer, claims: claims))
                    var exact = base
                    exact[claim] = value
                    tokens.append(.init(issuer: issuer, claims: exact))
                }
            }
        }
        return tokens
    }
}
