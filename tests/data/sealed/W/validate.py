#!/usr/bin/env python3
"""Validate stonemere_qa.jsonl against stonemere-2024.pdf (set W).

Evidence is checked verbatim against the PDF text after collapsing runs of
whitespace (line breaks in the extracted text) to single spaces. must_include
entries are checked after NFKC-normalising and removing all whitespace.
Prints one summary line; exits 1 on any error."""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
PDF = os.path.join(HERE, "stonemere-2024.pdf")
QA = os.path.join(HERE, "stonemere_qa.jsonl")

FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
KIND_COUNTS = {
    "fact": 9, "list": 5, "why": 4, "describe": 1, "how": 1, "summary": 1,
    "fact-zh|list-zh": 2,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}
SECTION_SEP = " \u203a "


def pdf_text():
    try:
        from pypdf import PdfReader
        return "\n".join(pg.extract_text() or "" for pg in PdfReader(PDF).pages)
    except ImportError:
        from pdfminer.high_level import extract_text
        return extract_text(PDF)


def ws(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s)).strip()


def nows(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def main():
    errors = []
    raw = pdf_text()
    text_ws, text_nows = ws(raw), nows(raw)
    headings = {ws(l) for l in raw.splitlines()
                if re.match(r"^\s*\d+(\.\d+)?\.?\s+\S", l)}

    rows = []
    with open(QA, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errors.append("line %d: blank line" % n)
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append("line %d: bad JSON (%s)" % (n, e))

    if len(rows) != 30:
        errors.append("expected 30 rows, got %d" % len(rows))

    ids = [r.get("id") for r in rows]
    if ids != ["W-%02d" % i for i in range(1, len(rows) + 1)]:
        errors.append("ids not W-01..W-%02d in order" % len(rows))
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")

    kinds = Counter(r.get("kind") for r in rows)
    for spec, want in KIND_COUNTS.items():
        got = sum(kinds[k] for k in spec.split("|"))
        if got != want:
            errors.append("kind %s: want %d, got %d" % (spec, want, got))
    known = {k for spec in KIND_COUNTS for k in spec.split("|")}
    for k in kinds:
        if k not in known:
            errors.append("unknown kind %r" % k)

    n_ev = n_mi = 0
    for r in rows:
        rid = r.get("id", "?")
        if list(r.keys()) != FIELDS:
            errors.append("%s: field order %s" % (rid, list(r.keys())))
            continue
        if not isinstance(r["question"], str) or not r["question"].strip():
            errors.append("%s: empty question" % rid)
        if not isinstance(r["must_include"], list) or not isinstance(r["evidence"], list):
            errors.append("%s: must_include/evidence must be lists" % rid)
            continue
        unans = r["kind"].startswith("unanswerable")
        if r["answerable"] is not (not unans):
            errors.append("%s: answerable=%r inconsistent with kind %s" % (rid, r["answerable"], r["kind"]))
        if unans:
            if r["must_include"] or r["evidence"] or r["section"] != "":
                errors.append("%s: unanswerable row must have empty must_include/evidence/section" % rid)
            continue
        if not r["must_include"] or not r["evidence"] or not r["section"]:
            errors.append("%s: answerable row needs must_include, evidence and section" % rid)
        if r["kind"].endswith("-zh") and not re.search(r"[\u4e00-\u9fff]", r["question"]):
            errors.append("%s: -zh question has no Chinese text" % rid)
        for ev in r["evidence"]:
            n_ev += 1
            if not isinstance(ev, str) or not ev.strip() or ws(ev) not in text_ws:
                errors.append("%s: evidence not in report: %r" % (rid, ev))
        for entry in r["must_include"]:
            n_mi += 1
            alts = entry if isinstance(entry, list) else [entry]
            if not alts or not all(isinstance(a, str) and a.strip() for a in alts):
                errors.append("%s: bad must_include entry %r" % (rid, entry))
                continue
            if not any(nows(a) in text_nows for a in alts):
                errors.append("%s: must_include not in report: %r" % (rid, entry))
            # the answer span should also sit inside this row's evidence
            ev_nows = nows(" ".join(r["evidence"]))
            if not any(nows(a) in ev_nows for a in alts):
                errors.append("%s: must_include %r not covered by evidence" % (rid, entry))
        for part in r["section"].split(SECTION_SEP):
            if ws(part) not in headings:
                errors.append("%s: section part %r is not a heading" % (rid, part))

    for e in errors:
        print("ERROR", e, file=sys.stderr)
    status = "OK" if not errors else "FAIL"
    print("%s: %d rows, kinds %s, %d evidence strings and %d must_include entries checked "
          "against %d chars of PDF text, %d errors"
          % (status, len(rows), dict(sorted(kinds.items())), n_ev, n_mi, len(raw), len(errors)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
