import Foundation
import IAMPolicy

/// Every problem found in a design file, so the user can fix them all in one pass.
public struct DesignErrors: Error, Sendable, Hashable {
    /// The problems in source order, each naming the design file and, where there is one, the 1-based line
    /// and column of the offending key or value.
    public var errors: [AuditError]

    public init(_ errors: [AuditError]) {
        self.errors = errors
    }
}

/// Reads and strictly validates the design file `iam-audit.json` (DESIGN.md §5).
public enum DesignLoader {
    /// The design file's name in a scanned directory.
    public static let fileName = "iam-audit.json"

    /// `directory/iam-audit.json` when that file exists, else nil.
    public static func find(in directory: String) -> String? {
        let candidate: String
        if directory.isEmpty {
            candidate = fileName
        } else {
            candidate = (directory.hasSuffix("/") ? directory : directory + "/") + fileName
        }
        return isRegularFile(candidate) ? candidate : nil
    }

    /// Reads the design file at `file` and loads it, checking the policy files it names on disk.
    public static func load(file: String) -> Swift.Result<Design, DesignErrors> {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read" : "does not exist"
            return .failure(DesignErrors([AuditError(file: file, message: "design file \(reason)")]))
        }
        return load(file: file, bytes: [UInt8](data), fileExists: isRegularFile)
    }

    /// Parses and validates a design file.
    ///
    /// - Parameters:
    ///   - file: the design file's path as the user named it; errors carry it and the paths inside the design
    ///     are resolved against its folder.
    ///   - bytes: the file's contents.
    ///   - fileExists: whether a file exists, asked with each policy path the design names, resolved against the
    ///     design file's folder and normalized (`policies/dev/trust-policy.json`).
    /// - Returns: the design, or every problem found, in source order.
    public static func load(file: String, bytes: [UInt8], fileExists: (String) -> Bool) -> Swift.Result<Design, DesignErrors> {
        let root: JSONNode
        do {
            root = try JSONParser().parse(bytes)
        } catch {
            return .failure(DesignErrors([AuditError(file: file, message: "invalid JSON: \(error.message)", position: error.position)]))
        }
        return withoutActuallyEscaping(fileExists) { fileExists in
            var validator = DesignValidator(file: file, bytes: bytes, fileExists: fileExists)
            let design = validator.validate(root)
            if validator.errors.isEmpty, let design { return .success(design) }
            return .failure(DesignErrors(validator.sortedErrors))
        }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
