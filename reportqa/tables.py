"""Tables as lines of text, each row naming its columns.

A row is read alone when a question is answered (each line is a sentence to the scorer), and
"De Havilland Dash 8-400 | 8 | 78 | 17.6" does not say which figure is the fleet's average age, so neither
the embedding nor the words of "How old are the Dash 8s?" can find it, and a reader of the answer cannot
tell. Each row under a row of column names is therefore written with them:
"De Havilland Dash 8-400 | Aircraft: 8 | Seats: 78 | Average age (years): 17.6". Markdown, Word and HTML
tables are read this way (loaders.py), and a PDF's rows of cells (pdf_layout.py).
"""

from __future__ import annotations

import re

FIGURE = re.compile(r"\d+(?:[.,]\d+)*")  # a figure as written: 12, 1.41, 1,900
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HAN = re.compile(r"[\u3400-\u9fff]")
CELLS = " | "  # between a table row's cells, as the loaders write a row on one line
# A table's caption: its number, then its title ("表6：可比公司估值对比", "Table 2: Revenue by segment", "表2  主要产品销量").
TABLE_CAPTION = re.compile(r"^(?:(?:附)?表|图表|table|exhibit)\s*\d+(?:[.-]\d+)*\s*[:：.．]?\s*\S", re.IGNORECASE)


def table_row(line: str) -> bool:
    """Whether a line of text is a table's row (its cells joined by CELLS)."""
    return CELLS in line


def names_columns(cells: list[str]) -> bool:
    """Whether a row looks like a table's column names: several cells with no figure but a year
    ("Segment | Revenue 2024 (£m) | Change", "指标 | 2023年 | 2024年")."""
    return len(cells) >= 2 and all(YEAR.fullmatch(figure) for cell in cells for figure in FIGURE.findall(cell))


def column_names_line(line: str) -> bool:
    """Whether a line of text is a table's row of column names: cells (" | ") that names_columns accepts."""
    return table_row(line) and names_columns(line.split(CELLS))


def table_lines(rows: list[list[str]], *, header: bool | None = None) -> list[str]:
    """A table's lines: the row of column names as "name | name", then each row with its cells after the first
    named by their column ("Point-of-care testing | FY2024 revenue (EUR m): 512 | Growth (%): 10.8").

    `header`: whether the first row names the columns (a Markdown table's row above its rule, an HTML
    table's `th` row); None to judge by its cells (names_columns) when later rows hold figures. A row of
    another length than the header's, and an empty cell, stay as they are."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if header is None:
        header = names_columns(rows[0]) and any(FIGURE.search(cell) for row in rows[1:] for cell in row)
    lines = [" | ".join(cell for cell in rows[0] if cell)]
    names = rows[0] if header else None
    for row in rows[1:]:
        if names is None or len(row) != len(names):
            lines.append(" | ".join(cell for cell in row if cell))
            continue
        cells = [row[0]] + [_named(name, cell) for name, cell in zip(names[1:], row[1:])]
        lines.append(" | ".join(cell for cell in cells if cell))
    return lines


def _named(name: str, cell: str) -> str:
    if not re.search(r"\w", cell) or not name or name == cell:  # "", "-", "—": nothing to name
        return cell
    return f"{name}{'：' if _HAN.search(name) else ': '}{cell}"


_NAMED_CELL = re.compile(r"^[^:：]{1,80}?[:：]\s*(?=\S)")


def row_values(line: str) -> str:
    """A table row's cells without the column names table_lines put before them: what the row itself states.
    The names repeat on every row, so to match a question's words a row counts only its own (the row of
    "Plant-based" does not state the group's "revenue in 2024" because its cell is named "Revenue 2024");
    any other line is returned as it is."""
    if not table_row(line):
        return line
    first, *cells = line.split(CELLS)
    return CELLS.join([first, *(_NAMED_CELL.sub("", cell) for cell in cells)])


def rows_stated(text: str) -> str:
    """A text with each table row as row_values gives it: what a passage is searched and embedded by, so that the
    column names repeated on every row weigh as once (in the row of names), as in the table itself."""
    if not table_row(text):
        return text
    return "\n".join(map(row_values, text.split("\n")))


_ALIGNED_GAP = re.compile(r"\s{2,}")  # between the columns of a plain-text table ("Revenue ($m)      486.3      399.6")
_MAX_ALIGNED_CELL = 20  # a figure or a column's name, not a phrase of prose
_MIN_ALIGNED_ROWS = 3


def aligned_tables(text: str) -> str:
    """A plain text with each table laid out in space-aligned columns written as table_lines writes a table, so
    that its rows name their columns as the tables of other formats do: three or more consecutive lines of the
    same number of cells (the first may lack the label column's name), each cell after the first short, and the
    cells after the first holding figures in at least two lines."""
    lines = text.split("\n")
    cells = [_aligned_cells(line) for line in lines]
    out: list[str] = []
    position = 0
    while position < len(lines):
        end = position
        while end < len(lines) and cells[end] is not None:
            end += 1
        rows = cells[position:end]
        if end - position >= _MIN_ALIGNED_ROWS and _one_table(rows):
            width = len(rows[-1])
            if len(rows[0]) == width - 1 and lines[position][:1].isspace():
                rows = [["", *rows[0]], *rows[1:]]
            out.extend(table_lines(rows))
            position = end
            continue
        out.append(lines[position])
        position += 1
    return "\n".join(out)


def _aligned_cells(line: str) -> list[str] | None:
    """A line's cells when it reads as a row of a space-aligned table, else None."""
    cells = _ALIGNED_GAP.split(line.strip())
    if len(cells) < 2 or any(len(cell) > _MAX_ALIGNED_CELL for cell in cells[1:]):
        return None
    return cells


def _one_table(rows: list[list[str]]) -> bool:
    width = len(rows[-1])
    if any(len(row) != width for row in rows[1:]) or len(rows[0]) not in (width, width - 1):
        return False
    with_figures = [row for row in rows if all(FIGURE.search(cell) for cell in row[1:])]
    return len(with_figures) >= 2
