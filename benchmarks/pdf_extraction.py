"""Which PDF library keeps Chinese text and reading order: `python -m benchmarks.pdf_extraction`.

Extracts the test PDFs (tests/data/report_*.pdf: an embedded TrueType CJK font and a
non-embedded CID font; wrapped paragraphs, a running header and page numbers, a two-column
page, and a paragraph written to the content stream after the one below it) with pypdf and
pdfplumber, each plainly and in its layout mode, and with the app's own pdfplumber-based
reader (reportqa/pdf_layout.py), then scores each against tests/data/report_pdf_expected.json:

- text: share of expected paragraphs found whole (ignoring line breaks and spaces);
- order: share of consecutive expected paragraphs that come out in the right order;
- lines: share of expected paragraphs and headings that are a line of their own, unbroken;
- noise: running header and page-number lines left in the text (lower is better).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
NOISE_LINES = re.compile(r"^(内部资料|\d+)$")


def pypdf_plain(raw: bytes) -> str:
    import io

    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(raw)).pages)


def pypdf_layout(raw: bytes) -> str:
    import io

    import pypdf

    return "\n".join(page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(io.BytesIO(raw)).pages)


def pdfplumber_plain(raw: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdfplumber_layout(raw: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        return "\n".join(page.extract_text(layout=True) or "" for page in pdf.pages)


def pdfplumber_reportqa(raw: bytes) -> str:
    from reportqa.pdf_layout import pdf_markdown

    return pdf_markdown(raw)


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "pypdf extract_text": pypdf_plain,
    "pypdf extract_text(layout)": pypdf_layout,
    "pdfplumber extract_text": pdfplumber_plain,
    "pdfplumber extract_text(layout)": pdfplumber_layout,
    "pdfplumber + reportqa/pdf_layout.py": pdfplumber_reportqa,
}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def score(text: str, expected_blocks: list[str]) -> dict[str, float]:
    """text, order, lines and noise of one extraction (see the module docstring)."""
    flat = _squeeze(text)
    found = [_squeeze(block) in flat for block in expected_blocks]
    # Where each paragraph starts; a broken one is found by its first few characters.
    positions = [flat.find(_squeeze(block) if whole else _squeeze(block)[:8]) for block, whole in zip(expected_blocks, found)]
    pairs = list(zip(positions, positions[1:]))
    in_order = sum(0 <= first < second for first, second in pairs)
    lines = {_squeeze(line.lstrip("# ")) for line in text.splitlines()}
    return {
        "text": sum(found) / len(expected_blocks),
        "order": in_order / len(pairs),
        "lines": sum(_squeeze(block) in lines for block in expected_blocks) / len(expected_blocks),
        "noise": sum(bool(NOISE_LINES.match(line.strip())) for line in text.splitlines()),
    }


def main() -> int:
    """Print a score table per PDF and library."""
    expected = json.loads((DATA / "report_pdf_expected.json").read_text(encoding="utf-8"))["blocks"]
    totals: dict[str, list[float]] = {}
    print(f"{'file':22} {'extractor':38} {'text':>5} {'order':>6} {'lines':>6} {'noise':>6} {'ms':>6}")
    for pdf in sorted(DATA.glob("report_*.pdf")):
        raw = pdf.read_bytes()
        for name, extract in EXTRACTORS.items():
            started = time.perf_counter()
            text = extract(raw)
            milliseconds = (time.perf_counter() - started) * 1000
            result = score(text, expected)
            totals.setdefault(name, []).append(result["text"] + result["order"] + result["lines"])
            print(f"{pdf.name:22} {name:38} {result['text']:5.2f} {result['order']:6.2f} {result['lines']:6.2f} "
                  f"{result['noise']:6d} {milliseconds:6.0f}")
    print("\nmean of text + order + lines (max 3.00):")
    for name, values in sorted(totals.items(), key=lambda item: -sum(item[1])):
        print(f"  {name:38} {sum(values) / len(values):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
