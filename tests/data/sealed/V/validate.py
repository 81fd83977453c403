# -*- coding: utf-8 -*-
"""Check liyan_qa.jsonl against liyan-2024.docx."""
import json, os, sys, unicodedata, re
from collections import Counter
import docx

HERE = os.path.dirname(os.path.abspath(__file__))
DOCX = os.path.join(HERE, "liyan-2024.docx")
QA = os.path.join(HERE, "liyan_qa.jsonl")


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).lower())


def units(path):
    d = docx.Document(path)
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            for c in r.cells:
                out.append(c.text)
    return [u for u in out if u.strip()]


def main():
    us = units(DOCX)
    full = norm("\n".join(us))
    errs = []
    kinds = Counter()
    ids = set()
    fields = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
    rows = [json.loads(l) for l in open(QA, encoding="utf-8") if l.strip()]
    for q in rows:
        if list(q) != fields:
            errs.append(f"{q.get('id')}: fields {list(q)}")
        if q["id"] in ids:
            errs.append(f"duplicate id {q['id']}")
        ids.add(q["id"])
        k = q["kind"]
        kinds[k] += 1
        if k.startswith("unanswerable"):
            if q["answerable"] or q["must_include"] or q["evidence"]:
                errs.append(f"{q['id']}: unanswerable must have answerable false and empty lists")
            continue
        if not q["answerable"] or not q["must_include"] or not q["evidence"] or not q["section"]:
            errs.append(f"{q['id']}: answerable item incomplete")
        for ev in q["evidence"]:
            if not any(ev in u for u in us):
                errs.append(f"{q['id']}: evidence not verbatim: {ev}")
        for m in q["must_include"]:
            vs = [m] if isinstance(m, str) else m
            if not any(norm(v) in full for v in vs):
                errs.append(f"{q['id']}: must_include not found: {m}")
    print("items:", len(rows), dict(kinds))
    han = len(re.findall(r"[\u4e00-\u9fff]", "".join(us)))
    print("characters:", len("".join(us)), "han:", han)
    if len(rows) != 30:
        errs.append("expected 30 items")
    for e in errs:
        print("ERROR", e)
    print("PASS" if not errs else f"FAIL ({len(errs)})")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
