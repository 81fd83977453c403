"""Real servers for tests: subprocesses on free 127.0.0.1 ports, stopped when the test is done."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Poll url until it answers 200; fail with the server's log if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server not up after {timeout}s:\n{log.read_text(errors='replace')[-2000:]}")


@contextlib.contextmanager
def serving(command: list[str], log: Path, ready_url: str, *, timeout: float = 60.0, **popen):
    """Run command (its output to log) until ready_url answers 200; stop it after the block."""
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **popen)
    try:
        wait_until_up(ready_url, process, log, timeout)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def chroma_server(folder: Path):
    """Run `chroma run` storing under folder; yields (host, port) and stops the server after."""
    executable = shutil.which("chroma")
    assert executable, "the `chroma` command comes with the chromadb package; install requirements.txt"
    port = free_port()
    command = [executable, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder / "data")]
    with serving(command, folder / "chroma.log", f"http://127.0.0.1:{port}/api/v2/heartbeat"):
        yield "127.0.0.1", port
