import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// ``IdentityPolicyEvaluation`` against a reference written here from AWS's documented evaluation logic
/// ("Policy evaluation logic", IAM User Guide): an explicit Deny that applies wins; otherwise an Allow that applies
/// allows; otherwise the implicit deny. For "can the role ever do this", an Allow's conditions are taken to hold and a
/// Deny's not to. Matching is done here with regular expressions, independently of the evaluator's matcher.
@Suite("Identity policy evaluation")
struct IdentityPolicyEvaluationTests {
    /// The reference: one statement at a time, globs compiled to anchored regular expressions.
    struct ReferenceStatement {
        var allow: Bool
        var conditional: Bool
        var notAction: Bool
        var actions: [String]
        var notResource: Bool
        var resources: [String]

        func applies(action: String, resource: String) -> Bool {
            let actionHit = actions.contains { Self.whole(Self.glob($0, caseSensitive: false, variables: allow), action) }
            // A variable is read so that the request is allowed: the statement applies if an Allow, not if a Deny.
            let resourceHit = resources.contains { Self.whole(Self.glob($0, caseSensitive: true, variables: allow != notResource), resource) }
            return actionHit != notAction && resourceHit != notResource
        }

        static func whole(_ expression: NSRegularExpression, _ text: String) -> Bool {
            expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }

        /// `*` any run, `?` any one character, `${*}`/`${?}`/`${$}` the character itself, another `${…}` any run when
        /// `variables`, else nothing.
        static func glob(_ pattern: String, caseSensitive: Bool, variables: Bool) -> NSRegularExpression {
            var regex = "^"
            var rest = Substring(pattern)
            while let first = rest.first {
                if rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
                    let name = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
                    if ["*", "?", "$"].contains(String(name)) {
                        regex += NSRegularExpression.escapedPattern(for: String(name))
                    } else {
                        regex += variables ? ".*" : "(?!)"
                    }
                    rest = rest[rest.index(after: close)...]
                    continue
                }
                switch first {
                case "*": regex += ".*"
                case "?": regex += "."
                default: regex += NSRegularExpression.escapedPattern(for: String(first))
                }
                rest = rest.dropFirst()
            }
            regex += "$"
            // swiftlint:disable:next force_try
            return try! NSRegularExpression(pattern: regex, options: caseSensitive ? [.dotMatchesLineSeparators] : [.caseInsensitive, .dotMatchesLineSeparators])
        }
    }

    static func reference(_ statements: [ReferenceStatement], action: String, resource: String) -> Bool {
        if statements.contains(where: { !$0.allow && !$0.conditional && $0.applies(action: action, resource: resource) }) { return false }
        return statements.contains { $0.allow && $0.applies(action: action, resource: resource) }
    }

    static func json(_ statements: [ReferenceStatement]) -> String {
        func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        let body = statements.map { statement in
            var members = ["\"Effect\": \"\(statement.allow ? "Allow" : "Deny")\"",
                           "\"\(statement.notAction ? "NotAction" : "Action")\": \(list(statement.actions))",
                           "\"\(statement.notResource ? "NotResource" : "Resource")\": \(list(statement.resources))"]
            if statement.conditional { members.append(#""Condition": {"Bool": {"aws:SecureTransport": "true"}}"#) }
            return "{" + members.joined(separator: ", ") + "}"
        }
        return #"{"Version": "2012-10-17", "Statement": ["# + body.joined(separator: ", ") + "]}"
    }

    static let actionPatterns = ["*", "sqs:*", "sqs:CreateQueue", "SQS:createqueue", "sqs:?reateQueue", "sqs:Delete*",
                                 "dynamodb:*Table", "dynamodb:CreateTable", "s3:Get*"]
    static let resourcePatterns = ["*", "arn:aws:sqs:eu-west-1:111122223333:app-*-dev", "arn:aws:sqs:eu-west-1:111122223333:app-dev-*",
                                   "arn:aws:sqs:*:111122223333:app-orders-dev", "arn:aws:dynamodb:eu-west-1:111122223333:table/app-?rders-dev",
                                   "arn:aws:dynamodb:eu-west-1:111122223333:table/${aws:username}", "arn:aws:sqs:eu-west-1:111122223333:app-${*}",
                                   "ARN:aws:sqs:eu-west-1:111122223333:app-orders-dev"]
    static let requests: [(String, String)] = [
        ("sqs:CreateQueue", "arn:aws:sqs:eu-west-1:111122223333:app-orders-dev"),
        ("sqs:DeleteQueue", "arn:aws:sqs:eu-west-1:111122223333:app-dev-orders"),
        ("sqs:SetQueueAttributes", "arn:aws:sqs:eu-west-1:111122223333:app-*"),
        ("dynamodb:CreateTable", "arn:aws:dynamodb:eu-west-1:111122223333:table/app-orders-dev"),
        ("dynamodb:DeleteTable", "arn:aws:dynamodb:eu-west-1:111122223333:table/jane"),
        ("lambda:CreateEventSourceMapping", "*"),
    ]

    /// Random statements from small vocabularies (a fixed seed, so a failure repeats), every request asked of both.
    @Test func agreesWithTheReferenceOnGeneratedPolicies() throws {
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<400 {
            let statements = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                ReferenceStatement(allow: Int.random(in: 0..<3, using: &generator) > 0, conditional: Bool.random(using: &generator),
                                   notAction: Int.random(in: 0..<5, using: &generator) == 0,
                                   actions: (0..<Int.random(in: 1...2, using: &generator)).map { _ in Self.actionPatterns.randomElement(using: &generator)! },
                                   notResource: Int.random(in: 0..<5, using: &generator) == 0,
                                   resources: (0..<Int.random(in: 1...2, using: &generator)).map { _ in Self.resourcePatterns.randomElement(using: &generator)! })
            }
            let text = Self.json(statements)
            let policies = PolicyLoader().load(file: "p.json", bytes: Array(text.utf8)).policies
            let evaluation = IdentityPolicyEvaluation(policies: policies)
            for (action, resource) in Self.requests {
                let expected = Self.reference(statements, action: action, resource: resource)
                #expect(evaluation.mayAllow(action: action, resource: resource) == expected, "\(action) on \(resource) under \(text)")
            }
        }
    }

    @Test func namedCases() {
        func evaluate(_ statements: String) -> IdentityPolicyEvaluation {
            IdentityPolicyEvaluation(policies: PolicyLoader().load(file: "p.json", bytes: Array(#"{"Version": "2012-10-17", "Statement": [\#(statements)]}"#.utf8)).policies)
        }
        let queue = "arn:aws:sqs:eu-west-1:111122223333:app-orders-dev"
        // Nothing allows: the implicit deny.
        #expect(!evaluate(#"{"Effect": "Deny", "Action": "sqs:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#)
            .mayAllow(action: "sqs:CreateQueue", resource: queue))
        // An Allow with a condition may grant; an unconditional Deny always wins.
        let conditional = evaluate(#"{"Effect": "Allow", "Action": "sqs:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}"#)
        #expect(conditional.mayAllow(action: "sqs:CreateQueue", resource: queue))
        #expect(!evaluate(#"{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "sqs:Create*", "Resource": "*"}"#)
            .mayAllow(action: "sqs:CreateQueue", resource: queue))
        // A resource pattern compares with case; `*` crosses `:` and `/`.
        #expect(!evaluate(#"{"Effect": "Allow", "Action": "sqs:CreateQueue", "Resource": "arn:aws:sqs:eu-west-1:111122223333:APP-*"}"#)
            .mayAllow(action: "sqs:CreateQueue", resource: queue))
        #expect(evaluate(#"{"Effect": "Allow", "Action": "sqs:CreateQueue", "Resource": "arn:aws:sqs:*"}"#).mayAllow(action: "sqs:CreateQueue", resource: queue))
        // A policy variable never makes a Deny apply: nothing in its `Resource`, anything in its `NotResource`.
        let allowAll = #"{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}"#
        #expect(evaluate(allowAll + #", {"Effect": "Deny", "Action": "sqs:*", "Resource": "arn:aws:sqs:*:*:${aws:username}"}"#)
            .mayAllow(action: "sqs:CreateQueue", resource: queue))
        #expect(evaluate(allowAll + #", {"Effect": "Deny", "Action": "sqs:*", "NotResource": "arn:aws:sqs:*:*:${aws:username}"}"#)
            .mayAllow(action: "sqs:CreateQueue", resource: queue))
        // Some statement for a service, or none.
        #expect(conditional.grantsSomeAction(ofService: "sqs") && !conditional.grantsSomeAction(ofService: "sns"))
        #expect(evaluate(#"{"Effect": "Allow", "NotAction": "sqs:*", "Resource": "*"}"#).grantsSomeAction(ofService: "sns"))
        #expect(!evaluate(#"{"Effect": "Allow", "NotAction": "sns:*", "Resource": "*"}"#).grantsSomeAction(ofService: "sns"))
    }
}
