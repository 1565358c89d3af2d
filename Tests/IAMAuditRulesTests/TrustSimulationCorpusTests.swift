import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// `simulate` and the admitted-subject sets of `GitHubTrust` answer alike on the real policies of the corpus.
@Suite("Trust simulation on the corpus", .enabled(if: GitHubOIDCTrustCorpus.folder != nil, Comment(rawValue: GitHubOIDCTrustCorpus.absent)))
struct TrustSimulationCorpusTests {
    /// For every corpus policy whose GitHub statements test only `sub` and `aud` (an `aud` that admits
    /// `sts.amazonaws.com`), name one issuer and hold no policy variable, a subject GitHub can issue is allowed by
    /// the simulation exactly when it is in the admitted set: checked on the set's witness, its complement's witness, and
    /// subjects made from every `sub` value the policy writes.
    @Test func simulationAgreesWithTheAdmittedSubjects() throws {
        var compared = 0
        var policies = 0
        for file in try GitHubOIDCTrustCorpus.policyFiles() {
            let bytes = try Array(Data(contentsOf: file))
            guard let policy = PolicyLoader().load(file: file.lastPathComponent, bytes: bytes).policies.first,
                  let trust = GitHubTrust(policy), Self.isComparable(trust) else { continue }
            policies += 1
            var subjects: Set<String> = ["repo:junksamiad/template-sender-engine:ref:refs/heads/main",
                                         "repo:junksamiad/template-sender-engine:pull_request", "repo:x/y:ref:refs/heads/main", ""]
            if let inside = trust.admittedSubjects.shortestWitness() { subjects.insert(inside) }
            if let outside = trust.admittedSubjects.complement().shortestWitness() { subjects.insert(outside) }
            for statement in trust.statements {
                for item in statement.clauses where item.claim == "sub" {
                    for value in item.clause.values.values.map(\.text) {
                        subjects.insert(value)
                        subjects.insert(value.replacingOccurrences(of: "*", with: ""))
                        subjects.insert(value.replacingOccurrences(of: "*", with: "x/y:pull_request"))
                        subjects.insert(value.replacingOccurrences(of: "?", with: "q"))
                    }
                }
            }
            for subject in subjects.sorted() {
                // The admitted set holds subjects of tokens GitHub issues; a string of no token's shape is never in it.
                guard GitHubTokenShape.allCases.contains(where: { GitHubTokenLayout.subjects($0).contains(subject) }) else {
                    #expect(!trust.admittedSubjects.contains(subject), "\(file.lastPathComponent): sub '\(subject)' is no token's subject")
                    continue
                }
                let simulated = TrustSimulation.evaluate(policy, claims: ["sub": subject]).decision == .allow
                #expect(simulated == trust.admittedSubjects.contains(subject), "\(file.lastPathComponent): sub '\(subject)'")
                compared += 1
            }
        }
        #expect(policies >= 30, "expected most corpus policies to be comparable, found \(policies)")
        print("compared \(compared) subjects over \(policies) corpus policies")
    }

    /// Whether the simulation and the admitted set model the same thing for `trust`.
    static func isComparable(_ trust: GitHubTrust) -> Bool {
        let issuers = Set(trust.statements.flatMap { $0.providers.map(\.keyPrefix) })
        guard issuers.count == 1 else { return false }
        return trust.statements.allSatisfy { statement in
            statement.blockingClause == nil
                // A provider known only from its keys (a templated `Federated` value) is not one the simulation names.
                && statement.providers.allSatisfy { GitHubProvider($0.principal) != nil }
                && statement.clauses.allSatisfy { $0.isInRequest && ($0.claim == "sub" || $0.claim == "aud") && $0.constraint != nil }
                && statement.constraint("aud").values.contains(GitHubOIDC.defaultAudience)
                && statement.clauses.allSatisfy { clause in !clause.clause.values.values.contains { $0.text.contains("${") } }
        }
    }
}
