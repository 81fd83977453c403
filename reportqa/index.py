"""The Chroma index and reading what is committed in it; `reportqa.indexing` builds it.

Three collections per embedding model: `chunks_<model>` holds the chunk vectors, texts and
search terms (reportqa.lexical), `documents_<model>` holds one record per indexed document
listing its chunk ids, and `trees_<model>` holds each document version's tree (reportqa.tree)
keyed by its content hash. A document's record is its commit point: new chunks are added
before it is written, old chunks are deleted after, so a reader that trusts only the chunk
ids listed in document records always sees each document whole, in its old or its new version
(reportqa.snapshot reads a consistent set of them). A later run deletes what a killed run left behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, NamedTuple

from .config import Settings
from .embeddings import embedding_model_id, load_embeddings  # noqa: F401  (reportqa.indexing loads the model from here)
from .errors import NoIndexError, ReportQAError
from .lexical import stored_terms
from .tree import DocumentTree

log = logging.getLogger(__name__)

# Records per Chroma get. A get holds the GIL throughout (0.1 s per ~1,000 records on a busy machine):
# a snapshot re-read in the background reads in small gets, so that requests meanwhile are not held up.
READ_BATCH = 500
REINDEX_MARKER = ".reindexing-"  # + the pid of a process running build_index on this index folder


@dataclass(frozen=True)
class IndexedDocument:
    """A document as the index holds it."""

    source: str
    content_hash: str
    chunk_ids: tuple[str, ...]
    indexed_at: str
    terms_version: str | None = None  # of its chunks' stored search terms (None: indexed before they were kept)
    chunks_version: str | None = None  # chunking.chunks_version of its chunks (None: indexed before it was kept)


class StoredChunk(NamedTuple):
    """A committed chunk read back from the index (a named tuple: a snapshot makes 100k of them at once)."""

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

    @property
    def client(self):
        with self._client_lock:
            if self._client is None:
                self._client = open_client(self.settings)
            return self._client

    @property
    def reloadable(self) -> bool:
        """Whether this is an embedded store this Index opened, whose vectors `reload` re-reads."""
        return not self.settings.chroma_host and self._owns_client

    def reload(self) -> None:
        """Reopen the embedded store, so that vector search sees what another process committed.

        An embedded Chroma client keeps its vector index in memory and never rereads it, while
        `get` reads the shared database: without this, a server process would list a re-index's
        new chunks but never find them by similarity. Handles already open keep working, and the
        client in use stays in use until the new one is open. Opening one while another process
        writes the store holds every thread of this process up for seconds (Chroma keeps the GIL
        while it waits for the database): reportqa.snapshot reloads once the store is quiet.
        """
        if not self.reloadable:
            return  # a Chroma server always answers from its current state
        from chromadb.api.shared_system_client import SharedSystemClient

        # Chroma shares one in-memory store per path; dropping it (without stopping it, as other
        # threads may still query it) makes the next client load the store from disk.
        SharedSystemClient._identifier_to_system.pop(str(self.settings.index_dir / "chroma"), None)
        client = open_client(self.settings)
        with self._client_lock:
            self._client = client

    def reindex_running(self) -> bool:
        """Whether a live process is re-indexing this index folder now (its marker file, reportqa.indexing).

        A marker left by a killed run is ignored, also once its pid names a process started after it was written:
        a server would otherwise never reload another process's vectors (reportqa.snapshot)."""
        for marker in self.settings.index_dir.glob(f"{REINDEX_MARKER}*"):
            try:
                pid = int(marker.name[len(REINDEX_MARKER):])
                os.kill(pid, 0)
                if _started_after(pid, marker.stat().st_mtime):
                    continue  # the pid was given again: the run that wrote the marker was killed
            except (ProcessLookupError, FileNotFoundError):
                continue  # left by a run that was killed, or removed by a run that ended just now
            except (ValueError, OSError):
                pass  # another user's process (PermissionError), or a name not ours: assume it runs
            return True
        return False

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

    def documents(self, sources: Iterable[str] | None = None) -> dict[str, IndexedDocument]:
        """The committed documents by source (only these sources, when given)."""
        _, documents = self.collections()
        result = {}
        for source, metadata, chunk_ids in _get(documents, sources, ["metadatas", "documents"]):
            result[source] = IndexedDocument(
                source, metadata["content_hash"], tuple(json.loads(chunk_ids)), metadata["indexed_at"],
                metadata.get("terms_version"), metadata.get("chunks_version"),
            )
        return result

    def fingerprint(self) -> str:
        """Changes whenever a document is committed or removed."""
        _, documents = self.collections()
        fingerprint = _fingerprint(
            (source, metadata["content_hash"], metadata["indexed_at"])
            for source, metadata in _get(documents, None, ["metadatas"])
        )
        return fingerprint

    def store_stamp(self) -> tuple | None:
        """Changes (at least) whenever the embedded store is written: a stat, where `fingerprint` reads every
        document record. None for a Chroma server, whose changes only the fingerprint shows."""
        if self.settings.chroma_host:
            return None
        stamp = []
        for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
            try:
                status = (self.settings.index_dir / "chroma" / name).stat()
            except OSError:
                stamp.append(None)
            else:
                stamp.append((status.st_mtime_ns, status.st_size))
        return tuple(stamp)

    def stored_chunks(self, chunk_ids: list[str]) -> list[StoredChunk]:
        """The committed chunks with these ids, in the given order."""
        found = self.chunk_records(chunk_ids, terms=False)
        return [found[chunk_id][0] for chunk_id in chunk_ids if chunk_id in found]

    def chunk_records(
        self, chunk_ids: list[str], *, terms: bool = True, collection=None
    ) -> dict[str, tuple[StoredChunk, tuple[str, str] | None]]:
        """The stored chunks with these ids (those found) with their stored search terms (None: not stored,
        or by another tokenizer version), read from `collection` (default: this index's chunks collection)."""
        chunks = collection if collection is not None else self.collections()[0]
        found: dict[str, tuple[StoredChunk, tuple[str, str] | None]] = {}
        for first in range(0, len(chunk_ids), READ_BATCH):
            records = chunks.get(ids=chunk_ids[first : first + READ_BATCH], include=["documents", "metadatas"])
            for chunk_id, text, metadata in zip(records["ids"], records["documents"], records["metadatas"]):
                chunk = StoredChunk(
                    chunk_id, metadata["source"], metadata["section"], text, metadata["start"], metadata["end"]
                )
                found[chunk_id] = (chunk, stored_terms(metadata) if terms else None)
        return found

    def searchable_chunks(self):
        """The chunks collection with its vector index loaded, so that the first search does not wait for it.

        An embedded store loads a collection's vectors on its first query (seconds at 100k chunks):
        a reader building a new snapshot queries it once before the snapshot serves requests.
        """
        chunks, _ = self.collections()
        sample = chunks.get(limit=1, include=["embeddings"])
        if sample["ids"]:
            chunks.query(query_embeddings=[list(sample["embeddings"][0])], n_results=1, include=[])
        return chunks

    def _where(self) -> str:
        if self.settings.chroma_host:
            return f"the Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port}"
        return f"{self.settings.index_dir}/"


def _get(collection, ids: Iterable[str] | None, include: list[str]) -> Iterator[tuple]:
    """(id, *included fields) of the records with these ids (default: all), READ_BATCH at a time.

    All ids are listed first: a record removed meanwhile is left out, one changed meanwhile is read
    as it is then, each whole (a record is one Chroma row set, written at once)."""
    ids = list(ids) if ids is not None else collection.get(include=[])["ids"]
    for first in range(0, len(ids), READ_BATCH):
        records = collection.get(ids=ids[first : first + READ_BATCH], include=include)
        yield from zip(records["ids"], *(records[field] for field in include))


def _started_after(pid: int, moment: float) -> bool:
    """Whether the process began more than a second after `moment` (seconds since the epoch); False where that
    cannot be known (no /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as status:
            fields = status.read().rsplit(b")", 1)[1].split()  # (after the command name, which may hold spaces)
        with open("/proc/stat", "rb") as system:
            booted = next(float(line.split()[1]) for line in system if line.startswith(b"btime "))
        started = booted + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # (field 22: clock ticks after boot)
    except (OSError, IndexError, StopIteration, ValueError):
        return False
    return started > moment + 1.0  # (btime is in whole seconds)


def fingerprint_of(documents: Mapping[str, IndexedDocument]) -> str:
    """The fingerprint (as `Index.fingerprint` computes it) of these document records."""
    return _fingerprint((d.source, d.content_hash, d.indexed_at) for d in documents.values())


def _fingerprint(records: Iterable[tuple[str, str, str]]) -> str:
    parts = sorted(f"{source}:{content_hash}:{indexed_at}" for source, content_hash, indexed_at in records)
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


# Building the index lives in reportqa.indexing; these names stay importable from here.
from .indexing import EMBED_BATCH, IndexReport, Progress, build_index  # noqa: E402  (after Index, which it imports)
