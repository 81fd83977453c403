"""A question that describes a standard measure instead of naming it, and reasons beside a table: units over
made-up reports with the fake embedding."""

from __future__ import annotations

from dataclasses import replace

from reportqa import definitions
from reportqa.answer import Assistant
from reportqa.answering.calibration import Calibration
from reportqa.answering.evidence import DESCRIBED
from reportqa.answering.extractive import ExtractiveAnswerer
from reportqa.config import Settings
from reportqa.index import build_index
from reportqa.retrieval import Retriever

from fakes import BagOfWordsEmbeddings

FITTED = Calibration(dense_band=(0.0, 1.0), english_dense_band=(0.0, 1.0), cross_lingual_dense_band=(0.0, 1.0))
INSURER = (
    "# Harlow Insurance plc: annual review\n\n"
    "## Underwriting\n"
    "Net earned premium grew 8% to £1,164m, and premium rates rose across every line.\n\n"
    "The group loss ratio fell to 63.9% from 67.0%.\n\n"
    "## Claims handling\n"
    "Claims were settled faster after the new system went live.\n\n"
    "## Reinsurance\n"
    "Passenger cover and travel policies were renewed with the same panel.\n"
)


def indexed(base, name: str, text: str, **fitted) -> Assistant:
    (base / "corpus").mkdir(parents=True)
    (base / "corpus" / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", llm="none", abstain_threshold=0.05)
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    retriever = Retriever(settings, embeddings=embeddings)
    answerer = ExtractiveAnswerer(settings, retriever, fitted=replace(FITTED, **fitted))
    return Assistant(settings, retriever=retriever, backend=answerer)


def test_every_measure_has_names_and_a_description_in_both_languages():
    for names, english, chinese in definitions.ENTRIES:
        assert names and english.isascii() and not chinese.isascii(), names
    # A measure's names take in the thesaurus's other names for them.
    loss_ratio = next(names for names, _, _ in definitions.ENTRIES if names[0] == "loss ratio")
    assert "赔付率" in loss_ratio and "claims ratio" in loss_ratio


def test_a_question_describing_a_measure_matches_the_measures_names(tmp_path):
    question = "What proportion of earned premium went out in claims?"
    review = indexed(tmp_path, "review.md", INSURER)
    scorer = review.backend.scorer
    similarity, names, _ = scorer.descriptions(question)[0]
    assert names[0] == "loss ratio"
    assert not any(term.startswith(DESCRIBED) for term in scorer.terms(question))  # never, as fitted by default

    described = indexed(tmp_path / "described", "review.md", INSURER,
                        definition_similarity=(1.0, similarity))
    terms = described.backend.scorer.terms(question)
    assert "loss ratio" in terms[DESCRIBED + "loss ratio"]
    # The question's words that the description uses describe the measure: they match its name too.
    assert "loss ratio" in terms["claims"] and "loss ratio" in terms["premium"]
    assert "63.9%" in described.answer(question).text
    # Not nearer than the fitted similarity: no measure.
    farther = indexed(tmp_path / "farther", "review.md", INSURER, definition_similarity=(1.0, similarity + 0.001))
    assert not any(term.startswith(DESCRIBED) for term in farther.backend.scorer.terms(question))


def test_a_measure_the_question_names_already_is_not_described_again(tmp_path):
    question = "What was the loss ratio as a share of earned premium paid out in claims?"
    review = indexed(tmp_path, "review.md", INSURER, definition_similarity=(0.0, 0.0))
    assert not any(term.startswith(DESCRIBED) for term in review.backend.scorer.terms(question))


def test_asked_why_of_a_section_with_a_table_its_prose_stating_causes_answers_not_the_rows(tmp_path):
    report = ("# Harlow Insurance plc: annual review\n\n## Underwriting performance\n"
              "The combined ratio improved to 95.2% from 98.7%.\n\nSegment results were as follows:\n\n"
              "| Segment | Combined ratio 2024 | Combined ratio 2023 |\n|---|---|---|\n"
              "| Motor | 99.1% | 104.6% |\n| Home | 96.8% | 93.2% |\n\n"
              "The improvement came mainly from two sources: motor pricing and a lower expense ratio.\n\n"
              "### Motor\nMotor premium rose 16%.\n\n## Outlook\nManagement targets a combined ratio of 94% to 96%.\n")
    review = indexed(tmp_path, "review.md", report)
    tree = review.retriever.tree("review.md")
    section = next(node for node in tree.headings() if node.title == "Underwriting performance")
    lines = review.backend._part_lines("Why did the combined ratio improve?", "reason", tree, section)
    text = " ".join(line.text for line in lines)
    assert "came mainly from two sources" in text and "104.6%" not in text, text
    # Asked for the section's items, the rows are still its list.
    listed = " ".join(line.text for line in review.backend._part_lines("What are the segments?", "list", tree, section))
    assert "104.6%" in listed, listed
