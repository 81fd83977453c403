"""Answers with citations: the result types, the backends' contract and `answer()`."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Iterator, Protocol, Sequence

from .config import Settings
from .retrieval import Passage, Retriever, clean_question

log = logging.getLogger(__name__)

NOT_FOUND_ZH = "文档中没有找到这个问题的答案。"
NOT_FOUND_EN = "The documents do not contain the answer to this question."


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: the passage behind marker `[n]`."""

    marker: int
    id: str
    source: str
    section: str
    text: str
    start: int
    end: int
    quote: str = ""  # the sentence of the passage that supports the answer


@dataclass(frozen=True)
class SentenceSupport:
    """A sentence of an answer, the markers it ends up citing, and whether they support it."""

    text: str
    markers: tuple[int, ...]
    supported: bool
    score: float  # support by the best cited passage, 0..1


@dataclass(frozen=True)
class Answer:
    """An answer whose `[n]` markers refer to `citations`; `abstained` when the documents lack it."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    abstained: bool = False
    backend: str = "none"
    passages: tuple[Passage, ...] = field(default=(), repr=False)
    # For generated answers: each sentence and whether the passage it cites supports it.
    sentences: tuple[SentenceSupport, ...] = ()


class AnswerBackend(Protocol):
    """Turns a question and its retrieved passages into an Answer."""

    name: str

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer: ...


def not_found(question: str, backend: str, passages: Sequence[Passage] = ()) -> Answer:
    """The fixed reply for a question the documents do not answer, in the question's language."""
    text = NOT_FOUND_ZH if is_chinese(question) else NOT_FOUND_EN
    return Answer(question, text, (), True, backend, tuple(passages))


def is_chinese(text: str) -> bool:
    """Whether the text is mostly written in Chinese characters."""
    han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    latin = sum(1 for char in text if char.isascii() and char.isalpha())
    return han > 0 and han * 2 >= latin


class Assistant:
    """Retrieval plus an answer backend, loaded once and reused for many questions."""

    def __init__(self, settings: Settings, *, retriever: Retriever | None = None, backend: AnswerBackend | None = None):
        from .backends import make_backend

        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.backend = backend or make_backend(settings, self.retriever)

    def answer(self, question: str, *, history: Sequence[tuple[str, str]] = (), k: int | None = None) -> Answer:
        """Answer a question (a follow-up is first made standalone with the history)."""
        question = clean_question(question)
        standalone = self.backend.rewrite(question, history) if history else question
        passages = self.retriever.retrieve(standalone, k=k or self.settings.top_k)
        return self.backend.answer(standalone, passages)

    def stream(self, question: str, *, history: Sequence[tuple[str, str]] = (), k: int | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are produced, then the final Answer."""
        question = clean_question(question)
        standalone = self.backend.rewrite(question, history) if history else question
        passages = self.retriever.retrieve(standalone, k=k or self.settings.top_k)
        streamer = getattr(self.backend, "stream", None)
        if streamer is None:
            result = self.backend.answer(standalone, passages)
            yield result.text
            yield result
            return
        yield from streamer(standalone, passages)


@functools.lru_cache(maxsize=4)
def default_assistant(settings: Settings) -> Assistant:
    """The Assistant for these settings, created once per process."""
    return Assistant(settings)


def answer(question: str, *, history: Sequence[tuple[str, str]] = (), settings: Settings | None = None) -> Answer:
    """Answer a question from the indexed documents, with citations.

    Args:
        question: the question, in Chinese or English.
        history: earlier (question, answer) pairs of the conversation, oldest first.
        settings: defaults to `Settings.from_env()`.
    Returns:
        An Answer; `abstained` is true when the documents do not hold the answer.
    """
    return default_assistant(settings or Settings.from_env()).answer(question, history=history)
