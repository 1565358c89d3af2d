#!/usr/bin/env bash
# The action's download path end to end: scripts/install-release.sh against a local HTTP server on 127.0.0.1
# (python3 -m http.server on a free port) that serves releases as GitHub does (BASE/vVERSION/ASSET), with a
# checksum table of the test's own. Cases: a good archive installs and runs; a corrupted archive, a wrong
# recorded checksum, a missing asset (404), an unknown version and an empty table each fail with a clear message
# and install nothing. The archive is the one `make dist` wrote when it is there, else a stand-in script.
# Also checks that the repository's action/checksums.txt is well formed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
installer="$root/scripts/install-release.sh"

failures=0
check() { echo "install-release: $*"; }
fail() { echo "install-release: FAILED: $*"; failures=$((failures + 1)); }

command -v python3 > /dev/null || { echo "install-release: FAILED: python3 is needed for the local HTTP server"; exit 1; }
command -v curl > /dev/null || { echo "install-release: FAILED: curl is needed by scripts/install-release.sh"; exit 1; }
case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) echo "install-release: SKIPPED: no release archive for $(uname -s)"; exit 0 ;;
esac
arch="$(uname -m)"

sha256() {
    if command -v sha256sum > /dev/null; then sha256sum "$1" | awk '{ print $1 }'; else shasum -a 256 "$1" | awk '{ print $1 }'; fi
}

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The archive under test.
real="$(ls -t dist/iam-audit-*-"$os-$arch".tar.gz 2> /dev/null | head -n 1 || true)"  # the newest
if [ -n "$real" ]; then
    asset="$(basename "$real")"
    version="${asset#iam-audit-}"
    version="${version%-"$os-$arch".tar.gz}"
    cp "$real" "$work/good.tar.gz"
    check "archive under test: $real (from make dist)"
else
    version=0.1.0
    asset="iam-audit-$version-$os-$arch.tar.gz"
    mkdir -p "$work/stand-in/iam-audit-$version-$os-$arch"
    printf '#!/bin/sh\necho "iam-audit %s"\n' "$version" > "$work/stand-in/iam-audit-$version-$os-$arch/iam-audit"
    chmod 0755 "$work/stand-in/iam-audit-$version-$os-$arch/iam-audit"
    tar -C "$work/stand-in" -czf "$work/good.tar.gz" "iam-audit-$version-$os-$arch"
    check "archive under test: a stand-in script (no dist/ archive; run make dist to test the real one)"
fi
good_sum="$(sha256 "$work/good.tar.gz")"

# The server, on a port the system picks; it prints the port it got.
mkdir -p "$work/site/v$version"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/site" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do
    port="$(sed -n 's/.*port \([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -n 1)"
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "install-release: FAILED: the HTTP server did not start:"; cat "$work/server.log"; exit 1; }
base="http://127.0.0.1:$port"
check "server: $base serving $work/site"

# run NAME VERSION TABLE_LINES…: runs the installer into a fresh folder; sets status, output, dir.
run() {
    local case_name="$1" wanted="$2"
    shift 2
    dir="$work/install-$case_name"
    printf '%s\n' "# test table" "$@" > "$work/table-$case_name.txt"
    status=0
    output="$(env IAM_AUDIT_VERSION="$wanted" IAM_AUDIT_INSTALL_DIR="$dir" \
        IAM_AUDIT_CHECKSUMS="$work/table-$case_name.txt" IAM_AUDIT_DOWNLOAD_BASE="$base" \
        "$installer" 2>&1)" || status=$?
    echo "$output" | sed 's/^/    /'
}

# expect_failure CASE PATTERN: a non-zero exit, a message matching PATTERN, and nothing installed.
expect_failure() {
    local case_name="$1" pattern="$2"
    if [ "$status" -eq 0 ]; then
        fail "$case_name: the installer exited 0"
    elif ! grep -Eq "$pattern" <<< "$output"; then
        fail "$case_name: exit $status, but no message matching /$pattern/"
    else
        check "$case_name: exit $status with a clear message"
    fi
    if [ -e "$dir/iam-audit" ] || [ -e "$dir/.iam-audit.partial" ]; then
        fail "$case_name: something was installed in $dir"
    fi
}

good_line="$version $asset $good_sum"

check "case good archive"
cp "$work/good.tar.gz" "$work/site/v$version/$asset"
run good "v$version" "$good_line"
if [ "$status" -ne 0 ]; then
    fail "good archive: the installer exited $status"
elif [ "$(tail -n 1 <<< "$output")" != "$dir/iam-audit" ] || [ ! -x "$dir/iam-audit" ]; then
    fail "good archive: $dir/iam-audit is not installed, or its path is not the last line printed"
elif [ "$("$dir/iam-audit" --version)" != "iam-audit $version" ]; then
    fail "good archive: the installed binary does not report iam-audit $version"
else
    check "good archive: installed $dir/iam-audit, which reports iam-audit $version"
    if [ -n "$real" ]; then
        audit_status=0
        "$dir/iam-audit" policies/ || audit_status=$?
        [ "$audit_status" -eq 0 ] || fail "good archive: the installed binary exits $audit_status on policies/"
    fi
fi

check "case newest recorded version (no version asked)"
run newest "" "0.0.1 iam-audit-0.0.1-$os-$arch.tar.gz $(printf '0%.0s' $(seq 64))" "$good_line"
if [ "$status" -ne 0 ] || [ ! -x "$dir/iam-audit" ]; then
    fail "newest recorded version: exit $status, expected $version to be installed"
else
    check "newest recorded version: installed $version"
fi

check "case corrupted archive"
cp "$work/good.tar.gz" "$work/site/v$version/$asset"
printf 'x' >> "$work/site/v$version/$asset"
run corrupted "$version" "$good_line"
expect_failure "corrupted archive" "checksum mismatch for $asset"

check "case wrong recorded checksum"
cp "$work/good.tar.gz" "$work/site/v$version/$asset"
wrong="$(printf '%s' "$good_sum" | tr '0-9a-f' '1-9a-f0')"
run wrong-checksum "$version" "$version $asset $wrong"
expect_failure "wrong recorded checksum" "checksum mismatch for $asset: recorded $wrong"

check "case missing asset"
rm -f "$work/site/v$version/$asset"
run missing "$version" "$good_line"
expect_failure "missing asset" "HTTP 404"

check "case unknown version"
cp "$work/good.tar.gz" "$work/site/v$version/$asset"
run unknown 9.9.9 "$good_line"
expect_failure "unknown version" "release 9.9.9 has no recorded checksum.*build-from-source: true"

check "case empty table"
run empty ""
expect_failure "empty table" "no release is recorded.*build-from-source: true"

check "case release repository read from the action's path (GITHUB_ACTION_PATH …/_actions/acme/iam-audit/v1)"
status=0
output="$(env -u IAM_AUDIT_DOWNLOAD_BASE -u IAM_AUDIT_REPOSITORY -u no_proxy -u NO_PROXY GITHUB_ACTION_PATH=/runner/_actions/acme/iam-audit/v1 \
    https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 IAM_AUDIT_VERSION="$version" \
    IAM_AUDIT_INSTALL_DIR="$work/install-derived" IAM_AUDIT_CHECKSUMS="$work/table-good.txt" "$installer" 2>&1)" || status=$?
dir="$work/install-derived"
echo "$output" | sed 's/^/    /'
expect_failure "derived repository (no network: a proxy that refuses)" \
    "download of https://github.com/acme/iam-audit/releases/download/v$version/$asset failed"

check "case the repository's action/checksums.txt"
malformed="$(awk '!/^[[:space:]]*(#|$)/ && !($1 ~ /^[0-9]+\.[0-9]+\.[0-9]+$/ && $2 ~ /^iam-audit-.*\.tar\.gz$/ && $3 ~ /^[0-9a-f]{64}$/ && NF == 3)' action/checksums.txt)"
if [ -n "$malformed" ]; then
    fail "action/checksums.txt has lines that are not 'VERSION ASSET SHA256': $malformed"
else
    check "action/checksums.txt: $(awk '!/^[[:space:]]*(#|$)/' action/checksums.txt | wc -l | tr -d ' ') recorded archive(s), all well formed"
fi

if [ "$failures" -ne 0 ]; then
    echo "install-release: FAILED: $failures check(s)"
    exit 1
fi
echo "install-release: passed"
