"""Scoring of question files (with fakes for exact numbers) and `python app.py eval` on the real report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportqa.answer import Answer, Citation
from reportqa.cli import main
from reportqa.evaluation import (
    EvalQuestion, QuestionResult, contains, evaluate, load_questions, percentile, rank_of_hit, summarize,
)
from reportqa.retrieval import Passage

from conftest import DEV_QUESTIONS


def passage(text: str, source: str = "report.txt") -> Passage:
    return Passage(text[:8], text, source, "", 0.0, 0, len(text))


class FakeEmbeddings:
    def embed_query(self, text: str) -> list[float]:
        return [1.0]


class FakeRetriever:
    """Returns fixed passages per question."""

    embeddings = FakeEmbeddings()

    def __init__(self, passages: dict[str, list[Passage]]):
        self.passages = passages

    def snapshot(self):
        return None

    def retrieve(self, question: str, *, k: int = 5) -> list[Passage]:
        return self.passages[question][:k]


class FakeAssistant:
    """Answers from a table; cites the first retrieved passage."""

    def __init__(self, passages: dict[str, list[Passage]], answers: dict[str, str | None]):
        self.retriever = FakeRetriever(passages)
        self.answers = answers

    def answer(self, question: str) -> Answer:
        text = self.answers[question]
        if text is None:
            return Answer(question, "文档中没有找到这个问题的答案。", (), True)
        cited = self.retriever.passages[question][0]
        return Answer(question, text, (Citation(1, cited.id, cited.source, "", cited.text, 0, 0),))


def test_matching_ignores_width_case_and_whitespace():
    assert contains("年产能规划达 20ＧＷｈ。", ["20gwh"])
    assert contains("本地化率不低于 50%", ["不低于50％"])
    assert not contains("本地化率不低于 40%", ["50%"])


def test_both_file_formats_load(tmp_path):
    report_file = tmp_path / "report.jsonl"
    report_file.write_text(json.dumps({
        "id": "r1", "question": "几年？", "must_include": [["2-3 年", "两到三年"], "资质"],
        "evidence": ["节省了 2-3 年"], "answerable": True,
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    cmrc_file = tmp_path / "qa.jsonl"
    cmrc_file.write_text(json.dumps({
        "id": "DEV_0_QUERY_0", "question": "谁开发的？", "answers": ["光荣", "光荣公司"], "context_id": "DEV_0",
    }, ensure_ascii=False) + "\n", encoding="utf-8")

    [report_question] = load_questions(report_file)
    [cmrc_question] = load_questions(cmrc_file)

    assert report_question.must_include == (("2-3 年", "两到三年"), ("资质",))
    assert cmrc_question.evidence == ("光荣", "光荣公司")
    assert cmrc_question.must_include == (("光荣", "光荣公司"),)
    assert cmrc_question.context_id == "DEV_0"


def test_cmrc_hit_needs_the_answer_in_a_passage_of_its_own_context():
    question = EvalQuestion("q", "谁？", ("光荣",), (("光荣",),), True, "DEV_0")
    passages = [passage("光荣出品的另一款游戏", "DEV_9.txt"), passage("无关的段落", "DEV_0.txt"), passage("由光荣开发", "DEV_0.txt")]

    assert rank_of_hit(question, passages) == (3, len("光荣出品的另一款游戏") + len("无关的段落"))


def test_measures_over_known_results():
    answerable = EvalQuestion("a", "问", ("证据",), (("甲",), ("乙",)), True)
    unanswerable = EvalQuestion("n", "问", (), (), False)
    results = [
        QuestionResult(answerable, 1, 0, 10.0, "甲乙[1]", False, 2, True, 20.0),
        QuestionResult(answerable, 2, 50, 30.0, "甲[1]", False, 1, False, 40.0),
        QuestionResult(answerable, None, None, 50.0, "没有", True, 0, None, 60.0),
        QuestionResult(unanswerable, None, None, 70.0, "没有", True, 0, None, 80.0),
    ]

    report = summarize(results)

    assert (report.hit_at_1, report.hit_at_3, report.mrr_at_10) == (0.3333, 0.6667, 0.5)
    assert report.must_include_recall == 0.5  # 3 of 6 facts; the abstention states none
    assert report.citation_hit_rate == 0.3333
    assert report.abstention_accuracy == 0.75
    assert report.median_chars_before_hit == 25
    assert (report.retrieve_p50_ms, report.ask_p95_ms) == (30.0, 80.0)
    assert [r.rank for r in report.failures()] == [2, None]


def test_evaluate_scores_a_fake_assistant_and_names_each_failure():
    questions = [
        EvalQuestion("good", "产能？", ("20GWh",), (("20GWh",),), True),
        EvalQuestion("wrong", "投资？", ("10 亿元",), (("10亿",),), True),
        EvalQuestion("trap", "股价？", (), (), False),
    ]
    passages = {
        "产能？": [passage("年产能规划达 20GWh")],
        "投资？": [passage("无关"), passage("总投资 10 亿元")],
        "股价？": [passage("无关")],
    }
    answers = {"产能？": "年产能规划达 20GWh[1]", "投资？": "无关[1]", "股价？": "无关[1]"}

    report = evaluate(questions, FakeAssistant(passages, answers))

    assert (report.hit_at_1, report.hit_at_3) == (0.5, 1.0)
    assert report.must_include_recall == 0.5
    assert report.abstention_accuracy == pytest.approx(0.6667)
    problems = {r.question.id: r.problems() for r in report.failures()}
    assert problems == {
        "wrong": ["answer lacks 10亿", "no citation holds the evidence"],
        "trap": ["answered a question the documents do not answer"],
    }


def test_percentile_is_nearest_rank():
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0
    assert percentile([], 50) is None


@pytest.mark.slow
def test_eval_command_scores_the_report_dev_set(report_settings, capsys):
    code = main(["--index", str(report_settings.index_dir), "--corpus", str(report_settings.corpus_dir),
                 "eval", str(DEV_QUESTIONS), "--limit", "10", "--llm", "none", "--json"])

    output = json.loads(capsys.readouterr().out)
    assert code == 0
    metrics = output["metrics"]
    assert metrics["questions"] == 10
    assert metrics["hit_at_5"] >= 0.9 and metrics["must_include_recall"] >= 0.8
    assert metrics["ask_p50_ms"] > 0
    assert all(failure["problems"] for failure in output["failures"])


@pytest.mark.slow
def test_eval_command_indexes_cmrc_contexts_on_their_own(capsys):
    # Two contexts written for this test in the CMRC 2018 format (the benchmark's own data stays in ../shared).
    fixture = Path(__file__).parent / "data" / "cmrc_format"

    code = main(["eval", str(fixture / "qa.jsonl"), "--contexts", str(fixture / "contexts.jsonl"), "--llm", "none", "--json"])

    metrics = json.loads(capsys.readouterr().out)["metrics"]
    assert code == 0
    assert metrics["questions"] == 6 and metrics["hit_at_5"] >= 0.8


def test_a_cmrc_file_without_its_contexts_is_refused(tmp_path, capsys):
    questions = tmp_path / "qa.jsonl"
    questions.write_text('{"id": "q", "question": "谁？", "answers": ["光荣"], "context_id": "DEV_0"}\n', encoding="utf-8")

    code = main(["eval", str(questions)])

    assert code == 1
    assert "--contexts contexts.jsonl" in capsys.readouterr().err
