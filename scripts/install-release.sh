#!/usr/bin/env bash
# Downloads a release archive of iam-audit for this machine, verifies its SHA-256 against the value recorded in
# action/checksums.txt, and installs the binary. The GitHub Action runs it; it reads only environment variables:
#
#   IAM_AUDIT_VERSION        the release, such as 0.1.0 (a leading v is dropped); empty: the newest one recorded
#   IAM_AUDIT_INSTALL_DIR    the folder the binary is installed in (created when missing)
#   IAM_AUDIT_CHECKSUMS      the table of recorded checksums (default: action/checksums.txt beside this script)
#   IAM_AUDIT_DOWNLOAD_BASE  where releases are downloaded from: the archive is BASE/vVERSION/ASSET
#                            (default: https://github.com/REPOSITORY/releases/download)
#   IAM_AUDIT_REPOSITORY     OWNER/NAME of the repository that publishes the releases (default: read from
#                            GITHUB_ACTION_PATH, which the runner lays out as …/_actions/OWNER/NAME/REF)
#
# On any failure it exits non-zero with one line saying why, and installs nothing. On success it prints the path
# of the installed binary on standard output.
set -euo pipefail

fail() {
    echo "install-release: $*" >&2
    exit 1
}

root="$(cd "$(dirname "$0")/.." && pwd)"
checksums="${IAM_AUDIT_CHECKSUMS:-$root/action/checksums.txt}"
install_dir="${IAM_AUDIT_INSTALL_DIR:-}"
version="${IAM_AUDIT_VERSION:-}"
version="${version#v}"
opt_in="set 'build-from-source: true' to build iam-audit from the action's source instead"

[ -n "$install_dir" ] || fail "IAM_AUDIT_INSTALL_DIR is not set"
[ -r "$checksums" ] || fail "cannot read the checksum table $checksums"

case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) fail "no release archive for $(uname -s); $opt_in" ;;
esac
arch="$(uname -m)"

# The table: lines "VERSION ASSET SHA256"; '#' starts a comment.
recorded() {
    awk '!/^[[:space:]]*(#|$)/ { print $1, $2, $3 }' "$checksums"
}

if [ -z "$version" ]; then
    version="$(recorded | awk '{ print $1 }' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)"
    [ -n "$version" ] || fail "no release is recorded in $checksums yet; $opt_in"
fi
case "$version" in
    *[!0-9A-Za-z.+-]*) fail "'$version' is not a version number" ;;
esac

asset="iam-audit-$version-$os-$arch.tar.gz"
expected="$(recorded | awk -v v="$version" -v a="$asset" '$1 == v && $2 == a { print $3 }')"
if [ -z "$expected" ]; then
    if recorded | awk -v v="$version" '$1 == v { found = 1 } END { exit !found }'; then
        fail "release $version has no recorded archive for $os $arch ($asset); $opt_in"
    fi
    fail "release $version has no recorded checksum in $checksums (unknown version, or recorded in a newer" \
        "commit of the action); $opt_in, or choose a version the table lists"
fi
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || fail "the checksum recorded for $asset is not 64 hexadecimal digits"

base="${IAM_AUDIT_DOWNLOAD_BASE:-}"
if [ -z "$base" ]; then
    repository="${IAM_AUDIT_REPOSITORY:-}"
    if [ -z "$repository" ] && [[ "${GITHUB_ACTION_PATH:-}" =~ /_actions/([^/]+)/([^/]+)/[^/]+/?$ ]]; then
        repository="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
    fi
    [ -n "$repository" ] || fail "cannot tell which repository publishes the releases; set IAM_AUDIT_REPOSITORY or IAM_AUDIT_DOWNLOAD_BASE"
    base="https://github.com/$repository/releases/download"
fi
url="${base%/}/v$version/$asset"

command -v curl > /dev/null || fail "curl is needed to download $url"
if command -v sha256sum > /dev/null; then
    sha256() { sha256sum "$1" | awk '{ print $1 }'; }
elif command -v shasum > /dev/null; then
    sha256() { shasum -a 256 "$1" | awk '{ print $1 }'; }
else
    fail "neither sha256sum nor shasum is available to verify the download"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "install-release: downloading $url" >&2
if ! status="$(curl --silent --show-error --location --retry 3 --output "$work/$asset" --write-out '%{http_code}' "$url")"; then
    fail "download of $url failed"
fi
[ "$status" = 200 ] || fail "download of $url failed: HTTP $status"

actual="$(sha256 "$work/$asset")"
[ "$actual" = "$expected" ] || fail "checksum mismatch for $asset: recorded $expected, downloaded $actual; nothing installed"

mkdir "$work/unpacked"
tar -xzf "$work/$asset" -C "$work/unpacked" || fail "$asset is not a gzip-compressed tar archive"
binary="$work/unpacked/iam-audit-$version-$os-$arch/iam-audit"
[ -f "$binary" ] || fail "$asset does not hold iam-audit-$version-$os-$arch/iam-audit"
reported="$("$binary" --version 2>&1)" || fail "the downloaded iam-audit does not run: $reported"
[ "$reported" = "iam-audit $version" ] || fail "the downloaded iam-audit reports '$reported', not version $version"

mkdir -p "$install_dir"
cp "$binary" "$install_dir/.iam-audit.partial"
chmod 0755 "$install_dir/.iam-audit.partial"
mv -f "$install_dir/.iam-audit.partial" "$install_dir/iam-audit"
echo "install-release: installed iam-audit $version ($asset, sha256 $actual)" >&2
echo "$install_dir/iam-audit"
