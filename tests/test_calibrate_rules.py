"""How benchmarks/calibrate.py chooses a grid value: the best one, unless the last fit's is within one question
or within the noise of the difference; and how it reads the section labels of questions."""

from benchmarks.calibrate import Case, _labelled, _noise, _one_question, _same_section, _steady, _steady_gate
from reportqa.answering.abstention import FEATURES
from reportqa.answering.calibration import Calibration
from reportqa.evaluation import EvalQuestion
from reportqa.loaders import Document
from reportqa.tree import document_tree

GRID = (0.3, 0.4, 0.5, 0.6)
MEASURE = {0.3: 0.870, 0.4: 0.889, 0.5: 0.888, 0.6: 0.860}


def key(value):
    return (MEASURE[value], -value)


def test_the_last_fits_value_stays_while_nothing_beats_it_by_more_than_one_question():
    assert _steady(GRID, key, 0.5, margin=0.002) == 0.5  # 0.889 against 0.888: noise
    assert _steady(GRID, key, 0.6, margin=0.002) == 0.4  # 0.889 against 0.860: a real difference
    assert _steady(GRID, key, None, margin=0.002) == 0.4  # a first fit takes the best
    assert _steady(GRID, key, 0.45, margin=0.002) == 0.4  # a last value off the grid is no incumbent


def test_one_question_weighs_least_in_the_largest_group():
    assert _one_question([[1] * 10, [1] * 40, []]) == 1 / (2 * 40)
    assert _one_question([]) == 0.0


def test_a_section_label_matches_with_or_without_the_documents_title_above_it():
    tree = document_tree(Document("r.md", "# Tidemark plc Annual Review 2024\n\n## 2 Strategic review\n\n"
                                          "### 2.2 Online\nOnline sales grew.\n\n## 3 Outlook\nMore growth.\n"))
    online = next(node for node in tree.headings() if node.title == "2.2 Online")
    assert _same_section(tree, online, "2 Strategic review › 2.2 Online")
    assert _same_section(tree, online, "Tidemark plc Annual Review 2024 › 2 Strategic review › 2.2 Online")
    assert not _same_section(tree, online, "3 Outlook")
    assert not _same_section(tree, online, "2 Strategic review")


def _measure(groups, outcome):
    """The group-weighted mean of each value's outcomes, as the fits key it."""
    return lambda value: (sum(sum(outcome(row, value) for row in g) / len(g) for g in groups) / len(groups),)


def test_a_difference_that_other_questions_could_reverse_keeps_the_last_value():
    outcome = lambda row, value: row[0 if value == "a" else 1]  # noqa: E731  (a question's outcome under a, b)
    # Two groups of 100 questions; "b" gets 3 more right than "a" in the first and 1 fewer in the second.
    groups = [[(1, 1)] * 60 + [(0, 1)] * 5 + [(1, 0)] * 2 + [(0, 0)] * 33,
              [(1, 1)] * 70 + [(1, 0)] * 3 + [(0, 1)] * 2 + [(0, 0)] * 25]
    measure, margin = _measure(groups, outcome), _noise(groups, outcome)

    assert round(measure("b")[0] - measure("a")[0], 3) == 0.01
    assert 0.01 < margin("b", "a") < 0.03  # the standard error of that difference is about 0.017
    assert _steady("ab", measure, "a", margin) == "a"
    assert _steady("ab", measure, None, margin) == "b"  # a first fit takes the best
    # "b" right on 30 more questions of the first group: no noise.
    groups[0] = [(1, 1)] * 60 + [(0, 1)] * 32 + [(0, 0)] * 8
    assert _steady("ab", _measure(groups, outcome), "a", _noise(groups, outcome)) == "b"


def test_a_label_matches_a_numbered_heading_without_its_numbers_punctuation():
    tree = document_tree(Document("r.md", "# Beaconsfield plc\n\n## 1. Overview\nA year of growth.\n\n"
                                          "## （一）主要财务指标\n收入增长。\n"))
    overview, figures = (node for node in tree.headings() if node.title != "Beaconsfield plc")
    assert _same_section(tree, overview, "1 Overview")
    assert _same_section(tree, figures, "(一) 主要财务指标")


class _Retriever:
    def __init__(self, tree):
        self._tree = tree

    def sources(self):
        return [self._tree.source]

    def tree(self, source):
        return self._tree


class _Assistant:
    def __init__(self, tree):
        self.retriever = _Retriever(tree)


def test_a_question_without_a_section_label_is_labelled_by_where_its_evidence_sits():
    tree = document_tree(Document("r.md", "# Osterby plc\n\n## 2 Review\n### 2.1 People\nHeadcount reached 1,240.\n\n"
                                          "### 2.2 Sites\nWe build in Leeds and Pune.\n\n## 3 Outlook\nMore growth.\n"))
    asked = [EvalQuestion("a", "How many staff?", ("Headcount reached 1,240",), (("1,240",),)),
             EvalQuestion("b", "Where and how many?", ("Headcount reached 1,240", "in Leeds"), (("1,240",),)),
             EvalQuestion("c", "Spread out?", ("Headcount reached 1,240", "More growth"), (("1,240",),)),
             EvalQuestion("d", "Labelled", ("More growth",), (("growth",),), section="3 Outlook"),
             EvalQuestion("e", "Not answered", (), (), answerable=False)]

    labelled = _labelled(asked, _Assistant(tree))

    assert [q.section for q in labelled] == [
        "Osterby plc › 2 Review › 2.1 People",  # the deepest section holding its evidence
        "Osterby plc › 2 Review",  # items in two sub-sections: the section above both
        "",  # only the whole document holds both: no label
        "3 Outlook", ""]  # a label given stays; an unanswerable question has none


def _case(number: int, answerable: bool, best_sentence: float) -> Case:
    features = (best_sentence,) + (0.0,) * (len(FEATURES) - 1)
    return Case(EvalQuestion(f"q{number}", "?", (), ()), "report", answerable, False, False,
                "answerable" if answerable else "unanswerable", features=features)


def _gate(threshold: float) -> Calibration:
    """A same-language gate on the best sentence's score alone: answered from `threshold` up."""
    weights = (20.0,) + (0.0,) * (len(FEATURES) - 1)
    return Calibration(gate_weights=weights, gate_bias=-20.0 * threshold, gate_threshold=0.5, tentative_threshold=0.5)


def test_a_refitted_gate_that_decides_about_as_well_keeps_the_last_one():
    # 60 answerable cases scoring 0.50..1.09, 40 unanswerable ones 0.10..0.49.
    cases = ([_case(n, True, 0.50 + n / 100) for n in range(60)]
             + [_case(100 + n, False, 0.10 + n / 100) for n in range(40)])
    last = _gate(0.45)  # answers 5 unanswerable cases
    nearly = _gate(0.455)  # answers 4: one case, noise
    better = _gate(0.495)  # every case right

    assert _steady_gate(cases, nearly, last, cross=False) == (
        Calibration(gate_weights=last.gate_weights, gate_bias=last.gate_bias, gate_threshold=0.5,
                    tentative_threshold=0.5), True)
    assert _steady_gate(cases, better, last, cross=False) == (better, False)
    assert _steady_gate(cases, nearly, None, cross=False) == (nearly, False)  # a first fit
