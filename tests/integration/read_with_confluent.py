"""Reads every record of the topics given with confluent-kafka-python and prints each as one
JSON line: topic, partition, offset, key, value (hex, or null), headers ([name, hex or null]
pairs, in order), timestamp type and timestamp. An independent reader for kafkit's
producer tests: assign every partition from the beginning, read up to each partition's
high watermark, exit 0; exit 1 with the reason on stderr on an error or after the timeout.

    /usr/bin/python3 read_with_confluent.py BOOTSTRAP TIMEOUT_S TOPIC...
"""

import json
import os
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition


def hex_or_none(data):
    return None if data is None else data.hex()


def main(bootstrap, timeout_s, topics):
    deadline = time.monotonic() + timeout_s
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "read_with_confluent",
        "enable.auto.commit": False,
        "fetch.wait.max.ms": 20,
    })
    try:
        ends = {}
        assignment = []
        for topic in topics:
            metadata = consumer.list_topics(topic, timeout=max(0.1, deadline - time.monotonic()))
            partitions = metadata.topics[topic].partitions
            if not partitions:
                raise KafkaException(f"{topic} has no partitions")
            for p in partitions:
                low, high = consumer.get_watermark_offsets(
                    TopicPartition(topic, p), timeout=max(0.1, deadline - time.monotonic()))
                if high > low:
                    ends[(topic, p)] = high
                    assignment.append(TopicPartition(topic, p, OFFSET_BEGINNING))
        consumer.assign(assignment)
        while ends:
            if time.monotonic() > deadline:
                raise KafkaException(f"timed out before the end of {sorted(ends)}")
            message = consumer.poll(0.1)
            if message is None:
                continue
            if message.error():
                continue  # transient; the deadline bounds the wait
            key = (message.topic(), message.partition())
            if key not in ends or message.offset() >= ends[key]:
                continue
            ts_type, ts = message.timestamp()
            print(json.dumps({
                "topic": message.topic(),
                "partition": message.partition(),
                "offset": message.offset(),
                "key": hex_or_none(message.key()),
                "value": hex_or_none(message.value()),
                "headers": [[k, hex_or_none(v)] for k, v in (message.headers() or [])],
                "timestamp_type": ts_type,
                "timestamp": ts,
            }))
            if message.offset() + 1 >= ends[key]:
                del ends[key]
    finally:
        consumer.close()


if __name__ == "__main__":
    status = 0
    try:
        main(sys.argv[1], float(sys.argv[2]), sys.argv[3:])
    except Exception as e:  # noqa: BLE001 - any failure is reported to the test the same way
        print(f"read_with_confluent: {e}", file=sys.stderr)
        status = 1
    # confluent-kafka-python 1.7 returns None for a null header value without a reference
    # of its own, so the interpreter aborts at exit ("none_dealloc"): leave before that.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
