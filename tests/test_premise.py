"""premise.py: whether the evidence states the event a question takes for granted (unit tests, no index)."""

from reportqa.answering.premise import (event_words, moved, movement_contradicted, named_events, premise_unstated,
                                       presumes_event, row_movements)
from reportqa.retrieval import tokenize


def _unstated(question: str, sentences: list[str], *, forms: dict[str, set[str]] | None = None,
              idf: dict[str, float] | None = None) -> bool:
    """The check with the question's own words as its terms (plus `forms`), every word the sentences use known."""
    tokens = tokenize(question)
    terms = {token: frozenset({token} | (forms or {}).get(token, set())) for token in tokens}
    known = {word: 1.0 for sentence in sentences for word in tokenize(sentence)}
    weights = {token: (idf or {}).get(token, 1.0) for token in tokens}
    return premise_unstated(tokens, terms, weights, known, [set(tokenize(sentence)) for sentence in sentences])


def test_an_event_the_evidence_never_states_of_its_thing_is_unstated():
    sentences = ["The board proposes a final dividend of 9.8p, up 5%.", "In 2024 we cut prices on 1,800 lines."]
    assert _unstated("Why did Halvard cut its dividend for 2024?", sentences, idf={"dividend": 3.0, "halvard": 0.5})


def test_the_same_event_stated_of_its_thing_is_stated():
    sentences = ["The board cut the final dividend to 4.0p to protect the balance sheet."]
    assert not _unstated("Why did Halvard cut its dividend for 2024?", sentences, idf={"dividend": 3.0})


def test_another_form_of_the_event_states_it():
    # A question's "close" is the report's "closed"; 卖掉 is 出售.
    assert not _unstated("Why did Halvard close the Leeds plant?", ["We closed the Leeds plant in March."],
                         idf={"leeds": 3.0})
    assert not _unstated("公司为什么卖掉了冷链业务？", ["公司于2024年6月出售冷链业务，回笼资金8亿元。"],
                         idf={"冷链": 3.0})


def test_chinese_false_premise_is_unstated():
    sentences = ["东南亚基地（越南、泰国）：电池片产能15GW、组件产能30GW，主要供应美国及欧洲市场。"]
    assert _unstated("晨光为什么在2024年关闭了越南基地？", sentences, idf={"越南": 3.0, "基地": 1.0})


def test_stores_shut_in_a_region_the_report_never_closes_is_unstated():
    # 关掉 and 关店 close, as 关闭 does; the report closes stores (闭店) at home, not in Southeast Asia.
    sentences = ["全年新开门店3,380家，闭店640家，闭店率约为6.3%。", "届时东南亚门店的原料运输时间有望缩短至5天以内。"]
    assert _unstated("公司去年为什么把东南亚的门店都关掉了？", sentences, idf={"东南亚": 3.0, "门店": 1.0})
    assert not _unstated("公司去年为什么把东南亚的门店都关掉了？", ["公司关闭了东南亚的12家门店。"],
                         idf={"东南亚": 3.0, "门店": 1.0})


def test_the_thing_matches_through_its_other_names():
    # Across languages the thing's forms are its translations: "dividend" of a Chinese report is 股息.
    sentences = ["董事会决定削减2024年度股息，以保留现金用于扩产。"]
    assert not _unstated("Why did Jinlan cut its dividend?", sentences, forms={"dividend": {"股息"}},
                         idf={"dividend": 3.0})


def test_a_question_naming_no_event_is_not_judged():
    assert named_events(tokenize("Why did margins improve in 2024?")) == []
    assert not _unstated("Why did margins improve in 2024?", ["Revenue grew."])


def test_an_event_with_nothing_else_the_documents_use_is_not_judged():
    # Nothing but the event and a year: there is no thing to look for (unknown words are the gate's other feature).
    assert not _unstated("Why the closure in 2024?", ["Revenue grew."])


def test_a_cancelled_project_a_ban_or_a_merger_is_an_event_to_state():
    sentences = ["The new reservoir will hold 24 billion litres and add 85 megalitres per day to supply."]
    assert _unstated("Why was the reservoir project cancelled?", sentences, idf={"reservoir": 3.0, "project": 1.0})
    assert not _unstated("Why was the reservoir project cancelled?",
                         ["We abandoned the reservoir project after the planning inquiry."], idf={"reservoir": 3.0})
    assert _unstated("How was the hosepipe ban enforced?", sentences + ["Hosepipe use rose in the summer."],
                     idf={"hosepipe": 3.0})
    assert _unstated("两家公司为什么合并？", ["两家公司在冷链运输上合作。"], idf={"公司": 1.0, "两家": 0.5})


def test_how_something_works_presumes_no_event():
    # "cut" names an event, but asking how a tool helps cut delays takes no cut for granted.
    assert not presumes_event("How does the new scheduling tool help cut waiting times?", "describe")
    assert not presumes_event("How can the group reduce its energy use?", "describe")
    assert presumes_event("How did the group cut its energy use?", "describe")
    assert presumes_event("How was the Leeds plant closed?", "describe")
    assert presumes_event("Why does the group sell its surplus power?", "reason")
    assert not presumes_event("Which markets does the group sell into?", "list")


def _contradicted(question: str, intent: str, sentences: list[str], idf: dict[str, float],
                  forms: dict[str, set[str]] | None = None) -> bool:
    terms = {token: frozenset({token} | (forms or {}).get(token, set())) for token in tokenize(question)}
    return movement_contradicted(question, intent, terms, idf, sentences)


def test_a_figure_asked_why_it_fell_that_the_evidence_says_rose_is_contradicted():
    rose = ["2024年公司实现营业收入112.7亿元，同比增长4.0%；归母净利润12.6亿元，同比增长9.6%。"]
    forms = {"营收": {"营业收入"}}
    assert _contradicted("公司去年营收为什么同比下滑了？", "reason", rose, {"营收": 3.0, "公司": 0.2}, forms)
    fell = ["2024年公司实现营业收入112.7亿元，同比下降4.0%，主要受地产需求影响。"]
    assert not _contradicted("公司去年营收为什么同比下滑了？", "reason", fell, {"营收": 3.0}, forms)
    # English, and the figure named with a movement only in the place that counts: the first movement word after it.
    price = ["The average selling price rose by 2.7% to £338,000, while completions fell 9%."]
    assert _contradicted("Why did the average selling price fall in 2024?", "reason", price,
                         {"average": 2.0, "selling": 2.5, "price": 2.0})
    assert not _contradicted("Why did completions fall in 2024?", "reason", price, {"completions": 3.0})


def test_a_list_of_causes_asked_for_a_movement_presumes_it_and_a_question_naming_none_is_not_judged():
    rose = ["2024年公司实现归母净利润14.2亿元，同比增长17.6%。"]
    assert _contradicted("归母净利润下滑，主要是哪些因素拖累的？", "list", rose, {"归母": 2.0, "净利润": 1.8})
    assert not _contradicted("公司有哪些产品？", "list", rose, {"产品": 2.0})
    assert not _contradicted("为什么归母净利润增长较快？", "reason", rose, {"归母": 2.0, "净利润": 1.8})
    # Evidence that names the figure with no movement says nothing either way.
    assert not _contradicted("为什么归母净利润下滑？", "reason", ["归母净利润分别为16.9亿元、19.8亿元。"], {"归母": 2.0})
    # A forecast says nothing of what happened; one word of the question named with the movement asked about is
    # enough, whatever the others do.
    assert not _contradicted("为什么收入下滑？", "reason", ["预计2025年收入增长5%。"], {"收入": 2.0})
    assert not _contradicted("含氟业务收入和毛利率为什么双双下滑？", "reason",
                             ["含氟业务收入和毛利率均有所下滑。", "电子化学品毛利率提升2个百分点。"],
                             {"年收入": 3.0, "毛利率": 1.0, "含氟": 1.0})
    assert moved("Why did margins shrink?") == "fall" and moved("Why did sales grow?") == "rise"
    assert moved("Why did costs rise while margins fell?") is None


def test_a_table_row_states_how_its_figure_moved():
    # By a change column's sign, where the row or the column names the figure; else by its years' figures.
    assert row_movements("net debt | 2024: £1,018m | 2023: £1,102m | change: -£84m", "net debt") == {"fall"}
    assert row_movements("uk | revenue growth: +5.1% | revpar growth: −4.2%", "revpar") == {"fall"}
    assert row_movements("occupancy | 2024: 76.8% | 2023: 74.1%", "occupancy") == {"rise"}
    assert row_movements("归母净利润 | 2023年: 5.1 | 2024年: 4.2 | 2025e: 9.0", "归母净利润") == {"fall"}
    # A row of growth rates says nothing by its years (slower growth is still growth); an unsigned change nothing;
    # a forecast's column nothing; a row naming another figure nothing.
    assert row_movements("营业收入同比增速 | 2023a: 13.5% | 2024a: 9.8%", "营业收入") == set()
    assert row_movements("interconnect | revenue 2024: eur 141m | growth: 27%", "interconnect") == set()
    assert row_movements("revenue | 2024: 10 | 2025e: 12", "revenue") == set()
    assert row_movements("occupancy | 2024: 76.8% | 2023: 74.1%", "revenue") == set()
    rows = ["Occupancy | 2024: 76.8% | 2023: 74.1% | Change: +2.7 pts"]
    assert _contradicted("Why did occupancy fall in 2024?", "reason", rows, {"occupancy": 3.0})
    assert not _contradicted("Why did occupancy rise in 2024?", "reason", rows, {"occupancy": 3.0})
    # A row that names the figure without its movement leaves the question unjudged.
    assert not _contradicted("Why did interconnect grow?", "reason", ["Interconnect | Revenue 2024: EUR 141m | Growth: 27%"],
                             {"interconnect": 3.0, "grow": 1.0})


def test_the_most_specific_word_named_with_a_movement_decides():
    # The segment's revenue fell; the group's revenue rose: asked why the segment's grew, the premise is false.
    evidence = ["Wafer Inspection revenue fell 4% to £96m as customers delayed orders.",
                "Group revenue rose 8% to £412m."]
    idf = {"wafer": 3.0, "inspection": 2.5, "revenue": 0.5, "strongly": 1.0}
    assert _contradicted("Why did Wafer Inspection revenue grow so strongly?", "reason", evidence, idf)
    assert not _contradicted("Why did Wafer Inspection revenue fall?", "reason", evidence, idf)
    # Named with no movement, the specific word leaves the decision to the words that are.
    assert not _contradicted("Why did group revenue grow?", "reason", evidence, {"group": 2.0, "revenue": 0.5})


def test_only_the_figure_the_question_names_with_its_movement_is_judged():
    # "lower" belongs to the cash balance; free cash flow, which rose, is another figure of the question.
    evidence = ["Free cash flow ($m) | 2024: 88.9 | 2023: 52.1", "Cash and investments were $431.7 million (2023: $468.0 million)."]
    idf = {"cash": 1.0, "balance": 2.0, "free": 2.0, "flow": 2.0, "positive": 1.0}
    assert not _contradicted("Why was the cash balance lower than in 2023 even though free cash flow was positive?",
                             "reason", evidence, idf)
    assert _contradicted("Why was free cash flow lower in 2024?", "reason", evidence, idf)
    # A comparison names no event: nothing was cut.
    assert named_events(tokenize(event_words("Why was the cash balance lower than in 2023?"))) == []
    assert named_events(tokenize(event_words("Why did the company lower its guidance?")))
