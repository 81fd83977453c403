"""Scoring the pipeline on a question file: retrieval hits, answer facts, citations, abstention, latency.

Two file formats are read, one JSON object a line:
- report questions (`../shared/eval/`): `question`, `evidence`, `must_include`, `answerable`;
- CMRC 2018 (`../shared/benchmarks/cmrc2018/qa.jsonl`): `question`, `answers`, `context_id`.
A passage hits when, after NFKC, lower-casing and removing whitespace, it contains an
evidence string (CMRC: an answer string) and, for CMRC, comes from the question's own context.
"""

from __future__ import annotations

import json
import logging
import re
import statistics
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .errors import ReportQAError

log = logging.getLogger(__name__)

RANK_DEPTH = 10  # passages retrieved per question for hit@k and MRR@10
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EvalQuestion:
    """A question with what a good passage and a good answer must contain."""

    id: str
    question: str
    evidence: tuple[str, ...]  # a passage containing one of these holds the answer
    must_include: tuple[tuple[str, ...], ...]  # facts of a correct answer, each as acceptable variants
    answerable: bool = True
    context_id: str | None = None  # CMRC: the document the evidence must come from
    section: str = ""  # the section path of the evidence, headings shortened to their lead words
    kind: str = ""  # analyst files: list, why, describe, how, summary, fact, ...-en, unanswerable...


@dataclass(frozen=True)
class QuestionResult:
    """How the pipeline did on one question; answer fields are None when only retrieval was run."""

    question: EvalQuestion
    rank: int | None  # 1-based rank of the first hitting passage among RANK_DEPTH, None if none
    chars_before_hit: int | None  # characters of retrieved text a reader goes through before the evidence
    retrieve_ms: float
    answer: str | None = None
    abstained: bool | None = None
    facts_found: int = 0
    citation_hit: bool | None = None
    ask_ms: float | None = None
    error: str | None = None

    def problems(self) -> list[str]:
        """What went wrong, in words; empty when nothing did."""
        if self.error:
            return [f"error: {self.error}"]
        found = []
        if self.question.answerable:
            if self.rank is None:
                found.append(f"no hit in the top {RANK_DEPTH} passages")
            elif self.rank > 5:
                found.append(f"first hit at rank {self.rank}")
            if self.abstained:
                found.append("abstained on an answerable question")
            elif self.answer is not None:
                missing = [group[0] for group in self.question.must_include if not contains(self.answer, group)]
                if missing:
                    found.append("answer lacks " + ", ".join(missing))
                if self.citation_hit is False:
                    found.append("no citation holds the evidence")
        elif self.abstained is False:
            found.append("answered a question the documents do not answer")
        return found


@dataclass(frozen=True)
class EvalReport:
    """The measures over a question file; None where a measure does not apply or was not run."""

    questions: int
    answerable: int
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    mrr_at_10: float | None
    median_chars_before_hit: float | None
    must_include_recall: float | None
    citation_hit_rate: float | None
    abstention_accuracy: float | None
    median_answer_chars: float | None
    retrieve_p50_ms: float | None
    retrieve_p95_ms: float | None
    ask_p50_ms: float | None
    ask_p95_ms: float | None
    errors: int
    results: tuple[QuestionResult, ...]

    def failures(self) -> list[QuestionResult]:
        """The questions where something went wrong."""
        return [result for result in self.results if result.problems()]

    def metrics(self) -> dict[str, float | int | None]:
        """The measures alone, for JSON and tables."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "results"}


def normalize(text: str) -> str:
    """NFKC, lower case, no whitespace: the form in which evidence and answers are compared."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def contains(text: str, needles: Iterable[str]) -> bool:
    """Whether text contains one of the needles, after normalisation."""
    haystack = normalize(text)
    return any(normalize(needle) and normalize(needle) in haystack for needle in needles)


def question_records(path: Path) -> Iterator[tuple[int, dict | None]]:
    """(line number, record) for each non-blank line of a JSONL question file; the record is None
    when the line is not a JSON object with a "question" string."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportQAError(f"Cannot read question file {path}: {exc}. Give a UTF-8 JSONL file.") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        valid = isinstance(record, dict) and isinstance(record.get("question"), str)
        yield number, record if valid else None


def load_questions(path: Path) -> list[EvalQuestion]:
    """The questions of a JSONL file in the report format or the CMRC format."""
    questions = []
    for number, record in question_records(path):
        if record is None:
            raise ReportQAError(f"{path}:{number} is not a JSON object with a \"question\" string.")
        questions.append(_question(record, f"{Path(path).stem}-{number}"))
    if not questions:
        raise ReportQAError(f"{path} holds no questions. Give a JSONL file, one question object a line.")
    return questions


def _question(record: dict, default_id: str) -> EvalQuestion:
    question_id = str(record.get("id") or default_id)
    if "answers" in record:  # CMRC: any gold answer is both the evidence and the fact to state
        answers = tuple(str(answer) for answer in record["answers"] if str(answer).strip())
        return EvalQuestion(question_id, record["question"], answers, (answers,) if answers else (), bool(answers),
                            record.get("context_id"))
    groups = tuple((item,) if isinstance(item, str) else tuple(item) for item in record.get("must_include", []))
    return EvalQuestion(question_id, record["question"], tuple(record.get("evidence", [])), groups,
                        bool(record.get("answerable", True)), section=str(record.get("section", "")),
                        kind=str(record.get("kind", "")))


def passage_hits(question: EvalQuestion, text: str, source: str) -> bool:
    """Whether a passage holds the question's evidence (and, for CMRC, comes from its context)."""
    if question.context_id is not None and question.context_id not in (source, Path(source).stem):
        return False
    return contains(text, question.evidence)


def rank_of_hit(question: EvalQuestion, passages: Sequence) -> tuple[int | None, int | None]:
    """(1-based rank of the first passage that hits, characters of the passages before it)."""
    read = 0
    for rank, passage in enumerate(passages[:RANK_DEPTH], 1):
        if passage_hits(question, passage.text, passage.source):
            return rank, read
        read += len(passage.text)
    return None, None


def evaluate(
    questions: Sequence[EvalQuestion], assistant, *, answer: bool = True, progress: Callable[[int, int], None] | None = None
) -> EvalReport:
    """Run retrieval (and answering, unless `answer=False`) on every question and score the results.

    Args:
        questions: from `load_questions`.
        assistant: an `Assistant` (its retriever ranks, its backend answers).
        answer: also ask each question, for the answer measures and the `ask` latency.
        progress: called with (done, total) after each question.
    Returns:
        An EvalReport; each question's result is in `results`.
    """
    # Load the model and the index first: the first user question of a running app does not pay for them.
    assistant.retriever.snapshot()
    assistant.retriever.embeddings.embed_query("warm-up")
    results = []
    for done, question in enumerate(questions, 1):
        results.append(evaluate_question(question, assistant, answer=answer))
        if progress:
            progress(done, len(questions))
    return summarize(results)


def evaluate_question(question: EvalQuestion, assistant, *, answer: bool = True) -> QuestionResult:
    """Score one question; a ReportQAError is recorded as the result's error."""
    retriever = assistant.retriever
    try:
        ask_ms = reply = None
        if answer:
            # Asked first, so the ask time includes embedding the question as a user's would.
            started = time.perf_counter()
            reply = assistant.answer(question.question)
            ask_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        embed_ms = 0.0
        if answer:  # the retriever reuses the question's vector from the ask: add the embedding cost back
            retriever.embeddings.embed_query(question.question)
            embed_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
        passages = retriever.retrieve(question.question, k=RANK_DEPTH)
        retrieve_ms = embed_ms + (time.perf_counter() - started) * 1000
    except ReportQAError as exc:
        return QuestionResult(question, None, None, 0.0, error=str(exc))
    rank, chars_before = rank_of_hit(question, passages)
    if reply is None:
        return QuestionResult(question, rank, chars_before, retrieve_ms)
    facts = sum(1 for group in question.must_include if contains(reply.text, group))
    citation_hit = None
    if question.answerable and question.evidence and not reply.abstained:
        citation_hit = any(passage_hits(question, c.text, c.source) for c in reply.citations)
    return QuestionResult(question, rank, chars_before, retrieve_ms, reply.text, reply.abstained, facts, citation_hit, ask_ms)


def summarize(results: Sequence[QuestionResult]) -> EvalReport:
    """The measures over per-question results."""
    scored = [r for r in results if r.error is None]
    ranked = [r for r in scored if r.question.answerable and r.question.evidence]
    asked = [r for r in scored if r.answer is not None]
    with_facts = [r for r in asked if r.question.answerable and r.question.must_include]
    cited = [r for r in asked if r.question.answerable and r.question.evidence]

    def share(items: list, test: Callable) -> float | None:
        return round(sum(1 for item in items if test(item)) / len(items), 4) if items else None

    fact_total = sum(len(r.question.must_include) for r in with_facts)
    hit_chars = [r.chars_before_hit for r in ranked if r.chars_before_hit is not None]
    return EvalReport(
        questions=len(results),
        answerable=sum(1 for r in results if r.question.answerable),
        hit_at_1=share(ranked, lambda r: r.rank is not None and r.rank <= 1),
        hit_at_3=share(ranked, lambda r: r.rank is not None and r.rank <= 3),
        hit_at_5=share(ranked, lambda r: r.rank is not None and r.rank <= 5),
        mrr_at_10=round(sum(1 / r.rank for r in ranked if r.rank) / len(ranked), 4) if ranked else None,
        median_chars_before_hit=statistics.median(hit_chars) if hit_chars else None,
        # An abstention on an answerable question states none of its facts.
        must_include_recall=round(sum(0 if r.abstained else r.facts_found for r in with_facts) / fact_total, 4)
        if fact_total else None,
        # An abstention cites nothing, so it counts as a miss on an answerable question.
        citation_hit_rate=share(cited, lambda r: bool(r.citation_hit)),
        abstention_accuracy=share(asked, lambda r: r.abstained == (not r.question.answerable)),
        median_answer_chars=statistics.median(len(r.answer) for r in asked) if asked else None,
        retrieve_p50_ms=percentile([r.retrieve_ms for r in scored], 50),
        retrieve_p95_ms=percentile([r.retrieve_ms for r in scored], 95),
        ask_p50_ms=percentile([r.ask_ms for r in asked if r.ask_ms is not None], 50),
        ask_p95_ms=percentile([r.ask_ms for r in asked if r.ask_ms is not None], 95),
        errors=len(results) - len(scored),
        results=tuple(results),
    )


def percentile(values: Sequence[float], percent: float) -> float | None:
    """The nearest-rank percentile of values, rounded to 0.1; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = max(0, min(len(ordered) - 1, -(-len(ordered) * percent // 100) - 1))
    return round(ordered[int(position)], 1)


def write_contexts(contexts_path: Path, corpus_dir: Path) -> int:
    """Write each context of a CMRC `contexts.jsonl` as `<context_id>.txt` (title, then text); returns the count."""
    try:
        lines = Path(contexts_path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportQAError(f"Cannot read contexts file {contexts_path}: {exc}. Give a UTF-8 JSONL file.") from None
    corpus_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            context_id, text = str(record["context_id"]), str(record["text"])
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ReportQAError(
                f"{contexts_path}:{number} is not a JSON object with \"context_id\" and \"text\"."
            ) from None
        (corpus_dir / f"{context_id}.txt").write_text(context_document(record.get("title"), text), encoding="utf-8")
        written += 1
    return written


def context_document(title: str | None, text: str) -> str:
    """A CMRC context as a document: its title as the heading line, then the paragraph."""
    return f"{title.strip()}\n{text}" if title and title.strip() else text


def format_report(report: EvalReport, *, max_failures: int = 50) -> str:
    """The measures and the failures as text for people."""

    def show(value, unit: str = "") -> str:
        return "n/a" if value is None else f"{value:.3f}{unit}" if isinstance(value, float) and not unit else f"{value}{unit}"

    lines = [
        f"questions: {report.questions} ({report.answerable} answerable, {report.errors} errors)",
        f"retrieval: hit@1 {show(report.hit_at_1)}  hit@3 {show(report.hit_at_3)}  hit@5 {show(report.hit_at_5)}  "
        f"MRR@10 {show(report.mrr_at_10)}  median chars before the evidence {show(report.median_chars_before_hit)}",
        f"answers: must_include recall {show(report.must_include_recall)}  citation hit rate {show(report.citation_hit_rate)}  "
        f"abstention accuracy {show(report.abstention_accuracy)}  median length {show(report.median_answer_chars, ' chars')}",
        f"latency: retrieve p50 {show(report.retrieve_p50_ms, ' ms')} p95 {show(report.retrieve_p95_ms, ' ms')}  "
        f"ask p50 {show(report.ask_p50_ms, ' ms')} p95 {show(report.ask_p95_ms, ' ms')}",
    ]
    kinds = by_kind(report)
    if len(kinds) > 1:
        lines.append("by kind (must_include recall / citation hit / abstention accuracy):")
        for kind, part in kinds.items():
            lines.append(f"  {kind:<16} {part.questions:>3} questions  {show(part.must_include_recall)} / "
                         f"{show(part.citation_hit_rate)} / {show(part.abstention_accuracy)}")
    failures = report.failures()
    lines.append(f"\nfailures: {len(failures)}")
    for result in failures[:max_failures]:
        lines.append(f"- {result.question.id} {result.question.question}")
        lines.append(f"    {'; '.join(result.problems())}")
        if result.answer is not None:
            lines.append(f"    answer: {result.answer[:160]}")
    if len(failures) > max_failures:
        lines.append(f"... and {len(failures) - max_failures} more (all are in --json)")
    return "\n".join(lines)


def by_kind(report: EvalReport) -> dict[str, EvalReport]:
    """The report's measures per question kind (the `kind` field; "" when a file has none)."""
    groups: dict[str, list[QuestionResult]] = {}
    for result in report.results:
        groups.setdefault(result.question.kind, []).append(result)
    return {kind: summarize(results) for kind, results in sorted(groups.items())}


def report_json(report: EvalReport) -> dict:
    """The measures and every failure as a JSON-ready dict."""
    kinds = by_kind(report)
    return {
        "metrics": report.metrics(),
        "by_kind": {kind: part.metrics() for kind, part in kinds.items()} if len(kinds) > 1 else {},
        "failures": [
            {"id": r.question.id, "question": r.question.question, "problems": r.problems(), "rank": r.rank,
             "answer": r.answer, "abstained": r.abstained}
            for r in report.failures()
        ],
    }
