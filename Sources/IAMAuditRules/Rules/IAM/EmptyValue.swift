import IAMPolicy

/// IAM013: an empty string, list or object where IAM needs a value.
public struct EmptyValue: Rule {
    public static let description = RuleDescription(
        code: "IAM013",
        name: "empty-value",
        title: "Policy element is empty",
        level: .warning,
        securitySeverity: 5.5,
        summary: """
        Reports an empty string, list or object where IAM needs a value: `Version`, `Id` or `Sid` `""`; `Statement` \
        `[]`; `Action`, `NotAction`, `Resource` or `NotResource` `""`, `[]` or a `""` item; `Principal` or \
        `NotPrincipal` `{}`, or a principal type with `[]` or a `""` value; `Condition` `{}`, a condition operator \
        with `{}`, and a condition key with `[]`.
        """,
        rationale: """
        An empty value is never what the author meant. IAM rejects most of them (an empty `Action`, `Resource` or \
        principal list, an empty operator block), so the deployment fails; the others are silently meaningless: \
        an empty `Sid` or `Id` names nothing, an empty `Condition` restricts nothing, and a condition key with no \
        values can never match. Empty values are usually left by templating that expanded a variable to nothing, so \
        the statement no longer says what the template intended. Fill in the value, or remove the element (or the \
        whole statement) when nothing belongs there.
        """,
        references: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html",
        ],
        supersedes: [
            Supersession("IAM004", at: .samePointer, reason: Reason.empty),
            Supersession("IAM020", at: .samePointer, reason: Reason.empty),
            Supersession("IAM021", at: .samePointer, reason: Reason.empty),
            Supersession("IAM025", at: .samePointer, reason: Reason.empty),
        ],
        triggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "", "Effect": "Allow", "Action": [], "Resource": "arn:aws:s3:::example-bucket/*"},
                {"Effect": "Allow", "Action": ["s3:ListBucket", ""], "Resource": ""}
              ]
            }
            """, pointers: ["/Statement/0/Sid", "/Statement/0/Action", "/Statement/1/Action/1", "/Statement/1/Resource"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {}
                  }
                }
              ]
            }
            """, pointers: ["/Statement/0/Condition/StringLike"]),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": []}, "Action": "sts:AssumeRole"},
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {}},
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111122223333:role/example-ci"},
                  "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"aws:PrincipalTag/team": []}}
                }
              ]
            }
            """, pointers: ["/Statement/0/Principal/AWS", "/Statement/1/Condition", "/Statement/2/Condition/StringEquals/aws:PrincipalTag~1team"]),
            RuleExample("""
            {
              "Version": "",
              "Statement": []
            }
            """, pointers: ["/Version", "/Statement"]),
        ],
        nonTriggeringExamples: [
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ReadReports",
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:ListBucket"],
                  "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"],
                  "Condition": {"StringEquals": {"aws:PrincipalTag/team": "reporting"}}
                }
              ]
            }
            """),
            RuleExample("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {
                    "StringEquals": {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:environment:prod"
                    }
                  }
                }
              ]
            }
            """),
        ]
    )

    public init() {}

    public func check(_ policy: Policy, in context: RuleContext) -> [Violation] {
        var violations: [Violation] = []
        let document = policy.document
        for element in [document.version, document.id].compactMap({ $0 }) where element.value.isEmpty {
            violations.append(Violation(at: element, Message.emptyString(element.pointer)))
        }
        if let statements = document.statementElement, statements.value == .array, node(at: statements.pointer, in: policy)?.arrayValue?.isEmpty == true {
            violations.append(Violation(at: statements, Message.emptyList(statements.pointer)))
        }
        for statement in document.statements {
            if let sid = statement.sid, sid.value.isEmpty {
                violations.append(Violation(at: sid, Message.emptyString(sid.pointer)))
            }
            for list in [statement.action, statement.notAction, statement.resource, statement.notResource].compactMap({ $0 }) {
                violations += emptyParts(of: list, in: policy)
            }
            for principal in [statement.principal, statement.notPrincipal].compactMap({ $0 }) {
                if case .map(let entries) = principal.shape {
                    if node(at: principal.pointer, in: policy)?.objectValue?.isEmpty == true {
                        violations.append(Violation(pointer: principal.pointer, span: principal.span, message: Message.emptyObject(principal.pointer)))
                    }
                    for entry in entries {
                        violations += emptyParts(of: entry.values, in: policy)
                    }
                }
            }
            if let condition = statement.condition {
                if condition.operators.isEmpty {
                    violations.append(Violation(pointer: condition.pointer, span: condition.span, message: Message.emptyObject(condition.pointer)))
                }
                for clause in condition.clauses where clause.values.isArray && clause.values.items.isEmpty
                    && node(at: clause.values.pointer, in: policy)?.arrayValue?.isEmpty == true {
                    violations.append(Violation(at: clause.values, Message.emptyList(clause.values.pointer)))
                }
            }
        }
        // Condition operators with `{}`: the model records them while decoding.
        for issue in document.issues where issue.kind == .empty {
            violations.append(Violation(pointer: issue.pointer, span: issue.span, message: Message.emptyObject(issue.pointer)))
        }
        return violations
    }

    /// An empty list, a lone empty string, or empty strings in a list.
    private func emptyParts(of list: LocatedList<String>, in policy: Policy) -> [Violation] {
        if list.isArray {
            if list.items.isEmpty, node(at: list.pointer, in: policy)?.arrayValue?.isEmpty == true {
                return [Violation(at: list, Message.emptyList(list.pointer))]
            }
            return list.items.filter(\.value.isEmpty).map { Violation(at: $0, Message.emptyString($0.pointer)) }
        }
        return list.items.filter(\.value.isEmpty).map { Violation(at: $0, Message.emptyString($0.pointer)) }
    }

    /// The node at an absolute `pointer` inside the policy document.
    private func node(at pointer: JSONPointer, in policy: Policy) -> JSONNode? {
        let base = policy.document.pointer
        guard pointer.hasPrefix(base) else { return nil }
        return policy.root.resolve(JSONPointer(tokens: Array(pointer.tokens.dropFirst(base.count))))
    }

    private enum Reason {
        static let empty = "an empty value is reported as empty, not as a malformed version, action, ARN or principal"
    }

    private enum Message {
        static func emptyString(_ pointer: JSONPointer) -> String { "\(name(pointer)) is an empty string" }
        static func emptyList(_ pointer: JSONPointer) -> String { "\(name(pointer)) is an empty list" }
        static func emptyObject(_ pointer: JSONPointer) -> String { "\(name(pointer)) is an empty object" }

        /// `'Action'` for a member, `item 1 of 'Action'` for a list item.
        static func name(_ pointer: JSONPointer) -> String {
            let tokens = pointer.tokens
            guard let last = tokens.last else { return "the policy document" }
            if tokens.count >= 2, let index = Int(last), String(index) == last {
                return "item \(index) of '\(tokens[tokens.count - 2])'"
            }
            return "'\(last)'"
        }
    }
}
