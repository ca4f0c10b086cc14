"""kcat (librdkafka 2.0) against kafkit-broker: produce, consume, metadata, query, -G."""

import json
import subprocess
import time

from conftest import tool_timeout, unique

KEYS = [f"key{k}" for k in range(8)]
FORMAT = "%t|%p|%o|%k|%s|%h|%T\\n"


def kcat(cluster, *args, stdin=None):
    result = subprocess.run(
        ["kcat", "-b", cluster.bootstrap_servers, *args],
        input=stdin, capture_output=True, text=True, timeout=tool_timeout())
    assert result.returncode == 0, f"kcat {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def produce_lines(cluster, topic, count):
    lines = [f"{KEYS[i % len(KEYS)]}:value-{i}" for i in range(count)]
    kcat(cluster, "-P", "-t", topic, "-K", ":", "-H", "trace=one", "-H", "trace=two",
         stdin="\n".join(lines) + "\n")
    return lines


def parse_consumed(output):
    records = []
    for line in output.splitlines():
        t, p, o, k, v, h, ts = line.split("|")
        records.append({"topic": t, "partition": int(p), "offset": int(o), "key": k,
                        "value": v, "headers": h, "timestamp": int(ts)})
    return records


def test_produce_then_consume_everything_once_in_order(cluster, topic):
    before_ms = int(time.time() * 1000)
    lines = produce_lines(cluster, topic, 400)
    after_ms = int(time.time() * 1000)
    records = parse_consumed(kcat(cluster, "-C", "-t", topic, "-e", "-f", FORMAT))

    assert len(records) == len(lines)
    assert sorted(f"{r['key']}:{r['value']}" for r in records) == sorted(lines)
    by_partition = {}
    for r in records:
        by_partition.setdefault(r["partition"], []).append(r)
        assert r["headers"] == "trace=one,trace=two"
        assert before_ms - 1000 <= r["timestamp"] <= after_ms + 1000
    assert set(by_partition) <= {0, 1, 2}
    for part in by_partition.values():
        assert [r["offset"] for r in part] == list(range(len(part)))
    # One key always lands on one partition, and its values keep their order.
    for key in KEYS:
        mine = [r for r in records if r["key"] == key]
        assert len({r["partition"] for r in mine}) == 1
        numbers = [int(r["value"].split("-")[1]) for r in mine]
        assert numbers == sorted(numbers)


def test_metadata_json_lists_three_brokers_and_the_topic(cluster, topic):
    produce_lines(cluster, topic, 3)
    meta = json.loads(kcat(cluster, "-L", "-J", "-t", topic))
    assert sorted(b["id"] for b in meta["brokers"]) == [1, 2, 3]
    ports = sorted(int(b["name"].rsplit(":", 1)[1]) for b in meta["brokers"])
    assert ports == sorted(int(s.rsplit(":", 1)[1]) for s in cluster.bootstrap_servers.split(","))
    (t,) = meta["topics"]
    assert t["topic"] == topic
    assert sorted(p["partition"] for p in t["partitions"]) == [0, 1, 2]
    for p in t["partitions"]:
        assert p["leader"] in (1, 2, 3)
        assert [r["id"] for r in p["replicas"]] == [p["leader"]]


def test_query_offsets_by_timestamp(cluster, topic):
    kcat(cluster, "-P", "-t", topic, "-p", "0", stdin="a\nb\nc\n")
    records = parse_consumed(kcat(cluster, "-C", "-t", topic, "-p", "0", "-e", "-f", FORMAT))
    assert [r["value"] for r in records] == ["a", "b", "c"]
    first_ts = records[0]["timestamp"]
    out = kcat(cluster, "-Q", "-t", f"{topic}:0:{first_ts}")
    assert f"{topic} [0] offset 0" in out
    future = int(time.time() * 1000) + 3_600_000
    out = kcat(cluster, "-Q", "-t", f"{topic}:0:{future}")
    assert f"{topic} [0] offset -1" in out


def test_balanced_consumer_reads_every_partition(cluster, topic):
    lines = produce_lines(cluster, topic, 90)
    group = unique("kcat-group")
    out = kcat(cluster, "-G", group, "-o", "beginning", "-e", "-f", FORMAT, topic)
    records = parse_consumed(out)
    assert sorted(f"{r['key']}:{r['value']}" for r in records) == sorted(lines)
    assert len({r["partition"] for r in records}) == 3
