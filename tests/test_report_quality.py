"""The real bundled model and real Chroma over the real report: retrieval, answers, abstention."""

import unicodedata

import pytest

from conftest import DEV_QUESTIONS, EXTRA_QUESTIONS, read_jsonl
from reportqa.answering.types import TENTATIVE_ZH

DEV = read_jsonl(DEV_QUESTIONS)
EXTRA = read_jsonl(EXTRA_QUESTIONS)


def normalize(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def contains_evidence(text: str, evidence: list[str]) -> bool:
    return any(normalize(clause) in normalize(text) for clause in evidence)


def states(answer_text: str, fact) -> bool:
    variants = fact if isinstance(fact, list) else [fact]
    return any(normalize(variant) in normalize(answer_text) for variant in variants)


@pytest.mark.parametrize("item", [q for q in DEV if q["answerable"]], ids=lambda q: q["id"])
def test_dev_question_finds_its_evidence_in_the_top_three(report_assistant, item):
    passages = report_assistant.retriever.retrieve(item["question"], k=3)
    assert any(contains_evidence(p.text, item["evidence"]) for p in passages)


@pytest.mark.parametrize("item", [q for q in DEV if q["answerable"]], ids=lambda q: q["id"])
def test_dev_question_is_answered_with_its_facts_and_a_citation_holding_the_evidence(report_assistant, item):
    result = report_assistant.answer(item["question"])
    assert not result.abstained
    for fact in item["must_include"]:
        assert states(result.text, fact), f"{fact} missing from {result.text}"
    assert any(contains_evidence(c.text, item["evidence"]) for c in result.citations)
    assert "[1]" in result.text
    assert len(result.text) <= 300  # a few sentences, not whole passages


@pytest.mark.parametrize("item", [q for q in DEV if not q["answerable"]], ids=lambda q: q["id"])
def test_unanswerable_dev_question_is_refused_or_answered_only_with_the_caution(report_assistant, item):
    # Below the strict threshold and above the tentative one (benchmarks/calibrate.py: most questions
    # analysts ask are answerable), the closest passages are shown under a caution instead of a refusal.
    result = report_assistant.answer(item["question"])
    if result.abstained:
        assert result.citations == () and "没有" in result.text
    else:
        assert result.tentative and result.text.startswith(TENTATIVE_ZH) and result.citations


def test_most_english_questions_find_the_chinese_evidence_in_the_top_three(report_assistant):
    english = [q for q in EXTRA if q["answerable"] and q["question"].isascii()]
    hits = sum(
        any(contains_evidence(p.text, q["evidence"]) for p in report_assistant.retriever.retrieve(q["question"], k=3))
        for q in english
    )
    assert hits >= len(english) - 1, f"{hits}/{len(english)}"


def test_extra_chinese_questions_answer_or_abstain_correctly(report_assistant):
    # These questions are among the gate's fitting data (benchmarks/calibrate.py). Every answerable one is
    # answered; an unanswerable one is refused or answered with the caution that the documents may not
    # answer it (the tentative band: most questions analysts ask are answerable). Two same-subject ones
    # (股价, 固态电池) still get through without the caution.
    chinese = [q for q in EXTRA if not q["question"].isascii()]
    answers = {q["id"]: report_assistant.answer(q["question"]) for q in chinese}
    refused = [q["id"] for q in chinese if q["answerable"] and answers[q["id"]].abstained]
    confident = [q["id"] for q in chinese if not q["answerable"] and not answers[q["id"]].abstained
                 and not answers[q["id"]].tentative]
    assert not refused, refused
    assert len(confident) <= 2, confident
    for q in chinese:
        result = answers[q["id"]]
        assert result.tentative == (not result.abstained and result.text.startswith(TENTATIVE_ZH)), q["id"]


def test_citation_markers_refer_to_cited_passages_with_sections(report_assistant):
    result = report_assistant.answer("时代北汽工厂的年产能规划是多少？")
    assert [c.marker for c in result.citations] == list(range(1, len(result.citations) + 1))
    citation = result.citations[0]
    assert citation.section.endswith("动力电池深度绑定") and "20GWh" in citation.text
    assert citation.quote and citation.quote in result.text


def test_follow_up_question_uses_the_conversation(report_assistant):
    first = "小米汽车计划2025年进入哪些海外市场？"
    result = report_assistant.answer("那初期用什么模式生产？", history=[(first, "泰国、沙特")])
    assert "CKD" in result.text


def test_public_api_retrieve_returns_passages_with_offsets(report_settings):
    from reportqa import retrieve

    passages = retrieve("时代北汽的总投资", k=2, settings=report_settings)
    assert len(passages) == 2
    report_text = (report_settings.corpus_dir / passages[0].source).read_text(encoding="utf-8")
    assert report_text[passages[0].start : passages[0].end] == passages[0].text
    assert "10 亿元" in passages[0].text
