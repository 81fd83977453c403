"""Fusion and lexical ranking logic."""

import pytest

from reportqa.config import Settings
from reportqa.errors import QuestionError
from reportqa.extractive import ExtractiveAnswerer
from reportqa.retrieval import clean_question, reciprocal_rank_fusion, tokenize


def test_rrf_rewards_agreement_between_rankers():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]])
    assert [item for item, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_keeps_items_only_one_ranker_found():
    fused = dict(reciprocal_rank_fusion([["a"], ["b", "a"]]))
    assert fused["b"] == pytest.approx(1 / 61)
    assert fused["a"] > fused["b"]


def test_tokenize_drops_question_words_and_punctuation():
    tokens = tokenize("小米SU7的年产能是多少？")
    assert "su7" in tokens and "多少" not in tokens and "？" not in tokens


@pytest.mark.parametrize("question", ["", "   ", "\x00\x07", "？？？", "🚗🚗"])
def test_questions_without_words_are_refused_with_advice(question):
    with pytest.raises(QuestionError, match="question"):
        clean_question(question)


def test_overlong_questions_are_refused():
    with pytest.raises(QuestionError, match="under 2000"):
        clean_question("电池" * 5000)


def test_control_characters_are_removed():
    assert clean_question("电池\x00产能\u200b？") == "电池 产能 ？"


@pytest.mark.parametrize(
    ("question", "follows_up"),
    [
        ("那北汽呢？", True),
        ("北汽呢", True),
        ("为什么？", True),
        ("它的产能是多少？", True),
        ("What about BAIC?", True),
        ("How much did they invest?", True),
        ("时代北汽的总投资是多少？", False),
        ("小米汽车的工厂建在哪里？", False),
        ("What is the planned capacity of the battery plant?", False),
    ],
)
def test_the_rule_rewrites_only_questions_that_lean_on_the_previous_one(question, follows_up):
    answerer = ExtractiveAnswerer(Settings(), retriever=None)
    history = [("小米在合资公司的持股比例是多少？", "10%[1]")]
    rewritten = answerer.rewrite(question, history)
    assert (rewritten != question) is follows_up
    if follows_up:
        assert rewritten.startswith("小米在合资公司的持股比例是多少？") and rewritten.endswith(question)
