"""The offline default answer backend: the report's own words, shaped by what the question asks for.

- fact, yes/no, compare: the one to three sentences that best answer it; a sentence that ends in a
  colon brings the items it introduces;
- list, reason: one bullet per item (or sub-section) of the section that answers it, each cited; a list
  question whose best sentence names its own items ("three markets: a, b and c") is answered by it; a
  reason the section states in its prose, or that only one item of an unrelated list holds, by the best
  sentences;
- describe / how: the section whose title matches (its list, if it has one, and its best sentences), else
  the best few sentences, in document order;
- summary: the document's own conclusion section, then its top-level sections as bullets; a summary of
  one subject, the section whose title names it.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator, Sequence

from ..config import Settings
from ..glossary import ENGLISH_STOPWORDS, form_in, mostly_latin
from ..retrieval import Passage, Retriever, tokenize
from ..subject import document_title, title_names
from ..tables import table_row
from ..tree import DocumentTree, Node, item_label
from .abstention import TENTATIVE, TOP_SENTENCES, WEAK, answers
from .answertype import RARE_KINDS, asked_type, holds_type
from .calibration import Calibration, calibration
from .evidence import (FIGURE, YEAR, NodeMatch, ScoredSentence, SentenceScorer, covered_terms, node_sentences,
                       rank_nodes, substantive, whole_sentences)
from .intent import compared, question_intent, question_parts
from .names import absent_names
from .choosing import PartChooser, names_one_part, plain_paragraph, starts_inside, title_words
from .parts import (MAX_ANSWER_CHARS, MAX_BULLETS, MAX_LIST_CHARS, Line, colon, fit_lines, has_own_paragraphs,
                    heading_line, lead_in, list_members, member_line, names_series, states_cause,
                    verdict_lines)
from .measures import measure_apart, paragraph_words, part_words, period_apart
from .periods import period_named, periods
from .premise import event_words, movement_contradicted, premise_unstated, presumes_event
from .shaping import LineShaper, first_sentence
from .types import Answer, Citation, cautioned, is_chinese, not_found

MAX_SENTENCES = 3
FACT_INTENTS = frozenset({"fact", "yesno", "compare"})
SOURCE_IS_CHINESE = "The source is in Chinese; the cited passages say:"
SOURCE_IS_ENGLISH = "来源为英文，引用的原文如下："
# A document's own summary: its heading names it (numbering and Markdown marks aside).
_SUMMARY_HEADING = re.compile(
    r"^(?:[#\s]*)(?:[一二三四五六七八九十\d]+(?:[、.．]\s*|\s+))?"  # "五、总结", "1. Summary", "1 Executive Summary"
    r"(?:总结|结论|结语|小结|摘要|概要|综述|总体评价|核心观点|投资要点|核心要点|要点|投资建议|投资观点|executive summary|"
    r"investment summary|summary|conclusions?|abstract|key findings|key points|key takeaways|(?:financial )?highlights|"
    # An analyst's closing verdict: "十一、投资建议", "Our view", "Investment case", "Recommendation".
    r"our view|investment (?:view|case|thesis)|(?:investment )?recommendation|verdict|投资逻辑|投资亮点|"
    # "1 The Year in Brief", "2024 at a Glance", "Overview", "一、概览".
    r"[\w' ]{0,30}\b(?:in brief|at a glance)\s*$|overview\s*$|概览\s*$|年度回顾\s*$)",
    re.IGNORECASE,
)
_HIGHLIGHTS = re.compile(r"in brief|at a glance|highlights|overview|概览|年度回顾", re.IGNORECASE)
# Not "Overall," or 总体来看: a section's own round-up of its segment opens so too.
_SUMMING_UP = re.compile(r"(?:in summary|in conclusion|in sum\b|to sum up|to summari[sz]e|all in all|总之|综上|总的来说)",
                         re.IGNORECASE)
# Words of a summary request that name no subject: "请概括一下这份报告的主要内容", "Summarize the report".
_GENERIC_WORDS = frozenset(
    "请 一下 这份 这篇 该 本 报告 文档 文件 文章 资料 主要 内容 全文 整体 总体 下 个 简要 简单 "
    "用 一句 一句话 两句 两三句 三句 几句 句话 话 几 简短 简述 说说 谈谈 "
    "please briefly report document paper article review this the whole main points key give me me us "
    "its it overall one sentence sentences few words short nutshell "
    # Whom the message is for and how it is put: "Boiled down, what does the company want investors to take away?"
    "message messages takeaway takeaways boil boiled down want wants wanted investor investors shareholders "
    "投资者 股东 想 希望 传达 信息 "
    # How the subject of a report did is what the report is about: "Summarise Aldermoor's performance",
    # "请概括公司2024年的整体经营表现".
    "performance results result highlights annual year "
    "业绩 表现 经营 情况 成绩 年度 全年 经营情况 经营表现 "
    # What the author thinks of it is what a summary states: "这篇研报的核心观点", "the analyst's view".
    "观点 核心 核心观点 主要观点 看法 view views take analyst analysts author "
    # Who wrote it: "the broker's view", "券商对公司怎么看".
    "broker brokers research note 券商 研报 研究 机构 "
    # How the asker puts the request: "总的来说，分析师对公司怎么看" (分析 and 看 are words of 分析师 and 怎么看).
    "分析 分析师 看 怎么看 如何看 认为 评价 来说 总的来说 总体来说 总之 "
    # The company a report is about, named as such: "分析师对这家公司怎么看", "the group's year".
    "公司 这家 那家 该公司 本公司 集团 company group firm".split()
)
# How long the asker wants it: "用三两句话", "分三点", "一段话" name no subject.
_COUNTED_WORDS = re.compile(r"^[一二两三四五六七八九十几数]+[句段点条个]?话?$")
_CONCLUSION_HEADING = re.compile(r"结论|结语|投资建议|conclu|our view|recommendation|verdict", re.IGNORECASE)
# A summary request that asks for the document's conclusion itself, not an overview of it.
_ASKS_CONCLUSION = re.compile(
    r"结论|结语|最后|收尾|conclu|closing|bottom line|final (?:word|assessment|verdict)"
    # What the author makes of it is the verdict: "分析师怎么看", "is the analyst positive", "their view".
    r"|怎么看|如何看|看法|观点|评价|\bviews?\b|\btake\b|opinion|verdict|positive|negative|bullish|bearish|recommend",
    re.I,
)
_SUMMARY_WORDS = re.compile(r"概括|总结|归纳|结论|要点|大意|讲|说|summar|conclu|overview|takeaway|gist|tl;?dr", re.I)
_FOLLOW_UP = re.compile(
    r"^(那|那么|还有|而|另外|它|他们|她们|其|and\b|what about\b|how about\b|and what\b)"
    r"|呢[？?]?\s*$"
    r"|(它|它们|他们|她们|其中|这家|那家|该公司|这个|那个)"
    r"|\b(it|its|they|them|their|that one|this one)\b",
    re.IGNORECASE,
)
VERY_SHORT = 5  # "为什么？", "多少钱？": too short to name a subject
# Around the subject a follow-up names: "那智能驾驶方面呢？" -> 智能驾驶方面.
_FOLLOW_UP_OPENING = re.compile(r"^\s*(?:那么|那|还有|而|另外)\s*")
_FOLLOW_UP_CLOSING = re.compile(r"[\s呢吗？?。.!！]*$")
_ASKS = re.compile(r"多少|什么|哪|几|如何|怎|为何|为什么|吗|是否|谁")
# Where the subject of a question begins: after punctuation or a word that links it to the rest.
_SUBJECT_BOUNDARY = re.compile(r"[\s，,、：:；;。？?！!（(“”\"在对从与和跟的]")


def with_new_subject(previous: str, follow_up: str) -> str | None:
    """The previous question about the follow-up's subject, when the follow-up repeats the word that
    follows the previous one's subject: "动力电池方面双方如何合作？" then "那智能驾驶方面呢？" asks
    "智能驾驶方面双方如何合作？". None when it repeats no such word (then the caller prefixes the previous
    question). Chinese questions only: English word order puts the repeated word elsewhere."""
    if not (is_chinese(previous) and is_chinese(follow_up)):
        return None
    core = _FOLLOW_UP_CLOSING.sub("", _FOLLOW_UP_OPENING.sub("", follow_up))
    if _ASKS.search(core):
        return None  # "它的产能是多少？" asks a question of its own: only its subject is missing
    for cut in range(1, len(core) - 1):  # the longest repeated ending first
        anchor, subject = core[cut:], core[:cut]
        at = previous.find(anchor)
        if len(subject) < 2 or at <= 0:
            continue
        start = max((m.end() for m in _SUBJECT_BOUNDARY.finditer(previous, 0, at)), default=0)
        if start < at and previous[start:at] != subject:
            return previous[:start] + subject + previous[at:]
    return None


class ExtractiveAnswerer:
    """Answers with the documents' own sentences and items; abstains when the evidence is weak."""

    name = "none"

    def __init__(self, settings: Settings, retriever: Retriever, *, fitted: Calibration | None = None):
        self.settings = settings
        self.retriever = retriever
        self.calibration = fitted or calibration()
        self.scorer = SentenceScorer(retriever, self.calibration)
        self.parts = PartChooser(retriever, self.calibration)
        self.shaper = LineShaper(retriever, self.chars)
        self._vocabulary: tuple[dict, str] | None = None  # the documents' words, and the same joined
        # For the documents' words they were taken with: the words of the documents' paragraphs
        # (measures.paragraph_words), of the company's name in their titles, running through a whole document, and
        # naming their parts (measures.part_words).
        self._paragraphs: tuple[dict, list[set[str]], frozenset[str], frozenset[str], set[str]] | None = None
        self._kinds_held: tuple[dict, dict[str, bool]] | None = None  # the documents' words, and held_anywhere's answers

    def chars(self, budget: int, text: str) -> int:
        """A length budget (set for Chinese) in the characters of the text's language: English takes about
        `english_length_ratio` times as many characters to say the same (fitted on translated questions)."""
        return budget if is_chinese(text) else round(budget * self.calibration.english_length_ratio)

    def rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """Make a short follow-up standalone by prefixing the previous question."""
        if not history:
            return question
        previous = history[-1][0]
        if len(question.strip(" ？?。.!！")) <= VERY_SHORT or _FOLLOW_UP.search(question):
            return with_new_subject(previous, question) or f"{previous} {question}"
        return question

    def score_sentences(self, question: str, passages: Sequence[Passage], intent: str | None = None) -> list[ScoredSentence]:
        """Every sentence of the passages, best first; for a single fact, with the fitted number of their
        documents' other sentences nearest the question (SentenceScorer.nearest_elsewhere)."""
        single_fact = (intent or question_intent(question)) == "fact"
        return self.scorer.score(question, passages, elsewhere=self.calibration.elsewhere_sentences if single_fact else 0)

    def evidence(self, question: str, passages: Sequence[Passage]) -> tuple[str, list[ScoredSentence], list[NodeMatch], str]:
        """(intent, scored sentences, ranked sections, how well they answer: abstention.STRONG / TENTATIVE / WEAK)."""
        intent = question_intent(question)
        passages = substantive(question, passages)
        sentences = self.score_sentences(question, passages, intent) if passages else []
        answering = _answering(sentences, intent)
        nodes = rank_nodes(question, passages, self.retriever, self.scorer, answering) if passages else []
        cross_lingual = self.scorer.cross_lingual(question, [p.text for p in passages])
        level = answers(question, intent, sentences, nodes, cross_lingual=cross_lingual, settings=self.settings,
                        fitted=self.calibration, **self.gaps(question, intent, sentences))
        return intent, sentences, nodes, level

    def gaps(self, question: str, intent: str, sentences: Sequence[ScoredSentence]) -> dict:
        """What the question asks that the documents or the evidence lack, as abstention.evidence_features takes
        it: the names they never use, the share of its words they never use, whether it names a year they never
        name (or a quarter or half), whether it asks for a measure of a part the documents never give it for,
        and for a question that takes an event or a figure's movement for granted (why or how it happened),
        whether the evidence states it. (A question asking what was sold or bought asks for the event; "Which
        markets does the group sell into?" presumes no sale.)"""
        unstated, apart = False, 0.0
        if presumes_event(question, intent) or intent == "list" or intent in FACT_INTENTS:
            terms = self.scorer.terms(question)
            idf = self.scorer.idf(terms)
            if intent in FACT_INTENTS:
                apart = self.measure_apart(question, terms, idf)
            else:
                stated = (set(tokenize(s.text)) for s in sentences)
                unstated = (presumes_event(question, intent) and premise_unstated(
                    tokenize(event_words(question)), terms, idf, self.scorer.known(), stated)) or (
                    movement_contradicted(question, intent, terms, idf, [s.text for s in sentences[:TOP_SENTENCES]]))
        vocabulary = self.vocabulary()
        # A period the documents never name may be one the evidence writes another way ("7月以后" for 下半年).
        unnamed = [period for period in periods(question) if not period_named(period, self.scorer.known())]
        if unnamed:
            stated = set().union(*(periods(sentence.text) for sentence in sentences))
            unnamed = [period for period in unnamed if period not in stated]
        kind = asked_type(question) if intent in FACT_INTENTS else None
        # A kind of fact the documents state nowhere (an age, a speed) is as absent as a role they never name.
        never_held = kind in RARE_KINDS and not self.held_anywhere(kind)
        return {"names_absent": bool(self.absent_names(question)) or never_held,
                "unknown_words": self.scorer.unknown_share(question), "premise_unstated": unstated,
                "year_unknown": any(year not in vocabulary for year in YEAR.findall(question)) or bool(unnamed)
                or period_apart(question, self.scorer.known(), self.paragraph_cache()[1]),
                "measure_apart": apart}

    def measure_apart(self, question: str, terms: dict[str, frozenset[str]], idf: dict[str, float]) -> float:
        """How far the documents keep the measure a question asks for apart from what it asks it of (measures.py);
        `terms` and `idf`: the question's words and their weights (SentenceScorer.terms, .idf). The company is no
        part of itself: the words of the name a document's title opens with, and words running through a whole
        document that the question writes as a name ("Norrvik")."""
        known = self.scorer.known()
        cached = self.paragraph_cache()
        capitalised = {word.lower() for word in re.findall(r"\b[A-Z][A-Za-z]+", question)}
        leave_out = cached[2] | (cached[3] & capitalised)
        return measure_apart(question, terms, idf, known, cached[1], cached[4], leave_out)

    def paragraph_cache(self) -> tuple:
        """(the documents' words, measures.paragraph_words, the words of the names their titles open with, the
        words running through a whole document, measures.part_words), made once per index version."""
        known = self.scorer.known()
        cached = self._paragraphs
        if cached is None or cached[0] is not known:
            trees = self._trees()
            named = frozenset(word for tree in trees for name in title_names(document_title(tree))
                              for word in tokenize(name))
            throughout = frozenset(word for tree in trees for word in _words_throughout(tree))
            cached = self._paragraphs = (known, paragraph_words(trees), named, throughout, part_words(trees))
        return cached

    def held_anywhere(self, kind: str) -> bool:
        """Whether any of the documents' text holds a figure of the kind (answertype.holds_type), once per index
        version and kind."""
        known = self.scorer.known()
        if self._kinds_held is None or self._kinds_held[0] is not known:
            self._kinds_held = (known, {})
        held = self._kinds_held[1]
        if kind not in held:
            held[kind] = any(holds_type(tree.text, kind) for tree in self._trees())
        return held[kind]

    def _trees(self) -> list[DocumentTree]:
        """The trees of the indexed documents."""
        return [tree for tree in map(self.retriever.tree, self.retriever.sources()) if tree is not None]

    def vocabulary(self) -> str:
        """The documents' search words joined by new lines (a year is found inside "fy2024" too)."""
        known = self.scorer.known()
        cached = self._vocabulary
        if cached is None or cached[0] is not known:
            cached = self._vocabulary = (known, "\n".join(known))
        return cached[1]

    def absent_names(self, question: str) -> tuple[str, ...]:
        """The names the question gives that the documents never use (names.py)."""
        known = self.scorer.known()
        return absent_names(question, known, self.vocabulary(), latin_documents=mostly_latin(known),
                            cache_dir=self.settings.model_cache_dir, texts=[tree.text for tree in self._trees()])

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The answer shaped by the question's intent, with `[n]` markers; the not-found reply on weak evidence."""
        intent, sentences, nodes, level = self.evidence(question, passages)
        if intent == "summary" and sentences and self.summarises_document(question, sentences[0]):
            # A document always holds its own summary: no evidence threshold applies.
            summary = self._summary_lines(question, sentences)
            if summary:
                return self.compose(question, intent, summary, passages)
        if level == WEAK:
            return not_found(question, self.name, passages, intent=intent)
        lines = self.lines(question, intent, sentences, nodes)
        if intent == "fact":
            lines = self._with_other_asks(question, lines, passages)
        result = self.compose(question, intent, lines, passages)
        return cautioned(result, question) if level == TENTATIVE else result

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]:
        """The answer in one piece, then the Answer."""
        result = self.answer(question, passages)
        yield result.text
        yield result

    def lines(self, question: str, intent: str, sentences: list[ScoredSentence], nodes: list[NodeMatch]) -> list[Line]:
        """The lines of the answer, each with the span of the document that supports it (a summary of the
        whole document is `answer`'s, before the evidence gate); asked why, a line that points back to its
        cause ("This is why…", "因此…") comes with the sentence before it, and one giving a cause with the next
        sentence when that one adds another ("同时，…")."""
        found = self._lines(question, intent, _answering(sentences, intent), nodes)
        if intent != "reason":
            return found
        return self.shaper.with_causes_after(self.shaper.with_causes_before(found), states_cause)

    def _lines(self, question: str, intent: str, sentences: list[ScoredSentence], nodes: list[NodeMatch]) -> list[Line]:
        part = self.part_for(question, intent, sentences, nodes)
        lines = self._part_lines(question, intent, *part, evidence=self.parts.close(sentences)) if part else []
        if lines:
            return lines
        if intent == "list" and self.parts.names_own_items(sentences[0]):
            # The best sentence names the items itself ("…three markets: cold-chain logistics, marine propulsion
            # components and industrial software"): it answers, with sentences close to it that add to it, not
            # with whatever else scores next ("It rests on three pillars:" and its items).
            return self._fact_lines(sentences)
        if intent in ("describe", "reason", "list"):
            return self._described(sentences, reason=intent == "reason", describe=intent == "describe")
        lines = self._fact_lines(sentences, asked_type(question) if intent in FACT_INTENTS else None)
        sides = compared(question) if intent == "compare" else None
        return self._both_sides(question, sides, lines, sentences) if sides else lines

    def part_for(self, question: str, intent: str, sentences: list[ScoredSentence],
                 nodes: list[NodeMatch]) -> tuple[DocumentTree, Node] | None:
        """The part of a document that answers a question about a whole part; None for a single-fact question,
        or when its best sentences answer it."""
        if intent not in ("list", "reason", "describe", "summary") or not sentences:
            return None
        if intent == "summary" and nodes and not _ASKS_CONCLUSION.search(question):
            # A summary of one subject (the document's own summary answers one naming none, and a request for
            # the conclusion on it is the conclusion's): the section whose title names it, the best matching of
            # them ("Summarise what the review says about the marine business": Marine Components).
            tree = nodes[0].tree
            titles = title_words(tree)
            naming = {word for word in self._subject(question, tree.source) if names_one_part(tree, word, titles)}
            titled = [match for match in nodes if match.tree is tree and naming & titles.get(match.node.index, set())]
            if titled:
                best = max(titled, key=lambda match: (match.title_match, -match.node.start))
                return best.tree, best.node
        cross_lingual = self.scorer.cross_lingual(question, [s.text for s in sentences[:MAX_SENTENCES]])
        return self.answering_part(intent, sentences, nodes, cross_lingual=cross_lingual, question=question)

    def answering_part(self, intent: str, sentences: list[ScoredSentence], nodes: list[NodeMatch], *,
                       cross_lingual: bool = False, question: str = "") -> tuple[DocumentTree, Node] | None:
        """The part of a document that answers a question about a whole part, or None when sentences do
        (choosing.PartChooser.answering_part)."""
        return self.parts.answering_part(intent, sentences, nodes, cross_lingual=cross_lingual, question=question)

    def _described(self, sentences: list[ScoredSentence], *, reason: bool = False, describe: bool = False) -> list[Line]:
        """The best few sentences, whatever their share of the best score, in document order.

        Asked to describe a thing (`describe`), the best sentence comes with the sentence after it in its own
        paragraph, which often goes on about what it names ("Our ninth referral hospital opened in Leeds in September
        2024. Built at a cost of £12.4 million, it has its own MRI…"), in place of the weakest.

        Asked for a reason (`reason`), when none of them gives a cause but the sentence after one of them
        does, that sentence comes in place of the weakest: a text states the fact asked about, then why
        ("归母净利润同比下降 12.8%。利润下滑主要是因为原奶价格下行…")."""
        chosen: list[ScoredSentence] = []
        following = next(self._sentences_after(sentences[0]), None) if describe and sentences else None
        for sentence in sentences:
            if len(chosen) == MAX_SENTENCES:
                break
            if sum(len(s.text) for s in chosen) + len(sentence.text) > self.chars(MAX_LIST_CHARS, sentence.text):
                continue
            if not any(s.source == sentence.source and s.start == sentence.start for s in chosen):
                chosen.append(sentence)
        lines = [Line(s.text, s.source, s.start, s.end) for s in chosen]
        if following is not None and not any(line.source == following.source and line.start == following.start
                                             for line in lines):
            lines = self._in_place_of_weakest(lines, following, keep=1)  # the best stays
        cause = None if not reason or any(states_cause(line.text) for line in lines) else next(
            (following for following in map(self.shaper.next_sentence, lines)
             if following is not None and states_cause(following.text)), None)
        if reason and lines and cause is None and not states_cause(lines[0].text):
            # The best sentence states the fact asked about and the next one its cause, while a weaker one gives
            # the cause of something else ("经销收入下滑的原因…" beside "大宗业务收入…下降18.0%。这一下滑主要是…").
            following = self.shaper.next_sentence(lines[0])
            if following is not None and states_cause(following.text) and not any(
                    line.source == following.source and line.start == following.start for line in lines):
                cause = following
                lines = [line for line in lines if not states_cause(line.text)]  # the causes of other things
        if cause is not None:
            lines = [line for line in lines if not (line.source == cause.source and line.start == cause.start)]
            lines = self._in_place_of_weakest(lines, cause)
        lines.sort(key=lambda line: (line.source, line.start))
        return self.shaper.with_items(self.shaper.whole_sentences(lines, MAX_LIST_CHARS))

    def _in_place_of_weakest(self, lines: list[Line], line: Line, *, keep: int = 0) -> list[Line]:
        """The lines (best first), the weakest dropped while one more would pass MAX_SENTENCES or the length budget
        (down to `keep` of them), then `line`."""
        lines = list(lines)
        while len(lines) > keep and (len(lines) == MAX_SENTENCES or sum(len(kept.text) for kept in lines) + len(line.text)
                                     > self.chars(MAX_LIST_CHARS, line.text)):
            lines.pop()
        return [*lines, line]

    def _closer_than_lead_in(self, question: str, tree: DocumentTree, node: Node, sentence: ScoredSentence) -> bool:
        """Whether a sentence means what the question asks more closely (by embedding) than every sentence of the
        paragraph that introduces the node's items: "What are the main risks?" is the list's, however well
        "To reduce these risks the company…" matches its words."""
        lines = lead_in(tree, node)
        if not lines:
            return True
        text = lines[0].text
        units = [(0, tree.source, "", lines[0].start + start, text[start:end]) for start, end in whole_sentences(text)]
        scored = self.scorer.score_units(question, units, cross_lingual=self.scorer.cross_lingual(question, [text]))
        return all(sentence.dense > other.dense for other in scored)

    def _part_lines(self, question: str, intent: str, tree: DocumentTree, node: Node,
                    evidence: Sequence[ScoredSentence] = ()) -> list[Line]:
        """A part of a document as an answer: its items as bullets, else its key sentences.

        `evidence`, the sentences that answer the question best: a reason found in the part's own prose, outside
        its items, in a sentence that states a cause, is answered by the part's prose sentences (the list beside
        it gives other facts: a strategy's items when asked why a margin fell); a list the best of them names in
        the prose while none of them is in an item, by those of them in the prose (the risks listed, then how
        they are met), also when asked how; an item that holds one of them is shown by it, not by its first
        clause, when asked for reasons.
        """
        members = list_members(tree, node)
        best = evidence[0] if evidence else None

        def in_prose(sentence: ScoredSentence) -> bool:
            return (starts_inside(tree, node, sentence) and self.parts.in_plain_paragraph(sentence)
                    and not any(starts_inside(tree, member, sentence) for member in members))

        if best is not None and intent == "reason" and in_prose(best) and states_cause(best.text):
            return self._key_sentences(question, tree, node, prose=True, causes=True)
        rows = [m for m in members if m.kind == "item" and table_row(tree.text[m.start : m.end])]
        if intent == "reason" and rows:
            # A table's rows state figures, not reasons: asked why, the items of another list of the part answer
            # (the counted causes below a table of cost ratios), else its prose that gives causes ("The improvement
            # came mainly from two sources: …" beside "Segment results were as follows:" and its sub-sections).
            tables = {row.parent for row in rows}
            members = [m for m in members if m.kind == "item" and m.parent not in tables]
            if not members:
                return self._key_sentences(question, tree, node, prose=True, causes=True)
        if (best is not None and intent in ("list", "describe") and members and in_prose(best)
                and names_series(best.text)
                and not any(starts_inside(tree, member, sentence) for member in members for sentence in evidence)
                and self._closer_than_lead_in(question, tree, node, best)):
            # Asked for the items of the part's prose, not of its list: "What steps has it taken against the
            # risks?" (or "How is it reducing its risks?") of a section listing the risks, then "To reduce them
            # the company fixed…, recruited…".
            prose = sorted((sentence for sentence in evidence if in_prose(sentence)), key=lambda s: s.start)
            return self.shaper.whole_sentences([Line(s.text, s.source, s.start, s.end) for s in prose])
        if (best is not None and intent == "describe" and members and in_prose(best)
                and not any(starts_inside(tree, member, sentence) for member in members for sentence in evidence)):
            # Asked how something is done, of a part whose prose says how and whose lists give other things (the
            # reasons for its growth, its products): the prose's key sentences ("怎样给大企业客户交付培训项目").
            return self._key_sentences(question, tree, node, prose=True)
        shown = evidence if intent == "reason" else ()
        bullets = self._member_lines(tree, members, node, shown)
        if not bullets:
            return self._key_sentences(question, tree, node)
        listed = lead_in(tree, node, members) + bullets
        if intent not in ("describe", "summary") or not has_own_paragraphs(tree, node):
            return listed
        # A description or a summary of a part that has prose and a list (its steps, its parts): the list, and
        # the prose's best sentences in the room left.
        room = self.chars(MAX_LIST_CHARS, tree.text[node.start : node.start + 300]) - sum(len(l.text) for l in listed)
        prose = []
        for line in self._key_sentences(question, tree, node, ranked=True, prose=True):
            if len(line.text) <= room and not any(l.start <= line.start < l.end for l in listed):
                prose.append(line)
                room -= len(line.text)
        return sorted(prose + listed, key=lambda line: line.start)

    def compose(self, question: str, intent: str, lines: list[Line], passages: Sequence[Passage]) -> Answer:
        """Number the passages the lines cite and write the answer text."""
        cited: list[Passage] = []
        quotes: dict[str, list[str]] = {}
        texts = []
        for line in lines:
            passage = self._passage_for(line, passages)
            marker = ""
            if passage is not None:
                if passage.id not in quotes:
                    cited.append(passage)
                    quotes[passage.id] = []
                quotes[passage.id].append(line.text)
                marker = f"[{[p.id for p in cited].index(passage.id) + 1}]"
            texts.append(f"- {line.text}{marker}" if line.bullet else f"{line.text}{marker}")
        text = "\n".join(texts) if any(line.bullet for line in lines) else " ".join(texts)
        if not is_chinese(question) and is_chinese(text):
            text = f"{SOURCE_IS_CHINESE}\n{text}"
        elif is_chinese(question) and not is_chinese(text):
            text = f"{SOURCE_IS_ENGLISH}\n{text}"
        citations = tuple(
            Citation(number, p.id, p.source, p.section, p.text, p.start, p.end, " ".join(quotes[p.id]))
            for number, p in enumerate(cited, 1)
        )
        shown = tuple(passages) + tuple(p for p in cited if p.id not in {q.id for q in passages})
        return Answer(question, text, citations, False, self.name, shown, intent=intent)

    def _passage_for(self, line: Line, passages: Sequence[Passage]) -> Passage | None:
        """A retrieved passage that holds the line's span, else the committed chunk that does."""
        for passage in passages:
            if passage.source == line.source and passage.start <= line.start and line.end <= passage.end:
                return passage
        return self.retriever.passage_for_span(line.source, line.start, line.end)

    def summarises_document(self, question: str, best: ScoredSentence) -> bool:
        """Whether a summary request is answered from the document's own summary: it names no subject, or it
        asks for the conclusion and the conclusion speaks of its subject ("报告对双方关系走向的结论是什么"),
        unless the best evidence is inside the conclusion (then the part of it that answers does)."""
        subject = self._subject(question, best.source)
        if not subject:
            return True
        tree = self.retriever.tree(best.source)
        conclusion = self._conclusion(tree, asks_conclusion=True) if tree is not None and _ASKS_CONCLUSION.search(question) else None
        return (conclusion is not None and not conclusion.start <= best.start < conclusion.end
                and bool(subject & set(tokenize(tree.text[conclusion.start : conclusion.end]))))

    @staticmethod
    def _conclusion(tree: DocumentTree, *, asks_conclusion: bool = False) -> Node | None:
        """The document's own summary or conclusion section, if it has one: the first; asked for the conclusion,
        the first that names a conclusion ("五、结论与投资建议", not the "一、核心观点" above it) when there is one."""
        # A heading names it, else the label of a paragraph of its own ("核心观点：…" under the title, as broker
        # reports put their key points in a box): a section says more than its box.
        summaries = [node for node in tree.headings() if _SUMMARY_HEADING.match(node.title)] or [
            node for node in tree.nodes if node.kind != "heading" and node.title and _SUMMARY_HEADING.match(node.title)
            and tree.nodes[node.parent].kind in ("document", "heading")]
        # The author summing up in a paragraph of its own ("In summary, 2024 showed…", "综上，…") says more than a
        # section of highlights ("2024 at a glance", "Overview"), less than a section named a summary.
        summing_up = [node for node in tree.nodes if node.kind == "paragraph"
                      and _SUMMING_UP.match(tree.own_text(node).lstrip())][-1:]
        if summing_up:
            summaries = [node for node in summaries if not _HIGHLIGHTS.search(node.title)] + summing_up
        concluding = [h for h in summaries if _CONCLUSION_HEADING.search(h.title)] if asks_conclusion else []
        return (concluding or summaries or [None])[0]

    def _subject(self, question: str, source: str) -> set[str]:
        """The words by which a summary request names what to summarise beyond "the report" (none: the whole
        report): words the documents use that are neither summary words, nor generic ones (帮我, this,
        report), nor words of the document's title ("Summarise the Northwind review" asks for the whole of
        "Northwind Holdings Annual Review")."""
        bm25 = self.retriever.snapshot().bm25
        vocabulary = bm25.idf if bm25 is not None else {}
        title = set(tokenize(self._title(source)))

        def names(token: str) -> bool:
            return (token in vocabulary and token not in _GENERIC_WORDS and token not in ENGLISH_STOPWORDS
                    and token not in title and not (token.isascii() and len(token) < 2)
                    and not _SUMMARY_WORDS.search(token) and not _COUNTED_WORDS.match(token))

        # A word asked in another language names a subject through its translations that the documents use
        # ("Summarize the risks" asked of a Chinese report: risks -> 风险).
        subject = set()
        tree = self.retriever.tree(source)
        for token, forms in self.scorer.terms(question, asking_removed=False).items():
            if forms == {token} and tree is not None and _throughout(tree, token):
                continue  # a name the whole document speaks of is its own subject: "how 2024 went for Norrvik"
            if names(token):
                subject.add(token)
            elif (token not in vocabulary and not _SUMMARY_WORDS.search(token) and bool(forms - {token})
                  and all(names(form) for form in forms - {token})):
                subject |= forms - {token}
        return subject

    def _title(self, source: str) -> str:
        """A document's title: the first line above its first heading, or its one top-level heading ("" if neither)."""
        tree = self.retriever.tree(source)
        if tree is None:
            return ""
        opening = tree.text[: tree.opening_end()].strip()
        if opening:
            return opening.splitlines()[0]
        title = tree.title_heading()
        return title.title if title is not None else ""

    def _summary_lines(self, question: str, sentences: list[ScoredSentence]) -> list[Line]:
        """The document's own conclusion (its first sentences), then its top-level sections as bullets; only
        the conclusion, as much of it as an answer holds, when the question asks for the conclusion itself."""
        tree = self.retriever.tree(sentences[0].source)
        if tree is None:
            return []
        title = tree.title_heading()
        top = [child for child in tree.children(title or tree.nodes[0]) if child.kind == "heading"]
        whole = _ASKS_CONCLUSION.search(question) is not None
        conclusion = self._conclusion(tree, asks_conclusion=whole)
        room = self.chars(MAX_LIST_CHARS, tree.text[:500])
        lead = []
        if conclusion is not None:
            lines = [Line(text, tree.source, start, start + len(text))
                     for _, _, _, start, text in node_sentences(tree, conclusion)]
            if whole:
                return verdict_lines(lines, room)
            lead = fit_lines(lines, room // 3)
        outline = [h for h in top if h is not conclusion][:MAX_BULLETS]
        budget = max(20, (room - sum(len(line.text) for line in lead)) // max(1, len(outline)))
        return lead + [heading_line(tree, heading, budget) for heading in outline]

    def _member_lines(self, tree: DocumentTree, members: list[Node], node: Node,
                      evidence: Sequence[ScoredSentence] = ()) -> list[Line]:
        """One bullet per item or sub-section of the node (`members`: its list_members); a member holding one of
        the `evidence` sentences is shown by the best of them (after its title) when it fits in about one and a
        half bullets' room."""
        members = members[:MAX_BULLETS]
        if len(members) < 2:
            return []
        budget = max(30, (self.chars(MAX_LIST_CHARS, tree.text[node.start : node.start + 300]) - 20) // len(members))
        lines = []
        for member in members:
            line = member_line(tree, member, budget)
            inside = next((s for s in evidence if starts_inside(tree, member, s)), None)
            if inside is not None and len(inside.text) <= 1.5 * budget and inside.text.rstrip("。.！!") not in line.text:
                line = Line(_labelled(member, inside.text), tree.source, inside.start, inside.end, bullet=True)
            lines.append(line)
        return lines

    def _key_sentences(self, question: str, tree: DocumentTree, node: Node, *, ranked: bool = False,
                       prose: bool = False, causes: bool = False) -> list[Line]:
        """The node's best sentences for the question, in document order (`ranked`: best first; `prose`: only
        from paragraphs that introduce no list; `causes`: only those stating a cause, when some do)."""
        units = node_sentences(tree, node)
        if prose:  # a table's rows are not prose: they state figures, not what led to them
            units = [unit for unit in units if not table_row(unit[4])
                     and plain_paragraph(tree, tree.node_at(unit[3], unit[3] + len(unit[4])))]
        causal = [_with_antecedent(tree, units, index) for index, unit in enumerate(units)
                  if states_cause(unit[4])] if causes else []
        units = causal or units
        scored = self.scorer.score_units(question, units, cross_lingual=self.scorer.cross_lingual(question, [tree.text[:200]]))
        chosen: list[ScoredSentence] = []
        length = 0
        for sentence in scored:  # a description takes the section's best sentences, not only the close ones,
            if len(chosen) == MAX_BULLETS:  # as many as the length allows: a short section whole
                break
            if length + len(sentence.text) > self.chars(MAX_LIST_CHARS, sentence.text):
                continue
            chosen.append(sentence)
            length += len(sentence.text)
        if not ranked:
            chosen.sort(key=lambda sentence: sentence.start)
        lines = self.shaper.whole_sentences([Line(s.text, s.source, s.start, s.end) for s in chosen], MAX_LIST_CHARS)
        return lines if ranked else self.shaper.with_items(lines)

    def _fact_lines(self, sentences: list[ScoredSentence], kind: str | None = None) -> list[Line]:
        """The best one to three sentences (fact_sentences, with the fitted ratios and gain); `kind`: what
        the question asks for (answertype.asked_type)."""
        chosen = fact_sentences(sentences, keep_ratio=self.calibration.fact_keep_ratio,
                                min_gain=self.calibration.fact_min_gain,
                                max_chars=lambda text: self.chars(MAX_ANSWER_CHARS, text),
                                kind=kind, typed_ratio=self.calibration.fact_typed_ratio)
        lines = [Line(s.text, s.source, s.start, s.end) for s in chosen]
        if kind is not None and not any(holds_type(line.text, kind) for line in lines):
            after = next((line for line in self._sentences_after(chosen[0]) if holds_type(line.text, kind)), None)
            if after is not None:
                lines.insert(1, after)
        return self.shaper.with_items(self.shaper.whole_sentences(lines))

    def _with_other_asks(self, question: str, lines: list[Line], passages: Sequence[Passage]) -> list[Line]:
        """A fact answer with, for each thing a question asks when it asks several (intent.question_parts: "营收多少？
        净利润又是多少？"), the sentence that answers that one best, when no line is it already."""
        parts = question_parts(question)
        if len(parts) < 2:
            return lines
        found = list(lines)
        for part in parts:
            sentences = self.score_sentences(part, passages, "fact")
            if not sentences:
                continue
            best = typed_first(sentences, asked_type(part), self.calibration.fact_typed_ratio)[0]
            if any(line.source == best.source and line.start <= best.start < line.end for line in found):
                continue
            found.extend(self.shaper.whole_sentences([Line(best.text, best.source, best.start, best.end)]))
        return found

    def _sentences_after(self, sentence: ScoredSentence) -> Iterator[Line]:
        """The sentences that follow one in its own paragraph or item, which often go on about what it names ("…降压药松舒宁®和抗血小板药松达康®。" then "松舒宁®…全年销售收入6.2亿元"; "…the
        partnership with Zerolift Aviation…" and, two sentences on, "Kestrel has committed £3.5 million … to the
        programme"): when the best sentence lacks what the question asks for (a sum, a year), one of them may
        hold it."""
        tree = self.retriever.tree(sentence.source)
        if tree is None:
            return
        end = tree.node_at(sentence.start, sentence.end).line_end
        line = first_sentence(tree, sentence.source, sentence.end, end)
        while line is not None:
            yield line
            line = first_sentence(tree, sentence.source, line.end, end)

    def _both_sides(self, question: str, sides: tuple[str, str], lines: list[Line],
                    sentences: list[ScoredSentence]) -> list[Line]:
        """A comparison's answer with a sentence on each side it weighs: a side no line names without the other
        (or with figures for both) gets the best sentence that does, if any ("奶粉和奶酪哪个增长更快": the best
        sentence on 奶粉 and the best on 奶酪; "How did ready meals do compared with soups?" is not answered by
        "…a producer of chilled ready meals, soups and plant-based products" alone), in the documents' order.

        A side's sentence states what is compared: of the sentences naming the side, one stating a figure, then the
        one holding the most of the question's other words (the measure: "华东和华北哪个地区收入增长更快" weighs 收入 and
        增长, and "华东收入占比达44.8%" holds less of them than "华东地区收入同比增长8.6%"; "Growth was led by UK
        utilities" states no growth), then the best scored.
        A line already naming the side stands when no sentence holds more of the measure. A sentence names a side
        when its section's title does, and it does not name the other."""
        lines = list(lines)
        known = self.scorer.known().keys()
        # Each side's words the documents use.
        words = [{term: forms for term, forms in self.scorer.terms(side, asking_removed=False).items()
                  if any(form_in(form, known) for form in forms)}
                 for side in sides]
        # The measure: the question's words that name neither side.
        measure = {term: forms for term, forms in self.scorer.terms(question).items()
                   if term not in words[0] and term not in words[1]}
        weight = self.scorer.idf(measure) if measure else {}

        def names(text: str, terms: dict) -> bool:
            return bool(terms) and len(covered_terms(terms, set(tokenize(text)))) == len(terms)

        def states(text: str) -> tuple[bool, float]:
            held = covered_terms(measure, set(tokenize(text)))
            return bool(FIGURE.search(YEAR.sub("", text))), sum(weight.get(term, 0.0) for term in held)

        # A sentence of a section whose title names a side is about that side ("3.2 Water Networks": "Revenue rose by
        # 14.5% to £142.9 million"), unless it names the other.
        titles = [self._own_title(s) for s in sentences]
        for terms, other in ((words[0], words[1]), (words[1], words[0])):
            if not terms:
                continue

            def alone(text: str, terms=terms, other=other) -> bool:
                # A sentence naming both sides weighs neither, unless it states figures for them: it compares them
                # ("小米 SU7 月均销量超 1.2 万辆，而极狐阿尔法 S 月均不足 3000 辆"); naming them in passing, it does not.
                return names(text, terms) and (not names(text, other) or len(FIGURE.findall(text)) >= 2)

            present = [states(line.text) for line in lines if alone(line.text)]
            named = [(states(s.text), -rank, s) for rank, s in enumerate(sentences)
                     if alone(s.text) or (alone(titles[rank]) and not names(s.text, other))]
            if not named:
                continue
            best_state, _, best = max(named, key=lambda entry: entry[:2])
            if present and max(present) >= best_state:
                continue
            if sum(len(line.text) for line in lines) + len(best.text) <= self.chars(MAX_LIST_CHARS, best.text):
                lines.extend(self.shaper.whole_sentences([Line(best.text, best.source, best.start, best.end)]))
        return sorted(lines, key=lambda line: (line.source, line.start))

    def _own_title(self, sentence: ScoredSentence) -> str:
        """The title of the section that holds a sentence ("" for the document's opening)."""
        tree = self.retriever.tree(sentence.source)
        return "" if tree is None else tree.section_of(tree.node_at(sentence.start, sentence.end)).title

def typed_first(sentences: list[ScoredSentence], kind: str | None, ratio: float) -> list[ScoredSentence]:
    """The sentences with the best one holding an answer of `kind` first, when the best of all does not
    hold one and it scores at least `ratio` of it; else as they are."""
    best = sentences[0]
    if kind is None or best.score <= 0 or holds_type(best.text, kind):
        return sentences
    typed = next((s for s in sentences[1:] if s.score >= ratio * best.score and holds_type(s.text, kind)), None)
    if typed is None:
        return sentences
    return [typed, *(s for s in sentences if s is not typed)]


def _labelled(member: Node, sentence: str) -> str:
    """A member's sentence after the member's label, written as member_line writes it: "标签:句子"; a sentence of
    a sub-section's own item, after the sub-section's title: "小节 › 条目:句子"."""
    label = member.title
    if not label:
        return sentence
    own = re.match(rf"{re.escape(label)}\s*[:：]\s*", sentence)
    if own is not None:
        return f"{label}{colon(label)}{sentence[own.end():]}"
    item = item_label(sentence)
    if member.kind == "heading" and item:
        body = re.sub(rf"^{re.escape(item)}\s*[:：]\s*", "", sentence)
        return f"{label} › {item}{colon(item)}{body}"
    return f"{label}{colon(label)}{sentence}"


# A sentence that goes on about the one before it: "这一下滑主要是公司主动调整的结果", "This reflects …".
_ANAPHOR = re.compile(r"^(?:这|此|该|上述|以上|(?:this|these|that|those|such|it)\b)", re.IGNORECASE)


def _with_antecedent(tree: DocumentTree, units: list[tuple[int, str, str, int, str]],
                     index: int) -> tuple[int, str, str, int, str]:
    """A scorer unit, joined to the sentence before it in its paragraph when it refers back to that one
    ("大宗业务收入13.2亿元，同比下降18.0%。这一下滑主要是公司主动调整的结果：…"), so that what it is about is
    scored and shown with it."""
    unit = units[index]
    if index == 0 or not _ANAPHOR.match(unit[4]):
        return unit
    before = units[index - 1]
    between = tree.text[before[3] + len(before[4]) : unit[3]]
    if "\n" in between or between.strip():
        return unit
    return (unit[0], unit[1], unit[2], before[3], tree.text[before[3] : unit[3] + len(unit[4])])


def _top_sections(tree: DocumentTree) -> list[Node]:
    title = tree.title_heading()
    return [child for child in tree.children(title or tree.nodes[0]) if child.kind == "heading"]


def _throughout(tree: DocumentTree, word: str) -> bool:
    """Whether a word is in more than half of a document's top-level sections (two at least): what the whole
    document speaks of (the company a report is about), not one part of it."""
    top = _top_sections(tree)
    holding = sum(word in tree.text[node.start : node.end].lower() for node in top)
    return len(top) >= 2 and holding * 2 > len(top)


def _words_throughout(tree: DocumentTree) -> set[str]:
    """The words (as tokenised) in more than half of a document's top-level sections, two at least."""
    top = _top_sections(tree)
    if len(top) < 2:
        return set()
    counts: dict[str, int] = {}
    for node in top:
        for word in set(tokenize(tree.text[node.start : node.end])):
            counts[word] = counts.get(word, 0) + 1
    return {word for word, count in counts.items() if count * 2 > len(top)}


def fact_sentences(sentences: list[ScoredSentence], *, keep_ratio: float, min_gain: float,
                   max_chars: Callable[[str], int], kind: str | None = None,
                   typed_ratio: float = 1.0) -> list[ScoredSentence]:
    """The best sentence, then up to two more that score at least `keep_ratio` of it and answer at least
    `min_gain` more of the question's (IDF-weighted) words, within `max_chars(text)` characters in all.

    When the question asks for a `kind` of answer (a length, a year: answertype.asked_type) that the best
    sentence does not hold, the best one holding it leads instead if it scores at least `typed_ratio` of
    the best ("蟒鳗的体长是多少": "全长可达42公分" before "体长为体高的20倍"). All three numbers are fitted
    by benchmarks.calibrate."""
    sentences = typed_first(sentences, kind, typed_ratio)
    chosen = [sentences[0]]
    covered = set(sentences[0].covered)
    length = len(sentences[0].text)
    for sentence in sentences[1:]:
        if len(chosen) == MAX_SENTENCES or sentence.score < keep_ratio * sentences[0].score:
            break
        if length + len(sentence.text) > max_chars(sentence.text) or sentence.gain(covered) < min_gain:
            continue
        if any(sentence.source == c.source and sentence.start == c.start for c in chosen):
            continue  # the same sentence in an overlapping passage
        chosen.append(sentence)
        covered |= sentence.covered
        length += len(sentence.text)
    return chosen


def _answering(sentences: list[ScoredSentence], intent: str) -> list[ScoredSentence]:
    """The sentences an answer is made of: asked why, not a table's rows, which state figures and no reason
    ("Net revenue retention (%) | 2024: 116 | 2023: 119" beside the sentence saying why it eased), when any other
    sentence remains. (The gate weighs the rows: one stating the opposite movement belies the question.)"""
    if intent != "reason":
        return sentences
    return [sentence for sentence in sentences if not table_row(sentence.text)] or sentences
