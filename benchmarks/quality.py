"""Retrieval and answer quality of every pipeline on the report's questions and on CMRC 2018 dev."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from reportqa.config import Settings
from reportqa.evaluation import (
    RANK_DEPTH, EvalQuestion, QuestionResult, evaluate_question, load_questions, rank_of_hit, summarize,
)
from reportqa.loaders import Document, list_documents, load_document

from .peers import Chatchat, LangChainTutorial, OurPipeline, RankerOnly, write_corpus

log = logging.getLogger(__name__)


def report_dataset(repo: Path, shared: Path) -> tuple[list[Document], list[EvalQuestion]]:
    """The bundled report, with the shared dev questions and our extra (English, unanswerable) ones."""
    corpus = repo / "corpus"
    documents = [load_document(path, corpus) for path in list_documents(corpus)]
    questions = load_questions(shared / "eval" / "seed_dev_qa.jsonl") + load_questions(repo / "tests" / "data" / "extra_qa.jsonl")
    return documents, questions


def cmrc_dataset(cmrc_dir: Path, *, contexts: int | None = None) -> tuple[list[Document], list[EvalQuestion]]:
    """All 848 CMRC dev contexts as documents (`<context_id>.txt`) and all 3,219 questions, or the first `contexts`."""
    from reportqa.evaluation import write_contexts

    with tempfile.TemporaryDirectory() as scratch:
        write_contexts(cmrc_dir / "contexts.jsonl", Path(scratch))
        documents = [load_document(path, Path(scratch)) for path in list_documents(Path(scratch))]
    documents = documents[:contexts] if contexts else documents
    kept = {Path(document.source).stem for document in documents}
    return documents, [q for q in load_questions(cmrc_dir / "qa.jsonl") if q.context_id in kept]


def run_quality(name: str, documents, questions, embeddings, *, ask_every: int = 1, say=print) -> dict:
    """Rank every question with every pipeline; ask with ours (every `ask_every`-th question)."""
    with tempfile.TemporaryDirectory(prefix="reportqa-bench-") as scratch:
        settings = Settings(corpus_dir=Path(scratch) / "corpus", index_dir=Path(scratch) / "index", llm="none",
                            model_cache_dir=Path(scratch) / "cache")
        write_corpus(documents, settings.corpus_dir)
        say(f"[{name}] building our index over {len(documents)} documents")
        started = time.perf_counter()
        ours = OurPipeline(settings, embeddings)
        say(f"[{name}] {ours.chunks} chunks in {time.perf_counter() - started:.0f}s; embedding {len(questions)} questions")
        embeddings.embed_queries([q.question for q in questions])
        pipelines = [ours, RankerOnly(ours, "lexical"), RankerOnly(ours, "dense")]
        for peer in (LangChainTutorial, Chatchat):
            started = time.perf_counter()
            pipelines.append(peer(documents, embeddings))
            say(f"[{name}] {pipelines[-1].name}: {pipelines[-1].chunks} chunks in {time.perf_counter() - started:.0f}s")
        rows = []
        for pipeline in pipelines:
            results = []
            right_context = 0  # CMRC: the first passage comes from the question's own paragraph
            for question in questions:
                started = time.perf_counter()
                passages = pipeline.rank(question.question, RANK_DEPTH)
                elapsed = (time.perf_counter() - started) * 1000
                rank, chars_before = rank_of_hit(question, passages)
                results.append(QuestionResult(question, rank, chars_before, elapsed))
                right_context += bool(passages) and Path(passages[0].source).stem == question.context_id
            report = summarize(results)
            with_context = sum(1 for q in questions if q.context_id)
            rows.append({"pipeline": pipeline.name, "chunks": pipeline.chunks, "mean_chunk_chars": _mean_chars(pipeline),
                         **_retrieval_metrics(report),
                         "context_hit_at_1": round(right_context / with_context, 4) if with_context else None})
            say(f"[{name}] {pipeline.name}: hit@1 {report.hit_at_1} hit@5 {report.hit_at_5} MRR@10 {report.mrr_at_10}")
        asked = questions[::ask_every]
        say(f"[{name}] asking {len(asked)} questions with our extractive answerer")
        answers = summarize([evaluate_question(q, ours.assistant) for q in asked])
        failures = [{"id": r.question.id, "question": r.question.question, "problems": r.problems(), "answer": r.answer}
                    for r in answers.failures()]
    return {"dataset": name, "documents": len(documents), "questions": len(questions), "pipelines": rows,
            "answers": {k: v for k, v in answers.metrics().items() if "ms" not in k}, "asked": len(asked),
            "answer_failures": failures[:40], "answer_failure_count": len(failures)}


def _retrieval_metrics(report) -> dict:
    keys = ("hit_at_1", "hit_at_3", "hit_at_5", "mrr_at_10", "median_chars_before_hit")
    return {key: getattr(report, key) for key in keys}


def _mean_chars(pipeline) -> float | None:
    if hasattr(pipeline, "texts"):
        texts = pipeline.texts
    elif hasattr(pipeline, "store"):
        texts = pipeline.store.get(include=["documents"])["documents"]
    else:
        texts = [chunk.text for chunk in pipeline.retriever.snapshot().chunks.values()]
    return round(sum(map(len, texts)) / len(texts), 1) if texts else None
