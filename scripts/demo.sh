#!/usr/bin/env bash
# The main job, until the reference broker lands: show what the codec covers, decode a
# Metadata request written by hand, and round-trip real clients' frames when
# ../shared/protocol-corpus is beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin

echo "== APIs the codec covers (first lines)"
"$bin/kafkit-codec" apis | head -8

# Metadata v1, correlation id 1, client id "demo", topics: ["orders"].
frame=00030001000000010004$(printf demo | od -An -tx1 | tr -d ' \n')000000010006$(printf orders | od -An -tx1 | tr -d ' \n')
echo "== decode $frame"
"$bin/kafkit-codec" decode --api-key 3 --version 1 --request "$frame"

corpus=../shared/protocol-corpus
if [ -d "$corpus" ]; then
    echo "== round trip of the frames real clients wrote"
    # Five frames of kafka-python.jsonl are refused on purpose: librdkafka 2.0.2's mock
    # answers OffsetFetch v3 with a null Topics array, which the schema (and Kafka's own
    # decoder) forbids. tests/unit/codec pins exactly that; here they are reported.
    "$bin/kafkit-codec" roundtrip "$corpus/kcat.jsonl" "$corpus/confluent-kafka-python.jsonl" \
        "$corpus/kafka-python.jsonl" || echo "(see above: refused frames are listed with their reason)"
    echo "== frames that break their schema must be refused"
    "$bin/kafkit-codec" roundtrip --expect-failure "$corpus/nonconformant.jsonl"
fi
