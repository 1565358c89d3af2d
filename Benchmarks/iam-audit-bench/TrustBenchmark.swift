import Foundation
import IAMAuditRules
import IAMPolicy

/// The trust analysis on generated policies with long lists: a 300-value Deny list, a 300-value `StringNotLike`,
/// a 300-subject Allow list. Each is audited with every rule, first with no pattern set built yet in the process
/// (cold) and then the best of several new runs (an auditor each, the process's pattern sets warm).
func runTrustBenchmark(_ options: Options) {
    print("Trust analysis (generated policies, every rule):")
    let provider = #""Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity""#
    func quoted(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
    // A realistic deny list: bots, pull requests, archive and sandbox repositories, feature branches, preview
    // environments, and the named repositories of an organisation that must not deploy.
    var denied = ["*:pull_request", "*dependabot*", "*renovate*", "repo:*:ref:refs/heads/feature/*", "repo:*:ref:refs/tags/*",
                  "*:environment:test*", "*bot*:ref:*", "repo:*/sandbox-*:*", "repo:*:ref:refs/heads/dev*", "*:ref:refs/heads/tmp-*",
                  "repo:*/*-archive:*", "*:environment:preview-*"]
    var index = 0
    while denied.count < 300 {
        index += 1
        denied.append(index % 3 == 0 ? "repo:acme/service-\(index):*" : index % 3 == 1 ? "repo:acme/lib-\(index)*" : "*:environment:sandbox-\(index)")
    }
    let subjects = (1...300).map { "repo:acme/service-\($0):environment:prod" }
    let policies: [(String, String)] = [
        ("300-value Deny list", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", \(provider), "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}},
          {"Effect": "Deny", \(provider), "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": \(quoted(denied))}}}]}
        """),
        ("300-value StringNotLike", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", \(provider), "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"},
            "StringNotLike": {"token.actions.githubusercontent.com:sub": \(quoted(denied))}}}]}
        """),
        ("300-subject Allow list", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", \(provider), "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": \(quoted(subjects))}}}]}
        """),
    ]
    let auditor = Auditor()
    // The token layouts every trust shares are built once per process, by the first GitHub trust audited.
    let small = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", \#(provider), "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}}]}"#
    let setUp = now()
    _ = auditor.audit(file: "small.json", bytes: Array(small.utf8))
    print(String(format: "  first GitHub trust of the process (shared token layouts built) %7.1f ms", (now() - setUp) * 1000))
    for (name, text) in policies {
        let bytes = Array(text.utf8)
        var start = now()
        let findings = auditor.audit(file: "trust.json", bytes: bytes).findings
        let cold = now() - start
        var warm = Double.infinity
        for _ in 0..<max(options.repetitions, 3) {
            // A new run each time: a run audits a trust policy it has seen before only once.
            let run = Auditor()
            start = now()
            _ = run.audit(file: "trust.json", bytes: bytes)
            warm = min(warm, now() - start)
        }
        let label = name.count < 34 ? name + String(repeating: " ", count: 34 - name.count) : name
        let codes = Set(findings.map(\.ruleCode)).sorted().joined(separator: " ")
        print("  " + label + String(format: " first %7.1f ms, best %7.1f ms  ", cold * 1000, warm * 1000) + "findings: \(codes.isEmpty ? "none" : codes)")
    }
    print("")
}
