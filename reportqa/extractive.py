"""The offline default answer backend: the few sentences of the passages that best answer the question."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .answer import Answer, Citation, is_chinese, not_found
from .chunking import split_sentences
from .config import Settings
from .retrieval import Passage, Retriever, tokenize

MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 260
KEEP_RATIO = 0.85  # a further sentence must score at least this share of the best one
MIN_GAIN = 0.15  # ...and answer a further share of the question's (IDF-weighted) words
# e5 cosine similarities crowd into a narrow band; this maps it onto 0..1. Across languages
# (an English question over Chinese text) the band sits lower and word overlap says little.
DENSE_BAND = (0.75, 0.92)
CROSS_LINGUAL_DENSE_BAND = (0.68, 0.82)
_BULLET = re.compile(r"^[-*•·]\s*")
# A follow-up leans on the previous question: it opens with "and/what about", ends in 呢, or
# points back with a pronoun. A short question that names its subject stands on its own.
_FOLLOW_UP = re.compile(
    r"^(那|那么|还有|而|另外|它|他们|她们|其|and\b|what about\b|how about\b|and what\b)"
    r"|呢[？?]?\s*$"
    r"|(它|它们|他们|她们|其中|这家|那家|该公司|这个|那个)"
    r"|\b(it|its|they|them|their|that one|this one)\b",
    re.IGNORECASE,
)
VERY_SHORT = 5  # "为什么？", "多少钱？": too short to name a subject


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a retrieved passage with how well it answers the question."""

    passage_rank: int
    text: str
    lexical: float
    dense: float
    score: float
    covered: frozenset[str]
    weights: tuple[tuple[str, float], ...] = ()

    def gain(self, already_covered: set[str]) -> float:
        """The share of the question's weight this sentence answers beyond what is covered."""
        return sum(weight for token, weight in self.weights if token not in already_covered)


class ExtractiveAnswerer:
    """Answers with the passages' own sentences; abstains when none matches well enough."""

    name = "none"

    def __init__(self, settings: Settings, retriever: Retriever):
        self.settings = settings
        self.retriever = retriever
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """Make a short follow-up standalone by prefixing the previous question."""
        if not history:
            return question
        previous = history[-1][0]
        if len(question.strip(" ？?。.!！")) <= VERY_SHORT or _FOLLOW_UP.search(question):
            return f"{previous} {question}"
        return question

    def score_sentences(self, question: str, passages: Sequence[Passage]) -> list[ScoredSentence]:
        """Every sentence of the passages, scored by IDF-weighted word overlap and embedding similarity."""
        question_tokens = set(tokenize(question))
        idf = self._idf(question_tokens)
        total_weight = sum(idf.values()) or 1.0
        cross_lingual = not is_chinese(question) and any(is_chinese(p.text) for p in passages)
        floor, ceiling = CROSS_LINGUAL_DENSE_BAND if cross_lingual else DENSE_BAND
        query = np.asarray(self.retriever.query_vector(question), dtype=np.float32)
        candidates = []
        for rank, passage in enumerate(passages):
            for start, end in split_sentences(passage.text):
                text = _BULLET.sub("", passage.text[start:end]).strip()
                if len(text) >= 4:
                    candidates.append((rank, passage, text))
        vectors = self._vectors([text for _, _, text in candidates])
        scored = []
        for (rank, passage, text), vector in zip(candidates, vectors):
            covered = question_tokens & set(tokenize(f"{passage.section} {text}"))
            lexical = sum(idf[token] for token in covered) / total_weight
            dense = float(np.dot(query, vector))
            dense_scaled = min(1.0, max(0.0, (dense - floor) / (ceiling - floor)))
            score = (dense_scaled if cross_lingual else 0.5 * lexical + 0.5 * dense_scaled) - 0.01 * rank
            weights = tuple((token, idf[token] / total_weight) for token in sorted(covered))
            scored.append(ScoredSentence(rank, text, lexical, dense, score, frozenset(covered), weights))
        return sorted(scored, key=lambda sentence: -sentence.score)

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The best one to three sentences with `[n]` markers, or the not-found reply."""
        scored = self.score_sentences(question, passages) if passages else []
        if not scored or scored[0].score < self.settings.abstain_threshold:
            return not_found(question, self.name, passages)
        chosen = [scored[0]]
        covered = set(scored[0].covered)
        length = len(scored[0].text)
        for sentence in scored[1:]:
            if len(chosen) == MAX_SENTENCES or sentence.score < KEEP_RATIO * scored[0].score:
                break
            if length + len(sentence.text) > MAX_ANSWER_CHARS or sentence.gain(covered) < MIN_GAIN:
                continue
            chosen.append(sentence)
            covered |= sentence.covered
            length += len(sentence.text)
        markers: dict[int, int] = {}
        pieces = []
        for sentence in chosen:
            marker = markers.setdefault(sentence.passage_rank, len(markers) + 1)
            pieces.append(f"{sentence.text}[{marker}]")
        citations = tuple(
            _citation(marker, passages[rank], [s.text for s in chosen if s.passage_rank == rank])
            for rank, marker in markers.items()
        )
        return Answer(question, " ".join(pieces), citations, False, self.name, tuple(passages))

    def _idf(self, tokens: set[str]) -> dict[str, float]:
        """IDF of each question word in the index; a word the documents never use weighs the most."""
        bm25 = self.retriever.snapshot().bm25
        known = bm25.idf if bm25 is not None else {}
        unseen = max(known.values(), default=1.0) if known else 1.0
        unseen = max(unseen, math.log(2.0))
        return {token: max(known.get(token, unseen), 0.05) for token in tokens}

    def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._sentence_vectors]
        if missing:
            vectors = self.retriever.embeddings.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, vectors):
                    self._sentence_vectors[text] = np.asarray(vector, dtype=np.float32)
        return [self._sentence_vectors[text] for text in texts]


def _citation(marker: int, passage: Passage, quotes: list[str]) -> Citation:
    return Citation(
        marker, passage.id, passage.source, passage.section, passage.text, passage.start, passage.end, " ".join(quotes)
    )
