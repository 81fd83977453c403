# -*- coding: utf-8 -*-
"""Check muxi_qa.jsonl against the plain-text copy muxi-2024.txt and the PDF muxi-2024.pdf.

    python3 tests/data/sealed/N/validate.py

Exits non-zero and lists the problems if any check fails.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
QA = HERE / "muxi_qa.jsonl"
TXT = HERE / "muxi-2024.txt"
PDF = HERE / "muxi-2024.pdf"

FIELDS = {"id", "question", "kind", "must_include", "answerable", "evidence", "section"}
KIND_COUNTS = {
    "fact": 9, "list": 5, "why": 4, "summary": 1, "fact-en": 1, "list-en": 1,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}
DESCRIBE_KINDS = {"describe", "how"}  # 2 in all, either kind

# What makes each unanswerable question unanswerable. A string must not occur anywhere in the
# report; a tuple of strings must not occur together in any one sentence (split at 。 and lines).
ABSENT = {
    "N-24": ["关闭", "关掉", "关店", ("海外", "闭店"), ("东南亚", "闭店"), ("海外", "撤出")],
    "N-25": ["召回", "下架"],
    "N-26": ["下滑", "净利润下降", "净利润同比下降", "利润减少", ("归母净利润", "下降")],
    "N-27": [("华东", "GMV"), ("华东", "单店日均")],
    "N-28": [("海外", "毛利")],
    "N-29": ["董事长", "创始人", "实际控制人", "董事会"],
    "N-30": ["审计", "会计师", "事务所"],
}

H1 = re.compile(r"^[一二三四五六七八九十]+、\S")
H2 = re.compile(r"^（[一二三四五六七八九十]+）\S")
H3 = re.compile(r"^\d+\. \S")


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).lower())


def pdf_text(path):
    try:
        from pdfminer.high_level import extract_text
        return extract_text(str(path)), "pdfminer"
    except ImportError:
        pass
    try:
        import pypdf
        return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages), "pypdf"
    except ImportError:
        return None, None


def main():
    errors = []
    err = errors.append
    raw = TXT.read_text(encoding="utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip()]
    text_c = collapse(raw)
    text_n = norm(raw)
    headings = [ln for ln in lines if H1.match(ln) or H2.match(ln) or H3.match(ln)]
    h1s = [ln for ln in headings if H1.match(ln)]
    sentences = [s for ln in lines for s in ln.split("。") if s.strip()]

    # --- the plain-text copy itself -------------------------------------------------------
    if len(h1s) < 8:
        err("too few 一、 headings in the txt copy: %d" % len(h1s))
    if not any(H2.match(ln) for ln in lines):
        err("no （一） headings in the txt copy")
    if not any(H3.match(ln) for ln in lines):
        err("no 1. numbered sub-points in the txt copy")
    if re.search(r"第 ?\d+ ?页", raw):
        err("page-number footer found in the txt copy")
    if "鼎衡证券研究所｜" in raw:
        err("running header found in the txt copy")
    if "总结" in raw:
        err("the report must not have a section or paragraph called 总结")
    if not any(ln.startswith("核心观点：") for ln in lines[:4]):
        err("no 核心观点 paragraph near the top")
    if not any("\t" in ln for ln in lines):
        err("no table rows in the txt copy")
    cjk = len(re.findall(r"[\u4e00-\u9fff]", raw))
    if not 5800 <= cjk <= 7200:
        err("report length out of range: %d Chinese characters" % cjk)

    # --- questions ------------------------------------------------------------------------
    rows = [ln for ln in QA.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if len(rows) != 30:
        err("expected 30 lines, got %d" % len(rows))
    qs = []
    for i, ln in enumerate(rows, 1):
        try:
            qs.append(json.loads(ln))
        except json.JSONDecodeError as e:
            err("line %d: bad JSON: %s" % (i, e))
    kinds = Counter(q.get("kind") for q in qs)
    for k, n in KIND_COUNTS.items():
        if kinds.get(k, 0) != n:
            err("kind %s: expected %d, got %d" % (k, n, kinds.get(k, 0)))
    if sum(kinds.get(k, 0) for k in DESCRIBE_KINDS) != 2:
        err("expected 2 describe/how questions")
    unknown = set(kinds) - set(KIND_COUNTS) - DESCRIBE_KINDS
    if unknown:
        err("unknown kinds: %s" % sorted(unknown))

    for i, q in enumerate(qs, 1):
        qid = "N-%02d" % i
        if set(q) != FIELDS:
            err("%s: fields %s" % (qid, sorted(set(q) ^ FIELDS)))
            continue
        if q["id"] != qid:
            err("%s: id is %r" % (qid, q["id"]))
        if not isinstance(q["question"], str) or not q["question"].strip():
            err("%s: empty question" % qid)
        kind, ans = q["kind"], q["answerable"]
        if not isinstance(ans, bool) or ans != (not kind.startswith("unanswerable")):
            err("%s: answerable=%r does not fit kind %s" % (qid, ans, kind))
        if kind.endswith("-en") and re.search(r"[\u4e00-\u9fff]", q["question"]):
            err("%s: English question contains Chinese" % qid)
        if not kind.endswith("-en") and not re.search(r"[\u4e00-\u9fff]", q["question"]):
            err("%s: Chinese question expected" % qid)
        if not ans:
            if q["evidence"] != []:
                err("%s: unanswerable question with evidence" % qid)
            if q["section"] != "":
                err("%s: unanswerable question with a section" % qid)
            if q["must_include"] != []:
                err("%s: unanswerable question with must_include" % qid)
            if qid not in ABSENT:
                err("%s: no absent words listed" % qid)
            continue
        # answerable
        if not q["evidence"]:
            err("%s: no evidence" % qid)
        for ev in q["evidence"]:
            if collapse(ev) not in text_c:
                err("%s: evidence not verbatim in txt: %s" % (qid, ev))
        if not q["must_include"]:
            err("%s: empty must_include" % qid)
        for el in q["must_include"]:
            variants = [el] if isinstance(el, str) else el
            if not variants or not any(norm(v) in text_n for v in variants):
                err("%s: must_include %r not in txt" % (qid, el))
        if kind == "list":
            if not 3 <= len(q["must_include"]) <= 5:
                err("%s: list with %d items" % (qid, len(q["must_include"])))
            if len(q["evidence"]) != len(q["must_include"]):
                err("%s: list needs one evidence clause per item" % qid)
        parts = q["section"].split(" › ")
        if not parts or parts[0] not in h1s:
            err("%s: section does not start with a 一、 heading: %r" % (qid, q["section"]))
        for p in parts:
            if p not in headings:
                err("%s: section component is not a heading: %r" % (qid, p))
        # evidence should lie under the stated section: find the section's span of lines
        start = lines.index(parts[-1]) if parts[-1] in lines else None
        if start is not None:
            lvl = 1 if H1.match(parts[-1]) else 2 if H2.match(parts[-1]) else 3
            end = len(lines)
            for j in range(start + 1, len(lines)):
                l2 = lines[j]
                l2lvl = 1 if H1.match(l2) else 2 if H2.match(l2) else 3 if H3.match(l2) else 9
                if l2lvl <= lvl:
                    end = j
                    break
            span = collapse("\n".join(lines[start:end]))
            if not any(collapse(ev) in span for ev in q["evidence"]):
                err("%s: no evidence under section %r" % (qid, q["section"]))

    # --- unanswerable: the words that make them so are absent -------------------------------
    for qid, items in ABSENT.items():
        for it in items:
            if isinstance(it, str):
                if norm(it) in text_n:
                    err("%s: %r occurs in the report" % (qid, it))
            else:
                for s in sentences:
                    if all(w in s for w in it):
                        err("%s: %r occur together in: %s" % (qid, it, s))

    # --- the PDF ------------------------------------------------------------------------------
    ptxt, tool = pdf_text(PDF)
    if ptxt is None:
        print("note: neither pdfminer nor pypdf is installed; PDF text check skipped")
    else:
        pn = norm(ptxt)
        for h in headings + [lines[0]]:
            if norm(h) not in pn:
                err("heading not in PDF text (%s): %s" % (tool, h))
        if not re.search(r"第\s*\d+\s*页", ptxt):
            err("no page-number footer in the PDF")
        for probe in ("•加盟商经营风险", "·等级权益"):
            if norm(probe) not in pn:
                err("bullet not extracted from PDF (%s): %s" % (tool, probe))

    if errors:
        print("FAIL: %d problem(s)" % len(errors))
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("OK: 30 questions, kinds %s; report %d Chinese characters, %d headings; PDF checked with %s"
          % (dict(sorted(kinds.items())), cjk, len(headings), tool or "nothing"))


if __name__ == "__main__":
    main()
