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
