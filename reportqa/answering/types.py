"""The answers' result types and the backends' contract: a leaf that imports nothing of the answerers."""

from __future__ import annotations

import dataclasses

from dataclasses import dataclass, field
from typing import Iterator, Protocol, Sequence

from ..lexical import is_chinese  # noqa: F401  (re-exported: the answerers use it from here)
from ..retrieval import Passage

NOT_FOUND_ZH = "文档中没有找到这个问题的答案。"
NOT_FOUND_EN = "The documents do not contain the answer to this question."
TENTATIVE_ZH = "文档可能没有直接回答这个问题，最相关的原文如下："
TENTATIVE_EN = "The documents may not answer this directly; the closest passages say:"


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
    # Names and figures of the sentence that no passage holds (such a sentence is dropped).
    missing_entities: tuple[str, ...] = ()


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
    intent: str = "fact"  # what kind of answer the question asked for (see answering.intent)
    # Answered although the evidence is weak: the text opens with a caution (answering.abstention).
    tentative: bool = False


class AnswerBackend(Protocol):
    """Turns a question and its retrieved passages into an Answer."""

    name: str

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer: ...

    def rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str: ...

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]: ...


def cautioned(answer: Answer, question: str) -> Answer:
    """The answer under the caution, in the asker's language, that the documents may not answer directly."""
    caution = TENTATIVE_ZH if is_chinese(question) else TENTATIVE_EN
    return dataclasses.replace(answer, text=f"{caution}\n{answer.text}", tentative=True)


def not_found(question: str, backend: str, passages: Sequence[Passage] = (), *, intent: str = "fact") -> Answer:
    """The fixed reply for a question the documents do not answer, in the question's language."""
    text = NOT_FOUND_ZH if is_chinese(question) else NOT_FOUND_EN
    return Answer(question, text, (), True, backend, tuple(passages), intent=intent)


