"""The abstention gate: its evidence features, and a model of its own for questions across languages."""

from reportqa.answering.abstention import FEATURES, STRONG, WEAK, answers, evidence_features
from reportqa.answering.calibration import Calibration
from reportqa.answering.evidence import ScoredSentence
from reportqa.config import Settings


def _sentence(text: str) -> ScoredSentence:
    return ScoredSentence(0, text, 0.5, 0.8, 0.6, frozenset())


def test_missing_number_is_a_feature_of_the_evidence():
    missing = FEATURES.index("asked_type_missing")
    no_number = [_sentence("双方在智能驾驶领域展开联合研发。"), _sentence("合作提升了品牌影响力。")]
    with_number = [_sentence("双方在智能驾驶领域展开联合研发。"), _sentence("合资公司总投资 10 亿元。")]
    assert evidence_features("合资公司的总投资是多少？", "fact", no_number, [])[missing] == 1.0
    assert evidence_features("合资公司的总投资是多少？", "fact", with_number, [])[missing] == 0.0
    # A question that asks for no number, or for a list, never misses one.
    assert evidence_features("合资公司由谁发起？", "fact", no_number, [])[missing] == 0.0
    assert evidence_features("合资公司有哪些股东？", "list", no_number, [])[missing] == 0.0


def test_a_figure_only_in_a_weaker_sentence_is_missing_by_how_much_weaker():
    # The best sentence gives no price; one scoring half as well gives another product's.
    missing = FEATURES.index("asked_type_missing")
    evidence = [ScoredSentence(0, "The model went on sale in Thailand in March.", 0.6, 0.8, 0.8, frozenset()),
                ScoredSentence(1, "In China the model sells for 215,900 yuan.", 0.6, 0.8, 0.4, frozenset())]
    assert evidence_features("What is the model's price in Thailand?", "fact", evidence, [])[missing] == 0.5


def test_questions_across_languages_have_a_gate_of_their_own(tmp_path):
    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="none")
    evidence = [_sentence("合资公司总投资 10 亿元。")]
    # Same weights on both sides; only the bias differs: the same evidence passes one gate and not the other.
    weights = (1.0, 1.0, 1.0, 1.0, 0.0, -1.0)
    fitted = Calibration(gate_weights=weights, gate_bias=0.0, cross_lingual_gate_weights=weights,
                         cross_lingual_gate_bias=-5.0, tentative_threshold=None, cross_lingual_tentative_threshold=None)

    def level(question: str, cross: bool) -> str:
        return answers(question, "fact", evidence, [], cross_lingual=cross, settings=settings, fitted=fitted)

    assert level("合资公司的总投资是多少？", cross=False) == STRONG
    assert level("How much was invested in the joint venture?", cross=True) == WEAK


def test_words_the_documents_never_use_are_a_feature_of_the_evidence():
    position = FEATURES.index("unknown_words")
    evidence = [_sentence("合资公司总投资 10 亿元。")]
    assert evidence_features("合资公司的董事长是谁？", "fact", evidence, [], unknown_words=0.6)[position] == 0.6
    assert evidence_features("合资公司的总投资是多少？", "fact", evidence, [])[position] == 0.0
    assert evidence_features("q", "fact", [], [], unknown_words=0.4)[position] == 0.4
