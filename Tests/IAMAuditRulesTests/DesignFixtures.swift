import Foundation
import IAMAuditRules
import IAMPolicy
import Testing

/// Design texts and loading shortcuts shared by the design tests.
enum DesignFixtures {
    /// The example of DESIGN.md §5, verbatim.
    static let example = """
    {
      "version": 1,
      "partition": "aws",
      "account": "337909745089",
      "region": "eu-north-1",
      "github": {
        "repository": "junksamiad/template-sender-engine",
        "audience": "sts.amazonaws.com"
      },
      "resources": {
        "lambda": ["arn:${partition}:lambda:${region}:${account}:function:${stackName}-*"],
        "sqs": ["arn:${partition}:sqs:${region}:${account}:ai-multi-comms-*-queue-${env}"],
        "dynamodb": ["arn:${partition}:dynamodb:${region}:${account}:table/ai-multi-comms-${env}-*"],
        "logs": ["arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/ai-multi-comms-${env}-*"]
      },
      "environments": {
        "dev": {
          "branch": "develop",
          "githubEnvironment": "dev",
          "stackName": "ai-multi-comms-dev",
          "role": "GitHubActions-template-sender-engine-dev",
          "trustPolicy": "dev/trust-policy.json",
          "permissionPolicies": ["dev/permissions-policy.json"]
        },
        "prod": { "branch": "main", "githubEnvironment": "prod", "stackName": "ai-multi-comms-prod",
                  "role": "GitHubActions-template-sender-engine-prod",
                  "trustPolicy": "prod/trust-policy.json", "permissionPolicies": ["prod/permissions-policy.json"] }
      },
      "ignore": [
        { "rule": "PRIV002", "path": "prod/permissions-policy.json", "pointer": "/Statement/3",
          "reason": "ValidateTemplate supports no resource-level permissions" }
      ]
    }
    """

    /// Loads `text` as the design file `file`, every named policy file existing unless `existing` says otherwise.
    static func load(_ text: String, file: String = "policies/iam-audit.json",
                     existing: Set<String>? = nil) -> Result<Design, DesignErrors> {
        DesignLoader.load(file: file, bytes: Array(text.utf8)) { existing?.contains($0) ?? true }
    }

    /// The design `text` describes, recording an issue when it does not load.
    static func design(_ text: String, file: String = "policies/iam-audit.json",
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> Design {
        switch load(text, file: file) {
        case .success(let design):
            return design
        case .failure(let errors):
            Issue.record("design did not load: \(errors.errors.map(\.formatted))", sourceLocation: sourceLocation)
            throw errors
        }
    }

    /// The errors loading `text` reports, or none when it loads.
    static func errors(_ text: String, file: String = "policies/iam-audit.json", existing: Set<String>? = nil) -> [AuditError] {
        switch load(text, file: file, existing: existing) {
        case .success: []
        case .failure(let errors): errors.errors
        }
    }
}

/// A text with `‸` marks at expected error positions; the marks are removed from `text`.
struct MarkedText: CustomTestStringConvertible {
    static let mark: Character = "‸"

    var text: String
    /// The 1-based line and column of each mark, in order.
    var marks: [(line: Int, column: Int)]

    init(_ marked: String) {
        var text = ""
        var marks: [(line: Int, column: Int)] = []
        var line = 1
        var column = 1
        for scalar in marked.unicodeScalars {
            if Character(scalar) == Self.mark {
                marks.append((line, column))
                continue
            }
            text.unicodeScalars.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = text
        self.marks = marks
    }

    var testDescription: String { text }
}

extension DesignFixtures {
    /// Reads and loads a design file from disk, checking the policy files it names against the file system.
    static func loadFile(_ path: String) -> Swift.Result<Design, DesignErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(DesignErrors([AuditError(file: path, message: "design file does not exist")]))
        }
        return DesignLoader.load(file: path, bytes: [UInt8](data)) { FileManager.default.fileExists(atPath: $0) }
    }

    /// The identity of an existing file (device and inode), as the command line gives the placement resolver.
    static func fileKey(_ path: String) -> FileKey? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value,
              let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value else { return nil }
        return FileKey(device: device, inode: inode)
    }

    /// A placement resolver that identifies files by their normalized spelling, for designs whose files do not exist.
    static func lexicalResolver(_ design: Design) -> PlacementResolver {
        PlacementResolver(design: design) { lexicalKey($0) }
    }

    /// A stand-in identity for a path that need not exist: its normalized spelling, hashed (within this process).
    static func lexicalKey(_ path: String) -> FileKey {
        FileKey(device: 0, inode: UInt64(bitPattern: Int64(LexicalPath.normalized(path).hashValue)))
    }
}

