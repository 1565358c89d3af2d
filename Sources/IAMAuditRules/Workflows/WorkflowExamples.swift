import IAMPolicy

/// The trust policies the workflow rules' examples are audited beside, for the repository of ``Design/example``
/// (`example-org/deploy`, roles `deploy-dev` and `deploy-prod`).
enum WorkflowExamples {
    /// A trust admitting the subjects of `subjects` (a `StringLike` on `sub` when one holds a wildcard), with `aud`
    /// pinned to `audience`.
    static func trust(_ subjects: [String], audience: String = "sts.amazonaws.com") -> String {
        let list = subjects.map { "\"\($0)\"" }.joined(separator: ", ")
        let audienceEntry = "\"token.actions.githubusercontent.com:aud\": \"\(audience)\""
        let subjectEntry = "\"token.actions.githubusercontent.com:sub\": [\(list)]"
        let condition = subjects.contains { $0.contains("*") }
            ? "\"StringEquals\": {\(audienceEntry)},\n        \"StringLike\": {\(subjectEntry)}"
            : "\"StringEquals\": {\(audienceEntry), \(subjectEntry)}"
        return """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {
                \(condition)
              }
            }
          ]
        }
        """
    }

    /// The dev role's trust (`deploy-dev`), placed by ``Design/example``.
    static func dev(_ subjects: [String] = ["repo:example-org/deploy:environment:dev"], audience: String = "sts.amazonaws.com") -> RuleExample.Companion {
        RuleExample.Companion("dev/trust-policy.json", trust(subjects, audience: audience), environment: "dev", kind: .trust)
    }

    /// The prod role's trust (`deploy-prod`).
    static func prod(_ subjects: [String] = ["repo:example-org/deploy:environment:prod"], audience: String = "sts.amazonaws.com") -> RuleExample.Companion {
        RuleExample.Companion("prod/trust-policy.json", trust(subjects, audience: audience), environment: "prod", kind: .trust)
    }

    /// Where a workflow example is audited.
    static let file = ".github/workflows/deploy.yml"

    /// A deploy workflow of `example-org/deploy`: on push to `main`, job `deploy` with `environment: prod` assumes
    /// `deploy-prod`; `permissions` as given at workflow level (`workflowPermissions`) and on the job (`jobPermissions`).
    static func deploy(environment: String? = "prod", role: String = "deploy-prod", workflowPermissions: String? = nil,
                       jobPermissions: String? = "id-token: write\n      contents: read", extraJobs: String = "",
                       on: String = "push:\n    branches: [main]", with: String = "") -> String {
        var text = "name: deploy\non:\n  \(on)\n"
        if let workflowPermissions { text += "permissions:\n  \(workflowPermissions)\n" }
        text += "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
        if let environment { text += "    environment: \(environment)\n" }
        if let jobPermissions { text += "    permissions:\n      \(jobPermissions)\n" }
        text += """
            steps:
              - uses: actions/checkout@v4
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: arn:aws:iam::111122223333:role/\(role)
                  aws-region: eu-west-1\(with)
              - run: sam deploy
        """
        text += "\n" + extraJobs
        return text
    }
}
