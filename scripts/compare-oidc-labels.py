#!/usr/bin/env python3
"""Compares iam-audit's highest OIDC/TRUST finding per policy of ../shared/corpus/github-oidc-trust with the
label in its MANIFEST.tsv, and prints a Markdown table of every disagreement.
Usage: scripts/compare-oidc-labels.py [PATH-TO-iam-audit] [CORPUS-FOLDER]"""
import csv, json, os, subprocess, sys

tool = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/iam-audit"
corpus = sys.argv[2] if len(sys.argv) > 2 else "../shared/corpus/github-oidc-trust"
if not os.path.isdir(corpus):
    print(f"skipped: {corpus} is absent")
    sys.exit(0)

# The label each rule stands for, most permissive first (the corpus README's precedence).
RULE_LABEL = [
    ("OIDC001", "missing-sub"), ("OIDC007", "missing-sub"),
    ("OIDC002", "other"), ("OIDC011", "other"), ("OIDC013", "other"), ("OIDC009", "other"), ("OIDC010", "other"),
    ("OIDC003", "org-wildcard"), ("OIDC004", "repo-wildcard"), ("OIDC005", "pull_request"),
    ("OIDC008", "missing-aud"),
]
rank = {code: index for index, (code, _) in enumerate(RULE_LABEL)}
labels = {row["file"]: (row["label"], row["reason"]) for row in csv.DictReader(open(os.path.join(corpus, "MANIFEST.tsv")), delimiter="\t")}
files = sorted(labels)
out = subprocess.run([tool, "--format", "json", "--fail-on", "never"] + [os.path.join(corpus, f) for f in files],
                     capture_output=True, text=True)
report = json.loads(out.stdout)
codes = {}
for finding in report["findings"]:
    codes.setdefault(os.path.basename(finding["file"]), set()).add(finding["ruleId"])

def predicted(found, label):
    ranked = sorted((c for c in found if c in rank), key=rank.get)
    if not ranked:
        return "pinned-*", None
    code = ranked[0]
    return dict(RULE_LABEL)[code], code

agree, rows = 0, []
for name in files:
    label, reason = labels[name]
    guess, code = predicted(codes.get(name, set()), label)
    ok = guess == label or (guess == "pinned-*" and label.startswith("pinned-"))
    # Validity findings (a placeholder account, a templated principal) are "other" when nothing else is wrong.
    ok = ok or (label == "other" and code is None and bool(codes.get(name)))
    # The corpus files its branch/tag/environment globs and mixed kinds under "other".
    ok = ok or (label == "other" and code == "OIDC004")
    # A pull_request subject inside a repo-wide wildcard is reported once, by OIDC004, which names pull_request.
    ok = ok or (label == "pull_request" and code == "OIDC004")
    if ok:
        agree += 1
    else:
        rows.append((name, label, code or "none", ", ".join(sorted(codes.get(name, []))) or "none", reason))
print(f"{agree} of {len(files)} policies agree with their label.\n")
print("| file | label | highest | all findings | label's reason |")
print("| --- | --- | --- | --- | --- |")
for row in rows:
    print("| " + " | ".join(row) + " |")
