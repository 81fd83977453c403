"""Evidence: the sentences and the document nodes that answer a question, each scored."""

from __future__ import annotations

import functools
import math
import re
import threading
from pathlib import Path
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..chunking import SECTION_SEPARATOR, split_sentences
from .. import definitions
from ..glossary import ENGLISH_STOPWORDS, form_in, names_used, translations
from ..retrieval import Passage, Retriever, tokenize
from ..sentvectors import SentenceVectors
from ..subject import document_title
from ..tables import FIGURE, YEAR, column_names_line, row_values
from ..tree import DocumentTree, Node
from .calibration import Calibration
from .types import is_chinese

# Ways of asking that name nothing the answer holds ("多长时间" asks for a duration; 60 天 answers it).
_ASKING = re.compile(r"多长时间|多少时间|什么时间|什么时候|多久|多大|多高|多长|多远|多快|大概|大约|请问|一下|"
                     r"是指|指的是|主要是|具体是|做了什么|做了哪些|做什么|方面|"
                     # How something is doing: "医药冷链业务发展得怎么样" asks about the business, not its 发展规划.
                     r"(?:发展|表现|进展|经营|运营|运行|做)得?(?:怎么样|怎样|如何)(?=\s*[?？。]*\s*$)|"
                     # A kind of answer asked for by name: "邹游的职业是什么" is answered by "中国足球运动员", and a
                     # sentence about his 职业足球生涯 does not answer it.
                     r"(?:职业|国籍|身份|籍贯|性别|性质|类型|类别)(?=是什么|是哪|为何|为什么|是\?|是？|[?？]|的公司|的机构|的组织)|"
                     r"(?<=是什么)(?:职业|国籍|身份|性质|类型|类别)|(?<=什么)(?:职业|国籍|身份)|"
                     r"\b(?:occupation|profession|nationality)\b")
# Words that place a figure in time around the year that names it: "at the end of 2024", "when 2024 ended", "at
# year end", 2024年底. The year matches; "end" and "closed" would match sentences about an ending or a closure
# (and a report's title, "for the year ended 31 December").
_TIME_OF_YEAR = re.compile(
    r"\b(?:the )?(?:end|close|start|beginning)(?= of (?:the )?(?:(?:financial|fiscal|calendar) )?(?:year|(?:19|20)\d\d)\b)|"
    r"(?<=(?:19|20)\d\d )(?:ended|closed|finished|began|started)\b|(?<=\byear )(?:ended|closed)\b|\byear[- ]end\b|"
    r"(?<=年)(?:底|末|初)|年底|年末|年初|"
    # The asker's own year, which a report names by its number or not at all: the year it covers.
    r"\b(?:last|this|the past) (?:financial |fiscal )?year\b|去年|今年",
    re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*•·]\s*|\d{1,2}[.)、]\s+|[（(]\d{1,2}[）)]\s*)")
MIN_SENTENCE_CHARS = 4
# A report's legal boilerplate, under a heading of its own in any broker's note or filing ("免责声明", "分析师声明",
# "投资评级说明", "Disclaimer", "Analyst certification", "Important disclosures"): it answers only a question about
# itself ("评级说明里买入是什么意思", "What does the disclaimer say?"), and its general words ("投资者应当自行承担投资
# 风险") would otherwise answer questions on the report's own risks or ratings.
_BOILERPLATE = re.compile(
    r"免责|(?:分析师|法律|重要|特别|合规)声明|(?:投资|股票|行业)?评级(?:说明|定义|标准|体系)|版权|"
    r"\b(?:disclaimers?|important (?:disclosures|information|notice)|analyst certifications?|legal (?:notice|information)|"
    r"rating (?:definitions?|key|scale)|copyright)\b", re.IGNORECASE)
_SHORT_HEADING = 24  # boilerplate has a heading of a few words; a report titled "… Disclosure Report" is not it


def boilerplate(section: str) -> bool:
    """Whether a section path (" › "-joined) lies under a heading of a report's legal boilerplate."""
    return any(len(heading) <= _SHORT_HEADING and _BOILERPLATE.search(heading)
               for heading in section.split(SECTION_SEPARATOR))


def substantive(question: str, passages: Sequence[Passage]) -> list[Passage]:
    """The passages outside the documents' legal boilerplate, unless the question asks about it."""
    if _BOILERPLATE.search(question):
        return list(passages)
    return [passage for passage in passages if not boilerplate(passage.section)]
DESCRIBED = "≈ "  # how a standard measure the question describes (definitions.py) is keyed among its words
_DESCRIPTIONS: dict[tuple[int, bool], tuple] = {}  # definitions.py's (model, vectors) by model and language
_DESCRIPTIONS_LOCK = threading.Lock()
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?:\s|$)")
ZIPF_CEILING = 9.0  # a word used once in every billion words has Zipf frequency 0; "the" about 7.7


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a retrieved passage with how well it answers the question."""

    passage_rank: int
    text: str
    lexical: float
    dense: float
    score: float
    covered: frozenset[str]
    weights: tuple[tuple[str, float], ...] = ()
    source: str = ""
    start: int = 0  # in the document
    end: int = 0

    def gain(self, already_covered: set[str]) -> float:
        """The share of the question's weight this sentence answers beyond what is covered."""
        return sum(weight for token, weight in self.weights if token not in already_covered)


@dataclass(frozen=True)
class NodeMatch:
    """A heading of a document (a section) and how well it answers the question."""

    tree: DocumentTree
    node: Node
    score: float
    support: float  # the best fused passage score inside the node
    evidence: float  # the best sentence inside the node, as a share of the best sentence's score (0..1)
    title_words: float  # the title's share of the question's words (translated across languages)
    title_dense: float  # the title's embedding similarity to the question, 0..1

    @property
    def title_match(self) -> float:
        """The title alone: half its words, half its embedding."""
        return 0.5 * self.title_words + 0.5 * self.title_dense


class SentenceScorer:
    """Scores sentences by IDF-weighted word overlap with the question and embedding similarity."""

    def __init__(self, retriever: Retriever, calibration: Calibration):
        self.retriever = retriever
        self.calibration = calibration
        self._vectors_by_text: dict[str, np.ndarray] = {}  # embedded here: texts the stored vectors lack
        self._spelled: dict[tuple[str, str], frozenset[str]] = {}  # spelled_out, by acronym and index fingerprint
        self._documents: dict[str, tuple] = {}  # document_sentences, by source: (tree, units, vectors)
        self._lock = threading.Lock()

    def cross_lingual(self, question: str, texts: Sequence[str]) -> bool:
        """Whether the question is in another language than the texts (English asked of Chinese text, or
        Chinese asked of text with no Chinese in it)."""
        chinese_texts = [is_chinese(text) for text in texts]
        return any(chinese_texts) if not is_chinese(question) else bool(texts) and not any(chinese_texts)

    def dense_scaled(self, similarity: float, cross_lingual: bool, question: str = "", *,
                     heading: bool = False) -> float:
        """An e5 cosine similarity mapped onto 0..1 by the band calibrated for the pair of languages
        (similarities run lower across languages, and lower between English texts than Chinese ones), and for
        a sentence or, with `heading`, a section's heading."""
        fitted = self.calibration
        if cross_lingual:
            band = (heading and fitted.cross_lingual_heading_dense_band) or fitted.cross_lingual_dense_band
        elif is_chinese(question):
            band = (heading and fitted.heading_dense_band) or fitted.dense_band
        else:
            band = (heading and fitted.english_heading_dense_band) or fitted.english_dense_band
        floor, ceiling = band
        return min(1.0, max(0.0, (similarity - floor) / (ceiling - floor)))

    def score(self, question: str, passages: Sequence[Passage], *, elsewhere: int = 0) -> list[ScoredSentence]:
        """Every sentence of the passages, best first; with `elsewhere`, also that many sentences of their
        documents outside them, those nearest the question by embedding (nearest_elsewhere)."""
        units = []
        for rank, passage in enumerate(passages):
            tree = self.retriever.tree(passage.source)
            opening = title_end(tree) if tree is not None else 0
            for start, end in whole_sentences(passage.text):
                text = passage.text[start:end]
                if passage.start + start < opening and not _SENTENCE_END.search(text):
                    continue  # the document's title line: a name, not a statement
                if column_names_line(text):
                    continue  # "Segment | Revenue 2024 | Growth": names of columns, no fact
                units.append((rank, passage.source, passage.section, passage.start + start, text))
        if elsewhere:
            units += self.nearest_elsewhere(question, passages, elsewhere)
        # Overlapping passages hold the same sentence: it is scored once, as part of the best-ranked of them.
        units = list({(unit[1], unit[3], unit[4]): unit for unit in reversed(units)}.values())[::-1]
        return self.score_units(question, units, cross_lingual=self.cross_lingual(question, [p.text for p in passages]))

    def nearest_elsewhere(self, question: str, passages: Sequence[Passage], n: int) -> list[tuple[int, str, str, int, str]]:
        """The n sentences of each of the passages' documents, outside the passages, nearest the question by
        embedding, as scorer units ranked after every passage.

        A passage is scored as a whole, and a sentence stating a paraphrased fact can sit in one that the
        rest of its text keeps out of the top passages ("Our clinics carried out 4.2 million consultations"
        in a paragraph on prices and pay); the sentence vectors are stored with the index, so looking at every
        sentence of the documents costs one product per sentence."""
        found = []
        asks_boilerplate = _BOILERPLATE.search(question) is not None
        for source in dict.fromkeys(passage.source for passage in passages):
            tree = self.retriever.tree(source)
            if tree is None or not tree.nodes:
                continue
            units, vectors = self.document_sentences(tree)
            spans = [(p.start, p.start + len(p.text)) for p in passages if p.source == source]
            outside = [i for i, unit in enumerate(units) if not any(start <= unit[3] < end for start, end in spans)
                       and (asks_boilerplate or not boilerplate(unit[2]))]
            if not outside:
                continue
            query = np.asarray(self.retriever.query_vector(question, source=source), dtype=np.float32)
            similarity = vectors[outside] @ query
            found += [(len(passages), *units[outside[i]][1:]) for i in np.argsort(-similarity, kind="stable")[:n]]
        return found

    def document_sentences(self, tree: DocumentTree) -> tuple[list[tuple[int, str, str, int, str]], np.ndarray]:
        """A document's sentences as scorer units and their vectors, one row each; made once per document
        version (a tree is made anew when its document changes), not for every question."""
        with self._lock:
            cached = self._documents.get(tree.source)
        if cached is not None and cached[0] is tree:
            return cached[1], cached[2]
        units = [unit for unit in node_sentences(tree, tree.nodes[0]) if scored_text(unit[4])]
        vectors = np.asarray(self.vectors([scored_text(unit[4]) for unit in units]), dtype=np.float32)
        with self._lock:
            self._documents.pop(tree.source, None)
            self._documents[tree.source] = (tree, units, vectors)
            while len(self._documents) > 64:  # the documents asked about last, a few hundred vectors each
                self._documents.pop(next(iter(self._documents)))
        return units, vectors

    def score_units(self, question: str, units: list[tuple[int, str, str, int, str]], *,
                    cross_lingual: bool) -> list[ScoredSentence]:
        """Score (rank, source, section, start, text) units, best first; a unit's rank lowers it a little."""
        terms = self.terms(question)
        idf = self.idf(terms)
        weighted_by_source = {}  # per document: the question words' weights there (subject_weighted), their sum
        for source in {unit[1] for unit in units}:
            weighted = self.subject_weighted(terms, idf, source)
            weighted_by_source[source] = (weighted, sum(weighted.values()) or 1.0)
        queries = {source: np.asarray(self.retriever.query_vector(question, source=source), dtype=np.float32)
                   for source in weighted_by_source}
        candidates = []
        for rank, source, section, start, raw in units:
            text = scored_text(raw)
            if text:
                offset = start + raw.index(text)
                candidates.append((rank, source, section, offset, text))
        vectors = self.vectors([text for *_, text in candidates])
        scored = []
        for (rank, source, section, start, text), vector in zip(candidates, vectors):
            weighted, total_weight = weighted_by_source[source]
            own = row_values(text)
            covered = _years_own(covered_terms(terms, set(tokenize(f"{section} {own}"))), own)
            lexical = sum(weighted[token] for token in covered) / total_weight
            dense = float(np.dot(queries[source], vector))
            dense_scaled = self.dense_scaled(dense, cross_lingual, question)
            # Across languages only dictionary words match, too few to weigh as much as the embedding.
            share = self.calibration.cross_lingual_lexical if cross_lingual else self.calibration.same_language_lexical
            score = sentence_score(dense_scaled, lexical, rank, share)
            weights = tuple((token, weighted[token] / total_weight) for token in sorted(covered))
            scored.append(ScoredSentence(rank, text, lexical, dense, score, frozenset(covered), weights,
                                         source, start, start + len(text)))
        return sorted(scored, key=lambda sentence: -sentence.score)

    def terms(self, question: str, *, asking_removed: bool = True) -> dict[str, frozenset[str]]:
        """The question's words, each with the words of the documents that match it.

        A word matches itself; a word the documents never use also matches its translations that they
        do use (glossary.py): "battery" matches 电池 in a Chinese report.
        """
        text = _TIME_OF_YEAR.sub(" ", _ASKING.sub(" ", question)) if asking_removed else question
        tokens = [token for token in tokenize(text) if token not in ENGLISH_STOPWORDS] or tokenize(question)
        terms = {token: frozenset({token}) for token in tokens}
        for words, forms in translations(text, self.known(), cache_dir=self.retriever.settings.model_cache_dir).items():
            for word in words.split():
                terms.pop(word, None)
            terms[words] = forms
        known = self.known()
        for token, forms in terms.items():
            if forms == {token} and token not in known and re.search(rf"(?<![A-Za-z]){token.upper()}(?![A-Za-z])", question):
                terms[token] = forms | self.spelled_out(token)
        measure = self.described(question, terms)
        if measure is not None:
            # The question's words that its description uses describe the measure: each matches its names too.
            name, used, description = measure
            describing = set(tokenize(description))
            for term, forms in list(terms.items()):
                if any(form_in(form, describing) for form in forms):
                    terms[term] = forms | used
            terms[DESCRIBED + name] = used
        return terms

    def described(self, question: str, terms: dict[str, frozenset[str]]) -> tuple[str, frozenset[str], str] | None:
        """The standard measure the question describes without naming it (definitions.py), as (its first name,
        the forms of its names the documents use, the description): the one whose description in the question's language is
        nearest the question, when it is at least `definition_similarity` near, the documents name it and
        the question does not already match a name of it. None otherwise."""
        threshold = self.calibration.definition_similarity[0 if is_chinese(question) else 1]
        if threshold >= 1.0:
            return None
        similarity, names, description = self.descriptions(question)[0]
        if similarity < threshold:
            return None
        known = self.known()
        used = frozenset(form for name in names for form in names_used(name, known))
        asked = {word for forms in terms.values() for form in forms for word in form.split()}
        if not used or any(form_in(form, asked) for form in used):
            return None
        return names[0], used, description

    def descriptions(self, question: str) -> list[tuple[float, tuple[str, ...], str]]:
        """(similarity to the question, names, description) of each measure of definitions.py, nearest first, by
        its description in the question's language."""
        chinese = is_chinese(question)
        texts = [chinese_text if chinese else english for _, english, chinese_text in definitions.ENTRIES]
        embeddings = self.retriever.embeddings
        key = (id(embeddings), chinese)  # the same for every answerer over the same embedding model
        with _DESCRIPTIONS_LOCK:
            kept = _DESCRIPTIONS.get(key)
        if kept is not None and kept[0] is embeddings:
            vectors = kept[1]
        else:
            vectors = np.asarray([embeddings.embed_query(text) for text in texts], dtype=np.float32)
            with _DESCRIPTIONS_LOCK:
                _DESCRIPTIONS[key] = (embeddings, vectors)  # the model kept with them: its id is not reused
                while len(_DESCRIPTIONS) > 8:
                    _DESCRIPTIONS.pop(next(iter(_DESCRIPTIONS)))
        similarity = vectors @ np.asarray(self.retriever.query_vector(question), dtype=np.float32)
        return sorted(((float(similarity[i]), definitions.ENTRIES[i][0], texts[i]) for i in range(len(similarity))),
                      key=lambda found: -found[0])

    def spelled_out(self, acronym: str) -> frozenset[str]:
        """The names the documents write out whose words' initials spell an acronym the question uses and they do
        not ("NPS": "net promoter score", "SAF": "sustainable aviation fuel"), as names_used forms."""
        if not re.fullmatch(r"[a-z]{2,6}", acronym):
            return frozenset()
        key = (acronym, self.retriever.snapshot().fingerprint)  # a question looks its words up several times
        with self._lock:
            if key in self._spelled:
                return self._spelled[key]
        words = r"[\s-]+".join(rf"{letter}[a-z]*" for letter in acronym)
        pattern = re.compile(rf"(?<![A-Za-z]){words}(?![A-Za-z])", re.IGNORECASE)
        found = set()
        for source in self.retriever.sources():
            tree = self.retriever.tree(source)
            if tree is not None:
                found |= {" ".join(re.split(r"[\s-]+", match.group(0).lower())) for match in pattern.finditer(tree.text)}
        with self._lock:
            if len(self._spelled) > 256:
                self._spelled.clear()
            self._spelled[key] = frozenset(found)
        return frozenset(found)

    def subject_weighted(self, terms: dict[str, frozenset[str]], idf: dict[str, float], source: str) -> dict[str, float]:
        """The question words' weights for matching one document's sentences: a word of the document's title
        other than a figure (the company it is about: "Beacon Ridge", 锦和新材) weighs `subject_weight` times its
        IDF, since every sentence of the document is about it whether it names it or not ("2024 was a year of
        steady progress for Beacon Ridge." answers nothing asked about Beacon Ridge's workforce)."""
        share = self.calibration.subject_weight
        named = self.subject(source) if share != 1.0 else frozenset()
        if not named:
            return idf
        return {term: weight * share if any(form_in(form, named) for form in terms[term]) else weight
                for term, weight in idf.items()}

    def subject(self, source: str) -> frozenset[str]:
        """The words of a document's title (document_title) that hold no digit."""
        tree = self.retriever.tree(source)
        if tree is None:
            return frozenset()
        return frozenset(word for word in tokenize(document_title(tree)) if not any(c.isdigit() for c in word))

    def unknown_share(self, question: str) -> float:
        """The share of the question's (IDF-weighted) words that the documents never use, in any form or
        translation: "employees" asked of a Chinese report that counts no staff, 董事长 of one that names no
        chairman. (Counting only words jieba tags as naming something, and across languages only words the
        dictionary translates, separated answerable from unanswerable questions less well.)"""
        terms = self.terms(question)
        idf = self.idf(terms)
        known = self.known()
        total = sum(idf.values()) or 1.0
        return sum(idf[term] for term, forms in terms.items() if not any(form_in(form, known) for form in forms)) / total

    def known(self) -> dict[str, float]:
        """The documents' search words and their IDF."""
        bm25 = self.retriever.snapshot().bm25
        return bm25.idf if bm25 is not None else {}

    def idf(self, terms: dict[str, frozenset[str]]) -> dict[str, float]:
        """IDF of each question word in the index (a translated word: its most specific translation's).

        A word the documents never use weighs by how specific it is in the language at large: a name they
        lack (特斯拉, Halden) or a word unknown even there weighs as the rarest word of the documents, a
        common word of the asker's own phrasing (报告, 内容, actually, widely) much less.
        """
        known = self.known()
        unseen = max(max(known.values(), default=1.0), math.log(2.0))
        weights = {}
        for term, forms in terms.items():
            # A word the documents use weighs as itself, though its other names match too (合作: 战略合作); a
            # name of several words weighs as its most specific word ("capital expenditure": expenditure).
            matched = [known[term]] if term in known else [
                max(known[part] for part in form.split()) for form in forms if form_in(form, known)]
            weights[term] = max(max(matched) if matched else unseen * general_specificity(term), 0.05)
        return weights

    @functools.cached_property
    def stored_vectors(self) -> SentenceVectors:
        """The sentence vectors stored with the index (opened on first use)."""
        return SentenceVectors(self.retriever.settings.index_dir, self.retriever.index.model_id)

    def vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Passage embeddings of the texts: stored with the index (reportqa.sentvectors), else computed once
        per process."""
        with self._lock:
            found = {text: self._vectors_by_text[text] for text in texts if text in self._vectors_by_text}
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        found.update(self.stored_vectors.get(missing))
        missing = [text for text in missing if text not in found]
        if missing:
            vectors = self.retriever.embeddings.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, vectors):
                    self._vectors_by_text[text] = found[text] = np.asarray(vector, dtype=np.float32)
        return [found[text] for text in texts]


def sentence_score(dense_scaled: float, lexical: float, rank: int, lexical_share: float) -> float:
    """A sentence's score: its scaled embedding similarity and its word matches, weighed by `lexical_share`;
    its passage's rank lowers it a little."""
    return (1 - lexical_share) * dense_scaled + lexical_share * lexical - 0.01 * rank


def scored_text(raw: str) -> str:
    """A sentence as the scorer embeds it: without its bullet or number; "" when too short to score."""
    bullet = _BULLET.match(raw)
    text = raw[bullet.end() :].strip() if bullet else raw.strip()
    return text if len(text) >= MIN_SENTENCE_CHARS else ""


def covered_terms(terms: dict[str, frozenset[str]], tokens: set[str]) -> frozenset[str]:
    """The question's words that a text's tokens match."""
    return frozenset(term for term, forms in terms.items() if any(form_in(form, tokens) for form in forms))


def _years_own(covered: frozenset[str], text: str) -> frozenset[str]:
    """The covered words without a year that the sentence's section names (the report's title: "Annual
    Report 2024") when the sentence itself names other years: "For 2025 the company expects revenue
    growth…" does not state 2024's revenue."""
    stated = set(YEAR.findall(text))
    if not stated:
        return covered
    return frozenset(term for term in covered if not (YEAR.fullmatch(term) and term not in stated))


_OPENING, _CLOSING = "（(《“「『【[", "）)》”」』】]"
_BRACKETED_SEMICOLON = re.compile(r"[；;]\s*[）)]$")


def general_specificity(word: str) -> float:
    """0..1: how rare a word is in its language at large (1: unknown there). Chinese by jieba's IDF table,
    other words by wordfreq's frequencies (its Zipf scale: log10 of uses per billion words)."""
    if _HAN.search(word):
        general, general_max = general_idf()
        return general.get(word, general_max) / general_max
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return 1.0
    return (ZIPF_CEILING - min(zipf_frequency(word, "en"), ZIPF_CEILING)) / ZIPF_CEILING


@functools.lru_cache(maxsize=1)
def general_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table of general Chinese text (word -> IDF) and its largest value."""
    import jieba

    # Read directly: importing jieba.analyse loads this table with a file it never closes.
    path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    table = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    return table, max(table.values())


def title_end(tree: DocumentTree) -> int:
    """Where the document's title line ends: the text above its first heading, else its first line when that is
    a paragraph of its own that ends in no sentence end, with text below it (a page's title above its text)."""
    opening = tree.opening_end()
    first = next((node for node in tree.nodes if node.kind != "document"), None)
    if opening or first is None or first.kind != "paragraph" or first.children:
        return opening
    line = tree.own_text(first)
    if _SENTENCE_END.search(line) or not tree.text[first.line_end :].strip():
        return 0
    return first.line_end


def whole_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, a sentence whose bracket or quote is still open joined with the next ones, and one
    that ends at a semicolon inside brackets ("舜天（；）据…记载，是…") with the rest of its sentence."""
    spans = []
    for start, end in split_sentences(text):
        previous = text[spans[-1][0] : spans[-1][1]] if spans else ""
        if spans and (_open_brackets(previous) > 0 or _BRACKETED_SEMICOLON.search(previous)) \
                and "\n" not in text[spans[-1][1] : start]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _open_brackets(text: str) -> int:
    return sum(text.count(char) for char in _OPENING) - sum(text.count(char) for char in _CLOSING)


def rank_nodes(question: str, passages: Sequence[Passage], retriever: Retriever,
               scorer: SentenceScorer, sentences: Sequence[ScoredSentence] = ()) -> list[NodeMatch]:
    """The sections of the documents the passages come from, best first.

    A section scores by its own title against the question (words and embedding), by the passages found
    inside it and by the best of the scored `sentences` inside it (small-to-big: passages are found by
    search, sentences answer, sections hold them).
    """
    weights = scorer.calibration
    candidates: dict[tuple[str, int], tuple[DocumentTree, Node]] = {}
    for passage in passages:
        tree = retriever.tree(passage.source)
        if tree is None or any(key[0] == tree.source for key in candidates):
            continue
        # Every heading of a document that holds a retrieved passage: a section may answer by its title
        # alone ("哪些展望" and 未来展望), or across languages, where words cannot be matched.
        for node in tree.headings():
            if not tree.is_whole(node):  # a "# Title" above the sections names the document, not a part
                candidates[(tree.source, node.index)] = (tree, node)
    if not candidates:
        return []
    terms = scorer.terms(question, asking_removed=False)
    idf = scorer.idf(terms)
    total_weight = sum(idf.values()) or 1.0
    cross_lingual = scorer.cross_lingual(question, [p.text for p in passages])
    queries = {source: np.asarray(retriever.query_vector(question, source=source), dtype=np.float32)
               for source in {tree.source for tree, _ in candidates.values()}}
    best_sentence = max((s.score for s in sentences), default=0.0)
    matches = []
    for tree, node in candidates.values():
        lexical = sum(idf[term] for term in covered_terms(terms, set(tokenize(node.title)))) / total_weight
        vector = tree.heading_vectors.get(node.index)
        dense = (scorer.dense_scaled(float(np.dot(queries[tree.source], vector)), cross_lingual, question, heading=True)
                 if vector is not None else 0.0)
        inside = [p.score for p in passages if p.source == tree.source and node.start <= p.start and p.end <= node.end]
        support = max(inside, default=0.0)
        held = max((s.score for s in sentences if s.source == tree.source and node.start <= s.start < node.end),
                   default=0.0)
        evidence = max(0.0, held) / best_sentence if best_sentence > 0 else 0.0
        score = (weights.node_title_lexical * lexical
                 + weights.node_title_dense * dense
                 + weights.node_support * support + weights.node_evidence * evidence)
        matches.append(NodeMatch(tree, node, score, support, evidence, lexical, dense))
    return sorted(matches, key=lambda match: (-match.score, match.node.start))


def node_sentences(tree: DocumentTree, node: Node) -> list[tuple[int, str, str, int, str]]:
    """The sentences below a node's own heading line as scorer units (rank 0); those of its own line, for an
    item or a paragraph."""
    units = []
    below = tree.nodes[node.index + 1 :]
    for child in below if node.kind in ("heading", "document") else [node, *below]:
        if child.start >= node.end:
            break
        if child.kind == "heading":
            continue
        line = tree.own_text(child)
        for start, end in split_sentences(line):
            units.append((0, tree.source, child.section, child.line_start + start, line[start:end]))
    return units
