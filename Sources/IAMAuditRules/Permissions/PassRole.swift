/// `iam:PassRole`: PRIV004 weighs it, and the other least-privilege analyses leave it to that rule.
enum PassRole {
    static let name = "iam:PassRole"
    /// The action in the catalog (nil only for a catalog without it).
    static let action = ActionCatalog.shared.action(name)
}
