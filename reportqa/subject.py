"""The company a report is about, as its title names it, and a question with that name put in general words.

Every sentence of a report is about its company whether it names it or not, but a question's embedding
leans on a name it holds: "How many people work at Halden Medical?" sits closer to the report's title and
opening lines than to "Headcount reached 5,870 at 31 December 2024", while "How many people work at the
company?" finds that sentence first. The retriever and the sentence scorer blend the question's embedding
with the embedding of the question with the name put generally (the share is fitted by benchmarks/calibrate.py).

The name is how the title opens, up to its first separator or figure ("Halden Medical N.V. — FY2024 …",
"乔云酒店集团2024年年度业绩点评"), and a name in brackets right after it ("锦和新材（Jinhe New Materials）…");
a title opening with two parties ("小米与北汽合作报告") names no one company;
a question names the company by the name's first word or words (Halden, 乔云), or all of it.
"""

from __future__ import annotations

import re

from .glossary import ENGLISH_STOPWORDS, Dictionary
from .lexical import is_chinese
from .tree import DocumentTree

# Where a title's opening name ends: a dash, colon, bar, comma or bracket, or a figure (a year).
_NAME_END = re.compile(r"\s*(?:[—–:：|·,，(（\[【]|\s-\s|\d)")
_CLOSING = re.compile(r"[)）\]】]")
# Two parties joined in a title's opening ("小米汽车与北汽集团合作分析", "Xiaomi × BAIC"): no one company. (Not
# 和, "and" or "&", which join the words of many one company's name: 锦和新材, Marks and Spencer, M&G.)
_JOINED = re.compile(r"[与及、×]|\s(?:vs\.?|x)\s", re.IGNORECASE)
_CHINESE_CHARS = 2  # the shortest Chinese name a question is searched for (乔云)
GENERAL_ZH = "公司"
GENERAL_EN = "the company"


def document_title(tree: DocumentTree) -> str:
    """A document's title: the first line above its first heading, or its one top-level heading ("" if neither)."""
    opening = tree.text[: tree.opening_end()].strip()
    if opening:
        return opening.splitlines()[0]
    title = tree.title_heading()
    return title.title if title is not None else ""


def title_names(title: str, table: Dictionary | None = None) -> tuple[str, ...]:
    """The company's names in a title: its opening words and a name in brackets right after them; none when
    the opening joins two parties (a report on a partnership is about both). With the dictionary (`table`), a
    Chinese opening whose first word it lists as a common word ("电池合作": 电池) is no name."""
    title = re.sub(r"^#+\s*", "", title).strip()
    end = _NAME_END.search(title)
    opening = (title[: end.start()] if end else title).strip()
    if _JOINED.search(opening):
        return ()
    names = [opening] if opening else []
    rest = title[end.start():].lstrip() if end else ""
    if names and rest[:1] in "(（[【":
        closing = _CLOSING.search(rest)
        inside = rest[1 : closing.start()].strip() if closing else ""
        if inside and not inside[0].isdigit():
            names.append(inside)
    return tuple(name for name in names if not (table is not None and is_chinese(name) and _common(name, table)))


def _common(name: str, table: Dictionary) -> bool:
    """Whether a Chinese name opens with a word the dictionary lists, not as a proper noun (电池, not 北汽)."""
    first = name[:_CHINESE_CHARS]
    return bool(table.english_for(first)) and first not in table.names


def without_subject(question: str, names: tuple[str, ...]) -> str | None:
    """The question with the company's name, as it writes it, put as "the company" (公司 in a Chinese
    question); None when it names the company by none of `names`."""
    chinese_question = is_chinese(question)
    for name in names:
        for form in _forms(name):
            if is_chinese(form):
                if form in question:
                    return question.replace(form, GENERAL_ZH)
                continue
            # As a name is written, capitalised: "Market" in a title is no "market share".
            pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(form)}(['’]s?)?(?![A-Za-z0-9])")
            if pattern.search(question):
                return pattern.sub(lambda match: _general(chinese_question, bool(match.group(1))), question)
    return None


def _forms(name: str) -> list[str]:
    """How a question may write the name, longest first: its first characters (Chinese, at least two) or
    its first words."""
    if is_chinese(name):
        return [name[:length] for length in range(len(name), _CHINESE_CHARS - 1, -1)]
    words = name.split()
    if not words or words[0].lower() in ENGLISH_STOPWORDS or not words[0][:1].isupper():
        return []  # "The Annual Report": no name
    return [" ".join(words[:count]) for count in range(len(words), 0, -1)]


def _general(chinese_question: bool, possessive: bool) -> str:
    if chinese_question:
        return GENERAL_ZH
    return f"{GENERAL_EN}'s" if possessive else GENERAL_EN
