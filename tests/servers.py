"""Real servers for tests: a `chroma run` subprocess on a free 127.0.0.1 port."""

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
def chroma_server(folder: Path):
    """Run `chroma run` storing under folder; yields (host, port) and stops the server after."""
    executable = shutil.which("chroma")
    assert executable, "the `chroma` command comes with the chromadb package; install requirements.txt"
    port = free_port()
    log = folder / "chroma.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [executable, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder / "data")],
            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v2/heartbeat", process, log)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
