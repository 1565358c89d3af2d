#!/usr/bin/env bash
# The build step of .github/workflows/release.yml: `make dist`, then checks that the archive is the one the tag
# and the runner call for (TAG v0.1.0 and ASSET_SUFFIX linux-x86_64 give iam-audit-0.1.0-linux-x86_64.tar.gz)
# and that its binary reports that version and audits policies/ with exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TAG:?TAG is the pushed tag, such as v0.1.0}"
: "${ASSET_SUFFIX:?ASSET_SUFFIX is OS-ARCH, such as linux-x86_64}"
version="${TAG#v}"
name="iam-audit-$version-$ASSET_SUFFIX"

make dist
if [ ! -f "dist/$name.tar.gz" ] || [ ! -f "dist/$name.tar.gz.sha256" ]; then
    echo "release-build: make dist did not write dist/$name.tar.gz and its .sha256 (the tag and the version" \
        "iam-audit reports must agree); dist/ holds:" >&2
    ls -l dist >&2
    exit 1
fi
check="$(mktemp -d)"
trap 'rm -rf "$check"' EXIT
tar -xzf "dist/$name.tar.gz" -C "$check"
reported="$("$check/$name/iam-audit" --version)"
if [ "$reported" != "iam-audit $version" ]; then
    echo "release-build: the binary reports '$reported', the tag is $TAG" >&2
    exit 1
fi
"$check/$name/iam-audit" policies/
echo "release-build: dist/$name.tar.gz is ready"
