"""Compare the answer backends on the dev questions: `python -m benchmarks.llm_backends [--backends none local:0.5b local:1.5b]`.

For each backend: must_include recall, share of answer sentences supported by their citation (as the
model cited them, and after repair), abstention accuracy, median time to first piece and to the full
answer, and decoding speed in tokens per second. The report is indexed once into a temporary folder;
the LLM weights come from REPORTQA_CACHE (assembled there on first use).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.callbacks import BaseCallbackHandler

from reportqa.answer import Answer, Assistant
from reportqa.answering.citations import CitationChecker, split_claims
from reportqa.config import Settings
from reportqa.evaluation import EvalQuestion, contains, load_questions
from reportqa.index import build_index
from reportqa.answering.generative import GenerativeAnswerer, _tidy

REPO = Path(__file__).resolve().parent.parent
DEV_QUESTIONS = REPO.parent / "shared" / "eval" / "seed_dev_qa.jsonl"


class ModelCalls(BaseCallbackHandler):
    """Counts how often the chat model runs (it must not when the evidence is weak)."""

    def __init__(self):
        self.count = 0

    def on_chat_model_start(self, serialized, messages, **kwargs) -> None:
        self.count += 1


@dataclass
class Tally:
    """What one backend did over the questions."""

    backend: str
    facts: int = 0
    facts_found: int = 0
    sentences: int = 0
    supported_as_cited: int = 0
    supported_after_repair: int = 0
    abstentions_right: int = 0
    questions: int = 0
    first_piece_s: list[float] = field(default_factory=list)
    full_answer_s: list[float] = field(default_factory=list)
    tokens: int = 0
    decoding_s: float = 0.0

    def row(self) -> list[str]:
        def median(values):
            return f"{statistics.median(values):.1f}" if values else "–"

        speed = f"{self.tokens / self.decoding_s:.1f}" if self.decoding_s > 0 else "–"
        return [
            self.backend,
            f"{self.facts_found / self.facts:.2f}" if self.facts else "–",
            f"{self.supported_as_cited / self.sentences:.2f}" if self.sentences else "–",
            f"{self.supported_after_repair / self.sentences:.2f}" if self.sentences else "–",
            f"{self.abstentions_right}/{self.questions}",
            median(self.first_piece_s),
            median(self.full_answer_s),
            speed,
        ]


HEADER = [
    "backend", "must_include recall", "sentences supported as cited", "after repair",
    "abstention accuracy", "median first piece (s)", "median full answer (s)", "tokens/s",
]


def run_backend(name: str, settings: Settings, questions: list[EvalQuestion], *, verbose: bool) -> Tally:
    """Ask every question with one backend (`none`, `local:<size>`), models loaded beforehand."""
    llm, _, size = name.partition(":")
    assistant = Assistant(settings.replace(llm=llm, llm_size=size or settings.llm_size))
    backend = assistant.backend
    assistant.retriever.retrieve(questions[0].question)  # load the index and the embedding model
    chat_model = getattr(backend, "chat_model", None)
    count_tokens = getattr(chat_model, "get_num_tokens", None)
    if count_tokens:
        count_tokens("warm up")  # load the weights before timing
    checker = backend.checker if isinstance(backend, GenerativeAnswerer) else CitationChecker(
        assistant.retriever.embeddings
    )
    calls = ModelCalls()
    if chat_model is not None:
        chat_model.callbacks = [calls]
    tally = Tally(name)
    for question in questions:
        calls.count = 0
        started = time.perf_counter()
        first = last = None
        pieces = []
        result: Answer | None = None
        for piece in assistant.stream(question.question):
            if isinstance(piece, str):
                last = time.perf_counter()
                first = first or last
                pieces.append(piece)
            else:
                result = piece
        finished = time.perf_counter()
        tally.questions += 1
        tally.abstentions_right += result.abstained != question.answerable
        if question.answerable:
            tally.facts += len(question.must_include)
            tally.facts_found += sum(contains(result.text, variants) for variants in question.must_include)
        model_ran = calls.count > 0
        if not result.abstained:
            _count_support(tally, result, "".join(pieces), checker, generated=isinstance(backend, GenerativeAnswerer))
        if model_ran or not isinstance(backend, GenerativeAnswerer):
            tally.first_piece_s.append(first - started)
            tally.full_answer_s.append(finished - started)
        if model_ran and count_tokens:
            tally.tokens += count_tokens("".join(pieces))
            tally.decoding_s += last - first  # the citation check after the last token is not decoding
        if verbose:
            raw = "".join(pieces)
            print(f"  {name} {question.id} {finished - started:5.1f}s {result.text[:120]!r}"
                  + (f" (model wrote {raw[:120]!r})" if raw != result.text else ""), flush=True)
            print("  so far: | " + " | ".join(tally.row()) + " |", flush=True)
    return tally


def _count_support(tally: Tally, result: Answer, raw: str, checker: CitationChecker, *, generated: bool) -> None:
    """Add the answer's sentences and how many their citations support, before and after repair."""
    if generated:
        verdicts = result.sentences
        cited_by_model = [claim.markers for claim in split_claims(_tidy(raw))]
    else:
        verdicts = checker.check(result.text, [passage.text for passage in result.passages]).sentences
        cited_by_model = [claim.markers for claim in split_claims(result.text)]
    if len(cited_by_model) != len(verdicts):
        cited_by_model = [()] * len(verdicts)
    for verdict, original in zip(verdicts, cited_by_model):
        tally.sentences += 1
        tally.supported_after_repair += verdict.supported
        tally.supported_as_cited += verdict.supported and set(verdict.markers) <= set(original)


def markdown_table(rows: list[list[str]]) -> str:
    """Rows as a Markdown table under HEADER."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Index the report once, run each backend over the questions, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.llm_backends", description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["none", "local:0.5b", "local:1.5b"],
                        help="none, local:<0.5b|1.5b> or openai (settings from the environment)")
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS, help="question file (../shared/eval format)")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every answer")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    questions = load_questions(arguments.questions)[: arguments.limit]
    with tempfile.TemporaryDirectory(prefix="reportqa-llm-bench-") as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(REPO / "corpus", corpus)
        settings = Settings.from_env().replace(corpus_dir=corpus, index_dir=Path(scratch) / "index", chroma_host="")
        build_index(settings)
        rows = []
        for name in arguments.backends:
            print(f"running {name} on {len(questions)} questions", flush=True)
            rows.append(run_backend(name, settings, questions, verbose=arguments.verbose).row())
    load = os.getloadavg()[0]
    print(f"\n{len(questions)} questions, {os.cpu_count()} CPU cores, load average at the end {load:.1f}\n")
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
