"""`answer()` and the Assistant: retrieval plus an answer backend. The result types live in `answering.types`."""

from __future__ import annotations

import functools
import logging
from typing import Iterator, Sequence

from .config import Settings
from .answering.types import (
    NOT_FOUND_EN, NOT_FOUND_ZH, Answer, AnswerBackend, Citation, SentenceSupport, is_chinese, not_found,
)
from .retrieval import Retriever, clean_question
from .scope import within

log = logging.getLogger(__name__)

__all__ = [
    "NOT_FOUND_EN", "NOT_FOUND_ZH", "Answer", "AnswerBackend", "Assistant", "Citation", "SentenceSupport",
    "answer", "default_assistant", "default_retriever", "is_chinese", "not_found",
]


class Assistant:
    """Retrieval plus an answer backend, loaded once and reused for many questions."""

    def __init__(self, settings: Settings, *, retriever: Retriever | None = None, backend: AnswerBackend | None = None):
        from .answering.backends import make_backend

        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.backend = backend or make_backend(settings, self.retriever)

    def answer(self, question: str, *, history: Sequence[tuple[str, str]] = (), k: int | None = None,
               documents: Sequence[str] | None = None) -> Answer:
        """Answer a question (a follow-up is first made standalone with the history), from `documents` only
        when given (names, as `reportqa.scope.match_documents` reads them)."""
        question = clean_question(question)
        with within(self.retriever.match_documents(documents)):
            standalone = self.backend.rewrite(question, history) if history else question
            passages = self.retriever.retrieve(standalone, k=k or self.settings.top_k)
            return self.backend.answer(standalone, passages)

    def stream(self, question: str, *, history: Sequence[tuple[str, str]] = (), k: int | None = None,
               documents: Sequence[str] | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are produced, then the final Answer (from `documents` only when given)."""
        question = clean_question(question)
        scope = self.retriever.match_documents(documents)
        with within(scope):
            standalone = self.backend.rewrite(question, history) if history else question
            passages = self.retriever.retrieve(standalone, k=k or self.settings.top_k)
        streamer = getattr(self.backend, "stream", None)
        if streamer is None:
            with within(scope):
                result = self.backend.answer(standalone, passages)
            yield result.text
            yield result
            return
        pieces = iter(streamer(standalone, passages))
        try:
            while True:
                # The scope is set around each step only: a server may run each step in another thread.
                with within(scope):
                    piece = next(pieces, None)
                if piece is None:
                    return
                yield piece
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:  # a generator: let it release what it holds (a local model's lock)
                close()


@functools.lru_cache(maxsize=4)
def default_retriever(settings: Settings) -> Retriever:
    """The Retriever for these settings, created once per process; it loads no answer backend."""
    return Retriever(settings)


@functools.lru_cache(maxsize=4)
def default_assistant(settings: Settings) -> Assistant:
    """The Assistant for these settings, created once per process."""
    return Assistant(settings, retriever=default_retriever(settings))


def answer(question: str, *, history: Sequence[tuple[str, str]] = (), documents: Sequence[str] | None = None,
           settings: Settings | None = None) -> Answer:
    """Answer a question from the indexed documents, with citations.

    Args:
        question: the question, in Chinese or English.
        history: earlier (question, answer) pairs of the conversation, oldest first.
        documents: answer from these documents only: each a path in the corpus folder, a file name, or a
            file name without its extension (UnknownDocumentError when one matches no document). None: all.
        settings: defaults to `Settings.from_env()`.
    Returns:
        An Answer; `abstained` is true when the documents do not hold the answer.
    """
    return default_assistant(settings or Settings.from_env()).answer(question, history=history, documents=documents)
