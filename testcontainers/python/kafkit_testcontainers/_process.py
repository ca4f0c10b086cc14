"""A child process whose ready line the parent waits for (private to kafkit_testcontainers).

stdout and stderr are drained by threads so a chatty child never blocks on a full pipe;
waiting for the ready line uses a condition with a deadline, never a sleep.
"""

import os
import subprocess
import threading
import time

_STDERR_KEPT = 256 * 1024
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child before exec: SIGKILL it when the test process dies, so a crashed test
    leaves no broker behind (Linux only; elsewhere this does nothing)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass


class ClusterError(Exception):
    """A cluster that cannot start, a refused control request, or a lost control socket."""


class ChildProcess:
    """Runs `argv` with stdin from /dev/null and its output captured."""

    def __init__(self, argv):
        binary = argv[0]
        if not os.access(binary, os.X_OK):
            raise ClusterError(f"cannot run {binary}: not an executable file")
        self.argv = list(argv)
        self._changed = threading.Condition()
        self._lines = []
        self._stdout_closed = False
        self._stderr = bytearray()
        self._stderr_closed = False
        self.popen = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, close_fds=True, preexec_fn=_die_with_parent)
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _read_stdout(self):
        for raw in self.popen.stdout:
            with self._changed:
                self._lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
                self._changed.notify_all()
        with self._changed:
            self._stdout_closed = True
            self._changed.notify_all()

    def _read_stderr(self):
        while True:
            chunk = self.popen.stderr.read1(65536)
            if not chunk:
                break
            with self._changed:
                self._stderr += chunk
                del self._stderr[:-_STDERR_KEPT]
        with self._changed:
            self._stderr_closed = True
            self._changed.notify_all()

    @property
    def stderr(self):
        """What the child wrote to stderr (the last 256 KiB), as text."""
        with self._changed:
            return self._stderr.decode("utf-8", "replace")

    def wait_for_line(self, prefix, timeout):
        """Returns the first stdout line starting with `prefix`; ClusterError when the child
        exits first (with its stderr) or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self._lines:
                    if line.startswith(prefix):
                        return line
                if self._stdout_closed:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ClusterError(
                        f"{self.argv[0]}: no '{prefix}' line within {timeout} s; "
                        f"stderr so far: {self._stderr.decode('utf-8', 'replace')}")
                self._changed.wait(left)
            # Gone before ready: let its stderr arrive whole before quoting it.
            self._changed.wait_for(lambda: self._stderr_closed, timeout=2)
        status = self.popen.wait(timeout=5)
        raise ClusterError(f"{self.argv[0]} exited (status {status}) before printing '{prefix}'; "
                           f"its stderr: {self.stderr}")

    def running(self):
        return self.popen.poll() is None

    def signal(self, sig):
        if self.running():
            self.popen.send_signal(sig)

    def wait(self, timeout):
        """The exit status (negative: the signal that ended it); ClusterError on timeout."""
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ClusterError(f"{self.argv[0]} did not exit within {timeout} s; "
                               f"its stderr: {self.stderr}") from None

    def kill(self):
        """SIGKILL and reap; never raises."""
        if self.running():
            self.popen.kill()
        self.popen.wait()
        for t in self._threads:
            t.join(timeout=5)
        self.popen.stdout.close()
        self.popen.stderr.close()
