#!/usr/bin/env bash
# The main job: start kafkit-broker (three brokers in one process, in memory), produce
# sample records with `kafkit -P` and read them back with `kafkit -C` (kcat's flags), then
# stop the broker gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
work="$(mktemp -d)"
broker_pid=""
cleanup() {
    [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/ready"
"$bin/kafkit-broker" --listen 127.0.0.1:0 --brokers 3 --partitions 3 >"$work/ready" 2>"$work/broker.log" &
broker_pid=$!
read -r -t 30 ready <"$work/ready" || { echo "demo: the broker did not start" >&2; cat "$work/broker.log" >&2; exit 1; }
echo "== $ready"
bootstrap="${ready#*bootstrap=}"
bootstrap="${bootstrap%% *}"

echo "== produce 6 keyed records with a header"
printf 'alice:ordered a book\njudy:ordered a lamp\nzoe:ordered tea\nalice:paid\njudy:paid\nzoe:cancelled\n' |
    "$bin/kafkit" -b "$bootstrap" -P -t orders -K : -H source=demo

echo "== cluster metadata"
"$bin/kafkit" -b "$bootstrap" -L -t orders

echo "== consume them back (partition, offset, key, value, headers)"
"$bin/kafkit" -b "$bootstrap" -C -t orders -e -q -f 'p%p o%o  %k: %s  [%h]\n' | sort

echo "== stop the broker (SIGTERM: finish in-flight requests, flush, exit 0)"
kill -TERM "$broker_pid"
wait "$broker_pid"
echo "broker exited with $?"
broker_pid=""
