"""Extractive answers shaped by intent, over a small made-up report with a fake embedding and real Chroma."""

from __future__ import annotations

import pytest

from reportqa.answer import Assistant
from reportqa.answering.calibration import Calibration
from reportqa.answering.evidence import NodeMatch, ScoredSentence
from reportqa.answering.extractive import ExtractiveAnswerer
from reportqa.answering.parts import first_clauses
from reportqa.config import Settings
from reportqa.index import build_index
from reportqa.retrieval import Retriever

from fakes import BagOfWordsEmbeddings

REPORT = """# 华东电池公司年度分析

## 一、经营回顾
公司全年营收 120 亿元,同比增长 18%。储能业务首次盈利。全年净利润 9 亿元;经营现金流 21 亿元;资产负债率降至 52%。

## 二、主要风险
公司面临以下风险:
- 原材料波动:碳酸锂价格一年内下跌 60%,库存减值压力大。
- 海外政策:欧洲电池法规提高了碳足迹要求。
- 客户集中:前五大客户贡献 70% 的收入。

## 三、发展战略
### 近期
- 扩产:新建 10GWh 储能电池产线。
- 降本:导入干法电极工艺。
### 远期
- 出海:在匈牙利建设工厂。
- 固态电池:与高校联合研发固态电解质。

## 结论
公司基本面稳健,但需警惕原材料价格与海外政策风险。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    base = tmp_path_factory.mktemp("shapes")
    (base / "corpus").mkdir()
    (base / "corpus" / "battery.md").write_text(REPORT, encoding="utf-8")
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", llm="none", abstain_threshold=0.05)
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    retriever = Retriever(settings, embeddings=embeddings)
    # The fake embedding's similarities are spread over 0..1, not e5's narrow band.
    fitted = Calibration(dense_band=(0.0, 1.0), cross_lingual_dense_band=(0.0, 1.0))
    return Assistant(settings, retriever=retriever, backend=ExtractiveAnswerer(settings, retriever, fitted=fitted))


def bullet_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("- ")]


def test_a_list_question_gets_one_cited_bullet_per_item(assistant):
    result = assistant.answer("公司有哪些主要风险？")
    bullets = bullet_lines(result.text)
    assert result.intent == "list" and len(bullets) == 3
    for label in ("原材料波动", "海外政策", "客户集中"):
        assert any(line.startswith(f"- {label}:") and line.rstrip().endswith("]") for line in bullets)
    cited = {citation.marker: citation for citation in result.citations}
    for line in bullets:
        marker = int(line.rsplit("[", 1)[1].rstrip("]"))
        assert line[2:].split(":")[0] in cited[marker].text  # each bullet cites a passage that holds its item


def test_a_section_of_sub_sections_lists_each_with_its_items(assistant):
    result = assistant.answer("公司的发展战略包括哪些方面？")
    bullets = bullet_lines(result.text)
    assert any("近期" in line and "扩产" in line and "降本" in line for line in bullets)
    assert any("远期" in line and "出海" in line and "固态电池" in line for line in bullets)


def test_a_summary_request_answers_from_the_documents_own_conclusion(assistant):
    result = assistant.answer("请概括一下这份报告的主要内容")
    assert result.intent == "summary" and not result.abstained
    assert "基本面稳健" in result.text and result.citations[0].section.endswith("结论")


def test_a_request_for_the_conclusion_itself_gets_the_conclusion_not_the_outline(assistant):
    overview = assistant.answer("请概括一下这份报告的主要内容")
    conclusion = assistant.answer("报告最后的结论是什么？")

    assert "经营回顾" in overview.text  # an overview brings the sections after the conclusion
    assert conclusion.intent == "summary" and "基本面稳健" in conclusion.text
    assert "经营回顾" not in conclusion.text and "发展战略" not in conclusion.text, conclusion.text


def test_the_conclusion_on_a_subject_it_speaks_of_is_the_conclusion(assistant):
    # The conclusion speaks of 原材料 and 海外政策: asked for the report's conclusion on them, that is the answer;
    # asked for its conclusion on something it does not mention, the sections that do answer.
    result = assistant.answer("报告对原材料风险得出了什么结论？")
    assert "基本面稳健" in result.text and result.citations[0].section.endswith("结论"), result.text
    other = assistant.answer("报告对固态电池研发得出了什么结论？")
    assert "基本面稳健" not in other.text, other.text


@pytest.mark.parametrize("question", ["用一句话概括这份报告", "用两三句话总结一下这篇报告", "Sum up this report in one sentence."])
def test_how_short_a_summary_should_be_names_no_subject(assistant, question):
    result = assistant.answer(question)
    assert result.intent == "summary" and "基本面稳健" in result.text, result.text


def test_a_lead_in_sentence_brings_the_items_it_introduces(assistant):
    answerer = assistant.backend
    passages = assistant.retriever.retrieve("公司面临以下风险")
    sentences = answerer.score_sentences("公司面临以下风险", passages)
    lead_in = next(s for s in sentences if s.text.startswith("公司面临以下风险"))
    lines = answerer._fact_lines([lead_in])
    assert [line.text.split(":")[0] for line in lines[1:]] == ["原材料波动", "海外政策", "客户集中"]


def test_a_clause_ending_at_a_semicolon_is_carried_on_to_its_sentences_end(assistant):
    # A semicolon joins the clauses of one sentence: the answer is the sentence, not its first clause.
    answerer = assistant.backend
    passages = assistant.retriever.retrieve("全年净利润")
    sentences = answerer.score_sentences("全年净利润", passages)
    clause = next(s for s in sentences if s.text.startswith("全年净利润"))
    [line] = answerer._fact_lines([clause])
    assert line.text == "全年净利润 9 亿元;经营现金流 21 亿元;资产负债率降至 52%。"
    assert (line.start, line.end) == (clause.start, clause.start + len(line.text))


def test_an_answer_is_never_a_bare_lead_in(assistant):
    result = assistant.answer("公司面临哪些风险")
    assert not result.text.rstrip().endswith((":", "：")) and "客户集中" in result.text


def test_clauses_keep_at_least_a_whole_first_clause():
    assert first_clauses("借助北汽的生产资源,小米在 2024 年实现纪录,累计交付突破 20 万台。", 12) == "借助北汽的生产资源"
    assert first_clauses("一句话。第二句话。", 100) == "一句话。"
    assert first_clauses("没有标点的一段文字", 3) == "没有标点的一段文字"


def test_a_list_question_about_a_part_without_items_is_not_answered_with_the_documents_outline(assistant):
    # The "# title" heading above the sections names the document: it is no list of the sections to answer with.
    result = assistant.answer("公司营收有哪些变化？")

    assert "120 亿元" in result.text
    assert "主要风险" not in result.text and "发展战略" not in result.text, result.text


def test_the_best_ranked_section_answers_a_part_question_when_it_scores_close_to_the_best_sentence(assistant):
    retriever = assistant.retriever
    source = retriever.sources()[0]
    tree = retriever.tree(source)
    risks = next(node for node in tree.headings() if node.title.startswith("二、"))
    text = "公司全年营收 120 亿元,同比增长 18%。"
    start = tree.text.index(text)
    # The best sentence is in 一、经营回顾, which lists nothing; the section ranked first scores 0.5 against its 0.6.
    sentences = [ScoredSentence(0, text, 0.5, 0.8, 0.6, frozenset(), (), source, start, start + len(text))]
    nodes = [NodeMatch(tree, risks, 0.5, 1.0, 0.2, 0.1, 0.2)]
    settings = assistant.settings

    def part(ratio):
        fitted = Calibration(dense_band=(0.0, 1.0), cross_lingual_dense_band=(0.0, 1.0), part_node_ratio=ratio)
        found = ExtractiveAnswerer(settings, retriever, fitted=fitted).answering_part("list", sentences, nodes)
        return found[1].title if found else None

    assert part(0.8) == risks.title  # 0.5 >= 0.8 x 0.6
    assert part(1.0) is None  # 0.5 < 1.0 x 0.6: the best sentence's part answers, and it has no list
    assert part(None) is None  # the rule off: only a title matching about as well as the best sentence would
