#!/usr/bin/env bash
# Installs a Python tool the package does not use but its checks do, from PyPI into a virtualenv of its own:
#   scripts/install-tools.sh PACKAGE VERSION VENV WITHOUT
# `make tools` installs zizmor (the workflow test runs it), `make bench` parliament (the bench measures iam-audit
# beside it). Best effort: when python3, its venv module or PyPI is missing it says so, and WITHOUT (what happens
# then), and exits 0.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

package="${1:?PACKAGE is the PyPI package to install}"
version="${2:?VERSION is the release to install}"
venv="${3:?VENV is the virtualenv folder}"
without="${4:-}"

installed="$("$venv/bin/python" -m pip show "$package" 2>/dev/null | sed -n 's/^Version: //p')"
if [ "$installed" = "$version" ]; then
    echo "install-tools: $package $version is installed in $venv"
    exit 0
fi
if ! command -v python3 > /dev/null; then
    echo "install-tools: python3 is not installed; $package not installed${without:+, $without}"
    exit 0
fi
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
if ! output="$(python3 -m venv "$venv" 2>&1)"; then
    echo "install-tools: python3 -m venv failed (on Debian and Ubuntu it needs python3-venv); $package not installed${without:+, $without}:"
    echo "$output" | tail -n 3
    rm -rf "$venv"
    exit 0
fi
if ! output="$("$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package==$version" 2>&1)"; then
    echo "install-tools: pip could not install $package==$version${without:+; $without}:"
    echo "$output" | tail -n 3
    rm -rf "$venv"
    exit 0
fi
echo "install-tools: installed $package $version in $venv"
