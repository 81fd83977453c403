"""Each supported format becomes text whose headings give the chunks their section paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportqa.chunking import chunk_document
from reportqa.errors import DocumentError
from reportqa.loaders import list_documents, load_document

DATA = Path(__file__).parent / "data"
PDF_EXPECTED = json.loads((DATA / "report_pdf_expected.json").read_text(encoding="utf-8"))
REPORT = "# 年度报告\n\n## 一、产能\n\n亦庄工厂年产能为十五万辆。\n\n## 二、电池\n\n每年采购二十吉瓦时动力电池。\n"


def load(corpus: Path, name: str):
    return load_document(corpus / name, corpus)


def section_of(document, needle: str) -> str:
    """The section path of the chunk that contains needle."""
    chunks = [chunk for chunk in chunk_document(document) if needle in chunk.text]
    assert chunks, f"no chunk contains {needle!r}"
    return chunks[0].section


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_text_encodings_are_detected(tmp_path, encoding):
    (tmp_path / "report.md").write_bytes(REPORT.encode(encoding))
    document = load(tmp_path, "report.md")
    assert document.text == REPORT
    assert section_of(document, "十五万辆") == "年度报告 › 一、产能"


@pytest.mark.parametrize("name", ["report_embedded.pdf", "report_cid.pdf"])
def test_pdf_keeps_chinese_text_reading_order_and_headings(tmp_path, name):
    (tmp_path / name).write_bytes((DATA / name).read_bytes())
    document = load(tmp_path, name)
    positions = [document.text.find(block) for block in PDF_EXPECTED["blocks"]]
    assert -1 not in positions, "a paragraph was lost or broken inside"
    # The stream holds 第二段 before 第一段 and the two columns side by side.
    assert positions == sorted(positions)
    assert "内部资料" not in document.text  # the running header of every page
    assert section_of(document, "二期扩建") == "北汽与小米合作报告 › 四、左栏：产能规划"
    assert section_of(document, "武汉研发中心") == "北汽与小米合作报告 › 五、右栏：人员安排"
    assert section_of(document, "吉瓦时") == "北汽与小米合作报告 › 二、核心合作领域"


def test_docx_headings_come_from_paragraph_styles(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    word = docx.Document()
    word.add_heading("年度报告", level=0)  # the Title style
    word.add_heading("一、产能", level=1)
    custom = word.styles.add_style("报告小标题", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = word.styles["Heading 2"]
    word.add_paragraph("亦庄工厂", style="报告小标题")
    word.add_paragraph("亦庄工厂年产能为十五万辆。")
    word.add_paragraph("加粗但不是标题的一行").runs[0].bold = True
    word.add_heading("二、供应商", level=1)
    table = word.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("供应商", "份额"), ("宁德时代", "六成")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    word.save(tmp_path / "report.docx")

    document = load(tmp_path, "report.docx")
    assert section_of(document, "十五万辆") == "年度报告 › 一、产能 › 亦庄工厂"
    assert section_of(document, "宁德时代 | 六成") == "年度报告 › 二、供应商"
    assert "# 加粗" not in document.text


def test_html_headings_and_visible_text_only(tmp_path):
    page = (
        '<html><head><meta charset="gbk"><title>页面标题</title><style>h1{color:red}</style></head><body>'
        "<script>var secret = '脚本内容';</script>"
        "<h1>年度报告</h1><h2>一、<b>产能</b></h2><p>亦庄工厂年产能为<strong>十五万辆</strong>。</p>"
        "<h2>二、供应商</h2><table><tr><th>供应商</th><th>份额</th></tr><tr><td>宁德时代</td><td>六成</td></tr></table>"
        "</body></html>"
    )
    (tmp_path / "report.html").write_bytes(page.encode("gbk"))
    document = load(tmp_path, "report.html")
    assert section_of(document, "年产能为十五万辆。") == "年度报告 › 一、产能"
    assert section_of(document, "宁德时代 | 份额：六成") == "年度报告 › 二、供应商"  # the th row names the column
    assert "脚本内容" not in document.text and "color" not in document.text and "页面标题" not in document.text


def test_html_site_menus_and_page_footer_are_not_the_report(tmp_path):
    # A report published on a site: its menu and the page's footer are the site's; the article's footer is its own.
    page = (
        '<html><body><nav><a href="/">研究首页</a><a href="/contact">联系我们</a></nav>'
        '<div role="navigation"><a href="/list">报告列表</a></div>'
        "<main><article><h1>智衡传动深度报告</h1><h2>投资要点</h2><p>首次覆盖给予买入评级。</p>"
        "<footer><p>分析师：林书远</p></footer></article></main>"
        "<footer><p>© 2025 远澜证券 版权所有</p></footer></body></html>"
    )
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
    text = load(tmp_path, "report.html").text
    assert text.splitlines()[0] == "# 智衡传动深度报告" and "分析师：林书远" in text
    assert not any(word in text for word in ("研究首页", "联系我们", "报告列表", "版权所有")), text


def test_html_list_items_are_items(tmp_path):
    # A browser draws the bullets and numbers: the items must still read as items of the lead-in above them.
    page = (
        "<html><body><h1>Annual results</h1><h2>1. Strategy</h2><p>It rests on three priorities:</p>"
        "<ol><li>Grow <strong>recurring</strong> revenue.</li><li>Reach a 16% margin.</li></ol>"
        "<ul><li>Simplify operations.</li><li>- Already marked.</li></ul></body></html>"
    )
    (tmp_path / "results.html").write_text(page, encoding="utf-8")
    lines = load(tmp_path, "results.html").text.splitlines()
    assert lines[lines.index("It rests on three priorities:") + 1 :] == [
        "- Grow recurring revenue.", "- Reach a 16% margin.", "- Simplify operations.", "- Already marked."]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt holds no text"),
        ("blank.md", b" \n\t\n", "blank.md holds no text"),
        ("image.txt", bytes(range(256)) * 8, "image.txt looks like a binary file"),
        ("latin1.txt", "caf\xe9 na\xefve \x81\x8d".encode("latin-1"), "latin1.txt is neither UTF-8 nor GBK"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <<", "broken.pdf cannot be read as a PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx cannot be read as a Word .docx file"),
    ],
)
def test_unreadable_documents_raise_a_message_naming_the_file(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(DocumentError, match=message.replace(".", r"\.")):
        load(tmp_path, name)


def test_truncated_pdf_is_a_document_error(tmp_path):
    raw = (DATA / "report_embedded.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(raw[: len(raw) // 3])
    with pytest.raises(DocumentError, match=r"cut\.pdf"):
        load(tmp_path, "cut.pdf")


def test_pdf_without_text_layer_says_to_run_ocr(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "scan.pdf", "wb") as file:
        writer.write(file)
    with pytest.raises(DocumentError, match=r"scan\.pdf has no text layer.*OCR"):
        load(tmp_path, "scan.pdf")


def test_list_documents_finds_every_format_and_skips_others(tmp_path):
    for name in ["a.txt", "b.md", "c.pdf", "d.docx", "e.html", "f.htm", "g.png", ".hidden.txt", "sub/h.TXT"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    names = [path.relative_to(tmp_path).as_posix() for path in list_documents(tmp_path)]
    assert names == ["a.txt", "b.md", "c.pdf", "d.docx", "e.html", "f.htm", "sub/h.TXT"]


def test_markdown_marks_a_reader_does_not_see_are_dropped(tmp_path):
    (tmp_path / "report.md").write_text(
        "# 年度分析\n\n> 数据截至 2024 年末。\n\n## 四、风险因素\n\n"
        "1. **资本开支压力**：计划新建 12 座冷库，详见[公告](http://example.com/a)。\n"
        "- *价格竞争*：运价承压，`蓝鲸`系统除外。\n\n---\n\n"
        "| 业务 | 收入 |\n| --- | ---: |\n| 冷链仓储 | 31.2 |\n", encoding="utf-8")

    text = load(tmp_path, "report.md").text

    assert "1. 资本开支压力：计划新建 12 座冷库，详见公告。" in text
    assert "- 价格竞争：运价承压，蓝鲸系统除外。" in text
    assert "数据截至 2024 年末。" in text and ">" not in text
    assert "业务 | 收入\n冷链仓储 | 收入：31.2" in text and "---" not in text
    assert section_of(load(tmp_path, "report.md"), "资本开支压力") == "年度分析 › 四、风险因素"


def test_english_pdf_bold_subheadings_bullets_table_rows_and_a_paragraph_across_pages():
    # Helvetica, headings in bold 14 and 12 pt over 10.5 pt text with their numbers set apart by a wide gap,
    # bullets "•" that the font leaves unmapped ("(cid:127)"), a table drawn as columns under a bold header
    # row, a paragraph wrapped onto the next page.
    reports = DATA / "reports"
    text = load(reports, "corvane-networks-2024.pdf").text

    assert "## 2. Operations\n### 2.1 Consumer fibre\nThe network passed 2.9 million homes" in text
    assert "- Financing: about EUR 600 million of bonds mature in 2026" in text and "(cid:" not in text
    assert ("Segment | Revenue 2024 | Growth\nConsumer fibre | Revenue 2024: EUR 541m | Growth: 9%\n"
            "Business connectivity | Revenue 2024: EUR 236m | Growth: 8%") in text
    assert "## 1. Overview\n" in text and "#### " not in text  # a bold header row is no heading
    assert "capital expenditure of about EUR 380 million, down from EUR 455 million" in text
    document = load(reports, "corvane-networks-2024.pdf")
    assert section_of(document, "Lindqvist Optical") == "Corvane Networks plc - Annual Report 2024 › 2. Operations › 2.2 Interconnect"


def test_word_list_paragraphs_keep_a_bullet(tmp_path):
    import docx

    word = docx.Document()
    word.add_heading("二、主要风险", level=1)
    word.add_paragraph("公司面临以下风险：")
    word.add_paragraph("原材料价格波动导致毛利承压。", style="List Bullet")
    word.add_paragraph("海外政策变化影响出口。", style="List Number")
    word.add_paragraph("结论：风险可控。")
    word.save(tmp_path / "risks.docx")

    text = load(tmp_path, "risks.docx").text
    assert "公司面临以下风险：\n- 原材料价格波动导致毛利承压。\n- 海外政策变化影响出口。\n结论：风险可控。" in text


def test_markdown_front_matter_comments_and_underlined_headings(tmp_path):
    (tmp_path / "notes.md").write_text(
        "---\ntitle: 年报\nauthor: 研究部\n---\n年度报告\n=====\n\n<!-- 草稿，勿引用 -->\n经营回顾\n--------\n"
        "收入增长 12%。\n\n- 条目一\n---\n结论：稳健。\n", encoding="utf-8")

    document = load(tmp_path, "notes.md")
    assert "title" not in document.text and "草稿" not in document.text and "=" not in document.text
    assert section_of(document, "收入增长 12%") == "年度报告 › 经营回顾"
    assert "- 条目一\n结论：稳健。" in document.text  # a rule after a list item is a rule, not an underline


def test_a_table_row_names_its_columns_in_every_format(tmp_path):
    # "De Havilland Dash 8-400 | 8 | 78 | 17.6" read alone does not say which figure is the fleet's age.
    import docx

    (tmp_path / "fleet.md").write_text(
        "# Fleet\n\n| Type | Aircraft | Average age (years) |\n|---|---:|---:|\n| Dash 8-400 | 8 | 17.6 |\n"
        "| ATR 72-600 | 22 | - |\n", encoding="utf-8")
    (tmp_path / "fleet.html").write_text(
        "<h1>Fleet</h1><table><thead><tr><th>Type</th><th>Aircraft</th><th>Average age (years)</th></tr></thead>"
        "<tr><td>Dash 8-400</td><td>8</td><td>17.6</td></tr><tr><td>ATR 72-600</td><td>22</td><td>-</td></tr></table>",
        encoding="utf-8")
    word = docx.Document()
    word.add_heading("Fleet", level=1)
    table = word.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Type", "Aircraft", "Average age (years)"), ("Dash 8-400", "8", "17.6"),
                                       ("ATR 72-600", "22", "-")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    word.save(tmp_path / "fleet.docx")

    for name in ("fleet.md", "fleet.html", "fleet.docx"):
        text = load(tmp_path, name).text
        assert ("Type | Aircraft | Average age (years)\nDash 8-400 | Aircraft: 8 | Average age (years): 17.6\n"
                "ATR 72-600 | Aircraft: 22 | -") in text, name


def test_a_pdf_table_names_its_columns():
    text = load(DATA / "reports", "tidewell-retail-2024.pdf").text
    assert "Group sales | 2024: £6,840m | 2023: £6,539m | Change: +4.6%" in text



def test_a_pdf_tables_figures_are_cells_and_a_bullets_wrapped_line_joins_it():
    # "96.4" after a row's first cell is a figure, not a heading's number to join to the next cell; a bullet's
    # glyph drawn larger than its text does not set its line apart from the line it wraps onto.
    text = load(DATA / "reports", "halvard-2024.pdf").text
    assert ("Wafer Inspection | FY2023: 96.4 | FY2024: 112.5 | FY2025E: 127.0 | FY2026E: 143.9\n"
            "Service & Contracts | FY2023: 71.8 | FY2024: 80.3 | FY2025E: 88.6 | FY2026E: 97.3") in text
    assert "in FY2026E, as Penang reaches full utilisation.\n" in text


def test_a_pdf_title_wrapped_over_two_lines_is_one_heading():
    text = load(DATA / "reports", "muxi-2024.pdf").text
    assert text.splitlines()[0] == "# 沐溪茶饮2024年度深度研究报告：万店网络稳步扩张，供应链与出海打开成长空间"
    assert "\n## 一、公司概况\n" in text


def test_a_pdf_table_cell_wrapped_above_and_below_its_row_joins_that_row():
    # A cell's two lines, set about the middle of the row's height, were read as two short lines of their own
    # (and then as headings, which split the section).
    text = load(DATA / "reports", "xinglan-2024.pdf").text
    assert ("《萌宠小镇》海外版 | 品类：模拟经营 | 版号情况：仅海外发行，无需国内版号 | 计划上线时间：2025年二季度 | "
            "主要市场：东南亚、港澳台\n") in text
    assert "\n号\n" not in text


def test_a_plain_text_table_of_aligned_columns_names_its_columns(tmp_path):
    (tmp_path / "report.txt").write_text(
        "2.2 Key figures\n\n                        2024      2023\nRevenue ($m)           486.3     399.6\n"
        "Customers above $100k    612       498\n\nRevenue by stream ($m)   2024    2023   Change\n"
        "Platform                381.5   307.9   +23.9%\nServices                 18.4    19.2    -4.2%\n\n"
        "We wrote this.  Two spaces after a full stop.\nNo table here.  None at all.\n", encoding="utf-8")
    lines = load_document(tmp_path / "report.txt", tmp_path).text.split("\n")
    assert "Customers above $100k | 2024: 612 | 2023: 498" in lines
    assert "Revenue by stream ($m) | 2024 | 2023 | Change" in lines
    assert "Platform | 2024: 381.5 | 2023: 307.9 | Change: +23.9%" in lines
    assert "We wrote this.  Two spaces after a full stop." in lines  # prose stays as written
