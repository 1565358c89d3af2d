/// How reports print a rule's security severity (GitHub code scanning's 0.0–10.0 scale).
enum SecuritySeverity {
    /// One decimal place, as SARIF's `security-severity` string wants it: `8.0`, `5.5`.
    static func text(_ value: Double) -> String {
        guard value.isFinite else { return "0.0" }
        let tenths = Int((min(max(value, 0), 10) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// GitHub's rating of a score: `critical` above 9.0, `high` from 7.0, `medium` from 4.0, `low` above 0.
    static func rating(_ value: Double) -> String {
        switch value {
        case 9.0...: "critical"
        case 7.0..<9.0: "high"
        case 4.0..<7.0: "medium"
        case let value where value > 0: "low"
        default: "none"
        }
    }

    /// `8.0 (high)`.
    static func described(_ value: Double) -> String {
        "\(text(value)) (\(rating(value)))"
    }
}
