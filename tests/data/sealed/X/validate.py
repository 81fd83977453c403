#!/usr/bin/env python3
"""Validate yinghe_qa.jsonl against yinghe-cinema-2024.md (set X)."""
import json, re, sys, unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "yinghe-cinema-2024.md"
QA = HERE / "yinghe_qa.jsonl"
FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
KINDS = {"fact": 9, "list": 5, "why": 4, "describe": 1, "how": 1, "summary": 1,
         "fact-en": 1, "list-en": 1,
         "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2}

def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))

def headings(text):
    """Set of valid section paths (headings joined with ' › ', document levels only)."""
    paths, stack = set(), []
    for line in text.splitlines():
        m = re.match(r"^(#{1,6})\s+(.*\S)\s*$", line)
        if m:
            lvl = len(m.group(1))
            stack = [h for h in stack if h[0] < lvl] + [(lvl, m.group(2))]
            paths.add(" › ".join(h for _, h in stack))
    return paths

def main():
    errors = []
    text = REPORT.read_text(encoding="utf-8")
    ntext = norm(text)
    paths = headings(text)
    lines = [l for l in QA.read_text(encoding="utf-8").splitlines() if l.strip()]
    if len(lines) != 30:
        errors.append(f"expected 30 rows, got {len(lines)}")
    rows = []
    for i, line in enumerate(lines, 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            errors.append(f"line {i}: bad JSON: {e}")
    ids = [r.get("id") for r in rows]
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    expected_ids = [f"X-{i:02d}" for i in range(1, 31)]
    if sorted(ids) != expected_ids:
        errors.append("ids are not exactly X-01..X-30")
    kc = Counter(r.get("kind") for r in rows)
    if dict(kc) != KINDS:
        errors.append(f"kind counts {dict(kc)} != {KINDS}")
    for r in rows:
        rid = r.get("id")
        if list(r.keys()) != FIELDS:
            errors.append(f"{rid}: field order {list(r.keys())}")
            continue
        if not isinstance(r["question"], str) or not r["question"].strip():
            errors.append(f"{rid}: empty question")
        unans = r["kind"].startswith("unanswerable")
        if r["answerable"] is unans or not isinstance(r["answerable"], bool):
            errors.append(f"{rid}: answerable={r['answerable']} inconsistent with kind {r['kind']}")
        if unans:
            if r["must_include"] or r["evidence"] or r["section"] != "":
                errors.append(f"{rid}: unanswerable row must have empty must_include/evidence/section")
            continue
        if not r["must_include"]:
            errors.append(f"{rid}: empty must_include")
        if not r["evidence"]:
            errors.append(f"{rid}: empty evidence")
        for ev in r["evidence"]:
            if not isinstance(ev, str) or ev not in text:
                errors.append(f"{rid}: evidence not verbatim in report: {ev!r}")
        for ent in r["must_include"]:
            alts = ent if isinstance(ent, list) else [ent]
            if not alts or not all(isinstance(a, str) and a for a in alts):
                errors.append(f"{rid}: bad must_include entry {ent!r}")
                continue
            if not any(norm(a) in ntext for a in alts):
                errors.append(f"{rid}: must_include entry not in report: {ent!r}")
        if r["section"] not in paths:
            errors.append(f"{rid}: section path not found among headings: {r['section']!r}")
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    status = "OK" if not errors else f"FAIL ({len(errors)} errors)"
    for e in errors:
        print("ERROR:", e)
    print(f"{status}: {len(rows)} rows, kinds={dict(sorted(kc.items()))}, report {len(text)} chars / {cjk} CJK")
    sys.exit(1 if errors else 0)

if __name__ == "__main__":
    main()
