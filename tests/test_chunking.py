"""Chunking follows the report's structure and keeps exact offsets."""

from reportqa.chunking import chunk_document, split_sentences
from reportqa.loaders import Document, load_document

from conftest import REPORT_CORPUS

REPORT = load_document(REPORT_CORPUS / "xiaomi-baic-cooperation-report.txt", REPORT_CORPUS)


def chunk_containing(chunks, phrase):
    return next(chunk for chunk in chunks if phrase in chunk.text)


def test_report_passages_carry_their_section_paths():
    chunks = chunk_document(REPORT)
    expected = {
        "年产能规划达 20GWh": "二、核心合作领域:从供应链到技术研发的全面协同 › 动力电池深度绑定",
        "北汽越野车有限公司": "一、合作背景:政策驱动与产业升级的双重逻辑 › 资质与产能的互补",
        "海纳川作为北汽核心零部件平台": "二、核心合作领域:从供应链到技术研发的全面协同 › 零部件供应链协同",
        "从发布到交付仅 60 天": "三、市场影响:合作与竞争并存的微妙平衡 › 对小米汽车的战略价值",
        "泰国、沙特": "四、未来展望:从战术协同到生态共建 › 短期(1-2 年)",
        "自建工厂年产能 30 万辆": "四、未来展望:从战术协同到生态共建 › 风险与挑战",
        "从 “依赖型” 转向 “竞合型”": "总结",
    }
    for phrase, section in expected.items():
        assert chunk_containing(chunks, phrase).section == section


def test_labelled_items_stay_in_the_body_and_bullet_titles_become_headings():
    chunks = chunk_document(REPORT)
    sections = {chunk.section for chunk in chunks}
    assert not any("产能与成本控制" in section for section in sections)
    assert any(section.endswith(" › 对小米汽车的战略价值") for section in sections)
    assert "- 产能与成本控制:借助北汽的生产资源" in chunk_containing(chunks, "产能与成本控制").text


def test_offsets_point_at_the_chunk_text_in_the_source():
    for chunk in chunk_document(REPORT):
        assert REPORT.text[chunk.start : chunk.end] == chunk.text
        assert chunk.source == "xiaomi-baic-cooperation-report.txt"


def test_section_path_is_embedded_but_not_part_of_the_passage_text():
    chunk = chunk_containing(chunk_document(REPORT), "年产能规划达 20GWh")
    assert "动力电池深度绑定" not in chunk.text
    assert chunk.text_to_embed.startswith(chunk.section + "\n")


def test_chunk_ids_are_stable_and_unique():
    first, second = chunk_document(REPORT), chunk_document(REPORT)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == len(first)


def test_editing_one_section_keeps_the_ids_of_the_others():
    edited = Document(REPORT.source, REPORT.text.replace("20GWh", "25GWh"))
    before = {c.chunk_id for c in chunk_document(REPORT)}
    after = {c.chunk_id for c in chunk_document(edited)}
    assert len(before - after) == 1


def test_markdown_and_chinese_numbered_headings_nest():
    text = "# 年报\n## 经营\n（一）收入\n营业收入增长了百分之十二，主要来自海外。\n1. 成本\n成本下降。\n二、展望\n明年计划扩产。\n"
    chunks = chunk_document(Document("a.md", text))
    assert [c.section for c in chunks] == [
        "年报 › 经营 › （一）收入",
        "年报 › 经营 › （一）收入 › 1. 成本",
        "年报 › 经营 › 二、展望",
    ]


def test_long_sections_split_at_sentence_ends_with_overlap():
    sentences = [f"第{i}句讲的是一件相当具体而且很长的事情，需要好几个字才能说完。" for i in range(12)]
    text = "一、长节\n" + "".join(sentences) + "\n"
    chunks = chunk_document(Document("long.txt", text), max_chars=100, overlap_chars=40)
    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.text.endswith("。")
        assert len(chunk.text) <= 100
    for previous, following in zip(chunks, chunks[1:]):
        assert following.start < previous.end  # the last sentence is repeated
    assert "".join(sentences) in "".join(dict.fromkeys(s for c in chunks for s in _sentences(c.text)))


def _sentences(text):
    return [text[start:end] for start, end in split_sentences(text)]


def test_sentences_split_in_chinese_and_english_keeping_punctuation():
    text = "销量增长 1.2 万辆。Is it good? Yes! 利润下降；成本上升"
    assert _sentences(text) == ["销量增长 1.2 万辆。", "Is it good?", "Yes!", "利润下降；", "成本上升"]


def test_a_numbered_items_number_is_part_of_its_sentence():
    from reportqa.chunking import split_sentences

    text = "判断如下：\n1. 短期看价格：电芯价格仍有下探空间。\n12. Revenue rose. Costs fell.\nIt grew 5. Then it fell."
    assert [text[start:end] for start, end in split_sentences(text)] == [
        "判断如下：", "1. 短期看价格：电芯价格仍有下探空间。", "12. Revenue rose.", "Costs fell.", "It grew 5.", "Then it fell."]
