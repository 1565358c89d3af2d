import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// Every rule that fires on a bare policy fires the same on that policy inside a CloudFormation template, at the
/// same text of the template.
@Suite("Policies inside CloudFormation templates")
struct TemplateWrapperTests {
    /// Examples whose source is one bare policy document the rules judge alone: not an AWS CLI wrapper, not placed
    /// in a design environment, not about the file itself.
    static var wrappable: [CatalogExample] {
        let fileRules: Set<String> = ["IAM001", "IAM019", "IAM036", "IAM037"]
        return CatalogExample.all.filter { item in
            guard item.triggering, !fileRules.contains(item.rule.description.code), item.example.environment == nil,
                  item.example.fileName.hasSuffix(".json"),
                  let tree = try? JSONParser().parse(item.example.source), tree["Statement"] != nil,
                  tree["AWSTemplateFormatVersion"] == nil else { return false }
            return true
        }
    }

    /// The ways a template may hold a policy: CloudFormation JSON, YAML (the policy as a flow mapping) and CDK output
    /// (JSON with the construct path in the resource's metadata).
    enum Wrapper: String, CaseIterable, Sendable {
        case json, yaml, cdk, terraform

        var fileName: String {
            switch self {
            case .yaml: "template.yaml"
            case .cdk: "Stack.template.json"
            case .json: "template.json"
            case .terraform: "plan.json"
            }
        }
    }

    /// The template holding `policy` (its text verbatim, indented in YAML) where a policy of its kind lives.
    static func template(_ policy: String, kind: PolicyKind, wrapper: Wrapper = .json) -> String {
        let (type, property) = switch kind {
        case .trust: ("AWS::IAM::Role", "AssumeRolePolicyDocument")
        case .identity: ("AWS::IAM::ManagedPolicy", "PolicyDocument")
        case .resource: ("AWS::S3::BucketPolicy", "PolicyDocument")
        }
        switch wrapper {
        case .terraform:
            // `terraform show -json`: the document is a JSON string of the resource's values.
            let (resourceType, attribute) = switch kind {
            case .trust: ("aws_iam_role", "assume_role_policy")
            case .identity: ("aws_iam_policy", "policy")
            case .resource: ("aws_s3_bucket_policy", "policy")
            }
            return """
            {"format_version": "1.2", "terraform_version": "1.9.0",
             "planned_values": {"root_module": {"resources": [
               {"address": "\(resourceType).Wrapped", "mode": "managed", "type": "\(resourceType)", "name": "Wrapped",
                "values": {"\(attribute)": \(JSONNode.quoted(policy))}}]}}}
            """
        case .yaml:
            let indented = policy.split(separator: "\n", omittingEmptySubsequences: false).map { "          " + $0 }.joined(separator: "\n")
            return """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Wrapped:
                Type: \(type)
                Properties:
                  \(property):
            \(indented)
            """
        case .json, .cdk:
            let metadata = wrapper == .cdk ? #""Metadata": {"aws:cdk:path": "Stack/Wrapped/Resource"},"# : ""
            return """
            {
              "AWSTemplateFormatVersion": "2010-09-09",
              "Resources": {
                "Wrapped": {
                  "Type": "\(type)", \(metadata)
                  "Properties": {
                    "\(property)": \(policy)
                  }
                }
              }
            }
            """
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var item: CatalogExample
        var wrapper: Wrapper
        var testDescription: String { "\(item.testDescription) in \(wrapper.rawValue)" }
    }

    static var cases: [Case] {
        wrappable.flatMap { item in Wrapper.allCases.map { Case(item: item, wrapper: $0) } }
    }

    /// The source text a finding's span covers.
    static func text(of finding: Finding, in source: String) -> String {
        let bytes = Array(source.utf8)
        let start = finding.span.start.offset, end = finding.span.end.offset
        guard start >= 0, end <= bytes.count, start <= end else { return "<outside>" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    @Test(arguments: cases)
    func sameFindings(_ test: Case) throws {
        let item = test.item
        let code = item.rule.description.code
        let auditor = Auditor(catalog: RuleCatalog.all, design: item.example.design)
        let bare = auditor.audit(file: "policy.json", bytes: Array(item.example.source.utf8), kind: item.example.kind)
        let kind = try item.example.kind ?? PolicyKind.infer(from: JSONTreeDecoder().decode(PolicyDocument.self, from: JSONParser().parse(item.example.source)))
        let wrapped = Self.template(item.example.source, kind: kind, wrapper: test.wrapper)
        let inTemplate = auditor.audit(file: test.wrapper.fileName, bytes: Array(wrapped.utf8))
        func described(_ audit: FileAudit, _ source: String) -> [String] {
            audit.findings.filter { $0.ruleCode == code }.map { finding in
                // The whole message: a summary's cut depends on the label's length.
                let whole = finding.detail ?? finding.message
                let message = whole.range(of: " (resource Wrapped").map { String(whole[..<$0.lowerBound]) } ?? whole
                // Whitespace collapsed: the YAML wrapper indents the policy's lines.
                let text = Self.text(of: finding, in: source).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                return "\(text) \(message)"
            }.sorted()
        }
        let expected = described(bare, item.example.source)
        #expect(!expected.isEmpty)
        if test.wrapper == .terraform {
            // The document is a string of the plan: each finding lies at the escaped text of its value inside it.
            func unescaped(_ finding: Finding) -> String {
                let raw = Self.text(of: finding, in: wrapped)
                let decoded = (try? JSONSerialization.jsonObject(with: Data(("\"" + raw + "\"").utf8), options: .fragmentsAllowed)) as? String
                return (decoded ?? raw).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            }
            let found = inTemplate.findings.filter { $0.ruleCode == code }.map { finding in
                let whole = finding.detail ?? finding.message
                let message = whole.range(of: " (resource aws_").map { String(whole[..<$0.lowerBound]) } ?? whole
                return "\(unescaped(finding)) \(message)"
            }
            // Two findings of one message at one embedded pointer are one (the pointer is the string's).
            #expect(Set(found) == Set(expected), "\(found)")
            #expect(inTemplate.findings.filter { $0.ruleCode == code }.allSatisfy { $0.span.start.line == 4 && ($0.detail ?? $0.message).contains(".Wrapped") })
            #expect(inTemplate.errors.isEmpty)
            return
        }
        #expect(described(inTemplate, wrapped) == expected, "\(inTemplate.findings.filter { $0.ruleCode != code }.map(\.message))")
        let label = test.wrapper == .cdk ? "resource Wrapped (Stack/Wrapped/Resource)" : "resource Wrapped"
        #expect(inTemplate.findings.filter { $0.ruleCode == code }.allSatisfy { ($0.detail ?? $0.message).contains(label) })
        #expect(inTemplate.findings.allSatisfy { $0.message.count <= Finding.summaryLength })
        #expect(inTemplate.errors.isEmpty)
    }
}
