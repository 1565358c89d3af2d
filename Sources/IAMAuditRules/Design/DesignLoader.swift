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

/// Reads and strictly validates the design file `iam-audit.json` (`docs/design-file.md`).
public enum DesignLoader {
    /// The design file's name in a scanned directory.
    public static let fileName = "iam-audit.json"

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
}
