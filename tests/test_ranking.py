"""Fusion and lexical ranking logic."""

import pytest

from reportqa.config import Settings
from reportqa.errors import QuestionError
from reportqa.answering.extractive import ExtractiveAnswerer, with_new_subject
from reportqa.index import StoredChunk
from reportqa.retrieval import Snapshot, clean_question, reciprocal_rank_fusion, tokenize


def test_rrf_rewards_agreement_between_rankers():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]])
    assert [item for item, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_keeps_items_only_one_ranker_found():
    fused = dict(reciprocal_rank_fusion([["a"], ["b", "a"]]))
    assert fused["b"] == pytest.approx(1 / 61)
    assert fused["a"] > fused["b"]


def test_tokenize_drops_question_words_and_punctuation():
    tokens = tokenize("小米SU7的年产能是多少？")
    assert "su7" in tokens and "多少" not in tokens and "？" not in tokens


@pytest.mark.parametrize("question", ["", "   ", "\x00\x07", "？？？", "🚗🚗"])
def test_questions_without_words_are_refused_with_advice(question):
    with pytest.raises(QuestionError, match="question"):
        clean_question(question)


def test_overlong_questions_are_refused():
    with pytest.raises(QuestionError, match="under 2000"):
        clean_question("电池" * 5000)


def test_control_characters_are_removed():
    assert clean_question("电池\x00产能\u200b？") == "电池 产能 ？"


@pytest.mark.parametrize(
    ("question", "follows_up"),
    [
        ("那北汽呢？", True),
        ("北汽呢", True),
        ("为什么？", True),
        ("它的产能是多少？", True),
        ("What about BAIC?", True),
        ("How much did they invest?", True),
        ("时代北汽的总投资是多少？", False),
        ("小米汽车的工厂建在哪里？", False),
        ("What is the planned capacity of the battery plant?", False),
    ],
)
def test_the_rule_rewrites_only_questions_that_lean_on_the_previous_one(question, follows_up):
    answerer = ExtractiveAnswerer(Settings(), retriever=None)
    history = [("小米在合资公司的持股比例是多少？", "10%[1]")]
    rewritten = answerer.rewrite(question, history)
    assert (rewritten != question) is follows_up
    if follows_up:
        assert rewritten.startswith("小米在合资公司的持股比例是多少？") and rewritten.endswith(question)


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        ("储能业务方面公司有哪些优势？", "那海外业务方面呢？", "海外业务方面公司有哪些优势？"),
        ("银行在零售贷款上的不良率是多少？", "对公贷款上呢？", "银行在对公贷款上的不良率是多少？"),
        ("董事会对华东工厂的产能利用率怎么看？", "那西南工厂的产能利用率呢？", "董事会对西南工厂的产能利用率怎么看？"),
        # Nothing repeated after the subject: the previous question goes in front, as before.
        ("小米在合资公司的持股比例是多少？", "那北汽呢？", None),
        ("What is the revenue of the cold chain segment?", "What about the marine segment?", None),
    ],
)
def test_a_follow_up_that_repeats_the_word_after_the_subject_swaps_the_subject(previous, follow_up, standalone):
    assert with_new_subject(previous, follow_up) == standalone


def test_relative_fusion_keeps_a_clear_lead_that_rank_fusion_would_erase():
    from reportqa.retrieval import relative_score_fusion

    dense = [("a", 0.90), ("b", 0.89), ("c", 0.50)]
    lexical = [("b", 12.0), ("a", 11.9), ("c", 0.0)]
    # RRF calls a and b a tie; the scores say both are far ahead of c, and a and b nearly equal.
    fused = dict(relative_score_fusion([dense, lexical], [0.5, 0.5]))
    assert fused["c"] == pytest.approx(0.0)
    assert fused["a"] == pytest.approx(0.5 + 0.5 * 11.9 / 12.0)
    assert fused["b"] == pytest.approx(0.5 * 0.39 / 0.40 + 0.5)


def test_relative_fusion_counts_an_id_missing_from_one_list_as_its_bottom():
    from reportqa.retrieval import relative_score_fusion

    fused = relative_score_fusion([[("a", 2.0), ("b", 1.0)], [("c", 5.0)]], [0.7, 0.3])
    assert fused == [("a", pytest.approx(0.7)), ("c", pytest.approx(0.3)), ("b", pytest.approx(0.0))]


def test_an_unknown_fusion_setting_says_what_to_choose():
    from reportqa.errors import SettingsError

    with pytest.raises(SettingsError, match="REPORTQA_FUSION"):
        Settings.from_env({"REPORTQA_FUSION": "max"})


@pytest.mark.parametrize("fusion", ["relative", "rrf"])
def test_both_fusions_put_the_matching_passage_first(tmp_path, fusion):
    from fakes import BagOfWordsEmbeddings
    from reportqa.index import build_index
    from reportqa.retrieval import Retriever

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "battery.txt").write_text("一、电池\n合资电芯工厂年产能规划为20GWh。\n", encoding="utf-8")
    (corpus / "market.txt").write_text("一、市场\n小米计划进入泰国和沙特市场。\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", fusion=fusion)
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    top = Retriever(settings, embeddings=BagOfWordsEmbeddings()).retrieve("电芯工厂的年产能是多少？", k=2)
    assert top[0].source == "battery.txt" and top[0].score > top[1].score


def test_the_fitted_word_weight_decides_between_the_rankers(tmp_path):
    """BM25's share of the fused score is the calibrated one (benchmarks/calibrate.py fits it), and a
    retriever's own weight, set by the calibration script as it fits, is what retrieval uses."""
    from fakes import BagOfWordsEmbeddings
    from reportqa.answering.calibration import calibration
    from reportqa.index import build_index
    from reportqa.retrieval import Retriever

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("一、电池\n合资电芯工厂年产能规划为20GWh。\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    build_index(settings, embeddings=BagOfWordsEmbeddings())
    retriever = Retriever(settings, embeddings=BagOfWordsEmbeddings())
    assert retriever.lexical_weight == calibration().retrieval_lexical
    snapshot = retriever.snapshot()
    dense, lexical = [("d", 1.0), ("l", 0.0)], [("l", 2.0), ("d", 1.0)]
    retriever.lexical_weight = 0.9
    assert retriever.fuse("电芯工厂", snapshot, dense, lexical)[0][0] == "l"
    retriever.lexical_weight = 0.1
    assert retriever.fuse("电芯工厂", snapshot, dense, lexical)[0][0] == "d"


def test_bm25_over_postings_scores_exactly_as_rank_bm25():
    from rank_bm25 import BM25Okapi

    texts = ["时代北汽总投资10亿元，建设电芯工厂。", "北汽越野车完成工信部申报。", "电芯工厂年产能20GWh，电芯供应小米。",
             "小米SU7售价21.59万元。", "北汽与小米合作，北汽提供资质。"]
    chunks = [StoredChunk(f"c{n}", "r.txt", "报告 › 一节", text, 0, len(text)) for n, text in enumerate(texts)]
    snapshot = Snapshot.of_chunks("f", chunks)
    reference = BM25Okapi([tokenize(f"{chunk.section}\n{chunk.text}") for chunk in chunks])
    assert snapshot.bm25.idf == reference.idf and snapshot.bm25.avgdl == reference.avgdl
    for question in ("电芯工厂的投资是多少？", "北汽 北汽 资质", "特斯拉", "小米"):
        tokens = tokenize(question)

        assert snapshot.bm25_scores(tokens).tolist() == reference.get_scores(tokens).tolist()


def test_a_fiscal_year_written_as_one_word_is_its_year():
    assert tokenize("FY2024 revenue") == ["2024", "revenue"]
    assert tokenize("fy24 sales") == ["2024", "sales"]
    assert tokenize("2024财年营收")[0] == "2024"
