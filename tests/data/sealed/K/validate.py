#!/usr/bin/env python3
"""Validate the sealed test set K (Pembridge Veterinary Group plc, an English Word annual report of a
fictional companion-animal veterinary group).

The questions are checked against pembridge-2024.txt, the plain-text dump written by make_pembridge_docx.py,
and the .docx itself is checked to hold exactly the same text (paragraphs and table rows, in body order).
Headings are taken from the docx's Heading 1 / Heading 2 styles (they carry no numbers).
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
REPORT = HERE / "pembridge-2024.txt"
DOCX = HERE / "pembridge-2024.docx"
QA = HERE / "pembridge_qa.jsonl"
PREFIX = "K"
SEP = " › "
FIELDS = {"id", "question", "kind", "must_include", "answerable", "evidence", "section"}
EXPECTED_KINDS = {
    "fact": 9, "list": 5, "why": 4, "summary": 1, "fact-zh": 1, "list-zh": 1, "unanswerable": 7,
}
DESCRIBE_OR_HOW = 2  # kinds "describe" and "how" together
# words whose absence makes the 'absent fact' / 'false premise' unanswerables really unanswerable
ABSENT = ("chief executive", "ceo", "auditor", "audit", "glasgow", "equine")
FORBIDDEN_PREFIXES = ("aldermoor", "beacon", "chenguang", "corvane", "hailan", "halden", "huayu", "jinhe",
                      "kestrel", "lanwan", "larkspur", "marlow", "northwind", "qiaoyun", "qinghe", "rongchuan",
                      "songyuan", "tidewell", "tarrant")


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).casefold()


def docx_lines_and_headings(path):
    """Body text in order: one line per non-empty paragraph, one tab-joined line per table row."""
    doc = Document(path)
    lines, headings, styles = [], [], Counter()
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            par = Paragraph(child, doc)
            if not par.text.strip():
                continue
            style = par.style.name if par.style is not None else ""
            styles[style] += 1
            lines.append(par.text)
            if style in ("Heading 1", "Heading 2"):
                headings.append((int(style[-1]), collapse(par.text)))
        elif tag == "tbl":
            styles["<table>"] += 1
            for row in Table(child, doc).rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    return lines, headings, styles


def main():
    errors = []
    name = REPORT.name.split("-")[0]
    if name.startswith(FORBIDDEN_PREFIXES):
        errors.append(f"report name {name!r} starts with a forbidden prefix")
    report = REPORT.read_text(encoding="utf-8")
    report_c = collapse(report)
    report_n = norm(report)
    if not 9000 <= len(report) <= 12000:
        errors.append(f"report has {len(report)} characters, expected 9,000-12,000")

    # the docx holds exactly the txt's text, and has the required structure
    dlines, headings, styles = docx_lines_and_headings(DOCX)
    tlines = [l for l in report.splitlines() if l.strip()]
    if dlines != tlines:
        errors.append("docx paragraphs joined do not equal the txt content")
        for i, (a, b) in enumerate(zip(dlines, tlines)):
            if a != b:
                errors.append(f"  first difference at line {i + 1}: docx {a[:60]!r} vs txt {b[:60]!r}")
                break
        else:
            errors.append(f"  line counts differ: docx {len(dlines)} vs txt {len(tlines)}")
    if "\n".join(dlines) != report.rstrip("\n"):
        errors.append("docx text joined with newlines differs from the txt file")
    for style, minimum in (("Title", 1), ("Heading 1", 6), ("Heading 2", 4), ("List Bullet", 10), ("<table>", 1)):
        if styles.get(style, 0) < minimum:
            errors.append(f"docx has {styles.get(style, 0)} {style!r} blocks, expected at least {minimum}")
    for _, h in headings:
        if re.match(r"^\d", h):
            errors.append(f"heading is numbered: {h!r}")
    h1 = {h for lvl, h in headings if lvl == 1}
    # map each Heading 2 to its parent Heading 1
    children, parent = set(), None
    for lvl, h in headings:
        if lvl == 1:
            parent = h
        else:
            children.add((parent, h))

    lines = [l for l in QA.read_text(encoding="utf-8").splitlines() if l.strip()]
    if len(lines) != 30:
        errors.append(f"expected 30 lines, found {len(lines)}")
    items = []
    for n, line in enumerate(lines, 1):
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON ({e})")
    ids = [q.get("id") for q in items]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    if dup:
        errors.append(f"duplicate ids: {dup}")
    if ids != [f"{PREFIX}-{i:02d}" for i in range(1, 31)]:
        errors.append(f"ids are not exactly {PREFIX}-01..{PREFIX}-30 in order")
    for q in items:
        qid = q.get("id")
        missing = FIELDS - set(q)
        if missing:
            errors.append(f"{qid}: missing fields {sorted(missing)}")
            continue
        extra = set(q) - FIELDS
        if extra:
            errors.append(f"{qid}: unexpected fields {sorted(extra)}")
        if not isinstance(q["answerable"], bool):
            errors.append(f"{qid}: answerable is not a boolean")
        if not isinstance(q["question"], str) or not q["question"].strip():
            errors.append(f"{qid}: empty question")
        ev = q["evidence"]
        if not isinstance(ev, list) or not isinstance(q["must_include"], list):
            errors.append(f"{qid}: evidence and must_include must be lists")
            continue
        for e in ev:
            if not isinstance(e, str) or len(e) < 20:
                errors.append(f"{qid}: evidence shorter than 20 chars: {e!r}")
            elif collapse(e) not in report_c:
                errors.append(f"{qid}: evidence not found verbatim in report: {e!r}")
        if q["answerable"]:
            if not q["must_include"] or not ev or not q["section"]:
                errors.append(f"{qid}: answerable question lacks must_include/evidence/section")
            if q["kind"] == "unanswerable":
                errors.append(f"{qid}: answerable question has kind 'unanswerable'")
            for el in q["must_include"]:
                variants = [el] if isinstance(el, str) else el
                if not variants or not all(isinstance(v, str) and v.strip() for v in variants):
                    errors.append(f"{qid}: empty must_include element {el!r}")
                    continue
                if not any(norm(v) in report_n for v in variants):
                    errors.append(f"{qid}: must_include element not found in report: {variants!r}")
            parts = q["section"].split(SEP)
            if len(parts) > 2:
                errors.append(f"{qid}: section path deeper than two levels: {q['section']!r}")
            if parts[0] not in h1:
                errors.append(f"{qid}: section part is not a Heading 1: {parts[0]!r}")
            if len(parts) == 2 and (parts[0], parts[1]) not in children:
                errors.append(f"{qid}: {parts[1]!r} is not a Heading 2 under {parts[0]!r}")
            is_zh = bool(re.search(r"[\u4e00-\u9fff]", q["question"]))
            if q["kind"].endswith("-zh") != is_zh:
                errors.append(f"{qid}: -zh kind and Chinese question text do not match")
        else:
            if q["must_include"] or ev or q["section"] != "" or q["kind"] != "unanswerable":
                errors.append(f"{qid}: unanswerable question must have empty must_include/evidence/section")
    for word in ABSENT:
        if word in report.lower():
            errors.append(f"report unexpectedly contains {word!r}")
    kinds = Counter(q.get("kind") for q in items)
    for kind, n in EXPECTED_KINDS.items():
        if kinds.get(kind, 0) != n:
            errors.append(f"expected {n} questions of kind {kind!r}, found {kinds.get(kind, 0)}")
    if kinds.get("describe", 0) + kinds.get("how", 0) != DESCRIBE_OR_HOW:
        errors.append(f"expected {DESCRIBE_OR_HOW} describe/how questions")
    unknown = set(kinds) - set(EXPECTED_KINDS) - {"describe", "how"}
    if unknown:
        errors.append(f"unexpected kinds: {sorted(unknown)}")
    print("questions by kind:", dict(sorted(kinds.items())))
    print("report characters:", len(report))
    print("docx blocks by style:", dict(sorted(styles.items())))
    print("headings:", len(headings), f"({len(h1)} Heading 1, {len(children)} Heading 2)")
    if errors:
        print("FAIL")
        for e in errors:
            print(" -", e)
        return 1
    print("PASS: all checks succeeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
