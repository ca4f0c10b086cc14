"""Clusters for tests: the reference broker `kafkit-broker` as a child process, and
librdkafka's mock cluster through the `kafkit-mock-cluster` helper. Both are ready when
the constructor returns, expose `bootstrap_servers` and the same fault controls
(`.faults`, see FaultControls), and are context managers that tear themselves down.

    from kafkit_testcontainers import ReferenceCluster

    with ReferenceCluster(brokers=3) as cluster:
        cluster.faults.push_request_errors(api_key=0, codes=[6, 6])  # two NOT_LEADER
        run_my_client(cluster.bootstrap_servers)

Standard library only. Binaries come from the `binary` argument, else the environment
(KAFKIT_BROKER_BIN, KAFKIT_MOCK_CLUSTER_BIN), else `build/bin/` of this repository.
"""

import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import unittest

from ._control import FaultControls
from ._process import ChildProcess, ClusterError

__all__ = ["ReferenceCluster", "MockCluster", "DockerKafka", "FaultControls", "ClusterError",
           "DockerNotAvailable"]

_REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]


def _find_binary(explicit, env_name, name):
    if explicit:
        return str(explicit)
    if os.environ.get(env_name):
        return os.environ[env_name]
    return str(_REPO_ROOT / "build" / "bin" / name)


def _ready_fields(line):
    """{"bootstrap": ..., "control": ...} from a ready line."""
    return dict(word.split("=", 1) for word in line.split() if "=" in word)


def _port(host_port):
    return int(host_port.rsplit(":", 1)[1])


class _Cluster:
    """What both backends share: the process, its ready line and the fault controls."""

    _ready_prefix = ""

    def __init__(self, start_timeout):
        self.start_timeout = start_timeout
        self._process = None
        self.faults = None
        self.bootstrap_servers = ""

    def _launch(self, argv):
        self._process = ChildProcess(argv)
        try:
            line = self._process.wait_for_line(self._ready_prefix, self.start_timeout)
        except BaseException:
            self._process.kill()
            raise
        fields = _ready_fields(line)
        if "control" not in fields or "bootstrap" not in fields:
            self._process.kill()
            raise ClusterError(f"unexpected ready line: {line}")
        self.bootstrap_servers = fields["bootstrap"]
        if self.faults is None:
            self.faults = FaultControls(_port(fields["control"]))
        else:
            self.faults.close()
            self.faults.port = _port(fields["control"])

    @property
    def ports(self):
        """The nodes' ports, in node id order."""
        return [_port(s) for s in self.bootstrap_servers.split(",")]

    @property
    def control_port(self):
        return self.faults.port

    @property
    def running(self):
        return self._process is not None and self._process.running()

    @property
    def stderr(self):
        """What the process wrote to stderr (the last 256 KiB)."""
        return self._process.stderr if self._process else ""

    def kill(self):
        """SIGKILL: a crash, nothing flushed."""
        if self.faults:
            self.faults.close()
        if self._process:
            self._process.kill()

    def stop(self, timeout=15.0):
        """SIGTERM and wait for the graceful stop; returns the exit status (0: clean)."""
        if self.faults:
            self.faults.close()
        self._process.signal(signal.SIGTERM)
        return self._process.wait(timeout)

    def close(self):
        """Tears the cluster down (SIGKILL if it still runs). Idempotent."""
        self.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown: nothing to report to
            pass


class ReferenceCluster(_Cluster):
    """`kafkit-broker` with `brokers` nodes on ephemeral 127.0.0.1 ports.

    data_dir: None keeps data in memory; True makes a temporary directory (removed on
    close); a path uses that directory (kept). sync adds --sync; args are more
    command-line arguments, e.g. ("--partitions", "3").
    """

    _ready_prefix = "kafkit-broker ready "

    def __init__(self, brokers=1, data_dir=None, sync=False, args=(), binary=None,
                 start_timeout=15.0):
        super().__init__(start_timeout)
        self.binary = _find_binary(binary, "KAFKIT_BROKER_BIN", "kafkit-broker")
        self.brokers = brokers
        self._temp_dir = None
        if data_dir is True:
            self._temp_dir = tempfile.mkdtemp(prefix="kafkit-broker-")
            data_dir = self._temp_dir
        self.data_dir = str(data_dir) if data_dir else None
        self._options = (["--sync"] if sync else []) + [str(a) for a in args]
        if self.data_dir:
            self._options += ["--data-dir", self.data_dir]
        try:
            self._start(["--listen", "127.0.0.1:0"], "127.0.0.1:0")
        except BaseException:
            self._remove_temp_dir()
            raise

    def _start(self, listen, control):
        self._launch([self.binary, *listen, "--brokers", str(self.brokers), "--control", control,
                      *self._options])

    def restart(self, timeout=15.0):
        """Starts again (stopping first if running) on the same ports and data directory."""
        if self.running:
            self.stop(timeout)
        ports = self.ports
        listen = [a for p in ports for a in ("--listen", f"127.0.0.1:{p}")]
        self._start(listen, f"127.0.0.1:{self.control_port}")
        if self.ports != ports:
            raise ClusterError(f"restarted on other ports: {self.ports} instead of {ports}")

    def _remove_temp_dir(self):
        if getattr(self, "_temp_dir", None):
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def close(self):
        super().close()
        self._remove_temp_dir()


class MockCluster(_Cluster):
    """librdkafka's mock cluster (`kafkit-mock-cluster`) with `brokers` nodes, ids 1..N.

    Its faults map onto rd_kafka_mock_*: delays are per broker (api_key must be -1),
    connections cannot be picked by client.id, describe knows only what was done through
    the controls. What the mock cannot do raises ClusterError.
    """

    _ready_prefix = "kafkit-mock-cluster ready "

    def __init__(self, brokers=3, binary=None, start_timeout=15.0):
        super().__init__(start_timeout)
        self.binary = _find_binary(binary, "KAFKIT_MOCK_CLUSTER_BIN", "kafkit-mock-cluster")
        self._launch([self.binary, "--brokers", str(brokers)])


class DockerNotAvailable(unittest.SkipTest):
    """Raised where Docker is absent; pytest and unittest report the test as skipped."""


class DockerKafka:
    """Apache Kafka in Docker: a placeholder for a later backend. Raises DockerNotAvailable
    (a skip) where Docker cannot run containers, and until the backend exists."""

    def __init__(self, brokers=1, image="apache/kafka:3.9.0"):
        docker = shutil.which("docker")
        if docker is None:
            raise DockerNotAvailable("docker not available: no docker command")
        try:
            probe = subprocess.run([docker, "info"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise DockerNotAvailable(f"docker not available: {e}") from None
        if probe.returncode != 0:
            raise DockerNotAvailable("docker not available: `docker info` failed")
        raise DockerNotAvailable(f"the Docker Kafka backend ({image}, {brokers} brokers) "
                                 "is not implemented yet")
