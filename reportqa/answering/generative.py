"""Generative answers: the model writes the answer from the evidence the extractive answerer found, then
every sentence's citation is checked."""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from typing import Iterator, Sequence

from langchain_core.language_models import BaseChatModel

from ..config import Settings
from ..errors import QuestionError, ReportQAError
from ..prompts import Prompts, load_prompts
from ..retrieval import Passage, Retriever, clean_question, tokenize
from .citations import SCALES, CitationChecker, faithful_translation, figure_values
from .extractive import SOURCE_IS_CHINESE, SOURCE_IS_ENGLISH, ExtractiveAnswerer
from .types import Answer, Citation, cautioned, is_chinese, not_found

log = logging.getLogger(__name__)

# Passages given to the model: on 2 CPU cores reading the prompt takes most of the time, and the
# top 3 already hold the evidence of every dev question (hit@3 = 1.00).
PROMPT_CHARS = 1200
MAX_REWRITE_TOKENS = 64
_NOT_FOUND = re.compile(
    r"没有找到|未找到|找不到|无法找到|无法回答|没有提到|未提及|没有提及|没有相关|不包含|没有包含|"
    r"(?:do|does) not (?:contain|mention|say|include)|cannot find|can't find|could not find|not mentioned|no information",
    re.IGNORECASE,
)
# Small models name their sources in their own way: "（资料2）", "[资料 2]", "(Passage 2)".
_SOURCE_MENTION = re.compile(r"[\[【［(（]\s*(?:资料|来源|passage|source)\s*(?:编号)?\s*[:：]?\s*(\d{1,3})\s*[\]】］)）]", re.I)
# ...or put a line like "资料编号：1" or "Passage 2:" before the answer.
_SOURCE_LINE = re.compile(r"^\s*(?:根据)?(?:资料|来源|passage|source)\s*(?:编号)?\s*[:：]?\s*\[?\d{1,3}\]?\s*[:：,，]?\s*$", re.I)
# ...or start such a label after the last sentence and stop ("…转变。[2]资料编号：").
_DANGLING_SOURCE = re.compile(r"(?<=[\]。.!?！？])\s*(?:资料|来源|passage|source)\s*(?:编号)?\s*[:：]?\s*$", re.I)
_REPEATED_BULLET = re.compile(r"^(?:[ \t]*-[ \t]+){2,}", re.M)
ITEMS_STAND = frozenset({"list", "reason", "summary"})
_INLINE_BULLET = re.compile(r"(?<=[。.!?！？\]])[ \t]*-\s+(?=\S)")
MAX_RENDER_TOKENS = 400
# A line of the extractive answer that quotes the documents ends in (or holds) its [n] markers.
_MARKERS = re.compile(r"\[(\d{1,3})\]")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)．、:：]\s*(.*)$")
_CHINESE_SCALE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万)")
TRANSLATED_TO_ENGLISH = "Translated by the local model from the cited Chinese passages, each line above its original:"
TRANSLATED_TO_CHINESE = "以下由本地模型译自引用的英文原文，每行下附原文："
PARTLY_TRANSLATED_TO_ENGLISH = ("Translated by the local model from the cited Chinese passages, each line above its "
                                "original; lines it could not translate faithfully are quoted as written:")
PARTLY_TRANSLATED_TO_CHINESE = "以下由本地模型译自引用的英文原文，每行下附原文；未能忠实翻译的行保留原文："
# The document's own words under a line the model wrote: a translated line's original, the evidence of an answer.
ORIGINAL_PREFIX = "  > "
QUOTED_ZH = "原文："
QUOTED_EN = "In the documents' words:"
_REWRITE_LABEL = re.compile(r"^(?:改写后的独立问题|独立的问题|独立问题|改写|问题|standalone question|question)\s*[:：]\s*", re.I)


class GenerativeAnswerer:
    """Answers in the model's own words from the retrieved passages, then checks every citation."""

    def __init__(self, settings: Settings, retriever: Retriever, chat_model: BaseChatModel, *,
                 name: str, prompts: dict[str, Prompts] | None = None):
        self.settings = settings
        self.retriever = retriever
        self.chat_model = chat_model
        self.name = name
        self.prompts = prompts or load_prompts()
        self.extractive = ExtractiveAnswerer(settings, retriever)
        self._checker: CitationChecker | None = None

    @property
    def checker(self) -> CitationChecker:
        """The citation checker, on the retriever's embedding model (loaded on first use)."""
        if self._checker is None:
            self._checker = CitationChecker(self.retriever.embeddings, idf=self._word_weights)
        return self._checker

    def rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """The follow-up made standalone by the model; the simple rule when the model's reply is unusable."""
        if not history:
            return question
        prompts = self._prompts(question)
        try:
            reply = self.chat_model.invoke(prompts.rewrite_messages(question, history), max_tokens=MAX_REWRITE_TOKENS)
            candidate = _question_in(reply.text, _REWRITE_LABEL)
        except (QuestionError, *_llm_errors()) as exc:
            log.warning("follow-up rewrite by the model failed (%s); using the rule", exc)
            return self.extractive.rewrite(question, history)
        if len(candidate) > max(200, 4 * len(question) + len(history[-1][0])) or not _keeps_words(question, candidate):
            log.info("the model's rewrite %r of %r is unusable; using the rule", candidate, question)
            return self.extractive.rewrite(question, history)
        log.info("rewrote %r as %r", question, candidate)
        return candidate

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The checked answer (the streamed pieces are dropped)."""
        *_, result = self.stream(question, passages)
        return result

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]:
        """Yield the model's text as it is generated, then the checked Answer; no model answers on weak evidence.

        The extractive answerer first finds the evidence (the section and passages that answer the
        question, by its intent); the model then writes the answer from those passages only, in the
        shape the intent asks for. A question in another language than the passages is answered extractively
        from them, as asked (the extractive answerer scores and gates across languages), and the extractive
        answer, cautioned or not, is translated line by line into the asker's language (`render`) instead of
        written anew.
        """
        plan = self.extractive.answer(question, passages)
        intent = plan.intent
        if plan.abstained:
            result = not_found(question, self.name, passages, intent=intent)
            yield result.text
            yield result
            return
        if bool(passages) and is_chinese(question) != any(is_chinese(p.text) for p in passages):
            # The evidence in the other language, translated line by line: the 1.5B model answering an English
            # question from Chinese passages wrote sentences the citation check cannot verify across languages
            # (only figures and names can be), so its answers were replaced by the Chinese evidence. (The model
            # translating the question first, to search and gate in the documents' language, did worse than the
            # extractive answerer across languages: of the 102 such report questions, 21 lacked a must_include
            # against 17, and 15 were wrongly answered or refused against 4; local 1.5B, 6823c34.)
            result = self.render(plan, question) or plan
            yield result.text
            yield result
            return
        if plan.tentative:  # no model writes on weak evidence: the closest passages, with their caution
            yield plan.text
            yield plan
            return
        if intent in ITEMS_STAND and _bulleted(plan.text) and is_chinese(plan.text) == is_chinese(question):
            # A list, reasons or a summary that the document itself itemises, in the asker's language: its
            # items, each cited, are the answer. The 1.5B model rewriting them dropped items and named
            # companies no passage holds (shared analyst dev questions, must_include of the document's
            # items against the model's: lists 1.00 / 0.64, summaries 1.00 / 0.75).
            log.info("answering %r with the document's own items", question)
            yield plan.text
            yield plan
            return
        context = _prompt_passages(plan, passages)
        pieces = []
        try:
            messages = self._prompts(question).answer_messages(question, context, intent=intent)
            for chunk in self.chat_model.stream(messages):
                if chunk.text:
                    pieces.append(chunk.text)
                    yield chunk.text
                    if "\n" in chunk.text and _looping("".join(pieces)):
                        # A small model that writes a line it wrote before repeats it until its token limit.
                        log.info("the %s model repeats a line; answer stopped there", self.name)
                        break
        except _llm_errors() as exc:
            raise ReportQAError(
                f"The {self.name} model failed: {exc}. Check the LLM settings, or answer with --llm none."
            ) from None
        generated = "".join(pieces)
        result = self.check(generated, question, context)
        if result.abstained and _NOT_FOUND.search(generated):
            # The model found no answer where the evidence is strong (the 1.5B says so of answerable English
            # questions over Chinese text): the extractive answer, under the caution that it may not answer.
            log.info("the %s model found no answer to %r on strong evidence; answering extractively, cautioned",
                     self.name, question)
            yield cautioned(plan, question)
            return
        if result.abstained or not any(sentence.supported and (intent == "yesno" or not _echoes(sentence.text, question))
                                       for sentence in result.sentences):
            # Nothing the model wrote is supported by the passages, or all it says is the question again
            # ("合作关系未来可能会发生转变。" for "…可能会发生怎样的转变？"): the extractive answer stands instead.
            log.info("no sentence of the %s answer to %r is supported; answering extractively", self.name, question)
            yield plan
            return
        if intent == "compare" and figure_values(_MARKERS.sub("", plan.text)) and not figure_values(
                _MARKERS.sub("", result.text)):
            # A verdict without any figure, where the evidence has figures ("Consumer fibre grew faster than
            # interconnect." of rows giving 9% and 27%): the citation check cannot tell a wrong comparison from a
            # right one; it checks figures, and the figures side by side show it.
            log.info("the %s answer to %r compares without the figures; answering extractively", self.name, question)
            yield plan
            return
        if intent in ("list", "reason", "describe", "summary") and _words(result.text) <= _words(plan.text) | _words(question):
            # A list, reasons, a description or a summary of which all the model wrote is in the extractive answer
            # (or the question): it can only have left some out ("北京市政府将小米汽车纳入新基建重点项目。" of "…, 而北汽的
            # 本地化属性强化了这种政策关联。"; "- 凯众股份" of "例如持股凯众股份(…)、津荣天宇(…)等供应商"; one sentence of a
            # conclusion's three). (A single fact it picked out of the extractive answer's sentences stands.)
            log.info("the %s answer to %r says nothing the extractive one does not; answering extractively",
                     self.name, question)
            yield plan
            return
        yield with_evidence(dataclasses.replace(result, intent=intent), plan)

    def render(self, plan: Answer, question: str) -> Answer | None:
        """The extractive answer with its quoted lines translated by the model into the asker's language, each
        keeping its citations, under a line saying so. A translated line in the wrong language, or stating a
        figure or a name its source line does not (citations.faithful_translation), is left as written, and the
        line above says so; None when no line is usable or the reply has not one line per quoted line."""
        lines = plan.text.split("\n")
        quoted = [number for number, line in enumerate(lines) if _MARKERS.search(line)]
        if not quoted:
            return None
        sources = [_MARKERS.sub("", _BULLET.sub("", lines[number])).strip() for number in quoted]
        to_chinese = is_chinese(question)
        # A small model converts "20 万" badly (as 20 million); it is given "200,000".
        given = sources if to_chinese else [_CHINESE_SCALE.sub(_western_figure, source) for source in sources]
        try:
            reply = self.chat_model.invoke(self._prompts(question).render_messages(given),
                                           max_tokens=min(MAX_RENDER_TOKENS, 2 * sum(map(len, sources)) + 32)).text
        except (QuestionError, *_llm_errors()) as exc:
            log.warning("translating the answer failed (%s); answering with the passages as written", exc)
            return None
        translated = _numbered_lines(reply, len(sources))
        context = "\n".join([question, *sources])
        usable = [bool(line) and is_chinese(line) == to_chinese and faithful_translation(line, source, context)
                  for line, source in zip(translated or [], sources)]
        if not any(usable):
            log.info("the %s model's translation of the answer to %r is unusable: %r", self.name, question, reply)
            return None
        for number, line, source, good in zip(quoted, translated, sources, usable):
            if not good:  # quoted as written: a wrong figure or name in one line costs only that line
                log.info("the %s model's translation %r of %r is unusable; quoted as written", self.name, line,
                         lines[number])
                continue
            bullet = "- " if lines[number].startswith("- ") else ""
            markers = "".join(f"[{marker}]" for marker in dict.fromkeys(_MARKERS.findall(lines[number])))
            # The original under its translation: the reader checks a small model's translation line by line, and
            # keeps the document's own terms and figures ("利益分配", "20 万台") to search it with.
            lines[number] = f"{bullet}{line}{markers}\n{ORIGINAL_PREFIX}{source}"
        if all(usable):
            note = TRANSLATED_TO_CHINESE if to_chinese else TRANSLATED_TO_ENGLISH
        else:
            note = PARTLY_TRANSLATED_TO_CHINESE if to_chinese else PARTLY_TRANSLATED_TO_ENGLISH
        lines = [note if line in (SOURCE_IS_CHINESE, SOURCE_IS_ENGLISH) else line for line in lines]
        return dataclasses.replace(plan, text="\n".join(lines), backend=self.name)

    def check(self, generated: str, question: str, passages: Sequence[Passage]) -> Answer:
        """The Answer for the model's text: citations verified and repaired, the not-found reply recognised."""
        generated = _tidy(unicodedata.normalize("NFC", generated))
        checked = self.checker.check(generated, [passage.text for passage in passages])
        if not checked.sentences or (_NOT_FOUND.search(generated) and not any(s.supported for s in checked.sentences)):
            return not_found(question, self.name, passages)
        used = list(dict.fromkeys(marker for sentence in checked.sentences for marker in sentence.markers))
        citations = tuple(
            Citation(marker, p.id, p.source, p.section, p.text, p.start, p.end, checked.quotes.get(marker, ""))
            for marker in used
            for p in (passages[marker - 1],)
        )
        return Answer(question, checked.text, citations, False, self.name, tuple(passages), checked.sentences)

    def _prompts(self, question: str) -> Prompts:
        return self.prompts["zh" if is_chinese(question) else "en"]

    def _word_weights(self, tokens: set[str]) -> dict[str, float]:
        bm25 = self.retriever.snapshot().bm25
        known = bm25.idf if bm25 is not None else {}
        unseen = max(max(known.values(), default=1.0), 0.7)
        return {token: max(known.get(token, unseen), 0.05) for token in tokens}


def with_evidence(result: Answer, plan: Answer) -> Answer:
    """The model's answer followed by the extractive evidence it was written from, quoted as the documents word
    it: each quoted line that says something the model's answer does not, cited under the answer's own markers.

    A small model's answer is short and fluent but may drop the words a reader looks for ("足球运动员" answered
    as "前锋") or say a figure in other units; the document's sentence under it shows what the claim rests on."""
    stated = _words(result.text)
    lines = [line for line in plan.text.split("\n") if _MARKERS.search(line) and not _words(line) <= stated]
    if not lines:
        return result
    by_marker = {citation.marker: citation for citation in plan.citations}
    markers = {citation.id: citation.marker for citation in result.citations}
    citations = list(result.citations)
    renumbered: dict[int, int] = {}
    for marker in dict.fromkeys(int(found) for line in lines for found in _MARKERS.findall(line)):
        citation = by_marker.get(marker)
        if citation is None:
            continue
        if citation.id not in markers:  # after the highest marker the answer uses (its markers may skip numbers)
            markers[citation.id] = max(markers.values(), default=0) + 1
            citations.append(dataclasses.replace(citation, marker=markers[citation.id]))
        renumbered[marker] = markers[citation.id]
    quoted = [ORIGINAL_PREFIX + _MARKERS.sub(lambda match: f"[{renumbered.get(int(match.group(1)), match.group(1))}]",
                                             line.strip()) for line in lines]
    heading = QUOTED_ZH if is_chinese(result.text) else QUOTED_EN
    return dataclasses.replace(result, text="\n".join([result.text, heading, *quoted]), citations=tuple(citations))


def quoted_evidence(text: str) -> tuple[str, str]:
    """An answer's text split into what the model wrote and the evidence `with_evidence` quoted under it (its
    heading line and quotes; "" when it has none)."""
    lines = text.split("\n")
    at = next((number for number, line in enumerate(lines) if line in (QUOTED_ZH, QUOTED_EN)), len(lines))
    return "\n".join(lines[:at]), "\n".join(lines[at:])


def _prompt_passages(plan: Answer, retrieved: Sequence[Passage]) -> list[Passage]:
    """The passages the model may cite: those the extractive plan cites, and the best retrieved one,
    within PROMPT_CHARS (reading the prompt is most of the time on 2 CPU cores)."""
    chosen: list[Passage] = [
        Passage(c.id, c.text, c.source, c.section, 0.0, c.start, c.end) for c in plan.citations
    ]
    if retrieved and retrieved[0].id not in {p.id for p in chosen}:
        chosen.append(retrieved[0])
    kept, length = [], 0
    for passage in chosen:
        if kept and length + len(passage.text) > PROMPT_CHARS:
            continue
        kept.append(passage)
        length += len(passage.text)
    return kept


def _western_figure(match: re.Match) -> str:
    """A figure with a Chinese scale word written out: "20 万" -> "200,000", "10 亿" -> "1 billion"."""
    value = float(match.group(1)) * SCALES[match.group(2)]
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:g} {word}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _numbered_lines(reply: str, count: int) -> list[str] | None:
    """The model's `count` translated lines, from "1. …" lines in order (or exactly `count` plain lines); None
    when it wrote another number of them."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    numbered = [(int(match.group(1)), match.group(2).strip()) for line in lines
                if (match := _NUMBERED.match(line))]
    if [number for number, _ in numbered] == list(range(1, count + 1)):
        return [_BULLET.sub("", text) for _, text in numbered]
    if not numbered and len(lines) == count:
        return [_BULLET.sub("", line) for line in lines]
    return None


def _bulleted(text: str) -> bool:
    """Whether an answer is two or more bullets (the items of a document's part)."""
    return sum(line.startswith("- ") for line in text.splitlines()) >= 2


def _tidy(generated: str) -> str:
    """The model's text with its passage references written as [n] and lines that only name a passage dropped."""
    generated = _SOURCE_MENTION.sub(lambda match: f"[{match.group(1)}]", generated)
    # Small models run list items together on one line ("…[2]。- 拓展…"): one item a line.
    generated = _INLINE_BULLET.sub("\n- ", generated)
    generated = _REPEATED_BULLET.sub("- ", generated)
    lines = [_DANGLING_SOURCE.sub("", line) for line in generated.splitlines() if not _SOURCE_LINE.match(line)]
    seen: set[str] = set()
    kept = []
    for line in lines:  # a line the model wrote before says nothing new
        if line.strip() and line.strip() in seen:
            continue
        seen.add(line.strip())
        kept.append(line)
    return "\n".join(kept).strip()


def _echoes(sentence: str, question: str) -> bool:
    """Whether a sentence of an answer says nothing but the question's own words (markers aside); a yes or a
    no does, and is not asked of this."""
    return _words(sentence) <= _words(question)


def _words(text: str) -> set[str]:
    """The search words of a text, its [n] markers and single letters (the s of "company's") aside."""
    return {word for word in tokenize(_MARKERS.sub("", text)) if not (len(word) == 1 and word.isascii() and word.isalpha())}


def _looping(text: str) -> bool:
    """Whether the last finished line of the model's text repeats an earlier line word for word."""
    *finished, _ = text.split("\n")
    finished = [line.strip() for line in finished if line.strip()]
    return len(finished) >= 2 and finished[-1] in finished[:-1]


def _question_in(reply: str, label: re.Pattern) -> str:
    """The first line of the model's reply, without its label and quotes, as a clean question."""
    lines = (label.sub("", line).strip().strip("\"'“”「」") for line in reply.splitlines())
    return clean_question(next((line for line in lines if line), ""))


def _keeps_words(question: str, rewritten: str) -> bool:
    """Whether the rewrite still names everything the follow-up asks about (北汽 in 那北汽呢？)."""
    haystack = unicodedata.normalize("NFKC", rewritten).lower()
    return all(token in haystack for token in tokenize(question))


def _llm_errors() -> tuple[type[BaseException], ...]:
    """What a failing model or endpoint raises: llama.cpp's ValueError/RuntimeError, the OpenAI client's APIError."""
    import openai

    return (ValueError, RuntimeError, openai.APIError)
