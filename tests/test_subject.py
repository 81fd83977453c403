"""The company a report is about (its title's opening name), and questions with that name put generally."""

from __future__ import annotations

import pytest

from reportqa.config import Settings
from reportqa.glossary import dictionary
from reportqa.index import build_index
from reportqa.retrieval import Retriever
from reportqa.subject import title_names, without_subject


@pytest.mark.parametrize("title, names", [
    ("# Osterby Instruments plc — Annual Review 2024", ("Osterby Instruments plc",)),
    ("Kestrel Bay Group: results for the year", ("Kestrel Bay Group",)),
    ("Fenwick Rail Annual Report 2024", ("Fenwick Rail Annual Report",)),
    ("泓远港务2024年度经营分析", ("泓远港务",)),
    ("泓远港务（Hongyuan Ports）2024年报点评：吞吐量回升", ("泓远港务", "Hongyuan Ports")),
    ("泓远港务（2024年报点评）：吞吐量回升", ("泓远港务",)),  # a bracket opening with a figure names no one
    ("2024年度经营分析报告", ()),
    ("小米与北汽合作报告", ()),  # two parties: no one company
    ("Xiaomi x BAIC: a partnership review", ()),
    ("锦和新材2024年年报点评", ("锦和新材",)),
    ("Marks and Spencer Group plc Annual Report", ("Marks and Spencer Group plc Annual Report",)),
    ("", ()),
])
def test_the_company_is_named_by_the_opening_of_the_title(title, names):
    assert title_names(title) == names


@pytest.mark.parametrize("question, general", [
    ("How many people work at Osterby Instruments?", "How many people work at the company?"),
    ("What caused Osterby's margin to fall?", "What caused the company's margin to fall?"),
    ("Why did Osterby Instruments' sales grow?", "Why did the company's sales grow?"),
    ("Why did osterby's sales grow?", None),  # a name is written capitalised
    ("Osterby 2024年的营业收入是多少？", "公司 2024年的营业收入是多少？"),
    ("Who audits the accounts?", None),
    ("Which instruments does the group make?", None),  # its second word alone is not its name
])
def test_a_question_naming_the_company_names_it_generally(question, general):
    assert without_subject(question, ("Osterby Instruments plc",)) == general


def test_a_chinese_name_is_found_by_its_first_characters():
    names = title_names("泓远港务（Hongyuan Ports）2024年报点评")
    assert without_subject("泓远港务的集装箱吞吐量是多少？", names) == "公司的集装箱吞吐量是多少？"
    assert without_subject("泓远2024年分红多少？", names) == "公司2024年分红多少？"
    assert without_subject("How much did Hongyuan Ports pay out?", names) == "How much did the company pay out?"
    assert without_subject("港务费率是多少？", names) is None  # the name's tail is no name


def test_a_title_opening_with_a_common_word_names_no_company():
    assert without_subject("What is the annual dividend?", title_names("The Annual Report 2024")) is None
    assert without_subject("What is the market share?", title_names("Market")) is None


def test_a_chinese_title_opening_with_a_dictionary_word_names_no_company(tmp_path):
    table = dictionary(tmp_path)
    assert title_names("电池合作", table) == ()  # 电池, battery
    assert title_names("泓远港务2024年度经营分析", table) == ("泓远港务",)
    assert title_names("北汽蓝谷2024年报", table) == ("北汽蓝谷",)  # 北汽: a proper noun


REPORT = """Osterby Instruments plc — Annual Review 2024

## Chair's letter
Osterby Instruments had a strong year. Osterby Instruments grew revenue in every region, and Osterby Instruments
won the largest contract in its history. The board of Osterby Instruments thanks its customers.

## Strategy
Osterby Instruments will keep investing in precision sensors for industrial customers.

## Our people
Headcount reached 1,240 at 31 December 2024, up from 1,150 a year earlier, mostly engineers in Leeds.

## Finance
Revenue rose 8% to £212 million. Operating margin was 14.1%.
"""


def test_a_question_naming_the_company_finds_what_it_asks_not_the_lines_that_name_it(tmp_path):
    """With the real embedding model: the company's name draws a question's embedding to the lines that repeat
    it; embedded as asking about "the company", the headcount line comes first."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "osterby.md").write_text(REPORT, encoding="utf-8")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", llm="none")
    build_index(settings)
    retriever = Retriever(settings)
    question = "How many people work at Osterby Instruments?"
    snapshot = retriever.snapshot()

    def first(share: float) -> str:
        retriever.subject_share = share
        chunk_id, _ = retriever.dense_scores(question, snapshot, 5)[0]
        return snapshot.chunks[chunk_id].text

    assert "Headcount" not in first(0.0)
    assert "Headcount" in first(1.0)
    (source,) = retriever.sources()
    assert retriever.query_vector(question, source=source) != retriever.query_vector(question)
    # A question that does not name the company is embedded as asked.
    assert retriever.query_vector("What is the headcount?", source=source) == retriever.query_vector("What is the headcount?")
