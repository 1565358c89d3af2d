#!/usr/bin/env python3
"""Compare iam-audit with AWS IAM Access Analyzer on the AWS managed policies of the shared corpus.

Usage (from the package root, after `swift build`):

    python3 scripts/compare-access-analyzer.py [IAM_AUDIT_BINARY] [--shared FOLDER]

IAM_AUDIT_BINARY defaults to .build/debug/iam-audit; FOLDER to $IAM_AUDIT_SHARED, else ../shared. The script
runs the binary with `--format json` over the policies of corpus/aws-managed that have a file in
corpus/aws-managed-meta/access-analyzer-findings (Access Analyzer's ValidatePolicy output for 76 policies), and
prints a Markdown table: per Access Analyzer issue code, how many findings Access Analyzer reports (AA), how
many findings of the corresponding iam-audit rules iam-audit reports (ours), how many of Access Analyzer's it
also reports (matched: a finding of a corresponding rule in the same policy and statement), how many it misses,
and how many of its own it adds; then iam-audit's findings of rules with no Access Analyzer counterpart, by rule;
then why each miss happens. Python 3 standard library only; prints "skipped: …" and exits 0 without the corpus.
"""

import collections
import json
import os
import re
import subprocess
import sys

# Access Analyzer issue code -> the iam-audit rules that report the same problem (first: the main one).
RULES = {
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": ["IAM033"],
    "TYPE_MISMATCH": ["IAM033"],
    "INVALID_ACTION": ["IAM030", "IAM020"],
    "INVALID_SERVICE_CONDITION_KEY": ["IAM032"],
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": ["IAM017"],
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": ["PRIV004"],
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": ["PRIV004", "PRIV001", "PRIV002"],
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": ["PRIV007"],
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": ["PRIV007", "PRIV001", "PRIV002"],
    "MISSING_QUALIFIER": ["IAM035"],
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": [],
    "REDUNDANT_ACTION": [],
    "REDUNDANT_RESOURCE": [],
}

# Why iam-audit misses findings of an issue code; printed under the table for every code with a miss.
WHY_MISSED = {
    "REDUNDANT_ACTION": "suggestion not implemented: iam-audit does not report an action that another value of the "
                        "same statement already grants (`s3:GetObject` next to `s3:Get*`).",
    "REDUNDANT_RESOURCE": "suggestion not implemented: iam-audit does not report a resource that another value of "
                          "the same statement already covers.",
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": "not implemented: IAM032 checks that a key exists for "
                         "the statement's services, not that every action of the statement supports "
                         "`aws:ResourceTag/…` (here the SageMaker actions that take no tagged resource).",
    "INVALID_ACTION": "the catalog (Service Authorization Reference of 2025-12-02) knows actions that Access "
                      "Analyzer's data of 2024-12-05 did not, so IAM030 rightly stays silent on them.",
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": "IAM017 measures the policy without whitespace against the "
                      "managed-policy quota of 6,144 characters, as Access Analyzer does; a miss means the policy "
                      "changed between Access Analyzer's run (2024-12-05) and the corpus (2025-02-22).",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": "PRIV004 stays silent when a positive `iam:PassedToService` condition names "
                      "services; Access Analyzer reports `*` whatever the condition.",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": "PRIV007 stays silent on `iam:CreateServiceLinkedRole` limited by a "
                      "positive `iam:AWSServiceName` condition; Access Analyzer reports `*` whatever the condition.",
}
# Why iam-audit adds findings Access Analyzer does not report: by issue code, then by rule without a counterpart.
WHY_ADDED = {
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": "IAM033 also reports `StringEquals`/`StringNotEquals` on an "
                      "ARN key; Access Analyzer reports only the `StringLike` family.",
    "INVALID_ACTION": "the catalog drops retired services and actions (`elastic-inference:*`, `deepracer:*`, "
                      "`sso:DescribePermissionsPolicies`) that Access Analyzer's data still had; IAM030 is a warning "
                      "for that reason.",
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": "IAM017 applies the managed-policy quota (6,144) to a managed "
                      "policy; Access Analyzer's identity-policy check uses the inline role-policy maximum (10,240), "
                      "so policies between the two are ours alone.",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": "PRIV004 also reports `iam:PassRole` on named roles without a positive "
                      "`iam:PassedToService` condition.",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": "PRIV007 reports `iam:CreateServiceLinkedRole` on `*` that Access Analyzer "
                      "does not report there.",
    "INVALID_SERVICE_CONDITION_KEY": "IAM032 reports keys the catalog does not know for the statement's services, "
                      "including global keys Access Analyzer accepts.",
    "IAM031": "an action pattern that matches no action: Access Analyzer has no such check.",
    "IAM034": "an action none of whose resource types any `Resource` value of the statement can name (dead "
              "grants, such as 163 SageMaker actions limited to endpoint, model and pipeline ARNs in "
              "AmazonSageMakerServiceCatalogProductsCodeBuildServiceRolePolicy): Access Analyzer reported none.",
    "PRIV001": "`Action: \"*\"` in an Allow: least privilege, not a validity check.",
    "PRIV002": "`service:*` in an Allow: least privilege, not a validity check.",
    "PRIV003": "`Resource: \"*\"` for actions that support resource-level permissions: least privilege.",
    "PRIV005": "`NotAction` or `NotResource` with Allow: least privilege.",
    "PRIV006": "credential reads (`secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`) on `*`.",
    "PRIV007": "IAM write actions on `*` other than `iam:CreateServiceLinkedRole`.",
    "PRIV008": "privilege-escalation action sets reachable within one policy.",
}

GENERIC_MISS = "unexplained: look at the policies listed."


def statement_of(pointer):
    """The statement index a JSON pointer (`/Statement/3/…`) or an Access Analyzer path names; -1 for the
    policy as a whole, 0 when `Statement` is a single object."""
    match = re.match(r"^/Statement(?:/(\d+))?", pointer)
    if not match:
        return -1
    return int(match.group(1)) if match.group(1) is not None else 0


def aa_pointer(path):
    def token(part):
        text = str(part["index"]) if "index" in part else part.get("value", part.get("key", ""))
        return "/" + text.replace("~", "~0").replace("/", "~1")
    return "".join(token(part) for part in path)


def resolves(document, path):
    """Whether Access Analyzer's location `path` still names a value of `document` (the corpus version)."""
    node = document
    for part in path:
        if "index" in part:
            if isinstance(node, list) and part["index"] < len(node):
                node = node[part["index"]]
            elif not isinstance(node, list) and part["index"] == 0:
                continue  # a single statement written as an object
            else:
                return False
        else:
            name = part.get("value", part.get("key"))
            if not isinstance(node, dict) or name not in node:
                return False
            node = node[name]
    return True


def family(code):
    return code.rstrip("0123456789")


def classify(finding):
    """The Access Analyzer issue code an unmatched iam-audit finding corresponds to, or None."""
    rule, message = finding["ruleId"], finding["message"]
    if rule == "IAM033":
        return "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS" if "of type ARN" in message else "TYPE_MISMATCH"
    if rule in ("IAM030", "IAM020"):
        return "INVALID_ACTION"
    if rule == "IAM032":
        return "INVALID_SERVICE_CONDITION_KEY"
    if rule == "IAM017":
        return "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"
    if rule == "PRIV004":
        return "PASS_ROLE_WITH_STAR_IN_RESOURCE"
    if rule == "PRIV007" and "CreateServiceLinkedRole" in message:
        return "CREATE_SLR_WITH_STAR_IN_RESOURCE"
    return None


def main(argv):
    tool = ".build/debug/iam-audit"
    shared = os.environ.get("IAM_AUDIT_SHARED") or "../shared"
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--shared" and args:
            shared = args.pop(0)
        elif arg in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            tool = arg
    meta = os.path.join(shared, "corpus/aws-managed-meta/access-analyzer-findings")
    policies = os.path.join(shared, "corpus/aws-managed")
    if not os.path.isdir(meta) or not os.path.isdir(policies):
        print(f"skipped: {meta} is absent (pass --shared FOLDER or set IAM_AUDIT_SHARED)")
        return 0

    names = sorted(f[:-5] for f in os.listdir(meta) if f.endswith(".json"))
    present = [n for n in names if os.path.isfile(os.path.join(policies, n))]
    run = subprocess.run([tool, "--format", "json", "--fail-on", "never"] + [os.path.join(policies, n) for n in present],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(f"iam-audit failed ({run.returncode}): {run.stderr.strip()}", file=sys.stderr)
        return 2
    report = json.loads(run.stdout)
    ours = collections.defaultdict(list)
    for finding in report["findings"]:
        ours[os.path.basename(finding["file"])].append(finding)

    aa_count = collections.Counter()
    aa_type = {}
    matched = collections.Counter()
    ours_count = collections.Counter()
    added = collections.Counter()
    other = collections.Counter()  # iam-audit rule -> findings with no Access Analyzer counterpart
    missed_examples = collections.defaultdict(list)
    changed = collections.Counter()  # misses whose location the corpus version of the policy no longer has
    for name in present:
        with open(os.path.join(meta, name + ".json"), encoding="utf-8") as f:
            aa = json.load(f)
        aa = aa if isinstance(aa, list) else aa.get("findings", [])
        with open(os.path.join(policies, name), encoding="utf-8") as f:
            document = json.load(f)
        used = set()  # indexes of our findings already matched
        mine = ours.get(name, [])
        assigned = {}
        for finding in aa:
            code = finding["issueCode"]
            aa_count[code] += 1
            aa_type[code] = finding["findingType"]
            statements = {statement_of(aa_pointer(loc["path"])) for loc in finding.get("locations", [])} or {-1}
            hit = None
            for index, candidate in enumerate(mine):
                if index in used or candidate["ruleId"] not in RULES.get(code, []):
                    continue
                if -1 in statements or statement_of(candidate["pointer"]) in statements:
                    hit = index
                    break
            if hit is None:
                gone = not all(resolves(document, loc["path"]) for loc in finding.get("locations", []))
                missed_examples[code].append(name)
                if gone:
                    changed[code] += 1
            else:
                used.add(hit)
                assigned[hit] = code
                matched[code] += 1
        for index, finding in enumerate(mine):
            code = assigned.get(index) or classify(finding)
            if code is None:
                other[finding["ruleId"]] += 1
                continue
            ours_count[code] += 1
            if index not in assigned:
                added[code] += 1

    codes = sorted(set(aa_count) | set(ours_count), key=lambda c: (family(RULES.get(c, ["~"])[0]) if RULES.get(c) else "~", -aa_count[c], c))
    total_ours = sum(len(v) for v in ours.values())
    print(f"iam-audit {report['tool'].get('version', '')} against AWS IAM Access Analyzer (ValidatePolicy, 2024-12-05) on the "
          f"{len(present)} AWS managed policies of corpus/aws-managed that Access Analyzer has findings for "
          f"({sum(aa_count.values())} Access Analyzer findings, {total_ours} iam-audit findings).\n")
    print("| family | Access Analyzer issue code | AA type | iam-audit rules | AA | ours | matched | missed | added |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for code in codes:
        rules = RULES.get(code, [])
        fam = family(rules[0]) if rules else "—"
        print(f"| {fam} | {code} | {aa_type.get(code, '—')} | {', '.join(rules) or 'none'} | {aa_count[code]} | "
              f"{ours_count[code]} | {matched[code]} | {aa_count[code] - matched[code]} | {added[code]} |")
    for rule in sorted(other, key=lambda r: (family(r), r)):
        print(f"| {family(rule)} | (no Access Analyzer counterpart) | — | {rule} | 0 | {other[rule]} | 0 | 0 | {other[rule]} |")
    print(f"| **all** | | | | **{sum(aa_count.values())}** | **{total_ours}** | **{sum(matched.values())}** | "
          f"**{sum(aa_count.values()) - sum(matched.values())}** | **{sum(added.values()) + sum(other.values())}** |")

    print("\nMatched: an iam-audit finding of a listed rule in the same policy and statement (each counted once). "
          "Added: iam-audit findings of the row's kind that Access Analyzer does not report there.\n")
    print("Why iam-audit misses findings:\n")
    for code in codes:
        miss = aa_count[code] - matched[code]
        if miss:
            examples = ", ".join(sorted(set(missed_examples[code]))[:4])
            gone = f" {changed[code]} of them point at a location the corpus version of the policy no longer " \
                   f"has (AWS changed the policy after Access Analyzer's run)." if changed[code] else ""
            reason = WHY_MISSED.get(code, GENERIC_MISS) if changed[code] < miss else ""
            print(f"- **{code}** ({miss}): {reason}{gone} Policies: {examples}.".replace(":  ", ": "))
    print("\nWhy iam-audit adds findings:\n")
    for code in codes:
        if added[code]:
            print(f"- **{code}** ({added[code]}): {WHY_ADDED.get(code, 'see the findings.')}")
    for rule in sorted(other, key=lambda r: (family(r), r)):
        print(f"- **{rule}** ({other[rule]}): {WHY_ADDED.get(rule, 'no Access Analyzer counterpart.')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
