#!/usr/bin/env bash
# Consumer benchmark (not a test): kafkit-perf consume (the kafkit consumer) and
# kafkit-rdkafka-perf consume (Debian's librdkafka) with identical properties, alternated in
# one run over the same topics of one kafkit-broker (3 brokers, in memory). For 100-byte and
# 1000-byte records, compression none and lz4, prints the medians over RUNS and the ratios
# kafkit/librdkafka of records/s, MB/s, CPU per record and peak RSS.
#
#   scripts/bench-consumer.sh [RUNS] [RECORDS] [RECORD_SIZE]
#       (defaults: 3 runs, 300,000 records, sizes 100 and 1000)
#
# One 3-partition topic per size and compression is filled once with RECORDS records by
# kafkit-perf produce (bench-producer.sh's producer properties); every consume run reads
# all of it from the beginning: every partition assigned at offset 0, or, with GROUP=1, as
# the only member of a fresh group. The measured span runs from the first poll to the
# RECORDS-th record, so it includes the offset lookups (and with GROUP=1 the join).
# Environment: BIN (default build/bin) holds kafkit-broker, PERF_BIN (default $BIN) the two
# perf tools; CLIENTS (default "kafkit rdkafka") picks the clients to run; CONSUMER_PROPS
# (default "check.crcs=true": kafkit's and Java's default, librdkafka's is false) are the
# consumer properties given to both; RDKAFKA_PROPS (default "queued.min.messages=1000000")
# are given to librdkafka only: with its default of 100,000, librdkafka 2.0 stalls for
# 0.5-1 s when a partition's queue is full, which would flatter kafkit.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
cd "$(dirname "$0")/.."
runs="${1:-3}"
records="${2:-300000}"
read -r -a sizes <<<"${3:-100 1000}"
compressions=(none lz4)
bin="${BIN:-build/bin}"
perf_bin="${PERF_BIN:-$bin}"
read -r -a clients <<<"${CLIENTS:-kafkit rdkafka}"
read -r -a consumer_props <<<"${CONSUMER_PROPS-check.crcs=true}"
read -r -a rdkafka_props <<<"${RDKAFKA_PROPS-queued.min.messages=1000000}"
use_groups="${GROUP:-0}"
declare -A tool=([kafkit]="$perf_bin/kafkit-perf" [rdkafka]="$perf_bin/kafkit-rdkafka-perf")
[ -x "$bin/kafkit-broker" ] || { echo "bench-consumer: $bin/kafkit-broker missing: run scripts/build.sh" >&2; exit 1; }
for c in kafkit "${clients[@]}"; do # kafkit-perf also fills the topics
    [ -x "${tool[$c]:-}" ] || { echo "bench-consumer: ${tool[$c]:-client $c} missing" >&2; exit 1; }
done
work="$(mktemp -d)"
server_pid=""
trap 'stop_server; rm -rf "$work"' EXIT

# create_topic NAME PARTITIONS: through the broker's JSON-lines control socket.
create_topic() { create_topic_at "$control" "$1" "$2"; }

# fill TOPIC SIZE COMPRESSION: RECORDS records of SIZE bytes, all acknowledged, or exit.
fill() {
    local topic="$1" size="$2" compression="$3"
    create_topic "$topic" 3
    local props=(bootstrap.servers="$bootstrap" acks=1 compression.type="$compression"
                 linger.ms=5 batch.size=1000000 batch.num.messages=10000
                 queue.buffering.max.messages=100000 queue.buffering.max.kbytes=32768
                 max.in.flight.requests.per.connection=5 enable.idempotence=false
                 partitioner=murmur2_random)
    local out
    out="$(timeout 600 "${tool[kafkit]}" produce --topic "$topic" --num-records "$records" --record-size "$size" \
        --throughput -1 --json --producer-props "${props[@]}" 2>"$work/fill.err")" || true
    python3 - "$out" "$records" "$topic" <<'PY' || { tail -n 5 "$work/fill.err" >&2; exit 1; }
import json, sys
try:
    run = json.loads(sys.argv[1])
except ValueError:
    sys.exit(f"bench-consumer: filling {sys.argv[3]} failed")
if run["records"] != int(sys.argv[2]) or run["failed"]:
    sys.exit(f"bench-consumer: filling {sys.argv[3]}: {run['records']} records delivered, {run['failed']} failed")
PY
}

# measure CLIENT SIZE COMPRESSION RUN: one consume of the whole topic, appended to results.jsonl.
measure() {
    local client="$1" size="$2" compression="$3" run="$4"
    local args=(consume --bootstrap-server "$bootstrap" --topic "fill-$size-$compression" --messages "$records"
                --timeout 10000 --json)
    if [ "$use_groups" = 1 ]; then args+=(--group "bench-$client-$size-$compression-$run"); fi
    local props=("${consumer_props[@]}")
    if [ "$client" = rdkafka ]; then props+=("${rdkafka_props[@]}"); fi
    if [ ${#props[@]} -gt 0 ]; then args+=(--consumer-props "${props[@]}"); fi
    local out rc=0
    out="$(timeout 600 "${tool[$client]}" "${args[@]}" 2>"$work/client.err")" || rc=$?
    if [ -z "$out" ]; then
        echo "bench-consumer: $client failed ($size $compression, exit $rc):" >&2
        tail -n 5 "$work/client.err" >&2
        out='{"records":0,"records_per_s":0,"mb_per_s":0,"cpu_s":0,"cpu_us_per_record":0,"peak_rss_kb":0,"errors":-1}'
    elif [ "$rc" -ne 0 ]; then
        echo "bench-consumer: $client ($size $compression) exited $rc:" >&2
        tail -n 3 "$work/client.err" >&2
    fi
    printf '{"client":"%s","size":%s,"compression":"%s","exit":%s,"run":%s}\n' \
        "$client" "$size" "$compression" "$rc" "$out" >>"$work/results.jsonl"
}

start_server "$work" "$bin/kafkit-broker" --listen 127.0.0.1:0 --brokers 3 --partitions 3 --control 127.0.0.1:0
for size in "${sizes[@]}"; do
    for compression in "${compressions[@]}"; do
        echo "filling fill-$size-$compression with $records records" >&2
        fill "fill-$size-$compression" "$size" "$compression"
    done
done
for r in $(seq "$runs"); do
    echo "run $r/$runs" >&2
    # Alternate which client goes first, so neither always runs on a warmer machine.
    order=("${clients[@]}")
    if [ $((r % 2)) -eq 0 ]; then
        order=(); for ((i = ${#clients[@]} - 1; i >= 0; i--)); do order+=("${clients[$i]}"); done
    fi
    for size in "${sizes[@]}"; do
        for compression in "${compressions[@]}"; do
            for client in "${order[@]}"; do measure "$client" "$size" "$compression" "$r"; done
        done
    done
done

python3 - "$work/results.jsonl" "$records" "$use_groups" "${consumer_props[*]}" <<'PY'
import json, statistics, sys
from collections import defaultdict
rows = [json.loads(line) for line in open(sys.argv[1])]
expected = int(sys.argv[2])
runs = defaultdict(list)
for row in rows:
    runs[(row["size"], row["compression"], row["client"])].append(row)

def median(key, client, field, scale=1.0):
    values = [r["run"][field] * scale for r in runs.get(key + (client,), []) if r["run"]["records"] == expected]
    return statistics.median(values) if values else None

def cell(k, r, fmt):
    ks = "-" if k is None else format(k, fmt)
    rs = "-" if r is None else format(r, fmt)
    ratio = f"{k / r:.2f}" if k and r else "-"
    return f"{ks:>10} {rs:>10} {ratio:>6}"

mode = "a fresh group per run" if sys.argv[3] == "1" else "every partition assigned from offset 0"
print(f"records per run: {expected}; {mode}; consumer props: {sys.argv[4] or '(none)'}")
print("medians; k = kafkit, r = librdkafka, ratio = k/r")
head = f"{'size':>6}{'comp':>6} |"
for title in ("records/s", "MB/s", "CPU us per record", "peak RSS MB"):
    head += f" {title:^28} |"
print(head)
print(f"{'':12} |" + f" {'k':>10} {'r':>10} {'ratio':>6} |" * 4)
failures = 0
for key in sorted({k[:2] for k in runs}, key=lambda k: (k[0], k[1] != "none")):
    size, compression = key
    failures += sum(1 for c in ("kafkit", "rdkafka") for r in runs.get(key + (c,), [])
                    if r["exit"] or r["run"]["records"] != expected)
    line = f"{size:>6}{compression:>6} |"
    line += " " + cell(median(key, "kafkit", "records_per_s"), median(key, "rdkafka", "records_per_s"), ",.0f") + " |"
    line += " " + cell(median(key, "kafkit", "mb_per_s"), median(key, "rdkafka", "mb_per_s"), ".1f") + " |"
    line += " " + cell(median(key, "kafkit", "cpu_us_per_record"), median(key, "rdkafka", "cpu_us_per_record"), ".3f") + " |"
    rss = lambda c: median(key, c, "peak_rss_kb", 1 / 1024)
    line += " " + cell(rss("kafkit"), rss("rdkafka"), ".1f") + " |"
    print(line)
if failures:
    print(f"{failures} run(s) read fewer than {expected} records or exited non-zero (see stderr above)")
PY
