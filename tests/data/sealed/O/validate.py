#!/usr/bin/env python3
"""Validate the sealed test set O (Norrvik Timber Systems annual report 2024).

Checks the report HTML and the 30-question JSONL file. Standard library only.
Prints OK and exits 0 when everything passes; otherwise lists the problems
and exits 1.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "norrvik-2024.html"
QA = HERE / "norrvik_qa.jsonl"

SEP = " › "

EXPECTED_KINDS = {
    "fact": 9,
    "list": 5,
    "why": 4,
    "summary": 1,
    "fact-zh": 1,
    "list-zh": 1,
    "unanswerable-premise": 3,
    "unanswerable-qualified": 2,
    "unanswerable-absent": 2,
}
DESCRIBE_HOW = ("describe", "how")  # together exactly 2
FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]

# For every unanswerable question: strings that must NOT occur in the report
# (compared after NFKC, lower-casing and whitespace removal).
FORBIDDEN = {
    "O-24": ["cut the dividend", "dividend cut", "reduced dividend", "lower dividend",
             "dividend was reduced", "dividend reduction"],
    "O-25": ["acquisition", "acquire", "polish", "poland", "takeover", "purchase of"],
    "O-26": ["restructuring", "redundanc", "laid off", "layoff", "lay-off", "job cuts",
             "headcount reduction"],
    "O-27": ["segment ebitda", "segment margin", "segment result", "segment profit",
             "ebitda by segment", "profit by segment", "glulam & beams ebitda",
             "glulam ebitda"],
    "O-28": ["fourth quarter", "q4", "quarterly", "october", "november",
             "second half", "h2 2024"],
    "O-29": ["auditor", "audit", "kpmg", "deloitte", "pricewaterhouse", "pwc",
             "ernst & young", "grant thornton"],
    "O-30": ["ticker", "stock exchange", "nasdaq", "listed on", "share price",
             "market capitalisation", "isin"],
}

BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "table", "thead", "tbody", "tr", "td", "th",
    "caption", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "main",
    "nav", "article", "section", "br", "body", "blockquote",
}
SKIP_TAGS = {"script", "style", "head", "title", "noscript"}


class ReportParser(HTMLParser):
    """Collects visible text, the text of <main>, headings and per-section text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.in_main = 0
        self.all_parts = []
        self.main_parts = []
        self.heading_tag = None
        self.heading_buf = []
        self.h2 = ""
        self.h3 = ""
        self.headings = []  # (level, text, parent_h2)
        self.sections = {}  # (h2, h3) -> list of text parts

    def _add(self, s):
        self.all_parts.append(s)
        if self.in_main:
            self.main_parts.append(s)
            self.sections.setdefault((self.h2, self.h3), []).append(s)
        if self.heading_tag:
            self.heading_buf.append(s)

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
            return
        if tag == "main":
            self.in_main += 1
        if tag in ("h2", "h3") and self.in_main:
            self.heading_tag = tag
            self.heading_buf = []
        if tag in BLOCK_TAGS and not self.skip:
            self._add(" ")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if tag in BLOCK_TAGS and not self.skip:
            self._add(" ")
        if tag == self.heading_tag:
            text = collapse("".join(self.heading_buf))
            if tag == "h2":
                self.h2, self.h3 = text, ""
                self.headings.append((2, text, ""))
            else:
                self.h3 = text
                self.headings.append((3, text, self.h2))
            self.heading_tag = None
        if tag == "main":
            self.in_main = max(0, self.in_main - 1)

    def handle_data(self, data):
        if not self.skip:
            self._add(data)


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def norm(s):
    s = unicodedata.normalize("NFKC", s).lower()
    return re.sub(r"\s+", "", s)


def words(s):
    s = unicodedata.normalize("NFKC", s).lower()
    return re.findall(r"\w+(?:[.,'’]\w+)*", s)


def ngrams(ws, n=6):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def main():
    problems = []
    html = REPORT.read_text(encoding="utf-8")
    p = ReportParser()
    p.feed(html)
    p.close()
    visible = collapse("".join(p.all_parts))
    main_text = collapse("".join(p.main_parts))
    main_norm = norm(main_text)
    visible_norm = norm(visible)
    section_text = {k: collapse("".join(v)) for k, v in p.sections.items()}

    # ---- report structure -------------------------------------------------
    n_vis = len(visible)
    if not 10000 <= n_vis <= 12500:
        problems.append(f"report: visible text is {n_vis} chars (want 10,000-12,500)")
    if "<table" not in html:
        problems.append("report: no <table>")
    if not re.search(r"<li>\s*<(strong|b)>[^<]+</(strong|b)>\s*\S", html):
        problems.append("report: no bulleted list item with a bold label")
    if not re.search(r":</p>\s*<(ul|ol)>", html):
        problems.append("report: no paragraph ending with a colon followed by a list")
    for lvl, text, _ in p.headings:
        if not re.match(r"^\d+(\.\d+)*\s", text):
            problems.append(f"report: heading not numbered: {text!r}")
    low_heads = [t.lower() for _, t, _ in p.headings]
    for bad in ("summary", "conclusion"):
        if any(re.sub(r"^[\d.]+\s*", "", h) == bad for h in low_heads):
            problems.append(f"report: heading literally named {bad!r}")

    # ---- QA file ----------------------------------------------------------
    lines = [l for l in QA.read_text(encoding="utf-8").split("\n")]
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 30:
        problems.append(f"qa: {len(lines)} lines (want 30)")
    items = []
    for i, line in enumerate(lines, 1):
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f"qa line {i}: bad JSON ({e})")
    report_grams = ngrams(words(visible))
    kinds = Counter()
    openings = Counter()
    for idx, q in enumerate(items, 1):
        qid = q.get("id", f"line{idx}")
        if list(q.keys()) != FIELDS:
            problems.append(f"{qid}: fields {list(q.keys())} != {FIELDS}")
            continue
        if qid != f"O-{idx:02d}":
            problems.append(f"{qid}: expected id O-{idx:02d}")
        kind = q["kind"]
        kinds[kind] += 1
        mi, ev, sec, ans = q["must_include"], q["evidence"], q["section"], q["answerable"]
        question = q["question"]
        if not isinstance(question, str) or not question.strip():
            problems.append(f"{qid}: empty question")
            continue
        if not isinstance(ans, bool):
            problems.append(f"{qid}: answerable must be boolean")
        if not (isinstance(mi, list) and all(isinstance(e, list) and e and
                                             all(isinstance(v, str) and v for v in e)
                                             for e in mi)):
            problems.append(f"{qid}: must_include must be a list of non-empty string lists")
            continue
        if not (isinstance(ev, list) and all(isinstance(e, str) and e for e in ev)):
            problems.append(f"{qid}: evidence must be a list of strings")
            continue
        if not isinstance(sec, str):
            problems.append(f"{qid}: section must be a string")
            continue
        if kind.endswith("-zh"):
            if not re.search(r"[\u4e00-\u9fff]", question):
                problems.append(f"{qid}: zh question has no Chinese characters")
        else:
            ws = question.split()
            openings[" ".join(w.lower().strip(",?") for w in ws[:2])] += 1

        if kind.startswith("unanswerable"):
            if ans is not False:
                problems.append(f"{qid}: unanswerable kind but answerable != false")
            if mi or ev or sec != "":
                problems.append(f"{qid}: unanswerable must have empty must_include/evidence/section")
            forb = FORBIDDEN.get(qid)
            if not forb:
                problems.append(f"{qid}: no forbidden-word list defined")
            else:
                for w in forb:
                    if norm(w) in visible_norm:
                        problems.append(f"{qid}: forbidden string {w!r} occurs in report")
            continue

        # answerable questions
        if ans is not True:
            problems.append(f"{qid}: answerable kind but answerable != true")
        if not mi or not ev or not sec:
            problems.append(f"{qid}: answerable question needs must_include, evidence, section")
        for elem in mi:
            if not any(norm(v) in main_norm for v in elem):
                problems.append(f"{qid}: no variant of {elem} found in report text")
        if kind in ("list", "list-zh"):
            if not 3 <= len(mi) <= 5:
                problems.append(f"{qid}: list question has {len(mi)} items (want 3-5)")
            if len(ev) != len(mi):
                problems.append(f"{qid}: list question has {len(ev)} evidence for {len(mi)} items")
        for e in ev:
            if collapse(e) not in main_text:
                problems.append(f"{qid}: evidence not verbatim in report: {e!r}")
        # every must_include element should be supported by some evidence string
        for elem in mi:
            if not any(norm(v) in norm(" ".join(ev)) for v in elem):
                problems.append(f"{qid}: must_include {elem} not contained in its evidence")
        # section path must name real headings, and evidence must sit there
        parts = [s.strip() for s in sec.split(SEP)]
        if len(parts) > 2:
            problems.append(f"{qid}: section path deeper than h2 › h3: {sec!r}")
            continue
        h2s = [t for lvl, t, _ in p.headings if lvl == 2 and t.lower().startswith(parts[0].lower())]
        if len(h2s) != 1:
            problems.append(f"{qid}: section head {parts[0]!r} matches {len(h2s)} <h2> headings")
            continue
        h2 = h2s[0]
        if len(parts) == 2:
            h3s = [t for lvl, t, par in p.headings
                   if lvl == 3 and par == h2 and t.lower().startswith(parts[1].lower())]
            if len(h3s) != 1:
                problems.append(f"{qid}: section head {parts[1]!r} matches {len(h3s)} <h3> under {h2!r}")
                continue
            scope = section_text.get((h2, h3s[0]), "")
        else:
            scope = " ".join(t for (a, b), t in section_text.items() if a == h2)
        for e in ev:
            if collapse(e) in main_text and collapse(e) not in scope:
                problems.append(f"{qid}: evidence not under section {sec!r}: {e!r}")

        if kind == "fact":
            copied = ngrams(words(question)) & report_grams
            if copied:
                problems.append(f"{qid}: fact question copies a 6-word run: {' '.join(sorted(copied)[0])!r}")

    # kind counts
    for k, n in EXPECTED_KINDS.items():
        if kinds[k] != n:
            problems.append(f"qa: kind {k!r} count {kinds[k]} (want {n})")
    dh = sum(kinds[k] for k in DESCRIBE_HOW)
    if dh != 2:
        problems.append(f"qa: describe+how count {dh} (want 2)")
    unknown = set(kinds) - set(EXPECTED_KINDS) - set(DESCRIBE_HOW)
    if unknown:
        problems.append(f"qa: unknown kinds {sorted(unknown)}")
    for op, n in openings.items():
        if n > 4:
            problems.append(f"qa: {n} questions open with {op!r} (max 4)")

    if problems:
        print(f"{len(problems)} problem(s):")
        for pr in problems:
            print(" -", pr)
        sys.exit(1)
    print(f"OK (30 questions; visible text {n_vis} chars; "
          f"{len(p.headings)} headings)")


if __name__ == "__main__":
    main()
