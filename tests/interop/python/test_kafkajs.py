"""kafkajs (a JavaScript client with its own protocol code) against kafkit-broker: a
producer, and a consumer group of two members that splits the partitions."""

import json
import os
import shutil
import subprocess

import pytest

JS_DIR = os.path.join(os.path.dirname(__file__), "..", "js")


def run_node(script, *args):
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "kafkajs")):
        pytest.fail("kafkajs is not installed: run scripts/setup-debian.sh (npm ci in tests/interop/js)")
    result = subprocess.run(["node", os.path.join(JS_DIR, script), *args], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_kafkajs_producer_and_two_member_group(cluster, topic, group):
    summary = run_node("produce_consume.js", cluster.bootstrap_servers, topic, group, "300")
    assert summary["produced"] == 300
    assert summary["consumed"] == 300
    assert summary["duplicates"] == 0
    assert summary["mismatches"] == 0
    assert summary["out_of_order"] == 0
    # Both members got partitions and consumed from them.
    assert all(n > 0 for n in summary["per_member"].values())
    assert len(summary["per_member"]) == 2
