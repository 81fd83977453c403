#!/usr/bin/env python3
"""Validate halvard_qa.jsonl against the plain-text copy halvard-2024.txt.

Standard library only. Prints OK when every check passes, otherwise lists the
problems and exits non-zero.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
TXT = os.path.join(HERE, "halvard-2024.txt")
PDF = os.path.join(HERE, "halvard-2024.pdf")
QA = os.path.join(HERE, "halvard_qa.jsonl")

KEYS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
KIND_COUNTS = {
    "fact": 9, "list": 5, "why": 4, "summary": 1, "fact-zh": 1, "list-zh": 1,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}
DESCRIBE_HOW = {"describe", "how"}   # together exactly 2
LIST_KINDS = {"list", "list-zh"}
SEP = " \u203a "

# Strings that must NOT occur in the document, so that each unanswerable
# question really has no answer there (case-insensitive).
FORBIDDEN = {
    # premise: there is no earlier target / no cut to 950p (this is an initiation)
    "R-24": ["950p", "cut our target", "lower our target", "lowered our target",
             "reduced our target", "previous target", "prior target", "downgrade"],
    # premise: no purchase of any company called Optikon (no deals at all)
    "R-25": ["Optikon", "acquired", "acquisition", "purchase price", "bought"],
    # premise: Service & Contracts revenue grew, it did not drop
    "R-26": ["service revenue fell", "Contracts revenue fell", "declined",
             "service revenue dropped", "Contracts revenue decreased",
             "decrease in service", "drop in service", "fall in service"],
    # qualified: only the group gross margin is given, no divisional split
    "R-27": ["Inspection gross margin", "divisional gross margin",
             "gross margin by division", "segment gross margin",
             "gross margins by segment", "Wafer Inspection margin",
             "divisional margin", "Inspection margin"],
    # qualified: only the year-end order book is given, not the half-year one
    "R-28": ["30 June", "June 2024", "H1 order book", "half-year order book",
             "order book at the half", "interim order book", "order book at H1",
             "first-half order book"],
    # absent: no employee numbers
    "R-29": ["employees", "headcount", "employs", "workforce", "staff", "people"],
    # absent: no auditor named
    "R-30": ["audit"],
}

errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def words(s):
    return re.findall(r"[a-z0-9£$%&'./+-]+", s.lower().replace("\u2019", "'"))


# ---------------------------------------------------------------- document --
with open(TXT, encoding="utf-8") as f:
    raw = f.read()
lines = [l for l in raw.split("\n") if l.strip()]
doc = norm(raw)
doc_l = doc.lower()

if not (10000 <= len(raw) <= 12500):
    err(f"text length {len(raw)} outside 10,000-12,500")

H1_RE = re.compile(r"^(\d+)\.\s+\S.*$")
H2_RE = re.compile(r"^(\d+)\.(\d+)\s+\S.*$")
headings = []  # (line_index, level, number_tuple, text)
for i, l in enumerate(lines):
    if len(l) > 80 or "\t" in l:
        continue
    m2 = H2_RE.match(l)
    m1 = H1_RE.match(l)
    if m2:
        headings.append((i, 2, (int(m2.group(1)), int(m2.group(2))), l))
    elif m1:
        headings.append((i, 1, (int(m1.group(1)),), l))

tops = [h for h in headings if h[1] == 1]
subs = [h for h in headings if h[1] == 2]
if len(tops) < 6:
    err(f"only {len(tops)} top-level headings")
if len(subs) < 4:
    err(f"only {len(subs)} sub-headings")
for h in headings:
    name = re.sub(r"^[\d.]+\s+", "", h[3]).strip().lower()
    if name in ("summary", "conclusion"):
        err(f"forbidden heading name: {h[3]}")
# numbering sequential
if [h[2][0] for h in tops] != list(range(1, len(tops) + 1)):
    err("top-level numbering not sequential")
for h in subs:
    parent = [t for t in tops if t[0] < h[0]]
    if not parent or parent[-1][2][0] != h[2][0]:
        err(f"sub-heading {h[3]} not under its parent number")


def section_span(path):
    """Return (start, end) line indices for the section path, or None."""
    parts = path.split(SEP)
    if not parts or len(parts) > 2:
        return None
    top = [h for h in tops if h[3] == parts[0]]
    if len(top) != 1:
        return None
    top = top[0]
    nxt_top = [h for h in tops if h[0] > top[0]]
    top_end = nxt_top[0][0] if nxt_top else len(lines)
    if len(parts) == 1:
        return (top[0] + 1, top_end)
    sub = [h for h in subs if h[3] == parts[1] and top[0] < h[0] < top_end]
    if len(sub) != 1:
        return None
    sub = sub[0]
    nxt = [h for h in headings if h[0] > sub[0]]
    end = min(nxt[0][0] if nxt else len(lines), top_end)
    return (sub[0] + 1, end)


# required structures
kv_keys = ["Broker", "Date", "Rating", "Target price", "Share price"]
first_heading = tops[0][0] if tops else len(lines)
for k in kv_keys:
    if not any(l.startswith(k + "\t") for l in lines[:first_heading]):
        err(f"header block key missing before first heading: {k}")
if not any(re.match(r"^Table \d+:", l) for l in lines):
    err("no table caption")
table_rows = [l for l in lines[first_heading:] if l.count("\t") >= 3]
if len(table_rows) < 8:
    err("table with >= 8 tab-separated rows missing")
bullets = [l for l in lines if re.match(r"^\u2022 [A-Z][^:]{1,40}: \S", l)]
if len(bullets) < 6:
    err("too few 'Label: text' bullets")
colon_list = False
for i, l in enumerate(lines[:-1]):
    if l.endswith(":") and not l.startswith(("\u2022",)) and \
            re.match(r"^(\u2022 |\d+\) )", lines[i + 1]):
        colon_list = True
if not colon_list:
    err("no paragraph ending with ':' followed by a list")
if not any(re.match(r"^\d+\) ", l) for l in lines):
    err("no numbered list")
for pat, what in [(r"£\d[\d,.]*m\b", "£m"), (r"\d%", "%"), (r"\d+bps", "bps"),
                  (r"\d\.?\d*x\b", "x multiple"), (r"\bH[12] 20\d\d", "half"),
                  (r"\bQ[1-4] 20\d\d", "quarter"), (r"\b20\d\d\b", "year"),
                  (r"\b\d{1,2},?\d{3}p\b", "pence price")]:
    if not re.search(pat, raw):
        err(f"no {what} in text")
if not re.search(r"Chief Executive Officer|Chief Financial Officer", raw):
    err("no named people with roles")

# ------------------------------------------------------------------- QA ----
with open(QA, encoding="utf-8") as f:
    qa_lines = [l for l in f.read().split("\n") if l.strip()]
if len(qa_lines) != 30:
    err(f"{len(qa_lines)} QA lines, expected 30")

doc_words = words(doc)
doc_6 = {tuple(doc_words[i:i + 6]) for i in range(len(doc_words) - 5)}

kinds = Counter()
openings = Counter()
for n, ql in enumerate(qa_lines, 1):
    try:
        q = json.loads(ql)
    except Exception as e:  # noqa
        err(f"line {n}: bad JSON {e}")
        continue
    qid = q.get("id", f"line{n}")
    if list(q.keys()) != KEYS:
        err(f"{qid}: keys/order {list(q.keys())}")
        continue
    if q["id"] != f"R-{n:02d}":
        err(f"line {n}: id {q['id']} expected R-{n:02d}")
    kind = q["kind"]
    kinds[kind] += 1
    question = q["question"]
    if not isinstance(question, str) or not question.strip():
        err(f"{qid}: empty question")
    toks = question.split()
    if len(toks) >= 2:
        openings[" ".join(toks[:2]).lower()] += 1

    if kind.startswith("unanswerable"):
        if q["answerable"] is not False or q["must_include"] or q["evidence"] or q["section"] != "":
            err(f"{qid}: unanswerable question must have answerable=false and empty fields")
        forb = FORBIDDEN.get(qid)
        if not forb:
            err(f"{qid}: no FORBIDDEN list")
        else:
            for s in forb:
                if s.lower() in doc_l:
                    err(f"{qid}: forbidden string present in document: {s!r}")
        continue

    if q["answerable"] is not True:
        err(f"{qid}: answerable must be true")
    mi, ev, secpath = q["must_include"], q["evidence"], q["section"]
    if not (isinstance(mi, list) and mi and all(isinstance(g, list) and g and
                                                all(isinstance(v, str) and v for v in g) for g in mi)):
        err(f"{qid}: malformed must_include")
        continue
    if not (isinstance(ev, list) and ev and all(isinstance(e, str) and e for e in ev)):
        err(f"{qid}: malformed evidence")
        continue
    for e in ev:
        if norm(e) not in doc:
            err(f"{qid}: evidence not verbatim in text: {e[:60]!r}")
    ev_all = norm(" ".join(ev)).lower()
    for g in mi:
        if not any(v.lower() in ev_all for v in g):
            err(f"{qid}: group {g} not in evidence")
        if not any(v.lower() in doc_l for v in g):
            err(f"{qid}: group {g} not in document")
    span = section_span(secpath)
    if span is None:
        err(f"{qid}: section path does not name real headings in order: {secpath!r}")
    else:
        sec_lines = [norm(l) for l in lines[span[0]:span[1]]]
        for e in ev:
            if not any(norm(e) in l for l in sec_lines):
                err(f"{qid}: evidence not under section {secpath!r}: {e[:50]!r}")
    if kind in LIST_KINDS:
        if not (3 <= len(mi) <= 5):
            err(f"{qid}: list must have 3-5 items, has {len(mi)}")
        if len(ev) != len(mi):
            err(f"{qid}: list has {len(mi)} items but {len(ev)} evidence strings")
        else:
            for g, e in zip(mi, ev):
                if not any(v.lower() in e.lower() for v in g):
                    err(f"{qid}: item {g} not in its evidence string")
    if kind == "fact":
        qw = words(question)
        for i in range(len(qw) - 5):
            if tuple(qw[i:i + 6]) in doc_6:
                err(f"{qid}: fact question copies 6-word run: {' '.join(qw[i:i+6])}")
    if kind.endswith("-zh"):
        if not re.search(r"[\u4e00-\u9fff]", question):
            err(f"{qid}: Chinese question has no Han characters")
    else:
        if re.search(r"[\u4e00-\u9fff]", question):
            err(f"{qid}: non-zh question contains Han characters")

for k, c in KIND_COUNTS.items():
    if kinds[k] != c:
        err(f"kind {k}: {kinds[k]} expected {c}")
if sum(kinds[k] for k in DESCRIBE_HOW) != 2:
    err("describe+how must total 2")
extra = set(kinds) - set(KIND_COUNTS) - DESCRIBE_HOW
if extra:
    err(f"unknown kinds {extra}")
for op, c in openings.items():
    if c > 4:
        err(f"opening {op!r} used {c} times (>4)")

# ------------------------------------------------------------------ PDF ----
pdf_note = ""
if not os.path.exists(PDF):
    err("PDF missing")
elif shutil.which("pdftotext"):
    out = subprocess.run(["pdftotext", "-layout", PDF, "-"], capture_output=True, text=True).stdout
    if "Halvard" not in out or len(out) < 8000:
        err("pdftotext: PDF text missing or short")
    pdf_note = f"pdftotext: {len(out)} chars"
else:
    data = open(PDF, "rb").read()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    text_ops = 0
    for m in re.finditer(rb"stream\r?\n(.*?)\s*endstream", data, re.S):
        chunk = m.group(1)
        try:
            chunk = zlib.decompress(chunk)
        except Exception:
            try:
                import base64
                a85 = chunk.strip()
                if a85.startswith(b"<~"):
                    a85 = a85[2:]
                if a85.endswith(b"~>"):
                    a85 = a85[:-2]
                chunk = zlib.decompress(base64.a85decode(a85))
            except Exception:
                pass
        text_ops += len(re.findall(rb"\)\s*Tj", chunk))
    if pages < 3:
        err(f"PDF has only {pages} pages")
    if text_ops < 200:
        err(f"PDF has too few text operators ({text_ops})")
    pdf_note = f"pdftotext not available; raw check: {pages} pages, {text_ops} text-show ops"

if errors:
    for e in errors:
        print("FAIL:", e)
    sys.exit(1)
print(f"text: {len(raw)} chars, {len(lines)} lines, {len(tops)} sections, {len(subs)} sub-sections")
print(pdf_note)
print("OK")
