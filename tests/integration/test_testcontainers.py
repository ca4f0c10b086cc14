"""The Python testcontainers: ReferenceCluster and MockCluster start, answer Kafka requests,
take faults through the control socket, stop and restart. Run with
    KAFKIT_BROKER_BIN=... KAFKIT_MOCK_CLUSTER_BIN=... PYTHONPATH=testcontainers/python \
        /usr/bin/python3 -m pytest tests/integration/test_testcontainers.py
"""

import os
import signal
import socket
import struct
import time

import pytest

from kafkit_testcontainers import (ClusterError, DockerKafka, DockerNotAvailable, MockCluster,
                                   ReferenceCluster)

NOT_LEADER_OR_FOLLOWER = 6
INVALID_REQUEST = 42
API_VERSIONS = 18


def api_versions(port, correlation_id=7, timeout=10.0):
    """Sends ApiVersions v0 and returns (correlation id, error code, api keys served)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        client_id = b"pytest"
        header = struct.pack(">hhih", API_VERSIONS, 0, correlation_id, len(client_id)) + client_id
        s.sendall(struct.pack(">i", len(header)) + header)
        size = struct.unpack(">i", _read_exact(s, 4))[0]
        body = _read_exact(s, size)
    got_id, error, count = struct.unpack_from(">ihi", body)
    keys = {struct.unpack_from(">h", body, 10 + 6 * i)[0] for i in range(count)}
    return got_id, error, keys


def _read_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed by the broker")
        data += chunk
    return data


def closed_or_refused(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            return s.recv(1) == b""
    except (ConnectionError, OSError):
        return True


def test_reference_cluster_starts_three_brokers_that_answer():
    with ReferenceCluster(brokers=3) as cluster:
        assert cluster.running
        assert len(cluster.bootstrap_servers.split(",")) == 3
        nodes = cluster.faults.describe()["nodes"]
        assert [n["id"] for n in nodes] == [1, 2, 3]
        assert [n["port"] for n in nodes] == cluster.ports
        for port in cluster.ports:
            correlation_id, error, keys = api_versions(port)
            assert (correlation_id, error) == (7, 0)
            assert {3, 18} <= keys
    assert not cluster.running


def test_faults_take_effect_and_refusals_name_the_problem():
    with ReferenceCluster(brokers=3) as cluster:
        faults = cluster.faults
        faults.push_request_errors(API_VERSIONS, [INVALID_REQUEST, NOT_LEADER_OR_FOLLOWER])
        assert api_versions(cluster.ports[0])[1] == INVALID_REQUEST
        assert api_versions(cluster.ports[1])[1] == NOT_LEADER_OR_FOLLOWER
        assert api_versions(cluster.ports[0])[1] == 0

        faults.create_topic("py", partitions=2)
        before = faults.describe()["topics"][0]["partitions"][0]
        target = 1 if before["leader"] == 3 else before["leader"] + 1
        faults.set_partition_leader("py", 0, target)
        after = faults.describe()["topics"][0]["partitions"][0]
        assert (after["leader"], after["leader_epoch"]) == (target, before["leader_epoch"] + 1)

        faults.set_node_up(2, False)
        assert closed_or_refused(cluster.ports[1])
        assert [n["up"] for n in faults.describe()["nodes"]] == [True, False, True]
        faults.set_node_up(2, True)
        assert api_versions(cluster.ports[1])[1] == 0

        faults.set_response_delay(250, api_key=API_VERSIONS)
        began = time.monotonic()
        api_versions(cluster.ports[0])
        assert time.monotonic() - began >= 0.25
        faults.clear()
        assert faults.drop_connections() == 0

        with pytest.raises(ClusterError, match=r"unknown topic \"nope\""):
            faults.set_partition_leader("nope", 0, 1)
        with pytest.raises(ClusterError, match="no node 9"):
            faults.set_node_up(9, False)
        # A malformed line is answered and the connection stays usable.
        assert "malformed JSON" in faults.request_line("{oops")
        assert faults.request("describe")["ok"] is True


def test_stop_exits_zero_and_restart_keeps_ports_and_data_dir():
    with ReferenceCluster(brokers=2, data_dir=True) as cluster:
        data_dir = cluster.data_dir
        ports, control = cluster.ports, cluster.control_port
        cluster.faults.create_topic("kept", partitions=3)
        assert cluster.stop() == 0
        cluster.restart()
        assert (cluster.ports, cluster.control_port) == (ports, control)
        topics = {t["name"]: t for t in cluster.faults.describe()["topics"]}
        assert len(topics["kept"]["partitions"]) == 3
        cluster.kill()
        assert not cluster.running
        cluster.restart()
        assert api_versions(ports[1])[1] == 0
    assert not os.path.exists(data_dir)


def test_sigint_is_a_graceful_stop_too():
    with ReferenceCluster() as cluster:
        cluster._process.signal(signal.SIGINT)
        assert cluster._process.wait(15) == 0
    with MockCluster(brokers=1) as mock:
        assert mock.stop() == 0


def test_a_broker_that_cannot_start_reports_its_stderr():
    with pytest.raises(ClusterError, match="unknown property no.such.property"):
        ReferenceCluster(args=("-X", "no.such.property=1"))
    with pytest.raises(ClusterError, match="cannot run"):
        ReferenceCluster(binary="/nonexistent/kafkit-broker")


def test_mock_cluster_answers_and_takes_faults():
    with MockCluster(brokers=3) as mock:
        assert len(mock.ports) == 3
        assert api_versions(mock.ports[0])[1] == 0
        mock.faults.push_request_errors(API_VERSIONS, [INVALID_REQUEST])
        assert api_versions(mock.ports[2])[1] == INVALID_REQUEST
        assert api_versions(mock.ports[2])[1] == 0
        mock.faults.create_topic("m", partitions=2)
        mock.faults.set_partition_leader("m", 1, 3)
        topic = mock.faults.describe()["topics"][0]
        assert (topic["name"], topic["partitions"][1]["leader"]) == ("m", 3)
        mock.faults.set_node_up(3, False)
        assert closed_or_refused(mock.ports[2])
        mock.faults.set_node_up(3, True)
        with pytest.raises(ClusterError, match="api_key must be -1"):
            mock.faults.set_response_delay(10, api_key=3)
        mock.faults.shutdown()
        assert mock._process.wait(10) == 0


def test_docker_backend_is_skipped_where_unavailable():
    with pytest.raises(DockerNotAvailable):
        DockerKafka()
