# -*- coding: utf-8 -*-
"""Validate qimu_qa.jsonl against qimu-2024.docx / qimu-2024.txt.

Exits non-zero and lists every problem found; prints OK otherwise.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

from docx import Document

HERE = os.path.dirname(os.path.abspath(__file__))
DOCX = os.path.join(HERE, "qimu-2024.docx")
TXT = os.path.join(HERE, "qimu-2024.txt")
QA = os.path.join(HERE, "qimu_qa.jsonl")

FIELDS = ["id", "question", "kind", "must_include", "answerable", "evidence", "section"]
KIND_COUNTS = {
    "fact": 9, "list": 5, "why": 4, "describe|how": 2, "summary": 1,
    "fact-en": 1, "list-en": 1, "unanswerable-premise": 3,
    "unanswerable-qualified": 2, "unanswerable-absent": 2,
}
SEP = " › "

# Strings that must NOT occur in the report for each unanswerable question
# (they would make the question answerable or confirm its false premise).
FORBIDDEN = {
    "P-03": ["营业收入同比下降", "营收同比下滑", "收入同比下滑", "营收下滑", "收入同比减少"],
    "P-09": ["整装渠道毛利率", "整装渠道的毛利率", "整装毛利率", "整装业务毛利率"],
    "P-13": ["董事长"],
    "P-17": ["停建", "暂停建设", "叫停", "终止建设", "停止建设"],
    "P-21": ["第四季度", "四季度", "单季", "q4"],
    "P-25": ["员工总数", "员工人数", "在职员工", "名员工", "员工约", "员工总计"],
    "P-28": ["下调分红", "分红比例下降", "削减分红", "分红比例下调", "减少分红", "分红比例降"],
}


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).lower())


def read_docx():
    doc = Document(DOCX)
    blocks = []  # (style, text) in body order; table cells as ("cell", text)
    body = doc.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    for child in body.iterchildren():
        tag = child.tag.split("}")[-1]
        if tag == "p":
            para = Paragraph(child, doc)
            blocks.append((para.style.name, para.text))
        elif tag == "tbl":
            tbl = Table(child, doc)
            for row in tbl.rows:
                for cell in row.cells:
                    blocks.append(("cell", cell.text))
    return blocks


def build_sections(blocks):
    """Return list of (path_tuple, text) where path_tuple is (h1,) or (h1, h2)."""
    sections = {}
    h1 = h2 = None
    for style, text in blocks:
        if style == "Heading 1":
            h1, h2 = text, None
            sections.setdefault((h1,), [])
            continue
        if style == "Heading 2":
            h2 = text
            sections.setdefault((h1, h2), [])
            continue
        if h1 is None:
            continue
        sections[(h1,)].append(text)
        if h2 is not None:
            sections[(h1, h2)].append(text)
    return {k: norm("\n".join(v)) for k, v in sections.items()}


def longest_common_run(a, b):
    """Length of longest common substring of a and b (both normalised)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            if ai == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def main():
    problems = []
    blocks = read_docx()
    docx_text = norm("\n".join(t for _, t in blocks))
    with open(TXT, encoding="utf-8") as f:
        txt_raw = f.read()
    txt_text = norm(txt_raw)
    headings = [(s, t) for s, t in blocks if s in ("Heading 1", "Heading 2")]
    sections = build_sections(blocks)

    # docx / txt consistency: every txt line present in the docx text
    for ln in txt_raw.splitlines():
        if ln.strip() and norm(ln.replace("\t", "")) not in docx_text:
            problems.append(f"txt line not found in docx: {ln[:40]}")

    han = sum(1 for ch in "".join(t for _, t in blocks) if "\u4e00" <= ch <= "\u9fff")
    if not 7000 <= han <= 9000:
        problems.append(f"document has {han} Chinese characters (want 7000-9000)")

    with open(QA, encoding="utf-8") as f:
        lines = [ln for ln in f.read().splitlines()]
    if len(lines) != 30:
        problems.append(f"expected 30 lines, got {len(lines)}")
    items = []
    for n, ln in enumerate(lines, 1):
        try:
            items.append(json.loads(ln))
        except Exception as e:  # noqa
            problems.append(f"line {n}: invalid JSON ({e})")
    ids = [it.get("id") for it in items]
    if ids != [f"P-{i:02d}" for i in range(1, 31)]:
        problems.append(f"ids not P-01..P-30 in order: {ids}")

    kinds = Counter(it.get("kind") for it in items)
    for k, want in KIND_COUNTS.items():
        got = sum(kinds.get(x, 0) for x in k.split("|"))
        if got != want:
            problems.append(f"kind {k}: {got} (want {want})")
    known = set(x for k in KIND_COUNTS for x in k.split("|"))
    for k in kinds:
        if k not in known:
            problems.append(f"unknown kind {k}")

    for it in items:
        qid = it.get("id", "?")
        if list(it.keys()) != FIELDS:
            problems.append(f"{qid}: fields {list(it.keys())} != {FIELDS}")
            continue
        kind = it["kind"]
        mi, ev, sec, ans = it["must_include"], it["evidence"], it["section"], it["answerable"]
        if not isinstance(it["question"], str) or not it["question"].strip():
            problems.append(f"{qid}: empty question")
        if kind.startswith("unanswerable"):
            if ans is not False:
                problems.append(f"{qid}: unanswerable must have answerable=false")
            if mi != [] or ev != [] or sec != "":
                problems.append(f"{qid}: unanswerable must have empty must_include/evidence/section")
            forb = FORBIDDEN.get(qid)
            if not forb:
                problems.append(f"{qid}: no forbidden strings defined")
            else:
                for s in forb:
                    if norm(s) in docx_text or norm(s) in txt_text:
                        problems.append(f"{qid}: forbidden string occurs in report: {s}")
            continue
        if qid in FORBIDDEN:
            problems.append(f"{qid}: forbidden strings defined for an answerable question")
        if ans is not True:
            problems.append(f"{qid}: answerable must be true")
        if not isinstance(mi, list) or not mi or not all(isinstance(e, list) and e and all(isinstance(v, str) and v for v in e) for e in mi):
            problems.append(f"{qid}: must_include must be a non-empty list of non-empty lists of strings")
            continue
        if not isinstance(ev, list) or not ev or not all(isinstance(e, str) and e for e in ev):
            problems.append(f"{qid}: evidence must be a non-empty list of strings")
            continue
        if kind in ("list", "list-en"):
            if not 3 <= len(mi) <= 5:
                problems.append(f"{qid}: list question has {len(mi)} items (want 3-5)")
            if len(ev) != len(mi):
                problems.append(f"{qid}: list question needs one evidence per item ({len(ev)} vs {len(mi)})")
        for e in ev:
            if norm(e) not in docx_text:
                problems.append(f"{qid}: evidence not in docx: {e}")
            if norm(e) not in txt_text:
                problems.append(f"{qid}: evidence not in txt: {e}")
        for elem in mi:
            if not any(norm(v) in docx_text for v in elem):
                problems.append(f"{qid}: no variant of {elem} in docx text")
            if not any(norm(v) in txt_text for v in elem):
                problems.append(f"{qid}: no variant of {elem} in txt text")
        # for list questions, item i should be supported by evidence i
        if kind in ("list", "list-en") and len(ev) == len(mi):
            for elem, e in zip(mi, ev):
                if not any(norm(v) in norm(e) for v in elem):
                    problems.append(f"{qid}: evidence '{e}' does not contain any of {elem}")
        # section path
        parts = [p.strip() for p in sec.split(SEP)] if sec else []
        if not parts or len(parts) > 2:
            problems.append(f"{qid}: bad section path '{sec}'")
        else:
            h1s = [t for s, t in headings if s == "Heading 1" and norm(t).startswith(norm(parts[0]))]
            if len(h1s) != 1:
                problems.append(f"{qid}: section head '{parts[0]}' matches {len(h1s)} Heading 1")
            else:
                key = (h1s[0],)
                if len(parts) == 2:
                    h2s = [k for k in sections if len(k) == 2 and k[0] == h1s[0] and norm(k[1]).startswith(norm(parts[1]))]
                    if len(h2s) != 1:
                        problems.append(f"{qid}: section head '{parts[1]}' matches {len(h2s)} Heading 2 under '{h1s[0]}'")
                        key = None
                    else:
                        key = h2s[0]
                if key is not None:
                    for e in ev:
                        if norm(e) not in sections[key]:
                            problems.append(f"{qid}: evidence not inside section '{sec}': {e}")
        # paraphrase check for fact questions
        if kind == "fact":
            run = longest_common_run(norm(it["question"]), docx_text)
            if run >= 8:
                problems.append(f"{qid}: fact question copies a {run}-character run from the report")
        if kind in ("fact-en", "list-en"):
            if re.search(r"[\u4e00-\u9fff]", it["question"]):
                problems.append(f"{qid}: English question contains Chinese characters")

    if problems:
        print(f"{len(problems)} problem(s):")
        for pr in problems:
            print(" -", pr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
