#!/usr/bin/env python3
"""Validator for the sealed Q test set (stdlib only)."""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "yunqiao-2024.md")
QA = os.path.join(HERE, "yunqiao_qa.jsonl")

KEYS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
KIND_COUNTS = {
    "fact": 9, "list": 5, "why": 4, "summary": 1, "fact-en": 1, "list-en": 1,
    "unanswerable-premise": 3, "unanswerable-qualified": 2, "unanswerable-absent": 2,
}
DESCRIBE_HOW = 2  # describe + how together
SEP = " › "

# Strings that must NOT appear in the document, so the question is really unanswerable.
FORBIDDEN = {
    "Q-24": ["付费学员总数下降", "付费学员总数下滑", "付费学员人数下降", "付费学员同比下降",
             "付费学员减少", "付费学员下滑", "付费学员数量下降", "付费学员人数减少"],
    "Q-25": ["收购", "并购", "兼并", "控股权", "股权投资"],
    "Q-26": ["关停", "关闭直播", "停止直播", "终止直播", "停办", "停止运营", "退出直播", "关闭了"],
    "Q-27": ["季度净利润", "季度归母", "单季净利润", "单季度净利润", "季度的净利润", "季度利润",
             "季度经调整净利润"],
    "Q-28": ["广东", "省份", "分省", "各省", "广州", "深圳"],
    "Q-29": ["会计师事务所", "审计", "核数师"],
    "Q-30": ["市场份额", "市场占有率", "市占率", "份额", "行业排名", "排名第"],
}

errors = []
def err(msg):
    errors.append(msg)

def norm(s):
    s = s.replace("**", "")
    return re.sub(r"\s+", " ", s).strip()

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# ---------------- document ----------------
raw = open(DOC, encoding="utf-8").read()
lines = raw.split("\n")
ndoc = norm(raw)

han_count = len(HAN.findall(raw))
if not (7000 <= han_count <= 9000):
    err(f"doc: Chinese character count {han_count} not in 7000-9000")

# headings
headings = []  # (line_index, level, text)
for i, ln in enumerate(lines):
    m = re.match(r"^(#{1,6})\s+(.*?)\s*$", ln)
    if m:
        headings.append((i, len(m.group(1)), m.group(2)))
top = [h for h in headings if h[1] == 1]
if len(top) < 6:
    err(f"doc: only {len(top)} top-level sections")
if len([h for h in headings if h[1] >= 2]) < 4:
    err("doc: too few sub-sections")
for _, lvl, txt in headings:
    if re.match(r"^([0-9０-９]+[.、．)）]|[一二三四五六七八九十百]+[、.．]|第[一二三四五六七八九十0-9]+[章节部分]|[（(][一二三四五六七八九十0-9]+[)）])", txt):
        err(f"doc: numbered heading: {txt}")
    if txt in ("总结", "结论", "摘要", "概要"):
        err(f"doc: forbidden heading name: {txt}")
    if lvl > 3:
        err(f"doc: heading deeper than ###: {txt}")

# structures: table with caption
has_table = False
for i in range(len(lines) - 1):
    if lines[i].startswith("|") and re.match(r"^\|\s*:?-{3,}", lines[i + 1]):
        # caption: nearest non-empty line above, must not be a table row or heading
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and not lines[j].startswith(("|", "#", "-")):
            has_table = True
if not has_table:
    err("doc: no pipe table with a caption line above it")
if not re.search(r"^- \*\*[^*\n]+\*\*：\S", raw, re.M):
    err("doc: no labelled bullets '- **标签**：内容'")
colon_list = False
for i, ln in enumerate(lines):
    if ln.strip().endswith("：") and not ln.startswith(("#", "-", "|")):
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and re.match(r"^\d+\.\s", lines[j]):
            colon_list = True
if not colon_list:
    err("doc: no paragraph ending with '：' followed by a numbered list")
if not re.search(r"[\u4e00-\u9fff]、[\u4e00-\u9fff]+、[\u4e00-\u9fff]", raw):
    err("doc: no inline 、-separated list")
for unit in ("亿元", "万人", "%", "同比", "季度"):
    if unit not in raw:
        err(f"doc: unit/marker {unit} missing")

heading_texts = [h[2] for h in headings]

def section_span(path):
    """Return normalized text under the heading path, or None if path invalid."""
    parts = path.split(SEP)
    start = 0
    idx = None
    for depth, name in enumerate(parts, start=1):
        found = None
        for k in range(start, len(headings)):
            li, lvl, txt = headings[k]
            if idx is not None and lvl <= headings[idx][1]:
                break  # left the parent section
            if txt == name and lvl == depth:
                found = k
                break
        if found is None:
            return None
        idx = found
        start = found + 1
    li, lvl, _ = headings[idx]
    end = len(lines)
    for k in range(idx + 1, len(headings)):
        if headings[k][1] <= lvl:
            end = headings[k][0]
            break
    return norm("\n".join(lines[li:end]))

# ---------------- questions ----------------
qlines = open(QA, encoding="utf-8").read().split("\n")
if qlines and qlines[-1] == "":
    qlines = qlines[:-1]
if len(qlines) != 30:
    err(f"qa: {len(qlines)} lines, expected 30")

items = []
for n, ln in enumerate(qlines, 1):
    try:
        obj = json.loads(ln)
    except Exception as e:
        err(f"qa line {n}: invalid JSON: {e}")
        continue
    if list(obj.keys()) != KEYS:
        err(f"qa line {n}: keys {list(obj.keys())} != {KEYS}")
    if obj.get("id") != "Q-%02d" % n:
        err(f"qa line {n}: id {obj.get('id')} expected Q-{n:02d}")
    items.append(obj)

kinds = Counter(o["kind"] for o in items)
for k, c in KIND_COUNTS.items():
    if kinds.get(k, 0) != c:
        err(f"qa: kind {k} count {kinds.get(k, 0)} != {c}")
if kinds.get("describe", 0) + kinds.get("how", 0) != DESCRIBE_HOW:
    err("qa: describe+how count != 2")
allowed = set(KIND_COUNTS) | {"describe", "how"}
for o in items:
    if o["kind"] not in allowed:
        err(f"{o['id']}: unknown kind {o['kind']}")

# openings
def opening(q):
    q = q.strip()
    if re.match(r"[A-Za-z]", q):
        return q.split()[0].lower()
    return q[:2]
opens = Counter(opening(o["question"]) for o in items)
for k, c in opens.items():
    if c > 4:
        err(f"qa: {c} questions start with '{k}'")

ndoc_nospace = re.sub(r"\s+", "", ndoc)
for o in items:
    qid, kind, q = o["id"], o["kind"], o["question"]
    mi, ev, sec, ans = o["must_include"], o["evidence"], o["section"], o["answerable"]
    if not isinstance(q, str) or not q.strip():
        err(f"{qid}: empty question")
    if kind.startswith("unanswerable"):
        if ans is not False or mi != [] or ev != [] or sec != "":
            err(f"{qid}: unanswerable must have answerable false and empty fields")
        if qid not in FORBIDDEN:
            err(f"{qid}: no FORBIDDEN list defined")
        for s in FORBIDDEN.get(qid, []):
            if s in raw or s in ndoc:
                err(f"{qid}: forbidden string present in doc: {s}")
        continue
    if qid in FORBIDDEN:
        err(f"{qid}: FORBIDDEN defined for answerable question")
    if ans is not True:
        err(f"{qid}: answerable should be true")
    if not (isinstance(mi, list) and mi and all(isinstance(g, list) and g and all(isinstance(v, str) and v for v in g) for g in mi)):
        err(f"{qid}: bad must_include structure")
        continue
    if not (isinstance(ev, list) and ev and all(isinstance(e, str) and e for e in ev)):
        err(f"{qid}: bad evidence")
        continue
    span = section_span(sec)
    if span is None:
        err(f"{qid}: section path not found: {sec}")
    nev = [norm(e) for e in ev]
    for e in nev:
        if e not in ndoc:
            err(f"{qid}: evidence not verbatim in doc: {e}")
        elif span is not None and e not in span:
            err(f"{qid}: evidence not under section '{sec}': {e}")
    joined_ev = " ".join(nev)
    for g in mi:
        if not any(norm(v) in joined_ev for v in g):
            err(f"{qid}: group {g} has no variant in evidence")
        if not any(norm(v) in ndoc for v in g):
            err(f"{qid}: group {g} has no variant in doc")
    if kind in ("list", "list-en"):
        if not (3 <= len(mi) <= 5):
            err(f"{qid}: list has {len(mi)} items (need 3-5)")
        if len(ev) != len(mi):
            err(f"{qid}: list has {len(mi)} groups but {len(ev)} evidence strings")
        else:
            for g, e in zip(mi, nev):
                if not any(norm(v) in e for v in g):
                    err(f"{qid}: list group {g} not in its evidence '{e}'")
    if kind == "fact":
        qs = re.sub(r"\s+", "", q)
        for i in range(len(qs) - 5):
            chunk = qs[i:i + 6]
            if chunk in ndoc_nospace:
                err(f"{qid}: fact question copies doc run '{chunk}'")
                break
    if kind.endswith("-en"):
        if HAN.search(q):
            err(f"{qid}: English question contains Han characters")
        for g in mi:
            if not any(HAN.search(v) for v in g):
                err(f"{qid}: English question group {g} has no Chinese variant")
    else:
        if not HAN.search(q):
            err(f"{qid}: Chinese question has no Han characters")

if errors:
    for e in errors:
        print("ERROR:", e)
    print(f"FAILED ({len(errors)} errors)")
    sys.exit(1)
print(f"OK (doc Chinese chars: {han_count}; questions: {len(items)}; kinds: {dict(sorted(kinds.items()))})")
