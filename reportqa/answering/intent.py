"""What kind of answer a question asks for, from its wording alone (Chinese or English)."""

from __future__ import annotations

import re
import unicodedata

INTENTS = ("fact", "list", "reason", "describe", "summary", "compare", "yesno")


def _any(*alternatives: str) -> re.Pattern[str]:
    """One pattern that matches any of the alternatives."""
    # ASCII word boundaries so English keywords glued to Chinese text ("宁德时代vs比亚迪") still match.
    return re.compile("|".join(alternatives), re.ASCII)


# Order is precedence: the first match wins. The wider request decides the shape of the answer:
# "总结了哪些经验" wants a summary, "为什么…吗" wants the reasons, "与去年相比有哪些变化" a comparison,
# and a yes/no question that asks 哪些 ("有没有提到哪些风险") wants the list, not a bare yes.
_RULES = (
    ("summary", _any(
        "概括", "总结", "归纳", "结论", "主要内容", "要点", "(?:核心|主要|基本)观点", "大意", "主要讲",
        # The report's final word on its subject: "研报最后对公司给出的判断是什么", "总体看法如何".
        "(?:最终|最后|总体|整体)[^，,。？?]{0,12}?(?:判断|看法|观点|评价|结论)",
        "(?:讲|说)(?:了|的是)什么",
        # What the report's author thinks of its subject: "分析师对这家公司怎么看", "研报如何评价公司".
        "(?:分析师|研究员|作者|报告|研报|券商)[^，,。？?]{0,12}?(?:怎么看|如何看待|怎样看待|看法|怎么评价|如何评价|怎样评价)",
        r"\b(?:analyst|analysts|author|authors|report)['’]?s? (?:view|take|opinion|verdict|stance)\b",
        r"\bwhat do(?:es)? the (?:analyst|analysts|author|authors) (?:think|make) of\b",
        r"\bsummar(?:y|ies|ize|ise|ized|ised|izing|ising)\b", r"\bconclu(?:de|ded|des|sion|sions)\b",
        # Not the arguments behind or for a view: those are its reasons.
        r"\b(?:main|key) (?:points|takeaways|findings|messages|arguments)\b(?! (?:behind|for|against|supporting)\b)",
        r"\boverview\b", r"\bgist\b", r"\bbottom line\b", r"\brun-?down\b", r"\brecap\b",
        r"\b(?:walk|run|take) (?:me|us) through\b", r"\bbrief (?:me|us)\b",
        r"\b(?:final|overall) (?:verdict|view|assessment|judge?ment|take|conclusion|message|picture)\b",
        # The message it wants to leave: "What is the key message of the report?", "Boiled down, what…".
        r"\b(?:key|main|central|core|big|headline) (?:message|messages|takeaway|theme|themes)\b",
        r"\bboil(?:s|ed|ing)? (?:it |this |that |them |everything )?down\b",
        r"\bsum(?:s|med|ming)? (?:it |this |that |them |the [a-z]+ |[a-z]+['’]s [a-z]+ )?up\b", r"\bin a nutshell\b",
        r"\btl;?dr\b",
        r"\bwhat(?:['’]s| is) (?:this|the) (?:[a-z]+ )?(?:report|document|filing|article|paper) about\b",
    )),
    ("reason", _any(
        # Spoken forms too: "为啥", "干嘛", "咋会".
        "为什么", "为何", "为啥", "干嘛", "干吗", "咋会", "凭什么", "(?<!如)何以", "原因", "缘由", "动机", "因为什么", "什么驱动", "驱动因素", "背景是什么",
        "出于(?:什么|何种)(?:考虑|目的)",
        # "怎么会亏损" asks "how come", i.e. why, not "how".
        "怎么会",
        "动因", "推动因素", "推动力", "影响因素",
        # The factors that moved it: "哪些因素推动了毛利率提升", "是什么因素导致利润下滑".
        "(?:哪些|什么|哪几个|哪几方面)因素", "因素(?:推动|驱动|导致|造成|带动|拖累|促成|支撑)",
        # What moved it, asked as the question's opening: "什么推动了骨料销量的大幅增长", "是什么导致毛利率下降"
        # ("公司用什么推动数字化" asks the means: how).
        "(?:^|是)什么(?:推动|驱动|导致|造成|带动|促使|引起|拖累|支撑)",
        r"\bwhy\b", r"\bhow come\b", r"\breasons?\b", r"\bmotivat(?:e|ed|es|ion|ions)\b",
        r"\bwhat (?:drove|drives|is driving|caused|causes|led to|leads to|explains|explained|contributed to)\b",
        # What was behind it: "What were the main drivers of revenue growth?", "the factors behind the fall".
        r"\bdrivers? (?:of|behind)\b", r"\bfactors? (?:behind|driving)\b",
        # The case made for a view: "What are the main arguments behind the positive view of the stock?"
        r"\barguments? (?:behind|for|against|supporting)\b",
    )),
    # Who or what something is compared with, asked as a list ("分析师拿了哪几家同行做对比", "Which peers does the
    # broker compare the stock with?"): the names, not a comparison.
    ("list", _any(
        "(?:哪些|哪几)[^，,。？?]{0,16}?(?:对比|比较|参照|对标)",
        r"\b(?:which|what) (?:[a-z-]+ ){0,2}?[a-z]*[^s\W']s (?:do|does|did|is|are|was|were|has|have|had) "
        r"(?:[a-z'’-]+ ){0,4}?(?:compare|compared|comparing|benchmark|benchmarked|benchmarking)\b",
    )),
    ("compare", _any(
        # "还是…吗" is "still …?" (e.g. 还是亏损吗), a yes/no question, not "A or B".
        "还是(?!.*吗[ ?!.。~]*$)",
        # 更新/变更 are "update"/"change", not "more".
        "(?:哪个|哪一个|哪家|哪一家|哪种|谁)[^,，。?]*?(?<!变)更(?!新|名|换|改|正)",
        # 比较 before a quality is "rather" ("影响比较大", "比较常见"), not "compare".
        "相比", "相较", "比较(?![大小多少高低好差快慢强弱重轻明突显常稳集严宽长短深浅贵难容简复充紧丰有])",
        "对比", "区别", "差异", "差距",
        # "不低于"/"不高于" set a bound ("at least"), compare nothing.
        "(?<!不)高于", "(?<!不)低于", "(?:有何|有什么)不同",
        r"\bcompar(?:e|ed|es|ing|ison|isons)\b", r"\bversus\b", r"\bvs\b", r"\bdifferences?\b",
        # "no more than a quarter of an hour late", "not less than 80%": a bound, not a comparison.
        r"(?<!\bno )(?<!\bnot )\b(?:more|less|fewer|higher|lower|greater|bigger|larger|smaller|better|worse) than\b",
        r"\bwhich (?:[a-z]+ ){0,4}?(?:is|was|are|were|has|had|grew|did|performed) (?:[a-z]+ )?"
        r"(?:more|less|higher|lower|greater|bigger|larger|smaller|better|worse|faster|stronger)\b",
    )),
    ("list", _any(
        # Not 分别 ("respectively"): "投资、产能和产品分别是什么" asks for the named facts, not a list to find.
        # "几大品类分别是什么", "三大业务板块是哪些", "三项进展分别是什么": things of a kind, counted ("三大业务分别
        # 增长多少" asks for figures).
        "几大", "[两三四五六七八九十几](?:大|项|类|条|种)[\u4e00-\u9fff]{1,6}?(?:分别是(?:什么|哪)|是什么|是哪|包括|有哪)",
        "哪些", "哪几", "什么方面", "几个方面", "包括什么", "包含什么", "包括哪", "都有什么", "列举", "列出",
        "有(?:何|什么)(?:影响|好处|意义|风险|挑战|优势|措施|举措|收获|收益)",
        # Plans and expectations are several: "公司对未来有什么规划", "对2025年有何预期".
        "有(?:何|什么)(?:规划|计划|打算|安排|展望|预期|预测|目标|指引|策略|战略)",
        # What one party gains: "公司从并购中得到了什么", like "What does X gain from Y".
        "(?:收获|得到|获得|带来|换来|捞到)了?(?:什么|何种)",
        r"\bwhat (?:are|were)\b", r"\blist\b", r"\bname the\b", r"\bin what ways\b",
        r"\bwhat (?:kinds|types|sorts|areas|fields)\b",
        r"\bwhat (?:[a-z]+ )?(?:benefits|risks|challenges|impacts|effects|advantages|areas|fields|steps|measures|"
        r"priorities|plans|goals|targets|strengths|weaknesses|opportunities|actions|initiatives|incentives|options|"
        r"help|support|assistance)\b",
        # Plural nouns only: "which company" asks for one name, "which companies" for several.
        r"\bwhich (?:two|three|four|five|several) ",
        r"\bwhich (?!(?:is|was|has|does)\b)[a-z]*[^s\W]s\b",
        # A plural noun asked about, after a modifier or two: "which end markets does", "what products do".
        r"\b(?:which|what) (?:[a-z]+ ){0,2}?[a-z]*[^s\W']s (?:do|does|did|are|were|have|has|had|will|would|can|could|"
        r"make|comprise|constitute|form)\b",
        # A plural noun something is seen as: "What did the board single out as the big wins", "What does
        # management regard as its main strengths".
        r"\bwhat (?:do|does|did|will|would|could|can)\b[^?]*?\b(?:as|among) (?:the |its |their |our |his |her )?"
        r"(?:[a-z-]+ ){0,2}?[a-z]*[^s\W']s\b",
        # What a party expects or plans: "What does management expect for next year?", "What is the outlook?"
        r"\bwhat (?:do|does|did|will|would) (?:[a-z'’\-]+ ){1,4}?(?:expect|plan|forecast|anticipate|intend|aim)\b",
        r"\bwhat(?:['’]s| is| are| was| were) the (?:[a-z'’\-]+ ){0,2}?(?:outlook|guidance|prospects|expectations)\b",
        # What might go wrong asks for the risks.
        r"\bwhat (?:could|might|can|may|would|will) go wrong\b",
        # What one party gains from another asks for the gains: "What does the bank get out of the merger?"
        r"\bwhat (?:do|does|did|will|would|could|can) (?:[a-z'’\-]+ ){1,4}?(?:gain|get|obtain|bring|offer|achieve|"
        r"provide)\b",
    )),
    ("describe", _any(
        "如何", "怎样", "怎么(?!会)", "咋(?!会)", "介绍", "描述", "说说", "讲讲", "什么情况",
        # What something is like: its traits, habits or uses ("有什么特点", "外形上有什么特征", "生活习性是什么样的").
        "什么样", "(?:有|具有|具备|起到?了?|发挥了?)(?:什么|何种|哪种)[\u4e00-\u9fff]{0,4}?"
        "(?:特点|特征|特性|特色|特质|习性|症状|表现|作用|功能|用途|才能|才华|爱好|优势|优点|缺点)",
        # "具体是多少" still asks for a number.
        "具体(?!.*(?:多少|几|哪一年|什么时候))",
        # "How did…", "how to…", "how the board…" ask how something happens; "how indebted", "how quickly",
        # "how many" ask for a degree or an amount: a fact.
        r"\bhow (?:(?:do|does|did|is|are|was|were|will|would|can|could|should|shall|has|have|had|may|might|must|to|"
        r"the|a|an|it|its|they|their|we|our|you|your|he|she|his|her|this|that|these|those)\b|[a-z'’-]+(?:['’]s|s['’]) )",
        r"\bhow\W*$", r"\bhow ?[\u4e00-\u9fff]",
        r"\bdescri(?:be|bes|bed|ption)\b", r"\bexplain(?:s|ed)?\b", r"\belaborate\b",
        r"\btell me about\b", r"\bwalk me through\b", r"\bwhat(?:['’]s| is) the (?:[a-z]+ )?situation\b",
        r"\bwhat (?:is|was|are|were) (?:[a-z'’-]+ ){1,4}like\b",
    )),
    ("yesno", _any(
        "是否", "是不是", "有没有", "能否", "能不能", "会不会", "可否", "有无", "吗[ ?!.。~]*$",
        r"^(?:(?:is|are|does|do|did|was|were|could|would|has|have|had|should|must)(?:n['’]t)?|can|will|won['’]t|may)\b",
    )),
)


_ACCORDING_TO = re.compile(r"(?:^|(?<=[,，。;；]))\s*(?:照|按照|按|依照|根据|据|依)[^,，。？?]{0,12}?"
                           r"(?:看法|观点|判断|预测|测算|估计|估算)[,，]")


def question_intent(question: str) -> str:
    """The kind of answer a question asks for: one of INTENTS.

    Args:
        question: the user's question, in Chinese, English or a mix.

    Returns:
        "summary", "reason", "compare", "list", "describe" or "yesno" when the wording asks for
        that kind of answer, else "fact" (a number, date, name or short definition).
    """
    # NFKC folds full-width letters, digits, punctuation and spaces into their ASCII forms.
    text = " ".join(unicodedata.normalize("NFKC", question).lower().split())
    # Whose view a question goes by ("照这家券商的看法，这只股票值多少钱一股？") asks nothing of that view.
    text = _ACCORDING_TO.sub("", text)
    for intent, pattern in _RULES:
        if pattern.search(text):
            return intent
    return "fact"


# What a list question asks for, by the noun it names: "投资者需要注意哪些风险" -> 风险, "华宇电池的短板有哪些" ->
# 短板, "What are the main risks facing the company?" -> risks.
_ASKED_AFTER = re.compile(r"(?:哪些|哪几(?:个|种|类|项|家|条|位|方面)?)(?P<noun>[\u4e00-\u9fffA-Za-z]{1,12})")
_ASKED_BEFORE = re.compile(r"(?P<noun>[\u4e00-\u9fffA-Za-z]{1,12}?)(?:主要)?(?:有|包括|包含|是|分为|分成)(?:哪些|哪几|什么)")
_ASKED_ENGLISH = re.compile(r"\b(?:what|which)(?: (?:are|were))?(?: [a-z'’-]+){0,3}? "
                            r"(?!(?:does|is|was|has|this|its|thus|his|us)\b)(?P<noun>[a-z]+[^su\W']s)\b")
_HEAD_TRIM = re.compile(r"^.*的|(?:呢|吗|啊|呀)$")


def asked_noun(question: str) -> str | None:
    """The word for the things a list question asks for ("投资者需要注意哪些风险": 风险; "华宇电池的短板有哪些": 短板;
    "What are the main risks…": risks), or None when it names none."""
    text = " ".join(unicodedata.normalize("NFKC", question).split())
    for pattern in (_ASKED_AFTER, _ASKED_BEFORE):
        match = pattern.search(text)
        if match:
            import jieba

            phrase = _HEAD_TRIM.sub("", match.group("noun"))
            words = [word for word in jieba.lcut(phrase) if word.strip()]
            if words and len(words[-1]) >= 2:
                return words[-1]
    match = _ASKED_ENGLISH.search(text.lower())
    return match.group("noun") if match else None


# The two things a comparison weighs: "A和B哪个…", "A与B相比…", "A还是B", "A比B…", "…, A or B?", "between A and B",
# "compare A with B", "A vs B". A side is a short phrase (a name, a product, a business), not a clause.
_CHINESE_SIDE = r"[^，,。？?！!；;、和与跟同及还哪谁]{1,12}?"
_SIDES = (
    re.compile(rf"(?P<a>{_CHINESE_SIDE})(?:和|与|跟|同)(?P<b>{_CHINESE_SIDE})(?:相比|比较|对比|比)?[，,]?"
               r"(?:哪个|哪一个|哪家|哪一家|哪种|哪项|谁|相比|比较|对比|有何|有什么|的区别|的差异)"),
    # "电子化学品与含氟精细化学品两块业务的毛利率差距有多大": the sides before "两块业务", the measure after them.
    re.compile(rf"(?P<a>{_CHINESE_SIDE})(?:和|与|跟|同)(?P<b>{_CHINESE_SIDE})(?:两|二者|之间)"
               r"[^，,。？?！!；;]{0,12}?(?:差距|差异|区别|差别|高低|快慢|多少|谁|哪个|哪一个)"),
    re.compile(rf"(?P<a>{_CHINESE_SIDE})还是(?P<b>{_CHINESE_SIDE})(?:的|更|[？?。]|$)"),
    re.compile(rf"(?P<a>{_CHINESE_SIDE})比(?P<b>{_CHINESE_SIDE})(?:更|多|少|高|低|大|小|快|慢|好|差|强|弱|早|晚)"),
    re.compile(r"\bbetween (?:the )?(?P<a>[\w'’-]+(?: [\w'’-]+){0,3}?) and (?:the )?(?P<b>[\w'’-]+(?: [\w'’-]+){0,3}?)"
               r"(?=[?,.]|$| in | on | for )", re.IGNORECASE),
    re.compile(r"\bcompar(?:e|ed|ing)? (?:the )?(?P<a>[\w'’-]+(?: [\w'’-]+){0,3}?) (?:with|to|and) (?:the )?"
               r"(?P<b>[\w'’-]+(?: [\w'’-]+){0,3}?)(?=[?,.]|$| in | on | for )", re.IGNORECASE),
    # "How did revenue growth in Water Networks compare with that in Flow Control?": the measure, then the sides.
    re.compile(r"\b(?:does|do|did|is|was|has|have) (?:the )?[\w'’-]+(?: [\w'’-]+){0,3}? (?:in|of|at|for|from) "
               r"(?:the )?(?P<a>[\w&'’-]+(?: [\w&'’-]+){0,3}?) compare (?:with|to|against) (?:that|those|the one) "
               r"(?:in|of|at|for|from) (?:the )?(?P<b>[\w&'’-]+(?: [\w&'’-]+){0,3}?)(?=[?,.]|$| in (?:19|20)\d\d| on | for )",
               re.IGNORECASE),
    re.compile(r"\b(?:does|do|did|is|was) (?:the )?(?P<a>[\w'’-]+(?: [\w'’-]+){0,3}?) compare (?:with|to) (?:the )?"
               r"(?P<b>[\w'’-]+(?: [\w'’-]+){0,3}?)(?=[?,.]|$| in | on | for )", re.IGNORECASE),
    # "How did ready meals do compared with soups?", "How is the bank performing relative to its peers?"
    re.compile(r"\bhow (?:did|does|do|has|have|is|are|was|were) (?:the )?(?P<a>[\w'’-]+(?: [\w'’-]+){0,3}?) "
               r"(?:(?:do|did|done|perform|performed|performing|fare|fared|faring|doing|grow|grew|grown|growing) )?"
               r"(?:compared|relative|in comparison) (?:with|to) (?:the )?(?P<b>[\w'’-]+(?: [\w'’-]+){0,3}?)"
               r"(?=[?,.]|$| in | on | for )", re.IGNORECASE),
    re.compile(r"(?:^|, |: )(?:the )?(?P<a>[\w'’-]+(?: [\w'’-]+){0,2}?) (?:or|vs\.?|versus) (?:the )?"
               r"(?P<b>[\w'’-]+(?: [\w'’-]+){0,2}?)\s*\??$", re.IGNORECASE),
)
_LEADING = re.compile(r"^(?:在|就|从|对于|对比|比较|相比|请问|你觉得|报告认为|报告中|文中|(?:19|20)\d\d年度?)+")
# What follows a side's name and counts them ("华北两个地区", "两块业务"): not part of the side.
_TRAILING = re.compile(r"(?:两|二|这两)(?:个|家|块|项|类|种|大|者)\S{0,4}$")


def compared(question: str) -> tuple[str, str] | None:
    """The two sides a comparison question weighs, as the question names them, or None when it names no two:
    "奶粉和奶酪哪个业务增长更快？" -> ("奶粉", "奶酪"); "Which grew faster, soups or plant-based?" -> ("soups",
    "plant-based")."""
    text = " ".join(unicodedata.normalize("NFKC", question).split())
    for pattern in _SIDES:
        match = pattern.search(text)
        if match:
            a, b = (_TRAILING.sub("", _LEADING.sub("", match.group(side))).strip() for side in ("a", "b"))
            if a and b and a.lower() != b.lower():
                return a, b
    return None


# Where one question asks a second thing: after a question mark with more to come ("去年营收多少？净利润又是多少？",
# "What is the dividend? And the payout ratio?"), or at ", and" / "and" before a question word ("How many members
# does the scheme have, and what share of nights did they book?").
_NEXT_ASK = re.compile(
    r"(?<=[?？])\s*(?=\S)"
    r"|,?\s+and\s+(?=(?:what|how|who|whom|which|when|where|by how much|is|are|was|were|did|does|do|has|have)\b)",
    re.IGNORECASE)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_SHORTEST_PART = 4  # characters of Chinese, or a few English words, that still ask something


# The same thing asked of each of several ("北美、欧洲和亚太地区的收入分别是多少？", "What were revenues in North
# America, EMEA and Asia-Pacific respectively?"): the series of names, each asked alone.
_EACH = re.compile(r"分别|各自|\brespectively\b|\beach\b", re.IGNORECASE)
_CHINESE_NAME = r"[^\s、，,。？?；;的和与及在]{1,12}"
_CHINESE_EACH = re.compile(rf"{_CHINESE_NAME}(?:、{_CHINESE_NAME})*(?:、|和|与|及|以及){_CHINESE_NAME}")
_ENGLISH_EACH = re.compile(r"\b(?:in|for|of|from|at|across|by) ((?:[^,?;]+?, )+(?:and )?[^,?;]+?|[^,?;]+? and [^,?;]+?)"
                           r",?\s*$", re.IGNORECASE)
_SERIES_SEPARATOR = re.compile(r"、|以及|和|与|及|,\s*(?:and\s+)?|\s+and\s+")


def question_parts(question: str) -> tuple[str, ...]:
    """The single asks of a question that asks several things at once, each as written ("公司那款游戏是什么时候推出的？
    每月大概有多少人在玩？" -> two parts; "北美、欧洲和亚太地区的收入分别是多少？" -> one for each region); the
    question alone when it asks one. A part too short to ask anything on its own ("and why?") leaves the question
    whole."""
    parts = tuple(piece.strip(" ,，") for piece in _NEXT_ASK.split(question.strip()))
    if len(parts) < 2:
        parts = _each_asked(question.strip())
    if len(parts) < 2 or any(len(re.sub(r"[^\w]", "", part)) < _SHORTEST_PART * (1 if _CHINESE.search(part) else 3)
                             for part in parts):
        return (question,)
    return parts


def _each_asked(question: str) -> tuple[str, ...]:
    """A question asking the same of each of a series of names, as one question per name."""
    each = _EACH.search(question)
    if each is None:
        return (question,)
    before = question[: each.start()]
    chinese = _CHINESE.search(before) is not None
    series = list((_CHINESE_EACH if chinese else _ENGLISH_EACH).finditer(before))
    if not series:
        return (question,)
    match = series[-1]
    group = 0 if chinese else 1
    names = [name.strip() for name in _SERIES_SEPARATOR.split(match.group(group)) if name.strip()]
    if len(names) < 2:
        return (question,)
    rest = _EACH.sub("", question[match.end(group) :], count=1)
    asked = (" ".join(f"{question[: match.start(group)]}{name}{rest}".split()) for name in names)
    return tuple(re.sub(r"\s+(?=[?？.,，])", "", part) for part in asked)
