"""The answerer's fitted numbers, read from `calibration.json`, which `python -m benchmarks.calibrate` writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Bands, weights and the abstention threshold, each derived on data by benchmarks/calibrate.py."""

    # e5 cosine similarities crowd into a narrow band; these map it onto 0..1 (the 5th and 95th
    # percentile of question-to-sentence similarity over the corpora the script sees).
    dense_band: tuple[float, float] = (0.75, 0.92)  # Chinese question, Chinese text
    english_dense_band: tuple[float, float] = (0.75, 0.92)  # same language, not Chinese
    cross_lingual_dense_band: tuple[float, float] = (0.68, 0.82)
    # The same for a question against a section's heading (a few words sit further from a question than a
    # sentence does); None: the sentence band.
    heading_dense_band: tuple[float, float] | None = None
    english_heading_dense_band: tuple[float, float] | None = None
    cross_lingual_heading_dense_band: tuple[float, float] | None = None
    # Retrieval: BM25's share of the fused passage score when the documents know every question word (it
    # shrinks with the share they lack); fitted on how high the passages stating the answer rank.
    retrieval_lexical: float = 0.5
    # Across languages a sentence scores mostly by its embedding: only dictionary translations match as words.
    # This is the words' share (the same-language share is one half).
    cross_lingual_lexical: float = 0.0
    # The same for a question in the documents' language.
    same_language_lexical: float = 0.5
    # A question word of the document's title (the company the report is about) weighs this share of its IDF
    # in matching that document's sentences (1.0: as any word).
    subject_weight: float = 1.0
    # The share of a question's embedding, in matching a document's text, taken from the question with the
    # company the document's title names put as "the company" (reportqa.subject; 0.0: the question as asked).
    subject_query_share: float = 0.0
    # The share of a question's embedding taken from the question put in the documents' words (Retriever.worded:
    # "top line" as revenue, 营收 as 营业收入; 0.0: as asked), and then from the question with also its words
    # of the other language (or script) put as the documents' words ("aggregate" as 骨料).
    worded_query_share: float = 0.0
    translated_query_share: float = 0.0
    # Same-language questions: a logistic model over abstention.FEATURES, and the probability below
    # which the answer says the documents do not hold it.
    gate_weights: tuple[float, ...] = (6.0, 2.0, 2.0, 2.0, 0.0, -2.0)
    gate_bias: float = -5.0
    gate_threshold: float = 0.5
    # Across languages: a model of its own over the same features, and its threshold.
    cross_lingual_gate_weights: tuple[float, ...] = (6.0, 1.0, 1.0, 2.0, 0.0, -2.0)
    cross_lingual_gate_bias: float = -4.5
    cross_lingual_abstain_threshold: float = 0.5
    # Between these and the thresholds above, the answer is given with a caution that the documents may
    # not answer the question directly (fitted for the mix of questions analysts ask, where most are
    # answerable; None: no such band).
    tentative_threshold: float | None = None
    cross_lingual_tentative_threshold: float | None = None
    # Node choice for list / reason / describe questions: weights of the node's title matching the
    # question by words and by embedding, the best passage inside it and the best sentence inside it.
    node_title_lexical: float = 0.4
    node_title_dense: float = 0.4
    node_support: float = 0.2
    node_evidence: float = 0.2
    # A question about a whole part (a list, reasons, a description, a summary) is answered by the best-ranked
    # section when its score is at least this share of the best sentence's (fitted on which section answers
    # the labelled questions); None: only when its title alone matches about as well.
    part_node_ratio: float | None = None
    # A section whose title alone matches the question at least this share of the best sentence's score
    # answers it too; so does the part whose items hold two or more of the sentences scoring this share.
    part_keep_ratio: float = 0.85
    # A single-fact question's sentences are those of its passages and this many more of their documents, the
    # nearest the question by embedding outside them (0: the passages' only); fitted on how often the best
    # sentence states the answer.
    elsewhere_sentences: int = 0
    # A question names a standard measure it describes (definitions.py) when it is at least this similar to
    # the measure's description by embedding (1.0: never), a Chinese question and an English one (similarities
    # run higher between Chinese texts); fitted on how often the best sentence states the answer.
    definition_similarity: tuple[float, float] = (1.0, 1.0)
    # A list question is answered by the list that one of this many best sentences introduces when that
    # sentence names the things asked for ("Which risks…" and "The principal risks are:"; 0: never).
    list_lead_sentences: int = 0
    # A single-fact answer's further sentences: each must score at least this share of the best sentence's
    # score and answer at least this further share of the question's (IDF-weighted) words.
    fact_keep_ratio: float = 0.85
    fact_min_gain: float = 0.15
    # When the best sentence lacks what the question asks for (a length, a year), the best one holding it
    # leads if it scores at least this share of the best (1.0: never).
    fact_typed_ratio: float = 1.0
    # How many more characters English takes than Chinese to say the same (answer lengths are set in
    # Chinese characters): the median ratio over questions the local LLM translated.
    english_length_ratio: float = 3.0


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    """The fitted numbers; the defaults above when the file is missing."""
    if not CALIBRATION_FILE.exists():
        return Calibration()
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))["fitted"]
    known = {field.name for field in fields(Calibration)}
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in data.items() if key in known}
    return Calibration(**values)
