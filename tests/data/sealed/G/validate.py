#!/usr/bin/env python3
"""Validate the sealed test set G (Aldermoor Water Technologies annual review)."""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "aldermoor-water-2024.md"
QA = HERE / "aldermoor_qa.jsonl"
FIELDS = {"id", "question", "kind", "must_include", "answerable", "evidence", "section"}


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).casefold()


def main():
    report = REPORT.read_text(encoding="utf-8")
    report_c = collapse(report)
    report_n = norm(report)
    headings = [collapse(re.sub(r"^#+\s*", "", l)) for l in report.splitlines() if l.startswith("## ") or l.startswith("### ")]
    errors = []
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
    expected_ids = [f"G-{i:02d}" for i in range(1, 31)]
    if sorted(ids) != expected_ids:
        errors.append("ids are not exactly G-01..G-30")
    for q in items:
        qid = q.get("id")
        missing = FIELDS - set(q)
        if missing:
            errors.append(f"{qid}: missing fields {sorted(missing)}")
            continue
        ev = q["evidence"]
        for e in ev:
            if len(e) < 20:
                errors.append(f"{qid}: evidence shorter than 20 chars: {e!r}")
            if collapse(e) not in report_c:
                errors.append(f"{qid}: evidence not found in report: {e!r}")
        if q["answerable"]:
            if not q["must_include"] or not ev or not q["section"]:
                errors.append(f"{qid}: answerable question lacks must_include/evidence/section")
            ev_n = norm(" ".join(ev))
            for el in q["must_include"]:
                variants = [el] if isinstance(el, str) else el
                if not any(norm(v) in report_n or norm(v) in ev_n for v in variants):
                    errors.append(f"{qid}: must_include element not found: {variants!r}")
            for part in q["section"].split(" > "):
                if part not in headings:
                    errors.append(f"{qid}: section part not a heading: {part!r}")
        else:
            if q["must_include"] or ev or q["section"] != "" or q["kind"] != "unanswerable":
                errors.append(f"{qid}: unanswerable question must have empty must_include/evidence/section")
    # sanity: facts asked by the 'absent' unanswerables really are absent
    for word in ("audit", "aged ", " age ", "years old"):
        if word in report.lower():
            errors.append(f"report unexpectedly contains {word!r}")
    kinds = Counter(q.get("kind") for q in items)
    print("questions by kind:", dict(sorted(kinds.items())))
    print("report characters:", len(report))
    if errors:
        print("FAIL")
        for e in errors:
            print(" -", e)
        return 1
    print("PASS: all checks succeeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
