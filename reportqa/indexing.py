"""Building the index: bring it in line with the corpus, crash-safely, embedding only new chunks.

Each document is handled by `index_document`: new chunks (with their vectors and search terms) and
the document's tree are stored first, then the document's record is written (its commit point),
then the chunks of its previous version are deleted. A run killed anywhere leaves every document
whole in its old or its new version; the next run deletes what it left behind. See reportqa.index
for the collections and how they are read.
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
from .chunking import Chunk, chunk_document
from .config import Settings
from .errors import EmptyCorpusError, ReportQAError
from .index import REINDEX_MARKER, Index, IndexedDocument, StoredChunk
from .lexical import TermCounts, Vocabulary, chunk_terms, stored_terms, terms_metadata, terms_version
from .partcache import PartCache
from .loaders import Document, list_documents, load_document, supported_formats
from .tree import document_tree

log = logging.getLogger(__name__)

EMBED_BATCH = 32
WRITE_BATCH = 5000  # ids per Chroma update or delete
_PLACEHOLDER_VECTOR = [1.0]  # document records are looked up by id, never by vector


@dataclass(frozen=True)
class Progress:
    """One step of `build_index`: a document being indexed (number of total) or removed."""

    action: str  # "indexing" | "removing"
    source: str
    number: int = 0
    total: int = 0

    def __str__(self) -> str:
        if self.action == "indexing":
            return f"[{self.number}/{self.total}] indexing {self.source}"
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
class Writer:
    """The collections one `build_index` run writes, and the embedding model, loaded only if something needs it."""

    index: Index
    settings: Settings
    embeddings: object = None  # a LangChain Embeddings; None: the configured model, on first use
    chunks: object = field(init=False)
    documents: object = field(init=False)
    trees: object = field(init=False)
    stored_trees: set[str] = field(init=False)
    cache: PartCache = field(init=False)  # readers' local search cache, given the versions indexed here
    vocabulary: Vocabulary = field(init=False, default_factory=Vocabulary)

    def __post_init__(self) -> None:
        self.chunks, self.documents = self.index.collections(create=True)
        self.trees = self.index.trees_collection()
        self.stored_trees = set(self.trees.get(include=[])["ids"])
        self.cache = PartCache(self.settings.index_dir)

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
    writer = Writer(index, settings, embeddings)
    with reindex_marker(settings.index_dir):
        counts, errors = _bring_in_line(writer, paths, notify)
    return IndexReport(**counts, errors=tuple(errors), seconds=time.perf_counter() - started)


def _bring_in_line(writer: Writer, paths: list, notify: Callable[[Progress], None]) -> tuple[Counter[str], list[str]]:
    """build_index's steps: each document in the corpus, then the documents no longer there, then the sweeps."""
    settings, index = writer.settings, writer.index
    committed = index.documents()
    counts: Counter[str] = Counter()
    errors: list[str] = []
    seen_sources: set[str] = set()
    first_with_text: dict[str, str] = {}  # content hash -> source
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
        counts.update(index_document(
            writer, document, committed.get(document.source),
            announce=lambda source=document.source, number=number: notify(Progress("indexing", source, number, len(paths))),
        ))
    for source in sorted(set(committed) - seen_sources):
        notify(Progress("removing", source))
        writer.documents.delete(ids=[source])
        _delete(writer.chunks, list(committed[source].chunk_ids))
        counts["documents_deleted"] += 1
        counts["chunks_deleted"] += len(committed[source].chunk_ids)
    _sweep_stale_chunks(index, writer.chunks)
    _sweep_stale_trees(index, writer.trees)
    writer.cache.forget(document.content_hash for document in index.documents().values())
    _drop_other_models(index)
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
    writer: Writer, document: Document, previous: IndexedDocument | None, *, announce: Callable[[], None] = lambda: None
) -> Counter[str]:
    """Bring one document's chunks, tree and record in line with its text; `announce` is called before any
    slow step. Returns the IndexReport counts it adds to."""
    counts: Counter[str] = Counter()
    if previous and previous.content_hash == document.content_hash:
        if document.content_hash not in writer.stored_trees:  # indexed before trees were kept
            _store_tree(writer, document)
        if previous.terms_version != terms_version():  # indexed before search terms were kept (or by another tokenizer)
            announce()
            _store_missing_terms(writer, previous)
        counts["documents_unchanged"] += 1
        counts["chunks_unchanged"] += len(previous.chunk_ids)
        return counts
    announce()
    chunks = chunk_document(
        document, max_chars=writer.settings.chunk_max_chars, overlap_chars=writer.settings.chunk_overlap_chars
    )
    embedded, terms = _store_chunks(writer, chunks)
    _store_tree(writer, document)
    _commit_document(writer.documents, document.source, document.content_hash, [chunk.chunk_id for chunk in chunks])
    record = IndexedDocument(document.source, document.content_hash, tuple(c.chunk_id for c in chunks), "", terms_version())
    stored = [StoredChunk(c.chunk_id, c.source, c.section, c.text, c.start, c.end) for c in chunks]
    writer.cache.write([(record, stored, TermCounts.read(terms, writer.vocabulary))], writer.vocabulary)
    old_ids = set(previous.chunk_ids) if previous else set()
    new_ids = {chunk.chunk_id for chunk in chunks}
    _delete(writer.chunks, sorted(old_ids - new_ids))
    counts["documents_updated" if previous else "documents_added"] += 1
    counts["chunks_embedded"] += embedded
    counts["chunks_added"] += len(new_ids - old_ids)
    counts["chunks_unchanged"] += len(new_ids & old_ids)
    counts["chunks_deleted"] += len(old_ids - new_ids)
    return counts


def _store_chunks(writer: Writer, chunks: list[Chunk]) -> tuple[int, list[tuple[str, str]]]:
    """Add the chunks not yet stored (embedding only those); refresh positions and search terms of the rest.

    Returns how many were embedded, and each chunk's (terms, counts)."""
    collection = writer.chunks
    ids = [chunk.chunk_id for chunk in chunks]
    present = {}
    if ids:
        records = collection.get(ids=ids, include=["metadatas"])
        present = dict(zip(records["ids"], records["metadatas"]))
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
    if missing:
        embeddings = writer.model()  # loaded only when something needs embedding
        for first in range(0, len(missing), EMBED_BATCH):
            batch = missing[first : first + EMBED_BATCH]
            vectors = embeddings.embed_documents([chunks[n].text_to_embed for n in batch])
            collection.add(
                ids=[ids[n] for n in batch],
                embeddings=vectors,
                documents=[chunks[n].text for n in batch],
                metadatas=[metadatas[n] for n in batch],
            )
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
    _commit_document(writer.documents, record.source, record.content_hash, list(record.chunk_ids), record.indexed_at)
    if len(stored) == len(record.chunk_ids):
        chunks = [stored[chunk_id][0] for chunk_id in record.chunk_ids]
        pairs = [terms[chunk_id] for chunk_id in record.chunk_ids]
        writer.cache.write([(record, chunks, TermCounts.read(pairs, writer.vocabulary))], writer.vocabulary)


def _store_tree(writer: Writer, document: Document) -> None:
    """Store the document's tree with its headings' vectors (before the document's commit point)."""
    tree = document_tree(document)
    headings = tree.headings()
    if headings:
        vectors = writer.model().embed_documents([heading.section for heading in headings])
        tree.heading_vectors = {heading.index: list(vector) for heading, vector in zip(headings, vectors)}
    writer.trees.upsert(
        ids=[document.content_hash], embeddings=[_PLACEHOLDER_VECTOR], documents=[tree.to_json()],
        metadatas=[{"source": document.source}],
    )
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


def _commit_document(collection, source: str, content_hash: str, chunk_ids: list[str], indexed_at: str | None = None) -> None:
    """Write the document's record, its commit point (`indexed_at` kept when only its search terms were stored)."""
    collection.upsert(
        ids=[source],
        embeddings=[_PLACEHOLDER_VECTOR],
        documents=[json.dumps(chunk_ids)],
        metadatas=[{
            "content_hash": content_hash,
            "chunks": len(chunk_ids),
            "indexed_at": indexed_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "terms_version": terms_version(),
        }],
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
