#!/usr/bin/env python3
"""Compares iam-audit with AWS IAM Access Analyzer's ValidatePolicy findings on the AWS managed policies of
../shared/corpus (aws-managed-meta/access-analyzer-findings), by Access Analyzer issue code, and prints a
Markdown table: Access Analyzer's count, how many iam-audit also reports (a finding of the mapped rule in the
same policy, at or inside the same location), and which iam-audit rule families add findings there.
Usage: scripts/compare-access-analyzer.py [PATH-TO-iam-audit] [SHARED-FOLDER]"""
import collections, json, os, subprocess, sys

tool = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/iam-audit"
shared = sys.argv[2] if len(sys.argv) > 2 else "../shared"
meta = os.path.join(shared, "corpus/aws-managed-meta/access-analyzer-findings")
policies = os.path.join(shared, "corpus/aws-managed")
if not os.path.isdir(meta):
    print(f"skipped: {meta} is absent")
    sys.exit(0)

# Access Analyzer issue code -> iam-audit rules that report the same thing.
MAPPING = {
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": ["PRIV004"], "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": ["PRIV004", "PRIV001"],
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": ["PRIV007"], "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": ["PRIV007", "PRIV001"],
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": ["IAM017"], "INVALID_ACTION": ["IAM030", "IAM020"],
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": ["IAM033"], "INVALID_SERVICE_CONDITION_KEY": ["IAM032"],
    "TYPE_MISMATCH": ["IAM024", "IAM033"], "MISSING_QUALIFIER": ["IAM024"],
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": ["IAM032"],
    "REDUNDANT_ACTION": [], "REDUNDANT_RESOURCE": [],
}

def pointer(path):
    def token(p):
        text = str(p["index"]) if "index" in p else p.get("value", p.get("key", ""))
        return text.replace("~", "~0").replace("/", "~1")
    return "".join("/" + token(p) for p in path)

names = sorted(f[:-5] for f in os.listdir(meta) if f.endswith(".json"))
files = [os.path.join(policies, n) for n in names if os.path.exists(os.path.join(policies, n))]
report = json.loads(subprocess.run([tool, "--format", "json", "--fail-on", "never"] + files, capture_output=True, text=True).stdout)
ours = collections.defaultdict(list)
for f in report["findings"]:
    ours[os.path.basename(f["file"])].append(f)

rows = collections.OrderedDict()
for name in names:
    aa = json.load(open(os.path.join(meta, name + ".json")))
    aa = aa if isinstance(aa, list) else aa.get("findings", [])
    for finding in aa:
        code = finding["issueCode"]
        row = rows.setdefault(code, {"type": finding["findingType"], "aa": 0, "matched": 0})
        row["aa"] += 1
        where = [pointer(loc["path"]) for loc in finding.get("locations", [])] or [""]
        rules = MAPPING.get(code, [])
        hit = any(o["ruleId"] in rules and any(o["pointer"].startswith(w) or w.startswith(o["pointer"]) or o["pointer"] == "" for w in where)
                  for o in ours.get(name, []))
        row["matched"] += 1 if hit else 0

families = collections.Counter(f["ruleId"].rstrip("0123456789") for fs in ours.values() for f in fs)
print(f"{len(names)} policies with Access Analyzer findings; iam-audit reports {sum(families.values())} findings on them "
      f"({', '.join(f'{k} {v}' for k, v in sorted(families.items()))}).\n")
print("| Access Analyzer finding | type | AA count | iam-audit rule | also reported |")
print("| --- | --- | --- | --- | --- |")
for code, row in sorted(rows.items(), key=lambda item: -item[1]["aa"]):
    print(f"| {code} | {row['type']} | {row['aa']} | {', '.join(MAPPING.get(code, [])) or 'none'} | {row['matched']} |")
