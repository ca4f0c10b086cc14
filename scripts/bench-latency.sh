#!/usr/bin/env bash
# End-to-end latency benchmark (not a test): kafkit-perf latency (the kafkit producer and
# consumer) and kafkit-rdkafka-perf latency (Debian's librdkafka) with the same properties,
# alternated in one run over fresh topics of the same backends: kafkit-broker (3 brokers,
# in memory) and librdkafka's mock cluster (kafkit-mock-cluster). For each rate and for
# linger.ms 0 and 5, RECORDS 100-byte records go out evenly at RATE records/s and are read
# back in the same process; prints the medians over RUNS of p50, p90, p99, p99.9 and max
# latency, CPU per record and peak RSS, and the ratios kafkit/librdkafka.
#
#   scripts/bench-latency.sh [RUNS] [RECORDS] [RATE]
#       (defaults: 3 runs, 10,000 records, rates 1000 and 10000 records/s)
#
# Every measurement gets a fresh 3-partition topic (made through the control socket), which
# its consumer reads from the beginning; a backend is started once for all of them.
# Environment: BIN (default build/bin) holds the servers, PERF_BIN (default $BIN) the two
# perf tools; CLIENTS (default "kafkit rdkafka"), BACKENDS (default "broker mock") and
# LINGERS (default "0 5") pick what runs; RDKAFKA_PROPS (default socket.nagle.disable=true:
# kafkit always sets TCP_NODELAY, librdkafka 2.0 does not by default) go to librdkafka's
# producer and consumer only.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
cd "$(dirname "$0")/.."
runs="${1:-3}"
records="${2:-10000}"
read -r -a rates <<<"${3:-1000 10000}"
bin="${BIN:-build/bin}"
perf_bin="${PERF_BIN:-$bin}"
read -r -a clients <<<"${CLIENTS:-kafkit rdkafka}"
read -r -a backends <<<"${BACKENDS:-broker mock}"
read -r -a lingers <<<"${LINGERS:-0 5}"
read -r -a rdkafka_props <<<"${RDKAFKA_PROPS-socket.nagle.disable=true}"
declare -A tool=([kafkit]="$perf_bin/kafkit-perf" [rdkafka]="$perf_bin/kafkit-rdkafka-perf")
declare -A server=([broker]="$bin/kafkit-broker" [mock]="$bin/kafkit-mock-cluster")
for b in "${backends[@]}"; do
    [ -x "${server[$b]:-}" ] || { echo "bench-latency: ${server[$b]:-backend $b} missing: run scripts/build.sh" >&2; exit 1; }
done
for c in "${clients[@]}"; do
    [ -x "${tool[$c]:-}" ] || { echo "bench-latency: ${tool[$c]:-client $c} missing" >&2; exit 1; }
done
work="$(mktemp -d)"
server_pid=""
trap 'stop_server; rm -rf "$work"' EXIT

start_backend() {
    case "$1" in
    broker) start_server "$work" "${server[broker]}" --listen 127.0.0.1:0 --brokers 3 --partitions 3 \
                --control 127.0.0.1:0 ;;
    mock) start_server "$work" "${server[mock]}" --brokers 3 --control 127.0.0.1:0 ;;
    esac
}

# measure BACKEND CLIENT RATE LINGER RUN: one latency run over a fresh topic, appended to
# results.jsonl.
measure() {
    local backend="$1" client="$2" rate="$3" linger="$4" run="$5"
    local topic="latency-$client-$rate-$linger-$run"
    create_topic_at "$control" "$topic" 3
    # Spelled the way both clients accept them. Idempotence off (librdkafka's default;
    # kafkit's needs acks=all); the broker answers a fetch as soon as a record arrives
    # (fetch.min.bytes=1), so fetch.wait.max.ms only bounds an idle fetch.
    local producer_props=(acks=1 linger.ms="$linger" enable.idempotence=false compression.type=none
                          max.in.flight.requests.per.connection=5 batch.num.messages=10000)
    local consumer_props=(fetch.min.bytes=1 fetch.wait.max.ms=100 check.crcs=true)
    if [ "$client" = rdkafka ]; then
        producer_props+=("${rdkafka_props[@]}")
        consumer_props+=("${rdkafka_props[@]}")
    fi
    local out rc=0
    out="$(timeout 600 "${tool[$client]}" latency --bootstrap-server "$bootstrap" --topic "$topic" \
        --messages "$records" --throughput "$rate" --record-size 100 --json \
        --producer-props "${producer_props[@]}" --consumer-props "${consumer_props[@]}" \
        2>"$work/client.err")" || rc=$?
    if [ -z "$out" ]; then
        echo "bench-latency: $client failed ($backend $rate/s linger.ms=$linger, exit $rc):" >&2
        tail -n 5 "$work/client.err" >&2
        out='{"records":0}'
    elif [ "$rc" -ne 0 ]; then
        echo "bench-latency: $client ($backend $rate/s linger.ms=$linger) exited $rc:" >&2
        tail -n 3 "$work/client.err" >&2
    fi
    printf '{"backend":"%s","client":"%s","rate":%s,"linger":%s,"exit":%s,"run":%s}\n' \
        "$backend" "$client" "$rate" "$linger" "$rc" "$out" >>"$work/results.jsonl"
}

for backend in "${backends[@]}"; do
    start_backend "$backend"
    for r in $(seq "$runs"); do
        echo "$backend: run $r/$runs" >&2
        # Alternate which client goes first, so neither always runs on a warmer machine.
        order=("${clients[@]}")
        if [ $((r % 2)) -eq 0 ]; then
            order=(); for ((i = ${#clients[@]} - 1; i >= 0; i--)); do order+=("${clients[$i]}"); done
        fi
        for rate in "${rates[@]}"; do
            for linger in "${lingers[@]}"; do
                for client in "${order[@]}"; do measure "$backend" "$client" "$rate" "$linger" "$r"; done
            done
        done
    done
    stop_server
done

python3 - "$work/results.jsonl" "$records" "${rdkafka_props[*]}" <<'PY'
import json, statistics, sys
from collections import defaultdict
rows = [json.loads(line) for line in open(sys.argv[1])]
expected = int(sys.argv[2])
runs = defaultdict(list)
for row in rows:
    runs[(row["backend"], row["rate"], row["linger"], row["client"])].append(row)
names = {"kafkit": "kafkit", "rdkafka": "librdkafka"}
columns = [("p50_ms", "p50 ms", 1), ("p90_ms", "p90 ms", 1), ("p99_ms", "p99 ms", 1),
           ("p999_ms", "p99.9 ms", 1), ("max_ms", "max ms", 1),
           ("cpu_us_per_record", "CPU us/rec", 1), ("peak_rss_kb", "RSS MB", 1 / 1024),
           ("sent_per_s", "sent/s", 1)]

def good(r):
    run = r["run"]
    return r["exit"] == 0 and run.get("records") == expected and not run.get("failed") and not run.get("errors")

def medians(key, client):
    ok = [r["run"] for r in runs.get(key + (client,), []) if good(r)]
    if not ok:
        return None
    return {field: statistics.median(run[field] * scale for run in ok) for field, _, scale in columns}

print(f"{expected} records of 100 bytes per run, 3 partitions, acks=1, medians over the runs that "
      f"read every record; librdkafka also gets: {sys.argv[3] or '(nothing)'}")
failures = 0
for key in sorted({k[:3] for k in runs}):
    backend, rate, linger = key
    counts = {c: len(runs.get(key + (c,), [])) for c in names}
    print(f"\n{backend}, {rate} records/s, linger.ms={linger} ({counts['kafkit']} + {counts['rdkafka']} runs)")
    print(f"{'':12}" + "".join(f"{title:>11}" for _, title, _ in columns))
    figures = {c: medians(key, c) for c in names}
    for client, name in names.items():
        failures += sum(1 for r in runs.get(key + (client,), []) if not good(r))
        m = figures[client]
        cells = ["-" if m is None else f"{m[f]:.3f}" if f.endswith("_ms") else f"{m[f]:.1f}" for f, _, _ in columns]
        print(f"{name:12}" + "".join(f"{c:>11}" for c in cells))
    k, r = figures["kafkit"], figures["rdkafka"]
    ratios = ["-" if not (k and r and r[f]) else f"{k[f] / r[f]:.2f}" for f, _, _ in columns]
    print(f"{'kafkit/rdk':12}" + "".join(f"{c:>11}" for c in ratios))
if failures:
    print(f"\n{failures} run(s) missed records, had errors or exited non-zero (see stderr above)")
PY
