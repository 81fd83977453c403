"""Check the QA file against the report: evidence is verbatim, must_include occurs after normalisation."""
import json, sys, unicodedata, re
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "brightwater-2024.txt"
QA = HERE / "brightwater-2024_qa.jsonl"
FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]

def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).lower())

def main():
    text = REPORT.read_text(encoding="utf-8")
    ntext = norm(text)
    errors, kinds = [], Counter()
    rows = [json.loads(l) for l in QA.read_text(encoding="utf-8").splitlines() if l.strip()]
    for r in rows:
        rid = r.get("id")
        if list(r.keys()) != FIELDS:
            errors.append(f"{rid}: fields {list(r.keys())}")
        kinds[r["kind"]] += 1
        if not r["answerable"]:
            if r["must_include"] or r["evidence"]:
                errors.append(f"{rid}: unanswerable must have empty must_include/evidence")
            continue
        if not r["must_include"] or not r["evidence"]:
            errors.append(f"{rid}: answerable needs must_include and evidence")
        for ev in r["evidence"]:
            if ev not in text:
                errors.append(f"{rid}: evidence not verbatim: {ev!r}")
        for m in r["must_include"]:
            variants = [m] if isinstance(m, str) else m
            if not any(norm(v) in ntext for v in variants):
                errors.append(f"{rid}: must_include not found: {m!r}")
    print(f"{len(rows)} rows, report {len(text)} chars, kinds {dict(kinds)}")
    if len(rows) != 30:
        errors.append(f"expected 30 rows, got {len(rows)}")
    if len({r['id'] for r in rows}) != len(rows):
        errors.append("duplicate ids")
    for e in errors:
        print("ERROR", e)
    print("FAIL" if errors else "PASS")
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main())
