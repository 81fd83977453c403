"""Cold questions: extractive answers in a fresh process, with the sentence vectors stored at index time and without.

`python -m benchmarks.run --only cold` (or `python -m benchmarks.cold run [--contexts N]`) indexes the
report and the first N CMRC 2018 dev contexts, then for each corpus starts a new process that asks
every question once (`ask --llm none`, the first time it is asked: nothing is warm but the first
question's model load, which is reported apart), twice: with the sentence vectors the index stores
(reportqa.sentvectors) and with their file moved away, where the answerer embeds the sentences of the
retrieved passages at question time as it did before they were stored. Each child reports ask p50/p95,
how many passage texts it embedded, and the store's hit rate.

What storing them adds to indexing is measured apart, on a sample built with the real model: the time
spent in the store step (embedding the sentences and writing them) against the whole build, and the
store's size against the index folder's.

Chunk vectors for the cold corpora come from the benchmark embedding cache (as in benchmarks.quality),
and so do the sentence vectors of a rerun; the questions are embedded live by the configured model.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportqa.config import Settings

REPO = Path(__file__).resolve().parent.parent
CONTEXTS = 139  # the CMRC sample of issue 11 (~500 chunks)
MAX_QUESTIONS = 200
SCALE_QUESTIONS = 100
COST_SAMPLE_CONTEXTS = 24  # CMRC contexts indexed with the real model to measure the store's cost


def run_cold(repo: Path, cmrc_dir: Path, settings: Settings, embeddings, *, contexts: int = CONTEXTS,
             scale_sizes: tuple[int, ...] = (), say=print) -> dict:
    """Index cost of the stored sentence vectors, then cold ask latency with and without them, per corpus
    (and on synthetic corpora of `scale_sizes` chunks, as in benchmarks.scale)."""
    from reportqa.embeddings import load_embeddings
    from reportqa.index import build_index

    from .peers import write_corpus
    from .quality import cmrc_dataset, report_dataset

    report_documents, report_questions = report_dataset(repo, repo.parent / "shared")
    cmrc_documents, cmrc_questions = cmrc_dataset(cmrc_dir, contexts=contexts)
    results: dict = {"how": (__doc__ or "").split("\n\n")[1].replace("\n", " "), "load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="reportqa-cold-") as scratch:
        scratch = Path(scratch)
        model = load_embeddings(settings)
        say("[cold] index cost of the sentence vectors (real model)")
        results["index_cost"] = [
            index_cost("report", report_documents, model, scratch / "cost-report", settings),
            index_cost(f"cmrc2018-dev {COST_SAMPLE_CONTEXTS} contexts", cmrc_documents[:COST_SAMPLE_CONTEXTS], model,
                       scratch / "cost-cmrc", settings),
        ]
        results["corpora"] = []
        for name, documents, questions in (("report", report_documents, report_questions),
                                           (f"cmrc2018-dev {len(cmrc_documents)} contexts", cmrc_documents, cmrc_questions)):
            say(f"[cold] {name}: indexing {len(documents)} documents")
            corpus_settings = _settings(scratch / name.split()[0], settings)
            write_corpus(documents, corpus_settings.corpus_dir)
            report = build_index(corpus_settings, embeddings=embeddings)
            question_file = scratch / f"{name.split()[0]}-questions.json"
            texts = list(dict.fromkeys(q.question for q in questions))[:MAX_QUESTIONS]
            question_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
            row = {"corpus": name, "documents": len(documents), "chunks": report.chunks_added,
                   "sentences_stored": report.sentences_embedded, "questions": len(texts)}
            say(f"[cold] {name}: asking {len(texts)} questions in a fresh process, sentence vectors stored")
            row["stored"] = _child(corpus_settings, question_file)
            store_files = list(corpus_settings.index_dir.glob("sentence-vectors-*"))
            aside = scratch / "aside"
            aside.mkdir(exist_ok=True)
            for path in store_files:
                shutil.move(str(path), aside / path.name)
            say(f"[cold] {name}: the same without them (embedded at question time, as before)")
            row["embedded_at_question_time"] = _child(corpus_settings, question_file)
            for path in store_files:
                shutil.move(str(aside / path.name), path)
            results["corpora"].append(row)
            say(f"[cold] {name}: ask p50 {row['stored']['ask_p50_ms']} ms (stored) vs "
                f"{row['embedded_at_question_time']['ask_p50_ms']} ms (embedded at question time)")
        for size in scale_sizes:
            results["corpora"].append(scale_cold(cmrc_dir, settings, embeddings, size, scratch / f"scale-{size}", say))
    results["load_average_end"] = os.getloadavg()
    return results


def scale_cold(cmrc_dir: Path, settings: Settings, embeddings, size: int, root: Path, say=print) -> dict:
    """The cold questions on a synthetic corpus of `size` chunks (benchmarks.scale: copies of the CMRC contexts,
    vectors of the cached CMRC chunks plus noise; sentences borrow such vectors). Only the latency is meaningful."""
    from reportqa.index import build_index

    from .quality import cmrc_dataset
    from .scale import PerturbedEmbeddings, base_vectors, synthetic_documents

    documents, questions = cmrc_dataset(cmrc_dir)
    perturbed = PerturbedEmbeddings(base_vectors(documents, settings, embeddings))
    corpus_settings = _settings(root, settings)
    synthetic = synthetic_documents(documents, size, settings)
    for document in synthetic:
        path = corpus_settings.corpus_dir / document.source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document.text, encoding="utf-8")
    name = f"synthetic {size} chunks"
    say(f"[cold] {name}: indexing {len(synthetic)} documents (perturbed vectors)")
    report = build_index(corpus_settings, embeddings=perturbed)
    question_file = root / "questions.json"
    texts = list(dict.fromkeys(q.question for q in questions))[:SCALE_QUESTIONS]
    question_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    row = {"corpus": name, "documents": len(synthetic), "chunks": report.chunks_added,
           "sentences_stored": report.sentences_embedded, "questions": len(texts),
           "build_seconds_without_embedding": round(report.seconds, 1),
           "store_mb": round(sum(p.stat().st_size for p in corpus_settings.index_dir.glob("sentence-vectors-*")) / 1e6, 1),
           "index_mb": round(sum(p.stat().st_size for p in corpus_settings.index_dir.rglob("*") if p.is_file()) / 1e6, 1)}
    say(f"[cold] {name}: asking {len(texts)} questions in a fresh process, sentence vectors stored")
    row["stored"] = _child(corpus_settings, question_file)
    store_files = list(corpus_settings.index_dir.glob("sentence-vectors-*"))
    for path in store_files:
        path.rename(root / path.name)
    say(f"[cold] {name}: the same without them")
    row["embedded_at_question_time"] = _child(corpus_settings, question_file)
    say(f"[cold] {name}: ask p50 {row['stored']['ask_p50_ms']} ms (stored) vs "
        f"{row['embedded_at_question_time']['ask_p50_ms']} ms (embedded at question time)")
    return row


def index_cost(name: str, documents, model, root: Path, settings: Settings) -> dict:
    """build_index with the real model, timing the sentence store step inside it."""
    from reportqa.index import build_index
    from reportqa.sentvectors import SentenceVectors

    from .peers import write_corpus

    build_settings = _settings(root, settings)
    write_corpus(documents, build_settings.corpus_dir)
    spent = [0.0]
    original = SentenceVectors.store_version

    def timed(self, *arguments, **options):
        started = time.perf_counter()
        try:
            return original(self, *arguments, **options)
        finally:
            spent[0] += time.perf_counter() - started

    SentenceVectors.store_version = timed
    try:
        model.embed_documents(["预热"])  # weights loaded before timing
        report = build_index(build_settings, embeddings=model)
    finally:
        SentenceVectors.store_version = original
    store_bytes = sum(path.stat().st_size for path in build_settings.index_dir.glob("sentence-vectors-*"))
    index_bytes = sum(path.stat().st_size for path in build_settings.index_dir.rglob("*") if path.is_file())
    return {"corpus": name, "documents": len(documents), "chunks": report.chunks_added,
            "sentences_embedded": report.sentences_embedded, "build_seconds": round(report.seconds, 2),
            "sentence_store_seconds": round(spent[0], 2),
            "build_seconds_without_sentences": round(report.seconds - spent[0], 2),
            "store_mb": round(store_bytes / 1e6, 2), "index_mb": round(index_bytes / 1e6, 2),
            "index_mb_without_sentences": round((index_bytes - store_bytes) / 1e6, 2)}


def _child(settings: Settings, question_file: Path) -> dict:
    command = [sys.executable, "-m", "benchmarks.cold", "ask", str(settings.corpus_dir), str(settings.index_dir),
               str(question_file)]
    environment = {**os.environ, "REPORTQA_CACHE": str(settings.model_cache_dir)}
    output = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def ask_cold(corpus_dir: Path, index_dir: Path, question_file: Path) -> dict:
    """In a fresh process: each question asked once, extractive; the first (model load, index open) apart."""
    from reportqa.answer import Assistant
    from reportqa.embeddings import load_embeddings
    from reportqa.evaluation import percentile
    from reportqa.retrieval import Retriever

    started = time.perf_counter()
    settings = Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir, llm="none")
    model = load_embeddings(settings)

    class Counting:
        """The configured model, counting the passage texts embedded at question time and timing both kinds."""

        passages = 0
        seconds = {"query": 0.0, "passages": 0.0}

        def embed_documents(self, texts):
            Counting.passages += len(texts)
            started = time.perf_counter()
            try:
                return model.embed_documents(texts)
            finally:
                Counting.seconds["passages"] += time.perf_counter() - started

        def embed_query(self, text):
            started = time.perf_counter()
            try:
                return model.embed_query(text)
            finally:
                Counting.seconds["query"] += time.perf_counter() - started

    assistant = Assistant(settings, retriever=Retriever(settings, embeddings=Counting()))
    questions = json.loads(question_file.read_text(encoding="utf-8"))
    assistant.answer(questions[0])
    first_seconds = time.perf_counter() - started
    times, without_question, passages_ms, abstained = [], [], [], 0
    for question in questions[1:]:
        before = dict(Counting.seconds)
        begun = time.perf_counter()
        answer = assistant.answer(question)
        times.append((time.perf_counter() - begun) * 1000)
        without_question.append(times[-1] - (Counting.seconds["query"] - before["query"]) * 1000)
        passages_ms.append((Counting.seconds["passages"] - before["passages"]) * 1000)
        abstained += answer.abstained
    store = assistant.backend.scorer.stored_vectors
    return {"first_question_seconds": round(first_seconds, 2), "asked": len(times),
            "ask_p50_ms": percentile(times, 50), "ask_p95_ms": percentile(times, 95),
            "ask_mean_ms": round(sum(times) / len(times), 1),
            # the same without embedding the question (one short text, the same with or without the store)
            "ask_without_question_embedding_p50_ms": percentile(without_question, 50),
            "ask_without_question_embedding_p95_ms": percentile(without_question, 95),
            "question_embedding_mean_ms": round(sum(t - w for t, w in zip(times, without_question)) / len(times), 1),
            "passage_embedding_p95_ms": percentile(passages_ms, 95), "abstained": abstained,
            "passage_texts_embedded": Counting.passages, "store_lookups": store.lookups, "store_hits": store.hits,
            "hit_rate": round(store.hits / store.lookups, 4) if store.lookups else None,
            "load_average": os.getloadavg()}


def cold_section(results: dict) -> str | None:
    """The "Cold questions" section of docs/benchmarks.md, from results["cold"]."""
    data = results.get("cold")
    if not data:
        return None
    lines = ["### Cold questions (sentence vectors stored at index time)", "", data["how"], "",
             "| corpus | chunks | questions | ask p50 / p95 ms: stored | embedded at question time "
             "| p50 / p95 ms without the question's own embedding: stored | embedded at question time "
             "| passage texts embedded while asking: stored | embedded | store hit rate | first question s |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in data["corpora"]:
        stored, before = row["stored"], row["embedded_at_question_time"]
        lines.append(f"| {row['corpus']} | {row['chunks']} | {stored['asked']} "
                     f"| **{stored['ask_p50_ms']} / {stored['ask_p95_ms']}** | {before['ask_p50_ms']} / {before['ask_p95_ms']} "
                     f"| **{stored['ask_without_question_embedding_p50_ms']} / {stored['ask_without_question_embedding_p95_ms']}** "
                     f"| {before['ask_without_question_embedding_p50_ms']} / {before['ask_without_question_embedding_p95_ms']} "
                     f"| {stored['passage_texts_embedded']} | {before['passage_texts_embedded']} | {stored['hit_rate']} "
                     f"| {stored['first_question_seconds']} / {before['first_question_seconds']} |")
    for row in data.get("quiet_reruns", []):
        stored, before = row["stored"], row["embedded_at_question_time"]
        lines.append(f"| {row['corpus']}, quiet machine (load {stored['load_average'][0]:.1f}) | {row['chunks']} "
                     f"| {stored['asked']} | **{stored['ask_p50_ms']} / {stored['ask_p95_ms']}** "
                     f"| {before['ask_p50_ms']} / {before['ask_p95_ms']} "
                     f"| **{stored['ask_without_question_embedding_p50_ms']} / {stored['ask_without_question_embedding_p95_ms']}** "
                     f"| {before['ask_without_question_embedding_p50_ms']} / {before['ask_without_question_embedding_p95_ms']} "
                     f"| {stored['passage_texts_embedded']} | {before['passage_texts_embedded']} | {stored['hit_rate']} "
                     f"| {stored['first_question_seconds']} / {before['first_question_seconds']} |")
    lines += ["", "What storing them adds to indexing (real model, same build):", "",
              "| corpus | chunks | sentences embedded | build s | of which sentence store s | index MB | of which store MB |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in data["index_cost"]:
        lines.append(f"| {row['corpus']} | {row['chunks']} | {row['sentences_embedded']} | {row['build_seconds']} | "
                     f"{row['sentence_store_seconds']} | {row['index_mb']} | {row['store_mb']} |")
    if data.get("notes"):
        lines += ["", data["notes"]]
    start, end = data["load_average_start"], data["load_average_end"]
    lines += ["", f"Load average (1/5/15 min) {start[0]:.2f}/{start[1]:.2f}/{start[2]:.2f} at the start and "
              f"{end[0]:.2f}/{end[1]:.2f}/{end[2]:.2f} at the end, on 2 cores shared with other work."]
    return "\n".join(lines)


def _settings(root: Path, settings: Settings) -> Settings:
    return Settings(corpus_dir=root / "corpus", index_dir=root / "index", llm="none",
                    model_cache_dir=settings.model_cache_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cold", description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="(child) ask each question of QUESTION_FILE once in this fresh process")
    ask.add_argument("corpus_dir", type=Path)
    ask.add_argument("index_dir", type=Path)
    ask.add_argument("question_file", type=Path)
    run = commands.add_parser("run", help="run the benchmark and print its results as JSON")
    run.add_argument("--contexts", type=int, default=CONTEXTS, help=f"CMRC contexts (default {CONTEXTS})")
    run.add_argument("--cmrc-dir", type=Path, default=REPO.parent / "shared" / "benchmarks" / "cmrc2018")
    run.add_argument("--scale", type=int, nargs="*", default=[], help="also synthetic corpora of these chunk counts")
    run.add_argument("--scale-only", action="store_true", help="only the synthetic corpora")
    arguments = parser.parse_args(argv)
    if arguments.command == "ask":
        print(json.dumps(ask_cold(arguments.corpus_dir, arguments.index_dir, arguments.question_file)))
        return 0
    from .run import cached_embeddings

    settings = Settings.from_env()
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    if arguments.scale_only:
        with tempfile.TemporaryDirectory(prefix="reportqa-cold-") as scratch:
            results = {"corpora": [scale_cold(arguments.cmrc_dir, settings, cached_embeddings(settings), size,
                                              Path(scratch) / str(size), say) for size in arguments.scale]}
    else:
        results = run_cold(REPO, arguments.cmrc_dir, settings, cached_embeddings(settings), contexts=arguments.contexts,
                           scale_sizes=tuple(arguments.scale), say=say)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
