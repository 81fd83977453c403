"""The parts of a year a question names (a quarter, a half) and whether the documents ever name them.

"What were sales in the final quarter of 2024?" or "2024年第四季度单季营收是多少？" of a report that gives only
the year's figures is not answered by the year's revenue sentence, however well it matches: like a year the
documents never name, a quarter or half they never name is a gap (abstention.FEATURES: year_unknown).
The documents name a period when their words hold one way of writing it; English ones are looked for word by
word ("fourth" and "quarter"), which errs on the side of a period named.
"""

from __future__ import annotations

import re
from typing import Collection

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4,
             "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Quarters: Q4, 4Q24, 第四季度, 四季度, "fourth quarter", "final quarter"; halves: H2, 2H24, 下半年, "second half".
_QUARTER = re.compile(r"(?<![a-z0-9])q([1-4])(?![0-9])|(?<![a-z0-9])([1-4])q(?:\d{2}|\d{4})?(?![a-z0-9])"
                      r"|第?([一二三四])季度|\b(first|second|third|fourth|final|last)[\s-]+quarter\b", re.IGNORECASE)
_HALF = re.compile(r"(?<![a-z0-9])h([12])(?![0-9])|(?<![a-z0-9])([12])h(?:\d{2}|\d{4})?(?![a-z0-9])"
                   r"|([上下])半年|\b(first|second|final|last)[\s-]+half\b", re.IGNORECASE)
_ENGLISH_ORDINAL = {1: ("first",), 2: ("second",), 3: ("third",), 4: ("fourth", "final", "last")}
# A quarter or half written as its months: "the October–December quarter", "the three months to December",
# "10-12月", "7月至9月", "1—6月".
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_SPAN = re.compile(rf"\b{_MONTH}\s*(?:–|—|-|to|through|until)\s*{_MONTH}(?![a-z])"
                         r"|(?<!\d)(1[0-2]|[1-9])\s*月?\s*(?:–|—|-|~|～|至|到)\s*(1[0-2]|[1-9])\s*月", re.IGNORECASE)
_MONTHS_TO = re.compile(rf"\b(three|six|3|6)[\s-]+months?\s+(?:to|ended|ending|through)\s+{_MONTH}(?![a-z])",
                        re.IGNORECASE)
# The rest of a year from a month: "7月以后", "自10月起", "since July", "from October onwards".
_FROM_MONTH = re.compile(rf"(?<!\d)(1[0-2]|[1-9])\s*月份?(?:以后|之后|起|以来|开始)|\b(?:since|from)\s+{_MONTH}(?![a-z])",
                         re.IGNORECASE)
_SPANS = {(1, 3): "q1", (4, 6): "q2", (7, 9): "q3", (10, 12): "q4", (1, 6): "h1", (7, 12): "h2"}


def _month(word: str) -> int:
    return int(word) if word.isdigit() else _MONTHS.index(word[:3].lower()) + 1


def periods(text: str) -> set[str]:
    """The quarters and halves a text names: {"q4", "h2"}."""
    named = set()
    for match in _QUARTER.finditer(text):
        word = next(group for group in match.groups() if group)
        named.add(f"q{_ORDINALS[word.lower()]}")
    for match in _HALF.finditer(text):
        word = next(group for group in match.groups() if group).lower()
        named.add("h1" if word in ("1", "上", "first") else "h2")
    for match in _MONTH_SPAN.finditer(text):
        first, last = (group for group in match.groups() if group)
        span = _SPANS.get((_month(first), _month(last)))
        if span:
            named.add(span)
    for match in _FROM_MONTH.finditer(text):
        span = _SPANS.get((_month(next(group for group in match.groups() if group)), 12))
        if span:
            named.add(span)
    for match in _MONTHS_TO.finditer(text):
        months = 3 if match.group(1) in ("three", "3") else 6
        last = _month(match.group(2))
        span = _SPANS.get((last - months + 1, last))
        if span:
            named.add(span)
    return named


def period_named(period: str, known: Collection[str]) -> bool:
    """Whether the documents' words (`known`, as tokenised) hold one way of writing a quarter or half."""
    kind, number = period[0], int(period[1])
    if kind == "q":
        chinese = "一二三四"[number - 1]
        ways = [f"q{number}", f"{chinese}季度", f"第{chinese}季度"]
        if any(way in known for way in ways) or any(word.startswith(f"{number}q") for word in known):
            return True
        return "quarter" in known and any(word in known for word in _ENGLISH_ORDINAL[number])
    ways = [f"h{number}", "上半年" if number == 1 else "下半年"]
    if any(way in known for way in ways) or any(word.startswith(f"{number}h") for word in known):
        return True
    ordinals = ("first",) if number == 1 else ("second", "final", "last")
    return "half" in known and any(word in known for word in ordinals)

