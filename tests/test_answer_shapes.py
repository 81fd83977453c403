"""Extractive answers shaped by intent, over a small made-up report with a fake embedding and real Chroma."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reportqa.answer import Assistant
from reportqa.answering.calibration import Calibration
from reportqa.answering import evidence
from reportqa.answering.evidence import NodeMatch, ScoredSentence, rank_nodes
from reportqa.answering.choosing import names_one_part
from reportqa.answering.extractive import ExtractiveAnswerer
from reportqa.answering.parts import (Line, first_clauses, heading_line, lists_inline, names_series, states_cause,
                                      verdict_lines)
from reportqa.config import Settings
from reportqa.index import build_index
from reportqa.loaders import Document
from reportqa.retrieval import Passage, Retriever
from reportqa.tree import document_tree

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


def indexed(base, name: str, text: str) -> Assistant:
    """An extractive Assistant over one made-up document, indexed with the fake embedding and real Chroma."""
    (base / "corpus").mkdir()
    (base / "corpus" / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", llm="none", abstain_threshold=0.05)
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    retriever = Retriever(settings, embeddings=embeddings)
    # The fake embedding's similarities are spread over 0..1, not e5's narrow bands.
    fitted = Calibration(dense_band=(0.0, 1.0), english_dense_band=(0.0, 1.0), cross_lingual_dense_band=(0.0, 1.0))
    return Assistant(settings, retriever=retriever, backend=ExtractiveAnswerer(settings, retriever, fitted=fitted))


def part_answerer(assistant, **fitted) -> ExtractiveAnswerer:
    """An extractive answerer over the assistant's index whose similarity bands suit the fake embedding, with the
    section-score rule off (part_node_ratio None, as fitted) and any other fitted numbers given."""
    calibration = Calibration(**{"dense_band": (0.0, 1.0), "cross_lingual_dense_band": (0.0, 1.0), "part_node_ratio": None,
                                 **fitted})
    return ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=calibration)


def evidence_for(assistant, text: str) -> tuple:
    """The document tree of the only document and a ScoredSentence for one of its sentences."""
    source = assistant.retriever.sources()[0]
    tree = assistant.retriever.tree(source)
    start = tree.text.index(text)
    return tree, [ScoredSentence(0, text, 0.5, 0.8, 0.6, frozenset(), (), source, start, start + len(text))]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("shapes"), "battery.md", REPORT)


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


def test_a_numbered_executive_summary_is_the_documents_own_summary(tmp_path):
    report = ("# Kestrel review 2024\n\n## 1 Executive Summary\nThe year was the first of a healthier business. "
              "Revenue climbed 9.4% to £412.6 million.\n\n## 2 Fleet\nThe fleet has 34 aircraft.\n\n"
              "## 3 Outlook\nThe board expects growth.\n")
    review = indexed(tmp_path, "review.md", report)
    result = review.answer("Summarise this report.")
    assert result.text.startswith("The year was the first of a healthier business."), result.text
    assert result.citations[0].section.endswith("1 Executive Summary")


def test_a_broker_notes_investment_thesis_is_its_summary_and_the_broker_no_subject(tmp_path):
    report = ("# Ostra Labs: initiation of coverage\n\n## 1. Investment thesis\nWe initiate with a Buy rating and a "
              "target price of 880p. Demand for assays is rising.\n\n## 2. Management\nWe view the team as credible: "
              "the chief executive has met guidance every year, and the broker's own survey of clients agrees.\n\n"
              "## 3. Risks\nA downturn would hit orders.\n")
    note = indexed(tmp_path, "ostra.md", report)
    result = note.answer("In a nutshell, what is the broker's view on Ostra and why?")
    assert result.intent == "summary" and "Buy rating" in result.text, result.text
    assert "downturn" not in result.text and all(c.section.endswith("1. Investment thesis") for c in result.citations)


def test_reasons_counted_in_prose_are_the_answer_not_the_sections_other_list(tmp_path):
    report = ("# 云帆教育年度致股东信\n\n## 企业培训业务\n2024年，该业务收入4.4亿元。\n\n"
              "企业培训业务快速增长的原因主要有三点。首先，政策推动持证上岗，带来培训需求。其次，制造业加快数字化转型。"
              "再次，个人课程可以复用到企业场景。\n\n公司面向企业客户的产品主要包括以下几类。\n\n"
              "- **岗位证书培训**：提供一站式服务。\n- **企业学习平台**：以软件服务方式开放。\n\n"
              "## 个人学习业务\n会员收入8.1亿元。\n")
    letter = indexed(tmp_path, "letter.md", report)
    result = letter.answer("企业培训为什么增长这么快？")
    assert result.intent == "reason" and "数字化转型" in result.text and "复用" in result.text, result.text
    assert "岗位证书培训" not in result.text, result.text


def test_a_section_with_several_lists_answers_with_the_one_asked_for_and_how_with_its_prose(tmp_path):
    report = ("# 云帆教育年度致股东信\n\n## 企业培训业务\n2024年，该业务收入4.4亿元。\n\n"
              "业务快速增长的原因主要有三点。首先，政策推动持证上岗。其次，制造业加快数字化转型。再次，课程可以复用。\n\n"
              "公司面向企业客户提供的产品与服务主要包括以下几类。\n\n"
              "- **岗位证书培训**：提供一站式服务。\n- **企业学习平台**：以软件服务方式开放。\n\n"
              "在交付流程上，公司为每一家大客户配备专属的客户成功经理。项目启动前先对岗位能力进行诊断；"
              "项目结束后以员工持证率评估培训效果。\n\n## 个人学习业务\n会员收入8.1亿元。\n")
    letter = indexed(tmp_path, "letter.md", report)
    products = letter.answer("公司给企业客户提供哪些产品与服务？")
    assert "岗位证书培训" in products.text and "数字化转型" not in products.text, products.text
    delivery = letter.answer("公司怎样给大客户交付培训项目？")
    assert delivery.intent == "describe" and "客户成功经理" in delivery.text and "持证率" in delivery.text, delivery.text
    assert "数字化转型" not in delivery.text and "岗位证书培训" not in delivery.text, delivery.text


def test_a_best_sentence_naming_the_segments_is_the_list_before_a_lead_in_naming_a_segment(tmp_path):
    report = ("# Halden review\n\n## Company snapshot\nThe business reports four segments: Point-of-care testing, "
              "Laboratory diagnostics, Molecular diagnostics, and Services and software.\n\n## Laboratory diagnostics\n"
              "Revenue grew only 2.8%. Two factors held the segment back. First, a contract was renewed at lower prices. "
              "Second, customers waited for the new platform.\n")
    review = indexed(tmp_path, "halden.md", report)
    answerer = part_answerer(review, list_lead_sentences=4)
    question = "Which business segments does Halden report?"
    passages = review.retriever.retrieve(question, k=5)
    intent, sentences, nodes, _ = answerer.evidence(question, passages)
    assert intent == "list" and "four segments" in sentences[0].text
    assert answerer.part_for(question, intent, sentences, nodes) is None  # the best sentence answers


def test_an_age_asked_of_documents_that_state_no_age_is_absent(tmp_path):
    report = "# 年报\n\n## 公司治理\n董事长陈启航自2015年起担任公司董事长，主持董事会工作。\n"
    review = indexed(tmp_path, "report.md", report)
    answerer = review.backend
    question = "董事长陈启航今年多大年纪？"
    intent, sentences, _, _ = answerer.evidence(question, review.retriever.retrieve(question, k=5))
    assert answerer.gaps(question, intent, sentences)["names_absent"]
    # A kind every report holds (an amount, a year) is not judged so.
    question = "董事长是哪一年上任的？"
    intent, sentences, _, _ = answerer.evidence(question, review.retriever.retrieve(question, k=5))
    assert not answerer.gaps(question, intent, sentences)["names_absent"]
    # Documents that state an age somewhere may state this one.
    (tmp_path / "other").mkdir()
    aged = indexed(tmp_path / "other", "report.md", report + "\n## 高管\n总经理李明，52岁，负责日常经营。\n")
    question = "董事长陈启航今年多大年纪？"
    intent, sentences, _, _ = aged.backend.evidence(question, aged.retriever.retrieve(question, k=5))
    assert not aged.backend.gaps(question, intent, sentences)["names_absent"]


def test_how_the_reports_subject_did_names_no_subject_of_its_own(tmp_path):
    # "Summarise Ardley's performance" asks what the whole review is about: its own summary answers, not the table
    # of segments whose lead-in says "Their performance is summarised below:".
    report = ("# Ardley Pumps annual review\n\n## 1 Segments\nThe group has two segments. Their performance is "
              "summarised below:\n\n| Segment | Revenue |\n|---|---|\n| Valves | £40m |\n| Seals | £22m |\n\n"
              "## 2 People\nThe group employs 900 people.\n\n## 3 Summary\nArdley grew revenue by 8% to £62 million "
              "and raised its dividend by 5% to 4.2 pence.\n")
    review = indexed(tmp_path, "ardley.md", report)
    for question in ("Summarise Ardley's performance.", "请概括Ardley的整体经营表现。"):
        result = review.answer(question)
        assert result.intent == "summary" and "£62 million" in result.text, result.text
        assert result.citations[0].section.endswith("3 Summary"), result.citations


def test_a_sentence_giving_its_own_cause_is_not_answered_by_another_changes_reasons(tmp_path):
    report = ("# 云岭茶业点评\n\n## 二、盈利能力\n2024年毛利率为41.5%，同比提升2.0个百分点。毛利率提升主要源于两方面：\n"
              "- 一是高端礼盒占比提升至35%。\n- 二是春茶收购价下降约6%。\n\n"
              "财务费用为-0.12亿元，主要系港币升值带来汇兑收益所致。\n")
    review = indexed(tmp_path, "tea.md", report)
    result = review.answer("为什么云岭茶业的财务费用是负数？")
    assert result.intent == "reason" and "汇兑收益" in result.text, result.text
    assert "高端礼盒" not in result.text, result.text


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


def test_a_clause_after_a_semicolon_comes_with_the_clauses_before_it(assistant):
    # "资产负债率降至 52%。" goes on from "全年净利润 9 亿元;经营现金流 21 亿元;": the answer is the sentence.
    answerer = assistant.backend
    sentences = answerer.score_sentences("资产负债率", assistant.retriever.retrieve("资产负债率"))
    clause = next(s for s in sentences if s.text.startswith("资产负债率"))
    [line] = answerer._fact_lines([clause])
    assert line.text == "全年净利润 9 亿元;经营现金流 21 亿元;资产负债率降至 52%。"
    # An item a lead-in lists after its colon, one per semicolon, stands alone.
    tree, [item] = evidence_for(assistant, "碳酸锂价格一年内下跌 60%,库存减值压力大。")
    assert answerer.shaper.whole_sentences([Line(item.text, item.source, item.start, item.end)])[0].text == item.text


ANNOUNCING = """工艺简介
电池回收的工艺大致分成两步。第一步是拆解和破碎,得到黑粉;第二步是湿法冶金,提取锂、钴和镍。回收率约 95%。
产线包括破碎、分选、浸出三个环节。这两类工艺都已量产。
"""


@pytest.fixture(scope="module")
def announcing(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("announcing"), "recycling.txt", ANNOUNCING)


def test_a_sentence_announcing_its_steps_brings_the_sentence_that_gives_them(announcing):
    answerer = announcing.backend
    sentences = answerer.score_sentences("回收工艺分几步", announcing.retriever.retrieve("回收工艺分几步"))
    announced = next(s for s in sentences if s.text.startswith("电池回收的工艺"))
    assert [line.text for line in answerer._fact_lines([announced])] == [
        "电池回收的工艺大致分成两步。", "第一步是拆解和破碎,得到黑粉;第二步是湿法冶金,提取锂、钴和镍。"]


@pytest.mark.parametrize("start", ["产线包括破碎", "这两类工艺"])
def test_a_sentence_naming_its_own_kinds_or_pointing_back_brings_nothing_more(announcing, start):
    answerer = announcing.backend
    sentences = answerer.score_sentences("产线和工艺", announcing.retriever.retrieve("产线和工艺"))
    sentence = next(s for s in sentences if s.text.startswith(start))
    assert [line.text for line in answerer._fact_lines([sentence])] == [sentence.text]


def test_an_answer_is_never_a_bare_lead_in(assistant):
    result = assistant.answer("公司面临哪些风险")
    assert not result.text.rstrip().endswith((":", "：")) and "客户集中" in result.text


def test_clauses_keep_at_least_a_whole_first_clause():
    assert first_clauses("借助北汽的生产资源,小米在 2024 年实现纪录,累计交付突破 20 万台。", 12) == "借助北汽的生产资源"
    assert first_clauses("一句话。第二句话。", 100) == "一句话。"
    # An item's last clause may end without a mark: within the budget it is shown.
    assert first_clauses("单台岸桥作业效率达到每小时36.5自然箱，较传统码头提升约18%", 100) == \
        "单台岸桥作业效率达到每小时36.5自然箱，较传统码头提升约18%"
    assert first_clauses("单台岸桥作业效率达到每小时36.5自然箱，较传统码头提升约18%", 25) == "单台岸桥作业效率达到每小时36.5自然箱"
    assert first_clauses("没有标点的一段文字", 3) == "没有标点的一段文字"
    # A comma between a figure's digits ends no clause.
    assert (first_clauses("The acquisition added 1,900 km of routes in Germany, and 40 staff.", 30)
            == "The acquisition added 1,900 km of routes in Germany")
    assert first_clauses("北汽蓝谷交付 12,000 辆,同比增长 8%。", 10) == "北汽蓝谷交付 12,000 辆"
    # Nor does a comma of a series: "150 finance" is no clause of "150 finance, customer-service and IT roles".
    assert (first_clauses("Move about 150 finance, customer-service and IT roles to Brno, where costs are lower.", 20)
            == "Move about 150 finance, customer-service and IT roles to Brno")


def test_a_list_question_about_a_part_without_items_is_not_answered_with_the_documents_outline(assistant):
    # The "# title" heading above the sections names the document: it is no list of the sections to answer with.
    result = assistant.answer("公司营收有哪些变化？")

    assert "120 亿元" in result.text
    assert "主要风险" not in result.text and "发展战略" not in result.text, result.text


def test_the_best_ranked_section_answers_a_part_question_when_it_scores_close_to_the_best_sentence(assistant):
    retriever = assistant.retriever
    # The best sentence is in 一、经营回顾, which lists nothing; the section ranked first scores 0.5 against its 0.6.
    tree, sentences = evidence_for(assistant, "公司全年营收 120 亿元,同比增长 18%。")
    risks = next(node for node in tree.headings() if node.title.startswith("二、"))
    nodes = [NodeMatch(tree, risks, 0.5, 1.0, 0.2, 0.1, 0.2)]
    settings = assistant.settings

    def part(ratio):
        fitted = Calibration(dense_band=(0.0, 1.0), cross_lingual_dense_band=(0.0, 1.0), part_node_ratio=ratio)
        found = ExtractiveAnswerer(settings, retriever, fitted=fitted).answering_part("list", sentences, nodes)
        return found[1].title if found else None

    assert part(0.8) == risks.title  # 0.5 >= 0.8 x 0.6
    assert part(1.0) is None  # 0.5 < 1.0 x 0.6: the best sentence's part answers, and it has no list
    assert part(None) is None  # the rule off: only a title matching about as well as the best sentence would


def test_close_sentences_in_items_of_different_lists_are_answered_by_the_list_whose_section_ranks_best(assistant):
    tree, near = evidence_for(assistant, "扩产:新建 10GWh 储能电池产线。")
    _, far = evidence_for(assistant, "海外政策:欧洲电池法规提高了碳足迹要求。")
    sentences = [near[0], ScoredSentence(0, far[0].text, 0.5, 0.8, 0.55, frozenset(), (), far[0].source,
                                         far[0].start, far[0].end)]
    plans, risks = (next(n for n in tree.headings() if n.title.startswith(title)) for title in ("近期", "二、"))
    answerer = part_answerer(assistant)

    def part(nodes):  # the section of the list that answers
        return tree.section_of(answerer.answering_part("list", sentences, nodes)[1]).title

    # One close sentence in each list: the best sentence's own list answers, unless the other's section ranks higher.
    assert part([NodeMatch(tree, plans, 0.9, 1.0, 1.0, 0.1, 0.2), NodeMatch(tree, risks, 0.7, 1.0, 0.9, 0.1, 0.2)]) == "近期"
    assert part([NodeMatch(tree, risks, 0.9, 1.0, 0.9, 0.1, 0.2), NodeMatch(tree, plans, 0.7, 1.0, 1.0, 0.1, 0.2)]) == "二、主要风险"
    assert part([]) == "近期"


VENTURES = """# 合作报告

## 一、合作领域
### 电池合资
时代北汽由三方共同出资成立,总投资十亿元。该工厂主要生产磷酸铁锂和三元锂电池,供应多款车型。
### 零部件
北汽模塑为小米供应保险杠和外饰件。
### 物流
双方共享物流仓储设施,降低库存成本。
"""


@pytest.fixture(scope="module")
def ventures(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("ventures"), "ventures.md", VENTURES)


def test_a_list_asked_of_one_sub_sections_prose_is_answered_by_its_sentences_not_the_parents_outline(ventures):
    result = ventures.answer("时代北汽的工厂生产哪些电池？")

    assert "磷酸铁锂和三元锂电池" in result.text, result.text
    assert "零部件" not in result.text and "物流" not in result.text, result.text


def test_a_list_further_out_answers_when_its_section_ranks_above_the_best_sentences_own(ventures):
    tree, sentences = evidence_for(ventures, "时代北汽由三方共同出资成立,总投资十亿元。")
    own, parent = (next(n for n in tree.headings() if n.title == title) for title in ("电池合资", "一、合作领域"))
    answerer = part_answerer(ventures)

    def part(nodes):
        found = answerer.answering_part("list", sentences, nodes)
        return found and found[1].title

    # "公司有哪些业务板块" asked where the best sentence is in one business's section: the businesses.
    assert part([NodeMatch(tree, parent, 0.9, 1.0, 1.0, 0.1, 0.2), NodeMatch(tree, own, 0.7, 1.0, 1.0, 0.1, 0.2)]) == "一、合作领域"
    # The best sentence's own section, prose with no list, ranks first: its key sentences answer, not the outline
    # above it nor the best sentences of other sections.
    assert part([NodeMatch(tree, own, 0.9, 1.0, 1.0, 0.1, 0.2), NodeMatch(tree, parent, 0.7, 1.0, 1.0, 0.1, 0.2)]) == "电池合资"


ENGLISH_REPORT = """# Harbor Tools Annual Report

## Business
Harbor Tools makes hand tools for three markets: construction crews, marine workshops and home gardeners. Sales rose 8% to £300 million.

The board highlights two achievements of the year:
- Record orders: orders reached £320 million.
- New plant: the Leeds plant opened in June.

The Leeds plant was opened to cut delivery times to customers in the north.

## Margins
Sales of spanners grew. Operating margin fell to 9%, because steel prices rose sharply during the year.

The company follows a focused strategy:
- Premium range: sell more premium spanners.
- Online: grow online sales to 30% of revenue.

## Expansion
The company entered Germany in 2023 and now works with 40 German dealers.

The expansion path can be summarised as:
1. Dealers first: sign regional dealers before opening an office.
2. Local stock: hold stock in a German warehouse once orders are steady.
3. Own office: open a sales office in Munich after the second year.
"""


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("shapes-en"), "harbor.md", ENGLISH_REPORT)


def test_how_a_part_meets_what_it_lists_is_answered_by_its_prose_not_its_list(tmp_path):
    report = ("# Review\n\n## Risks\nThe main risks are:\n- Costs: energy prices could rise.\n- Staff: vacancies "
              "stood at 7%.\n\nTo reduce these risks the company fixed energy prices, recruited apprentices and "
              "added a hygiene audit.\n")
    review = indexed(tmp_path, "review.md", report)
    tree, evidence = evidence_for(review, "To reduce these risks the company fixed energy prices, recruited "
                                          "apprentices and added a hygiene audit.")
    risks = next(node for node in tree.headings() if node.title == "Risks")

    def answer(question, intent):
        return [line.text for line in review.backend._part_lines(question, intent, tree, risks, evidence)]

    assert answer("How is the company reducing its risks?", "describe") == [evidence[0].text]
    assert answer("What steps has the company taken to reduce its risks?", "list") == [evidence[0].text]


def test_asked_why_one_item_of_a_list_of_other_things_happened_the_best_sentences_answer(tmp_path):
    report = ("# Review\n\n## Overview\nThe directors point to two developments of the year:\n- Brand recovery: sales of "
              "the Verdant brand returned to growth.\n- New plant: the Leeds plant opened in June.\n\n## Brands\n"
              "The Verdant brand was relaunched with a lower price point.\n")
    review = indexed(tmp_path, "review.md", report)
    tree, best = evidence_for(review, "Brand recovery: sales of the Verdant brand returned to growth.")
    answerer = part_answerer(review)

    # The year's developments are no list of reasons: the best sentences answer.
    assert answerer.answering_part("reason", best, []) is None
    # A list its lead-in announces as reasons answers, though only one item scores close.
    reasons = report.replace("two developments of the year", "two reasons for the recovery")
    (tmp_path / "reasons").mkdir()
    review = indexed(tmp_path / "reasons", "review.md", reasons)
    tree, best = evidence_for(review, "Brand recovery: sales of the Verdant brand returned to growth.")
    answerer = part_answerer(review)
    part = answerer.answering_part("reason", best, [])
    assert part is not None and tree.section_of(part[1]).title == "Overview"


def test_asked_why_a_section_matching_only_by_its_title_gives_way_to_the_item_stating_the_reason(tmp_path):
    report = ("# 报告\n\n## 对甲公司的战略价值\n- 产能:借助乙公司的工厂快速交付。\n- 供应:锁定电池供应。\n\n"
              "## 风险与挑战\n- 利益分配:甲公司自建工厂后对乙公司的依赖可能下降。\n- 政策:地方政策可能调整。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "利益分配:甲公司自建工厂后对乙公司的依赖可能下降。")
    value = next(node for node in tree.headings() if node.title == "对甲公司的战略价值")
    answerer = part_answerer(review, part_keep_ratio=0.7)

    def part(evidence: float, title: str | None = None):
        node = value if title is None else next(n for n in tree.headings() if n.title == title)
        found = answerer.answering_part("reason", best, [NodeMatch(tree, node, 1.0, 1.0, evidence, 0.2, 0.8)])
        return found and (found[1].title or found[1].text)

    # The title matches as well as the best sentence (by the party it names: 0.5 of 0.6), but the section holds
    # no sentence close to the best and announces no reasons: it is not the answer.
    assert part(evidence=0.5) != "对甲公司的战略价值"
    # Holding a close sentence, it answers; asked for a list, its title alone still does.
    assert part(evidence=0.9) == "对甲公司的战略价值"
    found = answerer.answering_part("list", best, [NodeMatch(tree, value, 1.0, 1.0, 0.5, 0.2, 0.8)])
    assert found is not None and found[1] is value


def test_asked_why_a_close_sentence_introducing_the_reasons_brings_its_list(tmp_path):
    report = ("# 年报\n\n## 四、利润变动原因分析\n2024年公司净利润同比下降18.5%，主要原因如下：\n"
              "1. 集采降价：仿制药收入减少5.03亿元。\n2. 研发费用增加：费用化金额增加1.05亿元。\n\n"
              "## 七、结论\n2024年是转型的阵痛之年，净利润出现近五年来首次下滑，但创新药增长41.2%。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "2024年是转型的阵痛之年，净利润出现近五年来首次下滑，但创新药增长41.2%。")
    _, (lead,) = evidence_for(review, "2024年公司净利润同比下降18.5%，主要原因如下：")
    answerer = part_answerer(review, part_keep_ratio=0.9)

    # The conclusion restates the fall; the close sentence announcing the reasons leads to them.
    part = answerer.answering_part("reason", [*best, replace(lead, score=0.55)], [])
    assert part is not None and tree.section_of(part[1]).title == "四、利润变动原因分析"
    # Not when it scores too far below the best sentence to be a close one: the best sentence's section answers.
    part = answerer.answering_part("reason", [*best, replace(lead, score=0.2)], [])
    assert part is not None and part[1].title == "七、结论"


def best_and_close(review, best_text: str, close_text: str) -> tuple:
    """The tree, and two evidence sentences: the best one and one scoring close below it (0.55)."""
    tree, (best,) = evidence_for(review, best_text)
    _, (close,) = evidence_for(review, close_text)
    return tree, [best, replace(close, score=0.55)]


def test_asked_why_the_best_sentence_introducing_the_reasons_answers_not_the_outline_around_it(tmp_path):
    report = ("# 年报\n\n## 二、经营业绩\n### （一）主要指标\n利润增速快于收入增速，主要得益于财务费用的下降。\n\n"
              "### （二）费用\n财务费用为4.9亿元，同比下降13.0%。财务费用下降主要有两方面原因：\n"
              "- 一是公司提前偿还了约35亿元高息债务；\n- 二是市场利率下行，综合融资成本下降。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, evidence = best_and_close(review, "财务费用下降主要有两方面原因：", "利润增速快于收入增速，主要得益于财务费用的下降。")
    answerer = part_answerer(review)

    # Close sentences in two sub-sections of 二、经营业绩; the best one introduces the reasons: its list answers.
    part = answerer.answering_part("reason", evidence, [])
    assert part is not None and tree.section_of(part[1]).title == "（二）费用"
    assert any("高息债务" in line.text for line in answerer._part_lines("财务费用为什么下降？", "reason", *part))


def test_a_list_question_gets_the_one_list_of_its_section_that_the_best_sentence_introduces(tmp_path):
    report = ("# 年报\n\n## 自动化码头\n公司建设自动化码头主要基于以下考虑：\n- 一是原有码头能力利用率已超过95%；\n"
              "- 二是人力成本持续上升。\n\n从运营数据看，自动化码头已显现出效率与成本优势，具体表现为：\n"
              "- 作业效率提升：岸桥作业效率达到每小时36.5自然箱，较传统码头提升约18%\n"
              "- 能耗水平下降：单箱综合能耗较传统码头下降约21%\n")
    review = indexed(tmp_path, "report.md", report)
    tree, (lead,) = evidence_for(review, "从运营数据看，自动化码头已显现出效率与成本优势，具体表现为：")
    section = next(node for node in tree.headings() if node.title == "自动化码头")
    answerer = part_answerer(review)

    part = answerer.parts._narrowed("list", (tree, section), lead)
    lines = [line.text for line in answerer._part_lines("自动化码头在哪些方面有改善？", "list", *part)]
    assert any("提升约18%" in line for line in lines) and not any("人力成本" in line for line in lines), lines
    # A fact question, or a best sentence that introduces no list, leaves the section.
    assert answerer.parts._narrowed("fact", (tree, section), lead) == (tree, section)
    _, (item,) = evidence_for(review, "二是人力成本持续上升。")
    assert answerer.parts._narrowed("list", (tree, section), item) == (tree, section)


def test_asked_why_an_outline_of_sub_sections_answers_only_when_they_are_the_reasons(tmp_path):
    report = ("# Annual report\n\n## 3 Financial review\n### 3.2 Revenue and costs\nDepreciation rose as capital "
              "spending on new assets grew.\n\n### 3.3 Investment\nCapital spending reached a record £684 million. "
              "We brought forward £120 million of work from the next period.\n")
    sentences = ("Capital spending reached a record £684 million.",
                 "Depreciation rose as capital spending on new assets grew.")
    review = indexed(tmp_path, "review.md", report)
    _, evidence = best_and_close(review, *sentences)

    part = part_answerer(review).answering_part("reason", evidence, [])
    assert part is None or part[1].title == "3.3 Investment", part and part[1].title
    # Sub-sections a title announces as the reasons are the answer's outline.
    (tmp_path / "reasons").mkdir()
    review = indexed(tmp_path / "reasons", "review.md", report.replace("3 Financial review", "3 Reasons for the rise"))
    _, evidence = best_and_close(review, *sentences)
    part = part_answerer(review).answering_part("reason", evidence, [])
    assert part is not None and part[1].title == "3 Reasons for the rise"


def test_one_item_of_a_list_about_other_things_answers_a_list_question_alone(tmp_path):
    report = ("# 年报\n\n## 竞争格局\n公司的竞争优势主要体现在：\n- 成本控制：单位制造成本比行业平均低约 6%。\n"
              "- 海外本地化：匈牙利工厂满足欧洲客户对本地供应的要求。\n- 但公司也存在明显短板：品牌影响力不及头部企业，"
              "高端车型配套经验不足。\n")
    review = indexed(tmp_path, "report.md", report)
    best_text = "但公司也存在明显短板：品牌影响力不及头部企业，高端车型配套经验不足。"
    tree, best = evidence_for(review, best_text)
    answerer = part_answerer(review)

    # Only the item about the weaknesses scores close; the list introduces strengths: that item answers.
    tree, part = answerer.answering_part("list", best, [])
    assert tree.text[part.start : part.end].strip().startswith("- 但公司也存在明显短板")
    assert [line.text for line in answerer._part_lines("公司有哪些短板？", "list", tree, part)] == [best_text]
    # Its introducing sentence scoring close too: the list answers.
    lead = evidence_for(review, "公司的竞争优势主要体现在：")[1]
    tree, part = answerer.answering_part("list", [*best, *lead], [])
    assert tree.text[part.start : part.end].strip().startswith("公司的竞争优势主要体现在")


def test_a_sentence_that_names_its_own_items_answers_a_list_question(english):
    # Not the bullet list further down its section, which lists something else.
    result = english.answer("Which markets does Harbor Tools sell hand tools into?")
    assert result.intent == "list"
    assert "construction crews, marine workshops and home gardeners" in result.text, result.text
    assert "Record orders" not in result.text, result.text


def test_one_labelled_item_under_a_heading_answers_alone_unless_the_title_matches_as_well(tmp_path):
    report = ("# 年报\n\n## 对小米的战略价值\n- 供应链安全：锁定宁德时代的电池供应。\n- 政策红利：北京市在土地、税收等方面给予支持。\n"
              "\n## 潜在竞争\n- 产品重叠：两款车型直接竞争。\n- 资源争夺：双方争夺电池产能。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "政策红利：北京市在土地、税收等方面给予支持。")
    answerer = part_answerer(review)
    section = next(node for node in tree.headings() if node.title == "对小米的战略价值")

    def title(match: float) -> list[NodeMatch]:
        return [NodeMatch(tree, section, match, 0.0, 0.0, match, match)]

    tree, part = answerer.answering_part("list", best, title(0.1))
    assert tree.text[part.start : part.end].strip().startswith("- 政策红利")
    tree, part = answerer.answering_part("list", best, title(0.6))  # "对小米的战略价值有哪些"
    assert part == section


def test_a_description_of_one_item_that_nothing_else_scores_close_to_is_that_item(assistant):
    tree, best = evidence_for(assistant, "海外政策:欧洲电池法规提高了碳足迹要求。")
    weak = evidence_for(assistant, "公司基本面稳健,但需警惕原材料价格与海外政策风险。")[1]
    weak = [ScoredSentence(0, weak[0].text, 0.3, 0.7, 0.2, frozenset(), (), weak[0].source, weak[0].start, weak[0].end)]
    answerer = part_answerer(assistant)

    lines = answerer.lines("海外政策风险具体是什么？", "describe", [*best, *weak], [])

    assert [line.text for line in lines] == ["海外政策:欧洲电池法规提高了碳足迹要求。"]


def scored(assistant, *texts_and_scores: tuple[str, float]) -> list[ScoredSentence]:
    """ScoredSentences for sentences of the only document, with the given scores, best first."""
    sentences = []
    for text, score in texts_and_scores:
        tree, (sentence,) = evidence_for(assistant, text)
        sentences.append(ScoredSentence(0, text, 0.5, 0.8, score, frozenset(), (), sentence.source, sentence.start,
                                        sentence.end))
    return sentences


def test_asked_for_a_list_one_item_of_which_scores_close_with_prose_elsewhere_the_best_sentences_answer(english):
    sentences = scored(english, ("New plant: the Leeds plant opened in June.", 0.65),
                       ("The Leeds plant was opened to cut delivery times to customers in the north.", 0.6),
                       ("The company entered Germany in 2023 and now works with 40 German dealers.", 0.2))
    answerer = part_answerer(english)
    # Not the year's achievements: one of them is the plant, and the prose beside them says more of it.
    assert answerer.answering_part("list", sentences, []) is None
    lines = [line.text for line in answerer.lines("What does the Leeds plant bring?", "list", sentences, [])]
    assert "The Leeds plant was opened to cut delivery times to customers in the north." in lines
    assert not any("Record orders" in line for line in lines)


def test_a_list_named_in_the_best_sentence_answers_without_the_lists_scoring_next(english):
    sentences = scored(english, ("Harbor Tools makes hand tools for three markets: construction crews, marine "
                                 "workshops and home gardeners.", 0.63),
                       ("The board highlights two achievements of the year:", 0.62),
                       ("The company follows a focused strategy:", 0.3))
    answerer = ExtractiveAnswerer(english.settings, english.retriever,
                                  fitted=Calibration(dense_band=(0.0, 1.0), cross_lingual_dense_band=(0.0, 1.0)))
    lines = [line.text for line in answerer.lines("Which markets does Harbor Tools serve?", "list", sentences, [])]
    assert lines == [sentences[0].text]


def test_a_reason_asked_of_one_item_of_a_list_about_something_else_is_answered_by_its_best_sentences(english):
    # The year's achievements are no reasons for the plant: the sentences that say why answer.
    result = english.answer("Why did Harbor Tools open the Leeds plant?")
    assert result.intent == "reason" and "cut delivery times" in result.text, result.text
    assert "Record orders" not in result.text, result.text


def test_a_summary_of_one_subject_is_answered_by_the_section_that_names_it(english):
    result = english.answer("Summarise what the report says about the expansion.")
    assert result.intent == "summary" and "Dealers first" in result.text, result.text
    assert "40 German dealers" in result.text, result.text  # its prose as well as its list
    assert "steel prices" not in result.text, result.text


def test_a_word_names_one_part_when_only_one_branch_of_titles_holds_it():
    text = ("# 合作报告\n\n## 一、合作背景\n背景。\n\n## 二、合作领域\n### 电池合作\n电池。\n### 物流\n物流。\n\n"
            "## 三、风险\n### 政策风险\n政策。\n")
    tree = document_tree(Document("cooperation.md", text))
    assert not names_one_part(tree, "合作")  # three sections' titles
    assert names_one_part(tree, "风险")  # a section and its own sub-section
    assert names_one_part(tree, "物流") and not names_one_part(tree, "展望")


def test_a_reason_stated_in_prose_is_not_answered_with_the_list_beside_it(english):
    tree, evidence = evidence_for(english, "Operating margin fell to 9%, because steel prices rose sharply during the year.")
    margins = next(node for node in tree.headings() if node.title == "Margins")

    lines = english.backend._part_lines("Why did the operating margin fall?", "reason", tree, margins, evidence)
    text = " ".join(line.text for line in lines)

    assert "steel prices rose" in text and "Premium range" not in text, text
    # A best sentence that gives no cause leaves the section's list as the answer.
    _, plain = evidence_for(english, "Sales of spanners grew.")
    lines = english.backend._part_lines("Why did spanner sales grow?", "reason", tree, margins, plain)
    assert any("Premium range" in line.text for line in lines)


def test_items_named_in_a_sections_prose_answer_a_list_question_about_them_not_its_list(tmp_path):
    # "Margins" lists the strategy; what was done to protect the margin is named in its prose.
    named = "To protect the margin the company closed a warehouse, cut overtime and renegotiated freight rates."
    harbor = indexed(tmp_path, "harbor.md", ENGLISH_REPORT.replace(
        "Operating margin fell to 9%, because steel prices rose sharply during the year.", named))
    tree, evidence = evidence_for(harbor, named)
    margins = next(node for node in tree.headings() if node.title == "Margins")

    lines = harbor.backend._part_lines("What did the company do to protect the margin?", "list", tree, margins, evidence)
    assert [line.text for line in lines] == [named]
    # Asked what the list itself gives, which its lead-in means more closely than the prose sentence, the list
    # answers (the sentence scored as the answerer scores it, by the fake embedding).
    question = "Which focused strategy does the company follow?"
    scored = harbor.backend.scorer.score_units(question, [(0, "harbor.md", "", evidence[0].start, named)],
                                               cross_lingual=False)
    lines = harbor.backend._part_lines(question, "list", tree, margins, scored)
    assert any("Premium range" in line.text for line in lines)
    # A best sentence that names no series leaves the section's list as the answer.
    _, plain = evidence_for(harbor, "Sales of spanners grew.")
    lines = harbor.backend._part_lines("What did the company do about spanners?", "list", tree, margins, plain)
    assert any("Premium range" in line.text for line in lines)


def test_a_reason_asked_of_a_stated_fact_brings_the_sentence_after_it_that_gives_the_cause(tmp_path):
    report = ("# Results\n\n## Profit\nNet profit fell 12% to £40 million. The decline was mainly due to higher steel "
              "costs and a weaker pound. The board kept the dividend.\n")
    harbor = indexed(tmp_path, "results.md", report)
    _, evidence = evidence_for(harbor, "Net profit fell 12% to £40 million.")

    text = " ".join(line.text for line in harbor.backend._described(evidence, reason=True))
    assert "mainly due to higher steel costs" in text, text
    # A description, or a cause the best sentences already give, brings nothing more.
    assert "due to" not in " ".join(line.text for line in harbor.backend._described(evidence))
    _, stated = evidence_for(harbor, "The decline was mainly due to higher steel costs and a weaker pound.")
    lines = harbor.backend._described(stated, reason=True)
    assert [line.text for line in lines] == [stated[0].text]


QUESTION = "Which grew faster, retail or wholesale?"


def compared_units(tmp_path, *sentences: str) -> tuple[Assistant, list[ScoredSentence], list[Line]]:
    """A one-section results report of these sentences, indexed; their evidence, and the first as an answer line."""
    shop = indexed(tmp_path, "units.md", "# Results\n\n## Units\n" + " ".join(sentences) + "\n")
    evidence = [evidence_for(shop, sentence)[1][0] for sentence in sentences]
    first = evidence[0]
    return shop, evidence, [Line(first.text, first.source, first.start, first.end)]


def test_a_comparison_gets_a_sentence_on_each_side_it_weighs(tmp_path):
    shop, evidence, first = compared_units(tmp_path, "Retail sales rose 4% to £20 million.", "Costs were flat.",
                                           "Wholesale sales rose 12% to £35 million, the fastest in the group.")
    retail, _, wholesale = evidence

    lines = shop.backend._both_sides(QUESTION, ("retail", "wholesale"), first, evidence)
    assert [line.text for line in lines] == [retail.text, wholesale.text]
    # A side the lines already name, or one the documents never name, brings nothing more.
    assert shop.backend._both_sides(QUESTION, ("retail", "franchise"), first, evidence) == first


def test_a_sentence_naming_both_sides_in_passing_weighs_neither(tmp_path):
    shop, evidence, first = compared_units(tmp_path, "The group sells through retail and wholesale channels.",
                                           "Retail sales rose 4% to £20 million.", "Wholesale sales rose 12% to £35 million.")

    lines = shop.backend._both_sides(QUESTION, ("retail", "wholesale"), first, evidence)
    assert [line.text for line in lines] == [sentence.text for sentence in evidence]


def test_a_sentence_stating_figures_for_both_sides_compares_them(tmp_path):
    shop, evidence, first = compared_units(tmp_path, "Retail sales rose 4% while wholesale sales rose 12%.",
                                           "Retail sales reached £20 million.", "Wholesale sales reached £35 million.")

    assert shop.backend._both_sides(QUESTION, ("retail", "wholesale"), first, evidence) == first


def test_a_side_is_named_by_the_title_of_its_sentences_section(tmp_path):
    report = ("# Results\n\n## Retail\nRetail is the larger business. Sales rose 4% to £20 million.\n\n"
              "## Wholesale\nSales rose 12% to £35 million. Growth was led by supermarket contracts.\n")
    shop = indexed(tmp_path, "units.md", report)
    first, retail, wholesale, led = (evidence_for(shop, text)[1][0] for text in (
        "Retail is the larger business.", "Sales rose 4% to £20 million.", "Sales rose 12% to £35 million.",
        "Growth was led by supermarket contracts."))
    lines = [Line(first.text, first.source, first.start, first.end)]

    # Each side's sentence states a figure: "Growth was led by…" names growth, but gives none.
    answer = shop.backend._both_sides(QUESTION, ("retail", "wholesale"), lines, [first, led, retail, wholesale])
    assert [line.text for line in answer] == [first.text, retail.text, wholesale.text]


def test_asked_for_a_sum_the_best_sentence_lacks_a_later_sentence_of_its_paragraph_gives_it(tmp_path):
    report = ("# Review\n\n## Sustainability\nThe distinctive element is the partnership with Zerolift Aviation. "
              "The two companies plan a trial in 2026. The trial will not carry passengers. Kestrel has committed "
              "£3.5 million to the programme.\n\nCarbon intensity fell to 92 grams.\n")
    review = indexed(tmp_path, "review.md", report)
    _, best = evidence_for(review, "The distinctive element is the partnership with Zerolift Aviation.")

    text = " ".join(line.text for line in review.backend._fact_lines(best, "money"))
    assert "£3.5 million" in text and "2026" not in text, text
    # Nothing of the kind asked in the rest of the paragraph: the best sentence alone.
    assert [line.text for line in review.backend._fact_lines(best, "weight")] == [best[0].text]


def test_a_list_question_whose_best_sentence_introduces_a_list_gets_that_list(tmp_path):
    report = ("# 报告\n\n## 二、核心合作领域\n### 动力电池\n双方合资建设电芯工厂，北汽参与电池供应。\n"
              "### 零部件\n北汽集团旗下企业深度参与小米汽车供应链：\n- 北汽模塑提供保险杠。\n- 海纳川供应热管理系统。\n"
              "### 物流\n北汽与小米共享物流仓储设施，北汽参与供应链物流。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "北汽集团旗下企业深度参与小米汽车供应链：")
    _, battery = evidence_for(review, "双方合资建设电芯工厂，北汽参与电池供应。")
    _, logistics = evidence_for(review, "北汽与小米共享物流仓储设施，北汽参与供应链物流。")
    close = best + [replace(battery[0], score=0.55), replace(logistics[0], score=0.5)]

    part = part_answerer(review).answering_part("list", close, [])
    assert part is not None and tree.own_text(part[1]) == "北汽集团旗下企业深度参与小米汽车供应链："


def test_asked_why_a_list_of_other_things_beside_the_best_sentence_does_not_answer(tmp_path):
    report = ("# Review\n\n## Summary\nThree developments stood out:\n- Utilisation: block hours rose.\n"
              "- Yields: fares rose on thin routes.\n\nThe board chose not to declare a dividend, preferring to "
              "rebuild liquidity ahead of deliveries.\n")
    review = indexed(tmp_path, "review.md", report)
    _, best = evidence_for(review, "The board chose not to declare a dividend, preferring to rebuild liquidity "
                                   "ahead of deliveries.")

    assert part_answerer(review).answering_part("reason", best, []) is None
    assert states_cause(best[0].text)


def test_the_same_sentence_of_two_overlapping_passages_is_answered_once(english):
    tree, evidence = evidence_for(english, "The company entered Germany in 2023 and now works with 40 German dealers.")
    line = evidence[0]
    lines = english.backend.shaper.whole_sentences([Line(line.text, line.source, line.start, line.end)] * 2)
    assert [l.text for l in lines] == [line.text]


def test_a_description_of_a_part_with_prose_and_steps_gives_the_steps(english):
    tree, _ = evidence_for(english, "Harbor Tools")
    expansion = next(node for node in tree.headings() if node.title == "Expansion")

    lines = english.backend._part_lines("How did the company expand into Germany, step by step?", "describe", tree, expansion)
    text = "\n".join(line.text for line in lines)

    for step in ("Dealers first", "Local stock", "Own office", "The expansion path can be summarised as:"):
        assert step in text, text
    assert "40 German dealers" in text, text
    assert [line.start for line in lines] == sorted(line.start for line in lines)  # in the document's order


def test_a_reason_held_by_an_item_is_shown_by_its_sentence_not_its_first_clause(assistant):
    # The member 近期 is shown by its item that answers (降本), not by the labels of all its items.
    tree, evidence = evidence_for(assistant, "降本:导入干法电极工艺。")
    strategy = next(node for node in tree.headings() if node.title.startswith("三、"))

    lines = assistant.backend._part_lines("公司为什么要导入干法电极工艺？", "reason", tree, strategy, evidence)

    assert [line.text for line in lines if line.bullet][0] == "近期 › 降本:导入干法电极工艺。"
    assert (lines[0].start, lines[0].end) == (evidence[0].start, evidence[0].end)


@pytest.mark.parametrize("sentence, lists", [
    ("The group serves three markets: cold-chain logistics, marine components and industrial software.", True),
    ("合作涵盖三大领域：动力电池、零部件和物流。", True),
    ("应对措施包括：放缓扩产节奏；开展套期保值；加大研发投入。", True),
    ("The board highlights three achievements of the year:", False),
    ("Record orders: new orders of £1.41 billion, a book-to-bill ratio of 1.12.", False),
    ("北汽：提供生产资质，获得代工收入，提升产能利用率。", False),
    ("时间：2024年3月", False),
    ("公司产品覆盖储能电池、动力电池和钠离子电池三大类。", True),  # in Chinese, 、 lists without a colon
    ("公司海外收入主要来自港澳台、日韩、东南亚及北美市场。", True),  # where they come from
    ("工厂主要为小米 SU7、北汽极狐等车型提供磷酸铁锂和三元锂电池。", False),  # named in passing
    ("双方在智能驾驶、车联网等领域展开联合研发:", False),  # a lead-in: its items follow
    ("Revenue rose, margins widened and cash improved.", False),  # in English, no colon: prose
])
def test_lists_inline(sentence, lists):
    assert lists_inline(sentence) is lists


@pytest.mark.parametrize("sentence, series", [
    ("To cut costs the company closed a depot, froze hiring and renegotiated rents.", True),
    ("公司计划压缩低效产能、推进数字化管理，并引入第三方质量追溯体系。", True),
    ("产品覆盖储能电池、动力电池和钠离子电池。", True),
    ("Net profit fell 12% to £40 million.", False),
    ("The mixed fleet is a legacy of the 2017 acquisition of Skerry Air, which brought the Dash 8s into the group, "
     "and of a decision in 2019 to add jets for longer sectors.", False),  # a clause about Skerry Air, no series
    ("公司与宁德时代、比亚迪竞争。", False),  # two things, not a series
])
def test_names_series(sentence, series):
    assert names_series(sentence) is series


@pytest.mark.parametrize("sentence, cause", [
    ("受头部电池企业价格战影响，动力电池毛利率降至 13.5%。", True),
    ("得益于储能订单放量，公司营收增长 18%。", True),
    ("Growth was driven by pharmaceutical customers.", True),
    ("Margins fell because steel prices rose.", True),
    ("Profit rose to £38 million, helped by lower energy costs.", True),
    ("在出口订单拉动下，公司营收增长 12%。", True),
    ("这一下滑主要是公司主动调整的结果。", True),
    ("考虑到公司现金流充裕，我们给予一定估值溢价。", True),
    ("The fall in margin was caused mainly by lower volumes.", True),
    ("Lower electricity costs also contributed.", True),
    ("Higher wages were partly offset by price increases.", True),
    ("动力电池业务收入 118 亿元，同比下降 4%。", False),
    ("For 2025 the board expects organic revenue growth of 5% to 7%.", False),
    ("Net revenue retention eased to 116% from 119% as mid-market customers consolidated seats.", True),
    ("Revenue grew 12% as expected.", False),
    ("混凝土板块收入回落，一方面是房地产项目明显减少；另一方面，公司主动收缩了供货。", True),
    ("公司一方面扩大产能，另一方面加强研发。", False),
    ("Marketing costs were 9% as a share of revenue.", False),
])
def test_states_cause(sentence, cause):
    assert states_cause(sentence) is cause


# A page as CMRC and encyclopaedias give it: its title on a line of its own above the text.
PAGE = """卡尔·路德维希·冯·贝塔郎非
贝塔郎非（；）据《系统论史》记载，是奥地利生物学家，一般系统论创始人。他生于维也纳附近的阿茨格斯多夫。1954年，贝塔郎非建立一般系统论研究会。
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("page"), "page.txt", PAGE)


def test_a_pages_title_line_and_a_bracketed_semicolons_fragment_are_never_answer_sentences(page):
    question = "贝塔郎非是哪国人？"
    sentences = page.backend.score_sentences(question, page.retriever.retrieve(question))

    texts = [sentence.text for sentence in sentences]
    assert "卡尔·路德维希·冯·贝塔郎非" not in texts  # the title line names the page; it states nothing
    # Not the fragment "贝塔郎非（；）": the sentence the bracket opens.
    assert "贝塔郎非（；）" not in texts
    assert "贝塔郎非（；）据《系统论史》记载，是奥地利生物学家，一般系统论创始人。" in texts


def test_whole_sentences_join_a_semicolon_inside_brackets_to_the_rest_of_its_sentence():
    text = "舜天（；）据记载，是琉球国王。他在位五十年；其子继位。"

    assert [text[start:end] for start, end in evidence.whole_sentences(text)] == [
        "舜天（；）据记载，是琉球国王。", "他在位五十年；", "其子继位。"]


@pytest.mark.parametrize("text, title_end", [
    (PAGE, len("卡尔·路德维希·冯·贝塔郎非")),
    ("贝塔郎非是奥地利生物学家。\n他生于维也纳。\n", 0),  # a first line that states something is no title
    ("贝塔郎非\n", 0),  # nothing below it
])
def test_title_end(text, title_end):
    assert evidence.title_end(document_tree(Document("page.txt", text))) == title_end


def test_a_section_holding_the_best_sentence_collects_its_evidence(assistant):
    question = "碳酸锂价格下跌带来什么压力？"
    passages = assistant.retriever.retrieve(question)
    answerer = assistant.backend
    sentences = answerer.score_sentences(question, passages)
    only_evidence = Calibration(node_title_lexical=0.0, node_title_dense=0.0, node_support=0.0, node_evidence=1.0)
    scorer = ExtractiveAnswerer(answerer.settings, assistant.retriever, fitted=only_evidence).scorer

    nodes = rank_nodes(question, passages, assistant.retriever, scorer, sentences)

    by_title = {match.node.title: match.evidence for match in nodes}
    assert "碳酸锂" in sentences[0].text and nodes[0].node.title.startswith("二、主要风险")
    assert by_title["二、主要风险"] == 1.0
    assert all(0.0 <= evidence < 1.0 for title, evidence in by_title.items() if title != "二、主要风险"), by_title


# A section whose prose describes one thing in several short sentences.
WAREHOUSE = """# 华北物流公司年报

## 一、仓储网络
公司在天津港建设了一座冷库。冷库容量为五万吨。冷库屋顶采用光伏供电。冷库于2023年投产。

## 二、运输车队
公司拥有八百辆卡车,全部使用新能源车。
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("warehouse"), "logistics.md", WAREHOUSE)


def test_a_description_gives_a_short_sections_sentences_whole(warehouse):
    result = warehouse.answer("天津港的冷库是怎样的？")

    for sentence in ("天津港建设了一座冷库", "五万吨", "光伏供电", "2023年投产"):
        assert sentence in result.text, result.text
    assert "卡车" not in result.text


FRUIT = """# 港口年报

## 一、冷库
港口冷库由天津港集团运营。每年处理进口水果十万吨。高峰在十二月。

## 二、车队
冷藏车队由集团调度中心统一安排。车队冷藏车共三百辆。
"""


@pytest.fixture(scope="module")
def fruit(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("fruit"), "port.md", FRUIT)


def test_a_description_whose_best_sentence_stands_alone_is_its_sections(fruit):
    result = fruit.answer("天津港集团运营的港口冷库是怎样的？")

    # The one matching sentence names the subject; the rest of its section describes it.
    assert "十万吨" in result.text and "十二月" in result.text, result.text
    assert "冷藏车" not in result.text


@pytest.mark.parametrize("question, dropped, kept", [
    ("邹游的职业是什么？", "职业", "邹游"),
    ("这家银行是什么性质的公司？", "性质", "银行"),
    ("What is the founder's nationality?", "nationality", "founder"),
    ("职业联赛哪一年成立？", None, "职业"),  # 职业 as a word of the subject, not the kind of answer asked
])
def test_the_kind_of_answer_asked_for_by_name_is_no_word_to_match(assistant, question, dropped, kept):
    terms = assistant.backend.scorer.terms(question)
    assert kept in " ".join(terms)
    assert dropped is None or dropped not in " ".join(terms)


@pytest.mark.parametrize("question, dropped, kept", [
    ("How large was the workforce at the end of 2024?", "end", "2024"),
    ("How much cash did the group hold when 2024 closed?", "closed", "2024"),
    ("What was net debt at year end?", "end", "debt"),
    ("截至2024年底，公司账上有多少现金？", "年底", "2024"),
    ("Why did the group close its plant at the end of the road?", None, "close"),  # no year: an ending, a closure
])
def test_words_placing_a_figure_in_its_year_are_no_words_to_match(english, question, dropped, kept):
    terms = " ".join(english.backend.scorer.terms(question))
    assert kept in terms
    assert dropped is None or dropped not in terms


def test_the_share_of_a_questions_words_the_documents_never_use(assistant):
    scorer = assistant.backend.scorer
    assert scorer.unknown_share("公司全年营收是多少？") == 0.0  # every word is the report's
    chairman = scorer.unknown_share("公司的董事长是谁？")  # the report names no chairman
    assert 0.3 < chairman < 1.0
    # An English question over the Chinese report: a word it uses in translation counts as used.
    assert scorer.unknown_share("How many employees does the company have?") > scorer.unknown_share(
        "What are the company's risks?")


def test_one_item_does_not_answer_alone_when_its_list_is_introduced_by_what_the_question_asks_for(tmp_path):
    report = ("# 年报\n\n## 四、风险因素\n1. 资本开支压力：计划新建 12 座冷库，预计总投资 38 亿元。\n"
              "2. 价格竞争：干线运价可能继续承压。\n3. 食品安全责任：温控事故可能带来索赔。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "资本开支压力：计划新建 12 座冷库，预计总投资 38 亿元。")
    answerer = part_answerer(review)
    section = next(node for node in tree.headings() if node.title == "四、风险因素")

    # The first item matches 投资 of 投资者 as well; the list is under 风险因素, and the risks are asked for.
    assert answerer.answering_part("list", best, [], question="投资者需要注意哪些风险？") == (tree, section)
    # Asked for something its title does not name, the item answers alone.
    tree, part = answerer.answering_part("list", best, [], question="公司有哪些投资计划？")
    assert tree.text[part.start : part.end].strip().startswith("1. 资本开支压力")


def test_a_list_question_is_not_answered_by_the_outline_of_a_section_its_words_do_not_name(tmp_path):
    report = ("# 年报\n\n## 一、公司概况\n### 1.1 基本情况\n公司主要为食品、医药和生鲜电商客户提供冷链仓储和城市配送服务。\n"
              "### 1.2 财务表现\n营业收入 74.6 亿元。\n## 二、业务板块\n### 2.1 运输与配送\n"
              "城市配送增长最快，主要客户包括盒马、叮咚买菜和美团买菜。\n### 2.2 医药冷链\n医药冷链收入 6.8 亿元。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "公司主要为食品、医药和生鲜电商客户提供冷链仓储和城市配送服务。")
    answerer = part_answerer(review)
    sections = {node.title: node for node in tree.headings()}

    def ranked(outer_words: float) -> list[NodeMatch]:
        return [NodeMatch(tree, sections["一、公司概况"], 1.0, 0.9, 1.0, outer_words, 0.3),
                NodeMatch(tree, sections["1.1 基本情况"], 0.9, 0.9, 1.0, 0.0, 0.3)]

    # 一、公司概况 ranks above 1.1, but 基本情况 and 财务表现 are no customers: the best sentences answer.
    assert answerer.answering_part("list", best, ranked(0.0), question="城市配送主要服务哪些客户？") is None
    # A section whose title the question names ("公司概况包括哪些部分") is answered by its outline.
    assert answerer.answering_part("list", best, ranked(0.4), question="公司概况包括哪些部分？")[1] == sections["一、公司概况"]


def test_a_tables_row_of_column_names_is_no_answer(tmp_path):
    report = ("# Review\n\n## Segments\nSegment | Revenue 2024 | Growth\nConsumer fibre | EUR 541m | 9%\n"
              "Interconnect | EUR 141m | 27%\n\n## Results\nIn 2024 revenue rose 11% to EUR 918 million.\n")
    review = indexed(tmp_path, "review.md", report)

    result = review.answer("What was revenue in 2024?")
    assert "Segment | Revenue 2024 | Growth" not in result.text, result.text
    assert "EUR 918 million" in result.text, result.text


def test_a_year_the_question_names_is_matched_by_the_title_only_for_sentences_naming_no_other_year(tmp_path):
    report = ("# Corvane Annual Report 2024\n\n## Results\nIn 2024 revenue rose 11% to EUR 918 million.\n"
              "Net debt fell to EUR 1.6 billion.\n\n## Outlook\nFor 2025 the company expects revenue growth of 8%.\n")
    review = indexed(tmp_path, "report.md", report)
    scorer = evidence.SentenceScorer(review.retriever, Calibration())
    question = "What was revenue in 2024?"
    covered = {s.text: s.covered for s in scorer.score(question, review.retriever.retrieve(question))}

    assert "2024" in covered["In 2024 revenue rose 11% to EUR 918 million."]
    assert "2024" in covered["Net debt fell to EUR 1.6 billion."]  # the report's year, from its title
    assert "2024" not in covered["For 2025 the company expects revenue growth of 8%."]


def test_a_question_word_matches_the_other_names_the_report_gives_the_same_thing(tmp_path):
    report = ("# Corvane Annual Report 2024\n\n## Outlook\nCapital expenditure will be about EUR 380 million in 2025.\n"
              "The company plans to spend more on marketing.\n\n## History\nThe company was listed in Amsterdam in 2018.\n")
    review = indexed(tmp_path, "report.md", report)
    scorer = evidence.SentenceScorer(review.retriever, Calibration())

    def covered(question):
        return {s.text: s.covered for s in scorer.score(question, review.retriever.retrieve(question))}

    capex = covered("How much will Corvane spend on capex?")
    assert "capex" in capex["Capital expenditure will be about EUR 380 million in 2025."]
    assert "capex" not in capex["The company plans to spend more on marketing."]
    assert "go public" in covered("When did Corvane go public?")["The company was listed in Amsterdam in 2018."]


def test_a_fact_whose_best_sentence_lacks_the_asked_kind_brings_the_sentence_after_it(tmp_path):
    report = ("# 年报\n\n## 产品\n创新药：已上市的新药为降压药松舒宁。松舒宁全年销售收入6.2亿元，同比增长68%。\n"
              "仿制药：公司拥有批文186个。\n")
    review = indexed(tmp_path, "report.md", report)
    _, best = evidence_for(review, "创新药：已上市的新药为降压药松舒宁。")

    def answer(kind):
        return [line.text for line in review.backend._fact_lines(best, kind)]

    # Asked how much it sold for: the sentence after names the sum.
    assert answer("money") == ["创新药：已上市的新药为降压药松舒宁。", "松舒宁全年销售收入6.2亿元，同比增长68%。"]
    # Asked for nothing the best sentence lacks: it answers alone; nor does a sentence of the next item join.
    assert answer(None) == ["创新药：已上市的新药为降压药松舒宁。"]
    _, last = evidence_for(review, "松舒宁全年销售收入6.2亿元，同比增长68%。")
    assert "公司拥有批文186个" not in " ".join(line.text for line in review.backend._fact_lines(last, "time"))


def test_asked_for_the_conclusion_the_section_naming_a_conclusion_answers_not_the_summary_above_it(tmp_path):
    report = ("# 晨光新能源年报点评\n\n## 一、核心观点\n公司全年营收下降18.3%，组件出货逆势增长21%。\n\n"
              "## 二、经营回顾\n组件出货62.5GW，海外收入占比46%。\n\n"
              "## 五、结论与投资建议\n2024年是公司上市以来经营最为困难的一年。我们维持增持评级。\n")
    review = indexed(tmp_path, "report.md", report)

    conclusion = review.answer("这份报告的结论是什么？")
    assert "最为困难" in conclusion.text and "18.3%" not in conclusion.text, conclusion.text
    overview = review.answer("请概括这份报告的主要内容。")  # a summary: the report's own one comes first
    assert "18.3%" in overview.text, overview.text


def test_a_list_whose_items_hold_the_close_sentences_answers_not_the_outline_holding_more_of_them(tmp_path):
    report = ("# 年报\n\n## 二、核心合作领域\n### 零部件供应链协同\n北汽集团旗下企业深度参与小米汽车供应链:\n"
              "- 北汽模塑为小米提供保险杠等外饰件。\n- 海纳川为小米供应热管理系统。\n- 北汽产投布局小米汽车产业链。\n"
              "### 物流与生产资源整合\n小米的零部件通过北汽物流网络供应。双方共享北汽的仓储设施。零部件库存因此下降。\n")
    review = indexed(tmp_path, "report.md", report)
    texts = ["北汽模塑为小米提供保险杠等外饰件。", "海纳川为小米供应热管理系统。", "北汽产投布局小米汽车产业链。",
             "小米的零部件通过北汽物流网络供应。", "双方共享北汽的仓储设施。", "零部件库存因此下降。"]
    tree, sentences = None, []
    for text in texts:
        tree, (sentence,) = evidence_for(review, text)
        sentences.append(sentence)
    answerer = part_answerer(review)

    # Three close sentences in the three items of one list, against five in two sub-sections of the outline.
    part = answerer.answering_part("list", sentences, [])
    assert part is not None and tree.section_of(part[1]).title == "零部件供应链协同"


def test_a_year_the_documents_never_name_is_a_gap(tmp_path):
    report = ("# Linmoor FY2024 results\n\n## Review\nRevenue rose 6% to £410 million (2023: £387 million). "
              "The board closed the Derby depot.\n")
    answerer = indexed(tmp_path, "linmoor.md", report).backend
    assert answerer.gaps("What was Linmoor's revenue in 2021?", "fact", [])["year_unknown"] is True
    # Named only inside "FY2024", or as the comparative year: the documents name it.
    assert answerer.gaps("What was Linmoor's revenue in 2024?", "fact", [])["year_unknown"] is False
    assert answerer.gaps("What was revenue in 2023?", "fact", [])["year_unknown"] is False


def test_an_acronym_the_documents_write_out_matches_its_words(tmp_path):
    report = ("# Linmoor review\n\n## Customers\nCustomer satisfaction, measured by Net Promoter Score, rose from 29 "
              "to 38. Sustainable aviation fuel was 1.5% of fuel.\n")
    scorer = indexed(tmp_path, "linmoor.md", report).backend.scorer

    assert "net promoter score" in scorer.terms("How far did NPS rise?")["nps"]
    assert "sustainable aviation fuel" in scorer.terms("Linmoor 的 SAF 占比是多少？")["saf"]
    # A word in lower case is no acronym; an acronym the documents write as such matches itself.
    assert scorer.terms("How far did nps rise?")["nps"] == {"nps"}


def test_the_company_a_report_is_about_weighs_less_in_matching_its_sentences(tmp_path):
    report = ("Linmoor Foods annual review 2024\n\n## Review\n2024 was a good year for Linmoor Foods.\n\n"
              "## People\nAt the year end the group employed 2,940 people across its bakeries.\n")
    assistant = indexed(tmp_path, "linmoor.md", report)
    source = assistant.retriever.sources()[0]
    answerer = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=Calibration(subject_weight=0.25))
    # The title's words, not its year: every sentence is about Linmoor Foods, not every one about 2024.
    assert answerer.scorer.subject(source) == {"linmoor", "foods", "annual", "review"}
    terms = answerer.scorer.terms("What was the size of Linmoor Foods' workforce in 2024?")
    idf = {term: 2.0 for term in terms}
    weighted = answerer.scorer.subject_weighted(terms, idf, source)
    assert weighted["linmoor"] == weighted["foods"] == 0.5
    assert weighted["2024"] == weighted["workforce"] == 2.0
    # Weighed as any word (1.0, the default), nothing changes.
    plain = ExtractiveAnswerer(assistant.settings, assistant.retriever, fitted=Calibration())
    assert plain.scorer.subject_weighted(terms, idf, source) == idf


def test_a_heading_is_scaled_by_the_heading_band_when_one_is_fitted():
    from reportqa.answering.evidence import SentenceScorer

    fitted = Calibration(english_dense_band=(0.80, 0.90), english_heading_dense_band=(0.70, 0.80))
    scorer = SentenceScorer(None, fitted)
    # A heading sits further from a question than a sentence does: 0.78 is a close heading, a distant sentence.
    assert scorer.dense_scaled(0.78, False, "Why did margins fall?", heading=True) == pytest.approx(0.8)
    assert scorer.dense_scaled(0.78, False, "Why did margins fall?") == 0.0
    # No heading band fitted (an older calibration): the sentence band.
    assert SentenceScorer(None, Calibration(english_dense_band=(0.80, 0.90))).dense_scaled(
        0.85, False, "Why did margins fall?", heading=True) == pytest.approx(0.5)


def test_a_sides_sentence_states_the_measure_compared(tmp_path):
    # The line on retail states its share, not its growth: the sentence on retail's growth joins it.
    shop, evidence, first = compared_units(
        tmp_path, "Retail made up 40% of group revenue.", "Retail revenue growth was 4% in the year.",
        "Wholesale revenue growth was 12% in the year.")
    share, growth, wholesale = evidence

    lines = shop.backend._both_sides("How did revenue growth in retail compare with that in wholesale?",
                                     ("retail", "wholesale"), first, evidence)
    assert [line.text for line in lines] == [share.text, growth.text, wholesale.text]
    # Asked about the share, the share stands for retail.
    lines = shop.backend._both_sides("Is retail's share of revenue bigger than wholesale's share?",
                                     ("retail", "wholesale"), first, [share, wholesale, growth])
    assert share.text in [line.text for line in lines] and growth.text not in [line.text for line in lines]


def test_asked_why_a_sentence_pointing_back_to_its_cause_comes_with_the_sentence_before_it(tmp_path):
    report = ("# Review\n\n## Costs\nNet finance costs rose to £172 million. About half of our debt is index-linked, "
              "so its interest cost moves with inflation. This is why profit before tax fell even though operating "
              "profit increased.\n")
    review = indexed(tmp_path, "review.md", report)
    _, (best,) = evidence_for(review, "This is why profit before tax fell even though operating profit increased.")
    line = Line(best.text, best.source, best.start, best.end)

    lines = review.backend.shaper.with_causes_before([line])
    assert [l.text for l in lines] == ["About half of our debt is index-linked, so its interest cost moves with "
                                       "inflation.", best.text]
    # The cause already in the answer is not repeated; a sentence that points back to nothing brings nothing.
    assert review.backend.shaper.with_causes_before(lines) == lines
    _, (first,) = evidence_for(review, "Net finance costs rose to £172 million.")
    plain = Line(first.text, first.source, first.start, first.end)
    assert review.backend.shaper.with_causes_before([plain]) == [plain]


@pytest.mark.parametrize("heading", ["投资要点", "Highlights", "Key points", "Investment summary", "1 The Year in Brief",
                                     "2024 at a Glance", "Overview"])
def test_a_report_summarised_under_a_usual_heading_of_its_own_answers_a_summary_request(tmp_path, heading):
    # Broker reports open with 投资要点, annual reports with Highlights: the document's own summary.
    report = ("# 晨光新能源年报点评\n\n## 经营回顾\n组件出货62.5GW，海外收入占比46%。\n\n"
              f"## {heading}\n公司全年营收下降18.3%，组件出货逆势增长21%。\n\n## 风险提示\n硅料价格波动。\n")
    review = indexed(tmp_path, "report.md", report)
    overview = review.answer("请概括这份报告的主要内容。")  # the summary first, then the other sections
    assert overview.text.index("18.3%") < overview.text.index("62.5GW"), overview.text


def test_a_single_fact_takes_in_the_documents_nearest_sentences_outside_its_passages(assistant):
    # Scored as a whole, a passage can keep the sentence stating a fact out of the top passages; the fitted
    # number of the document's other sentences nearest the question by embedding join its sentences.
    retrieved = assistant.retriever.retrieve("原材料波动 碳酸锂价格")[:1]
    assert "储能业务首次盈利" not in retrieved[0].text
    question = "储能业务哪一年首次盈利"
    alone = assistant.backend.score_sentences(question, retrieved)
    assert not any("储能业务首次盈利" in s.text for s in alone)
    settings, retriever = assistant.settings, assistant.retriever
    wider = ExtractiveAnswerer(settings, retriever, fitted=replace(assistant.backend.calibration, elsewhere_sentences=1))
    [near] = [s for s in wider.score_sentences(question, retrieved) if s.text not in {t.text for t in alone}]
    assert near.text.startswith("储能业务首次盈利") and near.passage_rank == len(retrieved)
    # A list asks for a part of the document: its sentences are its passages'.
    listed = wider.score_sentences("公司面临哪些风险", retrieved)
    assert {s.text for s in listed} == {s.text for s in assistant.backend.score_sentences("公司面临哪些风险", retrieved)}


def test_a_list_question_is_answered_by_a_lead_in_naming_what_it_asks_for_among_the_best_sentences(assistant):
    # The section ranked first (三、发展战略) scores well above the best sentence's share; the second best sentence
    # introduces a list and names the things asked for (风险): that list answers, when it is among the fitted
    # number of best sentences.
    tree, best = evidence_for(assistant, "公司全年营收 120 亿元,同比增长 18%。")
    _, lead = evidence_for(assistant, "公司面临以下风险:")
    sentences = [best[0], replace(lead[0], score=0.5)]
    strategy = next(node for node in tree.headings() if node.title.startswith("三、"))
    nodes = [NodeMatch(tree, strategy, 0.9, 1.0, 0.2, 0.1, 0.2)]

    def part(top, question="公司面临哪些风险？"):
        answerer = part_answerer(assistant, part_node_ratio=0.8, list_lead_sentences=top)
        found = answerer.answering_part("list", sentences, nodes, question=question)
        return tree.own_text(found[1]).strip() if found[1].kind != "heading" else found[1].title

    assert part(2) == "公司面临以下风险:"
    assert part(1) == part(0) == strategy.title  # not among the best sentence looked at: the section rule
    assert part(2, "公司有哪些发展计划？") == strategy.title  # the lead-in names other things


def test_a_summary_bullet_of_a_section_with_prose_and_one_sub_section_gives_the_prose(tmp_path):
    report = ("# Halcyon Mutual: 2024 review\n\n## Underwriting\nPremium growth was driven by rate increases and retention.\n\n"
              "### Motor\nMotor premium rose 11% to £610m.\n\n## Capital\nThe solvency ratio was 182%.\n\n"
              "### Dividends\nThe dividend rose 6%.\n\n### Reserves\nReleases were £42m.\n")
    review = indexed(tmp_path, "review.md", report)
    tree = review.retriever.tree(review.retriever.sources()[0])
    underwriting, capital = (next(h for h in tree.headings() if h.title == title) for title in ("Underwriting", "Capital"))
    assert heading_line(tree, underwriting).text.startswith("Underwriting: Premium growth was driven")
    assert heading_line(tree, capital).text == "Capital: Dividends, Reserves"  # sub-sections: their titles


def test_a_reason_stated_in_prose_is_answered_by_prose_not_by_the_table_beside_it(tmp_path):
    report = ("# Halcyon Mutual: 2024 review\n\n## Underwriting\n"
              "Premium growth was driven by three things: rate increases, higher retention and new brokers.\n\n"
              "| Line | Premium 2024 (£m) | Combined ratio |\n|---|---|---|\n| Motor | 610 | 97.2% |\n| Home | 420 | 89.5% |\n\n"
              "Claims inflation eased in the second half.\n\n## Capital\nThe solvency ratio was 182%.\n")
    answer = indexed(tmp_path, "review.md", report).answer("What drove premium growth?")
    assert answer.intent == "reason" and "rate increases" in answer.text, answer.text
    assert "610" not in answer.text and "Combined ratio" not in answer.text, answer.text


@pytest.mark.parametrize("question,kept", [
    ("How much premium did the group write last year?", "premium"),
    ("公司去年的净利润是多少？", "净利润"),
    ("What is the outlook for this financial year?", "outlook"),
])
def test_the_askers_own_year_is_not_a_word_to_match(assistant, question, kept):
    # "last year", 去年: the year the report covers, which it names by number or not at all; "year" would match
    # "Halcyon had a strong year." better than the sentence giving the premium.
    terms = assistant.backend.scorer.terms(question)
    assert kept in terms and not {"year", "last", "去年", "今年", "financial"} & set(terms), terms


def test_a_labelled_paragraph_of_key_points_under_the_title_is_the_reports_own_summary(tmp_path):
    # Broker reports put their key points in a box under the title: "核心观点：…", no heading of their own.
    report = ("栖云茶饮2024年度研究报告\n核心观点：公司全年营收86.4亿元，同比增长21.3%。首次覆盖给予买入评级。\n"
              "一、公司概况\n公司成立于2015年，2023年上市。\n二、财务表现\n综合毛利率为31.2%。\n三、风险提示\n食品安全风险。\n")
    review = indexed(tmp_path, "report.txt", report)
    answer = review.answer("请概括这份报告。")
    assert answer.intent == "summary" and answer.text.index("86.4亿元") < answer.text.index("公司概况"), answer.text
    # What the analyst makes of it is the verdict itself: the box, without the outline.
    view = review.answer("分析师对这家公司怎么看？")
    assert view.intent == "summary" and "买入评级" in view.text and "公司概况" not in view.text, view.text


@pytest.mark.parametrize("heading,question", [
    ("## Our view", "Bottom line: is the analyst positive on the group, and why?"),
    ("## Recommendation", "What is the analyst's take on the shares?"),
])
def test_an_analysts_closing_verdict_answers_a_request_for_the_view_opening_and_closing_lines_first(
        tmp_path, heading, question):
    # A closing "Our view" is the analyst's conclusion; when it is longer than an answer holds, its first line
    # (the gist) and its last (the rating and target) are kept before the lines between them.
    middle = " ".join(f"Point {n} of the argument runs on for a while about margins, capital and the cycle." for n in range(6))
    report = ("# Harlow Group plc: annual review\n\n## Trading\nRevenue rose 4% to £512m.\n\n## Capital\n"
              "The solvency ratio was 181%.\n\n" f"{heading}\nHarlow came through the year in good shape. {middle} "
              "We keep our Buy rating with a target price of 410p.\n")
    answer = indexed(tmp_path, "review.md", report).answer(question)
    assert answer.intent == "summary" and "good shape" in answer.text and "410p" in answer.text, answer.text
    assert answer.text.index("good shape") < answer.text.index("410p") and "Revenue rose" not in answer.text, answer.text


def test_a_chinese_reports_closing_investment_advice_is_its_conclusion(tmp_path):
    report = ("# 远帆航运2024年度研究报告\n\n## 一、公司概况\n公司成立于2009年。\n\n## 二、财务表现\n营业收入62.1亿元。\n\n"
              "## 五、投资建议\n公司运力稳步扩张，盈利能力领先同业。目标价18.5元，维持买入评级。\n")
    answer = indexed(tmp_path, "report.md", report).answer("总的来说，分析师对远帆航运怎么看？")
    assert "买入评级" in answer.text and "盈利能力领先" in answer.text and "公司概况" not in answer.text, answer.text


def test_how_long_a_summary_should_be_in_counted_words_names_no_subject(tmp_path):
    # "三" is a word of the report (its third section's number), and "用三两句话" asks for a length, not for that
    # section.
    report = ("# 云帆家居深度报告\n\n## 核心观点\n公司全年营收增长4.0%，整装渠道成为第二增长曲线。维持买入评级，目标价36.4元。\n\n"
              "## 一、公司概况\n公司在湖州、成都、天津建成生产基地。\n\n## 二、经营回顾\n整装渠道收入增长37%。\n\n"
              "## 三、风险提示\n地产需求下行。\n")
    review = indexed(tmp_path, "report.md", report)
    result = review.answer("用三两句话概括一下这份报告。")
    assert result.intent == "summary" and "目标价36.4元" in result.text, result.text
    assert result.citations[0].section.endswith("核心观点"), result.citations


def test_a_name_the_whole_report_speaks_of_is_no_subject_of_a_summary(tmp_path):
    # The title does not name the company; its name runs through every section: "how 2024 went for Vellby" asks
    # for the whole report, not for the one section that names the company most.
    report = ("# Annual Report 2024\n\n## 1 The Year in Brief\nVellby grew revenue by 5.1% to €210m and lifted its "
              "margin to 9.2%.\n\n## 2 Markets\nVellby sells boats in Norway and Sweden.\n\n"
              "## 3 Outlook\nFor 2025 Vellby expects revenue growth in the low single digits.\n")
    review = indexed(tmp_path, "vellby.md", report)
    result = review.answer("Give me a quick rundown of how 2024 went for Vellby.")
    assert result.intent == "summary" and "€210m" in result.text, result.text
    assert result.citations[0].section.endswith("1 The Year in Brief"), result.citations


def test_asked_why_a_figure_fell_the_sentence_after_it_giving_its_cause_answers_not_another_ones_cause(tmp_path):
    # Beside a table of channels, the prose gives each channel's cause; the one for the asked channel says
    # "这一下滑" of the sentence before it, which names the channel.
    report = ("# 报告\n\n## 分渠道\n各渠道收入如下：\n\n| 渠道 | 收入 | 同比 |\n|---|---|---|\n| 经销 | 61.5 | -2.1% |\n"
              "| 大宗 | 13.2 | -18.0% |\n\n经销收入下滑的原因，一是新房交付量下降导致门店客流减少，二是客户转向整装套餐。"
              "\n大宗业务收入13.2亿元，同比下降18.0%。这一下滑主要是公司主动调整的结果：公司暂停向高负债房企承接新项目。\n")
    review = indexed(tmp_path, "report.md", report)
    result = review.answer("大宗业务收入掉了18%，背后是什么原因？")
    assert result.intent == "reason" and "主动调整" in result.text, result.text
    assert "经销收入下滑的原因" not in result.text, result.text  # the other channel's cause


def test_a_verdict_too_long_for_an_answer_keeps_its_rating_line_with_its_first_and_last():
    texts = ["公司全年营收增长4.0%，利润增速快于收入。", "渠道换挡：整装渠道收入同比增长37.4%。", "盈利改善：毛利率提升1.2个百分点。",
             "估值与评级：给予17倍市盈率，目标价36.40元，维持买入评级。", "与市场的分歧在于存量翻新需求。"]
    lines, start = [], 0
    for text in texts:
        lines.append(Line(text, "r.md", start, start + len(text)))
        start += len(text) + 1
    kept = [line.text for line in verdict_lines(lines, len(texts[0]) + len(texts[3]) + len(texts[4]) + 5)]
    assert kept == [texts[0], texts[3], texts[4]]


def test_asked_why_beside_a_captioned_table_the_counted_causes_answer_with_their_own_lead_in(tmp_path):
    # The caption makes the table's rows a list of the section; asked why, the rows (figures) give way to the
    # counted causes, introduced by their own sentence, not by the caption.
    report = ("# 云帆游戏2024年报告\n## 5.2 费用\n表4：主要费用率\n项目 | 2023A | 2024A\n销售费用率 | 2023A：30.2% | 2024A：28.4%\n"
              "管理费用率 | 2023A：6.5% | 2024A：6.1%\n资料来源：公司公告\n"
              "2024年销售费用率同比下降1.8个百分点。销售费用率下降的原因主要有三个：一是老产品处于成熟期，投放需求下降；"
              "二是小游戏平台的自然新增用户占比约55%；三是投放模型减少了低效投放。\n## 6 估值\n给予买入评级。\n")
    answer = indexed(tmp_path, "yunfan.md", report).answer("为什么销售费用率下降了？")
    assert answer.intent == "reason", answer.text
    for cause in ("成熟期", "55%", "低效投放"):
        assert cause in answer.text, answer.text
    assert "表4" not in answer.text and "30.2%" not in answer.text, answer.text


def test_a_question_asking_two_facts_gets_a_sentence_for_each(tmp_path):
    report = ("# Tamsin Hotels 2024\n## Trading\nRevenue rose 8% to £1,842m on higher room rates.\n"
              "## Loyalty\nThe Tamsin Circle loyalty scheme now has 14.2 million people as members, up 19%.\n"
              "Members booked 44% of room nights.\nThe scheme's app was rebuilt in 2024.\n")
    answer = indexed(tmp_path, "tamsin.md", report).answer(
        "How many people now belong to the loyalty scheme, and what proportion of the room nights did they account for?")
    assert "14.2 million" in answer.text and "44%" in answer.text, answer.text


def test_a_reports_legal_boilerplate_answers_only_a_question_about_it(tmp_path):
    report = ("# 云帆游戏深度报告\n## 7 风险提示\n- 版号政策变化风险：版号发放放缓将推迟新品上线。\n- 行业竞争加剧风险：头部厂商分流用户。\n"
              "## 免责声明\n本报告不构成投资建议，投资者应当自行承担投资风险。\n")
    assistant = indexed(tmp_path, "yunfan.md", report)
    answer = assistant.answer("报告提醒投资者注意哪些风险？")
    assert "版号" in answer.text and "自行承担" not in answer.text, answer.text
    assert "自行承担" in assistant.answer("免责声明说了什么？").text


def test_the_authors_own_summing_up_paragraph_leads_a_summary_before_a_section_of_highlights(tmp_path):
    report = ("# Tamsin Hotels 2024\n## 2024 at a glance\nRevenue rose 8% to £1,842m.\nWe opened 31 hotels.\n"
              "## Trading\nRevPAR grew 7.9% on higher room rates.\n## Outlook\nWe expect 30 to 35 openings in 2025.\n"
              "In summary, 2024 showed what our asset-light strategy can deliver. A strong balance sheet supports growth.\n")
    answer = indexed(tmp_path, "tamsin.md", report).answer("Summarise the review.")
    assert answer.text.startswith("In summary, 2024 showed"), answer.text
    # Without such a paragraph the highlights lead, as before.
    (tmp_path / "plain").mkdir()
    plain = indexed(tmp_path / "plain", "tamsin.md", report.replace("In summary, ", "Looking back, "))
    text = plain.answer("Summarise the review.").text
    assert text.startswith("Revenue rose 8%"), text


def test_described_a_labelled_item_opened_by_the_best_sentence_answers_with_its_sentences(tmp_path):
    report = ("# 云帆游戏深度报告\n## 投资要点\n- 新品周期：开放世界新作《归墟》已取得版号，计划三季度上线。\n"
              "## 产品储备\n公司储备产品共有两款：\n- 《归墟》：公司研发投入最大的开放世界新作。产品基于自研引擎开发，支持移动端与PC端互通。"
              "首次测试次日留存率约52%。\n- 《霜港》：二次元回合制新作。计划先在日本上线。\n"
              "## 风险提示\n- 新品风险：开放世界新作《归墟》若上线推迟，将影响公司收入。\n")
    # Three sentences name the game; the item that the best of them opens describes it.
    answer = indexed(tmp_path, "yunfan.md", report).answer("介绍一下公司那款开放世界新作《归墟》。")
    assert answer.intent == "describe", answer.text
    assert "自研引擎" in answer.text and "52%" in answer.text, answer.text
    assert "霜港" not in answer.text, answer.text


def test_asked_why_a_table_row_naming_the_figure_gives_way_to_the_sentence_saying_why(tmp_path):
    report = ("# Annual report 2024\n\n## 1. Letter\nRevenue rose 21.7% to $486.3 million. Net revenue retention eased "
              "to 116% from 119% as a number of mid-market customers consolidated seats during the year.\n\n"
              "## 2. Key figures\n"
              "Measure | 2024 | 2023\nRevenue ($m) | 2024: 486.3 | 2023: 399.6\n"
              "Net revenue retention (%) | 2024: 116 | 2023: 119\nEmployees | 2024: 2,310 | 2023: 2,045\n")
    review = indexed(tmp_path, "report.md", report)
    result = review.answer("Why did net revenue retention slip in 2024?")
    assert result.intent == "reason" and "consolidated seats" in result.text, result.text
    assert "Employees" not in result.text and "| 2024:" not in result.text


def test_asked_why_a_cause_comes_with_the_next_sentence_adding_another(tmp_path):
    report = ("# 年度报告\n\n## 骨料业务\n骨料业务收入19.7亿元。骨料销量增长主要得益于产能的集中释放，枝江基地二期投产。"
              "同时，公司利用沿江码头将骨料以水路外销至长江下游缺砂地区。机制砂应用比例提高。\n\n## 水泥业务\n水泥价格下降。\n")
    review = indexed(tmp_path, "report.md", report)
    result = review.answer("什么推动了骨料销量的增长？")
    assert result.intent == "reason" and "产能的集中释放" in result.text and "水路外销" in result.text, result.text


def test_a_question_is_also_searched_in_the_documents_own_words(tmp_path):
    review = indexed(tmp_path, "report.md", "# Annual report 2024\n\n## Results\nRevenue rose 21.7% to $486.3 million.\n")
    retriever = review.retriever
    assert retriever.worded("How much did the top line grow in FY2024?") == "How much did the revenue grow in FY2024?"
    assert retriever.worded("What were revenues?") == "What were revenue?"  # another form of a word the documents use
    assert retriever.worded("What was the 营收?") == "What was the 营收?"  # another script: only when translated
    assert retriever.worded("What was the 营收?", translated=True) == "What was the revenue?"


def test_asked_why_the_cause_a_sections_prose_gives_answers_not_a_list_of_reasons_for_something_else(tmp_path):
    report = ("# 年度报告\n\n## 二、主要经营数据\n报告期内收入与利润同步下滑。拆解来看，利润下滑主要有以下几方面原因：\n"
              "- 一是水泥价格下行，收入减少；\n- 二是下游需求萎缩，混凝土销量减少；\n- 三是计提资产减值准备。\n\n"
              "## 三、混凝土业务\n混凝土板块收入回落，一方面是房地产项目明显减少，订单下降约三成；另一方面，公司主动收缩了对"
              "民营房企的供货。基建项目占比升至63%。\n")
    review = indexed(tmp_path, "report.md", report)
    result = review.answer("混凝土板块收入下滑是什么原因造成的？")
    assert result.intent == "reason" and "房地产项目明显减少" in result.text and "主动收缩" in result.text, result.text
    assert "计提资产减值" not in result.text, result.text


def test_a_sentence_two_overlapping_passages_hold_is_scored_once(assistant):
    passages = assistant.retriever.retrieve("公司全年营收和净利润是多少？")
    source = passages[0].source
    tree = assistant.retriever.tree(source)
    # Two chunks as the chunker makes them, ending at sentence ends and sharing two sentences.
    a, b = tree.text.index("公司全年营收"), tree.text.index("经营现金流")
    c, d = tree.text.index("储能业务"), tree.text.index("资产负债率降至 52%。") + len("资产负债率降至 52%。")
    first = Passage("a", tree.text[a:b], source, "", 0.9, a, b)
    second = Passage("b", tree.text[c:d], source, "", 0.8, c, d)
    sentences = assistant.backend.scorer.score("公司全年净利润是多少？", [first, second])
    starts = [(sentence.source, sentence.start) for sentence in sentences]
    assert len(starts) == len(set(starts))
    # Passages made without offsets (all at 0) are different passages: each sentence counts.
    made = [Passage("x", "小米持股10%。", source, "", 0.5, 0, 8), Passage("y", "全年净利润 9 亿元。", source, "", 0.5, 0, 11)]
    assert len(assistant.backend.scorer.score("公司全年净利润是多少？", made)) == 2


def test_asked_how_a_risk_is_met_the_item_holding_the_close_sentences_answers_whole(tmp_path):
    report = ("# 年度报告\n\n## 主要风险及应对\n公司面临的主要风险及应对措施如下：\n"
              "- 需求下行风险。房地产投资下降，水泥需求可能萎缩。公司将加大对重点工程的覆盖。\n"
              "- 应收账款回收风险。部分混凝土客户资金链紧张，混凝土业务回款周期拉长。公司已实行客户分级授信和动态预警。\n"
              "- 海外经营风险。老挝工厂面临货币贬值，公司将通过美元计价销售加以缓释。\n\n"
              "## 混凝土业务\n混凝土板块收入回落，公司对信用评级较低的混凝土客户一律实行现款现货。\n")
    review = indexed(tmp_path, "report.md", report)
    tree, best = evidence_for(review, "部分混凝土客户资金链紧张，混凝土业务回款周期拉长。")
    _, label = evidence_for(review, "应收账款回收风险。")
    _, elsewhere = evidence_for(review, "混凝土板块收入回落，公司对信用评级较低的混凝土客户一律实行现款现货。")
    evidence = [best[0], replace(elsewhere[0], score=0.58), replace(label[0], score=0.55)]
    part = part_answerer(review).answering_part("describe", evidence, [])
    assert part is not None and tree.own_text(part[1]).startswith("- 应收账款回收风险"), part


def test_a_question_in_the_documents_words_follows_the_documents_when_they_change(tmp_path):
    review = indexed(tmp_path, "report.md", "# Annual report 2024\n\n## Results\nRevenue rose 21.7%.\n")
    assert review.retriever.worded("What was the top line?") == "What was the revenue?"
    (review.settings.corpus_dir / "report.md").write_text("# Annual report 2024\n\n## Results\nSales rose 21.7%.\n",
                                                          encoding="utf-8")
    build_index(review.settings, embeddings=review.retriever.embeddings)
    review.retriever.refresh()
    assert review.retriever.worded("What was the top line?") == "What was the sales?"


def test_asked_to_describe_a_thing_the_sentences_after_the_best_in_its_paragraph_come_first(tmp_path):
    report = ("# Annual report 2024\n\n## Hospitals\nOur ninth specialist referral hospital opened in Leeds in September 2024. "
              "Built at a cost of £12.4 million, it has its own MRI scanner and a 24-hour emergency unit.\n\n"
              "## Services\nSpecialist surgery is offered across the group. A new hospital clinic opened in 2024.\n")
    review = indexed(tmp_path, "report.md", report)
    result = review.answer("Describe the specialist hospital that opened in 2024.")
    assert result.intent == "describe" and "MRI" in result.text and "Leeds" in result.text, result.text
