"""Checking a generated answer's citations: every sentence against the passage it cites, repaired where possible."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from .names import CAPITALISED, CAPITALISED_OR_ACRONYM, name_translations, name_words
from .types import SentenceSupport, is_chinese
from ..chunking import split_sentences
from ..glossary import dictionary
from ..retrieval import tokenize

# A sentence is supported when 0.6 * word overlap + 0.4 * scaled embedding similarity reaches this.
SUPPORTED = 0.55
LEXICAL_WEIGHT = 0.6
# e5 passage-to-passage cosines crowd into a narrow band; this maps it onto 0..1.
DENSE_FLOOR, DENSE_CEILING = 0.80, 0.95
# A sentence in another language than its passage: the share of its digit-bearing names found, scaled so
# that all found (and every number right) just passes.
CROSS_LANGUAGE_ANCHOR_WEIGHT = 0.6
# A translated line may leave out a figure up to this (a month's number, "3 月" -> "March"; "SU7" -> 7), no other.
SMALL_FIGURE = 12
# A cited passage is kept unless another one supports the sentence by this much more.
BETTER_BY = 0.15

_MARKER = re.compile(r"\s*[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
_LEADING_MARKERS = re.compile(rf"^(?:{_MARKER.pattern})+")
_SENTENCE_BREAK = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.)(?=\s)")
# A figure and its unit, if it has one: "20亿" must not pass for "20GWh", nor "10亿" for "100亿".
_UNITS = "亿万千百元年月日号%倍个家辆台座款项吨度天周岁"
_FIGURE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(?![\d]|\.\d)([{_UNITS}]?)")
# Across languages a figure is compared by its value: "1 billion" is 10亿, "12,000" is 1.2万, "10 billion" is not 10亿.
_SCALED_FIGURE = re.compile(
    r"(?<![\d.])(?<!\d,)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d]|\.\d)\s*(万亿|亿|万|thousand|million|billion|trillion)?",
    re.IGNORECASE)
SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_LIST_NUMBER = re.compile(r"\s*\d{1,2}\.")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)])\s*")


@dataclass(frozen=True)
class CheckedAnswer:
    """A generated answer after its citations were checked and repaired."""

    text: str  # sentences with their final [n] markers, n = passage number (1-based)
    sentences: tuple[SentenceSupport, ...]
    quotes: dict[int, str]  # passage number -> the sentence of it that best supports the answer


@dataclass(frozen=True)
class _Claim:
    body: str  # the sentence without markers
    markers: tuple[int, ...]
    trailing: str  # the whitespace that followed it


class CitationChecker:
    """Scores how well a passage supports a sentence, by word overlap, numbers and embedding similarity."""

    def __init__(self, embeddings: Embeddings, *, idf: Callable[[set[str]], dict[str, float]] | None = None):
        self.embeddings = embeddings
        # Word weights, so that a rare word (a company's name) counts more than a common one (小米).
        self.idf = idf or (lambda tokens: {token: 1.0 for token in tokens})
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def check(self, text: str, passages: Sequence[str]) -> CheckedAnswer:
        """Keep the markers that point at a supporting passage; re-cite or flag the other sentences.

        Args:
            text: the generated answer, with `[n]` markers that should refer to `passages[n - 1]`.
            passages: the texts the model was given, in the order it saw them.
        Returns:
            The answer with valid, supporting markers only, and each sentence's verdict.
        """
        claims = split_claims(text)
        passage_sentences = [_sentences(passage) for passage in passages]
        self._embed([claim.body for claim in claims] + [s for group in passage_sentences for s in group])
        checked, pieces, quotes = [], [], {}
        everything = _normalise("\n".join(passages))
        for claim in claims:
            missing = missing_entities(claim.body, everything)
            if missing:
                # A name or figure that no passage holds is the model's own: the sentence goes.
                checked.append(SentenceSupport(claim.body, (), False, 0.0, missing))
                continue
            markers, score, best_quotes = self._verdict(claim, passages, passage_sentences)
            supporting = "\n".join(passages[m - 1] for m in markers)
            missing = missing_entities(claim.body, _normalise(supporting)) if markers else ()
            if missing:
                # Its names and figures are in the passages, but not in those that support it: facts of
                # different passages joined ("the cell plant is in Beijing" from a plant and a Beijing site).
                checked.append(SentenceSupport(claim.body, (), False, 0.0, missing))
                continue
            supported = bool(markers)
            checked.append(SentenceSupport(claim.body, markers, supported, round(score, 3)))
            pieces.append(claim.body + "".join(f"[{marker}]" for marker in markers) + claim.trailing)
            for marker, quote in best_quotes.items():
                quotes.setdefault(marker, quote)
        joiner = "" if is_chinese(text) else " "
        final = "".join(piece if piece.endswith(("\n", " ")) else piece + joiner for piece in pieces).strip()
        return CheckedAnswer(final, tuple(checked), quotes)

    def support(self, sentence: str, passage: str, passage_sentences: Sequence[str] = ()) -> float:
        """How well the passage supports the sentence, 0..1; 0 when it lacks a number the sentence states."""
        haystack = _normalise(passage)
        sentence = _BULLET.sub("", sentence)
        across = is_chinese(sentence) != is_chinese(passage)
        values = figure_values(sentence) if across else set()
        if across and not values <= figure_values(passage):
            return 0.0
        if not across and not all(_states(haystack, number, unit) for number, unit in _FIGURE.findall(_normalise(sentence))):
            return 0.0
        sentences = list(passage_sentences) or _sentences(passage)
        vectors = self._embed([sentence] + sentences)
        similarity = max((float(np.dot(vectors[0], vector)) for vector in vectors[1:]), default=0.0)
        dense = min(1.0, max(0.0, (similarity - DENSE_FLOOR) / (DENSE_CEILING - DENSE_FLOOR)))
        tokens = set(tokenize(sentence))
        if across:
            # Across languages words cannot be matched and the small embedding model barely separates
            # right from wrong, so only figures (by value, checked above) and names with digits (SU7, 20GWh,
            # 800V) can be checked.
            named = [token for token in tokens if any(char.isdigit() for char in token)
                     and not re.fullmatch(r"[\d.,]+", token)]
            if not values and not named:
                return 0.0
            held = len(values) + sum(token in haystack for token in named)
            return CROSS_LANGUAGE_ANCHOR_WEIGHT * held / (len(values) + len(named))
        weights = self.idf(tokens)
        total = sum(weights.values())
        lexical = sum(weight for token, weight in weights.items() if token in haystack) / total if total else 0.0
        return LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * dense

    def best_quote(self, sentence: str, passage_sentences: Sequence[str]) -> str:
        """The passage sentence that best supports the answer sentence."""
        return max(passage_sentences, key=lambda candidate: self.support(sentence, candidate, [candidate]), default="")

    def _verdict(self, claim: _Claim, passages: Sequence[str], passage_sentences) -> tuple[tuple[int, ...], float, dict]:
        """The markers the sentence keeps (empty when nothing supports it), its support, and quotes."""
        scores = {m: self.support(claim.body, passages[m - 1], passage_sentences[m - 1]) for m in range(1, len(passages) + 1)}
        best = max(scores, key=scores.get, default=None)
        cited = tuple(dict.fromkeys(m for m in claim.markers if m in scores))
        keep = tuple(m for m in cited if scores[m] >= SUPPORTED and scores[m] + BETTER_BY >= scores[best])
        score = max((scores[m] for m in keep), default=0.0)
        if not keep and len(cited) > 1:
            # A sentence may join facts from several cited passages: check them together.
            joined = "\n".join(passages[m - 1] for m in cited)
            together = self.support(claim.body, joined, [s for m in cited for s in passage_sentences[m - 1]])
            if together >= SUPPORTED:
                keep, score = cited, together
        if not keep:
            # Uncited, cited wrongly, or a much better source exists: the best-supporting passage, if any.
            if best is not None and scores[best] >= SUPPORTED:
                keep = (best,)
            score = scores[best] if best is not None else 0.0
        quotes = {m: self.best_quote(claim.body, passage_sentences[m - 1]) for m in keep}
        return keep, score, quotes

    def _embed(self, texts: list[str]) -> list[np.ndarray]:
        with self._lock:
            known = {text: self._vectors[text] for text in texts if text in self._vectors}
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing)):
                vector = np.asarray(vector, dtype=np.float32)
                known[text] = vector / (np.linalg.norm(vector) or 1.0)
            with self._lock:
                self._vectors.update((text, known[text]) for text in missing)
                while len(self._vectors) > 4096:
                    self._vectors.pop(next(iter(self._vectors)))
        return [known[text] for text in texts]


def missing_entities(sentence: str, normalised_passages: str) -> tuple[str, ...]:
    """The names (people, places, organisations, other proper nouns) and figures of a sentence written in the
    passages' language that the normalised passages do not hold; of an English sentence over Chinese
    passages, the names the dictionary translates that they hold in neither language."""
    import jieba.posseg

    if not is_chinese(normalised_passages):
        return ()
    if not is_chinese(sentence):
        return _missing_translated_names(sentence, normalised_passages)  # figures are checked by support()
    missing = []
    for word, flag in jieba.posseg.lcut(_BULLET.sub("", sentence)):
        word = _normalise(word)
        if len(word) < 2 or not (flag in _NAME_TAGS or any(char.isdigit() for char in word)):
            continue
        if word not in normalised_passages:
            missing.append(word)
    return tuple(dict.fromkeys(missing))


_NAME_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg", "eng"})


def faithful_translation(translated: str, source: str, context: str = "") -> bool:
    """Whether a line the model translated from `source` (a line in the other language) states no figure the
    source lacks (compared by value: "1.2 万辆" is "12,000 cars"), leaves out none above SMALL_FIGURE (a
    month's number may go: "2024 年 3 月" is "March 2024"; the revenue may not), and, translated into
    English, names nothing that neither the source nor the `context` (the other lines, the question) names,
    as written or by a dictionary translation, whether or not the dictionary knows the name: "Geely" is not
    in lines without 吉利, nor "BYD Group" in one about 北汽集团; "Xiaomi" may be the subject a Chinese line
    leaves implicit."""
    stated, given = figure_values(translated), figure_values(source)
    return (stated <= given and all(value in stated for value in given if value > SMALL_FIGURE)
            and not (is_chinese(source) and not is_chinese(translated)  # an English line of Chinese text
                     and _missing_translated_names(translated, _normalise(f"{source}\n{context}"), strict=True)))


def _missing_translated_names(sentence: str, normalised_passages: str, strict: bool = False) -> tuple[str, ...]:
    """The names of an English sentence (capitalised words, its first word aside) that the dictionary
    translates and that the Chinese passages hold neither as written nor by a translation of any of their
    words: "Geely" (吉利) in an answer from passages that never name it; "Saudi Arabia" passes over 沙特
    (Saudi). A word spelled as the pinyin of the passages' characters is theirs (Yizhuang: 亦庄). A name the
    dictionary lacks and pinyin does not spell (BAIC, 北汽) cannot be checked: `strict` counts it missing, and
    a run of words with one such word in it ("BYD Group" over 北汽集团)."""
    table = dictionary()
    if table is None:
        return ()
    body = _BULLET.sub("", sentence).strip()
    missing = []
    for match in (CAPITALISED_OR_ACRONYM if strict else CAPITALISED).finditer(body):
        words = name_words(match)
        if not words or any(word in normalised_passages for word in words):
            continue
        words = [word for word in words if not table.spelled_in(word, normalised_passages)]
        if not words:
            continue  # a name left in pinyin: Yizhuang for 亦庄, Xiaomi Haina Chuan
        translations = name_translations(words, table)
        unchecked = strict and any(not found for found in translations)  # "BYD" in "BYD Group"
        if unchecked or ((any(translations) or strict) and not any(
                _normalise(t) in normalised_passages for found in translations for t in found)):
            missing.append(" ".join(words))
    return tuple(dict.fromkeys(missing))


def split_claims(text: str) -> list[_Claim]:
    """The sentences of an answer with the markers that follow each (a marker after the full stop counts too)."""
    pieces = []
    for piece in _SENTENCE_BREAK.split(text):
        if pieces and _LIST_NUMBER.fullmatch(pieces[-1]):
            pieces[-1] += piece  # "1. " opens a list item, it does not end a sentence
        elif piece:
            pieces.append(piece)
    # Move markers written after a sentence's full stop back to that sentence.
    for i in range(1, len(pieces)):
        leading = _LEADING_MARKERS.match(pieces[i])
        if leading:
            pieces[i - 1] += leading.group(0)
            pieces[i] = pieces[i][leading.end():]
    claims = []
    for piece in pieces:
        if claims and "\n" in piece[: len(piece) - len(piece.lstrip())]:
            last = claims[-1]  # the line break that opens this piece ends the previous sentence's line
            claims[-1] = _Claim(last.body, last.markers, "\n")
        markers = tuple(int(n) for group in _MARKER.findall(piece) for n in re.split(r"\s*[,，、]\s*", group))
        body = _MARKER.sub("", piece)
        trailing = "\n" if "\n" in body[len(body.rstrip()):] else ""
        body = body.strip()
        if re.search(r"\w", body):
            claims.append(_Claim(body, markers, trailing))
        elif claims and markers:
            last = claims[-1]
            claims[-1] = _Claim(last.body, last.markers + markers, last.trailing)
    return claims


def figure_values(text: str) -> set[float]:
    """The values of the figures a text states, scale words applied (Chinese 万 / 亿, English thousand /
    million / billion): "10 亿元" and "1 billion yuan" both hold 1e9, "1.2 万辆" and "12,000 cars" 12000."""
    values = set()
    for number, scale in _SCALED_FIGURE.findall(unicodedata.normalize("NFKC", text)):
        value = float(number.replace(",", "")) * SCALES.get(scale.lower(), 1.0)
        values.add(round(value, 6))
    return values


def _states(haystack: str, number: str, unit: str) -> bool:
    """Whether the normalised passage states this figure, as a whole number, with this unit if one is given."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d]|\.\d){re.escape(unit)}", haystack) is not None


def _sentences(passage: str) -> list[str]:
    return [text for start, end in split_sentences(passage) if (text := _BULLET.sub("", passage[start:end]).strip())]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
