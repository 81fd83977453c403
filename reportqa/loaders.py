"""Read documents from the corpus folder into plain text whose headings are Markdown `#` lines.

Text and Markdown files are decoded (UTF-8, UTF-8 with BOM or GBK/GB18030, detected);
PDF, Word (.docx) and HTML files are converted so that their headings become `#` lines,
from which the chunker derives each chunk's section path. PDF layout lives in pdf_layout.py.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, EmptyCorpusError
from .tables import CELLS, aligned_tables, table_lines

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | HTML_SUFFIXES
# About 10,000 chunks, or ten minutes of embedding on two cores: beyond that a file is
# more likely a dump or a mistake than a report, and it would hold the index up for hours.
MAX_DOCUMENT_CHARS = 2_000_000
MAX_FILE_BYTES = 200 * 1024 * 1024  # PDFs and Word files may be large for their images

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-6])$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list\b|列表", re.IGNORECASE)
_ITEM_START = re.compile(r"^(?:[-*•·●▪]\s|\d{1,2}[.)、]\s*|[（(]\d{1,2}[）)])")


@dataclass(frozen=True)
class Document:
    """A document's text as the chunker sees it, named by its path inside the corpus."""

    source: str
    text: str

    @property
    def content_hash(self) -> str:
        """A hash of the text: a document whose hash is unchanged needs no re-indexing."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def list_documents(corpus_dir: Path) -> list[Path]:
    """The supported files under corpus_dir, in a stable order."""
    if not corpus_dir.is_dir():
        raise EmptyCorpusError(
            f"Corpus folder {corpus_dir}/ does not exist. Create it and put {supported_formats()} documents in it."
        )
    return sorted(
        path
        for path in corpus_dir.rglob("*")
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")
    )


def supported_formats() -> str:
    """The supported file types for messages: `.txt, .md, ... or .html`."""
    names = sorted(SUPPORTED_SUFFIXES)
    return ", ".join(names[:-1]) + " or " + names[-1]


def load_document(path: Path, corpus_dir: Path) -> Document:
    """Read one file into a Document; raises DocumentError naming the file and what to do."""
    source = path.relative_to(corpus_dir).as_posix()
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = MAX_DOCUMENT_CHARS * 4 if suffix in TEXT_SUFFIXES | HTML_SUFFIXES else MAX_FILE_BYTES
        if size > limit:
            raise DocumentError(
                f"{source} is {size / 2**20:.0f} MB, more than the {limit / 2**20:.0f} MB a document may have. "
                "Split it into smaller documents."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"Cannot read {source}: {exc.strerror}. Check the file's permissions.") from None
    if suffix in PDF_SUFFIXES:
        text = pdf_text(raw, source)
    elif suffix in DOCX_SUFFIXES:
        text = docx_text(raw, source)
    elif suffix in HTML_SUFFIXES:
        text = html_text(raw, source)
    else:
        text = decode_text(raw, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix in MARKDOWN_SUFFIXES:
        text = markdown_text(text)
    elif suffix in TEXT_SUFFIXES:
        text = aligned_tables(text)
    if not text.strip():
        raise DocumentError(f"{source} holds no text. Add text to it or remove it from the corpus.")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise DocumentError(
            f"{source} has {len(text):,} characters, more than the {MAX_DOCUMENT_CHARS:,} a document may have. "
            "Split it into smaller documents."
        )
    return Document(source=source, text=text)


def decode_text(raw: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030 text; refuse binary data."""
    if b"\x00" in raw[:4096]:
        raise DocumentError(f"{source} looks like a binary file, not text. Remove it or save it as UTF-8 text.")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > 0.05:
            break
        return text
    raise DocumentError(f"{source} is neither UTF-8 nor GBK/GB18030 text. Re-save it as UTF-8.")


# Markdown's marks around text a reader sees without them: **bold**, __bold__, *italic*, `code`, [link](url).
_MARKDOWN_INLINE = (
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"(?<![\w\\])__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)
_MARKDOWN_QUOTE = re.compile(r"^(?:>\s?)+")
_MARKDOWN_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*```")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*\n){0,60}?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_MARKDOWN_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKDOWN_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def markdown_text(text: str) -> str:
    """Markdown as a reader sees it: `#` headings and list marks kept (the chunker reads them), a heading
    underlined with === or --- written as a `#` line, emphasis, links, quote marks, rules, code fences,
    comments and a front-matter block dropped, a table's rows as "cell | cell" lines (as Word and HTML
    tables are read)."""
    text = _MARKDOWN_COMMENT.sub("", _FRONT_MATTER.sub("", text, count=1))
    source = text.split("\n")
    lines: list[str] = []
    table: list[list[str]] = []  # the rows of the table being read
    ruled = False  # whether its first row is followed by a rule (|---|---|): it names the columns

    def close_table() -> None:
        nonlocal ruled
        lines.extend(table_lines(table, header=ruled))
        table.clear()
        ruled = False

    for position, line in enumerate(source):
        underline = _SETEXT.match(source[position + 1]) if position + 1 < len(source) else None
        if underline and line.strip() and not line.lstrip().startswith(("#", "-", "*", ">", "|")):
            line = f"{'#' if underline.group(1)[0] == '=' else '##'} {line.strip()}"
        elif _SETEXT.match(line) and lines and lines[-1].startswith("#"):
            continue  # the underline of the heading above
        if _MARKDOWN_TABLE_RULE.match(line) and "|" in line:
            ruled = ruled or len(table) == 1
            continue
        if _MARKDOWN_RULE.match(line) or _MARKDOWN_TABLE_RULE.match(line):
            continue
        line = _MARKDOWN_QUOTE.sub("", line)
        for pattern, replacement in _MARKDOWN_INLINE:
            line = pattern.sub(replacement, line)
        if line.strip().startswith("|") and line.strip().endswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if table:
            close_table()
        lines.append(line)
    if table:
        close_table()
    return "\n".join(lines)


def pdf_text(raw: bytes, source: str) -> str:
    """The text of a PDF in reading order, its larger-type lines as `#` headings."""
    from .pdf_layout import pdf_markdown

    try:
        text = pdf_markdown(raw)
    except Exception as exc:  # pdfminer raises many kinds of error for a damaged file
        raise DocumentError(
            f"{source} cannot be read as a PDF ({exc.__class__.__name__}). Re-export it from its source, or remove it."
        ) from None
    if not text.strip():
        raise DocumentError(
            f"{source} has no text layer (a scanned PDF?). Run OCR on it or add a text version instead."
        )
    return text


def docx_text(raw: bytes, source: str) -> str:
    """The paragraphs and tables of a Word file in order; `Heading n` paragraphs become `#` lines."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # a damaged zip, missing parts or bad XML
        raise DocumentError(
            f"{source} cannot be read as a Word .docx file ({exc.__class__.__name__}). "
            "Save it again from Word as .docx, or remove it."
        ) from None
    blocks: list[tuple[int | None, str]] = []  # (heading level, 0 for the title; None for body text)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                level = _docx_heading_level(block)
                text = block.text.strip()
                if level is None and _docx_list_item(block) and not _ITEM_START.match(text):
                    text = f"- {text}"  # Word draws the bullet or number; the text holds none
                blocks.append((level, text))
        elif isinstance(block, Table):
            blocks.extend((None, line) for line in table_lines(_table_rows(block)))
    # A title sits above the `Heading 1` sections, so headings move down a level when there is one.
    offset = 1 if any(level == 0 for level, _ in blocks) else 0
    return "\n".join(
        text if level is None else f"{'#' * min(level + offset, 6)} {text}" for level, text in blocks
    )


def _docx_heading_level(paragraph) -> int | None:
    style = paragraph.style
    while style is not None:  # a custom style based on "Heading 2" is a heading too
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 0
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        style = style.base_style
    return None


def _docx_list_item(paragraph) -> bool:
    """Whether a Word paragraph is an item of a bulleted or numbered list: a list style ("List Bullet",
    "List Number 2", "List Paragraph", 列表段落) or numbering of its own."""
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        if _LIST_STYLE.search(style.name or ""):
            return True
        style = style.base_style
    return False


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = [cell.text.strip() for cell in row.cells]
        # Merged cells repeat their text once per grid column.
        cells = [text for position, text in enumerate(cells) if position == 0 or text != cells[position - 1]]
        if any(cells):
            rows.append(cells)
    return rows


def html_text(raw: bytes, source: str) -> str:
    """The visible text of an HTML page; `h1`-`h6` become `#` lines, block elements new lines, list items
    (`li`) lines opening with "- "."""
    from bs4 import BeautifulSoup

    if b"\x00" in raw[:4096]:
        raise DocumentError(f"{source} looks like a binary file, not HTML. Remove it or save it as HTML text.")
    # BeautifulSoup detects the encoding from the BOM, <meta charset> or the bytes (GBK pages too).
    soup = BeautifulSoup(raw, "html.parser")
    for hidden in soup(["script", "style", "noscript", "template", "head", "svg"]):
        hidden.decompose()
    # The site around the report: its menus, and the page's own footer (copyright, privacy links), though a
    # footer of the report's article or a section of it is the report's.
    for chrome in soup(["nav", "footer"]) + soup(attrs={"role": ["navigation", "contentinfo"]}):
        if chrome.name != "footer" or chrome.find_parent(["article", "main", "section"]) is None:
            chrome.decompose()
    for heading in soup(["h1", "h2", "h3", "h4", "h5", "h6"]):
        text = " ".join(heading.get_text().split())
        heading.replace_with(f"\n\n{'#' * int(heading.name[1])} {text}\n\n" if text else "")
    for table in reversed(soup("table")):  # a table inside another first
        if not table.find(["p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6"]):
            table.replace_with(f"\n{chr(10).join(_html_table_lines(table))}\n")
    for cell in soup(["td", "th"]):  # a table laid out with paragraphs: each cell's text as it stands
        cell.insert_after(CELLS)
    for item in soup("li"):
        # The browser draws the bullet or number; the text holds none (as a Word list item's).
        text = item.get_text(" ", strip=True)
        if text and not _ITEM_START.match(text):
            item.insert(0, "- ")
    for block in soup(["p", "div", "li", "tr", "br", "section", "article", "blockquote", "pre", "dt", "dd", "table"]):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = []
    for line in soup.get_text().split("\n"):
        line = " ".join(line.split()).strip(" |")
        if line:
            lines.append(line)
    return "\n".join(lines)


def _html_table_lines(table) -> list[str]:
    """A table of cells holding only text as table_lines reads it; a first row of `th` cells names the columns."""
    rows = [row.find_all(["td", "th"]) for row in table.find_all("tr")]
    rows = [row for row in rows if row]
    header = bool(rows) and all(cell.name == "th" for cell in rows[0])
    return table_lines([[cell.get_text(" ", strip=True) for cell in row] for row in rows], header=header or None)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for char in text[:20000] if ord(char) < 32 and char not in "\n\r\t\f")
    return controls / min(len(text), 20000)
