"""Whether the documents ever give a measure for the part of the business a question asks it of.

"What EBITDA did the Glulam & Beams segment generate?" of a report that gives EBITDA for the group and revenue
for each segment, or "整装这条渠道的毛利率大概多少？" of one that gives the gross margin overall and by product,
finds sentences close to it in words and meaning (the group's EBITDA, the segment's revenue), and the answerer
would give one of them. A question that names a measure (definitions.py, with the thesaurus's other names) and,
besides it, a word for what it is asked of that the documents use (a segment, a channel, a region) is taken as
held apart by how much less of those other words the paragraphs naming the measure hold than the paragraph
holding most of them: a paragraph with the headings above it, and a table's row with the text introducing its
table (a segment's row under "Revenue by Segment" gives its revenue). The words leave out the measure's own,
years and quarters, and the company's name. Whether that means the documents do not answer is for the abstention
gate to weigh (abstention.FEATURES: measure_apart).
"""

from __future__ import annotations

import re
from typing import Collection, Iterable, Mapping, Sequence

from ..glossary import form_in
from ..lexical import tokenize
from ..tables import CELLS, YEAR, table_row
from .. import definitions, thesaurus
from ..tree import DocumentTree
from .evidence import DESCRIBED
from .periods import periods

_PLACES = thesaurus.places()
_PLACE_WORDS = frozenset(word for place in _PLACES for word in tokenize(place))
# Every name of every measure, as thesaurus.key writes it.
_NAMES = tuple(dict.fromkeys(name for names, _, _ in definitions.ENTRIES for name in names))
_ENTRY_NAMES = tuple(frozenset(names) for names, _, _ in definitions.ENTRIES)


def measures_named(question: str) -> list[frozenset[str]]:
    """The measures (each as all its names) a question names in so many words."""
    text = thesaurus.key(question)
    chinese = question.lower()
    named = []
    for names in _ENTRY_NAMES:
        for name in names:
            if name.isascii():
                if re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text):
                    break
            elif name in chinese:
                break
        else:
            continue
        named.append(names)
    return named


def paragraph_words(trees: Iterable[DocumentTree]) -> list[set[str]]:
    """The words of each paragraph or item of the documents with the headings above it; a table row's also with
    the text before its table in the section (its caption or lead-in)."""
    contexts = []
    for tree in trees:
        before = {}  # section path -> the last line of prose in it
        title = tree.title_heading()
        for node in tree.nodes:
            if node.kind not in ("paragraph", "item"):
                continue
            text = tree.own_text(node)
            # The document's title is above every paragraph: it names what the whole document is about.
            headings = node.path[1:] if title is not None and node.path[:1] == (title.title,) else node.path
            words = set(tokenize(" ".join([text, *headings]))) | periods(" ".join([text, *headings]))
            if table_row(text):
                words |= set(tokenize(before.get(node.path, "")))
            else:
                before[node.path] = text
            contexts.append(words)
    return contexts


def period_apart(question: str, known: Collection[str], contexts: Sequence[set[str]]) -> bool:
    """Whether a question asks for a measure the documents give (definitions.py) in a quarter or half
    (periods.py) that no paragraph naming the measure names: "2024年第四季度单季的归母净利润是多少？" of a report
    giving the fourth quarter's revenue and only the year's net profit. `contexts`: paragraph_words, which hold
    the periods each paragraph names ("q4")."""
    asked = periods(question)
    forms = _measure_forms(question, known) if asked else set()
    if not forms:
        return False
    with_measure = [words for words in contexts if any(form_in(form, words) for form in forms)]
    return any(not any(period in words for words in with_measure) for period in asked)


def part_words(trees: Iterable[DocumentTree]) -> set[str]:
    """The words that name the parts of the documents' subject: those of their headings (not a document's title),
    their items' labels and their table rows' first cells ("Glulam & Beams | 187.2"): a segment, a region, a
    channel, a product; and the names of countries and regions (thesaurus.places), which a report may give
    figures for without a heading of their own ("revenue in Saudi Arabia", 海外收入). ("规模" in "员工规模有多大"
    names none.)"""
    words = set(_PLACE_WORDS)
    for tree in trees:
        title = tree.title_heading()
        for node in tree.nodes:
            if node.kind == "heading" and node is not title:
                words.update(tokenize(node.title))
            elif node.kind == "item" and node.title:
                words.update(tokenize(node.title))
            if node.kind in ("paragraph", "item"):
                text = tree.own_text(node)
                if table_row(text):
                    words.update(tokenize(text.split(CELLS)[0]))  # "| Glulam & Beams" as written, too
    return words


def measure_apart(question: str, terms: Mapping[str, frozenset[str]], idf: Mapping[str, float],
                  known: Mapping[str, float], contexts: Sequence[set[str]], parts: Collection[str],
                  leave_out: Iterable[str] = ()) -> float:
    """0..1: how far the paragraphs naming the measure a question asks for fall short of naming what it asks it
    of, against the paragraph naming most of that: 1 - (the best share of those words, IDF-weighted, in a
    paragraph naming the measure) / (the best share in any paragraph); 0 when the question names no measure the
    documents use, or no other word they use; 1 when it asks the measure of a country or region the documents never
    name ("海外业务的毛利率" of a report that never says 海外). `terms`: the question's words with their forms
    (SentenceScorer.terms); `idf`: their weights; `known`: the documents' words; `contexts`: paragraph_words;
    `parts`: part_words, the words a question may name a part by; `leave_out`: words that name the company rather
    than a part of it."""
    measure_forms = _measure_forms(question, known)
    counted = not measure_forms
    if counted:
        # A count asked of a place ("How many members are there in Asia?"): what is counted is the measure, and
        # only the place what it is asked of (of anything else, a count's words are too loose to judge).
        measure_forms = _counted_forms(question, known)
        if not measure_forms or not any(term in _PLACE_WORDS for term in terms):
            return 0.0
    measure_words = {word for form in measure_forms for word in form.split()}
    leave = set(leave_out)
    if any(term in _PLACES and term not in leave and not any(form_in(form, known) for form in forms)
           for term, forms in terms.items()):
        return 1.0
    qualifiers = {term: idf.get(term, 0.0) for term, forms in terms.items()
                  if (not counted or term in _PLACE_WORDS)
                  and term not in measure_words and not (forms & measure_forms) and term not in leave
                  and any(form_in(form, parts) for form in forms)
                  and not YEAR.fullmatch(term) and not re.fullmatch(r"[a-z]?[\d.,]+[a-z%]?", term)
                  and not term.startswith(DESCRIBED)
                  and not (len(term) == 1 and not term.isascii()) and any(form_in(form, known) for form in forms)}
    total = sum(qualifiers.values())
    if not total:
        return 0.0

    def share(words: set[str]) -> float:
        return sum(weight for term, weight in qualifiers.items()
                   if any(form_in(form, words) for form in terms[term])) / total

    anywhere = max((share(words) for words in contexts), default=0.0)
    if not anywhere:
        return 0.0
    with_measure = max((share(words) for words in contexts if any(form_in(form, words) for form in measure_forms)),
                       default=0.0)
    return max(0.0, 1.0 - with_measure / anywhere)


def _measure_forms(question: str, known: Collection[str]) -> set[str]:
    """The forms of the names of the measures a question names, when the documents use one of them; else empty."""
    forms = {form for names in measures_named(question) for name in names for form in _forms(name)}
    return forms if any(form_in(form, known) for form in forms) else set()


def _counted_forms(question: str, known: Collection[str]) -> set[str]:
    """The forms of what a question asks the number of, when the documents use one of them; else empty."""
    forms = {form for noun in counted_nouns(question) for form in _forms(noun)}
    return forms if any(form_in(form, known) for form in forms) else set()


# What "how many" counts: the last word before the verb ("How many Aldermoor Circle members are there…"), and
# the noun after 多少 ("亚洲有多少会员").
_COUNTED_ENGLISH = re.compile(r"\bhow many (?:[a-z&'’-]+ ){0,3}?([a-z]+s)\b(?= (?:are|were|do|does|did|have|has|had|"
                              r"will|would|can|could|is|was|in|at|across)\b)", re.IGNORECASE)
_COUNTED_CHINESE = re.compile(r"多少(?:个|名|位|家|座|间|户|只)?([^\W\d了过着的]{2,4}?)(?:[？?，,。]|$|在|是|呢)")


def counted_nouns(question: str) -> list[str]:
    """The things a question asks the number of, as it names them."""
    return [match.group(1).lower() for match in _COUNTED_ENGLISH.finditer(question)] + [
        match.group(1) for match in _COUNTED_CHINESE.finditer(question)]


def _forms(name: str) -> list[str]:
    """A measure's name as the documents' words would hold it: its words joined by a space, as tokenised."""
    return [" ".join(tokenize(name))] if name.isascii() else [" ".join(tokenize(name)), name]
