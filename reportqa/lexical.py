"""Lexical search: jieba tokens, each chunk's terms as the index stores them, and Okapi BM25 over postings.

Tokenising every chunk with jieba takes about a millisecond a chunk (~100 s at 100k chunks), so it is
done once, when a chunk is indexed: its distinct terms in order of first occurrence and how often each
occurs are stored in the chunk's metadata (`TERMS`, `TERM_COUNTS`, `TERMS_VERSION`). Opening an index
reads them back; a chunk stored without them (an index built before they were kept, or by another
tokenizer version) is tokenised again. `Bm25` scores exactly as rank_bm25's `BM25Okapi` over the same
tokens (same k1, b and epsilon, same idf floor, bit-identical floats), a token at a time over postings.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from .tables import rows_stated

STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 为 对 把 被 有 哪 哪些 哪家 哪几家 什么 多少 怎样 怎么 如何 几 吗 呢 吧 啊 "
    "分别 通过 一个 这 那 其 之 而 也 都 就 还 又 从 到 于 the a an of to in on for is are was were what "
    "which who how many much does do did and or with by".split()
)
TOKEN_CHARS = re.compile(r"\w", re.UNICODE)

# Chunk metadata fields. Change TERMS_RULES whenever tokenize() would split any text differently: chunks
# stored under another version are then tokenised again when an index is opened, and on the next index run.
TERMS = "bm25_terms"
TERM_COUNTS = "bm25_counts"
TERMS_VERSION = "bm25_version"
TERMS_RULES = 3
# A fiscal year written as one word ("FY2024", "fy24") is its year, as in "2024财年" and "the year 2024".
_FISCAL_YEAR = re.compile(r"^fy((?:19|20)?\d\d)$")

# rank_bm25.BM25Okapi's defaults, which the ranking was tuned with.
K1, B, EPSILON = 1.5, 0.75, 0.25


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba words for Chinese, lower-cased words for other scripts, no stopwords."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    normalized = unicodedata.normalize("NFKC", text).lower()
    tokens = []
    for word in jieba.lcut_for_search(normalized):
        token = word.strip()
        if not token or token in STOPWORDS or not TOKEN_CHARS.search(token):
            continue
        fiscal = _FISCAL_YEAR.match(token)
        if fiscal:
            tokens.append(fiscal.group(1) if len(fiscal.group(1)) == 4 else "20" + fiscal.group(1))
        else:
            tokens.append(token)
    return tokens


def load_tokenizer() -> None:
    """Load jieba's dictionary now (a second or so), not in the first request that tokenises a question."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def terms_version() -> str:
    """What the stored terms were made with: the rules above and the jieba release (its dictionary)."""
    import jieba

    return f"{TERMS_RULES}/jieba-{jieba.__version__}"


def searchable_text(section: str, text: str) -> str:
    """What BM25 matches a chunk by: its section path, then its text."""
    return f"{section}\n{rows_stated(text)}"


def chunk_terms(section: str, text: str) -> tuple[str, str]:
    """(terms, counts) of a chunk as stored: its distinct tokens in order of first occurrence, and how
    often each occurs, each joined by spaces (a token never holds whitespace: jieba splits on it)."""
    counts: dict[str, int] = {}
    for token in tokenize(searchable_text(section, text)):
        counts[token] = counts.get(token, 0) + 1
    return " ".join(counts), " ".join(map(str, counts.values()))


def terms_metadata(terms: tuple[str, str]) -> dict[str, str]:
    """The chunk metadata fields that store its (terms, counts) from `chunk_terms`."""
    return {TERMS: terms[0], TERM_COUNTS: terms[1], TERMS_VERSION: terms_version()}


def stored_terms(metadata: dict) -> tuple[str, str] | None:
    """A chunk's (terms, counts) from its metadata; None when it has none of this tokenizer version."""
    terms, counts = metadata.get(TERMS), metadata.get(TERM_COUNTS)
    if terms is None or counts is None or metadata.get(TERMS_VERSION) != terms_version():
        return None
    return terms, counts


class Vocabulary:
    """Terms numbered in the order first seen; shared by the snapshots one reader builds, one build at a time.

    A number is never reused: once the dead terms (of document versions no longer committed) outnumber the
    live ones, the reader numbers the live ones afresh in a new Vocabulary (reportqa.snapshot).
    """

    def __init__(self, tokens: Iterable[str] = ()):
        self.tokens: list[str] = list(tokens)
        self.numbers: dict[str, int] = {token: number for number, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def number_terms(self, terms: str, into: array) -> int:
        """Append the numbers of space-joined terms to `into` (adding new terms); returns how many."""
        if not terms:
            return 0
        split = terms.split(" ")
        numbers = list(map(self.numbers.get, split))
        if None in numbers:  # a map over C builtins above; the loop only for terms not seen before
            for position, number in enumerate(numbers):
                if number is None:
                    token = split[position]
                    number = self.numbers.get(token)  # a chunk's terms are distinct, but be safe
                    if number is None:
                        number = self.numbers[token] = len(self.tokens)
                        self.tokens.append(token)
                    numbers[position] = number
        into.extend(numbers)
        return len(numbers)

    def extend(self, tokens: Sequence[str]) -> None:
        """Number these tokens, none of them known yet, next."""
        first = len(self.tokens)
        self.tokens.extend(tokens)
        self.numbers.update(zip(tokens, range(first, len(self.tokens))))
        if len(self.numbers) != len(self.tokens):
            raise ValueError("a token numbered twice")

    def number_all(self, tokens: Sequence[str]) -> list[int]:
        """The numbers of these tokens (adding those not seen before)."""
        result = []
        for token in tokens:
            number = self.numbers.get(token)
            if number is None:
                number = self.numbers[token] = len(self.tokens)
                self.tokens.append(token)
            result.append(number)
        return result


@dataclass(frozen=True)
class TermCounts:
    """The terms of consecutive chunks (one document's): term numbers in a Vocabulary and their counts,
    chunk by chunk (`terms_per_chunk` of them each), and each chunk's length in tokens."""

    numbers: np.ndarray  # int32, Vocabulary numbers
    counts: np.ndarray  # int32
    terms_per_chunk: np.ndarray  # int32
    lengths: np.ndarray  # int64, tokens per chunk

    @classmethod
    def read(cls, chunk_terms_list: Sequence[tuple[str, str]], vocabulary: Vocabulary) -> "TermCounts":
        """Parse stored (terms, counts) pairs, one per chunk."""
        numbers = array("i")
        per_chunk = np.fromiter(
            (vocabulary.number_terms(terms, numbers) for terms, _ in chunk_terms_list), dtype=np.int32,
            count=len(chunk_terms_list),
        )
        joined = " ".join(counts for _, counts in chunk_terms_list if counts)
        # fromstring's text mode parses the digits in C, ~5x faster than int() on each
        counts = np.fromstring(joined, dtype=np.int32, sep=" ") if joined else np.zeros(0, dtype=np.int32)
        if len(counts) != len(numbers):
            raise ValueError(f"stored terms and counts differ in number ({len(numbers)} and {len(counts)})")
        numbers_array = np.frombuffer(numbers, dtype=np.int32) if len(numbers) else np.zeros(0, dtype=np.int32)
        return cls.of(numbers_array, counts, per_chunk)

    @classmethod
    def of(cls, numbers: np.ndarray, counts: np.ndarray, terms_per_chunk: np.ndarray) -> "TermCounts":
        """From the arrays (each chunk's length is the sum of its counts)."""
        ends = np.cumsum(terms_per_chunk, dtype=np.int64)
        totals = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        return cls(numbers, counts, terms_per_chunk, totals[ends] - totals[ends - terms_per_chunk])

    def renumbered(self, new_numbers: np.ndarray) -> "TermCounts":
        """The same counts with term number n replaced by new_numbers[n]."""
        return TermCounts(new_numbers[self.numbers].astype(np.int32), self.counts, self.terms_per_chunk, self.lengths)


class Postings(NamedTuple):
    """A BM25 index's arrays: its terms by term number, each chunk's length, and for term t the rows of the
    chunks holding it and its count in each at offsets[t]:offsets[t + 1]."""

    tokens: list[str]
    doc_len: np.ndarray  # int64
    rows: np.ndarray  # int32
    frequencies: np.ndarray  # int32
    offsets: np.ndarray  # int64


class Bm25:
    """rank_bm25's BM25Okapi over the given chunks' terms, with the same attributes (idf, avgdl, doc_len, k1, b,
    epsilon, average_idf, corpus_size) and the same scores, computed from postings instead of a loop over chunks."""

    def __init__(self, parts: Sequence[TermCounts], vocabulary: Vocabulary, *, k1: float = K1, b: float = B,
                 epsilon: float = EPSILON):
        self.k1, self.b, self.epsilon = k1, b, epsilon
        numbers = np.concatenate([part.numbers for part in parts]) if parts else np.zeros(0, dtype=np.int32)
        counts = np.concatenate([part.counts for part in parts]) if parts else np.zeros(0, dtype=np.int32)
        per_chunk = np.concatenate([part.terms_per_chunk for part in parts]) if parts else np.zeros(0, dtype=np.int32)
        self.doc_len = np.concatenate([part.lengths for part in parts]) if parts else np.zeros(0, dtype=np.int64)
        self.corpus_size = len(self.doc_len)
        if not self.corpus_size:
            raise ValueError("BM25 over no chunks")
        self.avgdl = int(self.doc_len.sum()) / self.corpus_size
        # Terms in order of first occurrence over the chunks, as BM25Okapi meets them: its idf sum runs in that order.
        first_seen = np.full(len(vocabulary), len(numbers), dtype=np.int64)
        np.minimum.at(first_seen, numbers, np.arange(len(numbers), dtype=np.int64))
        live = np.flatnonzero(first_seen < len(numbers))
        live = live[np.argsort(first_seen[live], kind="stable")]
        term_of_number = np.full(len(vocabulary), -1, dtype=np.int32)
        term_of_number[live] = np.arange(len(live), dtype=np.int32)
        terms = term_of_number[numbers]
        self.live_numbers = live  # the Vocabulary numbers of the terms, by term
        document_frequency = np.bincount(terms, minlength=len(live))
        # Postings: for term t, the rows of the chunks holding it and its count in each, at offsets[t]:offsets[t + 1].
        order = _grouped(terms, len(live))
        rows = np.repeat(np.arange(self.corpus_size, dtype=np.int32), per_chunk)
        self._index([vocabulary.tokens[number] for number in live.tolist()], rows[order],
                    counts[order],  # int32 (float64 per query: 4 bytes less per posting, the same floats)
                    np.concatenate(([0], np.cumsum(document_frequency))))

    @classmethod
    def of_postings(cls, postings: "Postings", *, k1: float = K1, b: float = B, epsilon: float = EPSILON) -> "Bm25":
        """The index as `postings` saved it (its terms numbered 0.. in the order of `postings.tokens`)."""
        bm25 = cls.__new__(cls)
        bm25.k1, bm25.b, bm25.epsilon = k1, b, epsilon
        bm25.doc_len, bm25.corpus_size = postings.doc_len, len(postings.doc_len)
        if not bm25.corpus_size:
            raise ValueError("BM25 over no chunks")
        bm25.avgdl = int(bm25.doc_len.sum()) / bm25.corpus_size
        bm25.live_numbers = np.arange(len(postings.tokens), dtype=np.int64)
        bm25._index(postings.tokens, postings.rows, postings.frequencies, postings.offsets)
        return bm25

    def postings(self) -> "Postings":
        """What `of_postings` rebuilds this index from."""
        return Postings(self.tokens, self.doc_len, self._rows, self._frequencies, self._offsets)

    def _index(self, tokens: list[str], rows: np.ndarray, frequencies: np.ndarray, offsets: np.ndarray) -> None:
        self.tokens = tokens
        self.term_ids = dict(zip(tokens, range(len(tokens))))
        self.idf_values = self._idf(np.diff(offsets))
        self.idf = dict(zip(tokens, self.idf_values.tolist()))
        self._rows, self._frequencies, self._offsets = rows, frequencies, offsets
        # (chunks without a single token make avgdl 0: nothing is found in them, whatever the norm)
        self._length_norm = self.k1 * (1 - self.b + self.b * self.doc_len / (self.avgdl or 1.0))

    def _idf(self, document_frequency: np.ndarray) -> np.ndarray:
        """BM25Okapi._calc_idf: log((N - n + 0.5) / (n + 0.5)) as a difference of logs; negative ones floored
        at epsilon times the mean idf, summed in first-occurrence order as BM25Okapi sums it."""
        corpus_size = self.corpus_size
        distinct, where = np.unique(document_frequency, return_inverse=True)
        values = np.array([math.log(corpus_size - n + 0.5) - math.log(n + 0.5) for n in distinct.tolist()])
        idf = values[where]
        idf_sum = 0
        for value in idf.tolist():
            idf_sum += value
        self.average_idf = idf_sum / len(idf)
        idf[idf < 0] = self.epsilon * self.average_idf
        return idf

    def get_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25Okapi.get_scores: a score per chunk, summed token by token (a repeated token counts again)."""
        scores = np.zeros(self.corpus_size)
        for token in tokens:
            term = self.term_ids.get(token)
            if term is None:
                continue
            start, end = self._offsets[term], self._offsets[term + 1]
            rows, frequencies = self._rows[start:end], self._frequencies[start:end].astype(np.float64)
            scores[rows] += self.idf_values[term] * (frequencies * (self.k1 + 1) / (frequencies + self._length_norm[rows]))
        return scores


def _grouped(keys: np.ndarray, size: int) -> np.ndarray:
    """The stable order of keys in [0, size): an LSD radix sort in 16-bit digits, which numpy sorts in linear
    time (a comparison sort of the ~6M term occurrences of 100k chunks takes ~4 times longer)."""
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while size > 1 << shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def is_chinese(text: str) -> bool:
    """Whether the text is mostly written in Chinese characters."""
    han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    latin = sum(1 for char in text if char.isascii() and char.isalpha())
    return han > 0 and han * 2 >= latin
