"""periods.py: the quarters and halves a question names, and whether the documents name them (no index)."""

import pytest

from reportqa.answering.periods import period_named, periods
from reportqa.lexical import tokenize


@pytest.mark.parametrize("question, named", [
    ("What were sales in the final quarter of 2024 alone?", {"q4"}),
    ("2024年第四季度单季营收是多少？", {"q4"}),
    ("what was the motor loss ratio in Q4", {"q4"}),
    ("How many orders came in during 3Q24?", {"q3"}),
    ("一季度的毛利率是多少？", {"q1"}),
    ("下半年的门店数量是多少？", {"h2"}),
    ("What was revenue in H1?", {"h1"}),
    ("How did margins do in the second half?", {"h2"}),
    ("fourth-quarter margin", {"q4"}),
    # Written as its months.
    ("What was RevPAR growth in the October–December quarter of 2024?", {"q4"}),
    ("What were sales in the three months to December?", {"q4"}),
    ("2024年7月至9月的归母净利润是多少？", {"q3"}),
    ("公司1-6月营收多少？", {"h1"}),
    # The rest of the year from a month.
    ("7月以后水泥价格为什么回升？", {"h2"}),
    ("自10月起销量如何？", {"q4"}),
    ("How did prices move since July?", {"h2"}),
    ("What were sales from May to July?", set()),  # no quarter or half
    ("What was revenue over 2023-2024?", set()),
    ("What was quarterly revenue on average?", set()),
    ("How many people work at headquarters?", set()),
])
def test_the_periods_a_question_names(question, named):
    assert periods(question) == named


def test_a_period_is_named_by_the_documents_in_any_way_of_writing_it():
    known = set(tokenize("Revenue in the fourth quarter rose 5%. 2024年下半年毛利率提升。 Orders in 3Q24 doubled."))
    assert period_named("q4", known) and period_named("h2", known) and period_named("q3", known)
    assert not period_named("q1", known) and not period_named("h1", known)
    assert not period_named("q4", set(tokenize("2024年公司实现营业收入112.7亿元。")))
