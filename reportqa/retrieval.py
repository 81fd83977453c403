"""Hybrid retrieval: Chroma vectors plus BM25 over jieba tokens, fused by their normalised scores."""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass

import numpy as np

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LangChainDocument
from langchain_core.retrievers import BaseRetriever

from .config import Settings
from .embeddings import load_embeddings
from .errors import NoIndexError, QuestionError
from .glossary import dictionary, translations, with_translations
from .index import Index, StoredChunk
from .answering.calibration import calibration
from .lexical import TOKEN_CHARS, tokenize
from .scope import current_scope, match_documents
from .snapshot import Snapshot, SnapshotReader
from .subject import document_title, title_names, without_subject
from .tree import DocumentTree

_Snapshot = Snapshot  # its name before it moved to reportqa.snapshot

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
RRF_K = 60
CANDIDATES = 20  # per ranker, before fusion
REFRESH_SECONDS = 1.0  # how often the index is checked for another process's re-index

_MARKUP = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>", re.IGNORECASE | re.DOTALL
)


def _blended(vector: list[float], other: list[float], share: float) -> list[float]:
    """Two embeddings mixed, `share` of the second, normalised again."""
    mixed = (1.0 - share) * np.asarray(vector) + share * np.asarray(other)
    return (mixed / (np.linalg.norm(mixed) or 1.0)).tolist()


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk: its text, where it comes from, and how well it matched."""

    id: str
    text: str
    source: str
    section: str
    score: float
    start: int
    end: int


def clean_question(question: str) -> str:
    """The question without control characters or pasted HTML markup; QuestionError when nothing usable is left."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char for char in question
    )
    # Text copied from a web page brings tags whose words would only dilute the search.
    cleaned = _MARKUP.sub(" ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if not cleaned:
        raise QuestionError("The question is empty. Type a question about the documents.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(cleaned)} characters long; keep it under {MAX_QUESTION_CHARS} characters."
        )
    if not TOKEN_CHARS.search(cleaned):
        raise QuestionError("The question has no words in it. Type a question about the documents.")
    return cleaned


def reciprocal_rank_fusion(rankings: list[list[str]], *, k: int = RRF_K) -> list[tuple[str, float]]:
    """Fuse ranked id lists: each id scores the sum of 1 / (k + rank) over the lists it is in."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def relative_score_fusion(scored: list[list[tuple[str, float]]], weights: list[float]) -> list[tuple[str, float]]:
    """Fuse scored id lists: each list's scores min-max normalised to [0, 1], weighted and summed.

    Unlike reciprocal rank fusion this keeps how far apart the candidates are: a passage far
    ahead in one ranker is not pulled level with one that is barely ahead in the other.
    An id missing from a list scores 0 there (it fell below that ranker's candidates).
    """
    fused: dict[str, float] = {}
    for items, weight in zip(scored, weights):
        if not items:
            continue
        low, high = min(score for _, score in items), max(score for _, score in items)
        for item, score in items:
            normalised = (score - low) / (high - low) if high > low else 1.0
            fused[item] = fused.get(item, 0.0) + weight * normalised
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


class Retriever:
    """Retrieves passages for a question from the committed index."""

    def __init__(self, settings: Settings, *, index: Index | None = None, embeddings=None):
        self.settings = settings
        self.index = index or Index(settings)
        self._embeddings = embeddings
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()  # held only to read or swap what requests share, never while reading the index
        self._build_lock = threading.Lock()  # one snapshot build at a time
        self._refreshing = False
        self._reader = SnapshotReader(self.index)
        self._query_vectors: dict[str, list[float]] = {}
        self._trees: dict[str, DocumentTree | None] = {}  # content hash -> tree
        self._names: dict[str, tuple[str, ...]] = {}  # content hash -> the company its title names (subject.py)
        # BM25's share of the fused score when every question word occurs in the documents; it shrinks with
        # the share of question words the documents lack (an English question over Chinese reports).
        self.lexical_weight = calibration().retrieval_lexical
        # The share of a question's embedding taken from the question with the report's company put generally.
        self.subject_share = calibration().subject_query_share
        # The shares of a question's embedding taken from the question in the documents' words (worded).
        self.worded_share = calibration().worded_query_share
        self.translated_share = calibration().translated_query_share
        self._worded: dict[tuple[str, bool], str] = {}  # (question, translated) -> the question in the documents' words
        self._worded_by = None  # the documents' vocabulary (BM25 index) those were worded by

    @property
    def embeddings(self):
        if self._embeddings is None:
            self._embeddings = load_embeddings(self.settings)
        return self._embeddings

    def snapshot(self) -> Snapshot:
        """The committed chunks as last read; never waits for a re-read, except for the first one.

        Every REFRESH_SECONDS a request starts a check of the index in a background thread; when another
        run has changed it, that thread builds the next snapshot and swaps it in, while requests go on
        with the previous one (each document in it whole, in its old version).
        """
        snapshot = self._snapshot
        if snapshot is None:
            with self._build_lock:
                if self._snapshot is None:
                    self._swap(self._reader.refresh(None))
                return self._snapshot
        if time.monotonic() - self._checked_at > REFRESH_SECONDS:
            self._refresh_in_background()
        return snapshot

    def refresh(self) -> Snapshot:
        """Check the index now and swap in a new snapshot if it changed; waits for a build already running."""
        with self._build_lock:
            started = time.monotonic()
            self._swap(self._reader.refresh(self._snapshot), time.monotonic() - started)
            return self._snapshot

    def _swap(self, snapshot: Snapshot, seconds: float = 0.0) -> None:
        """Serve this snapshot from now on; the next check comes no sooner than the build took (at least
        half of a core stays with the requests while another process re-indexes)."""
        with self._lock:
            self._snapshot = snapshot
            self._checked_at = time.monotonic() + max(0.0, seconds - REFRESH_SECONDS)

    def _refresh_in_background(self) -> None:
        with self._lock:
            if self._refreshing or time.monotonic() - self._checked_at <= REFRESH_SECONDS:
                return
            self._refreshing = True
        # Not a daemon: a process that ends while a snapshot is being built waits for it, as the interpreter
        # shutting down under a thread inside Chroma's or numpy's code crashed the process (benchmarks.scale's
        # serving process, 2 runs of 5 at 100k chunks).
        threading.Thread(target=self._background_refresh, name="reportqa-snapshot").start()

    def refresh_or_keep(self) -> None:
        """`refresh`, or, when the index cannot be read now, the last snapshot served on (the failure logged)."""
        try:
            self.refresh()
        except Exception as exc:  # Chroma raises several kinds; requests keep the snapshot they have
            log.warning("could not re-read the index (%s: %s); serving the last snapshot", exc.__class__.__name__, exc)
            with self._lock:
                self._checked_at = time.monotonic()

    def _background_refresh(self) -> None:
        try:
            self.refresh_or_keep()
        finally:
            with self._lock:
                self._refreshing = False

    def tree(self, source: str) -> DocumentTree | None:
        """The committed version's tree of a document (None for an index built before trees were kept)."""
        content_hash = self.snapshot().content_hashes.get(source)
        if content_hash is None:
            return None
        with self._lock:
            if content_hash in self._trees:
                return self._trees[content_hash]
        tree = self.index.tree(content_hash)
        with self._lock:
            self._trees[content_hash] = tree
            while len(self._trees) > 256:
                self._trees.pop(next(iter(self._trees)))
        return tree

    def passage_for_span(self, source: str, start: int, end: int) -> Passage | None:
        """The committed chunk that best covers a span of a document: the shortest holding it, else the most overlap."""
        best, best_key = None, None
        for chunk in self.snapshot().chunks_of(source):
            if chunk.start >= end:
                break
            overlap = min(end, chunk.end) - max(start, chunk.start)
            if overlap <= 0:
                continue
            holds = chunk.start <= start and end <= chunk.end
            key = (holds, overlap, -(chunk.end - chunk.start))
            if best_key is None or key > best_key:
                best, best_key = chunk, key
        return _passage(best, 0.0) if best else None

    def sources(self) -> list[str]:
        """The indexed documents, by their path in the corpus folder."""
        return sorted(self.snapshot().parts)

    def match_documents(self, names) -> frozenset[str] | None:
        """The indexed documents that these names mean (reportqa.scope); None for no names: every document."""
        return None if names is None else match_documents(names, self.snapshot().parts)

    def retrieve(self, question: str, *, k: int | None = None, documents=None) -> list[Passage]:
        """The k passages that best match the question, best first; only from `documents` when given
        (names, as `match_documents` reads them), else from the scope set by `reportqa.scope.within`."""
        question = clean_question(question)
        k = k or self.settings.top_k
        snapshot = self.snapshot()
        if not snapshot.ids:
            raise NoIndexError(
                "The index holds no documents. Add documents to the corpus folder and run `python app.py index`."
            )
        scope = match_documents(documents, snapshot.parts) if documents is not None else current_scope()
        if scope is not None:
            scope = scope & snapshot.parts.keys()  # a document removed since the scope was chosen has no chunks
            if not scope:
                return []
        dense = self.dense_scores(question, snapshot, max(CANDIDATES, k), scope=scope)
        lexical = self.lexical_scores(question, snapshot, max(CANDIDATES, k), scope=scope)
        if self.settings.fusion == "rrf":
            fused = reciprocal_rank_fusion([[item for item, _ in dense], [item for item, _ in lexical]])[:k]
        else:
            fused = self.fuse(question, snapshot, dense, lexical)[:k]
        return [_passage(snapshot.chunks[chunk_id], score) for chunk_id, score in fused]

    def fuse(self, question: str, snapshot: Snapshot, dense: list[tuple[str, float]],
             lexical: list[tuple[str, float]], weight: float | None = None) -> list[tuple[str, float]]:
        """Dense and BM25 scores fused, BM25 weighing `weight` (the fitted one when None) times the share
        of the question's words the documents know."""
        weight = self.lexical_weight if weight is None else weight
        lexical_weight = weight * snapshot.known_share(self.search_tokens(question, snapshot))
        return relative_score_fusion([dense, lexical], [1.0 - lexical_weight, lexical_weight])

    def query_vector(self, question: str, *, source: str | None = None) -> list[float]:
        """The question's embedding; for matching one document's text (`source`), blended with the embedding of
        the question with the company the document's title names put generally (subject.py), when it names
        it. The last few are kept, since the answerer needs them again."""
        vector = self._worded_vector(question)
        general = self.without_subject(question, source) if source is not None and self.subject_share else None
        if general is None:
            return vector
        return _blended(vector, self._worded_vector(general), self.subject_share)

    def _worded_vector(self, question: str) -> list[float]:
        """The question's embedding blended with those of the question in the documents' words: by their other
        names (`worded_share`), then also by their translations (`translated_share`)."""
        vector = self._embedded(question)
        worded = self.worded(question) if self.worded_share else question
        if worded != question:
            vector = _blended(vector, self._embedded(worded), self.worded_share)
        translated = self.worded(question, translated=True) if self.translated_share else worded
        if translated != worded:
            vector = _blended(vector, self._embedded(translated), self.translated_share)
        return vector

    def worded(self, question: str, *, translated: bool = False) -> str:
        """The question with each word or phrase the documents never use put as they name it, the name they use
        most (glossary.translations): by another name in the same script ("top line": revenue; 营收: 营业收入),
        with `translated` also by a name or translation in the other ("aggregate": 骨料). The embedding model
        links such paraphrases only loosely, so a question put in the report's own words lies nearer the
        sentence that answers it."""
        snapshot = self.snapshot()
        with self._lock:
            if self._worded_by is not snapshot.bm25:  # other documents, other words
                self._worded.clear()
                self._worded_by = snapshot.bm25
            if (question, translated) in self._worded:
                return self._worded[question, translated]
        worded = question
        if snapshot.bm25 is not None:
            known = snapshot.bm25.idf
            for phrase, forms in translations(question, known, cache_dir=self.settings.model_cache_dir).items():
                if phrase in forms or not forms:
                    continue  # used as asked
                commonest = min(sorted(forms), key=lambda form: known.get(form, float("inf")))
                if not translated and phrase.isascii() != commonest.isascii():
                    continue
                words = [re.escape(word) for word in phrase.split()]
                pattern = r"(?<![\w])" + r"[\s-]+".join(words) + r"(?![\w])" if phrase.isascii() else re.escape(phrase)
                worded = re.sub(pattern, lambda _: commonest, worded, count=1, flags=re.IGNORECASE)
        with self._lock:
            self._worded[question, translated] = worded
            while len(self._worded) > 256:
                self._worded.pop(next(iter(self._worded)))
        return worded

    def without_subject(self, question: str, source: str) -> str | None:
        """The question with the company `source` is about put as "the company"; None if it does not name it."""
        content_hash = self.snapshot().content_hashes.get(source)
        if content_hash is None:
            return None
        with self._lock:
            names = self._names.get(content_hash)
        if names is None:
            tree = self.tree(source)
            table = dictionary(self.settings.model_cache_dir)
            names = title_names(document_title(tree), table) if tree is not None else ()
            with self._lock:
                self._names[content_hash] = names
                while len(self._names) > 4096:
                    self._names.pop(next(iter(self._names)))
        return without_subject(question, names) if names else None

    def _embedded(self, text: str) -> list[float]:
        with self._lock:
            if text in self._query_vectors:
                return self._query_vectors[text]
        vector = self.embeddings.embed_query(text)
        with self._lock:
            self._query_vectors[text] = vector
            while len(self._query_vectors) > 64:
                self._query_vectors.pop(next(iter(self._query_vectors)))
        return vector

    def dense_ranking(self, question: str, snapshot: Snapshot, n: int) -> list[str]:
        """Chunk ids by vector similarity, skipping chunks no committed document lists."""
        return [chunk_id for chunk_id, _ in self.dense_scores(question, snapshot, n)]

    def lexical_ranking(self, question: str, snapshot: Snapshot, n: int) -> list[str]:
        """Chunk ids by BM25 over jieba tokens; chunks sharing no token are left out."""
        return [chunk_id for chunk_id, _ in self.lexical_scores(question, snapshot, n)]

    def dense_scores(self, question: str, snapshot: Snapshot, n: int, *,
                     scope: frozenset[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first, of committed chunks (of the `scope` documents only)."""
        # The snapshot's own collection handle: its vectors were loaded with its chunks (reportqa.snapshot).
        chunks_collection = snapshot.collection if snapshot.collection is not None else self.index.collections()[0]
        stored = chunks_collection.count()
        # Uncommitted chunks of a running re-index, and chunks deleted since the vectors were loaded, may
        # outrank committed ones: fetch enough to skip them.
        n_results = min(stored + snapshot.stale_vectors, n + snapshot.stale_vectors + max(0, stored - len(snapshot.ids)))
        if n_results == 0:
            return []
        where = {"source": {"$in": sorted(scope)}} if scope is not None else None
        scored = self._nearest(chunks_collection, self.query_vector(question), n_results, where, snapshot)[:n]
        # A document whose company the question names is matched by the blended embedding (query_vector).
        named = [source for source in dict.fromkeys(snapshot.chunks[chunk_id].source for chunk_id, _ in scored)
                 if self.subject_share and self.without_subject(question, source) is not None]
        if not named:
            return scored
        scored = [(chunk_id, score) for chunk_id, score in scored if snapshot.chunks[chunk_id].source not in named]
        for source in named:
            scored += self._nearest(chunks_collection, self.query_vector(question, source=source), n_results,
                                    {"source": source}, snapshot)
        return sorted(scored, key=lambda pair: -pair[1])[:n]

    @staticmethod
    def _nearest(collection, vector: list[float], n_results: int, where: dict | None,
                 snapshot: Snapshot) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the committed chunks nearest the vector, best first."""
        result = collection.query(query_embeddings=[vector], n_results=n_results, where=where, include=["distances"])
        pairs = zip(result["ids"][0], result["distances"][0])
        return [(chunk_id, 1.0 - distance) for chunk_id, distance in pairs if chunk_id in snapshot.chunks]

    def search_tokens(self, question: str, snapshot: Snapshot) -> list[str]:
        """The question's BM25 tokens; a word the documents do not use is replaced by its forms or its
        translations that they do use (glossary.py: "risks" -> risk, "battery" -> 电池)."""
        tokens = tokenize(question)
        if snapshot.bm25 is None:
            return tokens
        return with_translations(tokens, question, snapshot.bm25.idf, cache_dir=self.settings.model_cache_dir)

    def lexical_scores(self, question: str, snapshot: Snapshot, n: int, *,
                       scope: frozenset[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score), best first; chunks sharing no token, or outside the `scope` documents, are left out.

        The scores are those over the whole index (its IDF), so a passage scores the same with or without a scope."""
        tokens = self.search_tokens(question, snapshot)
        if not tokens or snapshot.bm25 is None:
            return []
        scores = snapshot.bm25_scores(tokens)
        if scope is not None:
            scores = np.where(snapshot.rows_of(scope), scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        order = positive[np.argsort(-scores[positive], kind="stable")][:n]  # ties keep index order
        return [(snapshot.ids[i], float(scores[i])) for i in order]


class ReportRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain retriever (`invoke(question)` -> Documents)."""

    retriever: Retriever
    k: int = 5
    documents: list[str] | None = None  # names of the documents to search (None: all)

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LangChainDocument]:
        return [
            LangChainDocument(
                page_content=passage.text,
                id=passage.id,
                metadata={
                    "source": passage.source,
                    "section": passage.section,
                    "score": passage.score,
                    "start": passage.start,
                    "end": passage.end,
                },
            )
            for passage in self.retriever.retrieve(query, k=self.k, documents=self.documents)
        ]


def _passage(chunk: StoredChunk, score: float) -> Passage:
    return Passage(chunk.chunk_id, chunk.text, chunk.source, chunk.section, round(score, 6), chunk.start, chunk.end)
