# -*- coding: utf-8 -*-
"""Validate xinglan-2024.txt / xinglan-2024.pdf against xinglan_qa.jsonl.

Standard library only (pypdf is used for the PDF check if it is importable).
Exit code 0 when all checks pass, 1 otherwise.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
TXT = os.path.join(HERE, "xinglan-2024.txt")
PDF = os.path.join(HERE, "xinglan-2024.pdf")
QA = os.path.join(HERE, "xinglan_qa.jsonl")

EXPECTED_KINDS = {
    "fact": 9, "list": 5, "why": 4, "describe": 1, "how": 1, "summary": 1,
    "fact-en": 1, "list-en": 1,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}

# Strings that would answer (or confirm the premise of) each unanswerable question.
# None of them may occur in the document.
FORBIDDEN = {
    # premise: 《山海行纪》 revenue actually fell 2.2% in 2024
    "T-05": ["山海行纪》收入大幅增长", "山海行纪》2024年收入大幅增长",
             "山海行纪》收入同比大幅增长", "山海行纪》收入快速增长", "收入大幅增长"],
    # qualified: only product total / overseas total, never North-America revenue
    "T-10": ["北美市场收入", "北美收入", "北美地区收入", "北美市场贡献",
             "北美市场实现收入", "北美市场的收入"],
    # absent: valuation is PE-only, no DCF / WACC
    "T-15": ["WACC", "DCF", "折现率", "现金流折现", "绝对估值", "资本成本"],
    # premise: first coverage with a Buy rating, no downgrade
    "T-19": ["下调评级", "评级下调", "下调至", "调低评级", "由“买入”", "维持“买入”",
             "下调为", "调降"],
    # qualified: annual figures and Q4 revenue only, no Q3 net profit
    "T-23": ["2024年第三季度", "第三季度单季", "三季度单季", "24Q3", "2024Q3",
             "前三季度", "三季度归母", "三季度净利润"],
    # absent: customer concentration is never given
    "T-29": ["前五大", "前五名", "第一大客户", "客户集中度", "大客户"],
    # premise: 《代号：归墟》 has not launched yet (planned for 2025Q3)
    "T-27": ["归墟》上线首月", "归墟》首月流水", "归墟》已上线", "归墟》于2024年上线",
             "归墟》2024年上线", "首月流水"],
}

UNNUMBERED_H1 = {"投资要点", "分析师声明", "投资评级说明", "免责声明"}
RE_H1 = re.compile(r"^\d+\.\s+\S")
RE_H2 = re.compile(r"^\d+\.\d+\s+\S")
HEADER_PREFIX = "华泓证券｜证券研究报告"
FOOTER_PREFIX = "请务必阅读正文之后的信息披露和免责声明"

errors = []
warnings = []


def norm(s):
    s = unicodedata.normalize("NFKC", s).lower()
    return re.sub(r"\s+", "", s)


def variants(elem):
    return elem if isinstance(elem, list) else [elem]


def cjk_count(s):
    return len(re.findall(r"[\u4e00-\u9fff]", s))


# --------------------------------------------------------------------- load
with open(TXT, encoding="utf-8") as f:
    raw = f.read()
lines = [ln.strip() for ln in raw.split("\n")]
with open(QA, encoding="utf-8") as f:
    qa = [json.loads(ln) for ln in f if ln.strip()]

# --------------------------------------------------------- headings / paths
# Build the normalised body text together with the heading path valid at
# each character position.
headings = set()
segments = []  # (start, end, path)
body_norm = []
pos = 0
path = []
body_cjk = 0
for ln in lines:
    if not ln or ln == "\f" or ln.startswith(HEADER_PREFIX) or ln.startswith(FOOTER_PREFIX):
        continue
    body_cjk += cjk_count(ln)
    if ln in UNNUMBERED_H1 or RE_H1.match(ln):
        path = [ln]
        headings.add(ln)
    elif RE_H2.match(ln):
        path = path[:1] + [ln]
        headings.add(ln)
    n = norm(ln)
    segments.append((pos, pos + len(n), " › ".join(path)))
    body_norm.append(n)
    pos += len(n)
BODY = "".join(body_norm)
FULL = norm(raw)


def paths_at(text, needle):
    out = set()
    start = 0
    while True:
        i = text.find(needle, start)
        if i < 0:
            return out
        for s, e, p in segments:
            if s <= i < e:
                out.add(p)
                break
        start = i + 1


# ---------------------------------------------------------------- PDF text
PDF_TEXT = None
PDF_LINES = None
try:
    import pypdf  # noqa: F401
    from pypdf import PdfReader
    reader = PdfReader(PDF)
    pages = [pg.extract_text() or "" for pg in reader.pages]
    PDF_TEXT = norm("\n".join(pages))
    PDF_LINES = [norm(l) for pg in pages for l in pg.split("\n")]
    PDF_PAGES = [norm(pg) for pg in pages]
except ImportError:
    warnings.append("pypdf not importable: PDF text not checked")

# ------------------------------------------------------------------ checks
kinds = Counter(q["kind"] for q in qa)
if len(qa) != 30:
    errors.append("expected 30 questions, got %d" % len(qa))
if dict(kinds) != EXPECTED_KINDS:
    errors.append("kind counts %s != %s" % (dict(kinds), EXPECTED_KINDS))
ids = [q["id"] for q in qa]
if ids != ["T-%02d" % i for i in range(1, 31)]:
    errors.append("ids are not T-01..T-30 in order")

FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
wrap_warn = 0
n_evidence = 0
for q in qa:
    qid = q["id"]
    if sorted(q.keys()) != sorted(FIELDS):
        errors.append("%s: fields %s" % (qid, sorted(q.keys())))
    unans = q["kind"].startswith("unanswerable")
    if unans:
        if q["answerable"] is not False or q["must_include"] or q["evidence"] or q["section"] != "":
            errors.append("%s: unanswerable must have answerable=false, empty must_include/evidence/section" % qid)
        forb = FORBIDDEN.get(qid)
        if not forb:
            errors.append("%s: no forbidden-string list" % qid)
            continue
        for fs in forb:
            if norm(fs) in FULL:
                errors.append("%s: forbidden string occurs in txt: %s" % (qid, fs))
            if PDF_TEXT is not None and norm(fs) in PDF_TEXT:
                errors.append("%s: forbidden string occurs in pdf: %s" % (qid, fs))
        continue

    if q["answerable"] is not True:
        errors.append("%s: answerable should be true" % qid)
    if not q["must_include"] or not q["evidence"] or not q["section"]:
        errors.append("%s: empty must_include/evidence/section" % qid)
    # must_include
    for elem in q["must_include"]:
        vs = variants(elem)
        if not any(norm(v) in FULL for v in vs):
            errors.append("%s: must_include not in txt: %s" % (qid, vs))
        if PDF_TEXT is not None and not any(norm(v) in PDF_TEXT for v in vs):
            errors.append("%s: must_include not in pdf: %s" % (qid, vs))
    # section headings
    parts = q["section"].split(" › ")
    for h in parts:
        if h not in headings:
            errors.append("%s: section heading not found: %s" % (qid, h))
    # evidence
    for ev in q["evidence"]:
        n_evidence += 1
        ne = norm(ev)
        if ne not in BODY:
            errors.append("%s: evidence not in txt body: %s" % (qid, ev))
            continue
        ps = paths_at(BODY, ne)
        if q["section"] not in ps:
            errors.append("%s: evidence '%s' lies under %s, not %s" % (qid, ev, ps, q["section"]))
        if PDF_TEXT is not None:
            if ne not in PDF_TEXT:
                errors.append("%s: evidence not in pdf text: %s" % (qid, ev))
            elif not any(ne in pg for pg in PDF_PAGES):
                errors.append("%s: evidence spans a page break: %s" % (qid, ev))
            elif not any(ne in l for l in PDF_LINES):
                wrap_warn += 1
                warnings.append("%s: evidence wraps over a PDF line break: %s" % (qid, ev))

# sanity: must_include of answerable questions should not be empty strings
for q in qa:
    for elem in q["must_include"]:
        for v in variants(elem):
            if not v.strip():
                errors.append("%s: empty must_include variant" % q["id"])

total_cjk = cjk_count(raw)
print("questions: %d  kinds: %s" % (len(qa), dict(sorted(kinds.items()))))
print("headings found: %d" % len(headings))
print("Chinese characters: %d in body (%d incl. running headers/footers)" % (body_cjk, total_cjk))
if not (7000 <= body_cjk <= 9000):
    errors.append("body Chinese character count %d outside 7000-9000" % body_cjk)
if PDF_TEXT is not None:
    print("PDF text extracted with pypdf: %d pages" % len(PDF_PAGES))
print("evidence clauses: %d, of which wrap over a PDF line: %d" % (n_evidence, wrap_warn))
for w in warnings:
    print("WARNING:", w)
for e in errors:
    print("ERROR:", e)
print("RESULT:", "PASS" if not errors else "FAIL (%d errors)" % len(errors))
sys.exit(1 if errors else 0)
