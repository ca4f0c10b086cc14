#!/usr/bin/env bash
# Producer benchmark (not a test): kafkit-perf (the kafkit producer) and kafkit-rdkafka-perf
# (Debian's librdkafka) with identical properties, alternated in one run, against two
# backends: kafkit-broker (3 brokers, in memory) and librdkafka's mock cluster
# (kafkit-mock-cluster). For 100-byte and 1 KB records, acks=1 and all, compression none
# and lz4, prints the medians over ROUNDS and the ratios kafkit/librdkafka of records/s,
# MB/s, CPU seconds per million records and peak RSS.
#
#   scripts/bench-producer.sh [ROUNDS] [RECORDS]      (defaults: 3 rounds, 200,000 records)
#
# Every measurement gets a fresh backend and a fresh 3-partition topic (made through the
# control socket), so neither client inherits the other's data. The mock cluster keeps only
# about 5 MB per partition; that does not matter here, nothing is read back.
# Environment: BIN (default build/bin) holds the servers, PERF_BIN (default $BIN) the two
# perf tools; CLIENTS (default "kafkit rdkafka") picks the clients to run.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
cd "$(dirname "$0")/.."
rounds="${1:-3}"
records="${2:-200000}"
bin="${BIN:-build/bin}"
perf_bin="${PERF_BIN:-$bin}"
read -r -a clients <<<"${CLIENTS:-kafkit rdkafka}"
declare -A tool=([kafkit]="$perf_bin/kafkit-perf" [rdkafka]="$perf_bin/kafkit-rdkafka-perf")
for b in "$bin/kafkit-broker" "$bin/kafkit-mock-cluster"; do
    [ -x "$b" ] || { echo "bench-producer: $b missing: run scripts/build.sh" >&2; exit 1; }
done
for c in "${clients[@]}"; do
    [ -x "${tool[$c]:-}" ] || { echo "bench-producer: ${tool[$c]:-client $c} missing" >&2; exit 1; }
done
work="$(mktemp -d)"
server_pid=""
trap 'stop_server; rm -rf "$work"' EXIT

# start_backend NAME: starts a fresh backend (start_server sets $bootstrap and $control).
start_backend() {
    case "$1" in
    broker) start_server "$work" "$bin/kafkit-broker" --listen 127.0.0.1:0 --brokers 3 --partitions 3 \
                --control 127.0.0.1:0 ;;
    mock) start_server "$work" "$bin/kafkit-mock-cluster" --brokers 3 --control 127.0.0.1:0 ;;
    esac
}

# create_topic NAME PARTITIONS: through the JSON-lines control socket of either backend.
create_topic() { create_topic_at "$control" "$1" "$2"; }

# measure BACKEND CLIENT SIZE ACKS COMPRESSION: one run, appended to results.jsonl.
measure() {
    local backend="$1" client="$2" size="$3" acks="$4" compression="$5"
    local topic="bench-$client-$size-$acks-$compression-$RANDOM"
    start_backend "$backend"
    create_topic "$topic" 3
    # The same properties for both clients, spelled the way both accept them. Idempotence
    # off (librdkafka's default; kafkit's needs acks=all), 32 MB of queue each.
    local props=(bootstrap.servers="$bootstrap" acks="$acks" compression.type="$compression"
                 linger.ms=5 batch.size=1000000 batch.num.messages=10000
                 queue.buffering.max.messages=100000 queue.buffering.max.kbytes=32768
                 max.in.flight.requests.per.connection=5 enable.idempotence=false
                 partitioner=murmur2_random)
    local out rc=0
    out="$(timeout 600 "${tool[$client]}" produce --topic "$topic" --num-records "$records" \
        --record-size "$size" --throughput -1 --json --producer-props "${props[@]}" 2>"$work/client.err")" || rc=$?
    stop_server
    if [ -z "$out" ]; then
        echo "bench-producer: $client failed ($backend $size $acks $compression, exit $rc):" >&2
        tail -n 5 "$work/client.err" >&2
        out='{"records":0,"records_per_s":0,"mb_per_s":0,"cpu_s":0,"peak_rss_kb":0,"failed":-1}'
    fi
    printf '{"backend":"%s","client":"%s","size":%s,"acks":"%s","compression":"%s","exit":%s,"run":%s}\n' \
        "$backend" "$client" "$size" "$acks" "$compression" "$rc" "$out" >>"$work/results.jsonl"
}

for r in $(seq "$rounds"); do
    echo "round $r/$rounds" >&2
    # Alternate which client goes first, so neither always runs on a warmer machine.
    order=("${clients[@]}")
    if [ $((r % 2)) -eq 0 ]; then
        order=(); for ((i = ${#clients[@]} - 1; i >= 0; i--)); do order+=("${clients[$i]}"); done
    fi
    for backend in broker mock; do
        for size in 100 1024; do
            for acks in 1 all; do
                for compression in none lz4; do
                    for client in "${order[@]}"; do measure "$backend" "$client" "$size" "$acks" "$compression"; done
                done
            done
        done
    done
done

python3 - "$work/results.jsonl" "$records" <<'PY'
import json, statistics, sys
from collections import defaultdict
rows = [json.loads(line) for line in open(sys.argv[1])]
runs = defaultdict(list)
for row in rows:
    runs[(row["backend"], row["size"], row["acks"], row["compression"], row["client"])].append(row)

def median(key, client, field):
    values = [r["run"][field] for r in runs.get(key + (client,), [])]
    return statistics.median(values) if values else None

def cpu_per_million(key, client):
    values = [r["run"]["cpu_s"] / r["run"]["records"] * 1e6 for r in runs.get(key + (client,), []) if r["run"]["records"]]
    return statistics.median(values) if values else None

def cell(k, r, fmt):
    ks = "-" if k is None else format(k, fmt)
    rs = "-" if r is None else format(r, fmt)
    ratio = f"{k / r:.2f}" if k and r else "-"
    return f"{ks:>10} {rs:>10} {ratio:>6}"

print(f"records per run: {sys.argv[2]}; medians; k = kafkit, r = librdkafka, ratio = k/r")
head = f"{'backend':8}{'size':>6}{'acks':>5}{'comp':>6} |"
for title in ("records/s", "MB/s", "CPU s per M records", "peak RSS MB"):
    head += f" {title:^28} |"
print(head)
print(f"{'':25} |" + f" {'k':>10} {'r':>10} {'ratio':>6} |" * 4)
failures = 0
for key in sorted({k[:4] for k in runs}, key=lambda k: (k[0], k[1], k[2], k[3] != "none")):
    backend, size, acks, compression = key
    failures += sum(1 for c in ("kafkit", "rdkafka") for r in runs.get(key + (c,), []) if r["exit"] or r["run"]["failed"])
    line = f"{backend:8}{size:>6}{acks:>5}{compression:>6} |"
    line += " " + cell(median(key, "kafkit", "records_per_s"), median(key, "rdkafka", "records_per_s"), ",.0f") + " |"
    line += " " + cell(median(key, "kafkit", "mb_per_s"), median(key, "rdkafka", "mb_per_s"), ".1f") + " |"
    line += " " + cell(cpu_per_million(key, "kafkit"), cpu_per_million(key, "rdkafka"), ".2f") + " |"
    rss = lambda c: None if median(key, c, "peak_rss_kb") is None else median(key, c, "peak_rss_kb") / 1024
    line += " " + cell(rss("kafkit"), rss("rdkafka"), ".1f") + " |"
    print(line)
if failures:
    print(f"{failures} run(s) had failed records or a non-zero exit (see stderr above)")
PY
