#!/usr/bin/env python3
"""Validate the sealed test set L (智衡传动 2024 analyst report, Chinese HTML page + plain text)."""
import json
import re
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
HTML = HERE / "zhiheng-2024.html"
REPORT = HERE / "zhiheng-2024.txt"
QA = HERE / "zhiheng_qa.jsonl"
FIELDS = {"id", "question", "kind", "must_include", "answerable", "evidence", "section"}
EXPECTED_KINDS = {"fact": 9, "list": 5, "why": 4, "how": 1, "describe": 1, "summary": 1,
                  "fact-en": 1, "list-en": 1, "unanswerable": 7}
NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d+[\.、)）])")
# words whose absence the unanswerable questions rely on
ABSENT = ("德国", "欧洲", "收购", "并购", "财务总监", "首席财务官", "CFO", "分红", "派息", "股息",
          "每10股", "海外业务毛利率", "海外毛利率")
# a statement the false premise about falling profit contradicts
MUST_STATE = ("归母净利润2.26亿元，同比增长32.2%",)
SKIP = {"nav", "footer", "head", "script", "style", "title"}
BLOCK = {"h1", "h2", "h3", "p", "li", "tr"}


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).casefold()


class Page(HTMLParser):
    """Collect the visible report text one line per block, outside nav/footer/head."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.stack = []          # open block tags
        self.buf = []
        self.blocks = []         # (tag, text)
        self.stray = []          # visible text outside any block
        self.cells = None
        self.tags = Counter()
        self.meta_charset = False
        self.furniture = Counter()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        if tag == "meta" and any(k == "charset" and (v or "").lower() in ("utf-8", "utf8") for k, v in attrs):
            self.meta_charset = True
        if tag in SKIP:
            self.skip += 1
            self.furniture[tag] += 1
            return
        if self.skip:
            return
        if tag in BLOCK:
            if self.stack:
                self._flush_inner()
            self.stack.append(tag)
            self.buf = []
            if tag == "tr":
                self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.buf = []

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip -= 1
            return
        if self.skip:
            return
        if tag in ("td", "th") and self.cells is not None:
            self.cells.append(collapse("".join(self.buf)))
            self.buf = []
        elif tag in BLOCK and self.stack and self.stack[-1] == tag:
            if tag == "tr":
                text = "\t".join(self.cells)
                self.cells = None
            else:
                text = "".join(self.buf)
            self.blocks.append((tag, collapse(text)))
            self.stack.pop()
            self.buf = []

    def _flush_inner(self):
        if collapse("".join(self.buf)):
            self.stray.append(collapse("".join(self.buf)))

    def handle_data(self, data):
        if self.skip:
            return
        if self.stack:
            self.buf.append(data)
        elif data.strip():
            self.stray.append(data.strip())


def check_html(errors):
    raw = HTML.read_text(encoding="utf-8")
    p = Page()
    p.feed(raw)
    p.close()
    if not p.meta_charset:
        errors.append("HTML lacks <meta charset=\"utf-8\">")
    if p.furniture["nav"] < 1 or p.furniture["footer"] < 1:
        errors.append("HTML lacks <nav> or <footer> page furniture")
    if p.stray:
        errors.append(f"visible text outside blocks: {p.stray[:3]!r}")
    for tag, need in (("h1", 1), ("h2", 5), ("h3", 5), ("ul", 3), ("table", 1), ("th", 2), ("strong", 5)):
        if p.tags[tag] < need:
            errors.append(f"HTML has {p.tags[tag]} <{tag}>, expected at least {need}")
    if p.tags["h1"] != 1:
        errors.append("HTML must have exactly one <h1>")
    for tag, text in p.blocks:
        if tag in ("h1", "h2", "h3") and NUMBERED.match(text):
            errors.append(f"numbered heading: {text!r}")
    if not re.search(r"<p>[^<]*：</p>\s*<ul>", raw):
        errors.append("no lead-in <p> ending with '：' followed by its <ul>")
    if not re.search(r"<li><strong>[^<]+</strong>：", raw):
        errors.append("no labelled list item '<strong>标签</strong>：内容'")
    # visible text must equal the plain-text report, line by line
    html_lines = [t for _, t in p.blocks if t]
    txt_lines = [collapse(l) for l in REPORT.read_text(encoding="utf-8").splitlines() if l.strip()]
    if html_lines != txt_lines:
        for i, (a, b) in enumerate(zip(html_lines, txt_lines)):
            if a != b:
                j = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                errors.append(f"HTML/txt mismatch at line {i + 1}, char {j}: "
                              f"{a[max(0, j - 15):j + 15]!r} vs {b[max(0, j - 15):j + 15]!r}")
                break
        else:
            errors.append(f"HTML has {len(html_lines)} text lines, txt has {len(txt_lines)}")
    if collapse(" ".join(html_lines)) != collapse(" ".join(txt_lines)):
        errors.append("HTML visible text differs from txt after whitespace collapsing")
    # furniture must not leak into the report text
    txt = REPORT.read_text(encoding="utf-8")
    for word in ("免责声明", "版权所有", "远澜研究首页", "联系我们"):
        if word in txt:
            errors.append(f"page furniture {word!r} found in the txt report")
    # heading tree: h2 -> list of h3
    tree, cur = {}, None
    for tag, text in p.blocks:
        if tag == "h2":
            cur = text
            tree[cur] = []
        elif tag == "h3" and cur is not None:
            tree[cur].append(text)
    return tree, len(html_lines)


def check_section(qid, section, tree, errors):
    parts = re.split(r" › | > ", section)
    if len(parts) > 2:
        errors.append(f"{qid}: section deeper than h2 › h3: {section!r}")
        return
    tops = [h for h in tree if h.startswith(parts[0])]
    if not tops:
        errors.append(f"{qid}: section part not an <h2> heading: {parts[0]!r}")
        return
    if len(parts) == 2 and not any(s.startswith(parts[1]) for h in tops for s in tree[h]):
        errors.append(f"{qid}: section part not an <h3> under {parts[0]!r}: {parts[1]!r}")


def main():
    errors = []
    tree, n_lines = check_html(errors)
    report = REPORT.read_text(encoding="utf-8")
    report_c = collapse(report)
    report_n = norm(report)
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
    if sorted(ids) != [f"L-{i:02d}" for i in range(1, 31)]:
        errors.append("ids are not exactly L-01..L-30")
    for q in items:
        qid = q.get("id")
        missing = FIELDS - set(q)
        extra = set(q) - FIELDS
        if missing or extra:
            errors.append(f"{qid}: missing fields {sorted(missing)}, unexpected fields {sorted(extra)}")
            continue
        if not isinstance(q["answerable"], bool):
            errors.append(f"{qid}: answerable is not a boolean")
        if q["kind"].endswith("-en") and re.search(r"[\u4e00-\u9fff]", q["question"]):
            errors.append(f"{qid}: English question contains Chinese characters")
        if not q["kind"].endswith("-en") and not re.search(r"[\u4e00-\u9fff]", q["question"]):
            errors.append(f"{qid}: Chinese question has no Chinese characters")
        ev = q["evidence"]
        for e in ev:
            if len(e) < 12:
                errors.append(f"{qid}: evidence shorter than 12 chars: {e!r}")
            if collapse(e) not in report_c:
                errors.append(f"{qid}: evidence not found in report: {e!r}")
        if q["answerable"]:
            if q["kind"] == "unanswerable":
                errors.append(f"{qid}: kind unanswerable but answerable is true")
            if not q["must_include"] or not ev or not q["section"]:
                errors.append(f"{qid}: answerable question lacks must_include/evidence/section")
                continue
            ev_n = norm(" ".join(ev))
            for el in q["must_include"]:
                variants = [el] if isinstance(el, str) else el
                if not variants or not all(isinstance(v, str) and v.strip() for v in variants):
                    errors.append(f"{qid}: empty must_include element: {el!r}")
                elif not any(norm(v) in report_n for v in variants):
                    errors.append(f"{qid}: must_include element not found in report: {variants!r}")
                elif not any(norm(v) in ev_n for v in variants) and q["kind"] != "summary":
                    errors.append(f"{qid}: must_include element not in its evidence: {variants!r}")
            if q["kind"] in ("list", "list-en", "why", "summary", "describe", "how") and len(q["must_include"]) < 1:
                errors.append(f"{qid}: multi-item question without items")
            check_section(qid, q["section"], tree, errors)
        else:
            if q["must_include"] or ev or q["section"] != "" or q["kind"] != "unanswerable":
                errors.append(f"{qid}: unanswerable question must have empty must_include/evidence/section")
    # sanity: facts asked by the unanswerable questions really are absent or contradicted
    for word in ABSENT:
        if word in report:
            errors.append(f"report unexpectedly contains {word!r}")
    for s in MUST_STATE:
        if s not in report:
            errors.append(f"report no longer states {s!r}")
    for sent in re.split(r"[。；\n]", report):
        if "2022" in sent and "研发" in sent:
            errors.append(f"report gives a 2022 R&D figure: {sent!r}")
        if "海外" in sent and "毛利" in sent:
            errors.append(f"report gives an overseas margin: {sent!r}")
        if re.search(r"归母净利润[^，。；]*同比(下降|下滑|减少)", sent):
            errors.append(f"report states a profit decline: {sent!r}")
    kinds = Counter(q.get("kind") for q in items)
    if dict(kinds) != EXPECTED_KINDS:
        errors.append(f"kind counts {dict(kinds)} != expected {EXPECTED_KINDS}")
    han = len(re.findall(r"[\u4e00-\u9fff]", report))
    if not 5000 <= han <= 7000:
        errors.append(f"report has {han} Chinese characters, expected 5000-7000")
    print("questions by kind:", dict(sorted(kinds.items())))
    print("report characters:", len(report), "(Chinese:", han, "); text lines:", n_lines,
          "; sections:", sum(1 + len(v) for v in tree.values()))
    if errors:
        print("FAIL")
        for e in errors:
            print(" -", e)
        return 1
    print("PASS: all checks succeeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
