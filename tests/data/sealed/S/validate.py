#!/usr/bin/env python3
"""Validate aldermoor_qa.jsonl against aldermoor-2024.docx (stdlib + python-docx only).

Checks:
  * 30 well-formed records, ids S-01..S-30, exact kind counts;
  * answerable questions: every evidence string occurs verbatim (whitespace-normalised)
    in the text under the given section path, and at least one variant of every
    must_include element occurs verbatim in that section's text;
  * every section path exists as a nesting of Word Heading 1/2/3 paragraphs;
  * unanswerable questions have empty must_include/evidence/section, and none of their
    forbidden strings (words that would answer them) occurs anywhere in the document;
  * Chinese-language questions contain CJK characters.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = os.path.dirname(os.path.abspath(__file__))
DOCX = os.path.join(HERE, "aldermoor-2024.docx")
QA = os.path.join(HERE, "aldermoor_qa.jsonl")
SEP = " › "

EXPECTED_KINDS = {
    "fact": 9, "list": 5, "why": 4, "describe": 1, "how": 1, "summary": 1,
    "fact-zh": 1, "list-zh": 1,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}

# Strings whose presence in the document would (partly) answer an "unanswerable" question.
FORBIDDEN = {
    "S-24": ["occupancy fell", "occupancy declined", "decline in occupancy", "lower occupancy",
             "occupancy decreased", "occupancy down", "occupancy dropped"],
    "S-25": ["dividend cut", "cut the dividend", "cutting the dividend", "reduced the dividend",
             "lower dividend", "dividend reduction", "rebase", "reduce the dividend"],
    "S-26": ["net debt increased", "net debt rose", "increase in net debt", "higher net debt",
             "net debt grew", "rise in net debt"],
    "S-27": ["fourth quarter", "fourth-quarter", "Q4", "final quarter", "October to December",
             "October–December", "quarterly"],
    "S-28": ["members in the Middle East", "members in MEAA", "Circle members in", "members based in",
             "membership in the", "members in Asia", "members in the region"],
    "S-29": ["auditor", "LLP", "audit firm", "audited by", "accounting firm"],
    "S-30": ["share price", "market capitalisation", "market capitalization", "market value",
             "closing price", "market cap"],
}


def norm_ws(s):
    return re.sub(r"\s+", " ", s).strip()


def loose(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).lower())


def load_blocks():
    """Return (headings, blocks): headings = list of heading paths; blocks = [(path, text)]."""
    doc = Document(DOCX)
    stack = []  # list of (level, text)
    headings = []
    blocks = []
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else ""
            m = re.match(r"Heading (\d)$", style)
            if m:
                lvl = int(m.group(1))
                while stack and stack[-1][0] >= lvl:
                    stack.pop()
                stack.append((lvl, norm_ws(item.text)))
                headings.append(tuple(t for _, t in stack))
                continue
            if item.text.strip():
                blocks.append((tuple(t for _, t in stack), norm_ws(item.text)))
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if cell.text.strip():
                        blocks.append((tuple(t for _, t in stack), norm_ws(cell.text)))
    return headings, blocks


def main():
    errors = []
    headings, blocks = load_blocks()
    heading_set = set(headings)
    all_text = "\n".join(t for _, t in blocks)
    all_text_lower = all_text.lower()

    def section_texts(path):
        return [t for p, t in blocks if p[:len(path)] == path]

    def found_in(texts, s):
        s = norm_ws(s)
        return any(s in t for t in texts)

    with open(QA, encoding="utf-8") as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip()]
    recs = []
    for i, ln in enumerate(lines, 1):
        try:
            recs.append(json.loads(ln))
        except json.JSONDecodeError as e:
            errors.append("line %d: invalid JSON (%s)" % (i, e))
    if len(recs) != 30:
        errors.append("expected 30 records, got %d" % len(recs))

    fields = {"id", "question", "kind", "must_include", "answerable", "evidence", "section"}
    ids = [r.get("id") for r in recs]
    if ids != ["S-%02d" % i for i in range(1, len(recs) + 1)]:
        errors.append("ids are not S-01..S-%02d in order" % len(recs))

    kinds = Counter(r.get("kind") for r in recs)
    if dict(kinds) != EXPECTED_KINDS:
        errors.append("kind counts %s != expected %s" % (dict(kinds), EXPECTED_KINDS))

    seen_q = set()
    for r in recs:
        rid = r.get("id")
        if set(r) != fields:
            errors.append("%s: fields %s" % (rid, sorted(r)))
            continue
        q = r["question"]
        if q in seen_q:
            errors.append("%s: duplicate question" % rid)
        seen_q.add(q)
        if norm_ws(q) and found_in([all_text], q):
            errors.append("%s: question copied verbatim from document" % rid)
        kind = r["kind"]
        if kind.endswith("-zh") and not re.search(r"[\u4e00-\u9fff]", q):
            errors.append("%s: zh question has no Chinese characters" % rid)

        if kind.startswith("unanswerable"):
            if r["answerable"] is not False:
                errors.append("%s: unanswerable must have answerable=false" % rid)
            if r["must_include"] or r["evidence"] or r["section"] != "":
                errors.append("%s: unanswerable must have empty must_include/evidence/section" % rid)
            forb = FORBIDDEN.get(rid)
            if not forb:
                errors.append("%s: no forbidden-string list defined" % rid)
                continue
            for s in forb:
                if s.lower() in all_text_lower:
                    errors.append("%s: forbidden string %r occurs in document" % (rid, s))
            continue

        if r["answerable"] is not True:
            errors.append("%s: answerable must be true" % rid)
        if not r["must_include"] or not r["evidence"] or not r["section"]:
            errors.append("%s: answerable question needs must_include, evidence and section" % rid)
            continue
        path = tuple(norm_ws(x) for x in r["section"].split(SEP))
        if path not in heading_set:
            errors.append("%s: section path %r not found as heading nesting" % (rid, r["section"]))
            continue
        sec = section_texts(path)
        for ev in r["evidence"]:
            if not found_in(sec, ev):
                where = "elsewhere in document" if found_in([all_text], ev) else "nowhere"
                errors.append("%s: evidence not in section (%s): %r" % (rid, where, ev))
        for el in r["must_include"]:
            variants = [el] if isinstance(el, str) else list(el)
            if not variants or not all(isinstance(v, str) and v.strip() for v in variants):
                errors.append("%s: bad must_include element %r" % (rid, el))
                continue
            if not any(found_in([all_text], v) for v in variants):
                errors.append("%s: no variant of %r occurs verbatim in document" % (rid, variants))
            elif not any(found_in(sec, v) for v in variants):
                errors.append("%s: no variant of %r occurs in section %r" % (rid, variants, r["section"]))
            # sanity: the loose form used for answer matching must be non-empty
            if any(not loose(v) for v in variants):
                errors.append("%s: variant empty after normalisation in %r" % (rid, variants))

    words = sum(len(t.split()) for _, t in blocks)
    top = [h[0] for h in headings if len(h) == 1]
    print("document: %s (%d words incl. tables, %d headings, top-level: %d)"
          % (os.path.basename(DOCX), words, len(headings), len(top)))
    print("questions: %d, kinds: %s" % (len(recs), dict(sorted(kinds.items()))))
    if errors:
        print("FAILED with %d error(s):" % len(errors))
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
