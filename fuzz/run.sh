#!/usr/bin/env bash
# Runs every fuzz target for a while on the stable toolchain and summarises the executions.
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET]     (default 20; run from anywhere in the repository)
#
# New inputs go to a throw-away directory, so fuzz/corpus/ only changes when someone copies or
# merges into it on purpose (see fuzz/README.md). Crash inputs land in fuzz/artifacts/<target>/.
# Exits non-zero if any target crashed (panic, assertion, sanitizer report, timeout, OOM).
#
# Environment: FUZZ_SANITIZER (default "address"; "none" skips ASan), FUZZ_TARGETS (a
# space-separated subset of the targets), FUZZ_TIMEOUT (seconds before one input counts as a
# hang, default 60), FUZZ_RSS_MB / FUZZ_MALLOC_MB (memory limits, default 1024 / 512: the
# readers cap what they inflate at 200 MB or below, so anything near 512 MB in one allocation
# is an amplification the caps missed), FUZZ_SEED (libFuzzer's seed, default 1: the same inputs
# are tried in the same order on every run of the same code, so CI does not find a different
# crash each time it runs; 0 asks libFuzzer for a random one).
set -euo pipefail

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: $0 [SECONDS_PER_TARGET]" >&2
    exit 2
fi
sanitizer="${FUZZ_SANITIZER:-address}"
timeout="${FUZZ_TIMEOUT:-60}"
rss_mb="${FUZZ_RSS_MB:-1024}"
malloc_mb="${FUZZ_MALLOC_MB:-512}"
seed="${FUZZ_SEED:-1}"
read -r -a targets <<<"${FUZZ_TARGETS:-osm_pbf open_operation household_input need_input region_extract closure_geojson region_pack_open basemap_file import_table vrp_instance change_bundle}"

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# cargo-fuzz needs nightly-only rustc flags; RUSTC_BOOTSTRAP lets the stable toolchain take them.
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

scratch_root="$(mktemp -d "${TMPDIR:-/tmp}/aidmap-fuzz-run.XXXXXX")"
trap 'rm -rf "$scratch_root"' EXIT

echo "== building the fuzz targets (sanitizer: $sanitizer)"
build_start=$SECONDS
cargo fuzz build --sanitizer "$sanitizer"
echo "== built in $((SECONDS - build_start)) s"

summary=()
failed=0
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    scratch="$(mktemp -d "$scratch_root/$target.XXXXXX")"
    log="$scratch_root/$target.log"
    echo "== $target: ${seconds} s"
    dict=()
    if [ -f "fuzz/dict/$target.dict" ]; then
        dict=(-dict="fuzz/dict/$target.dict")
    fi
    status=0
    cargo fuzz run --sanitizer "$sanitizer" "$target" "$scratch" "$corpus" -- \
        -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$malloc_mb" \
        -timeout="$timeout" -seed="$seed" -print_final_stats=1 ${dict[@]+"${dict[@]}"} 2>&1 | tee "$log" || status=$?
    execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)"
    if [ -z "$execs" ]; then
        # No final stats (killed, or an old libFuzzer): the last "#N" status line.
        execs="$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)"
    fi
    if [ "$status" -eq 0 ]; then
        summary+=("$(printf '%-16s ok       %12s executions in %s s' "$target" "${execs:-?}" "$seconds")")
    else
        failed=1
        artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)"
        summary+=("$(printf '%-16s CRASHED  %12s executions; input: %s' "$target" "${execs:-?}" "${artifact:-see the log above}")")
    fi
    rm -rf "$scratch"
done

echo
echo "== fuzz summary (${seconds} s per target, sanitizer: $sanitizer)"
printf '%s\n' "${summary[@]}"
exit "$failed"
