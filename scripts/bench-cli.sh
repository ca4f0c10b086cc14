#!/usr/bin/env bash
# CLI benchmark (not a test): `kafkit` against kcat on the same kafkit-broker (3 brokers, in
# memory), alternated in one run. Each run of a tool produces LINES lines from one file
# with `-P -l` to a fresh 3-partition topic, then consumes that topic to /dev/null with
# `-C -e -q`. Prints the median wall time of each step per tool and the ratios
# kafkit/kcat (below 1: kafkit is faster).
#
#   scripts/bench-cli.sh [RUNS] [LINES] [LINE_SIZE]   (defaults: 5 runs, 1,000,000 lines, 100 bytes)
#
# Both tools get the same properties: PROPS (default "linger.ms=5") with -X. Environment:
# BIN (default build/bin) holds kafkit-broker and kafkit.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
cd "$(dirname "$0")/.."
runs="${1:-5}"
lines="${2:-1000000}"
size="${3:-100}"
bin="${BIN:-build/bin}"
read -r -a props <<<"${PROPS-linger.ms=5}"
for t in "$bin/kafkit-broker" "$bin/kafkit"; do
    [ -x "$t" ] || { echo "bench-cli: $t missing: run scripts/build.sh" >&2; exit 1; }
done
command -v kcat >/dev/null || { echo "bench-cli: kcat missing (apt-get install kcat)" >&2; exit 1; }
declare -A tool=([kafkit]="$bin/kafkit" [kcat]="$(command -v kcat)")
work="$(mktemp -d)"
server_pid=""
trap 'stop_server; rm -rf "$work"' EXIT

python3 - "$work/input" "$lines" "$size" <<'PY'
import sys
path, lines, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as f:
    for i in range(lines):
        head = f"{i}:"
        f.write(head + "x" * max(0, size - len(head)) + "\n")
PY

xargs_props=()
for p in "${props[@]}"; do xargs_props+=(-X "$p"); done

# seconds COMMAND...: runs COMMAND, prints its wall time in seconds; exits when it fails.
seconds() {
    local start end
    start=$(date +%s.%N)
    if ! "$@" >/dev/null 2>"$work/step.err"; then
        echo "bench-cli: failed: $*" >&2
        tail -n 5 "$work/step.err" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}

start_server "$work" "$bin/kafkit-broker" --listen 127.0.0.1:0 --brokers 3 --partitions 3 --control 127.0.0.1:0
: >"$work/results"
for r in $(seq "$runs"); do
    order=(kafkit kcat)
    if [ $((r % 2)) -eq 0 ]; then order=(kcat kafkit); fi
    for name in "${order[@]}"; do
        topic="cli-$name-$r"
        create_topic_at "$control" "$topic" 3
        produce=$(seconds "${tool[$name]}" -b "$bootstrap" "${xargs_props[@]}" -P -t "$topic" -l "$work/input")
        count=$("${tool[$name]}" -b "$bootstrap" -C -t "$topic" -e -q -f '\n' | wc -l)
        [ "$count" -eq "$lines" ] || { echo "bench-cli: $name wrote $count of $lines lines to $topic" >&2; exit 1; }
        consume=$(seconds "${tool[$name]}" -b "$bootstrap" "${xargs_props[@]}" -C -t "$topic" -e -q)
        echo "$name $produce $consume" >>"$work/results"
        echo "run $r/$runs $name: produce ${produce}s consume ${consume}s" >&2
    done
done

python3 - "$work/results" "$lines" "$size" <<'PY'
import statistics, sys
from collections import defaultdict
times = defaultdict(lambda: {"produce": [], "consume": []})
for line in open(sys.argv[1]):
    name, produce, consume = line.split()
    times[name]["produce"].append(float(produce))
    times[name]["consume"].append(float(consume))
lines = int(sys.argv[2])
print(f"{lines} lines of {sys.argv[3]} bytes; median seconds over {len(times['kafkit']['produce'])} runs")
print(f"{'step':>8} {'kafkit':>8} {'kcat':>8} {'ratio':>6}  (kafkit/kcat time; below 1 is faster)")
for step in ("produce", "consume"):
    k = statistics.median(times["kafkit"][step])
    c = statistics.median(times["kcat"][step])
    print(f"{step:>8} {k:>8.2f} {c:>8.2f} {k / c:>6.2f}")
PY
