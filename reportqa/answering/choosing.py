"""Which part of a document answers a question about a whole part: a list, its reasons, a description.

The evidence (evidence.py) gives the question's best sentences and the document's sections ranked against it;
a PartChooser picks the node of the document tree whose items or sub-sections answer (a section, the list a
lead-in introduces, one item), or None when the best sentences answer themselves. The functions below it
read the tree's lists: which items hold a sentence, what introduces a list, whether it lists reasons.
"""

from __future__ import annotations

import itertools
import re
from typing import Sequence

from ..glossary import forms_used
from ..retrieval import Retriever, tokenize
from ..tree import DocumentTree, Node, opens_count
from .calibration import Calibration
from .evidence import NodeMatch, ScoredSentence, node_sentences
from .intent import asked_noun
from .parts import MAX_BULLETS, lead_in, list_members, lists_inline, states_cause


class PartChooser:
    """Chooses the part of a document that answers a list, reason or describe question (answering_part)."""

    def __init__(self, retriever: Retriever, calibration: Calibration):
        self.retriever = retriever
        self.calibration = calibration

    def answering_part(self, intent: str, sentences: list[ScoredSentence], nodes: list[NodeMatch], *,
                       cross_lingual: bool = False, question: str = "") -> tuple[DocumentTree, Node] | None:
        """The part of a document that answers a question about a whole part, or None when sentences do.

        The best-ranked section answers it when its score (its title and the passages inside it, weighed as
        fitted) is at least the fitted share of the best sentence's (`part_node_ratio`); so does a section
        whose title matches the question about as well as the best sentence (at least `part_keep_ratio` of
        it: "哪些展望" and the section 未来展望); for a list
        or the reasons, so does the part whose items hold the most of the best sentences. A list asked
        in another language than the documents is answered by the best-ranked section when its title
        holds a word of the question: across languages a sentence matches by its embedding and a few
        dictionary words, too loosely to lead to the right part ("What are the main areas of cooperation"
        and 核心合作领域, not the one sub-section whose sentence says 领域), unless the best sentence names the
        items itself (parts.lists_inline: then it answers). For the reasons, a list one item of which holds
        the best sentence while no other item but sentences elsewhere answer is about something else: the
        best sentences answer. Otherwise a list is the nearest one around the best sentence inside its own
        section (close sentences in items of different lists, one each: the list whose section ranks best);
        a section of prose is not answered by the outline of the section above it ("时代北汽生产哪些类型的
        电池" asked of 动力电池深度绑定 is not 核心合作领域's four sub-sections): its best sentences answer.
        """
        # The best sentence naming the items itself is the list, before any lead-in below it ("organised into four
        # reporting segments: …" before "Two factors held the segment back." and its points).
        named = (self.named_lead_in(question, sentences)
                 if intent == "list" and not self.names_own_items(sentences[0]) else None)
        if named is not None:
            return named
        ratio = self.calibration.part_node_ratio
        if nodes and ratio is not None and nodes[0].score >= ratio * sentences[0].score:
            return self._narrowed(intent, (nodes[0].tree, nodes[0].node), sentences[0], self.close(sentences))
        keep = self.calibration.part_keep_ratio
        if nodes and nodes[0].title_match >= keep * sentences[0].score and (
                intent != "reason" or nodes[0].evidence >= keep or _announces_reasons(nodes[0].tree, nodes[0].node)):
            # Asked why, a title that matches gives the reasons only when the section holds a sentence scoring
            # close to the best or announces reasons: "为什么报告判断小米今后对北汽的依赖会减弱" matches the title
            # 对小米汽车的战略价值 by the party it names, while its reason is an item of 风险与挑战.
            return self._narrowed(intent, (nodes[0].tree, nodes[0].node), sentences[0], self.close(sentences))
        if intent == "list" and self.names_own_items(sentences[0]):
            return None  # the best sentence names the items itself
        introduced = self.introduced_by(sentences[0]) if intent == "list" else None
        if introduced is not None:
            # The best sentence introduces a list ("北汽集团旗下企业深度参与小米汽车供应链："): its items, not the outline of
            # the sections around it that hold other sentences on the same parties.
            return introduced
        if intent == "reason":
            # The best sentence introduces a list of reasons ("财务费用下降主要有两方面原因：" and its items): that list,
            # not the outline of the sections around it that hold other sentences on the finance costs.
            introduced = self._reasons_introduced(sentences[:1])
            if introduced is not None:
                return introduced
            section = self.section(sentences[0]) if states_cause(sentences[0].text) else None
            if section is not None and self.in_plain_paragraph(sentences[0]) and not list_members(*section):
                # The best sentence gives the cause in the prose of a section that lists nothing ("混凝土板块收入回落，
                # 一方面是房地产项目明显减少…"): that section's prose, not a list of the reasons for something else nearby.
                return section
        if intent == "list" and cross_lingual and nodes and nodes[0].title_words > 0:
            return nodes[0].tree, nodes[0].node
        close = self.close(sentences)
        if intent == "describe":
            # Described by its best sentences wherever they are; a best sentence of a section's prose that no
            # other scores close to names the subject its section describes ("仓储运输上怎么配合": 双方共享物流
            # 仓储设施, and its section's 2-hour supply circle and flexible production): that section's key
            # sentences. An item of a list that no other sentence scores close to stays itself: its section lists
            # other things ("华宇的分红政策是怎样的": the item 分红政策, not two more sentences from elsewhere).
            if len(close) != 1:
                # Several close sentences, the best opening a labelled item that goes on about what it names
                # ("◆《代号：归墟》：公司成立以来研发投入最大的产品…" and its engine, team and launch): that item.
                item = self._item_of(sentences[0])
                units = node_sentences(*item) if item is not None else []
                opens = bool(units) and units[0][3] <= sentences[0].start < units[0][3] + len(units[0][4])
                if len(units) >= 2 and item[1].title and opens:
                    return item
                # Or the item holding the best sentence and another close one ("- 应收账款回收风险。部分下游客户资金链紧张…
                # 公司已实行客户分级授信…"): the item says the rest, how the risk is met.
                if len(units) >= 2 and sum(starts_inside(item[0], item[1], sentence) for sentence in close) >= 2:
                    return item
                return None
            if self.in_plain_paragraph(sentences[0]):
                return self.section(sentences[0])
            return self._item_of(sentences[0])
        # The part (below the document itself) whose list holds the best sentences in the most of its items
        # (two or more), then the most of them; the deeper one on a tie. Counting items, not sentences: the
        # list of 零部件供应链协同 holds close sentences in its four items, and the outline of the section above
        # it more sentences, but in two of its sub-sections only.
        seen: dict[tuple[str, int], tuple[DocumentTree, Node, set[int], set[int]]] = {}
        for sentence in close:
            tree = self.retriever.tree(sentence.source)
            if tree is None:
                continue
            node = tree.node_at(sentence.start, sentence.end)
            for owner in [node, *tree.ancestors(node)]:
                if tree.is_whole(owner):
                    break
                members = {m.index for m in list_members(tree, owner)}
                inside = next((n.index for n in [node, *tree.ancestors(node)] if n.index in members), None)
                if inside is not None:
                    entry = seen.setdefault((tree.source, owner.index), (tree, owner, set(), set()))
                    entry[2].add(inside)
                    entry[3].add(sentence.start)
        # Asked why, an outline of sub-sections answers only when they are the reasons, as its introduction or
        # title says ("一、合作背景：政策驱动与产业升级的双重逻辑"); "3 Financial review", whose sub-sections 3.2 and 3.3
        # both speak of capital spending, does not say why it rose: the best sentence's own section does.
        owners = [(len(members), len(held), len(tree.ancestors(owner)), tree, owner)
                  for tree, owner, members, held in seen.values() if len(members) >= 2
                  and (intent != "reason" or _announces_reasons(tree, owner)
                       or any(tree.nodes[member].kind != "heading" for member in members))]
        if owners:
            _, _, _, tree, owner = max(owners, key=lambda entry: entry[:3])
            return tree, owner
        if intent == "list":
            # Close sentences in items of different lists, one each: the list whose section ranks best ("北汽从合作中
            # 得到了哪些好处" matches an item about joint testing by its names, and one about BAIC's younger brand
            # by its meaning; the section 对北汽集团的转型意义 ranks first).
            ranked = _section_scores(nodes)
            nearest = {(found[0].source, found[1].index): found
                       for sentence in close if (found := self.nearest_list(sentence, within_section=True)) is not None
                       and _in_an_item(*found, sentence)}
            sections = {key: (tree.source, tree.section_of(owner).index) for key, (tree, owner) in nearest.items()}
            listed = [(ranked[sections[key]], *found) for key, found in nearest.items() if sections[key] in ranked]
            if len(nearest) >= 2 and listed:
                _, tree, owner = max(listed, key=lambda entry: entry[0])
                return tree, owner
            # A list of other things, one item of which holds the best sentence while neither its other items nor
            # the sentence introducing them score close: that item answers alone ("华宇电池的短板有哪些" is the item
            # "但公司也存在明显短板：…" of the list of strengths), or, with close sentences in prose elsewhere, the
            # best sentences ("What does the Halden acquisition bring?": 140 engineers and sensors, not the year's
            # achievements, one of them the acquisition). With a close sentence in another list's item, the rules
            # below decide.
            item = self._the_one_item(sentences[0], close, nodes, asked=asked_noun(question))
            if item is not None:
                elsewhere = [s for s in close if not starts_inside(*item, s)]
                if all(self.in_plain_paragraph(s) for s in elsewhere):
                    return None if elsewhere else item
        if intent == "reason":
            # The reasons of one sentence's section: its list, else its key sentences ("why did X" asked of a
            # section that explains it in prose); the parent section's other sub-sections give other reasons.
            # A list whose one item holding the best sentence is the only one to answer, while sentences
            # outside it answer as well, is about something else (the year's achievements, one of them the
            # acquisition asked about): the best sentences, wherever they are, answer.
            listed = self.nearest_list(sentences[0], within_section=True)
            if listed is None or not _announces_reasons(*listed):
                # A close sentence that introduces a list of reasons ("主要原因如下：") answers with that list,
                # though the best sentence restates the fact asked about elsewhere (the conclusion's "净利润出现
                # 近五年来首次下滑").
                announced = self._reasons_introduced(close)
                if announced is not None:
                    return announced
            if listed is not None:
                tree, owner = listed
                answering = members_holding(tree, owner, close)
                if not answering and not _announces_reasons(tree, owner):
                    return None  # a list of other things beside the best sentences ("Three developments stood out:")
                if not answering and not starts_inside(tree, owner, sentences[0]) and states_cause(sentences[0].text):
                    # The best sentence gives its own cause, beside another change's reasons that nothing close
                    # holds ("财务费用为-0.38亿元，主要系美元升值带来汇兑收益……所致" after "毛利率提升主要源于三方面："):
                    # it answers.
                    return None
                outside = [s for s in close if not starts_inside(tree, owner, s)]
                if len(answering) == 1 and starts_inside(tree, answering[0], sentences[0]) and (
                        outside or not _announces_reasons(tree, owner)):
                    return None
            return listed or self.section(sentences[0])
        listed = self.nearest_list(sentences[0], within_section=True) or self._outer_list(sentences[0], nodes)
        if listed is None and intent == "list" and nodes and self.in_plain_paragraph(sentences[0]):
            # Things a section names in its prose, no list anywhere near: that section's key sentences, when it
            # ranks first ("青禾是通过哪些方式把种子推到农民手上的": its 营销网络 section's dealers, demonstration
            # fields and app), not the best sentences of several sections.
            own = self.section(sentences[0])
            if own is not None and own[0].source == nodes[0].tree.source and own[1].index == nodes[0].node.index:
                return own
        return listed

    def named_lead_in(self, question: str, sentences: list[ScoredSentence]) -> tuple[DocumentTree, Node] | None:
        """The list introduced by the best of the fitted number of best sentences (`list_lead_sentences`) that
        leads in to a list and names the things the question asks for: "What initiatives helped the company
        keep its vets?" is "Several initiatives contributed to this improvement:" and its items, though the
        section Strategy, whose title and passages match better, lists the group's priorities."""
        top = self.calibration.list_lead_sentences
        asked = asked_noun(question) if top else None
        if asked is None:
            return None
        for sentence in sentences[:top]:
            introduced = self.introduced_by(sentence)
            if introduced is not None and _names_word(sentence.text, asked):
                return introduced
        return None

    def _narrowed(self, intent: str, part: tuple[DocumentTree, Node], best: ScoredSentence,
                  close: Sequence[ScoredSentence] = ()) -> tuple[DocumentTree, Node]:
        """For a list or the reasons, the list inside the part that the best sentence introduces, if it is one of
        several there: "自动化码头投产以后在哪些方面有改善" is answered by "…优势，具体表现为：" and its items, not also by
        the list before it in the same section ("公司建设自动化码头主要基于以下考虑："). For a description, the one
        sub-section of the part that holds every `close` sentence: "Describe the rewards programme" of "Our
        business", whose sub-section on the programme holds them, not its brands above."""
        tree, node = part
        if intent == "describe":
            return self._one_subsection(part, close) or part
        if intent not in ("list", "reason") or tree.source != best.source:
            return part
        introduced = self.introduced_by(best)
        lead = introduced[1] if introduced is not None else None
        if lead is None or lead is node or not node.start <= lead.start < node.end:
            return part
        inside = itertools.takewhile(lambda child: child.start < node.end, tree.nodes[node.index + 1 :])
        # The lists there: each lead-in's, and the part's own bullets.
        lists = {child.parent for child in inside if child.kind == "item"
                 and (child.parent == node.index or tree.nodes[child.parent].kind == "paragraph")}
        return (tree, lead) if len(lists) >= 2 else part

    def _one_subsection(self, part: tuple[DocumentTree, Node],
                        close: Sequence[ScoredSentence]) -> tuple[DocumentTree, Node] | None:
        """The sub-section (a heading right below the part) that holds every one of the close sentences."""
        tree, node = part
        held = set()
        for sentence in close:
            if sentence.source != tree.source or not node.start <= sentence.start < node.end:
                return None
            inner = tree.node_at(sentence.start, sentence.end)
            below = next((n for n in [inner, *tree.ancestors(inner)] if n.parent == node.index), None)
            if below is None or below.kind != "heading":
                return None
            held.add(below.index)
        return (tree, tree.nodes[held.pop()]) if len(held) == 1 else None

    def introduced_by(self, sentence: ScoredSentence) -> tuple[DocumentTree, Node] | None:
        """The list a sentence introduces: the sentence ends its paragraph with a colon, or before the points it
        counts ("…的原因主要有三点。首先，…"), and items follow it ("北汽集团旗下企业深度参与小米汽车供应链：" and its
        items); None otherwise."""
        tree = self.retriever.tree(sentence.source)
        if tree is None:
            return None
        lead = tree.node_at(sentence.start, sentence.end)
        own = tree.own_text(lead).rstrip()
        items = [tree.nodes[child] for child in lead.children if tree.nodes[child].kind == "item"]
        introduces = (lead.kind == "paragraph" and bool(items) and sentence.end >= lead.line_start + len(own)
                      and (own.endswith((":", "：")) or opens_count(tree.own_text(items[0]))))
        return (tree, lead) if introduces else None

    def _reasons_introduced(self, close: list[ScoredSentence]) -> tuple[DocumentTree, Node] | None:
        """The list of reasons or causes that one of the close sentences introduces (the sentence is its lead-in,
        not one of its items), the best such sentence's."""
        for sentence in close:
            listed = self.nearest_list(sentence, within_section=True)
            if listed is not None and _announces_reasons(*listed) and not any(
                    starts_inside(listed[0], member, sentence) for member in list_members(*listed)):
                return listed
        return None

    def _outer_list(self, sentence: ScoredSentence, nodes: list[NodeMatch]) -> tuple[DocumentTree, Node] | None:
        """The nearest list further out than the sentence's own section, when that list's section ranks above the
        sentence's own and its title shares a word with the question: "公司有哪些业务板块" is 二、业务分析's
        sub-sections, though its best sentence is in one of them (（三）奶酪: "…是增速最快的业务板块");
        "时代北汽生产哪些类型的电池", whose own section 动力电池深度绑定 ranks first, is not the outline of the section
        above it, nor is "城市配送主要服务哪些客户" 一、公司概况's (基本情况, 财务表现)."""
        found = self.nearest_list(sentence)
        tree = self.retriever.tree(sentence.source)
        if found is None or tree is None:
            return None
        ranked = _section_scores(nodes)
        own = tree.section_of(tree.node_at(sentence.start, sentence.end))
        outer = tree.section_of(found[1])
        below = ranked.get((tree.source, own.index), float("-inf"))
        named = any(match.title_words > 0 for match in nodes
                    if match.tree.source == tree.source and match.node.index == outer.index)
        return found if named and ranked.get((tree.source, outer.index), float("-inf")) > below else None

    def names_own_items(self, sentence: ScoredSentence) -> bool:
        """Whether the sentence names its items itself (parts.lists_inline), in a paragraph that introduces none."""
        return lists_inline(sentence.text) and self.in_plain_paragraph(sentence)

    def in_plain_paragraph(self, sentence: ScoredSentence) -> bool:
        """Whether the sentence is in a paragraph that introduces no items."""
        tree = self.retriever.tree(sentence.source)
        return tree is not None and plain_paragraph(tree, tree.node_at(sentence.start, sentence.end))

    def nearest_list(self, sentence: ScoredSentence, *, within_section: bool = False) -> tuple[DocumentTree, Node] | None:
        """The closest part around the best sentence that lists two or more items or sub-sections (small to
        big: "It rests on three pillars:" and its items, when the best sentence names the plan); with
        `within_section`, no further out than the sentence's own section."""
        tree = self.retriever.tree(sentence.source)
        if tree is None:
            return None
        node = tree.node_at(sentence.start, sentence.end)
        for owner in [node, *tree.ancestors(node)]:
            if tree.is_whole(owner):
                break
            if len(list_members(tree, owner)) >= 2:
                return tree, owner
            if within_section and owner.kind == "heading":
                break
            if owner is node and node.kind == "paragraph" and lists_inline(sentence.text):
                break  # a sentence that names its own items answers by itself, not a list further out
        return None

    def _the_one_item(self, best: ScoredSentence, close: list[ScoredSentence], nodes: list[NodeMatch], *,
                      asked: str | None = None) -> tuple[DocumentTree, Node] | None:
        """The item of the list around the best sentence that alone holds close sentences, its list's introduction
        (a lead-in sentence, else its section's title) not scoring close (_the_item_answering) nor naming what the
        question asks for (`asked`: "投资者需要注意哪些风险" of the items under 四、风险因素, the first of which
        matches 投资 as well); else None."""
        listed = self.nearest_list(best, within_section=True)
        if listed is None:
            return None
        tree, owner = listed
        if asked is not None and _names_word(_introduction(tree, owner), asked):
            return None
        title = next((match.title_match for match in nodes
                      if match.tree.source == tree.source and match.node.index == owner.index), 0.0)
        item = _the_item_answering(tree, owner, best, close,
                                   title_close=title >= self.calibration.part_keep_ratio * best.score)
        return (tree, item) if item is not None else None

    def _item_of(self, sentence: ScoredSentence) -> tuple[DocumentTree, Node] | None:
        """The list item (not a sub-section) that holds the sentence, if any."""
        listed = self.nearest_list(sentence, within_section=True)
        if listed is None:
            return None
        tree, owner = listed
        item = next((m for m in list_members(tree, owner) if starts_inside(tree, m, sentence)), None)
        return (tree, item) if item is not None and item.kind != "heading" else None

    def section(self, sentence: ScoredSentence) -> tuple[DocumentTree, Node] | None:
        """The section (below the document itself) that holds the sentence."""
        tree = self.retriever.tree(sentence.source)
        if tree is None:
            return None
        section = tree.section_of(tree.node_at(sentence.start, sentence.end))
        return None if tree.is_whole(section) else (tree, section)

    def close(self, sentences: list[ScoredSentence]) -> list[ScoredSentence]:
        """The sentences that score close to the best one (at least the fitted `part_keep_ratio` of it)."""
        keep = self.calibration.part_keep_ratio
        return [s for s in sentences[: 2 * MAX_BULLETS] if s.score >= keep * sentences[0].score] if sentences else []


def title_words(tree: DocumentTree) -> dict[int, set[str]]:
    """The search words of each section title (the document's own title aside), by node index."""
    return {node.index: set(tokenize(node.title)) for node in tree.headings() if not tree.is_whole(node)}


def names_one_part(tree: DocumentTree, word: str, titles: dict[int, set[str]] | None = None) -> bool:
    """Whether the titles holding a word all lie on one branch of the document (a section and its own
    sub-sections): "marine" in Marine Components names one part; 合作 in three sections' titles names none.
    `titles`: title_words(tree), when the caller has it."""
    titles = title_words(tree) if titles is None else titles
    holders = [node for node in tree.headings() if word in titles.get(node.index, ())]
    if not holders:
        return False
    deepest = max(holders, key=lambda node: len(tree.ancestors(node)))
    line = {deepest.index, *(node.index for node in tree.ancestors(deepest))}
    return all(node.index in line for node in holders)



_REASONS = re.compile(r"\b(?:reasons?|factors?|drivers?|why)\b|因素|理由|动因|为何|为什么", re.IGNORECASE)


def members_holding(tree: DocumentTree, owner: Node, sentences: Sequence[ScoredSentence]) -> list[Node]:
    """The list's items (or sub-sections) that hold one of the sentences."""
    return [member for member in list_members(tree, owner) if any(starts_inside(tree, member, s) for s in sentences)]


def _in_an_item(tree: DocumentTree, owner: Node, sentence: ScoredSentence) -> bool:
    """Whether the sentence is in one of the list's items (not in the prose beside it, nor in a sub-section's
    prose: "主要客户包括盒马、…" in 2.2 and a sentence of 1.1 are no items of two lists to choose between)."""
    return any(member.kind != "heading" and starts_inside(tree, member, sentence) for member in list_members(tree, owner))


def _the_item_answering(tree: DocumentTree, owner: Node, best: ScoredSentence, close: list[ScoredSentence], *,
                        title_close: bool = False) -> Node | None:
    """Of a list introduced by a sentence, or by its section's title (`title_close`: the title matches the
    question about as well as the best sentence), the item holding the best sentence when it is the only item
    holding sentences close to it and the introduction is not one of them; else None. A sub-section is no such
    item: a section's sub-sections answer together ("公司有哪些业务板块")."""
    introduction = lead_in(tree, owner)
    if owner.kind == "heading" and not introduction:
        introduced = title_close
    elif introduction:
        introduced = any(s.source == tree.source and introduction[0].start <= s.start < introduction[0].end
                         for s in close)
    else:
        return None
    answering = members_holding(tree, owner, close)
    alone = (len(answering) == 1 and answering[0].kind != "heading" and starts_inside(tree, answering[0], best)
             and not introduced)
    return answering[0] if alone else None


def _introduction(tree: DocumentTree, owner: Node) -> str:
    """What introduces a list: its lead-in paragraph, else its section's title."""
    lines = lead_in(tree, owner)
    return lines[0].text if lines else tree.section_of(owner).title


def _names_word(text: str, word: str) -> bool:
    """Whether a text uses a word: a Chinese one as written, an English one in any of its forms (risks: risk)."""
    if not word.isascii():
        return word in text
    return bool(forms_used(word, set(tokenize(text))))


def _announces_reasons(tree: DocumentTree, owner: Node) -> bool:
    """Whether a list is one of reasons or causes, by the paragraph that introduces it, else its section's title
    ("增长的主要驱动因素包括：", "Several factors support this view:"; not "The directors point to four
    developments that shaped the year:")."""
    text = _introduction(tree, owner)
    return states_cause(text) or _REASONS.search(text) is not None


def _section_scores(nodes: Sequence[NodeMatch]) -> dict[tuple[str, int], float]:
    """Each ranked section's score, by (document, node index)."""
    return {(match.tree.source, match.node.index): match.score for match in nodes}


def starts_inside(tree: DocumentTree, node: Node, sentence: ScoredSentence) -> bool:
    """Whether a sentence starts inside a node of the tree."""
    return sentence.source == tree.source and node.start <= sentence.start < node.end


def plain_paragraph(tree: DocumentTree, node: Node) -> bool:
    """A paragraph that introduces no items."""
    return node.kind == "paragraph" and not node.children
