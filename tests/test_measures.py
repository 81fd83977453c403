"""measures.py: whether the documents give a measure for the part of the business a question asks it of (no index)."""

from reportqa.answering.measures import measure_apart, measures_named, paragraph_words, part_words
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
