#!/usr/bin/env python3
"""Validate fenwick_qa.jsonl against fenwick-2024.md. Exit code 0 when all checks pass."""
import json, re, sys, unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "fenwick-2024.md"
QA = HERE / "fenwick_qa.jsonl"

EXPECTED_KINDS = {
    "fact": 9, "list": 5, "why": 4, "summary": 1, "fact-zh": 1, "list-zh": 1,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}
DESCRIBE_HOW = 2  # "describe" + "how" together
FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]

# Words that make the unanswerable questions unanswerable: they must not occur in the report.
ABSENT = {
    "M-05": ["exit", "exiting", "exits", "withdraw"],      # premise: exiting pet insurance
    "M-06": ["Scotland", "Scottish"],                      # qualified: premium written in Scotland
    "M-12": ["CEO", "chief executive"],                    # absent: name of the CEO
    "M-16": ["Lloyd's", "Lloyd", "syndicate"],             # premise: Lloyd's syndicate losses
    "M-19": ["audit", "audits", "auditor", "auditors", "audited"],  # absent: auditor
    "M-24": ["Q4", "quarter", "fourth"],                   # qualified: Q4 motor loss ratio
    "M-28": ["cut"],                                       # premise: dividend cut (it was raised)
}

errors = []
def err(msg):
    errors.append(msg)

def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).casefold())

def collapse(s):
    return re.sub(r"\s+", " ", s).strip()

text = REPORT.read_text(encoding="utf-8")
text_norm = norm(text)
text_ws = collapse(text)

# --- report shape ---------------------------------------------------------
n = len(text)
if not 10000 <= n <= 12500:
    err(f"report length {n} outside 10,000-12,500 characters")
headings = []  # (level, title)
for line in text.splitlines():
    m = re.match(r"^(#{1,6})\s+(.+?)\s*$", line)
    if m:
        headings.append((len(m.group(1)), m.group(2)))
if sum(1 for l, _ in headings if l == 1) != 1:
    err("report must have exactly one '#' title")
for l, t in headings:
    if re.match(r"^\d+(\.\d+)*[.)]?\s", t):
        err(f"numbered heading: {t}")
titles = {t for _, t in headings}
# path map: every heading's parent chain
paths = set()
stack = {}
for l, t in headings:
    stack[l] = t
    for k in list(stack):
        if k > l:
            del stack[k]
    chain = [stack[k] for k in sorted(stack) if k >= 2]
    paths.add(" › ".join(chain) if chain else t)
# at least one ## section with no ### sub-sections
h2_without_sub = []
for i, (l, t) in enumerate(headings):
    if l == 2 and (i + 1 == len(headings) or headings[i + 1][0] <= 2):
        h2_without_sub.append(t)
if not h2_without_sub:
    err("no '##' section without sub-sections")
if not re.search(r"^\|.*\|\s*$\n^\|[-:| ]+\|\s*$", text, re.M):
    err("no Markdown pipe table")
if not re.search(r"^- \*\*[^*]+:\*\* ", text, re.M):
    err("no labelled bullet list")
for bad in ("Summary", "Conclusion"):
    if bad in titles:
        err(f"heading named {bad!r}")

# --- questions --------------------------------------------------------------
lines = [l for l in QA.read_text(encoding="utf-8").splitlines()]
if len(lines) != 30 or any(not l.strip() for l in lines):
    err(f"expected exactly 30 non-empty lines, got {len(lines)}")
recs = []
for i, l in enumerate(lines, 1):
    try:
        recs.append(json.loads(l))
    except json.JSONDecodeError as e:
        err(f"line {i}: bad JSON: {e}")

ids = [r.get("id") for r in recs]
if ids != [f"M-{k:02d}" for k in range(1, 31)]:
    err(f"ids not M-01..M-30 in order: {ids}")

kinds = Counter(r.get("kind") for r in recs)
for k, c in EXPECTED_KINDS.items():
    if kinds.get(k, 0) != c:
        err(f"kind {k}: expected {c}, got {kinds.get(k, 0)}")
if kinds.get("describe", 0) + kinds.get("how", 0) != DESCRIBE_HOW:
    err("expected 2 describe/how questions")
unknown = set(kinds) - set(EXPECTED_KINDS) - {"describe", "how"}
if unknown:
    err(f"unknown kinds: {unknown}")

openings = Counter()
for r in recs:
    rid = r.get("id", "?")
    for f in FIELDS:
        if f not in r:
            err(f"{rid}: missing field {f}")
    if set(r) - set(FIELDS):
        err(f"{rid}: extra fields {set(r) - set(FIELDS)}")
    q = r.get("question", "")
    kind = r.get("kind", "")
    ans = r.get("answerable")
    if not isinstance(q, str) or not q.strip():
        err(f"{rid}: empty question")
    openings[" ".join(q.split()[:2]).lower()] += 1
    if not isinstance(ans, bool):
        err(f"{rid}: answerable must be bool")
    if ans != (not kind.startswith("unanswerable")):
        err(f"{rid}: answerable flag inconsistent with kind {kind}")
    if kind.endswith("-zh") and not re.search(r"[\u4e00-\u9fff]", q):
        err(f"{rid}: Chinese question has no Chinese characters")
    if not kind.endswith("-zh") and re.search(r"[\u4e00-\u9fff]", q):
        err(f"{rid}: non-Chinese kind with Chinese question")
    mi, ev, sec = r.get("must_include", []), r.get("evidence", []), r.get("section", "")
    if ans:
        if not mi:
            err(f"{rid}: answerable question without must_include")
        if not ev:
            err(f"{rid}: answerable question without evidence")
        for el in mi:
            variants = [el] if isinstance(el, str) else el
            if not isinstance(variants, list) or not variants or not all(isinstance(v, str) for v in variants):
                err(f"{rid}: bad must_include element {el!r}")
                continue
            if not any(norm(v) in text_norm for v in variants):
                err(f"{rid}: no variant of {variants} in report")
            if kind.endswith("-zh") and any(re.search(r"[\u4e00-\u9fff]", v) for v in variants):
                err(f"{rid}: must_include of a Chinese question should be the report's English")
        for e in ev:
            if collapse(e) not in text_ws:
                err(f"{rid}: evidence not verbatim in report: {e!r}")
        if kind.startswith("list") and not 3 <= len(mi) <= 5:
            err(f"{rid}: list question needs 3-5 must_include items")
        if not sec:
            err(f"{rid}: empty section")
        else:
            parts = sec.split(" › ")
            if parts[0] not in titles:
                err(f"{rid}: section head {parts[0]!r} is not a report heading")
            if len(parts) > 1 and sec not in paths:
                err(f"{rid}: section path {sec!r} not in report heading tree")
        # paraphrase check: no 6-word run of the question copied from the report
        if kind in ("fact",):
            w = re.findall(r"[\w'%.£-]+", q.lower())
            for j in range(len(w) - 5):
                if " ".join(w[j:j + 6]) in text_ws.lower():
                    err(f"{rid}: question copies report wording: {' '.join(w[j:j+6])!r}")
    else:
        if ev:
            err(f"{rid}: unanswerable question with evidence")
        if mi:
            err(f"{rid}: unanswerable question with must_include")
        if sec != "":
            err(f"{rid}: unanswerable question with non-empty section")
        words = ABSENT.get(rid)
        if not words:
            err(f"{rid}: no absent words listed for unanswerable question")
        if words and not any(norm(wd) in norm(q) for wd in words):
            err(f"{rid}: none of its absent words {words} is in the question (wrong id?)")
        for wd in words or []:
            pat = r"(?<!\w)" + r"\s+".join(map(re.escape, wd.split())) + r"(?!\w)"
            if re.search(pat, text, re.I):
                err(f"{rid}: absent word {wd!r} occurs in report")

for k in ABSENT:
    if k not in {r.get("id") for r in recs if r.get("answerable") is False}:
        err(f"ABSENT lists {k}, which is not an unanswerable question")

common = [o for o, c in openings.items() if c > 4]
if common:
    err(f"too many questions share an opening: {common}")

if errors:
    print("FAIL")
    for e in errors:
        print(" -", e)
    sys.exit(1)
print(f"OK: 30 questions, report {n} chars, {len(headings)} headings, kinds {dict(sorted(kinds.items()))}")
