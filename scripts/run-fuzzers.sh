#!/usr/bin/env bash
# Runs each libFuzzer target of a fuzz build for SECONDS, seeded from the protocol corpus.
#
#   scripts/run-fuzzers.sh SECONDS BUILD_DIR
#
# BUILD_DIR was configured with -DKAFKIT_BUILD_FUZZERS=ON -DCMAKE_CXX_COMPILER=clang++ and
# its fuzz targets built; this script builds nothing. Seeds are cut from
# ../shared/protocol-corpus (when present) into BUILD_DIR/fuzz/seeds/<target>; what the
# fuzzers find is kept in BUILD_DIR/fuzz/corpus/<target>, crashes in
# BUILD_DIR/fuzz/artifacts/<target>. Exits non-zero when any target crashes, leaks, times
# out on an input or is missing.
set -euo pipefail

if [[ $# -ne 2 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS BUILD_DIR" >&2
    exit 2
fi
seconds=$1
build_dir=$(cd "$2" && pwd)
repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus_dir=${KAFKIT_PROTOCOL_CORPUS:-$repo_dir/../shared/protocol-corpus}
work_dir=$build_dir/fuzz
targets=(fuzz_request_frame fuzz_response_body fuzz_record_batch fuzz_broker_requests)

# Cuts seeds out of the corpus: whole request frames (with a size prefix for the broker's
# request path); [api key, version, direction] + body; and the record data of Produce
# requests.
make_seeds() {
    python3 - "$corpus_dir" "$work_dir/seeds" <<'PY'
import hashlib, json, pathlib, struct, sys

corpus, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

def save(target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

def uvarint(b, i):
    v = shift = 0
    while True:
        x = b[i]; i += 1
        v |= (x & 0x7f) << shift; shift += 7
        if not x & 0x80:
            return v, i

def skip_tags(b, i):
    n, i = uvarint(b, i)
    for _ in range(n):
        _, i = uvarint(b, i)
        size, i = uvarint(b, i)
        i += size
    return i

def request_body_start(b, header_version):
    i = 8
    if header_version >= 1:
        n = struct.unpack_from(">h", b, i)[0]; i += 2 + max(n, 0)
    if header_version >= 2:
        i = skip_tags(b, i)
    return i

def produce_records(body, version):
    """The Records of every partition of a Produce request body."""
    flexible = version >= 9
    i = 0
    def length(i, wide=False):
        if flexible:
            n, i = uvarint(body, i); return n - 1, i
        fmt = ">i" if wide else ">h"
        return struct.unpack_from(fmt, body, i)[0], i + struct.calcsize(fmt)
    def array_len(i):
        if flexible:
            n, i = uvarint(body, i); return n - 1, i
        return struct.unpack_from(">i", body, i)[0], i + 4
    if version >= 3:
        n, i = length(i); i += max(n, 0)
    i += 6  # acks, timeout
    topics, i = array_len(i)
    for _ in range(max(topics, 0)):
        n, i = length(i); i += max(n, 0)
        partitions, i = array_len(i)
        for _ in range(max(partitions, 0)):
            i += 4
            n, i = length(i, wide=True)
            if n > 0:
                yield body[i:i + n]
            i += max(n, 0)
            if flexible: i = skip_tags(body, i)
        if flexible: i = skip_tags(body, i)

count = 0
for path in sorted(corpus.glob("*.jsonl")):
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        f = json.loads(line)
        b = bytes.fromhex(f["hex"])
        key, version, hv = f["api_key"], f["api_version"], f["header_version"]
        try:
            if f["direction"] == "request":
                save("fuzz_request_frame", b)
                save("fuzz_broker_requests", struct.pack(">i", len(b)) + b)
                start = request_body_start(b, hv)
                save("fuzz_response_body", bytes([key, version, 0]) + b[start:])
                if key == 0:
                    for records in produce_records(b[start:], version):
                        save("fuzz_record_batch", records)
            else:
                start = skip_tags(b, 4) if hv >= 1 else 4
                save("fuzz_response_body", bytes([key, version, 1]) + b[start:])
            count += 1
        except (IndexError, struct.error):
            pass  # a frame the simple parser here cannot cut: not a seed
print(f"seeds cut from {count} corpus frames")
PY
}

mkdir -p "$work_dir/seeds"
if [[ -d $corpus_dir ]]; then
    make_seeds
else
    echo "note: no protocol corpus at $corpus_dir; fuzzing without seeds" >&2
fi

status=0
for target in "${targets[@]}"; do
    binary=$build_dir/bin/$target
    if [[ ! -x $binary ]]; then
        echo "FAIL $target: $binary not built" >&2
        status=1
        continue
    fi
    mkdir -p "$work_dir/corpus/$target" "$work_dir/seeds/$target" "$work_dir/artifacts/$target"
    log=$work_dir/$target.log
    echo "== $target: ${seconds}s (log: $log)"
    # -timeout: one input taking over 10 s is a finding; -rss_limit_mb and -malloc_limit_mb
    # catch a lying length that drives a huge allocation.
    if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -print_final_stats=1 -artifact_prefix="$work_dir/artifacts/$target/" \
        "$work_dir/corpus/$target" "$work_dir/seeds/$target" >"$log" 2>&1; then
        grep -E "^stat::number_of_executed_units|^Done" "$log" | tr '\n' ' ' || true
        echo
    else
        echo "FAIL $target: see $log and $work_dir/artifacts/$target/" >&2
        grep -E "ERROR|SUMMARY|fuzz property broken|Test unit written" "$log" | head -n 10 >&2 || true
        status=1
    fi
done
exit $status
