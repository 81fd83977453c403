"""A document's structure as a tree: headings, sub-headings, labelled items and paragraphs, with spans.

The chunks are what is searched; the tree is what is answered from ("small-to-big"): a passage
found by search leads to its node, and a list question is answered from that node's children.
Headings are found exactly as the chunker finds them, so every node's path is a chunk's section.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .chunking import SECTION_SEPARATOR, _lines, heading_levels
from .loaders import Document
from .tables import TABLE_CAPTION, column_names_line, table_row

# A list item: a bullet, "1." / "1)" / "(1)" / "①", or a short label followed by a colon.
_ITEM_MARK = re.compile(r"^(?:[-*•·]\s+|\d{1,2}[.)、]\s*|[（(]\d{1,2}[）)]\s*|[①-⑳]\s*)")
_LABEL = re.compile(r"^([^:：。！？!?；;，,|]{1,24}?)\s*[:：]\s*(?=\S)")  # a table's row ("毛利率 | 2024年：6.8%") is no item
_LEAD_IN = re.compile(r"[:：]\s*$")
# A sentence announcing the bullets below it without a colon: "主要包括以下几类。", "具体如下。", "as follows."
_ANNOUNCES = re.compile(r"(?:以下|如下|下列)[\u4e00-\u9fff]{0,6}[。．.]\s*$|\b(?:as follows|the following)\.\s*$",
                        re.IGNORECASE)
# A caption or a note on a table or chart ("表3：盈利预测与估值摘要", "资料来源：公司公告", "Figure 2: Revenue mix",
# "Source: company data") is written like a labelled item, and is none.
_CAPTION = re.compile(r"^(?:(?:附)?[表图]\s*\d+(?:[.-]\d+)*|(?:table|figure|fig\.?|chart|exhibit|graph)\s*\d+(?:[.-]\d+)*"
                      r"|(?:资料|数据)?来源|注释?|备注|sources?|notes?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Node:
    """One part of a document: its kind, its heading or label, where it sits and what it holds."""

    index: int
    kind: str  # "document" | "heading" | "item" | "paragraph"
    title: str  # the heading, an item's label, or "" for a paragraph
    path: tuple[str, ...]  # the headings above it and, for a heading, itself
    parent: int  # -1 for the document itself
    children: tuple[int, ...]
    line_start: int  # the node's own line
    line_end: int
    start: int  # the node with everything below it
    end: int

    @property
    def section(self) -> str:
        """The heading path as users read it, as in a chunk's section."""
        return SECTION_SEPARATOR.join(self.path)


class DocumentTree:
    """The nodes of one document; node 0 is the document itself."""

    def __init__(self, source: str, text: str, nodes: list[Node], heading_vectors: dict[int, list[float]] | None = None):
        self.source = source
        self.text = text
        self.nodes = nodes
        # node index -> embedding of the heading's path, computed when the document is indexed
        self.heading_vectors = heading_vectors or {}

    def node_at(self, start: int, end: int) -> Node:
        """The deepest node whose span holds the span start..end."""
        node = self.nodes[0]
        while True:
            inner = next(
                (self.nodes[c] for c in node.children if self.nodes[c].start <= start and end <= self.nodes[c].end),
                None,
            )
            if inner is None:
                return node
            node = inner

    def section_of(self, node: Node) -> Node:
        """The node itself when it is a heading (or the document), else its nearest heading above."""
        while node.kind not in ("heading", "document"):
            node = self.nodes[node.parent]
        return node

    def children(self, node: Node) -> list[Node]:
        """The node's children in document order."""
        return [self.nodes[c] for c in node.children]

    def siblings(self, node: Node) -> list[Node]:
        """The other children of the node's parent."""
        if node.parent < 0:
            return []
        return [self.nodes[c] for c in self.nodes[node.parent].children if c != node.index]

    def ancestors(self, node: Node) -> list[Node]:
        """The nodes above this one, nearest first."""
        found = []
        while node.parent >= 0:
            node = self.nodes[node.parent]
            found.append(node)
        return found

    def headings(self) -> list[Node]:
        """Every heading node in document order (the table of contents)."""
        return [node for node in self.nodes if node.kind == "heading"]

    def title_heading(self) -> Node | None:
        """The document's one top-level heading when the other headings sit below it (a Markdown "# Title"
        above its "## " sections): the document's name, not one of its parts; None otherwise."""
        top = [child for child in self.children(self.nodes[0]) if child.kind == "heading"]
        if len(top) == 1 and any(child.kind == "heading" for child in self.children(top[0])):
            return top[0]
        return None

    def is_whole(self, node: Node) -> bool:
        """Whether the node stands for the whole document: the document itself, or its title heading."""
        title = self.title_heading()
        return node.kind == "document" or (title is not None and node.index == title.index)

    def opening_end(self) -> int:
        """Where the text above the first heading ends (a title line, a preamble); 0 when the document
        opens with a heading or has none."""
        return next((node.start for node in self.nodes if node.kind == "heading"), 0)

    def own_text(self, node: Node) -> str:
        """The node's own line: a heading, an item, or a paragraph."""
        return self.text[node.line_start : node.line_end]

    def whole_text(self, node: Node) -> str:
        """The node with everything below it."""
        return self.text[node.start : node.end]

    def body(self, node: Node) -> str:
        """An item's content after its bullet and label, or the node's own line."""
        own = _ITEM_MARK.sub("", self.own_text(node), count=1)
        if node.kind == "item" and node.title:
            label = _LABEL.match(own)
            if label:
                return own[label.end() :]
        return own

    def to_json(self) -> str:
        """The tree as JSON, for storing beside the index."""
        rows = [
            [n.kind, n.title, list(n.path), n.parent, n.line_start, n.line_end, n.start, n.end] for n in self.nodes
        ]
        vectors = {str(index): [round(x, 5) for x in vector] for index, vector in self.heading_vectors.items()}
        return json.dumps(
            {"source": self.source, "text": self.text, "nodes": rows, "heading_vectors": vectors}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, raw: str) -> "DocumentTree":
        """A tree stored with `to_json`."""
        data = json.loads(raw)
        children: dict[int, list[int]] = {}
        for index, row in enumerate(data["nodes"]):
            children.setdefault(row[3], []).append(index)
        nodes = [
            Node(index, kind, title, tuple(path), parent, tuple(children.get(index, ())), ls, le, s, e)
            for index, (kind, title, path, parent, ls, le, s, e) in enumerate(data["nodes"])
        ]
        vectors = {int(index): vector for index, vector in data.get("heading_vectors", {}).items()}
        return cls(data["source"], data["text"], nodes, vectors)


def document_tree(document: Document) -> DocumentTree:
    """The tree of a document's headings, labelled items and paragraphs."""
    lines = _lines(document.text)
    # (kind, title, path, parent, line_start, line_end); spans are filled in afterwards.
    rows: list[list] = [["document", "", (), -1, 0, 0]]
    path: list[tuple[int | float, str]] = []  # (level, heading), as the chunker keeps it
    heading_nodes: list[int] = [0]  # the node of each entry of path, after the document
    lead_in: int | None = None  # a paragraph ending in a colon, which the items below it belong to
    levels = heading_levels(lines)
    for position, line in enumerate(lines):
        level, heading = levels[position]
        if level is not None:
            while path and path[-1][0] >= level:
                path.pop()
                heading_nodes.pop()
            path.append((level, heading))
            rows.append(["heading", heading, tuple(h for _, h in path), heading_nodes[-1], line.start, line.end])
            heading_nodes.append(len(rows) - 1)
            lead_in = None
            continue
        section_path = tuple(h for _, h in path)
        if lead_in is not None and table_row(line.text):
            # A table below a lead-in ("各类客户的收入贡献如下：" and its rows "连锁餐饮 | 38%"): its rows are the items
            # listed, its row of column names none of them.
            naming = column_names_line(line.text) and not any(row[0] == "item" and row[3] == lead_in
                                                               for row in rows[lead_in + 1 :])
            kind = "paragraph" if naming else "item"
            rows.append([kind, "", section_path, lead_in, line.start, line.end])
            continue
        label = item_label(line.text)
        marked = _ITEM_MARK.match(line.text) is not None
        inline = inline_items(line.text) if not marked else []
        if label is None and not inline and not marked:
            inline = counted_sentences(line.text)
        if label is not None and inline:
            # "产能规划：新建 12 座冷库；扩建 3 座。" is a labelled item; "…三个方面：一是…；二是…" a list.
            if all(_COUNTED.match(line.text[start:end]) for start, end in inline):
                label = None
            else:
                inline = []
        if label is not None and _introduces_items(line.text, lines[position + 1 : position + 2]):
            label = None  # "公司提出“两年双百”目标：…。具体举措包括：" is the paragraph above its bullets, not an item
        if label is not None:
            parent = lead_in if lead_in is not None else heading_nodes[-1]
            rows.append(["item", label, section_path, parent, line.start, line.end])
            continue
        if inline:
            # "公司已采取以下应对措施：A；B；C。": the words up to the colon introduce the items after it.
            rows.append(["paragraph", "", section_path, heading_nodes[-1], line.start, line.start + inline[0][0]])
            paragraph = len(rows) - 1
            for start, end in inline:
                rows.append(["item", item_label(line.text[start:end]) or "", section_path, paragraph,
                             line.start + start, line.start + end])
            lead_in = None
            continue
        rows.append(["paragraph", "", section_path, heading_nodes[-1], line.start, line.end])
        following = lines[position + 1].text if position + 1 < len(lines) else ""
        if TABLE_CAPTION.match(line.text) and table_row(following):
            # A table's caption ("表6：可比公司估值对比", "Table 2: Revenue by segment") introduces its rows, unless
            # the paragraph just above it does ("储备产品共有三款：" above "表3：…").
            if lead_in is None or lead_in != len(rows) - 2:
                lead_in = len(rows) - 1
            continue
        introduces = _LEAD_IN.search(line.text) or (_ANNOUNCES.search(line.text) and _ITEM_MARK.match(following))
        lead_in = len(rows) - 1 if introduces else None
    spans = [[row[4], row[5]] for row in rows]
    spans[0] = [0, len(document.text)]
    for index in range(len(rows) - 1, 0, -1):
        parent = rows[index][3]
        spans[parent][0] = min(spans[parent][0], spans[index][0])
        spans[parent][1] = max(spans[parent][1], spans[index][1])
    children: dict[int, list[int]] = {}
    for index, row in enumerate(rows):
        children.setdefault(row[3], []).append(index)
    nodes = [
        Node(index, kind, title, path_, parent, tuple(children.get(index, ())), ls, le, *spans[index])
        for index, (kind, title, path_, parent, ls, le) in enumerate(rows)
    ]
    return DocumentTree(document.source, document.text, nodes)


_INLINE_LEAD_IN = re.compile(r"[:：]")
_INLINE_SEPARATOR = re.compile(r"[；;]")
_MIN_INLINE_ITEM = 6
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)")
# Words counting points: 一是, 其一, 首先…最后 (and 第一, 1）, ① for clauses; 第一， and "First, …" for sentences).
_COUNTING = r"[一二三四五六七八九十]是|其[一二三四五六七八九十]|首先|其次|再次|最后"
_COUNTED = re.compile(rf"^(?:{_COUNTING}|第[一二三四五六七八九十]|\d{{1,2}}[）)]|[（(]\d{{1,2}}[）)]|[①-⑳])")


def inline_items(text: str) -> list[tuple[int, int]]:
    """The spans of the items a paragraph lists after a colon, one per clause ended by a semicolon
    ("公司已采取以下应对措施：与产地合作建设种植基地；建立分阶段评估机制；加快创新药布局。"): two or
    more, each a clause of its own; [] for a paragraph that lists nothing so."""
    colon = _INLINE_LEAD_IN.search(text)
    if colon is None or _INLINE_LEAD_IN.search(text, colon.end()) is not None:
        return []  # no colon, or labels inside the clauses ("A：…；B：…"): not one lead-in and its items
    if _CAPTION.match(text[: colon.start()].strip()):
        return []  # "资料来源：公司公告；启衡证券研究所预测" names sources, not items
    # The list ends with its sentence: "…两方面：一是…；二是…加剧。值得注意的是，…" lists two items, and goes on.
    ending = _SENTENCE_END.search(text, colon.end())
    end = ending.end() if ending else len(text.rstrip())
    spans, start = [], colon.end()
    for separator in _INLINE_SEPARATOR.finditer(text, colon.end(), end):
        spans.append((start, separator.end()))
        start = separator.end()
    if start < end:
        spans.append((start, end))
    spans = [(start + len(text[start:end]) - len(text[start:end].lstrip()), end) for start, end in spans]
    if len(spans) < 2 or any(len(text[start:end].strip("；;。. ")) < _MIN_INLINE_ITEM for start, end in spans):
        return []
    return spans


# Sentences counting the points of a paragraph: 首先/其次/最后, 一是/二是, 第一，/第二，, "First, … Second, … Finally, …"
# (第一 alone may open "第一季度…").
_COUNTED_SENTENCE = re.compile(
    rf"(?:{_COUNTING}|第[一二三四五六七八九十][，,、]|此外|(?:First|Second|Third|Fourth|Fifth)(?:ly)?\b|Finally\b|Lastly\b)")
_FIRST_COUNTED = re.compile(r"一是|其一|第一|首先|First(?:ly)?\b")


def counted_sentences(text: str) -> list[tuple[int, int]]:
    """The spans of a paragraph's counted points after the sentence that introduces them ("…的原因主要有三点。首先，…。
    其次，…。再次，…。"; "Two factors held the segment back. First, … Second, …"): each from a sentence opening with
    a counting word to the next one, the last to the paragraph's end; two or more, counted from the first ("首先",
    "First"), after at least one sentence that is not one of them; [] otherwise."""
    starts = [0] + [match.end() for match in _SENTENCE_END.finditer(text)]
    starts = [start + len(text[start:]) - len(text[start:].lstrip()) for start in starts]
    counted = [start for start in dict.fromkeys(starts) if start < len(text.rstrip())
               and _COUNTED_SENTENCE.match(text, start)]
    if len(counted) < 2 or counted[0] == 0 or not _FIRST_COUNTED.match(text, counted[0]):
        return []
    ends = [*counted[1:], len(text)]
    return [(start, start + len(text[start:end].rstrip())) for start, end in zip(counted, ends)]


def opens_count(text: str) -> bool:
    """Whether a text opens with the word that counts a first point (首先, 一是, "First,")."""
    return _FIRST_COUNTED.match(text.lstrip()) is not None


def _introduces_items(text: str, following: list) -> bool:
    """Whether an unmarked line ending in a colon comes right before a bulleted or numbered item."""
    return (not _ITEM_MARK.match(text) and _LEAD_IN.search(text) is not None
            and bool(following) and _ITEM_MARK.match(following[0].text) is not None)


def item_label(line: str) -> str | None:
    """A list item's label ("" for an unlabelled bullet), or None when the line is not an item."""
    mark = _ITEM_MARK.match(line)
    rest = line[mark.end() :] if mark else line
    label = _LABEL.match(rest)
    if label and not _CAPTION.match(label.group(1).strip()):
        return label.group(1).strip()
    return "" if mark else None
