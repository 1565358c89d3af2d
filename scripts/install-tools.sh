#!/usr/bin/env bash
# Installs the tools the script tests use but the package does not (`make tools`): zizmor ZIZMOR_VERSION from
# PyPI into a virtualenv at TOOLS/venv. Best effort: when python3, its venv module or PyPI is missing it says so
# and exits 0, and the zizmor test then skips with its own message.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

version="${ZIZMOR_VERSION:?ZIZMOR_VERSION is the zizmor release to install}"
tools="${TOOLS:-.build/tools}"
venv="$tools/venv"

if [ -x "$venv/bin/zizmor" ] && [ "$("$venv/bin/zizmor" --version 2>/dev/null)" = "zizmor $version" ]; then
    echo "install-tools: zizmor $version is installed in $venv"
    exit 0
fi
if ! command -v python3 > /dev/null; then
    echo "install-tools: python3 is not installed; zizmor not installed, its test will skip"
    exit 0
fi
rm -rf "$venv"
mkdir -p "$tools"
if ! output="$(python3 -m venv "$venv" 2>&1)"; then
    echo "install-tools: python3 -m venv failed (on Debian and Ubuntu it needs python3-venv); zizmor not installed, its test will skip:"
    echo "$output" | tail -n 3
    rm -rf "$venv"
    exit 0
fi
if ! output="$("$venv/bin/python" -m pip install --quiet --disable-pip-version-check "zizmor==$version" 2>&1)"; then
    echo "install-tools: pip could not install zizmor==$version; its test will skip:"
    echo "$output" | tail -n 3
    rm -rf "$venv"
    exit 0
fi
echo "install-tools: installed $("$venv/bin/zizmor" --version) in $venv"
