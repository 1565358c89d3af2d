#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ with `swiftc -sanitize=fuzzer,address` and runs each for FUZZ_TIME
# seconds (default 60). Seeds come from policies/, fixtures/ and, when present, ../shared/corpus; the yaml target
# also gets the repository's own *.yml and *.yaml files.
# A crash leaves its reproducer in .build/fuzz/artifacts/; keep it as a regression test.
#   scripts/fuzz.sh [parser|yaml|audit]...      (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_TIME:-60}"
out=.build/fuzz
mkdir -p "$out/artifacts"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)

build_library() { # name, source folder, extra flags...
    local name=$1 folder=$2
    shift 2
    swiftc "${flags[@]}" "$@" -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -emit-library -static -o "$out/lib$name.a" $(find "$folder" -name '*.swift' | sort) 2>&1 | grep -v "ld.gold: warning" || true
}

seed() { # folder
    local corpus=$1
    mkdir -p "$corpus"
    find policies fixtures -name '*.json' -type f | while read -r file; do
        cp "$file" "$corpus/$(echo "$file" | tr '/' '_')"
    done
    if [ "$(basename "$corpus")" = corpus-yaml ]; then
        find . -path ./.build -prune -o \( -name '*.yml' -o -name '*.yaml' \) -type f -print | while read -r file; do
            cp "$file" "$corpus/$(echo "$file" | tr '/' '_')"
        done
    fi
    if [ -d ../shared/corpus ]; then
        find ../shared/corpus/github-oidc-trust -name '*.json' -type f -exec cp {} "$corpus/" \;
        local count=0
        for file in ../shared/corpus/aws-managed-wrapped/*; do
            [ -f "$file" ] && [ "$(wc -c < "$file")" -lt 8192 ] || continue
            cp "$file" "$corpus/wrapped_$(basename "$file")"
            count=$((count + 1))
            [ "$count" -ge 300 ] && break
        done
    else
        echo "fuzz: ../shared/corpus is absent; seeding from policies/ and fixtures/ only"
    fi
}

build_library IAMPolicy Sources/IAMPolicy
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parser yaml audit)
for target in "${targets[@]}"; do
    case "$target" in
        parser)
            swiftc "${flags[@]}" -I "$out" -L "$out" -lIAMPolicy Fuzz/ParserFuzzer.swift -o "$out/fuzz-parser" 2>&1 | grep -v "ld.gold: warning" || true ;;
        yaml)
            swiftc "${flags[@]}" -I "$out" -L "$out" -lIAMPolicy Fuzz/YAMLFuzzer.swift -o "$out/fuzz-yaml" 2>&1 | grep -v "ld.gold: warning" || true ;;
        audit)
            build_library IAMAuditRules Sources/IAMAuditRules -I "$out"
            swiftc "${flags[@]}" -I "$out" -L "$out" -lIAMAuditRules -lIAMPolicy Fuzz/AuditFuzzer.swift -o "$out/fuzz-audit" 2>&1 | grep -v "ld.gold: warning" || true ;;
        *) echo "fuzz: unknown target '$target' (parser, yaml or audit)" >&2; exit 2 ;;
    esac
    seed "$out/corpus-$target"
    echo "fuzz: $target for ${seconds}s"
    "$out/fuzz-$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        -artifact_prefix="$out/artifacts/$target-" "$out/corpus-$target" 2>&1 | grep -E "^#[0-9]+ *(DONE|pulse)|Done [0-9]+ runs|ERROR|SUMMARY|artifact" | tail -5
done
