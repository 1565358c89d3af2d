#!/usr/bin/env bash
# zizmor, offline and without a GitHub token, on the project's workflows (.github/workflows/), the example
# pipelines (examples/workflows/) and the composite action: any finding fails. Skips, saying why, when zizmor
# is not installed (`make tools` installs it; ZIZMOR names the executable, default: zizmor on PATH).
set -euo pipefail
cd "$(dirname "$0")/../.."

zizmor="${ZIZMOR:-zizmor}"
if ! command -v "$zizmor" > /dev/null; then
    if command -v zizmor > /dev/null; then
        zizmor=zizmor
    else
        echo "workflows-zizmor: SKIPPED: zizmor is not installed ($zizmor not found; make tools installs it)"
        exit 0
    fi
fi

files=(.github/workflows/*.yml examples/workflows/*.yml action.yml)
echo "workflows-zizmor: $("$zizmor" --version) on ${files[*]}"
status=0
env -u GH_TOKEN -u GITHUB_TOKEN -u ZIZMOR_GITHUB_TOKEN "$zizmor" --offline --no-progress "${files[@]}" || status=$?
if [ "$status" -ne 0 ]; then
    echo "workflows-zizmor: FAILED: zizmor exited $status (findings above)"
    exit 1
fi
echo "workflows-zizmor: passed: no findings"
