"""Building the index: bring it in line with the corpus, crash-safely, embedding only new chunks.

Each document is handled by `index_document`: new chunks (with their vectors and search terms), the
document's tree and its sentences' vectors (reportqa.sentvectors) are stored first, then the document's
record is written (its commit point), then the chunks of its previous version are deleted. The Chroma
writes of a group of documents are made together, in that order for all of them (`Writes`). A run killed
anywhere leaves every document whole in its old or its new version; the next run deletes what it left
behind. See reportqa.index for the collections and how they are read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from . import index as index_module
from .chunking import Chunk, chunk_document, chunks_version
from .config import Settings
from .errors import EmptyCorpusError, ReportQAError
from .index import REINDEX_MARKER, Index, IndexedDocument, StoredChunk
from .lexical import TermCounts, Vocabulary, chunk_terms, stored_terms, terms_metadata, terms_version
from .partcache import PartCache
from .loaders import Document, list_documents, load_document, supported_formats
from .sentvectors import SentenceVectors, answer_texts
from .tree import DocumentTree, document_tree

log = logging.getLogger(__name__)

EMBED_BATCH = 128  # texts per call to the model (and chunks per Chroma add)
# New documents of up to AHEAD_CHUNKS chunks are embedded together, in groups of about GROUP_CHUNKS chunks
# (with their headings and sentences), so that the model batches texts of similar length across documents:
# the torch engine embedded 43 CMRC sentences/s in calls of 256 against 16-19/s in calls of 4 to 32 (2 cores,
# load average ~2). A group's texts go to the model sorted by length, in slices of AHEAD_SLICE, each moving the
# progress on. A cold build of 120 CMRC contexts (435 chunks; `python -m benchmarks.embedding --group-sizes
# 64,256,1024 --build-contexts 120`, 5 rounds, load ~1.5) took 0.989x the time of groups of 64 chunks in groups of
# 256 and 0.966x in groups of 1,024 (pairs 0.900-0.984).
AHEAD_CHUNKS = 64
GROUP_CHUNKS = 1024
AHEAD_SLICE = 512
WRITE_BATCH = 5000  # ids per Chroma update or delete
_PLACEHOLDER_VECTOR = [1.0]  # document records are looked up by id, never by vector


@dataclass(frozen=True)
class Progress:
    """One step of `build_index`: a document being indexed (number of total) or removed; or "chunks": the
    chunks done so far (number) of all the run indexes (total), reported as their vectors are computed."""

    action: str  # "indexing" | "removing" | "chunks"
    source: str = ""
    number: int = 0
    total: int = 0

    def __str__(self) -> str:
        if self.action == "indexing":
            return f"[{self.number}/{self.total}] indexing {self.source}"
        if self.action == "chunks":
            return f"{self.number}/{self.total} chunks"
        return f"removing {self.source}"


@dataclass(frozen=True)
class IndexReport:
    """What one `build_index` run changed."""

    documents_added: int = 0
    documents_updated: int = 0
    documents_unchanged: int = 0
    documents_deleted: int = 0
    chunks_added: int = 0
    chunks_unchanged: int = 0
    chunks_deleted: int = 0
    chunks_embedded: int = 0
    sentences_embedded: int = 0  # and headings: what the answerer scores, embedded with each document version
    errors: tuple[str, ...] = ()
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        line = (
            f"documents: {self.documents_added} added, {self.documents_updated} updated, "
            f"{self.documents_unchanged} unchanged, {self.documents_deleted} deleted; "
            f"chunks: {self.chunks_added} added, {self.chunks_unchanged} unchanged, "
            f"{self.chunks_deleted} deleted ({self.chunks_embedded} embedded) in {self.seconds:.1f}s"
        )
        if self.errors:
            line += f"; {len(self.errors)} document(s) skipped"
        return line


@dataclass
class Writes:
    """The Chroma writes of the documents indexed since the last `flush`, made together in their commit order:
    new chunks, then trees, then the documents' records (their commit points, one write), then their old
    chunks' deletion. A Chroma write costs ~7 ms however few records it holds (2 cores): a group of small
    documents is written in a few calls, not three or four per document."""

    chunks: list[tuple[str, list[float], str, dict]] = field(default_factory=list)  # id, vector, text, metadata
    trees: list[tuple[str, str, dict]] = field(default_factory=list)  # content hash, tree JSON, metadata
    records: list[IndexedDocument] = field(default_factory=list)
    cache_parts: list[tuple] = field(default_factory=list)  # reportqa.partcache's parts of the records
    deletions: list[str] = field(default_factory=list)

    def add_chunks(self, writer: Writer, chunks: list[tuple[str, list[float], str, dict]]) -> None:
        """Chunks to add (written as soon as WRITE_BATCH wait: a chunk may be stored long before its record)."""
        self.chunks += chunks
        if len(self.chunks) >= WRITE_BATCH:
            self._add_chunks(writer)

    def commit(self, record: IndexedDocument, cache_part: tuple, old_chunk_ids: list[str]) -> None:
        """A document whose chunks, tree and sentence vectors are given: its record, then its old chunks' deletion."""
        self.records.append(record)
        self.cache_parts.append(cache_part)
        self.deletions += old_chunk_ids

    def flush(self, writer: Writer) -> None:
        """Make the writes, in their commit order."""
        self._add_chunks(writer)
        if self.trees:
            trees, self.trees = self.trees, []
            writer.trees.upsert(ids=[content_hash for content_hash, _, _ in trees],
                                embeddings=[_PLACEHOLDER_VECTOR] * len(trees),
                                documents=[tree for _, tree, _ in trees], metadatas=[meta for _, _, meta in trees])
        if self.records:
            records, parts, self.records, self.cache_parts = self.records, self.cache_parts, [], []
            _commit_documents(writer.documents, records)
            writer.cache.write(parts, writer.vocabulary)
        deletions, self.deletions = self.deletions, []
        _delete(writer.chunks, deletions)

    def _add_chunks(self, writer: Writer) -> None:
        chunks, self.chunks = self.chunks, []
        for first in range(0, len(chunks), WRITE_BATCH):
            batch = chunks[first : first + WRITE_BATCH]
            writer.chunks.add(ids=[chunk[0] for chunk in batch], embeddings=[chunk[1] for chunk in batch],
                              documents=[chunk[2] for chunk in batch], metadatas=[chunk[3] for chunk in batch])


@dataclass
class Writer:
    """The collections one `build_index` run writes, and the embedding model, loaded only if something needs it."""

    index: Index
    settings: Settings
    embeddings: object = None  # a LangChain Embeddings; None: the configured model, on first use
    progress: Callable[[Progress], None] | None = None
    chunks: object = field(init=False)
    documents: object = field(init=False)
    trees: object = field(init=False)
    stored_trees: set[str] = field(init=False)
    cache: PartCache = field(init=False)  # readers' local search cache, given the versions indexed here
    vocabulary: Vocabulary = field(init=False, default_factory=Vocabulary)
    sentences: SentenceVectors = field(init=False)
    chunks_total: int = field(init=False, default=0)  # of the documents this run (re)indexes
    chunks_done: float = field(init=False, default=0.0)
    ready: dict[str, list[float]] = field(init=False, default_factory=dict)  # vectors embedded ahead: text -> vector
    pending: Writes = field(init=False, default_factory=Writes)  # Chroma writes of the documents since the last flush

    def __post_init__(self) -> None:
        self.chunks, self.documents = self.index.collections(create=True)
        self.trees = self.index.trees_collection()
        self.stored_trees = set(self.trees.get(include=[])["ids"])
        self.cache = PartCache(self.settings.index_dir)
        self.sentences = SentenceVectors(self.settings.index_dir, self.index.model_id, writable=True)

    def advance(self, chunks: float) -> None:
        """Count chunks as done and report the progress (unless nothing was done)."""
        if not chunks:
            return
        self.chunks_done = min(float(self.chunks_total), self.chunks_done + chunks)
        if self.progress is not None and self.chunks_total:
            self.progress(Progress("chunks", number=int(self.chunks_done + 1e-6), total=self.chunks_total))

    def model(self):
        if self.embeddings is None:
            # Looked up in reportqa.index, where tests and benchmarks/peers.py replace the model loader.
            self.embeddings = index_module.load_embeddings(self.settings)
        return self.embeddings


def build_index(
    settings: Settings,
    *,
    progress: Callable[[Progress], None] | None = None,
    index: Index | None = None,
    embeddings=None,
    allow_empty: bool = False,
) -> IndexReport:
    """Bring the index in line with the corpus, embedding only new chunks.

    Args:
        settings: where the corpus and index are and which embedding model to use.
        progress: called with a Progress (printable as a short message) as each document is handled.
        index: the Index to write (defaults to the one the settings name).
        embeddings: a LangChain Embeddings to use instead of the configured model.
        allow_empty: empty the index when the corpus holds no document (the documents were
            deleted on purpose) instead of refusing.
    Returns:
        An IndexReport with counts of what was added, updated, unchanged and deleted.
    """
    started = time.perf_counter()
    notify = progress or (lambda message: None)
    paths = list_documents(settings.corpus_dir)
    if not paths and not allow_empty:
        # Most likely a wrong --corpus: refuse rather than empty the index.
        raise EmptyCorpusError(
            f"Corpus folder {settings.corpus_dir}/ holds no {supported_formats()} document; the index was left "
            "as it was. Put documents in it (to empty the index, delete the index folder)."
        )
    index = index or Index(settings)
    writer = Writer(index, settings, embeddings, progress)
    with reindex_marker(settings.index_dir):
        counts, errors = _bring_in_line(writer, paths, notify)
    if counts["documents_added"] or counts["documents_updated"] or counts["documents_deleted"]:
        _save_snapshot(writer)
    return IndexReport(**counts, errors=tuple(errors), seconds=time.perf_counter() - started)


def _save_snapshot(writer: Writer) -> None:
    """Save the snapshot of the index as committed now, so that the next process to open it builds no BM25 index."""
    from .snapshot import SnapshotReader  # (reportqa.snapshot reads the index this module builds)

    try:
        SnapshotReader(writer.index, writer.cache).save_committed()
    except Exception as exc:  # Chroma raises several kinds; the next reader to open the index saves one instead
        log.warning("snapshot not saved (%s: %s); the next open builds it", exc.__class__.__name__, exc)


def _bring_in_line(writer: Writer, paths: list, notify: Callable[[Progress], None]) -> tuple[Counter[str], list[str]]:
    """build_index's steps: each document in the corpus, then the documents no longer there, then the sweeps.

    The documents are read first, so that the progress knows how many chunks the run will index."""
    settings, index = writer.settings, writer.index
    committed = index.documents()
    counts: Counter[str] = Counter()
    errors: list[str] = []
    seen_sources: set[str] = set()
    first_with_text: dict[str, str] = {}  # content hash -> source
    todo: list[tuple[int, Document, list[Chunk] | None]] = []
    for number, path in enumerate(paths, 1):
        try:
            document = load_document(path, settings.corpus_dir)
        except ReportQAError as exc:
            errors.append(str(exc))
            # An unreadable document keeps what was indexed of it before.
            seen_sources.add(path.relative_to(settings.corpus_dir).as_posix())
            log.warning("%s", exc)
            continue
        duplicate_of = first_with_text.setdefault(document.content_hash, document.source)
        if duplicate_of != document.source:
            # Indexing both would fill the top passages with copies; an earlier record of it is removed.
            errors.append(f"{document.source} has the same text as {duplicate_of}, which is indexed; remove one of them.")
            log.warning("%s", errors[-1])
            continue
        seen_sources.add(document.source)
        previous = committed.get(document.source)
        chunks = None
        if not _unchanged(writer, document, previous):
            chunks = _chunks(writer, document)
            writer.chunks_total += len(chunks)
        elif not writer.sentences.holds_version(document.content_hash):
            writer.chunks_total += len(previous.chunk_ids)  # its sentences are embedded this run
        todo.append((number, document, chunks))
    for group in _groups(todo):
        counted = _embed_ahead(writer, [(document, chunks) for _, document, chunks in group])
        try:
            for number, document, chunks in group:
                counts.update(index_document(
                    writer, document, committed.get(document.source), chunks=chunks,
                    counted=document.source in counted,
                    announce=lambda source=document.source, number=number: notify(Progress("indexing", source, number, len(paths))),
                ))
        finally:
            writer.pending.flush(writer)  # (the documents indexed before an error are committed)
    writer.ready = {}
    for source in sorted(set(committed) - seen_sources):
        notify(Progress("removing", source))
        writer.documents.delete(ids=[source])
        _delete(writer.chunks, list(committed[source].chunk_ids))
        counts["documents_deleted"] += 1
        counts["chunks_deleted"] += len(committed[source].chunk_ids)
    _sweep_stale_chunks(index, writer.chunks)
    _sweep_stale_trees(index, writer.trees)
    kept_versions = [document.content_hash for document in index.documents().values()]
    writer.cache.forget(kept_versions)
    writer.sentences.forget(kept_versions)
    _drop_other_models(index)
    writer.sentences.remove_other_models()
    writer.sentences.close()
    return counts, errors


@contextlib.contextmanager
def reindex_marker(index_dir: Path) -> Iterator[None]:
    """A file in the index folder naming this process while it re-indexes: readers of the store wait for its end
    to reload their vectors (reportqa.snapshot; Index.reindex_running)."""
    marker = index_dir / f"{REINDEX_MARKER}{os.getpid()}"
    try:
        marker.write_text(datetime.now(timezone.utc).isoformat(timespec="seconds"), encoding="utf-8")
    except OSError:
        marker = None  # (a folder this process cannot write: readers reload as soon as the store is quiet)
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def index_document(
    writer: Writer, document: Document, previous: IndexedDocument | None, *, chunks: list[Chunk] | None = None,
    counted: bool = False, announce: Callable[[], None] = lambda: None,
) -> Counter[str]:
    """Bring one document's chunks, tree, sentence vectors and record in line with its text (`chunks`: its
    chunks, when already made; `counted`: its chunks are in the progress already); `announce` is called before
    any slow step. Its Chroma writes wait in `writer.pending` until its group's flush. Returns the IndexReport
    counts it adds to."""
    counts: Counter[str] = Counter()
    if _unchanged(writer, document, previous):
        if document.content_hash not in writer.stored_trees:  # indexed before trees were kept
            _store_tree(writer, document_tree(document), document)
        if previous.terms_version != terms_version():  # indexed before search terms were kept (or by another tokenizer)
            announce()
            _store_missing_terms(writer, previous)
        if not writer.sentences.holds_version(document.content_hash):  # indexed before sentence vectors were kept
            announce()
            counts["sentences_embedded"] += _store_missing_sentences(writer, document, previous)
        counts["documents_unchanged"] += 1
        counts["chunks_unchanged"] += len(previous.chunk_ids)
        return counts
    announce()
    chunks = chunks if chunks is not None else _chunks(writer, document)
    tree = document_tree(document)
    present = _present(writer, chunks)
    sentences = answer_texts([chunk.text for chunk in chunks], tree)
    embed = _Embedding(writer, 0 if counted else len(chunks), len(chunks) - len(present) + len(tree.headings())
                       + len(writer.sentences.missing(sentences)))
    embedded, terms = _store_chunks(writer, chunks, present, embed)
    _store_tree(writer, tree, document, embed)
    counts["sentences_embedded"] += writer.sentences.store_version(document.content_hash, sentences, embed)
    embed.finish()
    record = IndexedDocument(document.source, document.content_hash, tuple(c.chunk_id for c in chunks), "",
                             terms_version(), _chunks_version(writer))
    stored = [StoredChunk(c.chunk_id, c.source, c.section, c.text, c.start, c.end) for c in chunks]
    old_ids = set(previous.chunk_ids) if previous else set()
    new_ids = {chunk.chunk_id for chunk in chunks}
    writer.pending.commit(record, (record, stored, TermCounts.read(terms, writer.vocabulary)), sorted(old_ids - new_ids))
    counts["documents_updated" if previous else "documents_added"] += 1
    counts["chunks_embedded"] += embedded
    counts["chunks_added"] += len(new_ids - old_ids)
    counts["chunks_unchanged"] += len(new_ids & old_ids)
    counts["chunks_deleted"] += len(old_ids - new_ids)
    return counts


def _groups(todo: list) -> Iterator[list]:
    """The documents to index in runs of about GROUP_CHUNKS new chunks."""
    group: list = []
    size = 0
    for item in todo:
        group.append(item)
        size += len(item[2] or ())
        if size >= GROUP_CHUNKS:
            yield group
            group, size = [], 0
    if group:
        yield group


def _embed_ahead(writer: Writer, documents: list[tuple[Document, list[Chunk] | None]]) -> set[str]:
    """Embed what index_document will embed for the small new or changed documents of a group (chunks not
    stored, headings, sentences not stored), keep the vectors in `writer.ready` and count their chunks as done.
    Returns the sources of the documents counted.

    A larger document is embedded by index_document itself."""
    texts: list[str] = []
    counted: set[str] = set()
    chunks_counted = 0
    for document, chunks in documents:
        if chunks is None or len(chunks) > AHEAD_CHUNKS:
            continue
        present = _present(writer, chunks)
        tree = document_tree(document)
        texts += [chunk.text_to_embed for chunk in chunks if chunk.chunk_id not in present]
        texts += [heading.section for heading in tree.headings()]
        texts += writer.sentences.missing(answer_texts([chunk.text for chunk in chunks], tree))
        counted.add(document.source)
        chunks_counted += len(chunks)
    texts = sorted(dict.fromkeys(texts), key=len)
    writer.ready = {}
    for first in range(0, len(texts), AHEAD_SLICE):
        piece = texts[first : first + AHEAD_SLICE]
        writer.ready.update(zip(piece, writer.model().embed_documents(piece)))
        writer.advance(chunks_counted * len(piece) / len(texts))
    if not texts:
        writer.advance(chunks_counted)
    return counted


def _chunks(writer: Writer, document: Document) -> list[Chunk]:
    return chunk_document(
        document, max_chars=writer.settings.chunk_max_chars, overlap_chars=writer.settings.chunk_overlap_chars
    )


def _chunks_version(writer: Writer) -> str:
    return chunks_version(max_chars=writer.settings.chunk_max_chars, overlap_chars=writer.settings.chunk_overlap_chars)


def _unchanged(writer: Writer, document: Document, previous: IndexedDocument | None) -> bool:
    """Whether the index holds the document's text chunked as this run would chunk it."""
    return (previous is not None and previous.content_hash == document.content_hash
            and previous.chunks_version == _chunks_version(writer))


class _Embedding:
    """Embeds one document's texts in batches, moving the progress on by its chunks as they are embedded."""

    def __init__(self, writer: Writer, chunks: int, texts: int):
        self.writer = writer
        self.per_text = chunks / max(texts, 1)
        self.left = float(chunks)

    def __call__(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        ready = self.writer.ready
        for first in range(0, len(texts), EMBED_BATCH):
            batch = texts[first : first + EMBED_BATCH]
            missing = [text for text in batch if text not in ready]
            # (the model is loaded only when something needs embedding)
            embedded = dict(zip(missing, self.writer.model().embed_documents(missing))) if missing else {}
            vectors.extend(ready[text] if text in ready else embedded[text] for text in batch)
            step = min(self.left, self.per_text * len(batch))
            self.left -= step
            self.writer.advance(step)
        return vectors

    def finish(self) -> None:
        """The document is done: count the rest of its chunks."""
        self.writer.advance(self.left)
        self.left = 0.0


def _present(writer: Writer, chunks: list[Chunk]) -> dict[str, dict]:
    """chunk id -> stored metadata of the chunks already stored."""
    ids = [chunk.chunk_id for chunk in chunks]
    if not ids:
        return {}
    records = writer.chunks.get(ids=ids, include=["metadatas"])
    return dict(zip(records["ids"], records["metadatas"]))


def _store_chunks(writer: Writer, chunks: list[Chunk], present: dict[str, dict],
                  embed: _Embedding) -> tuple[int, list[tuple[str, str]]]:
    """Add the chunks not yet stored (embedding only those); refresh positions and search terms of the rest.

    Returns how many were embedded, and each chunk's (terms, counts)."""
    collection = writer.chunks
    ids = [chunk.chunk_id for chunk in chunks]
    # A chunk id is a hash of the chunk's source, section and text: a stored chunk's terms are still its
    # terms (unless stored by another tokenizer version); only its offsets may have moved.
    kept_terms = {chunk_id: stored_terms(metadata) for chunk_id, metadata in present.items()}
    terms = [kept_terms.get(chunk.chunk_id) or chunk_terms(chunk.section, chunk.text) for chunk in chunks]
    metadatas = [_metadata(chunk, pair, with_terms=kept_terms.get(chunk.chunk_id) is None)
                 for chunk, pair in zip(chunks, terms)]
    kept = [n for n, chunk in enumerate(chunks) if chunk.chunk_id in present]
    missing = [n for n, chunk in enumerate(chunks) if chunk.chunk_id not in present]
    if kept:
        collection.update(ids=[ids[n] for n in kept], metadatas=[metadatas[n] for n in kept])
    for first in range(0, len(missing), EMBED_BATCH):
        batch = missing[first : first + EMBED_BATCH]
        vectors = embed([chunks[n].text_to_embed for n in batch])
        writer.pending.add_chunks(writer, [(ids[n], vector, chunks[n].text, metadatas[n]) for n, vector in zip(batch, vectors)])
    return len(missing), terms


def _store_missing_terms(writer: Writer, record: IndexedDocument) -> None:
    """Store the search terms of an unchanged document's chunks that lack them (no re-embedding), then mark its record."""
    stored = writer.index.chunk_records(list(record.chunk_ids), collection=writer.chunks)
    terms = {chunk_id: pair or chunk_terms(chunk.section, chunk.text) for chunk_id, (chunk, pair) in stored.items()}
    lacking = [chunk_id for chunk_id, (_, pair) in stored.items() if pair is None]
    for first in range(0, len(lacking), WRITE_BATCH):
        batch = lacking[first : first + WRITE_BATCH]
        writer.chunks.update(ids=batch, metadatas=[terms_metadata(terms[chunk_id]) for chunk_id in batch])  # merged in
    if lacking:
        log.info("stored the search terms of %d chunks of %s", len(lacking), record.source)
    _commit_documents(writer.documents, [record])
    if len(stored) == len(record.chunk_ids):
        chunks = [stored[chunk_id][0] for chunk_id in record.chunk_ids]
        pairs = [terms[chunk_id] for chunk_id in record.chunk_ids]
        writer.cache.write([(record, chunks, TermCounts.read(pairs, writer.vocabulary))], writer.vocabulary)


def _store_missing_sentences(writer: Writer, document: Document, record: IndexedDocument) -> int:
    """Store the sentence vectors of an unchanged document's committed version; returns how many were embedded."""
    stored = writer.index.chunk_records(list(record.chunk_ids), collection=writer.chunks)
    sentences = answer_texts([chunk.text for chunk, _ in stored.values()], document_tree(document))
    embed = _Embedding(writer, len(record.chunk_ids), len(writer.sentences.missing(sentences)))
    embedded = writer.sentences.store_version(document.content_hash, sentences, embed)
    embed.finish()
    if embedded:
        log.info("stored the vectors of %d sentences of %s", embedded, record.source)
    return embedded


def _store_tree(writer: Writer, tree: DocumentTree, document: Document, embed: _Embedding | None = None) -> None:
    """Store the document's tree with its headings' vectors (before the document's commit point)."""
    headings = tree.headings()
    if headings:
        vectors = (embed or _Embedding(writer, 0, 0))([heading.section for heading in headings])
        tree.heading_vectors = {heading.index: list(vector) for heading, vector in zip(headings, vectors)}
    writer.pending.trees.append((document.content_hash, tree.to_json(), {"source": document.source}))
    writer.stored_trees.add(document.content_hash)


def _sweep_stale_trees(index: Index, trees_collection) -> None:
    """Delete the trees of document versions no longer committed."""
    valid = {document.content_hash for document in index.documents().values()}
    stale = [content_hash for content_hash in trees_collection.get(include=[])["ids"] if content_hash not in valid]
    _delete(trees_collection, stale)


def _metadata(chunk: Chunk, terms: tuple[str, str], *, with_terms: bool = True) -> dict:
    metadata = {"source": chunk.source, "section": chunk.section, "start": chunk.start, "end": chunk.end}
    if with_terms:
        metadata.update(terms_metadata(terms))
    return metadata


def _commit_documents(collection, records: list[IndexedDocument]) -> None:
    """Write the documents' records, their commit points, in one write (a record's empty `indexed_at`: now)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    collection.upsert(
        ids=[record.source for record in records],
        embeddings=[_PLACEHOLDER_VECTOR] * len(records),
        documents=[json.dumps(list(record.chunk_ids)) for record in records],
        metadatas=[{
            "content_hash": record.content_hash,
            "chunks": len(record.chunk_ids),
            "indexed_at": record.indexed_at or now,
            "terms_version": terms_version(),
            **({"chunks_version": record.chunks_version} if record.chunks_version else {}),
        } for record in records],
    )


def _delete(collection, ids: list[str]) -> None:
    for first in range(0, len(ids), WRITE_BATCH):
        collection.delete(ids=ids[first : first + WRITE_BATCH])


def _sweep_stale_chunks(index: Index, chunks_collection) -> None:
    """Delete chunks no committed document lists: leftovers of a killed run."""
    valid = {chunk_id for document in index.documents().values() for chunk_id in document.chunk_ids}
    stored = chunks_collection.get(include=[])["ids"]
    stale = [chunk_id for chunk_id in stored if chunk_id not in valid]
    if stale:
        log.info("deleting %d chunks left by an interrupted run", len(stale))
        _delete(chunks_collection, stale)


def _drop_other_models(index: Index) -> None:
    """Once this model's index is complete, the collections of other models are obsolete."""
    for collection in index.client.list_collections():
        name = getattr(collection, "name", collection)
        if name.startswith("reportqa_") and name not in (index.chunks_name, index.documents_name, index.trees_name):
            log.info("deleting collection %s of another embedding model", name)
            index.client.delete_collection(name)
