"""The JSON records of an answer and of a retrieval, shared by every interface.

The CLI's `ask --json` / `retrieve --json`, the page's Gradio API (`/ask`, `/retrieve`) and the
OpenAI-compatible endpoint (`/v1/chat/completions`) all return these shapes; so does nothing
else define them.
"""

from __future__ import annotations

from typing import Sequence

from .answering.types import Answer, Citation, is_chinese
from .retrieval import Passage

SOURCES_HEADING = {"zh": "来源", "en": "Sources"}


def answer_record(question_id, question: str, answer: Answer) -> dict:
    """`{id, question, answer, citations: [{marker, id, source, section, text}], abstained, tentative, backend}`
    (tentative: answered on weak evidence, the answer opening with a caution)."""
    return {
        "id": question_id,
        "question": question,
        "answer": answer.text,
        "citations": [citation_record(citation) for citation in answer.citations],
        "abstained": answer.abstained,
        "tentative": answer.tentative,
        "backend": answer.backend,
    }


def passages_record(question_id, question: str, passages: Sequence[Passage]) -> dict:
    """`{id, question, passages: [{id, text, source, section, score}]}`, best first."""
    return {
        "id": question_id,
        "question": question,
        "passages": [
            {"id": p.id, "text": p.text, "source": p.source, "section": p.section, "score": p.score} for p in passages
        ],
    }


def citation_record(citation: Citation) -> dict:
    """`{marker, id, source, section, text}`: the passage behind marker `[n]`."""
    return {
        "marker": citation.marker,
        "id": citation.id,
        "source": citation.source,
        "section": citation.section,
        "text": citation.text,
    }


def source_records(answer: Answer) -> list[dict]:
    """The answer's numbered sources: each citation with the sentence that supports it as `quote`
    (the whole passage when no single sentence was singled out)."""
    return [{**citation_record(c), "quote": quote_of(c)} for c in answer.citations]


def quote_of(citation: Citation) -> str:
    """The supporting sentence of a citation, or its passage."""
    return (citation.quote or citation.text).strip()


def sources_markdown(answer: Answer) -> str:
    """The sources as a Markdown list to put under the answer text ('' when it cites nothing):

        来源
        - [1] 二、核心合作领域 › 动力电池深度绑定 (report.txt): “…the supporting sentence…”
    """
    if not answer.citations:
        return ""
    heading = SOURCES_HEADING["zh" if is_chinese(answer.text) else "en"]
    lines = [f"- [{c.marker}] {c.section} ({c.source}): “{_one_line(quote_of(c))}”" for c in answer.citations]
    return f"**{heading}**\n\n" + "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
