"""Durability: records acknowledged with acks=all by a broker running with --data-dir and
--sync survive SIGKILL; a graceful stop keeps everything too."""

import tempfile
import time

from confluent_kafka import Consumer, Producer

from conftest import unique
from kafkit_testcontainers import ReferenceCluster


def produce_acked(bootstrap, topic, count):
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 2,
                         "enable.idempotence": True})
    acked = []

    def on_delivery(err, msg):
        if err is None:
            acked.append((msg.partition(), msg.offset(), msg.value()))

    for i in range(count):
        producer.produce(topic, key=str(i % 10).encode(), value=f"durable-{i}".encode(), on_delivery=on_delivery)
        if i % 500 == 0:
            producer.poll(0)
    assert producer.flush(30) == 0
    return acked


def consume_all(bootstrap, topic, expected):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("reader"),
                         "auto.offset.reset": "earliest", "enable.partition.eof": True})
    consumer.subscribe([topic])
    got, eof = [], set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(got) < expected or len(eof) < 3):
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            eof.add(msg.partition())
            continue
        got.append((msg.partition(), msg.offset(), msg.value()))
    consumer.close()
    return got


def test_acked_records_survive_sigkill():
    with tempfile.TemporaryDirectory() as data_dir:
        with ReferenceCluster(brokers=1, data_dir=data_dir, sync=True,
                              args=("--partitions", "3", "--segment-bytes", "65536")) as cluster:
            topic = unique("durable")
            acked = produce_acked(cluster.bootstrap_servers, topic, 5000)
            assert len(acked) == 5000
            cluster.kill()
            cluster.restart()
            got = consume_all(cluster.bootstrap_servers, topic, len(acked))
            assert sorted(got) == sorted(acked)


def test_graceful_stop_exits_zero_and_keeps_data():
    with tempfile.TemporaryDirectory() as data_dir:
        with ReferenceCluster(brokers=2, data_dir=data_dir, args=("--partitions", "3")) as cluster:
            topic = unique("graceful")
            acked = produce_acked(cluster.bootstrap_servers, topic, 1000)
            assert cluster.stop() == 0
            cluster.restart()
            assert sorted(consume_all(cluster.bootstrap_servers, topic, len(acked))) == sorted(acked)


def test_group_resumes_from_committed_offsets_after_broker_sigkill():
    with tempfile.TemporaryDirectory() as data_dir:
        with ReferenceCluster(brokers=3, data_dir=data_dir, sync=True, args=("--partitions", "3")) as cluster:
            topic, group = unique("resume"), unique("resume-group")
            first = produce_acked(cluster.bootstrap_servers, topic, 300)
            consumer = Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": group,
                                 "auto.offset.reset": "earliest", "enable.auto.commit": False})
            consumer.subscribe([topic])
            seen, deadline = 0, time.monotonic() + 60
            while seen < len(first) and time.monotonic() < deadline:
                msg = consumer.poll(0.5)
                if msg is not None and not msg.error():
                    seen += 1
            assert seen == len(first)
            consumer.commit(asynchronous=False)
            consumer.close()

            cluster.kill()
            cluster.restart()
            second = produce_acked(cluster.bootstrap_servers, topic, 120)
            consumer = Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": group,
                                 "auto.offset.reset": "earliest", "enable.auto.commit": False})
            consumer.subscribe([topic])
            got, deadline = [], time.monotonic() + 60
            while len(got) < len(second) and time.monotonic() < deadline:
                msg = consumer.poll(0.5)
                if msg is not None and not msg.error():
                    got.append((msg.partition(), msg.offset(), msg.value()))
            # Nothing from before the kill comes back: only what was produced after it.
            extra = consumer.poll(1.0)
            consumer.close()
            assert sorted(got) == sorted(second)
            assert extra is None or extra.error() is not None
