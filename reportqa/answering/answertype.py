"""What a single-fact question expects its answer to hold (a number, a time, an amount of money, a share,
a speed, a distance, a weight, an area, an age, a code), and whether a text holds it.

"北汽2024年的净利润是多少？" asks for an amount of money: a sentence on the same subject without one
(a utilisation rate, a count of cars) does not answer it, however well its words match. Likewise a
question asking for a share (毛利率, a stake) needs a percentage. The abstention gate (abstention.py)
weighs this as one of its features, with a weight fitted on data like the others.
"""

from __future__ import annotations

import re
import unicodedata

NUMBER, TIME, MONEY, SHARE = "number", "time", "money", "share"
SPEED, DISTANCE, WEIGHT, AREA = "speed", "distance", "weight", "area"
CODE, AGE = "code", "age"
# Kinds a report may state nowhere: asked of documents that hold none, the fact is not there.
RARE_KINDS = frozenset({SPEED, DISTANCE, WEIGHT, AREA, AGE})
# A count of things by their measure word ("一共发了多少套", "出货多少万台"): a kind of its own, COUNTED + the word,
# held by a figure in that word ("3200套", "11.6万台"), not by any number. Only words for units of goods: those
# for places, people and events (家, 个, 名, 座, 项, 次) vary between a question and its answer (多少个城市, 120座城市).
COUNTED = "count:"
_COUNTERS = "套|台|辆|架|艘|件|片|颗|枚|箱|瓶|杯|盒|包|只|头|株|粒|块"
_ASKS_COUNTED = re.compile(rf"(?:多少|几)(?:万|千|百|亿)?({_COUNTERS})")

# Asking for an identifier: a stock code, a route or model number ("股票代码是多少", "编号为多少", "What is its
# ticker?"), not what one means ("FIPS代码的含义是什么").
_ASKS_CODE = re.compile(
    r"(?:代码|编号|代号|型号|车次|邮编|邮政编码|电话号码)(?:是|为)?(?:多少|什么|哪)|"
    r"\bwhat(?:'s| is| was| are| were)\b[^?]*\b(?:ticker|code|symbol|(?:registration|phone|model|serial) number|"
    r"postcode|zip code)\s*\??\s*$",
    re.IGNORECASE,
)

# Measures a question may ask for by name.
_MEASURES = ("revenues?|profits?|income|sales|margins?|prices?|costs?|capacity|budget|investment|turnover|valuation|"
             "headcount|growth|rate|share|stake|population|area|length|height|weight|speed|range|density|output|"
             "dividends?|payouts?|earnings|debt|capex|expenditure|spending|workforce|yield|ratio|premiums?")
# Ways of asking for an amount, a count, a share or a size; "哪几" asks for a list of names.
_ASKS_NUMBER = re.compile(
    r"多少|(?<!哪)几(?:个|家|年|次|倍|成|天|月|辆|台|人|名|座|条|项|岁|万|亿|千|百|公里|千米|吨|公斤|亩|公顷)|多大|多高|多长|多远|多重|多久|多快|"
    r"比例|占比|百分之|份额|比重|"
    r"\bhow (?:many|much|large|big|long|far|old|tall|high|fast|heavy|often)\b|"
    r"\bwhat (?:percentage|percent|proportion|share|fraction|number|amount|price|cost|value|rate|stake|size|sum)\b|"
    # "What was Xiaomi's automotive revenue in 2024?", "What final payout per share is proposed?", "What
    # dividend did it pay?": a measure asked for by name (as the head of its phrase: "What sales channels" asks none).
    r"\bwhat (?:is|was|were|are|will be) (?:the |its |their |this |that )?(?:[a-z]+['’]s )?(?:[a-z-]+ ){0,2}?"
    rf"(?:{_MEASURES})\b|"
    rf"\bwhat (?:[a-z-]+ ){{0,2}}?(?:{_MEASURES}) (?:is|was|were|are|will|would|did|does|do|has|have|had|per)\b|"
    r"\bwhat (?:is|was|were|are|will be) the (?:size|number|amount|value|level|total|sum) of\b",
    re.IGNORECASE,
)
_ASKS_TIME = re.compile(
    r"哪年|哪一年|何年|何时|什么时候|什么时间|哪天|哪一天|几月|几号|哪个月|哪一月|"
    # "…when 2024 ended" places the figure asked for in time; it does not ask when.
    r"\bwhen\b(?! (?:(?:19|20)\d\d|the (?:financial |fiscal )?year) (?:ended|closed|finished|began|started)\b)|"
    r"\b(?:what|which) (?:year|month|date|day|decade|century)\b",
    re.IGNORECASE,
)
# Among questions asking for a number, those whose measure is a share, money or a physical measure, unless
# they ask how much it changed ("收入增长了多少" may be answered by a percentage or an amount) or a multiple.
_ASKS_CHANGE = re.compile(
    r"(?:增长|增加|提高|提升|下降|减少|降低|上涨|下跌|涨|降|跌|变化|变动)了?(?:多少|几)|"
    # A saving or a difference, too: "比柴油车能省多少能耗成本" is answered by "低约 18%".
    r"(?:节省|节约|省下|省|便宜|贵|多|少)了?(?:多少|几)|"
    r"\b(?:grow|grew|grown|rise|rose|risen|fall|fell|fallen|increase|increased|decrease|decreased|drop|dropped|"
    r"change|changed|decline|declined|save|saves|saved|saving|savings|cheaper|costlier)\b|"
    # A multiple of a measure is a bare number ("体长是体高的多少倍").
    r"(?:多少|几)倍|\bhow many times\b",
    re.IGNORECASE,
)
_ASKS_SHARE = re.compile(
    r"比例|占比|百分之|份额|比重|(?<![频效功])率|"
    # How big a part of a whole: "收入里有多大一块来自前五大客户", "几成来自海外".
    r"多大(?:的)?(?:一块|一部分|部分)|(?<!\d)几成|"
    # What part of a whole: "在总收入里占几个百分点", "占营收多少".
    r"百分点|百分比|(?<![侵抢攻])占(?![地用据领有])[^，,。？?]{0,12}?(?:多少|几)|"
    r"\b(?:percentage|percent|proportion|fraction|stake|margin|rate|yield)\b|(?<!\bper )\bshare\b",
    re.IGNORECASE,
)
_ASKS_MONEY = re.compile(
    r"价格|售价|定价|报价|价位|多少钱|收入|营收|营业额|利润|净利|毛利|亏损|成本|费用|.费|投资|投入|金额|市值|估值|融资|"
    r"资金|薪|工资|开支|花费|花了|赚|挣|"
    r"\b(?:revenues?|profits?|income|prices?|priced|costs?|budget|investment|invested|turnover|valuation|pay|paid|"
    r"spend|spent|earn|earned|fees?|losses?|capex|salary|salaries|worth|dividends?|payouts?|debt|expenditure|"
    r"spending|money|cash|funds?|funding|pledged?|grants?|subsid(?:y|ies)|raised?|borrow(?:ed|ing)?|premiums?)\b|"
    r"现金|补贴|贷款|借款|募集|募资|奖金|罚款|资助|拨款",
    re.IGNORECASE,
)
# What something cost or what was paid, earned or spent: an amount of money ("What did the storms cost the
# insurer?", "What did it pay for the stake?").
_ASKS_PAID = re.compile(r"\bwhat (?:did|does|do|will|would) (?:[\w'’-]+ ){1,6}?(?:cost|pay|earn|spend|raise|fetch)\b"
                        r"(?! (?:attention|heed|off|tribute|for itself)\b)",
                        re.IGNORECASE)
# Physical measures, asked by name: a sentence that states only a count or a year does not give them.
# A count asked in a unit is that measure: "能处理多少吨", "How many kilometres of line…".
_IN_UNITS = r"(?:多少|几)(?:万|千|百|亿)?(?:{chinese})|\bhow many (?:{english})\b"
_ASKS_MEASURE = (
    (SPEED, re.compile(r"时速|车速|航速|速度|\b(?:speed|velocity)\b|\bhow fast\b", re.IGNORECASE)),
    (DISTANCE, re.compile(r"续航|里程|距离|全长|长度|高度|海拔|深度|半径|直径|体长|身长|身高|翼展|"
                          r"\b(?:driving range|cruising range|distance|length|height|mileage|altitude|depth|radius|diameter)\b|"
                          r"\bhow (?:far|long is|tall|high|deep)\b|" + _IN_UNITS.format(
                              chinese="公里|千米|米|英里|海里",
                              english="kilomet(?:re|er)s|km|miles|met(?:re|er)s|feet"), re.IGNORECASE)),
    (WEIGHT, re.compile(r"重量|体重|载重|多重|\b(?:weight|weighs?|weighed|tonnage)\b|\bhow heavy\b|" + _IN_UNITS.format(
        chinese="吨|公斤|千克|斤", english="tonnes|tons|kilo(?:gram)?s|kg|pounds of|lbs"), re.IGNORECASE)),
    (AREA, re.compile(r"面积|占地|\b(?:area|floor space|acreage)\b|" + _IN_UNITS.format(
        chinese="亩|平方米|平方公里|公顷", english="hectares|acres|square (?:met(?:re|er)s|kilomet(?:re|er)s|feet|miles)"),
        re.IGNORECASE)),
)
# An age: of a person, a fleet or a plant ("董事长今年多大年纪", "How old are the Dash 8s on average?").
_ASKS_AGE = re.compile(r"多大年纪|多少岁|几岁|年龄|年纪|[车机船楼]龄|\bhow old\b|\bhow many years old\b|\b(?:average |mean )?age of\b", re.IGNORECASE)
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


_HOLDS_SHARE = re.compile(
    r"%|百分之|百分点|[一二三四五六七八九两半]成(?![本立都功为员果绩长熟交])|\b(?:percent|per cent|half|third|quarter)\b",
    re.IGNORECASE,
)
_HOLDS_MONEY = re.compile(
    r"元|美金|欧元|英镑|日元|港币|[$£€¥￥]|\b(?:usd|rmb|cny|eur|gbp|hkd|dollars?|pounds?|euros?|yuan|sterling)\b|"
    # Pence and cents, as a dividend or a price per share is written: 9.6p, 45 cents.
    r"(?<=\d)p\b|\b(?:pence|cents?)\b",
    re.IGNORECASE,
)
# An identifier: letters with digits (L2, G11, C-170A, SZ300750) or a run of five or more digits (300750).
_HOLDS_CODE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{1,6}[-\s:]?\d{1,6}[A-Za-z]?(?![A-Za-z0-9])|(?<!\d)(?<!\d[,.])\d{5,}(?!\d|[,.]\d)")
_HOLDS = {
    CODE: _HOLDS_CODE,
    AGE: re.compile(r"岁|年龄|年纪|[车机船楼]龄|出生|生于|\bborn\b|\bages?d?\b|years? old\b|-year-old\b", re.IGNORECASE),
    TIME: _HOLDS_TIME, NUMBER: _HOLDS_NUMBER, SHARE: _HOLDS_SHARE, MONEY: _HOLDS_MONEY,
    SPEED: re.compile(r"km/h|公里/小时|千米/小时|公里每小时|千米每小时|\d\s*码|mph|m/s|米/秒|节|"
                      r"\b(?:knots|kilometres per hour|kilometers per hour|miles per hour)\b", re.IGNORECASE),
    DISTANCE: re.compile(r"公里|千米|厘米|毫米|公分|公尺|\d\s*米|英里|英尺|英寸|海里|\d\s*(?:km|m|cm|mm|mi|ft)\b|"
                         r"\b(?:kilomet(?:re|er)s?|met(?:re|er)s?|miles?|feet|foot|inch(?:es)?)\b", re.IGNORECASE),
    WEIGHT: re.compile(r"吨|公斤|千克|\d\s*克|斤|\d\s*(?:kg|t|g|lbs?)\b|\b(?:tonnes?|tons?|kilo(?:gram)?s?|grams?)\b",
                       re.IGNORECASE),
    AREA: re.compile(r"平方|亩|公顷|㎡|m2|m²|\b(?:square|hectares?|acres?)\b", re.IGNORECASE),
}


def asked_type(question: str) -> str | None:
    """CODE, TIME, AGE, a measure (SPEED, DISTANCE, WEIGHT, AREA), SHARE, MONEY or NUMBER when a question asks for
    one, else None.

    A time comes before a number ("哪一年…多少" asks when); among numbers, a share before money ("收入占比
    多少" asks a share), money before a measure ("每公里运费多少"), and a change in any is just a number
    ("利润增长了多少"), as is a multiple ("体长是体高的多少倍"); what something cost or was paid is money."""
    text = unicodedata.normalize("NFKC", question)
    if _ASKS_CODE.search(text):
        return CODE
    if _ASKS_TIME.search(text):
        return TIME
    if _ASKS_AGE.search(text):
        return AGE
    if _ASKS_PAID.search(text):
        return MONEY
    if not _ASKS_NUMBER.search(text):
        return None
    if _ASKS_CHANGE.search(text):
        return NUMBER
    if _ASKS_SHARE.search(text):
        return SHARE
    if _ASKS_MONEY.search(text):
        return MONEY
    counted = _ASKS_COUNTED.search(text)
    return next((kind for kind, pattern in _ASKS_MEASURE if pattern.search(text)),
                COUNTED + counted.group(1) if counted else NUMBER)


def holds_type(text: str, kind: str) -> bool:
    """Whether a text holds an answer of that kind: a number (digits, or a numeral with a unit), a time,
    a share (a percentage, 三成), an amount of money (a currency), a measure in one of its units, an age or a code."""
    text = unicodedata.normalize("NFKC", text)
    if kind.startswith(COUNTED):
        word = kind[len(COUNTED):]
        words = "台|辆" if word in ("台", "辆") else re.escape(word)  # vehicles are counted in either
        return re.search(rf"(?:\d|[{_CHINESE_NUMERAL}])\s*(?:万|千|百|亿)?\s*(?:{words})", text) is not None
    return bool(_HOLDS[kind].search(text))
