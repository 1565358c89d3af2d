import IAMAuditRules

/// The text `iam-audit --help` prints: sentences, the commands, every option with its default, the exit codes.
enum HelpText {
    static let text = """
    \(ToolInfo.name) \(ToolInfo.version) audits AWS IAM role trust policies and permission policies against IAM's
    grammar, security practice and a declared design.

    Usage:
      iam-audit [check] [PATH...] [--design FILE] [-f FORMAT] [-o FILE] [--fail-on LEVEL]
                [--select CODES] [--ignore CODES] [--statistics] [--exclude GLOB]... [--no-respect-gitignore]
                [--include-aws-managed] [--project-root DIR] [--stdin-filename NAME] [--baseline FILE]
                [--write-baseline FILE] [--color WHEN] [-q] [--max-file-size BYTES] [--jobs N]
      iam-audit rules [--format text|json|markdown]
      iam-audit explain CODE
      iam-audit simulate FILE --sub SUBJECT [--aud AUDIENCE] [--claim NAME=VALUE]... [--provider ARN]
                         [--format text|json]
      iam-audit simulate --workflow FILE --job NAME [--event EVENT] [--ref REF] [--design FILE] [PATH...]
                         [--format text|json]
      iam-audit init [FOLDER] [-o|--output FILE]
      iam-audit --help | --version

    Commands:
      check          Audits policy files and folders and reports the findings; it is the default command.
      rules          Lists every rule with its code, name, level and title.
      explain CODE   Describes one rule, named by its code or its name (IAM001 or invalid-json).
      simulate FILE  Evaluates the trust policy in FILE (- reads standard input) against the claims of one GitHub
                     Actions token, as AWS STS would for AssumeRoleWithWebIdentity, and prints allow or deny with
                     the deciding statement, or each statement's first failing condition.
      simulate --workflow FILE --job NAME
                     Says which roles that job of the workflow can assume, with the token it presents: the roles
                     whose trust policies the PATHs hold (default: the repository holding the workflow), placed by
                     their designs as check places them. Exit 0 when it can assume one, 1 when none.
      init [FOLDER]  Writes a starter design file, FOLDER/iam-audit.json (default FOLDER: .), from what the folder
                     holds: the repository from its git remote, environments, branches and roles from its
                     workflows, policy files placed by the environment their paths name, and the resource scope
                     of their Resource values. Each value gets a note in the design's review list, also printed on
                     standard error. It never overwrites a file: exit 2 when it exists.

    Paths:
      A named file is read whatever its name. A folder is searched recursively for *.json, *.yaml, *.yml,
      *.template and *.tf files, skipping hidden entries but .github/workflows; an iam-audit.json is a design, not
      a policy. The path - reads standard input. Without a path, the policies/ folder is audited when it exists.

    Inputs:
      A file holds a bare policy document, a CloudFormation or SAM template (JSON or YAML, CDK output
      included), or AWS CLI output: get-role, get-policy-version, get-role-policy,
      get-open-id-connect-provider, or get-account-authorization-details, whose roles' trust and inline
      policies, users' and groups' inline policies and managed policies' default versions are each audited,
      located in the dump and named in messages. With a design, a role named as an environment's role is audited
      as that environment's trust policy, and its inline and attached managed policies as its permission
      policies.

    Options of check:
      --design FILE          Reads the design from FILE for every file. Default: for each file, the nearest
                             iam-audit.json in its folder or above, up to the repository root.
      -f, --format FORMAT    Reports as text, concise (one line a finding), json, sarif or github (workflow
                             annotations). Default: text.
      -o, --output FILE      Writes the report to FILE, replacing it atomically. Default: standard output.
      --fail-on LEVEL        Exits 1 on a finding at or above LEVEL: error, warning, note or never. Default: error.
      --select CODES         Runs only these rules: comma-separated codes, code prefixes such as OIDC, or rule
                             names; repeatable. Default: every rule.
      --ignore CODES         Skips these rules, in the same forms as --select; repeatable, and wins over
                             --select. Default: none.
      --statistics           Prints how many findings each rule reported, most first, instead of the findings
                             (text, concise or json).
      --exclude GLOB         Leaves what GLOB matches out of folder walks: a name at any depth, or with a / a
                             path from the working directory; named paths stay in. Repeatable. Default: none.
      --no-respect-gitignore Walks what the repository's .gitignore files and .git/info/exclude leave out too.
      --include-aws-managed  Reports the findings on AWS-managed policies one by one and counts them toward
                             the exit code. Default: counted per policy, apart.
      --stdin-filename NAME  Names standard input NAME in reports, such as iam/trust.json. Default: <stdin>.
      --project-root DIR     Makes SARIF paths relative to DIR. Default: the git repository's top folder, else
                             the working directory.
      --baseline FILE        Reports only findings FILE does not hold (same rule, file and fingerprint), and
                             counts those it holds and its stale entries, which match nothing. Default: none.
      --write-baseline FILE  Writes the run's findings to FILE as a sorted JSON baseline and exits 0 unless the
                             run itself failed. Default: none.
      --color WHEN           Colours the text report: always, never, or auto: off when NO_COLOR is set, else
                             on when FORCE_COLOR is set or standard output is a terminal. Default: auto.
      -q, --quiet            Prints no notices (such as skipped files) on standard error. Default: off.
      --max-file-size BYTES  Refuses files over BYTES bytes without reading them. Default: \(FileReader.defaultLimit) (256 MiB).
      --jobs N               Audits N files, or N entries of an account dump, at once; the report is the same
                             whatever N. Default: the number of cores.

    Options of rules:
      --format FORMAT        Lists the rules as text, json or markdown. Default: text.

    Options of simulate:
      --sub SUBJECT          Gives the token's sub claim, such as repo:OWNER/REPO:ref:refs/heads/main. Required.
      --aud AUDIENCE         Gives the token's aud claim. Default: sts.amazonaws.com.
      --claim NAME=VALUE     Gives another claim of the token, such as environment=prod or
                             job_workflow_ref=OWNER/REPO/.github/workflows/deploy.yml@refs/heads/main; repeatable.
                             A claim not given is absent from the request; iss=https://HOST names the token's
                             issuer. Default: none.
      --provider ARN         Names the identity provider the token is presented through, and so the role's
                             account, such as arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com.
                             Default: the account of the providers the Allow statements name.
      --format FORMAT        Prints the result as text or json. Default: text.
      --workflow FILE        Simulates a job of this workflow instead of one token (with --job).
      --job NAME             The job's id under jobs:. Required with --workflow.
      --event EVENT          Only the job's runs on this event (push, pull_request_target, ...). Default: every
                             event the workflow runs on.
      --ref REF              Only the job's runs on this ref, such as refs/heads/main. Default: every ref.
      --design FILE          With --workflow: the design placing the roles. Default: the nearest iam-audit.json.

    Options of init:
      -o, --output FILE      Writes the design to FILE instead; its policy paths are relative to FILE's folder.
                             Default: FOLDER/iam-audit.json.

    Other options:
      -h, --help             Prints this help.
      --version              Prints the version.

    Suppressions:
      The design's ignore entries move the findings they match (rule, path glob relative to the design file,
      optional pointer) to the suppressed list with their reason; suppressed findings are counted in text and
      JSON and left out of SARIF. An entry that has expired or matches nothing is reported as a warning.

    An option's value follows it as the next argument (--format json) or after an equals sign (--format=json).
    The argument -- ends the options: every later argument is a path.

    Exit status:
      0  No finding is at or above --fail-on, and the run succeeded; for simulate, the policy allows the token.
      1  At least one finding is at or above --fail-on (a malformed policy is a finding, IAM001); for simulate,
         the policy denies the token.
      2  The run could not be done: a usage error, an unreadable path, an invalid design or baseline file or
         an unwritable output; for simulate, also a file that is not valid JSON or names no GitHub identity provider.

    """
}
