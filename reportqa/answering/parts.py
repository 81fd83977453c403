"""Parts of a document as lines of an answer: a list's items as bullets, a sub-section as one bullet, a lead-in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..tree import DocumentTree, Node

MAX_BULLETS = 6  # bullets of a list answer
MAX_ANSWER_CHARS = 260  # a fact's or a description's lines, in Chinese characters (ExtractiveAnswerer.chars)
MAX_LIST_CHARS = 350  # a list's
_HAN = re.compile(r"[\u4e00-\u9fff]")

# A comma ends a clause, but not one between a figure's digits ("1,900 km").
# Not a comma inside a figure ("1,900") nor one of a series ("150 finance, customer-service and IT roles").
_CLAUSE_END = re.compile(r"[，；;。！？!?]|,(?!\d{3}(?!\d))(?!\s*(?:[\w'’-]+\s+){1,3}?(?:and|or)\s)")
# What follows a colon in a sentence that lists its own items ("three markets: cold-chain logistics, marine
# propulsion components and industrial software", "涵盖三大领域：电池、零部件和物流"). A Chinese comma
# joins clauses, not items; in English a comma separates items only when "and" / "or" ends the series.
_INLINE_ITEMS = re.compile(r"[:：]\s*(?P<items>[^:：]{6,})$")
_CHINESE_SEPARATOR = re.compile(r"[、；;]|以及|和|及|与")
# Without a colon, a Chinese series lists the sentence's own items when a word of including introduces it
# ("产品覆盖储能电池、动力电池和钠离子电池三大类"); a series elsewhere in a sentence names in passing ("为小米 SU7、
# 北汽极狐等车型提供磷酸铁锂和三元锂电池").
_CHINESE_SERIES = re.compile(
    # Where they come from or lie is a list too: "海外收入主要来自港澳台、日韩、东南亚及北美市场".
    r"(?:包括|包含|涵盖|覆盖|涉及|分为|囊括|主要有|分别是|分别为|来自|集中在|集中于|分布在|分布于|遍及)"
    r"[^、]{1,20}、[^、]+(?:、[^、]+|(?:以及|和|及|与)[^、]+)")
_CAUSE = re.compile(
    r"因为|由于|受[^，,。；;]{1,30}影响|得益于|受益于|归因于|源于|考虑到|鉴于|凭借|贡献|抵消|导致|致使|使得|带动|驱动|推动"
    r"|拉动|提振|拖累|因此|所以|原因|为了|以便|旨在"
    # A report's "主要系……所致" ("mainly because of … ").
    r"|主要系|系由于|所致"
    # "这一下滑主要是公司主动调整的结果" ("the fall was mainly the result of …").
    r"|是[^，,。；;]{1,20}的结果|主要来自|主要来源于"
    # A change, then its causes counted: "混凝土板块收入回落，一方面是房地产项目明显减少…".
    r"|[，,]\s*一方面(?:是|由于|因为|受)"
    r"|\b(?:because|due to|owing to|thanks to|(?:driven|led|caused|helped|boosted|supported|lifted|hit|hurt|"
    r"underpinned|fuell?ed|spurred|weighed down) (?:mainly |largely |mostly |chiefly |partly |primarily |in part )?by"
    r"|as a result|result(?:ed|s)? (?:from|in)"
    r"|reflect(?:s|ed|ing)?|attributable to|the (?:direct |main )?result of|on the back of|held back by"
    # A figure's movement, then what caused it: "eased to 116% from 119% as mid-market customers consolidated seats".
    r"|(?<=\d)%?\s+as (?!well\b|a (?:share|percentage|proportion|result)\b|of\b|at\b|in\b|on\b|expected\b|planned\b"
    r"|such\b|part\b|reported\b|announced\b|previously\b)"
    r"|benefit(?:ed|ted|s)? from"
    # "The improvement came mainly from two sources", "The deterioration had two causes".
    r"|(?:came|comes|stemm?(?:ed|s)?|arose|arises) (?:mainly |largely |mostly |chiefly |partly )?from"
    r"|(?:two|three|four|several|main|principal|key) (?:causes|sources|reasons|drivers|factors)"
    # A motive answers why a decision was taken: "chose not to declare a dividend, preferring to rebuild liquidity".
    r"|prefer(?:s|red|ring)? to|in order to|so as to|with the aim of|intended to"
    # What else played a part, or made up for it: "Lower electricity costs also contributed", "partly offset by
    # …", "the effect was largely passed on through price escalation clauses".
    r"|contribut(?:ed|es|ing)\b|offset by|passed on)\b",
    re.IGNORECASE,
)
_SERIES = re.compile(r"[^、，,。；;]+、[^、，,。；;]+(?:、|[，,]?(?:并且?|以及|和|及|与))[^、，,。；;]+")
_ENGLISH_SERIES = re.compile(r"^[^,;]+(?:[,;]\s*[^,;]+)+,?\s+(?:and|or)\s+\S", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One line of an answer: its text and the document span that supports it."""

    text: str
    source: str
    start: int
    end: int
    bullet: bool = False


def list_members(tree: DocumentTree, node: Node) -> list[Node]:
    """The items and sub-sections a node lists: its items, the items of its lead-in paragraphs, its sub-headings."""
    members = []
    for child in tree.children(node):
        if child.kind in ("item", "heading"):
            members.append(child)
        elif child.kind == "paragraph":
            members.extend(tree.nodes[c] for c in child.children if tree.nodes[c].kind == "item")
    return members


def states_cause(sentence: str) -> bool:
    """Whether a sentence gives a cause in its own words ("受价格战影响，毛利率降至 13.5%", "sales rose, driven
    by pharmaceutical customers")."""
    return _CAUSE.search(sentence) is not None


def lists_inline(sentence: str) -> bool:
    """Whether a sentence names its own items: after a colon, two or more joined by 、 / 和 / ；, or an English
    series "a, b and c"; in Chinese also without a colon, three or more joined by 、 in one clause after a word
    of including ("产品覆盖储能电池、动力电池和钠离子电池三大类")."""
    if any(_CHINESE_SERIES.search(clause) for clause in _CLAUSE_END.split(sentence)):
        return True
    match = _INLINE_ITEMS.search(sentence.strip().rstrip("。.!！"))
    if match is None:
        return False
    items = match.group("items")
    if _HAN.search(items):
        return len([part for part in _CHINESE_SEPARATOR.split(items) if part.strip()]) >= 2
    return _ENGLISH_SERIES.match(items) is not None


def names_series(sentence: str) -> bool:
    """Whether a sentence names its own items (lists_inline) or, without a colon, three or more things in a row:
    "fixed energy prices, recruited apprentices and added an audit", "储能电池、动力电池和钠离子电池"."""
    return lists_inline(sentence) or _english_series(sentence.strip()) or bool(_SERIES.search(sentence))


def _english_series(sentence: str) -> bool:
    """Whether an English sentence runs "a, b and c": parts joined by commas and a last "and"/"or", none of them a
    clause about the one before ("…Skerry Air, which brought the Dash 8s into the group, and of a decision in 2019
    to add jets…" names no series)."""
    if not _ENGLISH_SERIES.match(sentence):
        return False
    parts = re.split(r"[,;]\s*|\s+(?:and|or)\s+", sentence)[1:]
    return not any(re.match(r"(?:which|who|whom|where|whose)\b", part) for part in parts)


def has_own_paragraphs(tree: DocumentTree, node: Node) -> bool:
    return any(child.kind == "paragraph" and not child.children for child in tree.children(node))


def lead_in(tree: DocumentTree, node: Node, members: Sequence[Node] = ()) -> list[Line]:
    """The paragraph that introduces the node's items, when there is one: of `members`, when given, the one that
    introduces the first of them (the causes below a table's caption and rows)."""
    if node.kind == "paragraph":
        return [Line(tree.own_text(node), tree.source, node.line_start, node.line_end)]
    if members and members[0].parent != node.index:
        owner = tree.nodes[members[0].parent]
        if owner.kind == "paragraph":
            return [Line(tree.own_text(owner), tree.source, owner.line_start, owner.line_end)]
    for child in tree.children(node):
        if child.kind == "paragraph" and child.children:
            return [Line(tree.own_text(child), tree.source, child.line_start, child.line_end)]
        if child.kind != "paragraph":
            break
    return []


def member_line(tree: DocumentTree, member: Node, budget: int) -> Line:
    """A bullet for an item (its label and first clauses) or a sub-section (its title and its items' labels)."""
    if member.kind == "heading":
        return heading_line(tree, member, budget)
    body = first_clauses(tree.body(member), budget)
    text = f"{member.title}{colon(member.title)}{body}" if member.title else body
    return Line(text, tree.source, member.line_start, member.line_end, bullet=True)


def heading_line(tree: DocumentTree, heading: Node, budget: int = 80) -> Line:
    """A sub-section as one bullet: its title, then its items' labels or its first clauses, within about budget
    characters; it cites the section's first lines (a heading line itself is in no passage)."""
    body = next((n for n in tree.nodes[heading.index + 1 :] if n.start < heading.end and n.kind != "heading"), None)
    if body is None or body.start >= heading.end:
        return Line(heading.title, tree.source, heading.line_start, heading.line_end, bullet=True)
    members = list_members(tree, heading)
    labels = [member.title for member in members if member.title]
    # Its items' labels, unless it opens with prose of its own and has one sub-section only ("Premium growth was
    # driven by…" above "### Motor": the prose says more of it than the one title).
    if labels and len(labels) == len(members) and (len(members) >= 2 or body.start >= members[0].start):
        shown = []
        for label in labels:
            if shown and len(heading.title) + len(_comma(label).join(shown + [label])) > budget:
                break
            shown.append(label)
        last = members[len(shown) - 1]
        return Line(f"{heading.title}{colon(heading.title)}{_comma(heading.title).join(shown)}", tree.source, members[0].line_start, last.line_end, bullet=True)
    room = budget - len(heading.title)
    if room < 12:
        return Line(heading.title, tree.source, body.line_start, body.line_end, bullet=True)
    clause = first_clauses(tree.body(body), room)
    start = body.line_start + max(0, tree.own_text(body).find(clause))
    return Line(f"{heading.title}{colon(heading.title)}{clause}", tree.source, start, start + len(clause), bullet=True)


def first_clauses(text: str, budget: int) -> str:
    """The first clauses of a text within about budget characters (always a whole first clause)."""
    text = text.strip()
    end = 0
    for match in _CLAUSE_END.finditer(text):
        if end and match.end() > budget:
            break
        end = match.end()
        if text[match.start()] in "。！？!?":
            break
    else:
        if len(text) <= budget:
            return text  # no sentence ended, and the last clause, unmarked, fits ("…，较传统码头提升约18%")
    if end == 0:
        return text
    return text[:end].rstrip("，,；;")


def colon(text: str) -> str:
    """The colon after a label: the report's own ":" in Chinese text, ": " in other languages."""
    return ":" if _HAN.search(text) else ": "


def _comma(text: str) -> str:
    return "、" if _HAN.search(text) else ", "


def fit_lines(lines: list[Line], max_chars: int, *, skipping: bool = False) -> list[Line]:
    """The leading lines that fit within max_chars (at least one); `skipping`: a line that does not fit is
    passed over and the next ones tried, instead of ending the answer there."""
    kept, length = [], 0
    for line in lines:
        if kept and length + len(line.text) > max_chars:
            if skipping:
                continue
            break
        kept.append(line)
        length += len(line.text)
    return kept


# An analyst's rating or target price: what a verdict comes to.
_RATING = re.compile(r"评级|目标价|买入|增持|减持|卖出|\b(?:rating|rated|target price|price target|buy|sell|overweight|"
                     r"underweight|outperform|underperform)\b", re.IGNORECASE)


def verdict_lines(lines: list[Line], max_chars: int) -> list[Line]:
    """A conclusion's lines as an answer holds them: all that fit; when they do not, its opening line, the
    lines that state a rating or a target, and its closing line first (a conclusion states its gist first and
    its verdict, a rating or target, last or in a line of its own), then those in between, in document order."""
    if len(lines) < 2:
        return fit_lines(lines, max_chars)
    rated = [line for line in lines[1:-1] if _RATING.search(line.text)]
    order = [lines[0], *rated, lines[-1], *(line for line in lines[1:-1] if line not in rated)]
    return sorted(fit_lines(order, max_chars, skipping=True), key=lambda line: line.start)
