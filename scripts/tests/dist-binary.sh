#!/usr/bin/env bash
# The archive `make dist` wrote runs where no Swift toolchain is: its SHA-256 file matches it; on Linux, ldd
# shows no Swift runtime, Foundation, libdispatch or BlocksRuntime library and nothing resolved in the
# toolchain; and the binary audits policies/ exactly as the debug build does, with PATH=/usr/bin:/bin and an
# empty environment, and, where this shell is root and `unshare -m` works, with the toolchain's folder hidden
# under an empty tmpfs (a dynamically linked debug build must then fail to start, which proves the hiding).
# Run `make dist` first.
set -euo pipefail
cd "$(dirname "$0")/../.."

swift="${SWIFT:-swift}"
failures=0
check() { echo "dist-binary: $*"; }
fail() { echo "dist-binary: FAILED: $*"; failures=$((failures + 1)); }

case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) echo "dist-binary: SKIPPED: no release archive for $(uname -s)"; exit 0 ;;
esac

# The debug build is the reference: its version names the archive, its report is the expected one.
"$swift" build --product iam-audit > /dev/null
debug="$("$swift" build --show-bin-path)/iam-audit"
read -r _ version < <("$debug" --version)
name="iam-audit-$version-$os-$(uname -m)"
archive="dist/$name.tar.gz"
if [ ! -f "$archive" ]; then
    echo "dist-binary: FAILED: $archive is missing; run make dist"
    exit 1
fi

check "$archive matches $archive.sha256"
if command -v sha256sum > /dev/null; then
    (cd dist && sha256sum --check --strict "$name.tar.gz.sha256") || fail "$archive does not match its .sha256"
else
    (cd dist && shasum -a 256 -c "$name.tar.gz.sha256") || fail "$archive does not match its .sha256"
fi

unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
tar -xzf "$archive" -C "$unpacked"
binary="$unpacked/$name/iam-audit"
[ -x "$binary" ] || { echo "dist-binary: FAILED: $archive holds no executable $name/iam-audit"; exit 1; }
check "binary: $(wc -c < "$binary" | tr -d ' ') bytes"

# The toolchain: the folder above the bin/ of the real swift executable (TOOLCHAIN/usr for
# TOOLCHAIN/usr/bin/swift-driver); its runtime libraries are in lib/swift/ under it.
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v "$swift")")")")"
case "$toolchain" in
    / | /usr | /usr/local) hide="$toolchain/lib/swift" ;;  # shared with the system: hide the runtime only
    *) hide="$toolchain" ;;
esac
check "toolchain in $toolchain; hiding $hide"

if [ "$os" = linux ]; then
    if command -v readelf > /dev/null; then
        if readelf --section-headers "$binary" | grep -q '\.symtab'; then
            fail "the binary is not stripped (it has a .symtab section)"
        else
            check "stripped: no .symtab section"
        fi
    fi
    libraries="$(ldd "$binary" 2>&1)" || true
    check "ldd $name/iam-audit:"
    echo "$libraries" | sed 's/^/    /'
    if grep -Eq 'libswift|libFoundation|lib_FoundationICU|libdispatch|libBlocksRuntime|not found' <<< "$libraries"; then
        fail "the binary needs a library of the Swift toolchain, or one that is not found"
    fi
    if grep -Fq "=> $hide/" <<< "$libraries"; then
        fail "the binary resolves a library under $hide"
    fi
fi

check "reference: $debug policies/"
expected_status=0
expected="$("$debug" policies/)" || expected_status=$?
check "  exit $expected_status: $expected"
[ "$expected_status" -eq 0 ] || fail "the debug build exits $expected_status on policies/"
grep -q '^no findings in ' <<< "$expected" || fail "the debug build does not report 'no findings in …' on policies/"

# Where the toolchain can be hidden, run inside a private mount namespace with a tmpfs over it.
isolated=no
reason=""
if [ "$os" != linux ]; then
    reason="hiding the toolchain needs Linux mount namespaces"
elif [ "$(id -u)" -ne 0 ]; then
    reason="not root, so no tmpfs can be mounted over $hide"
elif ! command -v unshare > /dev/null; then
    reason="unshare is not installed"
elif ! error="$(unshare -m sh -c "mount -t tmpfs tmpfs '$hide'" 2>&1)"; then
    reason="unshare -m with a tmpfs over $hide failed: $error"
else
    isolated=yes
fi

run_hidden() {
    if [ "$isolated" = yes ]; then
        unshare -m sh -c 'mount -t tmpfs tmpfs "$1" && shift && exec env -i PATH=/usr/bin:/bin "$@"' sh "$hide" "$@"
    else
        env -i PATH=/usr/bin:/bin "$@"
    fi
}

if [ "$isolated" = yes ]; then
    check "isolated: empty environment, PATH=/usr/bin:/bin, an empty tmpfs over $hide"
    if run_hidden sh -c 'command -v swift' > /dev/null; then
        check "  (swift is still on PATH at $(run_hidden sh -c 'command -v swift'): the toolchain shares /usr with the system)"
    fi
    control=0
    run_hidden "$debug" --version > /dev/null 2>&1 || control=$?
    if [ "$control" -eq 0 ]; then
        fail "the debug build still starts with $hide hidden, so hiding proves nothing"
    else
        check "  control: the dynamically linked debug build cannot start there (exit $control)"
    fi
else
    echo "dist-binary: NOT ISOLATED: $reason; running with an empty environment and PATH=/usr/bin:/bin only"
fi

actual_status=0
actual="$(run_hidden "$binary" policies/)" || actual_status=$?
check "release binary: exit $actual_status: $actual"
[ "$actual_status" -eq "$expected_status" ] || fail "the release binary exits $actual_status, the debug build $expected_status"
[ "$actual" = "$expected" ] || fail "the release binary's report differs from the debug build's"
reported="$(run_hidden "$binary" --version)" || true
[ "$reported" = "iam-audit $version" ] || fail "the release binary reports '$reported', not 'iam-audit $version'"

if [ "$failures" -ne 0 ]; then
    echo "dist-binary: FAILED: $failures check(s)"
    exit 1
fi
echo "dist-binary: passed"
