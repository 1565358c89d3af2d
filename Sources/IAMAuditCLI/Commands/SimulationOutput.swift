import Foundation
import IAMAuditRules
import IAMPolicy

/// How `simulate` prints a ``TrustSimulation``: text for people, one JSON object for programs.
enum SimulationOutput {
    // MARK: Text

    /// The decision on the first line, then, for a deny, each statement with why it does not apply, then the
    /// readings taken (``TrustSimulation/notes``), each on a `note:` line.
    ///
    /// `allow: statement 0 'GitHubDeploy' (trust.json:5) admits sub 'repo:acme/app:ref:refs/heads/main'`
    static func text(_ result: TrustSimulation, file: String) -> String {
        let sub = result.claims["sub"] ?? ""
        var lines: [String] = []
        switch result.decision {
        case .allow:
            let deciding = result.decidingStatement.map { label($0, file: file) } ?? "a statement"
            lines.append("allow: \(deciding) admits sub '\(sub)'")
        case .explicitDeny:
            let deciding = result.decidingStatement.map { label($0, file: file) } ?? "a statement"
            lines.append("deny: \(deciding) denies sub '\(sub)' explicitly")
            for outcome in result.statements where outcome.status == .matches && outcome.effect == .allow {
                lines.append("  \(label(outcome, file: file)) would allow it")
            }
        case .implicitDeny:
            lines.append("deny: no statement admits sub '\(sub)'")
            for outcome in result.statements {
                let effect = outcome.effect == .deny ? "Deny " : ""
                lines.append("  \(effect)\(label(outcome, file: file)): \(why(outcome, file: file))")
            }
        }
        for note in result.notes {
            lines.append("note: \(note)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `statement 0 'GitHubDeploy' (trust.json:5)`.
    static func label(_ outcome: TrustSimulation.StatementOutcome, file: String) -> String {
        let sid = outcome.statement.sid.map { " '\($0.value)'" } ?? ""
        return "statement \(outcome.statement.index)\(sid) (\(file):\(outcome.span.start.line))"
    }

    /// Why a statement does not admit the token, located at its first failing condition when there is one.
    static func why(_ outcome: TrustSimulation.StatementOutcome, file: String) -> String {
        switch outcome.status {
        case .matches:
            return outcome.effect == .deny ? "matches, but it is a Deny" : "matches"
        case .notApplicable:
            return "not applicable: \(outcome.reason ?? "")"
        case .doesNotMatch:
            guard let failure = outcome.firstFailure else { return outcome.reason ?? "does not match" }
            let at = "\(file):\(failure.span.start.line):\(failure.span.start.column)"
            return "\(at): \(failure.clause.operatorName.value) '\(failure.clause.key.value)': \(failure.reason)"
        }
    }

    // MARK: JSON

    /// One JSON object, keys sorted, ending in a line break.
    static func json(_ result: TrustSimulation, file: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Report(result, file: file)) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The JSON object `simulate --format json` prints.
    struct Report: Encodable {
        var schemaVersion = 1
        var file: String
        /// `allow`, `explicit-deny` or `implicit-deny`.
        var decision: TrustSimulation.Decision
        /// The token's claims, `aud` included.
        var claims: [String: String]
        /// The issuer the token is taken to come from.
        var issuer: String
        /// The role's account the decision was worked out for (`111122223333`); null when it is unknown.
        var roleAccount: String?
        /// The statement that decided; null for an implicit deny.
        var decidingStatement: Int?
        var statements: [StatementEntry]
        /// The readings taken where the policy leaves a fact open or AWS's behaviour is undocumented.
        var notes: [String]

        init(_ result: TrustSimulation, file: String) {
            self.file = file
            decision = result.decision
            claims = result.claims
            issuer = result.issuer
            roleAccount = result.roleAccount?.description
            decidingStatement = result.decidingStatement?.statement.index
            statements = result.statements.map(StatementEntry.init)
            notes = result.notes
        }

        enum CodingKeys: String, CodingKey {
            case schemaVersion, file, decision, claims, issuer, roleAccount, decidingStatement, statements, notes
        }

        /// Writes every key, `null` included, so that readers need not test for absence.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(schemaVersion, forKey: .schemaVersion)
            try container.encode(file, forKey: .file)
            try container.encode(decision, forKey: .decision)
            try container.encode(claims, forKey: .claims)
            try container.encode(issuer, forKey: .issuer)
            try container.encode(roleAccount, forKey: .roleAccount)
            try container.encode(decidingStatement, forKey: .decidingStatement)
            try container.encode(statements, forKey: .statements)
            try container.encode(notes, forKey: .notes)
        }
    }

    /// One statement: where it is, what it came to, and every condition.
    struct StatementEntry: Encodable {
        var index: Int
        var sid: String?
        var effect: String?
        /// RFC 6901 pointer into the policy document.
        var pointer: String
        /// 1-based.
        var line: Int
        var column: Int
        /// `matches`, `does-not-match` or `not-applicable`.
        var status: TrustSimulation.StatementOutcome.Status
        /// Why it does not match or apply, when no condition says it.
        var reason: String?
        /// The position in `conditions` of the first condition that is false.
        var firstFailingCondition: Int?
        var conditions: [ConditionEntry]

        init(_ outcome: TrustSimulation.StatementOutcome) {
            index = outcome.statement.index
            sid = outcome.statement.sid?.value
            effect = outcome.statement.effect?.value
            pointer = outcome.statement.pointer.description
            line = outcome.span.start.line
            column = outcome.span.start.column
            status = outcome.status
            reason = outcome.reason
            firstFailingCondition = outcome.conditions.firstIndex { !$0.passed }
            conditions = outcome.conditions.map(ConditionEntry.init)
        }

        enum CodingKeys: String, CodingKey {
            case index, sid, effect, pointer, line, column, status, reason, firstFailingCondition, conditions
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(sid, forKey: .sid)
            try container.encode(effect, forKey: .effect)
            try container.encode(pointer, forKey: .pointer)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(status, forKey: .status)
            try container.encode(reason, forKey: .reason)
            try container.encode(firstFailingCondition, forKey: .firstFailingCondition)
            try container.encode(conditions, forKey: .conditions)
        }
    }

    /// One condition clause and its outcome.
    struct ConditionEntry: Encodable {
        /// The operator as written (`ForAnyValue:StringLike`).
        var `operator`: String
        var key: String
        var pointer: String
        var line: Int
        var column: Int
        /// The key's value in the request; null when the key is absent.
        var requestValue: String?
        var passed: Bool
        var reason: String

        init(_ outcome: TrustSimulation.ConditionOutcome) {
            `operator` = outcome.clause.operatorName.value
            key = outcome.clause.key.value
            pointer = outcome.clause.key.pointer.description
            line = outcome.span.start.line
            column = outcome.span.start.column
            requestValue = outcome.requestValue
            passed = outcome.passed
            reason = outcome.reason
        }

        enum CodingKeys: String, CodingKey {
            case `operator`, key, pointer, line, column, requestValue, passed, reason
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(`operator`, forKey: .operator)
            try container.encode(key, forKey: .key)
            try container.encode(pointer, forKey: .pointer)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(requestValue, forKey: .requestValue)
            try container.encode(passed, forKey: .passed)
            try container.encode(reason, forKey: .reason)
        }
    }
}
