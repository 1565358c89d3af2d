#!/usr/bin/env python3
"""Generate the CloudFormation resource handler table compiled into iam-audit.

Usage (from the package root):
    python3 scripts/generate-resource-handlers.py [CFN_RESOURCE_HANDLERS_JSON] [--iam IAM_DEFINITION_JSON] [--output FILE]

CFN_RESOURCE_HANDLERS_JSON defaults to ../shared/data/cfn-resource-handlers.json (the CloudFormation registry
resource schemas bundled in cfn-lint: per resource type its primary identifier, name-like properties and the IAM
actions of its create, update and delete handlers). IAM_DEFINITION_JSON defaults to ../shared/data/iam-definition.json,
the same data the action catalog is generated from; it is read only to find, for each resource type, the IAM resource
type whose ARN format names it. The output defaults to Sources/IAMAuditRules/Permissions/ResourceHandlersData.swift.
Python 3 standard library only; the output is deterministic for a given input.

A resource type is kept when all of these resolve:
- its IAM service: the service prefix whose catalog resource types include one named like the type's last segment
  (`AWS::SQS::Queue` -> `sqs` resource type `queue`; case and `-` ignored);
- that IAM resource type's ARN format has exactly one placeholder besides `${Partition}`, `${Region}` and
  `${Account}`: the resource's name or generated id goes there;
- the handlers' minimal actions below are not all empty.

The name property is the primary identifier when it is a `…Name` property (`/properties/TableName`), else the
`<Noun>Name` property when the schema lists one (`QueueName`, `TopicName`: the ARN is built from it); any other type
has a name the ARN does not hold as given (a generated id, a secret's random suffix), and its ARN is not checked.

Minimal actions. A handler list holds every action the handler may call, many only for optional properties
(DynamoDB's create lists replicas, imports, Kinesis and KMS). A deploy role is held only to what every deploy of the
resource needs: of the handler's actions, those of the type's own service whose name is the handler's verb followed
by the type's noun (the last segment of the type, e.g. `Queue`), optionally followed by `s`, `Attributes`,
`Configuration` or `Code`:
- create: `Create<Noun>`; when there is none, `Put…<Noun>` (CloudWatch's `PutMetricAlarm`);
- update: `Update<Noun>…` or `Set<Noun>…`; when there is none, `Put…<Noun>`; none at all means an update of the
  resource needs no action of its own beyond what its properties ask (a log group);
- delete: `Delete<Noun>` or `Delete<Noun>s`;
- API Gateway, whose actions are HTTP verbs: create `POST`, update `PATCH`, delete `DELETE`, when the handler lists
  them.
Actions of other services (`iam:PassRole`, `kms:*`, `s3:GetObject`) are left out: they depend on the properties used.
The last field lists every service the type's create, read, update and delete handlers may call, optional actions
included: a deploy-role statement for a service none of a template's resources may call is one the template does not
need.
"""
import hashlib
import json
import os
import re
import sys

PSEUDO = {"Partition", "Region", "Account"}
SUFFIXES = ["", "s", "Attributes", "Configuration", "Code"]


def normal(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def placeholders(arn):
    return re.findall(r"\$\{([^}]+)\}", arn)


def minimal(handler, prefix, noun, verb):
    actions = [a.split(":", 1)[1] for a in handler if a.split(":", 1)[0] == prefix]
    if prefix == "apigateway":
        http = {"create": "POST", "update": "PATCH", "delete": "DELETE"}[verb]
        return [http] if http in actions else []
    verbs = {"create": ["Create"], "update": ["Update", "Set"], "delete": ["Delete"]}[verb]
    chosen = [a for a in actions if any(a in (v + noun + s for s in SUFFIXES) for v in verbs)]
    if not chosen and verb == "update":
        chosen = [a for a in actions if any(a.startswith(v + noun) for v in verbs) and a[len("Update" if a.startswith("Update") else "Set") + len(noun):] in SUFFIXES]
    if not chosen and verb in ("create", "update"):
        chosen = [a for a in actions if a.startswith("Put") and a.endswith(noun)]
    return sorted(set(chosen))


def name_property(entry, noun):
    for identifier in entry.get("primaryIdentifier", []):
        name = identifier.rsplit("/", 1)[-1]
        if name.endswith("Name"):
            return name
    return noun + "Name" if noun + "Name" in entry.get("properties", []) else ""


def main(argv):
    source = "../shared/data/cfn-resource-handlers.json"
    iam_source = "../shared/data/iam-definition.json"
    output = "Sources/IAMAuditRules/Permissions/ResourceHandlersData.swift"
    args = list(argv)
    for flag in ("--output", "--iam"):
        if flag in args:
            index = args.index(flag)
            if flag == "--output":
                output = args[index + 1]
            else:
                iam_source = args[index + 1]
            del args[index:index + 2]
    if args:
        source = args[0]
    raw = open(source, "rb").read()
    data = json.loads(raw)
    iam = json.load(open(iam_source, encoding="utf-8"))
    # normalized IAM resource type name -> [(prefix, resource type name, arn)]
    by_noun = {}
    for prefix, service in iam.items():
        if not isinstance(service, dict) or "resources" not in service:
            continue
        for name, resource in service["resources"].items():
            by_noun.setdefault(normal(name), []).append((prefix, name, resource["arn"]))
    rows = []
    for type_name in sorted(data["resourceTypes"]):
        parts = type_name.split("::")
        if len(parts) != 3 or parts[0] != "AWS":
            continue
        entry = data["resourceTypes"][type_name]
        noun = parts[2]
        candidates = [c for c in by_noun.get(normal(noun), [])
                      if normal(c[0]) == normal(parts[1]) or c[0] in {a.split(":", 1)[0] for a in entry.get("create", [])}]
        candidates = [c for c in candidates if len([p for p in placeholders(c[2]) if p not in PSEUDO]) == 1]
        if len({c[0] for c in candidates}) != 1:
            continue
        prefix, resource_type, _ = sorted(candidates)[0]
        handlers = {verb: minimal(entry.get(verb, []), prefix, noun, verb) for verb in ("create", "update", "delete")}
        if not any(handlers.values()):
            continue
        called = sorted({a.split(":", 1)[0] for verb in ("create", "update", "delete", "read") for a in entry.get(verb, [])} | {prefix})
        rows.append("\t".join([type_name, prefix, resource_type, name_property(entry, noun)]
                              + [",".join(handlers[verb]) for verb in ("create", "update", "delete")] + [",".join(called)]))
    licence_path = os.path.join(os.path.dirname(source), "cfn-resource-handlers.LICENSE.txt")
    licence = open(licence_path, encoding="utf-8").read().strip().splitlines() if os.path.exists(licence_path) else []
    lines = [
        "// GENERATED by scripts/generate-resource-handlers.py. Do not edit; rerun the script instead.",
        "//",
        "// Source: %s" % data.get("source", "CloudFormation registry resource schemas"),
        "// Source sha256: %s" % hashlib.sha256(raw).hexdigest(),
        "// Contents: %d resource types: IAM service and resource type (for the ARN format), name property, and the" % len(rows),
        "// minimal create, update and delete actions (the script's documentation says how they are chosen)",
        "//",
        "// The data below is derived from the CloudFormation resource schemas shipped with cfn-lint, licensed as follows:",
        "//",
    ]
    lines += [("// " + line).rstrip() for line in licence]
    lines += [
        "",
        "/// One line per resource type, fields separated by tabs: type, IAM service prefix, IAM resource type, name",
        "/// property (empty: the name is generated), the create, update and delete actions, comma-separated, and every",
        "/// service any of the type's handlers may call (its full handler permissions, optional ones included).",
        "enum ResourceHandlersData {",
        '    static let records = #"""',
    ]
    lines += rows
    lines += ['"""#', "}", ""]
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    print("wrote %d resource types to %s" % (len(rows), output), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
