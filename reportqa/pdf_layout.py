"""PDF pages to Markdown-like text in reading order, using pdfplumber's character positions.

Why positions and not the content stream: PDF writers put text in the stream in any
order (headers last, paragraphs out of order), while the page shows it top to bottom.
Why not pdfplumber's own `extract_text`: it reads straight across two-column pages.
So: words -> lines -> segments split at wide gaps; a gutter that many lines share
splits a page into columns, read left then right; running headers and page numbers
are dropped; wrapped lines are joined into paragraphs (across a page break too); the cells of
a table row, one line of several segments, are joined by " | "; lines in larger type than the
body, or short lines all in bold type, become `#` headings, one level per size (bold below plain
of the same size); bullets a font left unmapped ("(cid:127)") or drawn as •, ●, ▪ become "- ".
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from .tables import CELLS, table_lines, table_row

MARGIN_SHARE = 0.08  # top and bottom share of a page where running headers and page numbers sit
HEADING_SIZE_RATIO = 1.15  # a line this much larger than the body text is a heading
MAX_HEADING_CHARS = 60
_NEAR_ROWS = 3  # lines around a lone line whose cells show the table's columns
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?\d+(\s*/\s*\d+)?\s*(页)?[-–—\s]*$|^page\s*\d+", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"[。！？；：!?;:]$|[.!?]$")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_BULLET_GLYPH = re.compile(r"^(?:\(cid:\d+\)|[•●▪◦■□➢►])\s*")
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_HEADING_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
                             r"第[一二三四五六七八九十\d]{1,3}[章节部分篇])$")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class Segment:
    """Words of one line that sit close together: a line of one column."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    bold: bool = False


def pdf_markdown(raw: bytes) -> str:
    """The whole PDF as text: reading order, headings as `#` lines, paragraphs on one line each."""
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        for number, page in enumerate(pdf.pages):
            words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
            pages.append((float(page.height), _segments(words, number)))
    lines = _drop_running_lines(pages)
    return _markdown(lines)


def _segments(words: list[dict], page: int) -> list[Segment]:
    """Group words into lines, and split each line at gaps wider than a column gutter."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= 0.5 * word["size"]:
            lines[-1].append(word)
        else:
            lines.append([word])
    segments = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        current = [line[0]]
        for word in line[1:]:
            if word["x0"] - current[-1]["x1"] > 1.5 * max(word["size"], current[-1]["size"]):
                segments.append(_segment(current, page))
                current = []
            current.append(word)
        segments.append(_segment(current, page))
    return _reading_order(segments)


def _segment(words: list[dict], page: int) -> Segment:
    text = words[0]["text"]
    for before, word in zip(words, words[1:]):
        text += _joiner(before["text"], word["text"]) + word["text"]
    # The size of its longest word, not of a bullet glyph ("(cid:127)" drawn larger than the text it marks).
    sized = [w for w in words if not _BULLET_GLYPH.fullmatch(w["text"])] or words
    size = max(sized, key=lambda w: len(w["text"]))["size"]
    return Segment(
        text, min(w["x0"] for w in words), max(w["x1"] for w in words),
        min(w["top"] for w in words), max(w["bottom"] for w in words), round(float(size), 1), page,
        all(_BOLD_FONT.search(str(w.get("fontname", ""))) for w in words),
    )


def _reading_order(segments: list[Segment]) -> list[Segment]:
    """Top to bottom, except that where a gutter splits lines into columns, the left column comes first."""
    gutter = _gutter(segments)
    by_line = sorted(segments, key=lambda s: (round(s.top), s.x0))
    if gutter is None:
        return by_line
    ordered: list[Segment] = []
    band: list[Segment] = []
    for segment in by_line:
        if segment.x0 < gutter < segment.x1:  # a full-width line closes the columns above it
            ordered += _columns(band, gutter)
            band = []
            ordered.append(segment)
        else:
            band.append(segment)
    return ordered + _columns(band, gutter)


def _columns(band: list[Segment], gutter: float) -> list[Segment]:
    left = [s for s in band if s.x1 <= gutter]
    right = [s for s in band if s.x0 >= gutter]
    return _reading_order(left) + _reading_order(right) if left and right else band


def _gutter(segments: list[Segment]) -> float | None:
    """The left edge of a right-hand column: the x where most lines (at least three) have a gap.

    Columns hold wide lines of running text; the narrow cells of a table do not count,
    so a table is still read row by row.
    """
    if not segments:
        return None
    text_width = max(s.x1 for s in segments) - min(s.x0 for s in segments)
    gaps: list[tuple[float, float]] = []
    lines: dict[int, list[Segment]] = {}
    for segment in segments:
        lines.setdefault(round(segment.top), []).append(segment)
    for line in lines.values():
        line.sort(key=lambda s: s.x0)
        for left, right in zip(line, line[1:]):
            if min(left.x1 - left.x0, right.x1 - right.x0) >= 0.25 * text_width:
                gaps.append((left.x1, right.x0))
    best, best_count = None, 2
    for candidate in sorted({round(right - 1) for _, right in gaps}):
        count = sum(1 for left, right in gaps if left < candidate < right)
        if count > best_count:
            best, best_count = float(candidate), count
    return best


def _drop_running_lines(pages: list[tuple[float, list[Segment]]]) -> list[Segment]:
    """All segments except page numbers and headers or footers repeated on several pages."""
    def in_margin(segment: Segment, height: float) -> bool:
        return segment.top < height * MARGIN_SHARE or segment.bottom > height * (1 - MARGIN_SHARE)

    repeated = Counter(
        re.sub(r"\d+", "#", s.text) for height, segments in pages for s in segments if in_margin(s, height)
    )
    kept = []
    for height, segments in pages:
        for segment in segments:
            if in_margin(segment, height) and (
                _PAGE_NUMBER.match(segment.text) or (len(pages) > 1 and repeated[re.sub(r"\d+", "#", segment.text)] > 1)
            ):
                continue
            kept.append(segment)
    return kept


def _markdown(segments: list[Segment]) -> str:
    if not segments:
        return ""
    sizes = Counter()
    for segment in segments:
        sizes[segment.size] += len(segment.text)
    body_size = sizes.most_common(1)[0][0]

    segments = _wrapped_cells_joined(_numbers_joined(segments))
    # Segments sharing their line with a neighbour are a table's cells, however large or bold (a header row).
    in_row = {id(segment) for before, after in zip(segments, segments[1:]) if _same_row(before, after)
              for segment in (before, after)}

    def heading_key(segment: Segment) -> tuple[float, bool] | None:
        if len(segment.text) > MAX_HEADING_CHARS or _BULLET_GLYPH.match(segment.text) or id(segment) in in_row:
            return None
        if segment.size >= body_size * HEADING_SIZE_RATIO:
            return segment.size, not segment.bold
        if segment.bold and segment.size >= body_size and not _PARAGRAPH_END.search(segment.text):
            return segment.size, False  # a bold line of its own: "2.1 Consumer fibre" in type a little larger
        return None

    keys = sorted({key for s in segments if (key := heading_key(s)) is not None}, key=lambda k: (-k[0], k[1]))
    level = {key: min(rank + 1, 6) for rank, key in enumerate(keys)}
    lines: list[str] = []
    previous: Segment | None = None
    heading: tuple[Segment, tuple[float, bool]] | None = None  # the line before, when a heading: it and its key
    for segment in segments:
        key = heading_key(segment)
        if key is not None:
            if heading is not None and heading[1] == key and _heading_wraps(heading[0], segment):
                lines[-1] += _joiner(lines[-1], segment.text) + segment.text
            else:
                lines.append(f"{'#' * level[key]} {segment.text}")
            previous, heading = None, (segment, key)
            continue
        heading = None
        text = _UNMAPPED_GLYPH.sub("", _BULLET_GLYPH.sub("- ", segment.text)).strip()
        if previous is not None and _same_row(previous, segment):
            lines[-1] += CELLS + text  # the next cell of a table row
        elif previous is not None and _continues(previous, segment) and not text.startswith("- "):
            lines[-1] += _joiner(lines[-1], text) + text
        else:
            lines.append(text)
        previous = segment
    return "\n".join(line for line in _tables_named(lines) if line)


def _tables_named(lines: list[str]) -> list[str]:
    """The lines with each run of table rows read as tables.table_lines reads one (each row naming its columns)."""
    named: list[str] = []
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        if table_row(line):
            rows.append(line.split(CELLS))
            continue
        if rows:
            named.extend(table_lines(rows))
            rows = []
        named.append(line)
    return named[:-1]


def _numbers_joined(segments: list[Segment]) -> list[Segment]:
    """A heading's number set apart from its title by a wide gap ("2.1      Consumer fibre", "一、   公司概况")
    joined to it: one line, not a table row of two cells. A number that opens its line only: one after a row's
    first cell is a figure of the table ("Wafer Inspection   96.4   112.5")."""
    joined: list[Segment] = []
    for segment in segments:
        before = joined[-1] if joined else None
        opens_line = len(joined) < 2 or not _same_row(joined[-2], before)
        if (before is not None and opens_line and _HEADING_NUMBER.match(before.text) and _same_row(before, segment)
                and before.size == segment.size and len(before.text) + len(segment.text) < MAX_HEADING_CHARS):
            joined[-1] = Segment(before.text + _joiner(before.text, segment.text) + segment.text, before.x0, segment.x1,
                                 min(before.top, segment.top), max(before.bottom, segment.bottom), segment.size,
                                 segment.page, before.bold and segment.bold)
            continue
        joined.append(segment)
    return joined


def _wrapped_cells_joined(segments: list[Segment]) -> list[Segment]:
    """A table cell whose text wraps, set in the middle of its row's height, is drawn as lines of its own above and
    below the row ("仅海外发行，无需国内版" / "《萌宠小镇》海外版 | 模拟经营 | …" / "号"): such a lone line, in the row's
    type, starting where a later column of the rows around it starts and nearer to a row than a line's height, is
    that cell's text, joined into the nearest row (before a cell already there when it is above the row, after
    it when below). Not a paragraph or a heading of its own."""
    lines: list[list[Segment]] = []
    for segment in segments:
        if lines and _same_row(lines[-1][-1], segment):
            lines[-1].append(segment)
        else:
            lines.append([segment])
    rows = [index for index, line in enumerate(lines) if len(line) >= 2]
    for index, line in enumerate(lines):
        if len(line) != 1 or len(line[0].text) > MAX_HEADING_CHARS:
            continue
        lone = line[0]
        near = [r for r in rows if abs(r - index) <= _NEAR_ROWS and lines[r][0].page == lone.page
                and abs(lines[r][0].size - lone.size) < 0.5]
        columns = {round(cell.x0) for r in near for cell in lines[r][1:]}
        if not near or not any(abs(lone.x0 - x) <= 1 for x in columns):
            continue
        target = min(near, key=lambda r: abs(lines[r][0].top - lone.top))
        if abs(lines[target][0].top - lone.top) > lone.size:
            continue
        row = lines[target]
        cell = next((i for i, c in enumerate(row) if abs(c.x0 - lone.x0) <= 1), None)
        if cell is None:
            row.append(Segment(lone.text, lone.x0, lone.x1, row[0].top, row[0].bottom, lone.size, lone.page, lone.bold))
            row.sort(key=lambda c: c.x0)
        else:
            old = row[cell]
            text = lone.text + _joiner(lone.text, old.text) + old.text if lone.top < old.top else (
                old.text + _joiner(old.text, lone.text) + lone.text)
            row[cell] = Segment(text, old.x0, max(old.x1, lone.x1), old.top, old.bottom, old.size, old.page, old.bold)
        line.clear()
    return [segment for line in lines for segment in line]


def _same_row(previous: Segment | None, segment: Segment) -> bool:
    """Whether a segment sits on the same line as the one before, to its right: a table's next cell."""
    return (previous is not None and previous.page == segment.page and segment.x0 > previous.x1
            and abs(segment.top - previous.top) <= 0.5 * segment.size)


def _continues(previous: Segment, segment: Segment) -> bool:
    """Whether a line is the wrapped continuation of the paragraph on the line before."""
    on_next_line = previous.page == segment.page and 0 <= segment.top - previous.top <= 2.0 * segment.size
    on_next_page = segment.page == previous.page + 1 and segment.top < previous.top
    return (
        (on_next_line or on_next_page)
        and previous.size == segment.size
        and abs(segment.x0 - previous.x0) <= 2.5 * segment.size
        and not _PARAGRAPH_END.search(previous.text)
    )


def _heading_wraps(previous: Segment, segment: Segment) -> bool:
    """Whether a heading line is the second line of the heading above it (a long title wrapped, centred or not):
    the very next line, in the same type, not a numbered heading of its own."""
    return (previous.page == segment.page and 0 < segment.top - previous.top <= 2.0 * segment.size
            and not _PARAGRAPH_END.search(previous.text) and not _HEADING_NUMBER.match(segment.text))


def _joiner(before: str, after: str) -> str:
    """No space between Chinese characters, one between words of other scripts."""
    if before and after and (_CJK.match(before[-1]) or _CJK.match(after[0])):
        return ""
    return " "
