"""The Chroma index: incremental, crash-safe (re)indexing and reading what is committed.

Three collections per embedding model: `chunks_<model>` holds the chunk vectors,
`documents_<model>` holds one record per indexed document listing its chunk ids, and
`trees_<model>` holds each document version's tree (reportqa.tree) keyed by its content hash.
A document's record is its commit point: new chunks are added before it is written,
old chunks are deleted after, so a reader that trusts only the chunk ids listed in
document records always sees each document whole, in its old or its new version.
A later run deletes what a killed run left behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from .chunking import Chunk, chunk_document
from .config import Settings
from .embeddings import embedding_model_id, load_embeddings
from .errors import EmptyCorpusError, NoIndexError, ReportQAError
from .loaders import Document, list_documents, load_document, supported_formats
from .tree import DocumentTree, document_tree

log = logging.getLogger(__name__)

EMBED_BATCH = 32
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


@dataclass(frozen=True)
class IndexedDocument:
    """A document as the index holds it."""

    source: str
    content_hash: str
    chunk_ids: tuple[str, ...]
    indexed_at: str


@dataclass(frozen=True)
class StoredChunk:
    """A committed chunk read back from the index."""

    chunk_id: str
    source: str
    section: str
    text: str
    start: int
    end: int


def open_client(settings: Settings):
    """A Chroma client: the server named by CHROMA_HOST, else the embedded store under index/."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # the client raises several kinds for an unreachable server
            raise ReportQAError(
                f"Cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({exc}). "
                "Start it with `chroma run` or unset CHROMA_HOST."
            ) from None
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir / "chroma"), settings=chroma_settings)
    except Exception as exc:  # Chroma reports a damaged store as several kinds of error
        raise NoIndexError(
            f"The index in {settings.index_dir}/ is damaged ({exc.__class__.__name__}: {str(exc)[:120]}). "
            f"Delete {settings.index_dir}/ and run `python app.py index` to rebuild it."
        ) from None


class Index:
    """The chunk and document collections for the configured embedding model."""

    def __init__(self, settings: Settings, client=None):
        self.settings = settings
        self.model_id = embedding_model_id(settings)
        suffix = hashlib.sha1(self.model_id.encode("utf-8")).hexdigest()[:10]
        self.chunks_name = f"reportqa_chunks_{suffix}"
        self.documents_name = f"reportqa_documents_{suffix}"
        self.trees_name = f"reportqa_trees_{suffix}"
        self._client = client
        self._owns_client = client is None
        self._client_lock = threading.Lock()
        self._last_fingerprint: str | None = None

    @property
    def client(self):
        with self._client_lock:
            if self._client is None:
                self._client = open_client(self.settings)
            return self._client

    def reload(self) -> None:
        """Reopen the embedded store, so that vector search sees what another process committed.

        An embedded Chroma client keeps its vector index in memory and never rereads it, while
        `get` reads the shared database: without this, a server process would list a re-index's
        new chunks but never find them by similarity. Handles already open keep working.
        """
        if self.settings.chroma_host or not self._owns_client:
            return  # a Chroma server always answers from its current state
        from chromadb.api.shared_system_client import SharedSystemClient

        with self._client_lock:
            # Chroma shares one in-memory store per path; dropping it (without stopping it, as
            # other threads may still query it) makes the next client load the store from disk.
            SharedSystemClient._identifier_to_system.pop(str(self.settings.index_dir / "chroma"), None)
            self._client = None

    def exists(self) -> bool:
        """Whether this model's index has been built (possibly with zero documents)."""
        if not self.settings.chroma_host and not (self.settings.index_dir / "chroma").exists():
            return False
        names = {getattr(c, "name", c) for c in self.client.list_collections()}
        return self.documents_name in names and self.chunks_name in names

    def collections(self, *, create: bool = False):
        """(chunks, documents) collections; NoIndexError when missing and not creating."""
        if not create and not self.exists():
            raise NoIndexError(
                f"No index found in {self._where()}. Run `python app.py index` first."
            )
        chunks = self.client.get_or_create_collection(
            self.chunks_name,
            metadata={"hnsw:space": "cosine", "embedding_model": self.model_id},
            embedding_function=None,
        )
        documents = self.client.get_or_create_collection(
            self.documents_name, metadata={"embedding_model": self.model_id}, embedding_function=None
        )
        return chunks, documents

    def trees_collection(self):
        """The collection of document trees (created on first use: an index built before trees had none)."""
        return self.client.get_or_create_collection(
            self.trees_name, metadata={"embedding_model": self.model_id}, embedding_function=None
        )

    def tree(self, content_hash: str) -> DocumentTree | None:
        """The stored tree of the document version with this content hash, or None if it has none."""
        records = self.trees_collection().get(ids=[content_hash], include=["documents"])
        if not records["ids"]:
            return None
        return DocumentTree.from_json(records["documents"][0])

    def documents(self) -> dict[str, IndexedDocument]:
        """The committed documents by source."""
        _, documents = self.collections()
        records = documents.get(include=["metadatas", "documents"])
        result = {}
        for source, metadata, chunk_ids in zip(records["ids"], records["metadatas"], records["documents"]):
            result[source] = IndexedDocument(
                source, metadata["content_hash"], tuple(json.loads(chunk_ids)), metadata["indexed_at"]
            )
        return result

    def fingerprint(self) -> str:
        """Changes whenever a document is committed or removed; on a change, the store is reloaded."""
        _, documents = self.collections()
        records = documents.get(include=["metadatas"])
        parts = sorted(f"{i}:{m['content_hash']}:{m['indexed_at']}" for i, m in zip(records["ids"], records["metadatas"]))
        fingerprint = hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()
        if self._last_fingerprint is not None and fingerprint != self._last_fingerprint:
            self.reload()  # perhaps another process re-indexed: read its vectors too
        self._last_fingerprint = fingerprint
        return fingerprint

    def stored_chunks(self, chunk_ids: list[str]) -> list[StoredChunk]:
        """The committed chunks with these ids, in the given order."""
        chunks, _ = self.collections()
        found: dict[str, StoredChunk] = {}
        for first in range(0, len(chunk_ids), 5000):
            records = chunks.get(ids=chunk_ids[first : first + 5000], include=["documents", "metadatas"])
            for chunk_id, text, metadata in zip(records["ids"], records["documents"], records["metadatas"]):
                found[chunk_id] = StoredChunk(
                    chunk_id, metadata["source"], metadata["section"], text, metadata["start"], metadata["end"]
                )
        return [found[chunk_id] for chunk_id in chunk_ids if chunk_id in found]

    def _where(self) -> str:
        if self.settings.chroma_host:
            return f"the Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port}"
        return f"{self.settings.index_dir}/"


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
    chunks_collection, documents_collection = index.collections(create=True)
    committed = index.documents()
    trees_collection = index.trees_collection()
    stored_trees = set(trees_collection.get(include=[])["ids"])
    counts = dict.fromkeys(
        ["documents_added", "documents_updated", "documents_unchanged", "documents_deleted",
         "chunks_added", "chunks_unchanged", "chunks_deleted", "chunks_embedded"], 0
    )
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
        previous = committed.get(document.source)
        if previous and previous.content_hash == document.content_hash:
            if document.content_hash not in stored_trees:  # indexed before trees were kept
                _store_tree(trees_collection, document, lambda: embeddings or load_embeddings(settings))
            counts["documents_unchanged"] += 1
            counts["chunks_unchanged"] += len(previous.chunk_ids)
            continue
        notify(Progress("indexing", document.source, number, len(paths)))
        chunks = chunk_document(
            document, max_chars=settings.chunk_max_chars, overlap_chars=settings.chunk_overlap_chars
        )
        embedded = _store_chunks(chunks_collection, chunks, lambda: embeddings or load_embeddings(settings))
        _store_tree(trees_collection, document, lambda: embeddings or load_embeddings(settings))
        _commit_document(documents_collection, document.source, document.content_hash, chunks)
        old_ids = set(previous.chunk_ids) if previous else set()
        new_ids = {chunk.chunk_id for chunk in chunks}
        _delete(chunks_collection, sorted(old_ids - new_ids))
        counts["documents_updated" if previous else "documents_added"] += 1
        counts["chunks_embedded"] += embedded
        counts["chunks_added"] += len(new_ids - old_ids)
        counts["chunks_unchanged"] += len(new_ids & old_ids)
        counts["chunks_deleted"] += len(old_ids - new_ids)
    for source in sorted(set(committed) - seen_sources):
        notify(Progress("removing", source))
        documents_collection.delete(ids=[source])
        _delete(chunks_collection, list(committed[source].chunk_ids))
        counts["documents_deleted"] += 1
        counts["chunks_deleted"] += len(committed[source].chunk_ids)
    _sweep_stale_chunks(index, chunks_collection)
    _sweep_stale_trees(index, trees_collection)
    _drop_other_models(index)
    return IndexReport(**counts, errors=tuple(errors), seconds=time.perf_counter() - started)


def _store_chunks(collection, chunks: list[Chunk], get_embeddings: Callable) -> int:
    """Add the chunks not yet stored (embedding only those); refresh metadata of the rest."""
    ids = [chunk.chunk_id for chunk in chunks]
    present = set(collection.get(ids=ids, include=[])["ids"]) if ids else set()
    missing = [chunk for chunk in chunks if chunk.chunk_id not in present]
    kept = [chunk for chunk in chunks if chunk.chunk_id in present]
    if kept:
        collection.update(ids=[c.chunk_id for c in kept], metadatas=[_metadata(c) for c in kept])
    if missing:
        embeddings = get_embeddings()  # loaded only when something needs embedding
        for first in range(0, len(missing), EMBED_BATCH):
            batch = missing[first : first + EMBED_BATCH]
            vectors = embeddings.embed_documents([chunk.text_to_embed for chunk in batch])
            collection.add(
                ids=[chunk.chunk_id for chunk in batch],
                embeddings=vectors,
                documents=[chunk.text for chunk in batch],
                metadatas=[_metadata(chunk) for chunk in batch],
            )
    return len(missing)


def _store_tree(collection, document: Document, get_embeddings: Callable) -> None:
    """Store the document's tree with its headings' vectors (before the document's commit point)."""
    tree = document_tree(document)
    headings = tree.headings()
    if headings:
        vectors = get_embeddings().embed_documents([heading.section for heading in headings])
        tree.heading_vectors = {heading.index: list(vector) for heading, vector in zip(headings, vectors)}
    collection.upsert(
        ids=[document.content_hash], embeddings=[_PLACEHOLDER_VECTOR], documents=[tree.to_json()],
        metadatas=[{"source": document.source}],
    )


def _sweep_stale_trees(index: Index, trees_collection) -> None:
    """Delete the trees of document versions no longer committed."""
    valid = {document.content_hash for document in index.documents().values()}
    stale = [content_hash for content_hash in trees_collection.get(include=[])["ids"] if content_hash not in valid]
    _delete(trees_collection, stale)


def _metadata(chunk: Chunk) -> dict:
    return {"source": chunk.source, "section": chunk.section, "start": chunk.start, "end": chunk.end}


def _commit_document(collection, source: str, content_hash: str, chunks: list[Chunk]) -> None:
    collection.upsert(
        ids=[source],
        embeddings=[_PLACEHOLDER_VECTOR],
        documents=[json.dumps([chunk.chunk_id for chunk in chunks])],
        metadatas=[{
            "content_hash": content_hash,
            "chunks": len(chunks),
            "indexed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }],
    )


def _delete(collection, ids: list[str]) -> None:
    for first in range(0, len(ids), 5000):
        collection.delete(ids=ids[first : first + 5000])


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

