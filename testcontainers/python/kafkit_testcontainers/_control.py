"""The JSON-lines control socket client (private to kafkit_testcontainers).

`kafkit-broker --control` and `kafkit-mock-cluster` serve the same protocol: one JSON
object per line in, one per line out, {"ok": true, ...} or {"ok": false, "error": "..."}.
"""

import json
import socket

from ._process import ClusterError


class FaultControls:
    """The fault controls of a running cluster, modelled on librdkafka's mock cluster.

    Every call takes effect before it returns and raises ClusterError when the cluster
    refuses it (the message says why). Connects on first use and again after the cluster
    restarted.
    """

    def __init__(self, port, host="127.0.0.1", timeout=10.0):
        self.host = host
        self.port = port
        self.timeout = timeout
        self._sock = None
        self._file = None

    def close(self):
        """Drops the connection (the next call reconnects)."""
        if self._file is not None:
            self._file.close()
        if self._sock is not None:
            self._sock.close()
        self._sock = self._file = None

    def request_line(self, line):
        """Sends one raw line (no newline) and returns the raw response line."""
        if self._sock is None:
            try:
                self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            except OSError as e:
                raise ClusterError(f"control socket {self.host}:{self.port}: {e}") from None
            self._file = self._sock.makefile("rwb")
        try:
            self._file.write(line.encode() + b"\n")
            self._file.flush()
            answer = self._file.readline()
        except OSError as e:
            self.close()
            raise ClusterError(f"control socket: {e}") from None
        if not answer:
            self.close()
            raise ClusterError(f"control socket: the cluster closed the connection before answering {line}")
        return answer.decode("utf-8", "replace").rstrip("\r\n")

    def request(self, op, **fields):
        """Sends {"op": op, **fields}; returns the whole response object without checking "ok"."""
        return json.loads(self.request_line(json.dumps({"op": op, **fields})))

    def _call(self, op, **fields):
        response = self.request(op, **fields)
        if not response.get("ok"):
            raise ClusterError(f"control socket refused {op}: {response.get('error', '(no reason given)')}")
        return response

    def push_request_errors(self, api_key, codes, node=-1, delay_ms=0):
        """The next len(codes) requests of `api_key` to `node` (-1: any) fail with these codes,
        in order, each answered after `delay_ms` (rd_kafka_mock_push_request_errors)."""
        self._call("push_request_errors", node=node, api_key=api_key,
                   errors=[{"code": c, "delay_ms": delay_ms} for c in codes])

    def set_response_delay(self, delay_ms, node=-1, api_key=-1):
        """Delays responses of `api_key` (-1: all) from `node` (-1: all); 0 removes it."""
        self._call("set_response_delay", node=node, api_key=api_key, delay_ms=delay_ms)

    def drop_connections(self, node=-1, client_id=""):
        """Closes matching client connections; returns how many (-1: the backend cannot count)."""
        return self._call("drop_connections", node=node, client_id=client_id)["dropped"]

    def set_node_up(self, node, up=True):
        """Takes a node down (connections closed, new ones refused) or brings it back."""
        self._call("set_node_up", node=node, up=up)

    def set_partition_leader(self, topic, partition, node):
        """Moves a partition's leader to `node`, bumping its leader epoch."""
        self._call("set_partition_leader", topic=topic, partition=partition, node=node)

    def create_topic(self, topic, partitions=1, replication_factor=-1):
        self._call("create_topic", topic=topic, partitions=partitions,
                   replication_factor=replication_factor)

    def clear(self):
        """Removes every injected error and delay."""
        self._call("clear")

    def describe(self):
        """The cluster: {"cluster_id", "controller", "nodes": [{"id", "host", "port", "rack",
        "up"}], "topics": [{"name", "id", "internal", "partitions": [{"partition", "leader",
        "leader_epoch", "replicas", "log_start_offset", "log_end_offset"}]}]}."""
        response = self._call("describe")
        response.pop("ok", None)
        return response

    def shutdown(self):
        """Asks for a graceful stop; returns once the cluster has taken the request."""
        self._call("shutdown")
        self.close()
