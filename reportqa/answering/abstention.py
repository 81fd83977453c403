"""Whether the documents hold the answer: evidence features weighed by a model fitted on data.

A logistic model over the features below, fitted by benchmarks/calibrate.py on answerable and
unanswerable questions (including ones over text on the same subject that lacks the asked fact or part,
and analysts' questions worded unlike the text). Questions across languages, where words match only
through a dictionary and embeddings less closely, have a model and thresholds of their own.

Each gate has two thresholds: above the strict one the documents answer; between the two the answer is
given with a caution (most questions analysts ask are answerable, and a refusal hides an answer that is
there); below both, the reply is "not found".
"""

from __future__ import annotations

import math
from typing import Sequence

from ..config import Settings
from .answertype import asked_type, holds_type
from .calibration import Calibration
from .evidence import NodeMatch, ScoredSentence

FEATURES = ("best_sentence", "best_sentence_words", "top_sentences_words", "best_title", "asks_for_part",
            "asked_type_missing", "names_absent", "unknown_words", "premise_unstated", "year_unknown",
            "measure_apart")
PART_INTENTS = frozenset({"list", "reason", "describe", "summary", "compare"})
TOP_SENTENCES = 3
STRONG, TENTATIVE, WEAK = "strong", "tentative", "weak"


def evidence_features(question: str, intent: str, sentences: Sequence[ScoredSentence],
                      nodes: Sequence[NodeMatch], *, names_absent: bool = False,
                      unknown_words: float = 0.0, premise_unstated: bool = False,
                      year_unknown: bool = False, measure_apart: float = 0.0) -> tuple[float, ...]:
    """The evidence a question found, as the numbers FEATURES names, each 0..1.

    best_sentence: the best sentence's score; best_sentence_words: the share of the question's
    (IDF-weighted) words it holds; top_sentences_words: the share the best few hold together;
    best_title: for a question about a whole part (a list, reasons, a summary), how well the best
    section title matches it (0 for a single-fact question); asks_for_part: 1 for such a question
    (its words match the text less: it names a topic, not the fact), else 0; asked_type_missing: 1 when
    the question asks for a number, a time, an amount of money, a share or a measure (answertype.py) and
    none of the best few sentences holds one, else the share of the best sentence's score by which the best
    of them holding one falls short of it (0 when the best sentence holds one);
    names_absent: 1 when the question names something the documents never use (names.py: Geely, CEO);
    unknown_words: the share of the question's (IDF-weighted) words the documents never use in any form
    or translation (SentenceScorer.unknown_share: "employees" asked of a report that counts no staff);
    premise_unstated: 1 when the question names an event (a closure, a sale, a cut) that no sentence of the
    evidence states of the thing it names (premise.py: "Why did Tidewell cut its dividend?" of a report whose
    dividend rose); year_unknown: 1 when the question names a year the documents never name ("2022年的营业收入"
    of a report giving 2023's and 2024's), or a quarter or half of one (periods.py: "Q4 sales" of a report
    giving only the year's); measure_apart: how far the paragraphs naming a measure the question asks for fall
    short of naming what it asks it of (measures.py: a segment's EBITDA of a report giving the group's EBITDA and
    the segments' revenue).
    """
    part = 1.0 if intent in PART_INTENTS else 0.0
    if not sentences:
        return (0.0, 0.0, 0.0, 0.0, part, 0.0, float(names_absent), unknown_words, float(premise_unstated),
                float(year_unknown), measure_apart)
    best = sentences[0]
    weights: dict[str, float] = {}
    for sentence in sentences[:TOP_SENTENCES]:
        weights.update(sentence.weights)
    title = max((match.title_match for match in nodes), default=0.0) if intent != "fact" else 0.0
    kind = asked_type(question) if intent not in ("list", "summary") else None
    missing = 0.0 if kind is None else _type_missing(kind, sentences[:TOP_SENTENCES])
    return (best.score, best.lexical, min(1.0, sum(weights.values())), title, part, missing,
            float(names_absent), unknown_words, float(premise_unstated), float(year_unknown), measure_apart)


def _type_missing(kind: str, sentences: Sequence[ScoredSentence]) -> float:
    """0 when the best sentence holds the asked kind of figure; else the share of the best sentence's score that
    the best one holding it falls short by (1 when none of them holds it): a price asked of a report whose best
    sentence gives none, while a weaker one gives another product's, is most likely not stated."""
    best = sentences[0].score
    typed = next((sentence.score for sentence in sentences if holds_type(sentence.text, kind)), None)
    if typed is None:
        return 1.0
    return min(1.0, max(0.0, 1.0 - typed / best)) if best > 0 else 0.0


def evidence_strength(intent: str, sentences: Sequence[ScoredSentence], nodes: Sequence[NodeMatch]) -> float:
    """0..1: the best sentence's score, or a matching section title's for a question about a whole part."""
    best_sentence, _, _, best_title, *_ = evidence_features("", intent, sentences, nodes)
    return max(best_sentence, best_title)


def answer_probability(features: Sequence[float], fitted: Calibration, *, cross_lingual: bool = False) -> float:
    """The fitted model's probability that the documents answer the question (asked in their language, or not)."""
    weights, bias = ((fitted.cross_lingual_gate_weights, fitted.cross_lingual_gate_bias) if cross_lingual
                     else (fitted.gate_weights, fitted.gate_bias))
    z = bias + sum(weight * value for weight, value in zip(weights, features))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def answers(question: str, intent: str, sentences: Sequence[ScoredSentence], nodes: Sequence[NodeMatch], *,
            cross_lingual: bool, settings: Settings, fitted: Calibration, names_absent: bool = False,
            unknown_words: float = 0.0, premise_unstated: bool = False, year_unknown: bool = False,
            measure_apart: float = 0.0) -> str:
    """How well the evidence answers: STRONG, TENTATIVE (answered with a caution) or WEAK (not found).

    REPORTQA_ABSTAIN_THRESHOLD, if set, applies to the strength and leaves no tentative band.
    """
    if not sentences:
        return WEAK
    if settings.abstain_threshold is not None:
        return STRONG if evidence_strength(intent, sentences, nodes) >= settings.abstain_threshold else WEAK
    features = evidence_features(question, intent, sentences, nodes, names_absent=names_absent,
                                 unknown_words=unknown_words, premise_unstated=premise_unstated,
                                 year_unknown=year_unknown, measure_apart=measure_apart)
    score = answer_probability(features, fitted, cross_lingual=cross_lingual)
    if cross_lingual:
        strict, loose = fitted.cross_lingual_abstain_threshold, fitted.cross_lingual_tentative_threshold
    else:
        strict, loose = fitted.gate_threshold, fitted.tentative_threshold
    if score >= strict:
        return STRONG
    return TENTATIVE if loose is not None and score >= loose else WEAK
