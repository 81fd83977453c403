"""Question words matched across languages and word forms through the bundled CC-CEDICT dictionary."""

import pytest

from reportqa.glossary import english_forms, form_in, forms_used, translations, with_translations


def test_an_english_word_matches_the_chinese_word_the_documents_use():
    known = {"电池", "风险", "合作", "价格"}

    found = translations("What risks does the battery cooperation face?", known)

    assert found["battery"] == {"电池"}
    assert found["risks"] == {"风险"}
    assert found["cooperation"] == {"合作"}


def test_a_phrase_is_matched_before_its_words():
    found = translations("How secure is the supply chain?", {"供应链", "供应", "链"})

    assert found == {"supply chain": {"供应链"}}


def test_translations_the_documents_do_not_use_are_dropped():
    found = translations("What is the battery price in Europe?", {"电池"})

    assert found == {"battery": {"电池"}}


def test_asking_words_are_not_looked_up():
    assert translations("What are they and why?", {"什么", "为什么", "他们"}) == {}


def test_an_english_word_matches_the_other_forms_of_it_the_documents_use():
    found = translations("Which markets and risks?", {"market", "risk", "risks"})

    assert found["markets"] == {"markets", "market"}
    assert "risks" in found and found["risks"] == {"risks", "risk"}


def test_a_chinese_word_matches_the_english_words_of_an_english_document():
    found = translations("公司面临哪些风险？", {"risk", "risks", "company", "the"})

    assert found["风险"] == {"risk", "risks"}
    assert found["公司"] == {"company"}


def test_a_word_the_documents_use_is_left_as_it_is():
    assert translations("电池有哪些风险", {"电池", "风险"}) == {}


def test_english_forms_reach_the_dictionary_form():
    assert "invest" in english_forms("investment")
    assert "risk" in english_forms("risks")
    assert "summary" in english_forms("summarize")


def test_a_chinese_question_over_chinese_text_loads_no_dictionary(monkeypatch):
    import reportqa.glossary as glossary

    def no_dictionary(cache_dir=None):
        raise AssertionError("the dictionary was loaded")

    monkeypatch.setattr(glossary, "dictionary", no_dictionary)

    assert glossary.translations("小米汽车的股价是多少？", {"小米", "汽车", "电池", "su7"}) == {}


def test_a_name_in_pinyin_is_found_by_the_sounds_of_the_characters():
    from reportqa.glossary import dictionary

    table = dictionary()
    text = "小米汽车自建工厂(北京亦庄)与北汽集团生产基地相邻;海纳川为小米供应热管理系统。"
    assert table.spelled_in("Yizhuang", text) and table.spelled_in("Haina Chuan", text)
    assert table.spelled_in("Xiaomi", text) and table.spelled_in("Beiqi", text)  # 小米, 北汽: two characters each
    assert not table.spelled_in("Daxing", text) and not table.spelled_in("BYD", text)
    assert not table.spelled_in("Mi", text)  # one character's sound proves nothing


@pytest.mark.parametrize("question, word, chinese", [
    ("How fast did it go from launch to delivery?", "delivery", {"交付"}),  # listed as "to deliver"
    ("What was the capacity utilisation?", "capacity", {"产能"}),  # listed as "production capacity"
    ("How much money went into the plan?", "went", {"前往"}),  # went: go
    ("What was planned for 2025?", "planned", {"计划"}),  # planned: plan
])
def test_an_english_word_is_looked_up_under_its_dictionary_form(question, word, chinese):
    known = {"交付", "产能", "前往", "计划"}

    assert translations(question, known)[word] == chinese


def test_a_word_the_dictionary_lists_finds_no_senses_of_the_word_it_may_derive_from():
    # battery is listed (电池); "batter" (冲击, to pound) is no sense of it.
    assert translations("Which battery?", {"电池", "冲击"}) == {"battery": {"电池"}}
    assert english_forms("battery")[:1] == ["battery"] and "batter" in english_forms("battery")


def test_a_possessive_is_the_word_itself():
    assert translations("What is Xiaomi's capacity?", {"xiaomi", "产能"}) == {"capacity": {"产能"}}


def test_an_irregular_past_form_matches_the_base_verb_the_documents_use():
    assert translations("How many homes were sold?", {"sell", "homes"})["sold"] == {"sold", "sell"}
    # Not the other way round: "grow" asked does not match "grew" (a conclusion's "soups grew strongly"
    # outscored the reasons for the growth of an English Word report's soups).
    assert "grow" not in translations("Why did sales grow?", {"grew", "sales"})


@pytest.mark.parametrize("question, known, found", [
    # A name of several words matches as its words together.
    ("How much will the company spend on capex?", {"capital", "expenditure", "will"},
     {"capex": {"capital expenditure"}}),
    ("When did the company go public?", {"listed", "company"}, {"go public": {"listed"}}),
    # A word the documents use matches their other names of it too.
    ("Which company did it buy?", {"buy", "acquisition", "company"}, {"buy": {"buy", "acquisition"}}),
    # Chinese asked of Chinese text: other names, as jieba splits them.
    ("公司的营收是多少？", {"公司", "营业", "收入"}, {"营收": {"营业 收入", "收入"}}),
    # Across languages: the thesaurus's names in the documents' language, with the dictionary's.
    ("公司的营收是多少？", {"company", "revenue"}, {"营收": {"revenue"}, "公司": {"company"}}),
    ("How many employees?", {"员工"}, {"employees": {"员工"}}),
    # 营收 is any revenue the documents name as 收入 ("海外收入189.8亿元"); 境外 is 海外.
    ("公司在境外取得了多少营收？", {"公司", "海外", "收入"}, {"营收": {"收入"}, "境外": {"海外"}}),
    # "How many people work at…" asks for the headcount, not for working capital.
    ("How many people work at the group?", {"headcount", "working", "capital", "group"},
     {"people work": {"headcount"}}),
    # Running costs are operating expenses; 国外 is 海外; 每天 is 日均.
    ("What did the company do to bring running costs down?", {"operating", "expenses", "company"},
     {"running costs": {"operating expenses"}}),
    ("公司在国外开了多少门店？每天卖多少？", {"公司", "海外", "门店", "日均"}, {"国外": {"海外"}, "每天": {"日均"}}),
    # A word neither the documents nor the thesaurus know matches as its head: 总营收 as 营收; 一次性 is not 一次.
    ("云桥去年总营收多少？", {"云桥", "去年", "营业", "收入"}, {"总营收": {"营业 收入", "收入"}}),
    ("扣掉一次性损益之后的利润", {"一次", "损益", "利润"}, {}),
    # What a party gains is what a section calls its significance for it (对北汽集团的转型意义).
    ("北汽从合作中得到了哪些好处？", {"北汽", "合作", "意义"}, {"好处": {"意义"}}),
])
def test_other_names_of_the_same_thing_that_the_documents_use(question, known, found):
    assert translations(question, known) == found


def test_a_name_of_several_words_is_in_a_text_only_with_all_its_words():
    assert form_in("capital expenditure", {"capital", "expenditure", "rose"})
    assert not form_in("capital expenditure", {"capital", "rose"})
    assert form_in("资本 开支", {"资本", "开支"}) and form_in("revenue", {"revenue"})


def test_a_phrase_is_searched_with_every_other_name_of_it_a_word_with_those_of_one_word():
    known = {"capital", "spending", "expenditure", "capex", "合作", "战略"}
    tokens = with_translations(["capital", "spending"], "How much capital spending?", known)
    assert {"expenditure", "capex"} <= set(tokens)
    # A word is searched with the other names of one word (合作 in a report of 战略合作 would search 战略 alone).
    assert "战略" not in with_translations(["合作"], "合作", {"合作", "战略", "战略合作", "公司"})



@pytest.mark.parametrize("word,known,found", [
    ("distribute", {"distribution", "policy"}, {"distribution"}),  # a section called Distribution
    ("employs", {"employees", "staff"}, {"employees"}),
    ("acquired", {"acquisitions"}, {"acquisitions"}),
    ("renew", {"renewal"}, {"renewal"}),
    ("expand", {"expand", "expansion"}, {"expand"}),  # a form of the word itself comes first
    ("form", {"formal"}, set()),  # a noun is no verb to make a noun of
])
def test_a_verb_matches_the_nouns_it_makes_when_the_documents_use_no_form_of_it(word, known, found):
    assert forms_used(word, known) == found


def test_a_chinese_asking_word_is_not_translated():
    found = translations("公司的年度收入是多少？", {"revenue", "annual", "number", "numbers"})
    assert "多少" not in found and found["收入"] == {"revenue"}
