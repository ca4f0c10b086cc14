"""confluent-kafka-python (librdkafka) against kafkit-broker: each compression codec,
idempotence, a two-member consumer group that resumes from committed offsets, and the
AdminClient."""

import time

import pytest
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition, TIMESTAMP_CREATE_TIME
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

from conftest import unique, wait_until


def produce(cluster, topic, count, **config):
    producer = Producer({"bootstrap.servers": cluster.bootstrap_servers, "linger.ms": 5, **config})
    reports = []

    def on_delivery(err, msg):
        reports.append((err, msg.partition() if msg else None, msg.offset() if msg else None))

    base_ts = int(time.time() * 1000) - 10_000
    sent = []
    for i in range(count):
        key = f"k{i % 7}".encode()
        value = f"v{i}-".encode() * 3
        headers = [("h", b"first"), ("h", b"second"), ("n", str(i).encode())]
        producer.produce(topic, key=key, value=value, headers=headers, timestamp=base_ts + i,
                         on_delivery=on_delivery)
        sent.append((key, value, base_ts + i, i))
    assert producer.flush(30) == 0
    errors = [r for r in reports if r[0] is not None]
    assert not errors, errors
    assert len(reports) == count
    return sent, reports


def consume(cluster, topic, expected, group=None, **config):
    consumer = Consumer({"bootstrap.servers": cluster.bootstrap_servers,
                         "group.id": group or unique("group"), "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, **config})
    consumer.subscribe([topic])
    received = []
    deadline = time.monotonic() + 60
    while len(received) < expected and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        assert msg.error() is None, msg.error()
        received.append(msg)
    consumer.close()
    assert len(received) == expected
    return received


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_every_codec_round_trips_keys_values_headers_and_timestamps(cluster, topic, codec):
    sent, _ = produce(cluster, topic, 300, **{"compression.type": codec})
    received = consume(cluster, topic, len(sent))
    by_index = {}
    for msg in received:
        headers = msg.headers()
        assert headers[0] == ("h", b"first") and headers[1] == ("h", b"second")
        index = int(headers[2][1])
        assert index not in by_index, "a record arrived twice"
        by_index[index] = msg
    for key, value, ts, i in sent:
        msg = by_index[i]
        assert msg.key() == key and msg.value() == value
        assert msg.timestamp() == (TIMESTAMP_CREATE_TIME, ts)
    per_partition = {}
    for msg in received:
        per_partition.setdefault(msg.partition(), []).append(msg.offset())
    for offsets in per_partition.values():
        assert offsets == list(range(len(offsets)))


def test_idempotent_producer_gets_contiguous_offsets(cluster, topic):
    _, reports = produce(cluster, topic, 2000, **{"enable.idempotence": True, "acks": "all",
                                                  "max.in.flight.requests.per.connection": 5})
    per_partition = {}
    for _, partition, offset in reports:
        per_partition.setdefault(partition, []).append(offset)
    for offsets in per_partition.values():
        assert sorted(offsets) == list(range(len(offsets)))
    assert len(consume(cluster, topic, 2000)) == 2000


def test_two_members_split_the_partitions_commit_and_resume(cluster):
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    topic = unique("grouped")
    for f in admin.create_topics([NewTopic(topic, 4, 1)]).values():
        f.result(30)
    group = unique("pair")
    members = [Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": group,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "session.timeout.ms": 10000, "heartbeat.interval.ms": 500})
               for _ in range(2)]
    for m in members:
        m.subscribe([topic])

    received = {0: [], 1: []}

    def poll_all():
        for i, m in enumerate(members):
            msg = m.poll(0.1)
            if msg is not None and msg.error() is None:
                received[i].append(msg)
        return members

    def split():
        poll_all()
        a = {(tp.topic, tp.partition) for tp in members[0].assignment()}
        b = {(tp.topic, tp.partition) for tp in members[1].assignment()}
        return a and b and not (a & b) and len(a | b) == 4

    wait_until(split, timeout=60, what="both members to get disjoint assignments")
    produce(cluster, topic, 200)
    wait_until(lambda: poll_all() and len(received[0]) + len(received[1]) >= 200, timeout=60,
               what="200 records across the two members")
    values = [m.value() for m in received[0] + received[1]]
    assert len(values) == 200 and len(set(m.headers()[2][1] for m in received[0] + received[1])) == 200
    assert received[0] and received[1], "each member consumed its own partitions"
    for m in members:
        m.commit(asynchronous=False)
        m.close()

    produce(cluster, topic, 50)
    resumed = consume(cluster, topic, 50, group=group)
    indices = sorted(int(m.headers()[2][1]) for m in resumed)
    assert indices == list(range(50)), "resumed from the committed offsets, nothing replayed"
    # The committed offsets are where the two members stopped: the first 200 records (the
    # resumed reader above does not commit).
    reader = Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": group})
    committed = reader.committed([TopicPartition(topic, p) for p in range(4)], timeout=10)
    reader.close()
    assert sum(tp.offset for tp in committed if tp.offset >= 0) == 200


def test_admin_create_describe_delete_topics_and_configs(cluster):
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    name = unique("admin")
    futures = admin.create_topics([NewTopic(name, 5, 1, config={"retention.ms": "3600000",
                                                                 "cleanup.policy": "delete"})])
    futures[name].result(30)
    meta = admin.list_topics(timeout=10)
    assert len(meta.topics[name].partitions) == 5

    with pytest.raises(KafkaException):
        admin.create_topics([NewTopic(name, 1, 1)])[name].result(30)

    resource = ConfigResource("topic", name)
    configs = admin.describe_configs([resource])[resource].result(30)
    assert configs["retention.ms"].value == "3600000"
    assert not configs["retention.ms"].is_default
    assert configs["segment.bytes"].is_default

    broker = ConfigResource("broker", "1")
    broker_configs = admin.describe_configs([broker])[broker].result(30)
    assert broker_configs["num.partitions"].value == "3"

    admin.delete_topics([name])[name].result(30)
    wait_until(lambda: name not in admin.list_topics(timeout=10).topics, what="the topic to be gone")
