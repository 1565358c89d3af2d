import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// Properties of the trust analysis checked against ``ReferenceTrustEvaluator`` on generated policies and tokens
/// (``TrustPolicyGenerator``): `simulate` decides as the reference does; every witness token a finding names is
/// admitted; a policy that admits a stranger's token never goes without an error.
///
/// The generator is seeded, so every run explores the same cases; a failure is shrunk to a small policy and token
/// and printed as JSON.
@Suite("Trust evaluation against the reference evaluator")
struct TrustEvaluationPropertyTests {
    typealias Token = ReferenceTrustEvaluator.Token
    typealias Account = ReferenceTrustEvaluator.Account

    static let roleAccount = Account(partition: "aws", id: "111122223333")

    /// A case that breaks a property, shrunk, as the report prints it.
    struct Counterexample: CustomStringConvertible {
        var policy: GeneratedPolicy
        var token: Token?
        var detail: String

        var description: String {
            "\(detail)\npolicy: \(policy.json)" + (token.map { "\ntoken: \($0)" } ?? "")
        }
    }

    // MARK: 1. simulate decides as the reference does

    /// `simulate`'s decision for `token`, with the role in `account` (nil: worked out from the policy).
    static func simulated(_ policy: GeneratedPolicy, _ token: Token, account: Account?) -> String? {
        guard let loaded = PolicyLoader().load(file: "policy.json", bytes: Array(policy.json.utf8)).policies.first else { return nil }
        let provider = account.map { "arn:\($0.partition):iam::\($0.id):oidc-provider/\(token.issuer)" }
        return TrustSimulation.evaluate(loaded, claims: token.claims, issuer: token.issuer, provider: provider).decision.rawValue
    }

    static func referenceDecision(_ policy: GeneratedPolicy, _ token: Token, account: Account?) -> String? {
        (try? ReferenceTrustEvaluator(json: policy.json))?.decide(token, roleAccount: account)?.rawValue
    }

    static func disagrees(_ policy: GeneratedPolicy, _ token: Token, account: Account?) -> Bool {
        guard let reference = referenceDecision(policy, token, account: account) else { return false }
        return simulated(policy, token, account: account) != reference
    }

    @Test func simulateDecidesAsTheReferenceDoes() throws {
        var rng = SeededGenerator(seed: 0x15_5151)
        var compared = 0
        var allowed = 0
        var failures: [(GeneratedPolicy, Token, Account?)] = []
        for _ in 0..<1_500 {
            let policy = TrustPolicyGenerator.policy(&rng)
            let loaded = try #require(PolicyLoader().load(file: "policy.json", bytes: Array(policy.json.utf8)).policies.first, "\(policy.json)")
            let reference = try ReferenceTrustEvaluator(json: policy.json)
            for _ in 0..<5 {
                let token = TrustPolicyGenerator.token(for: policy, &rng)
                let account = rng.chance(0.8) ? Self.roleAccount : nil
                let expected = try #require(reference.decide(token, roleAccount: account))
                let provider = account.map { "arn:\($0.partition):iam::\($0.id):oidc-provider/\(token.issuer)" }
                let actual = TrustSimulation.evaluate(loaded, claims: token.claims, issuer: token.issuer, provider: provider).decision
                compared += 1
                if expected == .allow { allowed += 1 }
                if actual.rawValue != expected.rawValue, failures.count < 20 { failures.append((policy, token, account)) }
            }
        }
        #expect(allowed > compared / 20, "the generator should reach allowed tokens often: \(allowed) of \(compared)")
        for (policy, token, account) in failures.prefix(3) {
            let (small, smallToken) = Self.shrink(policy, token) { Self.disagrees($0, $1 ?? token, account: account) }
            let shrunkToken = smallToken ?? token
            let detail = "simulate \(Self.simulated(small, shrunkToken, account: account) ?? "?"), reference "
                + "\(Self.referenceDecision(small, shrunkToken, account: account) ?? "?"), role account \(account?.id ?? "worked out")"
            Issue.record("\(Counterexample(policy: small, token: shrunkToken, detail: detail))")
        }
        #expect(failures.count == 0, "disagreements in \(compared) comparisons (at most 20 counted)")
    }

    // MARK: 2. Every witness is admitted

    /// The token a finding's witness names: claims by lowercased name, `iss` the issuer; `aud` defaults to
    /// `sts.amazonaws.com`, every other claim it leaves out is absent.
    static func token(witness: [String: String]) -> Token {
        var claims = witness
        let issuer = claims.removeValue(forKey: "iss").map(Self.issuerHost) ?? TrustPolicyGenerator.issuer
        if claims["aud"] == nil { claims["aud"] = "sts.amazonaws.com" }
        return Token(issuer: issuer, claims: claims)
    }

    static func issuerHost(_ iss: String) -> String {
        var text = iss.lowercased()
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static let auditor = Auditor(catalog: RuleCatalog.all)

    static func audit(_ policy: GeneratedPolicy) -> [Finding] {
        auditor.audit(file: "policy.json", bytes: Array(policy.json.utf8)).findings
    }

    /// The findings of `policy` whose witness the reference does not admit (the role's account worked out from the
    /// policy, as the audit must).
    static func unadmittedWitnesses(_ policy: GeneratedPolicy, findings: [Finding]? = nil) -> [Finding] {
        guard let reference = try? ReferenceTrustEvaluator(json: policy.json) else { return [] }
        return (findings ?? audit(policy)).filter { finding in
            // A finding that says it read past a bound (a policy variable taken as any value, which the reference
            // reads as absent) names a witness of that widest reading.
            guard let witness = finding.witness, !finding.message.contains("analysis bounded") else { return false }
            return reference.decide(token(witness: witness), roleAccount: nil) != .allow
        }
    }

    @Test
    func everyWitnessIsAdmitted() {
        var rng = SeededGenerator(seed: 0x15_0002)
        var witnesses = 0
        var failures: [GeneratedPolicy] = []
        for _ in 0..<600 {
            let policy = TrustPolicyGenerator.policy(&rng)
            let findings = Self.audit(policy)
            witnesses += findings.filter { $0.witness != nil }.count
            if !Self.unadmittedWitnesses(policy, findings: findings).isEmpty { failures.append(policy) }
        }
        let shrunk = failures.prefix(16).map { Self.shrink($0, nil) { policy, _ in !Self.unadmittedWitnesses(policy).isEmpty }.0 }
        for shrunk in Self.distinct(shrunk, by: Self.signature).prefix(12) {
            let finding = Self.unadmittedWitnesses(shrunk).first
            let detail = "\(finding?.ruleCode ?? "?") names a witness the reference does not admit: \(finding?.message ?? "")"
            Issue.record("\(Counterexample(policy: shrunk, token: finding?.witness.map(Self.token(witness:)), detail: detail))")
        }
        #expect(witnesses > 0, "no finding named a witness")
        #expect(failures.count == 0, "policies with a witness the reference does not admit")
    }

    // MARK: 3. A stranger's token admitted means an error

    /// The first of `tokens` the reference admits for `policy` (the role's account worked out from the policy).
    static func admittedStranger(_ policy: GeneratedPolicy, _ tokens: [Token]) -> Token? {
        guard let reference = try? ReferenceTrustEvaluator(json: policy.json) else { return nil }
        return tokens.first { reference.decide($0, roleAccount: nil) == .allow }
    }

    static func hasError(_ policy: GeneratedPolicy) -> Bool {
        audit(policy).contains { $0.level == .error }
    }

    @Test
    func admittedStrangerMeansAnError() throws {
        var rng = SeededGenerator(seed: 0x15_0003)
        var admitting = 0
        var failures: [(GeneratedPolicy, Token)] = []
        for _ in 0..<800 {
            let policy = TrustPolicyGenerator.policy(&rng)
            #expect(!policy.json.lowercased().contains("stranger"))
            let tokens = TrustPolicyGenerator.strangerTokens(for: policy, count: 16, &rng)
            guard let stranger = Self.admittedStranger(policy, tokens) else { continue }
            admitting += 1
            if !Self.hasError(policy) { failures.append((policy, stranger)) }
        }
        let shrunk = failures.prefix(16).map { policy, token in
            // The token stays whole: a stranger's run carries every claim.
            Self.shrink(policy, token, shrinksToken: false) { policy, candidate in
                Self.admittedStranger(policy, [candidate ?? token]) != nil && !Self.hasError(policy)
            }
        }
        for (policy, token) in Self.distinct(shrunk, by: { Self.signature($0.0) }).prefix(12) where token != nil {
            let findings = Self.audit(policy).map { "\($0.ruleCode) \($0.level.rawValue)" }.joined(separator: ", ")
            let detail = "the reference admits a stranger's token and the audit reports no error (findings: \(findings.isEmpty ? "none" : findings))"
            Issue.record("\(Counterexample(policy: policy, token: token, detail: detail))")
        }
        #expect(admitting > 0)
        #expect(failures.count == 0, "policies admitting a stranger without an error, of \(admitting) admitting one")
    }

    // MARK: Shrinking

    /// `policy` and `token` made as small as they can be while `fails` still holds: statements, blocks, keys and
    /// values dropped, then (when `shrinksToken`) claims.
    static func shrink(_ policy: GeneratedPolicy, _ token: Token?, shrinksToken: Bool = true,
                       _ fails: (GeneratedPolicy, Token?) -> Bool) -> (GeneratedPolicy, Token?) {
        var policy = policy
        var token = token
        var steps = 0
        var changed = true
        while changed, steps < 400 {
            changed = false
            for candidate in policy.simplifications where fails(candidate, token) {
                policy = candidate
                changed = true
                steps += 1
                break
            }
            guard !changed, shrinksToken, let current = token else { continue }
            for candidate in TrustPolicyGenerator.simplifications(of: current) where fails(policy, candidate) {
                token = candidate
                changed = true
                steps += 1
                break
            }
        }
        return (policy, token)
    }

    /// What kind of policy `policy` is: each statement's effect, principal, and the operator, claim and kind of
    /// values of each condition, so that the cases reported are of different kinds.
    static func signature(_ policy: GeneratedPolicy) -> String {
        policy.statements.map { statement in
            let tests = statement.blocks.flatMap { block in
                block.entries.map { entry in
                    let claim = entry.key.split(separator: ":").last.map { $0.lowercased() } ?? entry.key
                    let texts = entry.values.map(\.text)
                    let kind = texts.contains { $0.contains("${") } ? "variable"
                        : texts.contains { $0.contains("*") || $0.contains("?") } ? "wildcard" : "literal"
                    return "\(block.op) \(claim) \(kind)"
                }
            }.sorted()
            return "\(statement.effect) \(statement.principal.rawValue) [\(tests.joined(separator: "; "))]"
        }.joined(separator: " | ")
    }

    /// The first of `items` for each distinct key, in order.
    static func distinct<T>(_ items: [T], by key: (T) -> String) -> [T] {
        var seen: Set<String> = []
        return items.filter { seen.insert(key($0)).inserted }
    }
}
