#!/usr/bin/env bash
# Builds the release archive of iam-audit for this machine (`make dist`):
#   dist/iam-audit-VERSION-OS-ARCH.tar.gz and dist/iam-audit-VERSION-OS-ARCH.tar.gz.sha256
# VERSION is what `iam-audit --version` prints, OS is linux or macos, ARCH is `uname -m` (x86_64, aarch64, arm64).
# On Linux the Swift runtime and Foundation are linked statically (--static-swift-stdlib), so the binary needs
# only the system's libc, libm, libstdc++ and libgcc_s; on macOS they are part of the system. The binary is stripped. The archive holds one folder,
# iam-audit-VERSION-OS-ARCH/, with the binary and README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

swift="${SWIFT:-swift}"
case "$(uname -s)" in
    Linux) os=linux; link=(--static-swift-stdlib) ;;  # as the Makefile's release builds
    Darwin) os=macos; link=() ;;
    *) echo "dist: no release archive for $(uname -s)" >&2; exit 2 ;;
esac
arch="$(uname -m)"

# ${link[@]+…}: an empty array is "unbound" under set -u in the bash 3.2 macOS ships.
"$swift" build -c release --product iam-audit ${link[@]+"${link[@]}"}
binary="$("$swift" build -c release --show-bin-path)/iam-audit"
read -r _ version < <("$binary" --version)
if [ -z "$version" ]; then
    echo "dist: $binary --version printed no version" >&2
    exit 1
fi

name="iam-audit-$version-$os-$arch"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary" "$stage/$name/iam-audit"
strip "$stage/$name/iam-audit"
cp README.md "$stage/$name/README.md"

mkdir -p dist
archive="dist/$name.tar.gz"
# Fixed owner and order where the tar is GNU tar, and no time stamp in the gzip header.
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -9n > "$archive.tmp"
else
    tar -C "$stage" -cf - "$name" | gzip -9n > "$archive.tmp"
fi
mv "$archive.tmp" "$archive"

if command -v sha256sum > /dev/null; then
    (cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
else
    (cd dist && shasum -a 256 "$name.tar.gz" > "$name.tar.gz.sha256")
fi

size="$(wc -c < "$stage/$name/iam-audit" | tr -d ' ')"
echo "dist: $archive ($(wc -c < "$archive" | tr -d ' ') bytes; stripped binary $size bytes)"
echo "dist: $(cat "dist/$name.tar.gz.sha256")"
