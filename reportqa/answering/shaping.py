"""The lines of an extractive answer made whole: a clause ending at a semicolon carried on to its sentence's
end (and one after a semicolon given the clauses before it), a sentence pointing back to its cause preceded by
the sentence giving it, and a lead-in followed by the items or the sentence it introduces: never a fragment,
never a bare lead-in.
"""

from __future__ import annotations

import re
from typing import Callable

from ..retrieval import Retriever
from ..tree import DocumentTree
from .evidence import whole_sentences
from .parts import MAX_ANSWER_CHARS, MAX_BULLETS, MAX_LIST_CHARS, Line, list_members, lists_inline, member_line

# A sentence that opens by pointing back to the cause the sentence before it gives.
_BACK_REFERENCE = re.compile(
    r"^(?:(?:this|that|which) (?:is|was|explains|explained) (?:why|the reason)|for (?:this|these|those) reasons?\b"
    r"|(?:this|that) (?:is|was) (?:mainly |largely |partly )?(?:because|due to)\b"
    r"|因此|所以|正因如此|正因为如此|这(?:也)?(?:就)?是.{0,12}?(?:原因|为什么)|这也解释了|由此)",
    re.IGNORECASE)
# A sentence adding to the one before it: "同时，公司利用沿江码头…" after "骨料业务的增长主要得益于…", "In addition, …".
_ADDING = re.compile(r"^(?:同时|此外|另外|另一方面|加之|再加上|与此同时|(?:in addition|additionally|also|moreover|furthermore"
                     r"|at the same time|on top of this|on top of that)\b)", re.IGNORECASE)
# A clause that ends at a semicolon, and the next clause of the same sentence (up to a semicolon, the
# sentence's end or the line's end).
_CLAUSE_END = re.compile(r"[；;]\s*$")
# A sentence that ends by announcing a number of kinds, steps or parts, which the sentences after it give
# ("操场的种类大约分成两种。", "是通过两步反应制备的。", "The process has three stages."): a lead-in too,
# unless it names them itself (lists_inline) or points back to ones already given ("这两类", "these two").
_ANNOUNCES = re.compile(
    r"(?<![这那此该前上])(?:[两二三四五六七八九十几多]|\d+)(?:个|大)?(?:种|类|方面|部分|步|阶段|环节|层次|途径|类型|形式)"
    r"[^。！？!?，,；;：:]{0,6}[。！!.]?\s*$|"
    r"(?<!these )(?<!those )(?<!the )\b(?:two|three|four|five|six|seven|several|a few)\s+(?:[a-z]+\s+)?(?:kinds|types|steps|stages|parts|"
    r"categories|ways|phases|groups|forms|classes|aspects)\b[^.,;:]{0,20}\.?\s*$",
    re.IGNORECASE,
)
_NEXT_CLAUSE = re.compile(r"[^；;。！？!?\n]*(?:[；;。！？!?]|\.(?=\s|$)|(?=\n)|$)")


def first_sentence(tree: DocumentTree, source: str, start: int, end: int) -> Line | None:
    """The first sentence of a document's text between two offsets (the rest of a paragraph or item), if any."""
    rest = tree.text[start:end]
    span = next(((first, last) for first, last in whole_sentences(rest) if rest[first:last].strip()), None)
    if span is None:
        return None
    text = rest[span[0] : span[1]].strip()
    offset = start + span[0] + rest[span[0] : span[1]].index(text)
    return Line(text, source, offset, offset + len(text))


class LineShaper:
    """Makes an answer's lines whole sentences and brings what a line points to (its cause, its items)."""

    def __init__(self, retriever: Retriever, chars: Callable[[int, str], int]):
        self.retriever = retriever
        self.chars = chars  # a length budget in the characters of a text's language (ExtractiveAnswerer.chars)

    def whole_sentences(self, lines: list[Line], budget: int = MAX_ANSWER_CHARS) -> list[Line]:
        """Each line that ends at a semicolon carried on, clause by clause, to its sentence's end while the
        answer's length budget lasts: a semicolon joins the clauses of one sentence ("营业收入 286 亿元，同比
        增长 18.5%；归母净利润 19.7 亿元。", "应对措施包括：放缓…；开展…；加大…。"); one that begins after a
        semicolon, with the clauses before it (_with_clauses_before)."""
        if not lines:
            return lines
        room = self.chars(budget, lines[0].text) - sum(len(line.text) for line in lines)
        result = []
        for line in lines:
            line, room = self._with_clauses_before(line, room)
            tree = self.retriever.tree(line.source) if _CLAUSE_END.search(line.text) else None
            if tree is not None and tree.text[line.start : line.end] == line.text:
                end = line.end
                for match in _NEXT_CLAUSE.finditer(tree.text, line.end):
                    clause_end = match.end()
                    if clause_end - end > room or not tree.text[end:clause_end].strip():
                        break
                    room -= clause_end - end
                    end = clause_end
                    if not _CLAUSE_END.search(match.group()):
                        break  # the sentence ended
                line = Line(tree.text[line.start : end].rstrip(), line.source, line.start, end)
            if not any((kept.source, kept.start, kept.end) == (line.source, line.start, line.end) for kept in result):
                result.append(line)  # the same sentence of overlapping passages once
        return [line for line in result if not any(
            other is not line and other.source == line.source and other.start <= line.start and line.end <= other.end
            for other in result)]

    def _with_clauses_before(self, line: Line, room: int) -> tuple[Line, int]:
        """A line that is a later clause of its sentence, after a semicolon ("…up from 5,540 a year earlier; most of
        the 330 net additions were production staff…"), with the clauses before it when the room left allows:
        what it goes on from; the room then left."""
        tree = self.retriever.tree(line.source)
        if tree is None or tree.text[line.start : line.end] != line.text:
            return line, room
        node = tree.node_at(line.start, line.end)
        head = node.line_start  # the sentence begins on its own line: only that much is read back
        before = tree.text[head : line.start].rstrip()
        if not before.endswith((";", "；")) or line.bullet or node.kind == "item":
            return line, room  # an item listed after a colon ("应对措施包括：放缓…；开展…") stands alone
        start = head + max(before.rfind("\n"), *(before.rfind(mark) for mark in "。！？!?"),
                           before.rfind(". ") + 1 if before.rfind(". ") >= 0 else -1) + 1
        start += len(tree.text[start : line.start]) - len(tree.text[start : line.start].lstrip())
        if line.start - start > room or start >= line.start:
            return line, room
        return Line(tree.text[start : line.end], line.source, start, line.end, line.bullet), room - (line.start - start)

    def with_causes_before(self, lines: list[Line]) -> list[Line]:
        """Each line of prose that points back to its cause ("This is why underlying profit fell…", "因此毛利率
        下降…") preceded by the sentence before it in its paragraph, which gives the cause, unless a line holds
        it already."""
        result: list[Line] = []
        for line in lines:
            if not line.bullet and _BACK_REFERENCE.search(line.text):
                before = self.previous_sentence(line)
                if before is not None and not any(
                        kept.source == before.source and kept.start <= before.start < kept.end for kept in [*result, *lines]):
                    result.append(before)
            result.append(line)
        return result

    def with_causes_after(self, lines: list[Line], states_cause) -> list[Line]:
        """Each line of prose that gives a cause followed by the next sentence of its paragraph when that one adds
        to it ("…主要得益于产能的集中释放…。同时，公司利用沿江码头将骨料以水路外销…"), unless a line holds it already;
        `states_cause`: whether a sentence gives a cause (parts.states_cause)."""
        result: list[Line] = []
        for line in lines:
            result.append(line)
            following = self.next_sentence(line) if not line.bullet and states_cause(line.text) else None
            if following is not None and _ADDING.match(following.text) and not any(
                    kept.source == following.source and kept.start <= following.start < kept.end
                    for kept in [*result, *lines]):
                result.append(following)
        return result

    def previous_sentence(self, line: Line) -> Line | None:
        """The sentence before a line in its own paragraph, if any."""
        tree = self.retriever.tree(line.source)
        if tree is None or tree.text[line.start : line.end] != line.text:
            return None
        node = tree.node_at(line.start, line.end)
        before = tree.text[node.line_start : line.start]
        spans = [(first, last) for first, last in whole_sentences(before) if before[first:last].strip()]
        if not spans:
            return None
        first, last = spans[-1]
        text = before[first:last].strip()
        start = node.line_start + first + before[first:last].index(text)
        return Line(text, line.source, start, start + len(text))

    def next_sentence(self, line: Line) -> Line | None:
        """The sentence after a line in its own paragraph, if any (within the answer's length budget)."""
        tree = self.retriever.tree(line.source)
        if tree is None or tree.text[line.start : line.end] != line.text:
            return None
        node = tree.node_at(line.start, line.end)
        first = first_sentence(tree, line.source, line.end, node.end)
        if first is None:
            return None
        # A clause ending at a semicolon goes on to its sentence's end.
        [following] = self.whole_sentences([first])
        return following if len(following.text) <= self.chars(MAX_ANSWER_CHARS, following.text) else None

    def with_items(self, lines: list[Line]) -> list[Line]:
        """Each line that ends in a colon followed by the items it introduces, and one that announces a number
        of kinds or steps followed by the sentence that gives them: never a bare lead-in."""
        result: list[Line] = []
        for line in lines:
            if any(line.source == kept.source and kept.start <= line.start and line.end <= kept.end for kept in result):
                continue  # an item a lead-in already brought
            result.append(line)
            if _announces(line):
                following = self.next_sentence(line)
                if following is not None and not any(
                        kept.source == following.source and kept.start <= following.start < kept.end for kept in lines):
                    result.append(following)
                continue
            if not re.search(r"[:：]$", line.text):
                continue
            tree = self.retriever.tree(line.source)
            if tree is None:
                continue
            node = tree.node_at(line.start, line.end)
            items = [child for child in tree.children(node) if child.kind == "item"]
            if not items:  # a heading line's own colon: its members
                items = list_members(tree, node)
            budget = max(30, (self.chars(MAX_LIST_CHARS, line.text) - len(line.text))
                         // max(1, min(len(items), MAX_BULLETS)))
            result.extend(member_line(tree, item, budget) for item in items[:MAX_BULLETS])
        return [
            line for line in result
            if line.bullet or not any(
                other.bullet and other.source == line.source and other.start <= line.start and line.end <= other.end
                for other in result
            )
        ]


def _announces(line: Line) -> bool:
    """Whether a line announces a number of kinds or steps that it does not name itself (no series in its
    last clause: "绩分战、时间战、生存战等三种模式" names its three)."""
    if line.bullet or not _ANNOUNCES.search(line.text) or lists_inline(line.text):
        return False
    return "、" not in re.split(r"[，,；;：:]", line.text)[-1]
