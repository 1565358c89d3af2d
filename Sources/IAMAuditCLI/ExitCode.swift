/// How a run of `iam-audit` ended, as its process exit status (DESIGN.md §8).
public enum ExitCode: Int32, Sendable, CaseIterable {
    /// No finding at or above `--fail-on`, and the run itself succeeded (also `--help`, `--version`, `rules`, `explain`,
    /// and `simulate` when the trust policy allows the token).
    case success = 0
    /// At least one finding at or above `--fail-on` (a malformed policy is a finding, `IAM001`); for `simulate`, the
    /// trust policy denies the token.
    case findings = 1
    /// The run itself could not be done: a bad flag, an unreadable path, an invalid design file, an unwritable output.
    case failure = 2
}
