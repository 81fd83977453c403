"""What a single-fact question expects its answer to hold (a number, a time), and whether a text holds it.

"北汽2024年的净利润是多少？" asks for a number: a sentence on the same subject without one does not
answer it, however well its words match. The abstention gate (abstention.py) weighs this as one of
its features, with a weight fitted on data like the others.
"""

from __future__ import annotations

import re
import unicodedata

NUMBER, TIME = "number", "time"

# Ways of asking for an amount, a count, a share or a size; "哪几" asks for a list of names.
_ASKS_NUMBER = re.compile(
    r"多少|(?<!哪)几(?:个|家|年|次|倍|成|天|月|辆|台|人|名|座|条|项|岁|万|亿|千|百)|多大|多高|多长|多远|多重|多久|多快|"
    r"比例|占比|百分之|份额|比重|"
    r"\bhow (?:many|much|large|big|long|far|old|tall|high|fast|heavy|often)\b|"
    r"\bwhat (?:percentage|percent|proportion|share|fraction|number|amount|price|cost|value|rate|stake|size|sum)\b|"
    # "What was Xiaomi's automotive revenue in 2024?": a measure asked for by name.
    r"\bwhat (?:is|was|were|are|will be) (?:the |its |their |this |that )?(?:[a-z]+['’]s )?(?:[a-z-]+ ){0,2}?"
    r"(?:revenues?|profits?|income|sales|margins?|prices?|costs?|capacity|budget|investment|turnover|valuation|"
    r"headcount|growth|rate|share|stake|population|area|length|height|weight|speed|range|density|output)\b",
    re.IGNORECASE,
)
_ASKS_TIME = re.compile(
    r"哪年|哪一年|何年|何时|什么时候|什么时间|哪天|哪一天|几月|几号|哪个月|哪一月|"
    r"\bwhen\b|\b(?:what|which) (?:year|month|date|day|decade|century)\b",
    re.IGNORECASE,
)
_CHINESE_NUMERAL = "零〇一二三四五六七八九十百千万亿两半"
_HOLDS_NUMBER = re.compile(
    rf"\d|[{_CHINESE_NUMERAL}]+(?:个|家|年|月|日|天|次|倍|成|分|万|亿|千|百|多|余|座|辆|台|人|名|条|项|种|岁|元|美元|%|％)|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|million|billion|dozen|half|twice|double|triple)\b",
    re.IGNORECASE,
)
_HOLDS_TIME = re.compile(
    rf"\d|[{_CHINESE_NUMERAL}]+(?:年|月|日|世纪)|年[初底末中]|上半年|下半年|季度|世纪|今年|去年|明年|"
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"century|decade|quarter|spring|summer|autumn|fall|winter|yesterday|today|last year|next year)\b",
    re.IGNORECASE,
)


def asked_type(question: str) -> str | None:
    """NUMBER or TIME when a question asks for one (a time before a number: "哪一年…多少" asks when), else None."""
    text = unicodedata.normalize("NFKC", question)
    if _ASKS_TIME.search(text):
        return TIME
    if _ASKS_NUMBER.search(text):
        return NUMBER
    return None


def holds_type(text: str, kind: str) -> bool:
    """Whether a text holds an answer of that kind: a number (digits, or a numeral with a unit), or a time."""
    text = unicodedata.normalize("NFKC", text)
    pattern = _HOLDS_TIME if kind == TIME else _HOLDS_NUMBER
    return bool(pattern.search(text))
