import Foundation
import IAMPolicy

/// Terraform configuration (`*.tf`, HCL) that declares IAM: iam-audit reads plans and state (`terraform show -json`),
/// not HCL, so each block that holds a policy is an IAM037 error at its line — the gate fails rather than passing on
/// IAM it did not read — and the message says to audit the plan.
public struct TerraformConfigurationSource: DocumentSource {
    public static let name = "Terraform configuration"

    public init() {}

    public static func walks(fileName: String) -> Bool {
        let lower = fileName.lowercased()
        return lower.hasSuffix(".tf") || lower.hasSuffix(".tf.json")
    }

    public static func recognizes(_ file: SourceFile) -> Bool {
        walks(fileName: file.name)
    }

    /// The block kinds that hold a policy document, a role's trust, or attach a policy.
    static let policyBlocks = TerraformPlanSource.documents.keys.filter { !$0.hasPrefix("awscc_") } + ["aws_iam_policy_document"]

    /// Resources that hold a policy only when they set one of these attributes (a bucket, a queue, a key).
    static let optionalPolicyAttributes = ["policy", "access_policies", "access_policy"]

    public func read(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        if file.name.lowercased().hasSuffix(".tf.json") { return readJSONSyntax(file, loader: loader) }
        var reading = SourceReading()
        let text = String(decoding: file.bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var offset = 0
        for (number, line) in lines.enumerated() {
            defer { offset += line.utf8.count + 1 }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("resource ") || trimmed.hasPrefix("data ") else { continue }
            let words = trimmed.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard words.count >= 3, Self.policyBlocks.contains(words[1]) else { continue }
            // A resource whose policy is optional (a bucket, a queue) holds IAM only when its block sets one.
            if TerraformPlanSource.documents[words[1]]?.contains(where: { $0.label != nil && $0.kind == .resource }) == true {
                let indent = line.count - trimmed.count
                var holdsPolicy = false
                for body in lines[(number + 1)...] {
                    let content = body.drop { $0 == " " || $0 == "\t" }
                    if content.hasPrefix("}") && body.count - content.count <= indent { break }
                    let name = content.prefix { $0.isLetter || $0 == "_" }
                    if Self.optionalPolicyAttributes.contains(String(name)), content.dropFirst(name.count).drop(while: { $0 == " " }).hasPrefix("=") {
                        holdsPolicy = true
                        break
                    }
                }
                guard holdsPolicy else { continue }
            }
            let column = line.count - trimmed.count + 1
            let start = SourcePosition(line: number + 1, column: column, offset: offset + (line.utf8.count - trimmed.utf8.count))
            let end = SourcePosition(line: number + 1, column: line.count + 1, offset: offset + line.utf8.count)
            reading.problems.append(ReadingProblem(.unread, message: "Terraform configuration is not read: audit the plan of \(words[1]).\(words[2]) instead (terraform show -json PLAN > plan.json)",
                                                   pointer: .root, span: SourceSpan(start: start, end: end)))
        }
        if reading.problems.isEmpty { reading.notAuditable = "Terraform configuration without IAM" }
        return reading
    }

    /// Terraform's JSON configuration syntax (`*.tf.json`): `resource` and `data` objects by type and name. Each
    /// block that holds IAM is an IAM037 problem at its name, as in HCL.
    private func readJSONSyntax(_ file: SourceFile, loader: PolicyLoader) -> SourceReading? {
        guard let tree = try? loader.parser.parse(file.bytes), tree.objectValue != nil else { return nil }
        var reading = SourceReading()
        for section in ["resource", "data"] {
            for type in tree[section]?.objectValue ?? [] where Self.policyBlocks.contains(type.key) {
                let optional = TerraformPlanSource.documents[type.key]?.contains { $0.label != nil && $0.kind == .resource } == true
                for block in type.value.objectValue ?? [] {
                    if optional, !Self.optionalPolicyAttributes.contains(where: { block.value[$0] != nil }) { continue }
                    reading.problems.append(ReadingProblem(.unread, message: "Terraform configuration is not read: audit the plan of \(type.key).\(block.key) instead (terraform show -json PLAN > plan.json)",
                                                           pointer: JSONPointer(tokens: [section, type.key, block.key]), span: block.keySpan))
                }
            }
        }
        if reading.problems.isEmpty { reading.notAuditable = "Terraform configuration without IAM" }
        return reading
    }
}
