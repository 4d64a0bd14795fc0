#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds: every Orus program of the conformance suite and
# of the algorithm fixtures (for lexer, parser, typeck and vm), and generator inputs from
# the replay test's seeds (for opt_diff, and for vm behind its generator-mode byte 0xFF).
# Existing corpus files are kept. Run from anywhere; see fuzz/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/fuzz/corpus"
generated="${GENERATED_SEEDS:-200}"

for target in lexer parser typeck vm opt_diff; do
    mkdir -p "$corpus/$target"
done

count=0
while IFS= read -r -d '' file; do
    # conformance/cases/closures/x.orus -> conformance_cases_closures_x.orus
    name="${file#"$root"/}"
    name="${name//\//_}"
    for target in lexer parser typeck vm; do
        cp "$file" "$corpus/$target/$name"
    done
    count=$((count + 1))
done < <(find "$root/conformance/cases" "$root/algorithms/fixtures" -name '*.orus' -type f -print0 | sort -z)

cargo run --quiet --manifest-path "$root/Cargo.toml" -p orus-fuzz --example gen -- \
    --write-seeds "$corpus/opt_diff" "$generated"
cargo run --quiet --manifest-path "$root/Cargo.toml" -p orus-fuzz --example gen -- \
    --write-seeds "$corpus/vm" "$generated" 255

echo "seeded $count source files per source target and $generated generator inputs"
