"""Names a question gives that the documents never use (reportqa/answering/names.py)."""

from reportqa.answering.abstention import FEATURES, evidence_features
from reportqa.answering.evidence import ScoredSentence
from reportqa.answering.names import absent_names
from reportqa.lexical import tokenize

CHINESE_REPORT = "华宇电池的储能电芯由滁州基地生产，主要销往欧洲和澳大利亚，客户包括 Solis Energy。"
ENGLISH_REPORT = "Northwind sells marine parts in Norway and Germany. Revenue rose 6% in Europe."


def _vocabulary(text: str) -> tuple[set[str], str]:
    known = set(tokenize(text))
    return known, "\n".join(sorted(known))


def test_a_latin_word_in_a_chinese_question_is_absent_when_the_documents_use_it_in_no_form():
    known, vocabulary = _vocabulary(CHINESE_REPORT)
    assert absent_names("华宇电池的CEO是谁？", known, vocabulary, latin_documents=False) == ("ceo",)  # 总经理
    # One the dictionary cannot translate may be the Latin name of something the report writes in Chinese
    # (CATL for 宁德时代): it cannot be checked.
    assert absent_names("华宇电池和CATL谁的储能电芯更多？", known, vocabulary, latin_documents=False) == ()
    # Used by the documents, in any case: not absent.
    assert absent_names("solis energy 签了多少储能订单？", known, vocabulary, latin_documents=False) == ()
    # Chinese words are never taken for names: jieba tags common words (许可, 东西) as names too.
    assert absent_names("比亚迪在滁州有工厂吗？", known, vocabulary, latin_documents=False) == ()


def test_an_english_name_over_chinese_documents_is_looked_up_through_its_translations():
    known, vocabulary = _vocabulary(CHINESE_REPORT)
    # Europe -> 欧洲, which the report uses; Geely -> 吉利, which it never does.
    assert absent_names("Which customers in Europe buy Huayu's cells?", known, vocabulary, latin_documents=False) == ()
    assert absent_names("Does Geely buy Huayu's cells?", known, vocabulary, latin_documents=False) == ("geely",)
    # A name the dictionary cannot translate cannot be checked (Huayu), nor can one with such a word in it.
    assert absent_names("Where does Huayu Zorblat make its cells?", known, vocabulary, latin_documents=False) == ()
    # The first word of a question is capitalised as any first word is.
    assert absent_names("Europe: where are the cells sold?", known, vocabulary, latin_documents=False) == ()


def test_an_english_name_over_english_documents_is_looked_up_in_its_forms():
    known, vocabulary = _vocabulary(ENGLISH_REPORT)
    assert absent_names("How much did Northwind sell in Germany?", known, vocabulary, latin_documents=True) == ()
    assert absent_names("How much did Northwind sell in North America?", known, vocabulary,
                        latin_documents=True) == ("north america",)
    assert absent_names("Who is the CEO of Northwind?", known, vocabulary, latin_documents=True) == ("ceo",)
    # Month names are dates, not names.
    assert absent_names("What did Northwind sell in March?", known, vocabulary, latin_documents=True) == ()


def test_an_absent_name_is_a_feature_of_the_evidence():
    position = FEATURES.index("names_absent")
    sentences = [ScoredSentence(0, "合资公司总投资 10 亿元。", 0.5, 0.8, 0.6, frozenset())]
    assert evidence_features("q", "fact", sentences, [], names_absent=True)[position] == 1.0
    assert evidence_features("q", "fact", sentences, [])[position] == 0.0
    assert evidence_features("q", "list", [], [], names_absent=True)[position] == 1.0
