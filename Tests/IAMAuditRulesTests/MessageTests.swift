import Foundation
@testable import IAMAuditRules
import IAMPolicy
import Testing

/// Messages that fix things: at most 300 characters with the witness kept, the whole in `detail`, and scope
/// suggestions in the design's own partition, account, region and stack.
@Suite("Finding messages")
struct MessageTests {
    @Test func shortMessagesStayWhole() {
        let (message, detail) = Finding.summarized("action '*' grants every action", label: "role deploy")
        #expect(message == "action '*' grants every action (role deploy)")
        #expect(detail == nil)
    }

    /// A long message keeps its start, its end and its example, and gives the whole as the detail.
    @Test(arguments: [0, 1, 2, 10, 60, 300])
    func longMessagesAreSummarized(labelLength: Int) {
        let listing = (1...30).map { "service:Action\($0)" }.joined(separator: ", ")
        let body = "resource \"*\" grants 30 actions: scope \(listing) to arn:aws:service:::thing/*, so a stranger gets in "
            + "(e.g. sub 'repo:x/x:ref:refs/heads/x', aud 'sts.amazonaws.com')"
        let label = labelLength == 0 ? nil : "role " + String(repeating: "r", count: labelLength)
        let (message, detail) = Finding.summarized(body, label: label)
        #expect(message.count <= Finding.summaryLength, "\(message.count)")
        #expect(message.hasPrefix("resource \"*\" grants 30 actions"))
        #expect(message.contains("(e.g. sub 'repo:x/x:ref:refs/heads/x', aud 'sts.amazonaws.com')"))
        #expect(message.contains("so a stranger gets in"))
        #expect(message.contains(" … "))
        #expect(detail == label.map { "\(body) (\($0))" } ?? body)
        if let label, label.count < 100 { #expect(message.hasSuffix("(\(label))")) }
    }

    /// An example in the middle of the message is kept whole, and a long label is shortened, never dropped.
    @Test func aMiddleExampleAndALongLabelSurvive() {
        let scope = String(repeating: "arn:aws:secretsmanager:eu-north-1:337909745089:secret:ai-multi-comms/dev/", count: 2)
        let body = "resource 'arn:aws:secretsmanager:eu-north-1:337909745089:secret:ai-multi-comms/*' reaches into the scope of "
            + "environment 'prod' (e.g. 'arn:aws:secretsmanager:eu-north-1:337909745089:secret:ai-multi-comms/prod/x (1)'); "
            + "the scope of environment 'dev' is '\(scope)*'"
        let label = "role " + String(repeating: "R", count: 64) + ", inline policy " + String(repeating: "P", count: 128)
        let (message, detail) = Finding.summarized(body, label: label)
        #expect(message.count <= Finding.summaryLength)
        #expect(message.contains("(e.g. 'arn:aws:secretsmanager:eu-north-1:337909745089:secret:ai-multi-comms/prod/x (1)')"))
        #expect(message.contains("(role RRRR") && message.hasSuffix("PPPP)"))
        #expect(detail == "\(body) (\(label))")
    }

    @Test func aMessageOfOneHugeWordIsStillCut() {
        let (message, detail) = Finding.summarized(String(repeating: "x", count: 5_000), label: nil)
        #expect(message.count <= Finding.summaryLength)
        #expect(detail?.count ?? 0 <= Finding.maxMessageLength + 40)
    }

    /// Every finding the engine makes on a long listing is at most 300 characters, and says the rest in `detail`.
    @Test func engineFindingsAreAtMostThreeHundredCharacters() throws {
        let actions = ActionCatalog.shared.actions(matching: "codeartifact:*").map { "\"\($0.description)\"" }
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["#
            + actions.joined(separator: ", ") + #", "secretsmanager:GetSecretValue", "ssm:GetParameters"], "Resource": "*"}]}"#
        let audit = Auditor().audit(file: "p.json", bytes: Array(policy.utf8))
        #expect(!audit.findings.isEmpty)
        #expect(audit.findings.allSatisfy { $0.message.count <= Finding.summaryLength })
        #expect(audit.findings.contains { $0.detail != nil && $0.detail!.count > Finding.summaryLength })
    }

    /// With a design, the ARN formats a PRIV message suggests carry its partition, account and region, and the
    /// environment's stack.
    @Test func scopeSuggestionsUseTheDesignsValues() throws {
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "secretsmanager:GetSecretValue", "cloudformation:DescribeStacks"], "Resource": "*"}]}"#
        let design = Design(file: "iam-audit.json", partition: "aws-cn", account: "111122223333", region: "cn-north-1",
                            environments: [Design.Environment(name: "dev", stackName: "shop-dev")])
        let placed = Auditor(design: design).audit(file: "p.json", bytes: Array(policy.utf8), kind: .identity, environment: "dev")
        let messages = placed.findings.map { $0.detail ?? $0.message }.joined(separator: "\n")
        #expect(messages.contains("arn:aws-cn:sqs:cn-north-1:111122223333:${QueueName}"))
        #expect(messages.contains("arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:${SecretId}"))
        #expect(messages.contains("arn:aws-cn:cloudformation:cn-north-1:111122223333:stack/shop-dev/${Id}"))
        #expect(!messages.contains("${Partition}") && !messages.contains("${Account}") && !messages.contains("${Region}"))
        // Without a design the placeholders stay.
        let free = Auditor().audit(file: "p.json", bytes: Array(policy.utf8)).findings.map { $0.detail ?? $0.message }.joined()
        #expect(free.contains("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"))
    }
}
