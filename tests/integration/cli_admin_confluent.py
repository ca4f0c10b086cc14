"""Independent peers for the `kafkit <command>` tests: confluent-kafka-python 1.7 (Debian's,
librdkafka) for configs, committed offsets, groups, watermarks and timestamps, and
kafka-python 2.0 (its own protocol code) for ACLs, which confluent-kafka-python 1.7's
AdminClient does not have.

    cli_admin_confluent.py BOOTSTRAP COMMAND JSON_ARGS

prints one JSON object on stdout. Commands:
  configs     {"type": "topic"|"broker", "name": N}       -> {name: value}
  committed   {"group": G, "topic": T, "partitions": N}   -> {partition: offset} (committed ones)
  commit      {"group": G, "topic": T, "offsets": {partition: offset}} -> {"ok": true}
  groups      {}                                          -> {group: state}
  watermarks  {"topic": T, "partitions": N}               -> {partition: [low, high]}
  times       {"topic": T, "partitions": N, "ms": MS}     -> {partition: offset} (-1: none that late)
  produce     {"topic": T, "partition": P, "timestamps": [MS, ...]} -> {"ok": true}
  acls        {}                                          -> [[type, name, pattern, principal, host, operation, permission]]
"""

import json
import sys

from confluent_kafka import Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource

# Shared with the admin client's tests (this directory is on sys.path when run).
from admin_confluent import commit, committed, consumer

TIMEOUT = 10


def configs(bootstrap, args):
    resource = ConfigResource(args["type"], args["name"])
    client = AdminClient({"bootstrap.servers": bootstrap})  # kept alive until its futures resolve
    described = client.describe_configs([resource])[resource].result(timeout=TIMEOUT)
    return {name: entry.value for name, entry in described.items()}


def groups(bootstrap, _args):
    return {g.id: g.state for g in AdminClient({"bootstrap.servers": bootstrap}).list_groups(timeout=TIMEOUT)}


def watermarks(bootstrap, args):
    c = consumer(bootstrap, "cli-admin-watermarks")
    try:
        return {str(p): list(c.get_watermark_offsets(TopicPartition(args["topic"], p), timeout=TIMEOUT))
                for p in range(args["partitions"])}
    finally:
        c.close()


def times(bootstrap, args):
    c = consumer(bootstrap, "cli-admin-times")
    try:
        asked = [TopicPartition(args["topic"], p, args["ms"]) for p in range(args["partitions"])]
        return {str(tp.partition): tp.offset for tp in c.offsets_for_times(asked, timeout=TIMEOUT)}
    finally:
        c.close()


def produce(bootstrap, args):
    p = Producer({"bootstrap.servers": bootstrap})
    for i, ts in enumerate(args["timestamps"]):
        p.produce(args["topic"], value=f"at {ts}".encode(), key=str(i).encode(), partition=args["partition"], timestamp=ts)
    if p.flush(TIMEOUT) != 0:
        raise RuntimeError("records not delivered")
    return {"ok": True}


def acls(bootstrap, _args):
    from kafka.admin import ACLFilter, ACLOperation, ACLPermissionType, KafkaAdminClient, ResourcePatternFilter, ResourceType
    from kafka.admin.acl_resource import ACLResourcePatternType

    client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT * 1000)
    try:
        everything = ACLFilter(principal=None, host=None, operation=ACLOperation.ANY,
                               permission_type=ACLPermissionType.ANY,
                               resource_pattern=ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY))
        found, error = client.describe_acls(everything)
        if error.errno != 0:
            raise RuntimeError(f"describe_acls: {error}")
        return sorted([a.resource_pattern.resource_type.name, a.resource_pattern.resource_name,
                       a.resource_pattern.pattern_type.name, a.principal, a.host, a.operation.name,
                       a.permission_type.name] for a in found)
    finally:
        client.close()


COMMANDS = {f.__name__: f for f in (configs, committed, commit, groups, watermarks, times, produce, acls)}

if __name__ == "__main__":
    bootstrap, command, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    print(json.dumps(COMMANDS[command](bootstrap, arguments)))
