"""kafka-python 2.0 (pure Python, its own protocol code) against kafkit-broker: a
producer and a consumer group."""

import time

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from conftest import unique


def test_producer_and_group_consumer_see_every_record(cluster, topic):
    producer = KafkaProducer(bootstrap_servers=cluster.bootstrap_servers, acks="all", linger_ms=5)
    base_ts = int(time.time() * 1000) - 5_000
    futures = [producer.send(topic, key=f"k{i % 5}".encode(), value=f"value {i}".encode(),
                             headers=[("i", str(i).encode()), ("i", b"again")], timestamp_ms=base_ts + i)
               for i in range(250)]
    producer.flush(30)
    metadata = [f.get(timeout=30) for f in futures]
    producer.close()
    assert len({(m.partition, m.offset) for m in metadata}) == 250

    consumer = KafkaConsumer(topic, bootstrap_servers=cluster.bootstrap_servers, group_id=unique("kp"),
                             auto_offset_reset="earliest", enable_auto_commit=True,
                             consumer_timeout_ms=15000)
    seen = {}
    for msg in consumer:
        index = int(msg.headers[0][1])
        assert index not in seen
        seen[index] = msg
        if len(seen) == 250:
            break
    consumer.commit()
    consumer.close()
    assert len(seen) == 250
    for i, msg in seen.items():
        assert msg.key == f"k{i % 5}".encode()
        assert msg.value == f"value {i}".encode()
        assert msg.headers == [("i", str(i).encode()), ("i", b"again")]
        assert msg.timestamp == base_ts + i


def test_admin_creates_a_topic_kafka_python_can_use(cluster):
    admin = KafkaAdminClient(bootstrap_servers=cluster.bootstrap_servers)
    name = unique("kp-admin")
    admin.create_topics([NewTopic(name, num_partitions=2, replication_factor=1)])
    assert name in admin.list_topics()
    admin.delete_topics([name])
    admin.close()
