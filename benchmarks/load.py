"""Load on the running app: `python -m benchmarks.load [--clients 8] [--seconds 60]`.

Starts `python app.py` on 127.0.0.1 over a temporary copy of the report plus extra documents,
drives its HTTP API (/ask and /retrieve) from concurrent gradio_client clients while
`python app.py index` re-indexes changed documents in another process, and prints the
throughput, latency percentiles, errors and wrong answers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
REPORT_CORPUS = REPO / "corpus"
REPORT = "xiaomi-baic-cooperation-report.txt"
EXTRA_DOCUMENTS = 24
CHANGED_DOCUMENTS = range(0, EXTRA_DOCUMENTS, 2)  # the re-index rewrites every other extra document

# (question, text the answer must contain, section it must cite) for facts no re-index touches.
REPORT_QUESTIONS = (
    ("时代北汽的总投资是多少？", "10 亿元", "动力电池深度绑定"),
    ("电池工厂的年产能规划是多少？", "20GWh", "动力电池深度绑定"),
    ("小米SU7是通过哪家公司完成工信部申报的？", "北汽越野车有限公司", "资质与产能的互补"),
    ("北京市要求车企供应链本地化率不低于多少？", "50%", "供应链本地化需求"),
)


def extra_document(number: int, version: int) -> str:
    """A short project note whose budget code names its version, so a reader can tell old from new."""
    return (
        f"一、项目{number}概况\n项目{number}由合作工作组第{number}小组负责，预算编号为 P{number}-V{version}。\n"
        f"二、项目{number}进度\n项目{number}的里程碑按季度复核，负责人每月提交进度说明。\n"
    )


def write_corpus(corpus: Path, version: int) -> None:
    """The report plus the extra documents, the changed ones at `version` (the others stay at 0)."""
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPORT_CORPUS / REPORT, corpus / REPORT)
    for number in range(EXTRA_DOCUMENTS):
        text = extra_document(number, version if number in CHANGED_DOCUMENTS else 0)
        (corpus / f"project{number:02d}.txt").write_text(text, encoding="utf-8")


@dataclass
class LoadResult:
    """What the clients saw: one latency per request, and every error or wrong answer."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    finished_at: list[float] = field(default_factory=list)  # seconds from the start, per answered request
    started_at: list[float] = field(default_factory=list)  # likewise, when it was sent
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    @property
    def throughput(self) -> float:
        """Completed requests per second over all clients."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The latency below which `share` of the requests finished, in seconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def answered_between(self, start: float, end: float) -> int:
        """How many requests were answered between these offsets from the start."""
        return sum(start <= moment <= end for moment in self.finished_at)

    def overlapping(self, start: float, end: float) -> list[float]:
        """The latencies of the requests that were open at some moment between these offsets from the start."""
        return [latency for latency, sent, done in zip(self.latencies, self.started_at, self.finished_at)
                if sent <= end and done >= start]

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f}s: {self.throughput:.2f} requests/s, "
            f"latency p50 {self.percentile(0.5):.2f}s, p95 {self.percentile(0.95):.2f}s, "
            f"max {max(self.latencies, default=0):.2f}s; {len(self.errors)} errors, {len(self.wrong)} wrong answers"
        )


def app_environment(corpus: Path, index: Path) -> dict[str, str]:
    """The environment of the app and indexer processes: extractive answers, the given folders."""
    unset = ("CHROMA_HOST", "REPORTQA_HOST", "REPORTQA_AUTH", "REPORTQA_AUTH_FILE")  # the caller picks these
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(REPORTQA_CORPUS=str(corpus), REPORTQA_INDEX=str(index), REPORTQA_LLM="none", HF_HUB_OFFLINE="1")
    return environment


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(corpus: Path, index: Path, log: Path, *, options: tuple[str, ...] = (), timeout: float = 300.0) -> Iterator[str]:
    """Run `python app.py [options]` on a free port until the block ends; yields its 127.0.0.1 URL."""
    import httpx

    port = free_port()
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "app.py", *options, "--port", str(port)], cwd=REPO, env=app_environment(corpus, index),
            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=2.0).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app is not up after {timeout}s:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def reindex(corpus: Path, index: Path) -> subprocess.CompletedProcess:
    """`python app.py index` in its own process, as an operator would run it."""
    return subprocess.run(
        [sys.executable, "app.py", "index"], cwd=REPO, env=app_environment(corpus, index),
        capture_output=True, text=True, timeout=900,
    )


def check_ask(result: dict, fact: str, section: str) -> str | None:
    """Why an /ask result is wrong, or None when it states the fact and cites the report's section."""
    if fact not in result["answer"]:
        return f"answer lacks {fact!r}: {result['answer'][:120]!r}"
    if not any(c["source"] == REPORT and section in c["section"] for c in result["citations"]):
        return f"no citation of {REPORT} › …{section}…: {result['citations']}"
    return None


def check_retrieve(result: dict, number: int, versions: tuple[int, ...], *, may_be_gone: bool = False) -> str | None:
    """Why a /retrieve result is wrong, or None when it finds the project's note in one whole version
    (or, for a note the re-index deletes, `may_be_gone`, finds it in no version at all: its new state)."""
    source = f"project{number:02d}.txt"
    top = [p for p in result["passages"] if p["source"] == source]
    if not top:
        return None if may_be_gone else f"{source} not among the passages for project {number}"
    found = {v for v in versions if any(f"P{number}-V{v}" in p["text"] for p in top)}
    if not found and any("预算编号" in p["text"] for p in top):
        return f"{source}: a version other than {versions}: {[p['text'] for p in top]}"
    return None


def drive(
    url: str,
    *,
    clients: int,
    seconds: float,
    changed_versions: tuple[int, ...] = (0,),
    removed: int | None = None,
    removal_started: Callable[[], bool] = lambda: True,
    keep_going: Callable[[], bool] = lambda: False,
    max_seconds: float = 600.0,
) -> LoadResult:
    """Send /ask and /retrieve requests from `clients` threads for `seconds`, longer while keep_going() (up to max_seconds)."""
    from gradio_client import Client

    result = LoadResult()
    lock = threading.Lock()
    started = time.monotonic()

    def client_loop(client_number: int) -> None:
        client = Client(url, verbose=False)
        try:
            ask_until_done(client, client_number)
        finally:
            client.close()

    def ask_until_done(client, client_number: int) -> None:
        turn = client_number
        while (time.monotonic() - started < seconds or keep_going()) and time.monotonic() - started < max_seconds:
            turn += 1
            begun = time.perf_counter()
            try:
                if turn % 4:
                    question, fact, section = REPORT_QUESTIONS[turn % len(REPORT_QUESTIONS)]
                    problem = check_ask(client.predict(question, 3, api_name="/ask"), fact, section)
                else:
                    number = (turn // 4) % EXTRA_DOCUMENTS
                    versions = changed_versions if number in CHANGED_DOCUMENTS else (0,)
                    gone_ok = number == removed and removal_started()  # its removal had begun when asked
                    passages = client.predict(f"项目{number}的预算编号是什么？", 5, api_name="/retrieve")
                    problem = check_retrieve(passages, number, versions, may_be_gone=gone_ok)
            except Exception as exc:  # every failure counts, whatever its kind
                with lock:
                    result.errors.append(f"{exc.__class__.__name__}: {str(exc)[:200]}")
                continue
            elapsed = time.perf_counter() - begun
            with lock:
                result.latencies.append(elapsed)
                result.finished_at.append(time.monotonic() - started)
                result.started_at.append(result.finished_at[-1] - elapsed)
                if problem:
                    result.wrong.append(problem)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


@dataclass
class LoadRun:
    """A load run with a re-index in the middle of it."""

    load: LoadResult
    reindex: subprocess.CompletedProcess
    reindex_started: float
    reindex_seconds: float
    seconds_to_see_it: float | None  # from the end of the re-index until the app served the new version


def load_during_reindex(folder: Path, *, clients: int, seconds: float, reindex_after: float = 5.0) -> LoadRun:
    """Index the corpus, serve it, then drive the API while another process re-indexes changed documents."""
    corpus, index = folder / "corpus", folder / "index"
    write_corpus(corpus, version=0)
    first = reindex(corpus, index)
    if first.returncode != 0:
        raise RuntimeError(f"indexing failed: {first.stderr}")
    outcome: dict = {}
    done = threading.Event()

    def reindex_later(started: float) -> None:
        time.sleep(reindex_after)
        write_corpus(corpus, version=1)
        (corpus / f"project{EXTRA_DOCUMENTS - 1:02d}.txt").unlink()  # and one document is removed
        outcome["started"] = time.monotonic() - started
        outcome["process"] = reindex(corpus, index)
        outcome["seconds"] = time.monotonic() - started - outcome["started"]
        done.set()

    with running_app(corpus, index, folder / "app.log") as url:
        from gradio_client import Client

        client = Client(url, verbose=False)
        client.predict(REPORT_QUESTIONS[0][0], 3, api_name="/ask")  # load the models once
        started = time.monotonic()
        worker = threading.Thread(target=reindex_later, args=(started,))
        worker.start()
        # Keep the load on until the re-index is over and the app has had time to see it.
        load = drive(url, clients=clients, seconds=seconds, changed_versions=(0, 1), removed=EXTRA_DOCUMENTS - 1,
                     removal_started=lambda: "started" in outcome, keep_going=lambda: not done.is_set())
        worker.join()
        seen = seconds_until_new_version(client)
        client.close()
    return LoadRun(load, outcome["process"], outcome["started"], outcome["seconds"], seen)


def seconds_until_new_version(client, *, timeout: float = 15.0) -> float | None:
    """How long until /retrieve shows a changed document's new version and not the removed one; None if never."""
    removed = f"project{EXTRA_DOCUMENTS - 1:02d}.txt"
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        changed = client.predict("项目0的预算编号是什么？", 5, api_name="/retrieve")["passages"]
        gone = client.predict(f"项目{EXTRA_DOCUMENTS - 1}的预算编号是什么？", 5, api_name="/retrieve")["passages"]
        if any("P0-V1" in p["text"] for p in changed) and all(p["source"] != removed for p in gone):
            return time.monotonic() - started
        time.sleep(0.25)
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the load benchmark and print its numbers."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to drive the API at least (default 60)")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reportqa-load-") as scratch:
        run = load_during_reindex(Path(scratch), clients=arguments.clients, seconds=arguments.seconds)
    print(f"{arguments.clients} clients on 127.0.0.1, extractive answers, {os.cpu_count()} CPU cores")
    print(f"re-index in another process from {run.reindex_started:.1f}s for {run.reindex_seconds:.1f}s: "
          f"{run.reindex.stdout.strip()}")
    print(run.load.summary())
    during = sorted(run.load.overlapping(run.reindex_started, run.reindex_started + run.reindex_seconds))
    if during:
        print(f"during the re-index: {len(during)} requests, latency p50 {during[len(during) // 2]:.2f}s, "
              f"p95 {during[min(len(during) - 1, int(0.95 * len(during)))]:.2f}s, max {during[-1]:.2f}s")
    if run.seconds_to_see_it is None:
        print("the app did not serve the new version after the re-index")
    else:
        print(f"the app served the new version {run.seconds_to_see_it:.1f}s after the re-index ended")
    for problem in (run.load.errors + run.load.wrong)[:10]:
        print("  ", problem)
    passed = not (run.load.errors or run.load.wrong) and run.reindex.returncode == 0
    return 0 if passed and run.seconds_to_see_it is not None else 1


if __name__ == "__main__":
    sys.exit(main())
