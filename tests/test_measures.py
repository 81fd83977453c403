"""measures.py: whether the documents give a measure for the part of the business a question asks it of (no index)."""

from reportqa.answering.measures import (counted_nouns, measure_apart, measures_named, paragraph_words, part_words,
                                        period_apart)
from reportqa.loaders import Document
from reportqa.lexical import tokenize
from reportqa.tree import document_tree

REPORT = """# Annual Report 2024: Building with Wood

## 1 The Year in Brief
Revenue grew by 6.7% to €612.4m. EBITDA rose to €88.2m, a margin of 14.4%.

## 2 Revenue by Segment
Segment revenue was as follows:
| Segment | 2024 | 2023 |
|---|---|---|
| Mass Timber Panels | 301.5 | 270.2 |
| Glulam & Beams | 187.2 | 181.5 |

## 3 Markets
Glulam & Beams sells mostly to contractors in Sweden and Finland.
"""

CHINESE = """# 栖木家居深度报告

## 一、经营回顾
- 整装渠道：收入24.6亿元，同比增长37.4%。
- 盈利能力：综合毛利率35.8%，同比提升1.2个百分点。
- 橱柜：收入22.5亿元，毛利率32.4%。
"""


def _apart(question: str, text: str, source: str = "r.md") -> float:
    tree = document_tree(Document(source, text))
    contexts = paragraph_words([tree])
    known = {word: 1.0 for words in contexts for word in words}
    terms = {token: frozenset({token}) for token in tokenize(question)}
    idf = {token: 1.0 for token in terms}
    return measure_apart(question, terms, idf, known, contexts, part_words([tree]))


def test_the_measures_a_question_names():
    assert any("ebitda" in names for names in measures_named("What EBITDA did the segment make?"))
    assert any("毛利率" in names for names in measures_named("整装渠道的毛利率是多少？"))
    assert measures_named("Which factories does the group run?") == []


def test_a_measure_asked_of_a_part_no_paragraph_gives_it_for_is_apart():
    # The segment's EBITDA: EBITDA is the group's, the segment has only revenue.
    assert _apart("What EBITDA did the Glulam & Beams segment generate?", REPORT) == 1.0
    # A segment's revenue is its table row's, under the heading naming revenue.
    assert _apart("How much revenue did Glulam & Beams bring in?", REPORT) == 0.0
    assert _apart("整装渠道的毛利率是多少？", CHINESE) > 0.0
    assert _apart("橱柜的毛利率是多少？", CHINESE) == 0.0


def test_a_question_naming_no_measure_or_nothing_it_is_asked_of_is_not_judged():
    assert _apart("Who does Glulam & Beams sell to?", REPORT) == 0.0
    assert _apart("What was EBITDA in 2024?", REPORT) == 0.0
    # A word of the title alone names no part of the report.
    assert _apart("What EBITDA did the Wood business make?", REPORT) == 0.0


def test_only_a_word_naming_a_part_in_a_heading_a_label_or_a_table_row_is_what_a_measure_is_asked_of():
    # "规模" (how big) names no part of the company: the staff are the measure, and the report gives them.
    report = "# 松源医药深度报告\n\n## 一、公司概况\n公司在职员工6,820人，其中研发人员1,120人。\n"
    assert _apart("公司目前的员工规模有多大？", report) == 0.0
    # Nor does a figure the question quotes, though a heading may number a section so ("1.2 收入").
    numbered = "# 报告\n\n## 1.2 收入\n营业收入增长明显。\n\n## 2 盈利\n综合毛利率35.8%。\n"
    assert _apart("毛利率能多出1.2个点，主要靠什么？", numbered) == 0.0
    tree = document_tree(Document("r.md", REPORT))
    assert {"glulam", "beams", "markets", "segment"} <= part_words([tree])
    assert "building" not in part_words([tree])  # the document's title


def test_a_measure_asked_of_a_place_the_documents_never_name_is_apart():
    # The report names no 海外 or Germany: a figure for them is none it gives, however well "revenue" matches.
    assert _apart("公司海外业务的毛利率有多高？", CHINESE) == 1.0
    assert _apart("How much revenue did the group make in Germany?", REPORT) == 1.0
    # A place it names, with the measure beside it, is judged as any part is.
    sweden = REPORT + "\nRevenue in Sweden was €120.0m.\n"
    assert _apart("How much revenue did the group make in Sweden?", sweden) == 0.0
    assert _apart("What EBITDA did the group make in Finland?", REPORT) == 1.0


def test_what_a_question_counts_is_its_measure_when_it_names_none():
    assert counted_nouns("How many loyalty members are there in the Asia region?") == ["members"]
    assert counted_nouns("华东地区有多少家门店？") == ["门店"]
    assert counted_nouns("How many people work there?") == []
    hotels = ("# Tamsin Hotels 2024\n\n## Loyalty\nThe loyalty scheme has 14.2 million members.\n\n"
              "## Regions\n### Asia\nRevenue in Asia rose 11%.\n### Europe\nEurope has 121 hotels and 52,000 members.\n")
    # Members are counted for the group and for Europe only: asked of Asia, the count is apart; of Europe, not.
    assert _apart("How many members are there in Asia?", hotels) == 1.0
    assert _apart("How many members are there in Europe?", hotels) == 0.0


def test_a_measure_asked_for_a_quarter_no_paragraph_naming_it_gives_is_apart():
    report = ("# 年度报告\n\n## 经营回顾\n全年营业收入18.6亿元，归母净利润2.15亿元。\n\n"
              "分季度看，第四季度收入5.6亿元，占全年的30.1%。\n")
    tree = document_tree(Document("r.md", report))
    contexts = paragraph_words([tree])
    known = {word for words in contexts for word in words}
    assert period_apart("2024年第四季度单季的归母净利润是多少？", known, contexts)
    assert not period_apart("第四季度的收入是多少？", known, contexts)
    assert not period_apart("全年归母净利润是多少？", known, contexts)  # no quarter asked
    assert not period_apart("第四季度做了哪些事？", known, contexts)  # no measure asked
