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


def test_names_in_a_chinese_question_are_absent_when_the_documents_use_them_in_no_form():
    known, vocabulary = _vocabulary(CHINESE_REPORT)
    assert absent_names("华宇电池的CEO是谁？", known, vocabulary, latin_documents=False) == ("ceo",)  # 总经理
    # One the dictionary cannot translate may be the Latin name of something the report writes in Chinese
    # (CATL for 宁德时代): it cannot be checked.
    assert absent_names("华宇电池和CATL谁的储能电芯更多？", known, vocabulary, latin_documents=False) == ()
    # Used by the documents, in any case: not absent.
    assert absent_names("solis energy 签了多少储能订单？", known, vocabulary, latin_documents=False) == ()
    # A Chinese word is a name when the dictionary lists it only as a proper noun: 比亚迪 and 德国 are, 许可 and
    # 东西 are not (jieba tags them as names), nor is 吉利 (also "auspicious").
    assert absent_names("比亚迪在德国有没有拿到储能许可？", known, vocabulary, latin_documents=False) == ("比亚迪", "德国")
    assert absent_names("华宇卖给欧洲的东西里，哪些比较吉利？", known, vocabulary, latin_documents=False) == ()
    # A name the documents use inside a longer word is used (滁州 of 滁州基地).
    assert absent_names("滁州的工厂生产什么？", known, vocabulary, latin_documents=False) == ()


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
    # A Chinese name over English documents is looked up through its translations (挪威: Norway).
    assert absent_names("Northwind在挪威卖什么？", known, vocabulary, latin_documents=True) == ()
    assert absent_names("Northwind在日本卖什么？", known, vocabulary, latin_documents=True) == ("日本",)
    # Month names are dates, not names.
    assert absent_names("What did Northwind sell in March?", known, vocabulary, latin_documents=True) == ()


def test_a_name_of_several_words_is_used_when_its_rarest_word_is():
    known, vocabulary = _vocabulary(ENGLISH_REPORT + " Its Marine Systems division makes parts.")
    # "Systems" is a word of the report, "Optikon" is not: no company the report names.
    assert absent_names("How much did Northwind pay for Optikon Systems?", known, vocabulary,
                        latin_documents=True) == ("optikon systems",)
    assert absent_names("What does Marine Systems make?", known, vocabulary, latin_documents=True) == ()


def test_an_absent_name_is_a_feature_of_the_evidence():
    position = FEATURES.index("names_absent")
    sentences = [ScoredSentence(0, "合资公司总投资 10 亿元。", 0.5, 0.8, 0.6, frozenset())]
    assert evidence_features("q", "fact", sentences, [], names_absent=True)[position] == 1.0
    assert evidence_features("q", "fact", sentences, [])[position] == 0.0
    assert evidence_features("q", "list", [], [], names_absent=True)[position] == 1.0


def test_a_role_or_the_staff_asked_about_is_absent_when_the_documents_never_name_it():
    chinese_known, chinese_vocabulary = _vocabulary("公司创始人、董事长陈立航为实际控制人。储能电池出货量 35GWh。")
    english_known, english_vocabulary = _vocabulary(
        "Chief Executive Margaret Oyelaran said margins improved. The group employed 4,820 people at year end.")

    assert absent_names("蓝湾物流的总经理是谁？", chinese_known, chinese_vocabulary, latin_documents=False) == ("总经理",)
    assert absent_names("公司的董事长是谁？", chinese_known, chinese_vocabulary, latin_documents=False) == ()
    assert absent_names("公司有多少员工？", chinese_known, chinese_vocabulary, latin_documents=False) == ("员工",)
    assert absent_names("Who is the chief financial officer?", english_known, english_vocabulary,
                        latin_documents=True) == ("chief financial officer",)
    # Named, in another way of writing the role (Chief Executive for CEO; employed for the headcount): not absent.
    assert absent_names("Who is the company's CEO?", english_known, english_vocabulary, latin_documents=True) == ()
    assert absent_names("What was the headcount?", english_known, english_vocabulary, latin_documents=True) == ()
    # Across languages, through the dictionary: 董事长 is "chairman", which the English text never uses.
    assert absent_names("公司的董事长是谁？", english_known, english_vocabulary, latin_documents=True) == ("董事长",)
    # The auditor, asked in any of its names, of documents that name none.
    assert absent_names("Which accounting firm audits the group's accounts?", english_known, english_vocabulary,
                        latin_documents=True) == ("accounting firm",)
    assert absent_names("公司的财务报告由哪家会计师事务所审计？", chinese_known, chinese_vocabulary,
                        latin_documents=False) == ("会计师事务所",)
    audited_known, audited_vocabulary = _vocabulary("The auditors, Hale & Co, signed an unqualified opinion.")
    assert absent_names("Which audit firm signs off the accounts?", audited_known, audited_vocabulary,
                        latin_documents=True) == ()


def test_the_auditor_asked_by_its_verb_and_the_shares_listing_are_roles_too():
    known, vocabulary = _vocabulary("Revenue rose 6.7% to €612m. The Board proposes a dividend of €0.30.")
    assert absent_names("Which firm audits the accounts?", known, vocabulary, latin_documents=True) == ("audits",)
    assert absent_names("Under what ticker does the group trade?", known, vocabulary,
                        latin_documents=True) == ("ticker",)
    assert absent_names("What was the share price at the year end?", known, vocabulary,
                        latin_documents=True) == ("share price",)
    # An audit committee, audited statements and "accounting for" name no auditor.
    committee_known, committee_vocabulary = _vocabulary(
        "The Audit and Risk Committee met six times. Conversions, accounting for 14 openings, grew. "
        "The audited financial statements are in the Annual Report.")
    for question, asked in (("Which accounting firm audits the group's financial statements?", "accounting firm"),
                            ("Which firm audited the 2024 accounts?", "audited")):
        assert absent_names(question, committee_known, committee_vocabulary, latin_documents=True) == (asked,)
    assert absent_names("Who chairs the Audit and Risk Committee?", committee_known, committee_vocabulary,
                        latin_documents=True) == ()
    listed_known, listed_vocabulary = _vocabulary("公司于2017年在上海证券交易所主板上市。")
    assert absent_names("公司的股票代码是多少？", listed_known, listed_vocabulary, latin_documents=False) == ()


def test_a_role_over_chinese_documents_is_looked_for_in_its_chinese_ways_not_in_translations_of_its_english_ones():
    # "staff" translates to 人员, of 管理人员: the report still never states its 员工.
    known, vocabulary = _vocabulary("公司管理人员平均任职超过12年。")
    assert absent_names("公司一共有多少员工？", known, vocabulary, latin_documents=False) == ("员工",)
    # Latin letters in Chinese documents are as written: "CEO 张三" names the chief executive.
    ceo_known, ceo_vocabulary = _vocabulary("公司CEO张三表示，海外业务将翻倍。")
    assert absent_names("公司的首席执行官是谁？", ceo_known, ceo_vocabulary, latin_documents=False) == ()


def test_a_name_the_documents_give_by_another_name_is_used():
    # The thesaurus: "Finnish" of a report that says "Finland".
    known, vocabulary = _vocabulary("A new line is being built at Oulanka in northern Finland for €118m.")
    assert absent_names("What does the new Finnish line cost?", known, vocabulary, latin_documents=True) == ()


def test_a_name_given_with_another_name_in_brackets_is_used_when_the_documents_use_that_one():
    known, vocabulary = _vocabulary("EMEA revenue grew 25.4%. Asia-Pacific revenue increased 24.7%.")
    assert absent_names("欧洲中东非洲(EMEA)和亚太地区的收入分别是多少？", known, vocabulary, latin_documents=True) == ()
    assert absent_names("欧洲的收入是多少？", known, vocabulary, latin_documents=True) == ("欧洲",)


def test_a_chinese_role_is_looked_for_as_written_in_the_documents_text():
    text = "公司下属全资及控股子公司63家。董事会建议向全体股东派发现金红利。"
    known, vocabulary = _vocabulary(text)
    # 控股 and 股东 are both used, 控股股东 never.
    assert absent_names("公司的控股股东是谁？", known, vocabulary, latin_documents=False, texts=[text]) == ("控股股东",)
    assert absent_names("公司的控股股东是谁？", known, vocabulary, latin_documents=False,
                        texts=[text, "公司控股股东为砺岩集团。"]) == ()
