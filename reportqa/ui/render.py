"""HTML for the chat, the source panel and the documents table; every text from users or documents is escaped."""

from __future__ import annotations

import html
import re
from urllib.parse import quote
from dataclasses import dataclass
from typing import Sequence

from ..answer import Answer, Citation
from ..answering.generative import ORIGINAL_PREFIX
from ..conversations import Turn
from ..export import turn_markdown
from ..feedback import MAX_COMMENT_CHARS
from .labels import backend_name, t

CONTEXT_CHARS = 360  # document text shown on each side of a cited passage
SNIPPET_CHARS = 140  # passage text shown in the sources list under an answer
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class DocumentRow:
    """A document of the corpus or the index, as the documents table shows it."""

    name: str
    size_bytes: int | None
    chunks: int | None
    indexed_at: str | None
    status: str  # indexed | new | changed | removed


def escape(text: str) -> str:
    """Text made safe to place in HTML content or a quoted attribute."""
    return html.escape(text, quote=True)


def answer_html(text: str, citations: Sequence[Citation], turn: int) -> str:
    """The answer text, escaped, with each known `[n]` marker turned into a citation button, its "- " lines
    as a bulleted list and its "  > " lines (the documents' words under a line the model wrote) as quotes."""
    lines = text.split("\n")
    if not any(_BULLET_LINE.match(line) or _QUOTE_LINE.match(line) for line in lines):
        return _line_html(text, citations, turn)
    html_parts, in_list = [], False
    for line in lines:
        bullet, quoted = _BULLET_LINE.match(line), _QUOTE_LINE.match(line)
        if quoted:
            block = f'<blockquote class="original">{_line_html(line[quoted.end():], citations, turn)}</blockquote>'
            if in_list:  # under its item
                html_parts[-1] = html_parts[-1].removesuffix("</li>") + block + "</li>"
            else:
                html_parts.append(block)
            continue
        if bullet and not in_list:
            html_parts.append('<ul class="points">')
        elif not bullet and in_list:
            html_parts.append("</ul>")
        in_list = bool(bullet)
        if bullet:
            html_parts.append(f"<li>{_line_html(line[bullet.end():], citations, turn)}</li>")
        elif line.strip():
            html_parts.append(f"<p>{_line_html(line, citations, turn)}</p>")
    if in_list:
        html_parts.append("</ul>")
    return "".join(html_parts)


def _line_html(text: str, citations: Sequence[Citation], turn: int) -> str:
    known = {citation.marker: citation for citation in citations}
    pieces = []
    position = 0
    for match in _MARKER.finditer(text):
        pieces.append(_paragraphs(text[position : match.start()]))
        citation = known.get(int(match.group(1)))
        pieces.append(_cite_button(citation, turn) if citation else escape(match.group(0)))
        position = match.end()
    pieces.append(_paragraphs(text[position:]))
    return "".join(pieces)


_BULLET_LINE = re.compile(r"^\s*[-•*]\s+")
_QUOTE_LINE = re.compile("^" + re.escape(ORIGINAL_PREFIX))  # only the answerer's: a document's own "> 50%" stays text


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _cite_button(citation: Citation, turn: int) -> str:
    title = f"{citation.section} · {citation.source}"
    return (
        f'<button type="button" class="cite" data-turn="{turn}" data-marker="{citation.marker}" '
        f'title="{escape(title)}">[{citation.marker}]</button>'
    )


def sources_html(citations: Sequence[Citation], turn: int, lang: str) -> str:
    """The list of cited passages under an answer: marker, section path, file and the start of the text."""
    if not citations:
        return ""
    items = []
    for citation in citations:
        snippet = citation.text if len(citation.text) <= SNIPPET_CHARS else citation.text[:SNIPPET_CHARS] + "…"
        items.append(
            f'<li>{_cite_button(citation, turn)}'
            f'<span class="source-section">{escape(citation.section or "—")}</span>'
            f'<span class="source-file">{escape(citation.source)}</span>'
            f'<div class="source-snippet">{escape(snippet)}</div></li>'
        )
    return f'<div class="sources"><div class="sources-title">{t(lang, "sources")}</div><ol>{"".join(items)}</ol></div>'


def conversation_html(turns: Sequence[Turn], lang: str, *, corpus: str, pending: str | None = None) -> str:
    """The whole conversation; `pending` is the answer text streamed so far for the last turn."""
    if not turns:
        return f'<div class="conversation empty"><p class="welcome">{escape(t(lang, "welcome", corpus=corpus))}</p></div>'
    parts = []
    for number, turn in enumerate(turns):
        is_last = number == len(turns) - 1
        parts.append(f'<div class="turn" data-turn="{number}">')
        parts.append(f'<div class="msg user"><div class="bubble">{_paragraphs(turn.question)}</div></div>')
        if turn.answer is not None:
            parts.append(_answer_bubble(turn.answer, number, lang, vote=turn.vote, markdown=turn_markdown(turn)))
        elif turn.error:
            parts.append(f'<div class="msg bot"><div class="bubble error">{escape(turn.error)}</div></div>')
        elif is_last:
            streamed = _paragraphs(pending) if pending else f'<span class="thinking">{t(lang, "thinking")}</span>'
            parts.append(f'<div class="msg bot"><div class="bubble streaming">{streamed}</div></div>')
        parts.append("</div>")
    return f'<div class="conversation">{"".join(parts)}</div>'


def _answer_bubble(answer: Answer, turn: int, lang: str, *, vote: str = "", markdown: str = "") -> str:
    body = f'<div class="answer">{answer_html(answer.text, answer.citations, turn)}</div>'
    if answer.abstained:
        body += f'<div class="note">{t(lang, "not_found_note")}</div>'
    elif answer.tentative:
        body += f'<div class="note">{t(lang, "tentative_note")}</div>'
    body += _unsupported_html(answer, lang)
    body += sources_html(answer.citations, turn, lang)
    body += evidence_html(answer, lang)
    body += f'<div class="meta">{escape(t(lang, "answered_by", name=backend_name(lang, answer.backend)))}</div>'
    if markdown:  # the answer's Markdown travels in the link: it downloads without asking the server
        body += (f'<a class="export-answer" download="answer-{turn + 1}.md" '
                 f'href="data:text/markdown;charset=utf-8,{quote(markdown)}">{escape(t(lang, "export_answer"))}</a>')
    body += feedback_html(turn, lang, vote=vote)
    kind = "bubble abstained" if answer.abstained else "bubble tentative" if answer.tentative else "bubble"
    return f'<div class="msg bot"><div class="{kind}">{body}</div></div>'


def evidence_html(answer: Answer, lang: str) -> str:
    """Every passage the answer saw, collapsed: score, section path, file, and the markers that cite it."""
    if not answer.passages:
        return ""
    markers: dict[str, list[int]] = {}
    for citation in answer.citations:
        markers.setdefault(citation.id, []).append(citation.marker)
    items = []
    for passage in answer.passages:
        cited = markers.get(passage.id)
        if cited:
            badge = t(lang, "evidence_cited", markers=" ".join(f"[{marker}]" for marker in cited))
        else:
            badge = t(lang, "evidence_uncited")
        items.append(
            f'<li class="{"cited" if cited else "uncited"}">'
            f'<span class="evidence-badge">{escape(badge)}</span>'
            f'<span class="evidence-score">{escape(t(lang, "evidence_score", score=f"{passage.score:.3f}"))}</span>'
            f'<span class="source-section">{escape(passage.section or "—")}</span>'
            f'<span class="source-file">{escape(passage.source)}</span>'
            f'<div class="evidence-text">{escape(passage.text)}</div></li>'
        )
    title = escape(t(lang, "evidence_title", count=len(answer.passages)))
    return f'<details class="evidence"><summary>{title}</summary><ol>{"".join(items)}</ol></details>'


def feedback_html(turn: int, lang: str, *, vote: str = "") -> str:
    """👍 / 👎 buttons and an optional comment for answer `turn`; the vote given so far is pressed."""
    buttons = "".join(
        f'<button type="button" class="vote{" active" if vote == value else ""}" data-turn="{turn}" '
        f'data-vote="{value}" aria-pressed="{"true" if vote == value else "false"}" '
        f'title="{escape(t(lang, "feedback_" + value))}">{symbol}</button>'
        for value, symbol in (("up", "👍"), ("down", "👎"))
    )
    return (
        f'<div class="feedback" data-turn="{turn}"><span class="feedback-prompt">{escape(t(lang, "feedback_prompt"))}</span>'
        f'{buttons}<input type="text" class="feedback-comment" maxlength="{MAX_COMMENT_CHARS}" '
        f'placeholder="{escape(t(lang, "feedback_comment"))}"></div>'
    )


def _unsupported_html(answer: Answer, lang: str) -> str:
    """A warning that lists the generated sentences the cited passages do not clearly support."""
    doubtful = [_MARKER.sub("", sentence.text).strip() for sentence in answer.sentences if not sentence.supported]
    doubtful = [text for text in doubtful if text]
    if not doubtful:
        return ""
    items = "".join(f"<li>{escape(text)}</li>" for text in doubtful)
    return f'<div class="note unsupported">{t(lang, "unsupported_note")}<ul>{items}</ul></div>'


def source_html(citation: Citation | None, document_text: str | None, lang: str) -> str:
    """The cited passage inside its surrounding document text, the supporting sentence in <mark>.

    `document_text` is the source file's current text; when it no longer holds the passage at
    the indexed offsets, the indexed passage is shown alone with a note to re-index.
    """
    if citation is None:
        return f'<div class="source-panel empty"><p>{t(lang, "source_empty")}</p></div>'
    current = document_text is not None and document_text[citation.start : citation.end] == citation.text
    if current:
        before_start = _context_start(document_text, citation.start)
        after_end = _context_end(document_text, citation.end)
        # Blank lines at the edges of the shown context would only push the passage down.
        before = _elided(document_text[:before_start], "…\n") + document_text[before_start : citation.start].lstrip("\n")
        after = document_text[citation.end : after_end].rstrip("\n") + _elided(document_text[after_end:], "\n…")
        note = ""
    else:
        before = after = ""
        note = f'<p class="note">{t(lang, "source_changed")}</p>'
    section = " › ".join(f"<span>{escape(part.strip())}</span>" for part in citation.section.split("›")) or "—"
    return (
        '<div class="source-panel">'
        f'<div class="source-head"><span class="source-marker">[{citation.marker}]</span>'
        f'<span class="source-label">{t(lang, "source_title")}</span></div>'
        f'<dl class="source-meta"><dt>{t(lang, "source_section")}</dt><dd class="section-path">{section}</dd>'
        f'<dt>{t(lang, "source_file")}</dt><dd class="source-file">{escape(citation.source)}</dd></dl>'
        f"{note}"
        f'<div class="source-text">{escape(before)}<span class="passage">{_highlight(citation)}</span>{escape(after)}</div>'
        "</div>"
    )


def _elided(hidden: str, mark: str) -> str:
    """The ellipsis that stands for document text left out of the context (on its own line at a line break)."""
    if not hidden.strip():
        return ""
    return mark if hidden.endswith("\n") or hidden.startswith("\n") else "…"


def _highlight(citation: Citation) -> str:
    """The passage with its supporting sentence in <mark> (the whole passage when the quote is not in it)."""
    quote = citation.quote.strip()
    at = citation.text.find(quote) if quote else -1
    if at < 0:
        return f"<mark>{escape(citation.text)}</mark>"
    end = at + len(quote)
    return f"{escape(citation.text[:at])}<mark>{escape(quote)}</mark>{escape(citation.text[end:])}"


def _context_start(text: str, start: int) -> int:
    """Where the shown context begins: a line start about CONTEXT_CHARS before the passage."""
    floor = max(0, start - CONTEXT_CHARS)
    if floor == 0:
        return 0
    line_start = text.find("\n", floor - 1, start)  # a line that starts exactly at floor counts
    return line_start + 1 if line_start >= 0 else floor


def _context_end(text: str, end: int) -> int:
    """Where the shown context ends: a line end about CONTEXT_CHARS after the passage."""
    ceiling = min(len(text), end + CONTEXT_CHARS)
    line_end = text.rfind("\n", end, ceiling)
    return line_end if line_end >= 0 else ceiling


def documents_html(rows: Sequence[DocumentRow], lang: str, *, corpus: str) -> str:
    """The documents table, or a note on how to add documents when there are none."""
    if not rows:
        return f'<div class="documents empty"><p>{escape(t(lang, "documents_empty", corpus=corpus))}</p></div>'
    columns = ("col_name", "col_size", "col_chunks", "col_indexed", "col_status")
    head = "".join(f"<th>{t(lang, key)}</th>" for key in columns)
    body = []
    for row in rows:
        cells = (
            _size(row.size_bytes), "" if row.chunks is None else str(row.chunks),
            escape(_when(row.indexed_at)), t(lang, "status_" + row.status),
        )
        # data-label names the column where a phone shows each row as a card
        labelled = "".join(f'<td data-label="{t(lang, key)}">{cell}</td>' for key, cell in zip(columns[1:], cells))
        body.append(f'<tr class="status-{row.status}"><td class="doc-name">{escape(row.name)}</td>{labelled}</tr>')
    return (
        f'<div class="documents"><div class="documents-title">{t(lang, "documents_heading")}</div>'
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div></div>'
    )


def _size(size_bytes: int | None) -> str:
    if size_bytes is None:
        return ""
    if size_bytes < 1024:
        return f"{size_bytes} B"
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:.1f} KB"
    return f"{size_bytes / 1024 / 1024:.1f} MB"


def _when(indexed_at: str | None) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM UTC'."""
    if not indexed_at:
        return ""
    return indexed_at[:16].replace("T", " ") + (" UTC" if indexed_at.endswith("+00:00") else "")


def status_html(lines: Sequence[str], *, kind: str = "info") -> str:
    """A short status message (one or more lines) for the documents and settings tabs."""
    if not lines:
        return ""
    return f'<div class="status {kind}">' + "".join(f"<div>{escape(line)}</div>" for line in lines) + "</div>"
