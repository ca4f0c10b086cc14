"""A confluent-kafka-python group member for the mixed-group tests: the same stdout lines as
kafkit-test-group-member ("ASSIGNED <n>" when its assignment changes, "R <partition>
<offset>" per record), a revoke callback that commits synchronously, and on SIGTERM a clean
close (LeaveGroup) and "CLOSED".

Usage: group_member_confluent.py BOOTSTRAP GROUP TOPIC [name=value ...]
"""

import signal
import sys

from confluent_kafka import Consumer, KafkaException


def main():
    bootstrap, group, topic = sys.argv[1:4]
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "fetch.wait.max.ms": 50,
    }
    for setting in sys.argv[4:]:
        name, value = setting.split("=", 1)
        conf[name] = value
    consumer = Consumer(conf)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    def on_revoke(c, partitions):
        try:
            c.commit(asynchronous=False)
        except KafkaException as e:  # nothing consumed yet (_NO_OFFSET) and the like
            print(f"commit in on_revoke: {e}", file=sys.stderr, flush=True)

    consumer.subscribe([topic], on_revoke=on_revoke)
    held = -1
    while not stopping:
        # poll(), not consume(num_messages): librdkafka 2.0's batch consume can skip offsets
        # around a rebalance (a known issue of that release, fixed in 2.1).
        for _ in range(500):
            msg = consumer.poll(0.05)
            if msg is None:
                break
            if msg.error() is None:
                print(f"R {msg.partition()} {msg.offset()}")
        now = len(consumer.assignment())
        if now != held:
            held = now
            print(f"ASSIGNED {now}")
        sys.stdout.flush()
    consumer.close()
    print("CLOSED", flush=True)


if __name__ == "__main__":
    main()
