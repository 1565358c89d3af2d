import IAMPolicy

/// IAM002: a top-level or statement key that is not an IAM policy element.
public struct UnknownPolicyElement: Rule {
    public static let description = RuleDescription(
        code: "IAM002",
        name: "unknown-policy-element",
        title: "Key is not an IAM policy element",
        level: .error,
        securitySeverity: 8.0,
        summary: """
        Reports a key at the top level of a policy that is not `Version`, `Id` or `Statement`, and a key in a \
        statement that is not `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, \
        `NotResource` or `Condition`, suggesting the element it most likely means.
        """,
        rationale: """
        Element names are fixed and spelt exactly as the grammar writes them. IAM refuses a document with an element \
        it does not know, so the deployment that carries it fails; worse, wherever the document is accepted without \
        validation, the unknown key is simply ignored. A misspelt `Condition` (`Conditions`, `condition`) then \
        silently drops the restriction it was meant to carry: the statement applies to every request, and a trust \
        policy admits every workflow of every repository the provider serves. Spell the element as the suggestion \
        says, and keep top-level elements (`Version`, `Id`, `Statement`) out of statements and statement elements \
        inside `Statement`.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
        ],
        supersedes: [
            Supersession("IAM003", at: .misspeltElement(["Version"]), reason: Reason.misspelt),
            Supersession("IAM005", at: .misspeltElement(["Effect"]), reason: Reason.misspelt),
            Supersession("IAM007", at: .misspeltElement(["Action", "NotAction"]), reason: Reason.misspelt),
            Supersession("IAM009", at: .misspeltElement(["Resource", "NotResource"]), reason: Reason.misspelt),
            Supersession("IAM018", at: .misspeltElement(["Statement"]), reason: Reason.misspelt),
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statements": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}
              ]
            }
            """, pointers: ["/Statements"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Conditions": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:ref:refs/heads/main"
                    }
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Conditions"]),
            RuleExample("""
            {
              "version": "2012-10-17",
              "Statement": {
                "Effect": "Allow",
                "Actions": ["dynamodb:GetItem", "dynamodb:Query"],
                "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders",
                "Version": "2012-10-17"
              }
            }
            """, pointers: ["/version", "/Statement/Actions", "/Statement/Version"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Id": "OrdersReadAccess",
              "Statement": [
                {
                  "Sid": "ReadOrders",
                  "Effect": "Allow",
                  "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                  "Resource": "arn:aws:dynamodb:eu-north-1:111122223333:table/orders",
                  "Condition": {"Bool": {"aws:SecureTransport": "true"}}
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "NotAction": "iam:*",
                  "NotResource": "arn:aws:iam::111122223333:role/break-glass"
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        let document = policy.document.elements
        // Nearly every element is known: the keys are deduplicated only when one is not.
        if document.contains(where: { !PolicyDocument.knownElements.contains($0.value) }) {
            for key in Self.firstOccurrences(document) where !PolicyDocument.knownElements.contains(key.value) {
                violations.append(Violation(at: key, Message.unknown(key.value, at: .document)))
            }
        }
        for statement in policy.document.statements {
            let elements = statement.elements
            guard elements.contains(where: { !Statement.knownElements.contains($0.value) }) else { continue }
            for key in Self.firstOccurrences(elements) where !Statement.knownElements.contains(key.value) {
                violations.append(Violation(at: key, Message.unknown(key.value, at: .statement)))
            }
        }
        return violations
    }

    /// Each key once, at its first occurrence (a repeated key is IAM014's finding). An element holds a handful
    /// of keys, so earlier ones are searched rather than hashed.
    private static func firstOccurrences(_ keys: [Located<String>]) -> [Located<String>] {
        keys.indices.filter { index in !keys[..<index].contains { $0.value == keys[index].value } }.map { keys[$0] }
    }

    private enum Reason {
        static let misspelt = "a misspelt element is reported as misspelt, with the element it means, not as missing"
    }

    private enum Message {
        static func unknown(_ key: String, at level: ElementSpelling.Level) -> String {
            switch level {
            case .document:
                if Statement.knownElements.contains(key) {
                    return "'\(key)' is a statement element, not a top-level policy element; it belongs inside 'Statement'"
                }
                return "'\(key)' is not a policy element" + (ElementSpelling.suggestion(for: key, at: level).map { "; did you mean '\($0)'?" } ?? "")
            case .statement:
                if PolicyDocument.knownElements.contains(key) {
                    return "'\(key)' is a top-level policy element, not a statement element"
                }
                return "'\(key)' is not a statement element" + (ElementSpelling.suggestion(for: key, at: level).map { "; did you mean '\($0)'?" } ?? "")
            }
        }
    }
}
