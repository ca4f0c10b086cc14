"""tshark's Kafka dissector, an implementation nobody here wrote, decodes a capture of
real clients talking to kafkit-broker without finding a malformed frame.

tshark misreads JoinGroup and SyncGroup of every client (not only ours), so those two
APIs are left out of the check."""

import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

import pytest
from confluent_kafka import Consumer, Producer

from conftest import unique, wait_until


SENTINEL = "capture-sentinel"


def send_sentinel(port):
    """Sends an ApiVersions v0 request whose client id marks the end of the session."""
    client_id = SENTINEL.encode()
    body = struct.pack(">hhih", 18, 0, 999, len(client_id)) + client_id
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(struct.pack(">i", len(body)) + body)
        s.recv(4)


def sentinel_captured(pcap, port):
    out = subprocess.run(["tshark", "-r", pcap, "-d", f"tcp.port=={port},kafka", "-Y",
                          f'kafka.client_id == "{SENTINEL}"', "-T", "fields", "-e", "frame.number"],
                         capture_output=True, text=True)
    return out.stdout.strip() != ""


def broker_ports(cluster):
    return [int(s.rsplit(":", 1)[1]) for s in cluster.bootstrap_servers.split(",")]


@pytest.mark.skipif(shutil.which("tshark") is None or shutil.which("dumpcap") is None,
                    reason="tshark is not installed")
def test_capture_of_real_clients_has_no_malformed_frames(cluster):
    if os.geteuid() != 0:
        pytest.skip("capturing on loopback needs root")
    ports = broker_ports(cluster)
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "kafka.pcapng")
        capture_filter = " or ".join(f"tcp port {p}" for p in ports)
        dumpcap = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", capture_filter, "-w", pcap],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until(lambda: os.path.exists(pcap) and os.path.getsize(pcap) > 0, timeout=15,
                       what="dumpcap to start")
            topic = unique("captured")
            subprocess.run(["kcat", "-b", cluster.bootstrap_servers, "-P", "-t", topic, "-z", "lz4"],
                           input="one\ntwo\nthree\n", text=True, check=True, timeout=60)
            subprocess.run(["kcat", "-b", cluster.bootstrap_servers, "-C", "-t", topic, "-e", "-q"],
                           check=True, timeout=60, capture_output=True)
            producer = Producer({"bootstrap.servers": cluster.bootstrap_servers, "enable.idempotence": True,
                                 "compression.type": "zstd"})
            for i in range(100):
                producer.produce(topic, value=f"v{i}".encode(), headers=[("h", b"x")])
            assert producer.flush(30) == 0
            consumer = Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": unique("cap"),
                                 "auto.offset.reset": "earliest"})
            consumer.subscribe([topic])
            seen = 0
            deadline = time.monotonic() + 60
            while seen < 103 and time.monotonic() < deadline:
                msg = consumer.poll(0.5)
                if msg is not None and not msg.error():
                    seen += 1
            consumer.commit(asynchronous=False)
            consumer.close()
            assert seen == 103
            # dumpcap hands packets over in batches: once a last request sent after the
            # session is in the file, everything before it is too.
            send_sentinel(ports[0])
            wait_until(lambda: sentinel_captured(pcap, ports[0]), timeout=30, interval=0.3,
                       what="the capture to catch up")
        finally:
            dumpcap.send_signal(signal.SIGINT)
            dumpcap.wait(timeout=15)

        decode_as = []
        for p in ports:
            decode_as += ["-d", f"tcp.port=={p},kafka"]
        frames = subprocess.run(["tshark", "-r", pcap, *decode_as, "-Y", "kafka", "-T", "fields",
                                 "-e", "kafka.api_key"], capture_output=True, text=True, check=True)
        apis = {int(key) for line in frames.stdout.splitlines() for key in line.split(",") if key}
        # The capture holds the session: metadata, produce, fetch, and the group's requests.
        assert {18, 3, 0, 1, 10, 11, 14, 8} <= apis, f"APIs decoded: {sorted(apis)}"
        malformed = subprocess.run(
            ["tshark", "-r", pcap, *decode_as, "-Y",
             "(_ws.malformed or _ws.expert.severity == 8388608) and !(kafka.api_key == 11 or kafka.api_key == 14)",
             "-T", "fields", "-e", "frame.number", "-e", "kafka.api_key", "-e", "_ws.expert.message"],
            capture_output=True, text=True, check=True)
        assert malformed.stdout.strip() == "", f"tshark found malformed frames:\n{malformed.stdout}"
