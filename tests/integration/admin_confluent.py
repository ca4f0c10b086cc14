"""confluent-kafka-python (1.7, Debian's) as the admin tests' independent peer.

    admin_confluent.py BOOTSTRAP COMMAND JSON_ARGS

prints one JSON object on stdout. Commands:
  describe   {"topics": [...]}                -> {topic: {"partitions": {id: {"leader", "replicas", "isrs"}}}}
  configs    {"topic": T}                     -> {name: value}
  create     {"topic": T, "partitions": N, "configs": {...}} -> {"ok": true}
  groups     {}                               -> {"groups": [ids]}
  committed  {"group": G, "topic": T, "partitions": N} -> {partition: offset}
  commit     {"group": G, "topic": T, "offsets": {partition: offset}} -> {"ok": true}
  lag        {"group": G, "topic": T, "partitions": N} -> {partition: high - committed}
"""

import json
import sys

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

TIMEOUT = 10


def admin(bootstrap):
    return AdminClient({"bootstrap.servers": bootstrap})


def consumer(bootstrap, group):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})


def describe(bootstrap, args):
    metadata = admin(bootstrap).list_topics(timeout=TIMEOUT)
    out = {}
    for name in args["topics"]:
        t = metadata.topics.get(name)
        if t is None or t.error is not None:
            continue
        out[name] = {"partitions": {str(p.id): {"leader": p.leader, "replicas": sorted(p.replicas), "isrs": sorted(p.isrs)}
                                    for p in t.partitions.values()}}
    return out


def configs(bootstrap, args):
    resource = ConfigResource("topic", args["topic"])
    client = admin(bootstrap)  # kept alive until its futures resolve
    described = client.describe_configs([resource])[resource].result(timeout=TIMEOUT)
    return {name: entry.value for name, entry in described.items()}


def create(bootstrap, args):
    topic = NewTopic(args["topic"], num_partitions=args["partitions"], replication_factor=1, config=args.get("configs", {}))
    client = admin(bootstrap)
    client.create_topics([topic])[args["topic"]].result(timeout=TIMEOUT)
    return {"ok": True}


def groups(bootstrap, _args):
    return {"groups": sorted(g.id for g in admin(bootstrap).list_groups(timeout=TIMEOUT))}


def committed(bootstrap, args):
    c = consumer(bootstrap, args["group"])
    try:
        asked = [TopicPartition(args["topic"], p) for p in range(args["partitions"])]
        return {str(tp.partition): tp.offset for tp in c.committed(asked, timeout=TIMEOUT) if tp.offset >= 0}
    finally:
        c.close()


def commit(bootstrap, args):
    c = consumer(bootstrap, args["group"])
    try:
        offsets = [TopicPartition(args["topic"], int(p), o) for p, o in args["offsets"].items()]
        c.commit(offsets=offsets, asynchronous=False)
        return {"ok": True}
    finally:
        c.close()


def lag(bootstrap, args):
    c = consumer(bootstrap, args["group"])
    try:
        out = {}
        asked = [TopicPartition(args["topic"], p) for p in range(args["partitions"])]
        for tp in c.committed(asked, timeout=TIMEOUT):
            if tp.offset < 0:
                continue
            _low, high = c.get_watermark_offsets(tp, timeout=TIMEOUT)
            out[str(tp.partition)] = high - tp.offset
        return out
    finally:
        c.close()


COMMANDS = {f.__name__: f for f in (describe, configs, create, groups, committed, commit, lag)}

if __name__ == "__main__":
    bootstrap, command, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    print(json.dumps(COMMANDS[command](bootstrap, arguments)))
