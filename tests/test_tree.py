"""The document tree: headings, labelled items, lead-ins and spans, for Markdown, numbered and bare headings."""

from reportqa.chunking import chunk_document
from reportqa.loaders import Document
from reportqa.tree import DocumentTree, document_tree, item_label

MARKDOWN = """# Annual review

## Risks
Management sees three risks:
- Currency: most sales are in euros while costs are in dollars.
- Supply: one supplier makes the cathodes.
- Regulation: new battery rules take effect in 2027.

## Outlook
Revenue should grow 12% next year.
"""

NUMBERED = """一、经营概况
本年度营收增长 12%。
二、主要风险
（一）市场风险
- 价格竞争:同行降价导致毛利下降。
- 需求波动:下游需求受宏观影响。
（二）政策风险
补贴退坡影响销量。
结论
公司整体稳健。
"""


def tree_of(text: str, source: str = "doc.md") -> DocumentTree:
    return document_tree(Document(source, text))


def titles(tree: DocumentTree, nodes) -> list[str]:
    return [node.title for node in nodes]


def test_markdown_headings_items_and_lead_in():
    tree = tree_of(MARKDOWN)
    risks = next(node for node in tree.headings() if node.title == "Risks")
    lead_in, = tree.children(risks)
    assert lead_in.kind == "paragraph" and tree.own_text(lead_in).endswith("risks:")
    assert titles(tree, tree.children(lead_in)) == ["Currency", "Supply", "Regulation"]
    assert tree.body(tree.children(lead_in)[1]) == "one supplier makes the cathodes."
    assert risks.path == ("Annual review", "Risks")
    assert tree.whole_text(risks).startswith("## Risks") and tree.whole_text(risks).rstrip().endswith("2027.")


def test_numbered_headings_nest_and_a_bare_line_is_a_top_heading():
    tree = tree_of(NUMBERED, "report.txt")
    top = tree.children(tree.nodes[0])
    assert titles(tree, top) == ["一、经营概况", "二、主要风险", "结论"]
    market = next(node for node in tree.headings() if node.title == "（一）市场风险")
    assert market.path == ("二、主要风险", "（一）市场风险")
    assert titles(tree, tree.children(market)) == ["价格竞争", "需求波动"]
    assert titles(tree, tree.siblings(market)) == ["（二）政策风险"]
    assert [node.title for node in tree.ancestors(market)] == ["二、主要风险", ""]


def test_every_chunk_lies_in_the_node_of_its_section():
    document = Document("report.txt", NUMBERED)
    tree = document_tree(document)
    for chunk in chunk_document(document, max_chars=40, overlap_chars=0):
        section = tree.section_of(tree.node_at(chunk.start, chunk.end))
        assert section.path == chunk.section_path
        assert section.start <= chunk.start and chunk.end <= section.end


def test_node_at_finds_the_deepest_node_holding_a_span():
    tree = tree_of(NUMBERED, "report.txt")
    start = NUMBERED.index("同行降价")
    node = tree.node_at(start, start + 4)
    assert node.kind == "item" and node.title == "价格竞争"
    assert tree.section_of(node).title == "（一）市场风险"


def test_json_round_trip_keeps_nodes_and_heading_vectors():
    tree = tree_of(MARKDOWN)
    tree.heading_vectors = {1: [0.5, 0.25]}
    again = DocumentTree.from_json(tree.to_json())
    assert again.nodes == tree.nodes and again.heading_vectors == {1: [0.5, 0.25]} and again.text == MARKDOWN


def test_item_labels():
    assert item_label("- 价格竞争:同行降价") == "价格竞争"
    assert item_label("1. Revenue: up 5%") == "Revenue"
    assert item_label("- 北汽模塑为小米提供外饰件。") == ""
    assert item_label("尽管双方强调合作,但在市场层面已出现博弈:") is None
    assert item_label("本年度营收增长 12%。") is None


def test_opening_end_is_where_the_text_above_the_first_heading_ends():
    titled = "华宇电池行业分析报告：储能放量下的突围\n\n" + NUMBERED
    tree = document_tree(Document("titled.txt", titled))
    assert titled[: tree.opening_end()].strip() == "华宇电池行业分析报告：储能放量下的突围"
    assert document_tree(Document("numbered.txt", NUMBERED)).opening_end() == 0
    assert document_tree(Document("plain.txt", "没有标题的一段话。")).opening_end() == 0


def test_a_sole_top_heading_above_the_sections_is_the_documents_title():
    tree = tree_of(MARKDOWN)
    title = tree.title_heading()
    risks = next(node for node in tree.headings() if node.title == "Risks")

    assert title is not None and title.title == "Annual review"
    assert tree.is_whole(title) and tree.is_whole(tree.nodes[0]) and not tree.is_whole(risks)
    # Numbered top-level sections, or one heading with nothing below it, name parts, not the document.
    assert tree_of(NUMBERED, "doc.txt").title_heading() is None
    assert tree_of("# Notes\nOne paragraph only.\n").title_heading() is None


def test_a_labelled_paragraph_ending_in_a_colon_introduces_the_bullets_below_it():
    tree = tree_of("## 五、发展规划\n"
                   "产能规划：新建 12 座冷库。\n"
                   "公司提出“两年双百”目标：到 2026 年营业收入突破 100 亿元。具体举措包括：\n"
                   "- 在东南亚设立首个海外冷库；\n"
                   "- 将医药冷链收入占比提升至 15%。\n")
    plans = tree.headings()[0]
    label, lead_in = tree.children(plans)
    assert label.kind == "item" and label.title == "产能规划"  # a label followed by no bullets stays an item
    assert lead_in.kind == "paragraph" and len(tree.children(lead_in)) == 2


def test_a_paragraph_listing_its_items_after_a_colon_one_per_semicolon():
    tree = tree_of("## 五、风险提示\n"
                   "针对上述风险，公司已采取以下应对措施：与产地合作建设种植基地 2.3 万亩；建立研发项目分阶段评估机制；"
                   "加快创新药产品布局。\n"
                   "公司的优势体现在三个方面：一是技术领先；二是成本低廉；三是渠道广泛。\n"
                   "收入：12 亿元；利润：3 亿元。\n"
                   "结论：风险可控；前景向好。\n")
    measures, strengths, figures, short = tree.children(tree.headings()[0])
    assert tree.own_text(measures) == "针对上述风险，公司已采取以下应对措施："
    assert [tree.own_text(item) for item in tree.children(measures)] == [
        "与产地合作建设种植基地 2.3 万亩；", "建立研发项目分阶段评估机制；", "加快创新药产品布局。"]
    assert tree.whole_text(measures).endswith("加快创新药产品布局。")
    assert [tree.own_text(item) for item in tree.children(strengths)] == ["一是技术领先；", "二是成本低廉；", "三是渠道广泛。"]
    assert figures.kind == "item" and not figures.children  # labels inside the clauses: a labelled line, not a list
    assert short.kind == "item" and not short.children  # clauses too short to be items


def test_a_list_after_a_colon_ends_with_its_sentence():
    tree = tree_of("## 经营\n下滑的原因主要有两方面：一是上年同期基数较高；二是行业新增供给较多，竞争加剧。"
                   "值得注意的是，第四季度降幅已收窄；经营指标企稳。\n")
    [reasons] = tree.children(tree.headings()[0])
    assert [tree.own_text(item) for item in tree.children(reasons)] == ["一是上年同期基数较高；", "二是行业新增供给较多，竞争加剧。"]


def test_a_paragraphs_counted_sentences_are_the_items_of_the_sentence_before_them():
    tree = tree_of("## 企业培训\n培训收入增长41.9%。增长的原因主要有三点。首先，政策推动持证上岗。其次，企业加快数字化转型。"
                   "再次，课程可以复用。\n"
                   "## Lab\nRevenue grew 2.8%. Two factors held it back. First, a contract was renewed at lower prices. "
                   "Second, customers waited for the new platform. Its margin fell.\n"
                   "## 其他\n首先，收入增长。其次，利润增长。\n公司收入增长。最后，利润增长。此外，现金流改善。\n")
    chinese, english, other = tree.headings()
    [reasons] = tree.children(chinese)
    assert tree.own_text(reasons) == "培训收入增长41.9%。增长的原因主要有三点。"
    assert [tree.own_text(item) for item in tree.children(reasons)] == [
        "首先，政策推动持证上岗。", "其次，企业加快数字化转型。", "再次，课程可以复用。"]
    [factors] = tree.children(english)
    assert [tree.own_text(item) for item in tree.children(factors)] == [
        "First, a contract was renewed at lower prices.", "Second, customers waited for the new platform. Its margin fell."]
    # Nothing before the first point, or no first point: plain paragraphs.
    assert all(node.kind == "paragraph" and not node.children for node in tree.children(other))


def test_a_sentence_announcing_the_bullets_below_it_without_a_colon_introduces_them():
    tree = tree_of("## 企业服务\n公司提供的产品主要包括以下几类。\n- 岗位培训：一站式服务。\n- 学习平台：软件服务。\n"
                   "## Services\nThe group's services are as follows.\n- Audit: yearly checks.\n- Repair: on site.\n"
                   "## 其他\n公司收入增长。\n- 条目：内容。\n")
    chinese, english, other = tree.headings()
    [lead] = tree.children(chinese)
    assert lead.kind == "paragraph" and [tree.nodes[c].title for c in lead.children] == ["岗位培训", "学习平台"]
    [lead] = tree.children(english)
    assert [tree.nodes[c].title for c in lead.children] == ["Audit", "Repair"]
    paragraph, item = tree.children(other)  # a sentence announcing nothing: the bullet is the section's own
    assert paragraph.kind == "paragraph" and not paragraph.children and item.kind == "item"


def test_a_table_below_a_lead_in_lists_its_rows_as_items_and_a_short_row_is_no_heading():
    # A short row before a long paragraph ("食品制造 | 10%") read as a bare heading, and split the section.
    text = ("## （四）客户结构\n按行业划分，各类客户的收入贡献如下：\n客户类别 | 收入占比\n连锁餐饮 | 收入占比：38%\n"
            "食品制造 | 收入占比：10%\n前五大客户合计贡献收入的23.4%，客户集中度处于合理水平，对单一行业的依赖有所降低。")
    tree = document_tree(Document("d.txt", text))
    items = [tree.own_text(node) for node in tree.nodes if node.kind == "item"]
    assert items == ["连锁餐饮 | 收入占比：38%", "食品制造 | 收入占比：10%"]
    lead_in = next(node for node in tree.nodes if tree.own_text(node).endswith("如下："))
    assert {tree.nodes[child].kind for child in lead_in.children} == {"paragraph", "item"}  # its row of names, its rows
    assert [node.title for node in tree.nodes if node.kind == "heading"] == ["（四）客户结构"]
    assert all(chunk.section_path == ("（四）客户结构",) for chunk in chunk_document(Document("d.txt", text)))



def test_a_caption_or_a_source_note_is_no_labelled_item_and_lists_nothing():
    # Written like "标签：内容", a table's caption and the note on its sources label nothing of the section's.
    for line in ("表3：盈利预测与估值摘要", "资料来源：公司公告，启衡证券研究所", "Figure 2: Revenue by region",
                 "Source: company data", "注：2024年为预测值"):
        assert item_label(line) is None, line
    assert item_label("- Source: company data") == ""  # a bullet stays an item, unlabelled
    assert item_label("价格竞争：同行降价导致毛利下降。") == "价格竞争"
    tree = tree_of("## 估值\n表3：盈利预测摘要\n资料来源：公司公告；启衡证券研究所预测\n考虑到现金流充裕，给予溢价。\n")
    section = tree.headings()[0]
    assert [tree.nodes[child].kind for child in section.children] == ["paragraph"] * 3


def test_a_tables_caption_introduces_its_rows_unless_a_lead_in_above_it_does():
    text = ("## 估值\n我们选取四家可比公司。\n表6：可比公司估值对比\n公司 | 2025年 | 2026年\n青禾互动 | 2025年：22.4 | 2026年：18.9\n"
            "北辰网络 | 2025年：26.8 | 2026年：22.1\n资料来源：Wind\n")
    tree = tree_of(text)
    caption = next(node for node in tree.nodes if tree.own_text(node).startswith("表6"))
    assert [tree.own_text(tree.nodes[c])[:4] for c in caption.children if tree.nodes[c].kind == "item"] == ["青禾互动", "北辰网络"]
    lead = tree_of("## 储备\n重点储备产品共有两款：\nTable 3: Pipeline\nGame | Budget\nAlpha | Budget: 6.5\nBeta | Budget: 2.1\n")
    lead_in = next(node for node in lead.nodes if lead.own_text(node).endswith("两款："))
    assert [lead.own_text(lead.nodes[c]) for c in lead_in.children if lead.nodes[c].kind == "item"] == [
        "Alpha | Budget: 6.5", "Beta | Budget: 2.1"]
    # A caption with no table below it introduces nothing.
    alone = tree_of("## 估值\n表3：盈利预测摘要\n考虑到现金流充裕，给予溢价。\n")
    assert not any(node.kind == "item" for node in alone.nodes)


def test_a_decimal_headings_number_nests_it_below_the_heading_it_numbers():
    tree = tree_of("2. 2024 at a glance\n2.1 Highlights\nRevenue rose 21.7%.\n2.2 Key figures\nMargins rose.\n"
                   "3. Business review\n3.1 Our business\nWe sell security software.\n", "report.txt")
    assert [node.path for node in tree.headings()] == [
        ("2. 2024 at a glance",), ("2. 2024 at a glance", "2.1 Highlights"), ("2. 2024 at a glance", "2.2 Key figures"),
        ("3. Business review",), ("3. Business review", "3.1 Our business")]


def test_a_table_of_contents_is_no_heading_and_holds_none_of_the_sections():
    text = ("ACME HOLDINGS\nAnnual Report 2024\n\nContents\n1. Letter from our Chief Executive ........ 3\n"
            "2. Financial review ........ 7\n3. Principal risks ........ 9\n\n1. Letter from our Chief Executive\n"
            "Dear shareholders, it was a good year.\n2. Financial review\nRevenue rose 12%.\n3. Principal risks\n"
            "Currency is the main risk.\n")
    tree = tree_of(text, "report.txt")
    assert [node.path for node in tree.headings()] == [
        ("1. Letter from our Chief Executive",), ("2. Financial review",), ("3. Principal risks",)]
    sections = {chunk.section for chunk in chunk_document(Document("report.txt", text))}
    assert "Contents" not in " ".join(sections)
    # Sub-headings that recur under several sections are no table of contents.
    repeated = tree_of("## Retail\n### Overview\nSales rose.\n## Wholesale\n### Overview\nSales fell.\n")
    assert len(repeated.headings()) == 4


def test_a_tables_caption_on_a_line_of_its_own_is_no_heading():
    tree = tree_of("三、经营情况\n水泥销量下降。\n表2  主要产品销量\n产品 | 单位 | 2024年销量 | 2023年销量 | 同比变动\n"
                   "水泥 | 单位：万吨 | 2024年销量：5,430 | 2023年销量：5,670 | 同比变动：-4.2%\n"
                   "（一）混凝土业务\n收入下降14.1%。\n", "report.docx")
    assert [node.path for node in tree.headings()] == [("三、经营情况",), ("三、经营情况", "（一）混凝土业务")]
