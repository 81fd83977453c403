"""Whether the documents state the event a question takes for granted.

"Why did Tidewell cut its dividend?" presumes a cut, "晨光新能源为什么关闭了越南基地？" a closure. A report that
names the dividend (it rose) or the Vietnamese site (it runs) without the event holds sentences close to the
question in words and meaning, and the answerer would give them as the reasons. A question that names a
corporate event (a closure, a sale, an acquisition, a cut, a suspension, an ending, lay-offs, a recall, a
fine, a default, a lawsuit) is taken as stated only when one sentence of its evidence names an event of the
same kind together with the question's most specific other word that the documents use (the thing closed,
sold or cut). Whether an unstated event means the documents do not answer is for the abstention gate to
weigh (abstention.FEATURES: premise_unstated), fitted on questions with false premises and without.

The groups are the general vocabulary of such events in company reports, English and Chinese, and every
form a question or a report may use (a report writes "closed", a question "close").
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from ..glossary import form_in
from ..lexical import tokenize
from ..tables import CELLS, FIGURE, table_row
from .evidence import YEAR

EVENTS = (
    "close | closes | closed | closing | closure | closures | shut | shuts | shutting | shut down | shutdown | "
    "关闭 | 关停 | 停产 | 关厂 | 关掉 | 关店 | 闭店 | 关门 | 撤店",
    "sell | sells | sold | selling | disposal | dispose | disposed | divest | divests | divested | divestment | "
    "出售 | 卖掉 | 卖出 | 剥离 | 转让 | 处置",
    "acquire | acquires | acquired | acquiring | acquisition | acquisitions | buy | buys | bought | takeover | "
    "收购 | 并购 | 买下",
    "cut | cuts | cutting | slash | slashed | reduce | reduced | reduction | lower | lowered | "
    "削减 | 下调 | 调低 | 减少 | 缩减 | 降低",
    "suspend | suspended | suspension | halt | halted | pause | paused | postpone | postponed | delay | delayed | "
    "暂停 | 中止 | 停止 | 推迟 | 延期 | 搁置 | 叫停",
    "terminate | terminated | termination | exit | exited | withdraw | withdrew | withdrawn | "
    "终止 | 退出 | 撤出 | 解除",
    "lay off | laid off | layoff | layoffs | redundancies | job cuts | 裁员",
    "recall | recalled | recalls | 召回",
    "fine | fined | penalty | penalties | 罚款 | 处罚",
    "default | defaulted | 违约",
    "sue | sued | lawsuit | litigation | 起诉 | 诉讼",
    "cancel | cancels | cancelled | canceled | cancelling | cancellation | scrap | scrapped | scrapping | "
    "abandon | abandoned | abandonment | 取消 | 放弃 | 废止",
    "ban | bans | banned | prohibit | prohibited | prohibition | 禁令 | 禁止",
    "merge | merges | merged | merger | mergers | amalgamation | 合并",
    "bankrupt | bankruptcy | insolvency | insolvent | liquidation | 破产 | 清算",
    "delist | delisted | delisting | 退市 | 摘牌",
    "strike | strikes | industrial action | 罢工",
    "spin off | spun off | spin-off | spinoff | demerger | demerged | 分拆 | 拆分",
    "resign | resigns | resigned | resignation | step down | stepped down | 辞职 | 辞任 | 离任",
)
_GROUPS = tuple(frozenset(form.strip() for form in group.split("|")) for group in EVENTS)


# How something does or can work presumes no event: "How does the platform help cut delays?" asks what it does,
# "How did the group cut its costs?" takes the cut for granted.
_HOW_IT_WORKS = re.compile(r"\bhow (?:to|do|does|can|could|will|would|should|shall|may|might|must)\b", re.IGNORECASE)


def presumes_event(question: str, intent: str) -> bool:
    """Whether a question asks why or how something happened, and so takes an event it names for granted."""
    return intent == "reason" or (intent == "describe" and not _HOW_IT_WORKS.search(question))


# A comparison names a figure's level, not an event: "Why was the cash balance lower than in 2023?" (no one cut it).
_COMPARISON = re.compile(r"\b(?:lower|higher|less|more|smaller|larger|bigger)\s+than\b", re.IGNORECASE)


def event_words(question: str) -> str:
    """The question without its comparisons, for finding the events it names (named_events)."""
    return _COMPARISON.sub(" ", question)


def named_events(question_tokens: Iterable[str]) -> list[frozenset[str]]:
    """The event groups whose forms the question's words hold."""
    tokens = set(question_tokens)
    return [group for group in _GROUPS if any(form_in(form, tokens) for form in group)]


def premise_unstated(question_tokens: Iterable[str], terms: Mapping[str, frozenset[str]], idf: Mapping[str, float],
                     known: Mapping[str, float], sentence_tokens: Iterable[set[str]]) -> bool:
    """Whether the question names an event that no sentence of its evidence states with the thing it happened to.

    `terms`: the question's words, each with the forms of it the documents may use (SentenceScorer.terms);
    `idf`: their weights; `known`: the documents' words; `sentence_tokens`: the words of each evidence sentence.
    The thing is the question's most specific word, other than the event's and a year, that the documents use;
    a question naming no such word is not judged (False).
    """
    events = named_events(question_tokens)
    if not events:
        return False
    event_forms = frozenset().union(*events)
    things = [term for term, forms in terms.items()
              if term not in event_forms and not YEAR.fullmatch(term) and not (forms & event_forms)
              and any(form_in(form, known) for form in forms)]
    if not things:
        return False
    thing = max(things, key=lambda term: idf.get(term, 0.0))
    for tokens in sentence_tokens:
        if any(form_in(form, tokens) for form in terms[thing]) and all(
                any(form_in(form, tokens) for form in group) for group in events):
            return False
    return True


# Which way a figure moved. A question asking why a figure fell presumes the fall; a report that says it rose
# does not answer it ("栖木去年营收为什么同比下滑了？" of "营业收入112.7亿元，同比增长4.0%"). The words are the
# general vocabulary of movements in reports, generous on the side of a fall that the documents state.
_FALL = re.compile(
    r"下滑|下降|下跌|减少|萎缩|回落|走低|降至|降低|收窄|缩水|缩减|下行|放缓|恶化|亏损|掉|跌|往下|"
    r"\b(?:fell|fall|falls|falling|fallen|declin\w*|drop\w*|lower\w*|down|decreas\w*|shr[iau]nk\w*|narrow\w*|"
    r"weak\w*|wors\w*|deteriorat\w*|reduc\w*|contract\w*|slow\w*|dip\w*|slump\w*|los[st]\w*|cut)\b",
    re.IGNORECASE,
)
_RISE = re.compile(
    r"增长|提升|上升|增加|提高|上涨|走高|增至|升至|扩大|改善|"
    r"\b(?:rose|rise|rises|rising|risen|gr[eo]w\w*|increas\w*|up|improv\w*|higher|climb\w*|jump\w*|expand\w*"
    r"|widen\w*)\b",
    re.IGNORECASE,
)
# A list of causes asked for ("主要是哪些因素拖累的", "What factors dragged margins down?") presumes the movement too.
_CAUSES_ASKED = re.compile(r"因素|原因|拖累|\b(?:factors|reasons|causes|drivers)\b", re.IGNORECASE)
_FORECAST = re.compile(r"预计|预测|有望|将|目标|\b(?:expect\w*|forecast\w*|guidance|outlook|will|target\w*|plan\w*)\b",
                       re.IGNORECASE)
_SEGMENT = re.compile(r"[^；;。!?！？]+")
# A table's column of changes ("Change: -£84m", "同比: -6.4%"), and a signed figure in it.
_CHANGE_COLUMN = re.compile(r"change|growth|yoy|y/y|variance|movement|变动|变化|增长|增速|增幅|同比|增减", re.IGNORECASE)
_SIGNED = re.compile(r"^\s*([+\-−–])\s*\D{0,2}\d")
_NAMED = re.compile(r"^(?P<name>[^:：]{1,60}?)[:：]\s*(?P<value>\S.*)$")
# A column of one year's actual figures (2024, FY2024, 2024A, 2024年), not a forecast's (2025E).
_YEAR_COLUMN = re.compile(r"^(?:fy\s*)?((?:19|20)\d\d)(?:a|年度?|年末|年底)?$", re.IGNORECASE)
_REACH = 30  # how far after a figure's name its movement may be stated ("营业收入112.7亿元，同比增长4.0%")


def moved(question: str) -> str | None:
    """"fall" or "rise" when a question names a figure's movement ("为什么营收下滑", "Why did margins shrink?")."""
    falls, rises = _FALL.search(question), _RISE.search(question)
    if falls and not rises:
        return "fall"
    if rises and not falls:
        return "rise"
    return None


def movement_contradicted(question: str, intent: str, terms: Mapping[str, frozenset[str]],
                          idf: Mapping[str, float], sentences: Iterable[str]) -> bool:
    """Whether a question asking why or how a figure moved one way names figures that its evidence says moved
    the other way: its most specific word named with a movement (the first movement word within _REACH characters
    after the name, in its clause, leaving out what is forecast; or a table row's, row_movements) is named with the
    other movement only."""
    asks_causes = presumes_event(question, intent) or (intent == "list" and _CAUSES_ASKED.search(question) is not None)
    direction = moved(question) if asks_causes else None
    if direction is None:
        return False
    # Only what the question itself names with its movement counts ("Why was the cash balance lower even though free
    # cash flow was positive?" says nothing of how free cash flow moved), when it names any; and a table row naming
    # words the question gives to another figure is that figure's ("Free cash flow | 2024: 88.9 | 2023: 52.1").
    moving = _named_with_movement(question, terms)
    elsewhere = {term for term in terms if term not in moving and not YEAR.fullmatch(term)} if moving else set()
    found: dict[str, set[str]] = {}
    for sentence in sentences:
        if table_row(sentence) and not (elsewhere and elsewhere & set(tokenize(sentence.split(CELLS)[0]))):
            for term, forms in terms.items():
                for form in forms:
                    moves = row_movements(sentence.lower(), form.lower())
                    if moves:
                        found.setdefault(term, set()).update(moves)
        for segment in _SEGMENT.finditer(sentence):
            text = segment.group(0).lower()
            if _FORECAST.search(text):
                continue  # what is expected to happen says nothing of what did
            for term, forms in terms.items():
                if _FALL.fullmatch(term) or _RISE.fullmatch(term) or YEAR.fullmatch(term):
                    continue
                for form in forms:
                    form = form if form.isascii() else form.replace(" ", "")  # "营业 收入", as tokenised
                    named = re.search(rf"(?<![a-z0-9]){re.escape(form.lower())}(?![a-z0-9])" if form.isascii()
                                      else re.escape(form.lower()), text)
                    if named is None:
                        continue
                    after = text[named.end() : named.end() + _REACH]
                    fall, rise = _FALL.search(after), _RISE.search(after)
                    if fall or rise:
                        first = "fall" if fall and (not rise or fall.start() < rise.start()) else "rise"
                        found.setdefault(term, set()).add(first)
    found = {term: moves for term, moves in found.items() if term in moving} or found
    if not found:
        return False
    # The most specific word of the question that the evidence names with a movement decides ("《山海行纪》的收入为什么
    # 大幅增长": the game's revenue fell, whatever the company's other revenue did).
    specific = max(found, key=lambda term: idf.get(term, 0.0))
    return direction not in found[specific]


def _named_with_movement(question: str, terms: Mapping[str, frozenset[str]]) -> set[str]:
    """The question's words written within _REACH characters before its first movement word, in its clause."""
    text = question.lower()
    movement = min((match.start() for match in (_FALL.search(text), _RISE.search(text)) if match), default=None)
    if movement is None:
        return set()
    clause_start = max(text.rfind(mark, 0, movement) for mark in ",，;；")
    named = set()
    for term in terms:
        position = text.rfind(term, 0, movement)
        if position > clause_start and movement - (position + len(term)) <= _REACH:
            named.add(term)
    return named


def row_movements(row: str, name: str) -> set[str]:
    """How a table's row says the figure `name` moved ("fall", "rise"), lower-cased both: by the sign of a change
    column's figure where the row or the column names it ("Net debt | 2024: £1,018m | 2023: £1,102m | Change: -£84m"
    fell; "UK & Ireland | … | Revenue growth: +5.1%" rose), else, in a row naming it that is no rate of change
    itself, by its latest year's figure against the year's before ("Occupancy | 2024: 76.8% | 2023: 74.1%" rose).
    A forecast's column (2025E) says nothing of what happened."""
    cells = row.split(CELLS)
    names_row = name in cells[0]
    moves: set[str] = set()
    by_year: list[tuple[str, float]] = []
    for cell in cells[1:]:
        named = _NAMED.match(cell.strip())
        if named is None:
            continue
        column, value = named.group("name"), named.group("value")
        figure, year = FIGURE.search(value), _YEAR_COLUMN.match(column.strip())
        if _CHANGE_COLUMN.search(column) and (names_row or name in column):
            sign = _SIGNED.match(value)
            if sign and figure.group(0).strip("0.,"):
                moves.add("rise" if sign.group(1) == "+" else "fall")
        elif year and figure:
            by_year.append((year.group(1), float(figure.group(0).replace(",", ""))))
    if not moves and names_row and not _CHANGE_COLUMN.search(cells[0]) and len(by_year) >= 2:
        (_, latest), (_, before) = sorted(by_year, reverse=True)[:2]
        if latest != before:
            moves.add("rise" if latest > before else "fall")
    return moves
