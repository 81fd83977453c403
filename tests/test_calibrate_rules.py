"""How benchmarks/calibrate.py chooses a grid value: the best one, unless the last fit's is within one question."""

from benchmarks.calibrate import _one_question, _same_section, _steady
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
