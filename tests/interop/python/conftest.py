"""Shared fixtures for the interop suites: real Kafka clients against kafkit-broker.

Each module gets its own broker cluster (three nodes, three partitions per auto-created
topic), started through the testcontainers module on ephemeral ports; each test uses
fresh topic and group names so tests never see each other's data.
"""

import itertools
import os
import time
import uuid

import pytest

from kafkit_testcontainers import ReferenceCluster

_names = itertools.count()


def unique(prefix):
    """A topic or group name no other test uses."""
    return f"{prefix}-{next(_names)}-{uuid.uuid4().hex[:8]}"


def wait_until(predicate, timeout=30.0, interval=0.05, what="condition"):
    """Polls predicate until it returns a truthy value; fails the test at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@pytest.fixture(scope="module")
def cluster():
    with ReferenceCluster(brokers=3, args=("--partitions", "3")) as c:
        yield c


@pytest.fixture
def topic():
    return unique("topic")


@pytest.fixture
def group():
    return unique("group")


def tool_timeout():
    """Upper bound for one external tool run (seconds)."""
    return float(os.environ.get("KAFKIT_INTEROP_TOOL_TIMEOUT", "60"))
