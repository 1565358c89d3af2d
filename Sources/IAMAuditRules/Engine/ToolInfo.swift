/// The tool's name and version, as reports print them.
public enum ToolInfo {
    public static let name = "iam-audit"
    public static let version = "0.1.0"
    /// The project's home, where its releases and documentation are published; SARIF links each rule to its
    /// section of `docs/RULES.md` there.
    public static let repository = "https://github.com/iam-audit/iam-audit"
}
