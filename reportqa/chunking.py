"""Split a document along its headings, then long sections at sentence ends."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .loaders import Document
from .tables import TABLE_CAPTION, rows_stated, table_row

SECTION_SEPARATOR = " › "
# Change CHUNK_RULES whenever chunk_document would split a text differently, tree.document_tree would read
# its parts differently, or a loader would read a file's text differently (7: PDF table figures that look like
# heading numbers; 8: a paragraph's counted sentences are items; 10: decimal heading depth, tables of contents,
# table captions, plain-text tables): a document indexed by other rules (or with
# other chunk sizes) is loaded and chunked again, and its tree rebuilt, by the next `build_index`, though its
# file is unchanged.
CHUNK_RULES = "10"

_CHINESE_NUMERAL = "一二三四五六七八九十百零〇"
_HEADING_PATTERNS = (
    (re.compile(r"^(#{1,6})\s+(\S.*)$"), None),  # Markdown: level = number of #
    # Numbered headings nest below Markdown ones (levels 1-6) when a document mixes them.
    (re.compile(rf"^[{_CHINESE_NUMERAL}]+、\s*\S"), 7),  # 一、
    (re.compile(rf"^[（(][{_CHINESE_NUMERAL}]+[）)]\s*\S"), 8),  # （一）
    (re.compile(r"^\d{1,2}(\.\d{1,2})*[.、]\s*\S"), 9),  # 1. / 1.2 / 1、
)
# A decimal heading's number: "2.1 Highlights" and "2.1. Highlights" sit below "2. 2024 at a glance", one level per
# further number.
_DECIMAL_NUMBER = re.compile(r"^\d{1,2}((?:\.\d{1,2})*)(?:[.、]\s*(?=\S)|\s+(?=[^\W\d]))")
# A table of contents' line: a heading, then dot leaders and a page number ("1. Letter to shareholders ....... 3").
_PAGE_NUMBER = re.compile(r"[\s.·…_-]*\d{0,4}\s*$")
_MIN_CONTENTS_ENTRIES = 3
_BULLET = re.compile(r"^[-*•·]\s+")
_COLON = re.compile(r"[:：]")
_SENTENCE_END = re.compile(r"(?:[。！？；!?;]|\.(?=\s|$))[”’\"')）]*")
_ITEM_NUMBER = re.compile(r"\s*\d{1,3}\.")  # a number and a full stop alone, where a sentence starts: an item's number
_MAX_HEADING_CHARS = 40


@dataclass(frozen=True)
class Chunk:
    """A passage of a document with the section it belongs to and where it sits."""

    chunk_id: str
    source: str
    section_path: tuple[str, ...]
    text: str
    start: int
    end: int

    @property
    def section(self) -> str:
        """The section path as users read it: `二、核心合作领域 › 动力电池深度绑定`."""
        return SECTION_SEPARATOR.join(self.section_path)

    @property
    def text_to_embed(self) -> str:
        """What is embedded and searched: the section path, then the passage."""
        text = rows_stated(self.text)
        return f"{self.section}\n{text}" if self.section_path else text


@dataclass(frozen=True)
class _Line:
    text: str  # stripped
    start: int
    end: int


def chunks_version(*, max_chars: int, overlap_chars: int) -> str:
    """What a document's chunks depend on besides its text: the chunking rules and the sizes."""
    return f"{CHUNK_RULES}:{max_chars}:{overlap_chars}"


def chunk_document(document: Document, *, max_chars: int = 200, overlap_chars: int = 40) -> list[Chunk]:
    """Chunks of a document, each within one section and at most ~max_chars long."""
    lines = _lines(document.text)
    sections: list[tuple[tuple[str, ...], list[_Line]]] = []
    path: list[tuple[int | float, str]] = []  # (level, heading)
    body: list[_Line] = []

    def close_section() -> None:
        if body:
            sections.append((tuple(heading for _, heading in path), list(body)))
            body.clear()

    for line, (level, heading) in zip(lines, heading_levels(lines)):
        if level is None:
            body.append(line)
            continue
        close_section()
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, heading))
    close_section()

    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section_path, section_lines in sections:
        for start, end in _split(document.text, section_lines, max_chars, overlap_chars):
            text = document.text[start:end]
            key = f"{document.source}\n{SECTION_SEPARATOR.join(section_path)}\n{text}"
            ordinal = seen.get(key, 0)
            seen[key] = ordinal + 1
            chunk_id = hashlib.sha1(f"{key}\n{ordinal}".encode("utf-8")).hexdigest()[:20]
            chunks.append(Chunk(chunk_id, document.source, section_path, text, start, end))
    return chunks


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text, each keeping its end punctuation."""
    spans = []
    for line_start, line in _line_spans(text):
        position = 0
        for match in _SENTENCE_END.finditer(line):
            if _ITEM_NUMBER.fullmatch(line, position, match.end()):
                continue  # "1." opening a numbered item is no sentence of its own
            spans.append((line_start + position, line_start + match.end()))
            position = match.end()
        if position < len(line):
            spans.append((line_start + position, line_start + len(line)))
    return [_strip_span(text, start, end) for start, end in spans if text[start:end].strip()]


def _lines(text: str) -> list[_Line]:
    result = []
    for start, line in _line_spans(text):
        stripped = line.strip()
        if stripped:
            offset = start + line.index(stripped)
            result.append(_Line(stripped, offset, offset + len(stripped)))
    return result


def _line_spans(text: str):
    position = 0
    for line in text.split("\n"):
        yield position, line
        position += len(line) + 1


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _heading_level(text: str, following: list[_Line], path: list[tuple[int | float, str]]) -> tuple[int | float | None, str]:
    """The heading level of a line (None for body text) and the heading as shown."""
    for pattern, level in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match and len(text) <= _MAX_HEADING_CHARS + 20 and not _ends_sentence(text):
            if level is None:
                return len(match.group(1)), match.group(2).strip()
            decimal = _DECIMAL_NUMBER.match(text) if level == 9 else None
            return (level + decimal.group(1).count(".") / 10 if decimal else level), text
    if (not following or len(text) > _MAX_HEADING_CHARS or _ends_sentence(text) or table_row(text)
            or TABLE_CAPTION.match(text)):
        return None, ""  # a table's row ("食品制造 | 10%") or caption ("表2 主要产品销量") is no heading, however short
    bullet = _BULLET.match(text)
    if bullet:
        # `- 标题` introduces content; `- 标签:内容` is a labelled item of the body.
        title = text[bullet.end() :].strip()
        if _COLON.search(title) or len(title) > 24:
            return None, ""
        numbered_levels = [level for level, _ in path if level < 10]
        return (max(numbered_levels) if numbered_levels else 0) + 10, title
    # A short bare line before longer text reads as a top-level heading ("总结").
    if len(text) <= 12 and not _COLON.search(text) and len(following[0].text) > len(text) * 2:
        return 7, text
    return None, ""


def heading_levels(lines: list[_Line]) -> list[tuple[int | float | None, str]]:
    """Each line's heading level (None for body text) and the heading as shown, as chunk_document and the
    document tree read them. A table of contents is body text: a run of heading lines, several of which are
    headings again further on, up to the last of those (with the "Contents" line above them)."""
    levels: list[tuple[int | float | None, str]] = []
    path: list[tuple[int | float, str]] = []
    for position, line in enumerate(lines):
        level, heading = _heading_level(line.text, lines[position + 1 :], path)
        levels.append((level, heading))
        if level is not None:
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, heading))
    for start, end in _contents_runs(lines, levels):
        levels[start:end] = [(None, "")] * (end - start)
    return levels


def _contents_runs(lines: list[_Line], levels: list[tuple[int | float | None, str]]) -> list[tuple[int, int]]:
    """The (start, end) line ranges of tables of contents: in a run of consecutive heading lines, the lines up to
    the last one whose heading comes again further on, when at least _MIN_CONTENTS_ENTRIES do."""
    titles = [_PAGE_NUMBER.sub("", line.text).casefold() if level is not None else None
              for line, (level, _) in zip(lines, levels)]
    last = {title: index for index, title in enumerate(titles) if title}
    runs, position = [], 0
    while position < len(lines):
        if titles[position] is None:
            position += 1
            continue
        end = position
        while end < len(lines) and titles[end] is not None:
            end += 1
        again = [index for index in range(position, end) if titles[index] and last[titles[index]] > index]
        if len(again) >= _MIN_CONTENTS_ENTRIES:
            runs.append((position, again[-1] + 1))
        position = end
    return runs


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[。！？；!?;,，、:：]$", text))


def _split(text: str, lines: list[_Line], max_chars: int, overlap_chars: int) -> list[tuple[int, int]]:
    """Pack a section's sentences into spans of at most max_chars, with a small overlap."""
    units: list[tuple[int, int]] = []
    for line in lines:
        for start, end in split_sentences(text[line.start : line.end]):
            units.append((line.start + start, line.start + end))
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= max_chars:
            last += 1
        spans.append((units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        # The next chunk starts with the trailing sentences that fit in the overlap.
        next_first = last + 1
        while next_first - 1 > first and units[last][1] - units[next_first - 1][0] <= overlap_chars:
            next_first -= 1
        first = next_first
    return spans
