# -*- coding: utf-8 -*-
"""Validate hailan_qa.jsonl against hailan-2024.txt."""
import collections
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
TXT = os.path.join(HERE, "hailan-2024.txt")
QA = os.path.join(HERE, "hailan_qa.jsonl")

EXPECTED_KINDS = {"fact": 9, "list": 5, "why": 4, "how": 2, "summary": 1, "unanswerable": 7}
EN_KINDS = {"fact-en", "list-en"}
FIELDS = {"id", "question", "kind", "must_include", "answerable", "evidence", "section"}


def nows(s):
    return re.sub(r"\s+", "", s)


def norm(s):
    return nows(unicodedata.normalize("NFKC", s)).lower()


def main():
    errors = []
    with open(TXT, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    text_nows = nows("".join(lines))
    text_norm = norm("".join(lines))
    prose_lines = [nows(l) for l in lines if " | " not in l]   # table rows excluded
    headings = {l.strip() for l in lines}

    with open(QA, encoding="utf-8") as f:
        raw = [l for l in f.read().splitlines() if l.strip()]
    if len(raw) != 30:
        errors.append(f"expected 30 lines, got {len(raw)}")
    items = []
    for i, l in enumerate(raw, 1):
        try:
            items.append(json.loads(l))
        except json.JSONDecodeError as e:
            errors.append(f"line {i}: bad JSON: {e}")

    ids = [x.get("id") for x in items]
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    if ids != [f"H-{i:02d}" for i in range(1, 31)]:
        errors.append(f"ids not H-01..H-30 in order: {ids}")

    kinds = collections.Counter(x.get("kind") for x in items)
    for item in items:
        qid = item.get("id")
        if set(item) != FIELDS:
            errors.append(f"{qid}: fields {sorted(item)}")
        if item["answerable"]:
            if item["kind"] == "unanswerable":
                errors.append(f"{qid}: unanswerable kind but answerable=true")
            if not item["must_include"] or not item["evidence"] or not item["section"]:
                errors.append(f"{qid}: answerable item missing must_include/evidence/section")
            for ev in item["evidence"]:
                e = nows(ev)
                if len(e) < 12:
                    errors.append(f"{qid}: evidence too short: {ev}")
                if e not in text_nows:
                    errors.append(f"{qid}: evidence not in text: {ev}")
                elif not any(e in pl for pl in prose_lines):
                    errors.append(f"{qid}: evidence not inside a single prose paragraph: {ev}")
            for el in item["must_include"]:
                variants = el if isinstance(el, list) else [el]
                if not variants or not all(isinstance(v, str) for v in variants):
                    errors.append(f"{qid}: bad must_include element {el!r}")
                    continue
                if not any(norm(v) in text_norm for v in variants):
                    errors.append(f"{qid}: must_include {el!r} not in text")
            for part in item["section"].split(" › "):
                if part not in headings:
                    errors.append(f"{qid}: section part not a heading: {part}")
        else:
            if item["kind"] != "unanswerable":
                errors.append(f"{qid}: answerable=false but kind={item['kind']}")
            if item["must_include"] != [] or item["evidence"] != [] or item["section"] != "":
                errors.append(f"{qid}: unanswerable item must have empty must_include/evidence/section")

    for k, n in EXPECTED_KINDS.items():
        if kinds.get(k, 0) != n:
            errors.append(f"kind {k}: expected {n}, got {kinds.get(k, 0)}")
    if sum(kinds.get(k, 0) for k in EN_KINDS) != 2:
        errors.append("expected 2 English questions (fact-en/list-en)")

    print("kinds:", dict(kinds))
    if errors:
        print("FAIL")
        for e in errors:
            print(" -", e)
        sys.exit(1)
    print(f"PASS: {len(items)} questions, all evidence and must_include checks OK")


if __name__ == "__main__":
    main()
