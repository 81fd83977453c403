"""A conversation, or one answer, as Markdown to paste into a memo: each question, its answer with its
`[n]` markers, and the numbered sources (section path, file, and the quoted sentence that supports it).

    ## 1. 时代北汽的总投资是多少？

    时代北汽……总投资 10 亿元[1]。

    **Sources**

    [1] 二、核心合作领域 › 动力电池深度绑定 — xiaomi-baic-cooperation-report.txt
    > “2024 年 3 月……总投资 10 亿元……”
"""

from __future__ import annotations

from typing import Sequence

from .answering.types import is_chinese
from .conversations import Conversation, Turn
from .records import quote_of

LABELS = {
    "en": {"sources": "Sources", "within": "Asked within", "all": "all documents", "no_answer": "No answer",
           "exported": "Exported from Report QA", "untitled": "Conversation"},
    "zh": {"sources": "来源", "within": "检索范围", "all": "全部文档", "no_answer": "未能回答",
           "exported": "导出自报告问答", "untitled": "对话"},
}


def turn_markdown(turn: Turn, number: int | None = None) -> str:
    """One question and its answer with its numbered sources; `number` heads it as question n."""
    labels = LABELS["zh" if is_chinese(turn.question) else "en"]
    question = " ".join(turn.question.split())
    lines = [f"## {number}. {question}" if number is not None else f"## {question}", ""]
    if turn.documents:
        lines += [f"*{labels['within']}: {', '.join(turn.documents)}*", ""]
    if turn.answer is None:
        lines.append(f"*{labels['no_answer']}: {turn.error}*" if turn.error else f"*{labels['no_answer']}*")
        return "\n".join(lines)
    lines.append(turn.answer.text.strip())
    if turn.answer.citations:
        lines += ["", f"**{labels['sources']}**", ""]
        for citation in turn.answer.citations:
            section = citation.section or "—"
            lines.append(f"[{citation.marker}] {section} — {citation.source}  ")
            lines.append(f"> “{' '.join(quote_of(citation).split())}”")
            lines.append("")
    return "\n".join(lines).rstrip()


def conversation_markdown(turns: Sequence[Turn], *, title: str = "", exported: str = "") -> str:
    """The whole conversation, its questions numbered from 1, under its title."""
    chinese = bool(turns) and is_chinese(turns[0].question)
    labels = LABELS["zh" if chinese else "en"]
    lines = [f"# {title or labels['untitled']}", ""]
    if exported:
        lines += [f"*{labels['exported']}, {exported}*", ""]
    for number, turn in enumerate(turns, 1):
        lines += [turn_markdown(turn, number), ""]
    return "\n".join(lines).rstrip() + "\n"


def stored_markdown(conversation: Conversation) -> str:
    """A stored conversation as Markdown, dated by its last change."""
    when = conversation.updated[:16].replace("T", " ") + " UTC"
    return conversation_markdown(conversation.turns, title=conversation.title, exported=when)
