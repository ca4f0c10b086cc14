#!/usr/bin/env bash
# Broker benchmark (not a test): librdkafka's producer and consumer (kafkit-rdkafka-bench)
# against kafkit-broker in memory, kafkit-broker with --data-dir, and librdkafka's mock
# cluster run as a separate process (kafkit-mock-cluster), alternated ROUNDS times in one
# run; prints the median of each and the ratios against the mock cluster, plus the time
# from launch to the ready line.
#
#   scripts/bench-broker.sh [ROUNDS] [RECORDS]      (defaults: 5 rounds, 100,000 records)
#
# RECORDS stays small because librdkafka's mock cluster keeps only about 5 MB per
# partition (older data is dropped): with more, its consumer run could never finish.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
records="${2:-100000}"
bin=build/bin
for b in kafkit-broker kafkit-mock-cluster kafkit-rdkafka-bench; do
    [ -x "$bin/$b" ] || { echo "bench-broker: $bin/$b missing: run scripts/build.sh" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# start NAME CMD...: starts a server, waits for its ready line, sets $bootstrap, $pid and
# $ready_ms (launch to ready line).
start() {
    local name="$1"; shift
    local fifo="$work/$name.out"
    rm -f "$fifo"; mkfifo "$fifo"
    local t0; t0=$(date +%s%N)
    "$@" >"$fifo" 2>"$work/$name.err" &
    pid=$!
    local line
    read -r -t 30 line <"$fifo" || { echo "bench-broker: $name did not start" >&2; cat "$work/$name.err" >&2; exit 1; }
    ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    bootstrap="${line#*bootstrap=}"; bootstrap="${bootstrap%% *}"
}

run() { # run NAME CMD...: one measurement, appended to $work/NAME.jsonl
    local name="$1"; shift
    start "$name" "$@"
    "$bin/kafkit-rdkafka-bench" -b "$bootstrap" -n "$records" -t "bench-$RANDOM" |
        sed "s/}\$/,\"ready_ms\":$ready_ms}/" >>"$work/$name.jsonl"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

for r in $(seq "$rounds"); do
    echo "round $r/$rounds" >&2
    run memory "$bin/kafkit-broker" --listen 127.0.0.1:0 --brokers 3 --partitions 3
    rm -rf "$work/data"
    run disk "$bin/kafkit-broker" --listen 127.0.0.1:0 --brokers 3 --partitions 3 --data-dir "$work/data"
    run mock "$bin/kafkit-mock-cluster" --brokers 3
done

python3 - "$work" <<'PY'
import json, statistics, sys, os
work = sys.argv[1]
rows = {n: [json.loads(l) for l in open(os.path.join(work, n + ".jsonl"))] for n in ("memory", "disk", "mock")}
med = {n: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for n, rs in rows.items()}
print(f"{'':18}{'produce msg/s':>15}{'consume msg/s':>15}{'ready ms':>10}")
for n in ("memory", "disk", "mock"):
    m = med[n]
    print(f"{n:18}{m['produce_msgs_per_s']:>15,.0f}{m['consume_msgs_per_s']:>15,.0f}{m['ready_ms']:>10.0f}")
for n in ("memory", "disk"):
    print(f"ratio {n}/mock: produce {med[n]['produce_msgs_per_s'] / med['mock']['produce_msgs_per_s']:.2f}, "
          f"consume {med[n]['consume_msgs_per_s'] / med['mock']['consume_msgs_per_s']:.2f}")
PY
