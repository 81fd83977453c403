"""A reader's view of the committed index: every document whole, in one version, with its BM25 index.

A `Snapshot` is immutable once built, so requests can keep using one while the next is built
(reportqa.retrieval swaps them). `SnapshotReader.read` builds the next one from the previous: the
documents whose committed version did not change are reused as they are (chunks and parsed
terms), only the others are read, with the search terms stored with their chunks
(reportqa.lexical): nothing is tokenised unless a chunk was stored without terms.

Opening: the snapshot saved by the last `build_index` run or open (reportqa.savedsnapshot) serves as
the previous one, so an unchanged index is read as a few arrays, with its BM25 index; a document
version it lacks is read from the search cache's entries when they hold it, else from Chroma (then
kept in the cache), and the new snapshot is saved in its place.

Consistency: a document's record is its commit point (reportqa.index), and a re-index deletes a
version's chunks only after committing the next one. A record read just before such a commit may
list chunks deleted a moment later; its record is then read again, and the newer version, whose
chunks were all stored before it was committed, is read instead. A document is never left out
because it changed while being read: failing that, its previous version is kept.

Vectors: a snapshot searches by vector with the Chroma client its chunks were read with. Another
process's commits are read as they land, but its new vectors only once its re-index has ended
(`SnapshotReader.refresh`); until then BM25 finds the changed documents, and the client's stale
vectors of the versions they replaced are skipped as not in the snapshot.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .index import Index, IndexedDocument, StoredChunk, fingerprint_of
from .lexical import Bm25, TermCounts, Vocabulary, chunk_terms, load_tokenizer
from . import savedsnapshot
from .partcache import PartCache

log = logging.getLogger(__name__)

READ_ATTEMPTS = 3  # reads of a document's record when its chunks vanish while being read
COMPACT_SLACK = 50_000  # dead terms kept in a vocabulary beyond as many as the live ones
INDEXING_READ_SECONDS = 5.0  # commits are read at most this often while another process re-indexes


@dataclass(frozen=True)
class DocumentPart:
    """One committed document version as a snapshot holds it: its chunks in record order and their terms."""

    record: IndexedDocument
    chunks: tuple[StoredChunk, ...]
    terms: TermCounts
    tokenised: int = 0  # chunks whose terms were not stored and had to be tokenised

    @classmethod
    def read(cls, record: IndexedDocument, found: dict, vocabulary: Vocabulary) -> "DocumentPart | None":
        """The part from chunk records read from the index; None if any of its chunks is missing."""
        if any(chunk_id not in found for chunk_id in record.chunk_ids):
            return None
        chunks, pairs, tokenised = [], [], 0
        for chunk_id in record.chunk_ids:
            chunk, terms = found[chunk_id]
            if terms is None:  # stored before terms were kept: the next `index` run stores them
                terms = chunk_terms(chunk.section, chunk.text)
                tokenised += 1
            chunks.append(chunk)
            pairs.append(terms)
        return cls(record, tuple(chunks), TermCounts.read(pairs, vocabulary), tokenised)


class Snapshot:
    """The committed chunks and their BM25 index, as of one index fingerprint."""

    def __init__(self, fingerprint: str, parts: Sequence[DocumentPart], vocabulary: Vocabulary, *, collection=None,
                 previous: "Snapshot | None" = None, bm25: Bm25 | None = None):
        self.fingerprint = fingerprint
        self.parts = {part.record.source: part for part in parts}
        self.vocabulary = vocabulary
        self.collection = collection  # the chunks collection to search by vector (None: the index's)
        self.stale_vectors = 0  # vectors of chunks no longer committed that the collection may still return
        self.content_hashes = {part.record.source: part.record.content_hash for part in parts}
        same = (previous is not None and previous.vocabulary is vocabulary and len(previous.parts) == len(parts)
                and all(a.chunks is b.chunks and a.terms is b.terms for a, b in zip(previous.parts.values(), parts)))
        if same:  # the same chunks (re-read with reloaded vectors): nothing to build again
            self.chunks, self.ids, self.bm25 = previous.chunks, previous.ids, previous.bm25
        else:
            self.chunks = {chunk.chunk_id: chunk for part in parts for chunk in part.chunks}
            self.ids = [chunk.chunk_id for part in parts for chunk in part.chunks]
            if bm25 is None and self.ids:
                bm25 = Bm25([part.terms for part in parts], vocabulary)
            self.bm25 = bm25  # (given: built over these parts before, and saved)
        self._by_source: dict[str, list[StoredChunk]] = {}

    @classmethod
    def of_chunks(cls, fingerprint: str, chunks: list[StoredChunk], content_hashes: dict[str, str] | None = None):
        """A snapshot of chunks given directly (tokenised here), in the given order."""
        content_hashes = content_hashes or {}
        by_source: dict[str, list[StoredChunk]] = {}
        for chunk in chunks:
            by_source.setdefault(chunk.source, []).append(chunk)
        vocabulary = Vocabulary()
        parts = []
        for source, document_chunks in by_source.items():
            record = IndexedDocument(source, content_hashes.get(source, ""), tuple(c.chunk_id for c in document_chunks), "")
            found = {chunk.chunk_id: (chunk, None) for chunk in document_chunks}
            parts.append(DocumentPart.read(record, found, vocabulary))
        return cls(fingerprint, parts, vocabulary)

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25Okapi's scores for the tokens, one per chunk in `ids` order."""
        return self.bm25.get_scores(tokens)

    def rows_of(self, sources: frozenset[str]) -> np.ndarray:
        """A mask over `ids` (and BM25's rows) that is true for the chunks of these documents."""
        mask = np.zeros(len(self.ids), dtype=bool)
        first = 0
        for source, part in self.parts.items():  # `ids` lists each part's chunks in turn
            if source in sources:
                mask[first : first + len(part.chunks)] = True
            first += len(part.chunks)
        return mask

    def chunks_of(self, source: str) -> list[StoredChunk]:
        """The document's committed chunks in text order."""
        ordered = self._by_source.get(source)
        if ordered is None:
            part = self.parts.get(source)
            ordered = sorted(part.chunks, key=lambda c: (c.start, c.end)) if part else []
            self._by_source[source] = ordered
        return ordered

    def known_share(self, tokens: list[str]) -> float:
        """The share of the tokens that occur somewhere in the chunks."""
        if not tokens or self.bm25 is None:
            return 0.0
        return sum(1 for token in tokens if token in self.bm25.idf) / len(tokens)


class SnapshotReader:
    """Builds snapshots of one index, each from the previous; one build at a time (the caller's lock)."""

    def __init__(self, index: Index, cache: PartCache | None = None):
        self.index = index
        self.cache = cache if cache is not None else PartCache(index.settings.index_dir)
        self.folder = self.cache.path.parent  # where the snapshot is saved, beside the search cache
        self.vocabulary = Vocabulary()
        self.last_read: dict = {}  # what the last read did, for benchmarks and logs
        self._stamp: tuple | None = None  # the store's files when the snapshot served was last known current
        self._records: dict[str, IndexedDocument] = {}  # as the last read found them
        self._vectors_behind = False  # the last snapshot was read without reloading the store's vectors
        self._in_vectors: set[str] = set()  # the chunks of the last snapshot read with the vectors loaded
        self._read_at = 0.0

    def refresh(self, snapshot: Snapshot | None) -> Snapshot:
        """The snapshot to serve next: `snapshot` itself when nothing was committed since, else a new one.

        A check reads every document record (~0.2 s at 100k chunks), unless the embedded store's files
        are untouched since the last one. Commits are read as they come (every INDEXING_READ_SECONDS at
        most while another process re-indexes), with the vectors loaded so far: another process's new
        chunks are in them only once the store is reloaded, after the re-index has ended and the store
        is quiet (untouched between two checks), as reloading while another process writes holds up
        every request for seconds (Index.reload). Until then a changed document is found by BM25 only.

        Bound: once the re-index has ended (its marker removed, Index.reindex_running), the second check
        reloads (the first may find the store written since the check before; another server's reload,
        which writes the store too, can add a check), so the new vectors are served within two check
        intervals (retrieval.REFRESH_SECONDS, each pushed back by as long as the build before it took)
        and one reload, as long as requests come (each check is started by one): 1.9-2.4 s after the
        marker at 10k chunks here.
        """
        if snapshot is None:
            return self.read(None)
        stamp = self.index.store_stamp()  # taken before reading: a write from now on shows at the next check
        quiet = stamp is not None and stamp == self._stamp
        if quiet and not self._vectors_behind:
            return snapshot
        indexing = self.index.reindex_running()
        if indexing and time.monotonic() - self._read_at < INDEXING_READ_SECONDS:
            return snapshot
        reload = quiet and not indexing
        if not (reload and self._vectors_behind) and self.index.fingerprint() == snapshot.fingerprint:
            self._stamp = stamp
            return snapshot
        new = self.read(snapshot, reload=reload)
        # (A document read in another version than its record listed: check the fingerprint next time.)
        self._stamp = stamp if new.fingerprint == fingerprint_of(self._records) else None
        return new

    def read(self, previous: Snapshot | None = None, *, reload: bool = False) -> Snapshot:
        """A snapshot of what is committed now, reusing the previous snapshot's unchanged documents; `reload`:
        with the store's vectors read again (as the first snapshot's are).

        The records are read before the vectors are loaded (by the snapshot's first search of a reloaded
        store, done here): every chunk they list was stored before they were read, so the vectors hold it,
        unless a later commit replaced its document, which changes the fingerprint and so brings a re-read.
        """
        reload = reload and previous is not None and self.index.reloadable
        if reload:
            self.index.reload()
        self._read_at = time.monotonic()
        with ThreadPoolExecutor(max_workers=2) as pool:
            # (the saved snapshot's file is read, mostly outside the GIL, while Chroma is imported and opened)
            saved = pool.submit(savedsnapshot.read, self.folder) if previous is None else None
            records = self._records = self.index.documents()
            if previous is None or reload or previous.collection is None:
                # (a second at 100k chunks, mostly outside the GIL: the tokenizer and the saved snapshot load meanwhile)
                loading = pool.submit(self.index.searchable_chunks)
            else:
                loading = None  # the vectors loaded so far (a Chroma server's are always current)
            base = previous
            if previous is None:
                load_tokenizer()  # questions are tokenised from the first request on
                base = self._saved(saved.result())
            reusable = self._reusable(base)
            collection = loading.result() if loading is not None else previous.collection
        parts = self._parts(records, reusable, collection)
        used = {part.record.source: part.record for part in parts}
        snapshot = Snapshot(fingerprint_of(used), parts, self.vocabulary, collection=collection, previous=base)
        if previous is None:
            self.last_read["saved"], self.last_read["reused"] = self.last_read["reused"], 0  # (reused from the saved one)
            self._save(snapshot, base)
        if previous is None or reload or not self.index.reloadable:
            self._vectors_behind, self._in_vectors = False, set(snapshot.ids)
        else:  # the vectors may lack this read's new chunks and still hold those it dropped
            self._vectors_behind = True
            snapshot.stale_vectors = len(self._in_vectors) - len(self._in_vectors.intersection(snapshot.ids))
        return snapshot

    def save_committed(self) -> None:
        """Save the snapshot of what is committed now for readers to open (build_index's last step); its vectors are
        not loaded, and only the documents the saved snapshot lacks are read."""
        base = self._saved(savedsnapshot.read(self.folder))
        records = self.index.documents()
        parts = self._parts(records, self._reusable(base), None)
        self._save(Snapshot(fingerprint_of(records), parts, self.vocabulary, previous=base), base)

    def _save(self, snapshot: Snapshot, saved: Snapshot | None) -> None:
        """Save the snapshot for the next open, unless it is the saved one."""
        if snapshot.bm25 is not None and (saved is None or snapshot.bm25 is not saved.bm25):
            parts = snapshot.parts.values()
            savedsnapshot.save(self.folder, [(part.record, part.chunks, part.terms) for part in parts], snapshot.vocabulary,
                               snapshot.bm25)

    def _saved(self, saved: savedsnapshot.SavedSnapshot | None) -> Snapshot | None:
        """A snapshot of the saved one (None: none), in its own vocabulary, which becomes the reader's."""
        if saved is None:
            return None
        self.vocabulary = saved.vocabulary
        parts = [DocumentPart(record, chunks, terms) for record, chunks, terms in saved.parts]
        return Snapshot("", parts, saved.vocabulary, bm25=saved.bm25)

    def _reusable(self, previous: Snapshot | None) -> dict[str, DocumentPart]:
        """The previous snapshot's parts, by source, numbered in the current vocabulary.

        Terms of document versions no longer committed stay in the vocabulary; once they outnumber the live
        ones, the live terms are numbered afresh in a new vocabulary (older snapshots keep the old one)."""
        if previous is None or previous.vocabulary is not self.vocabulary:
            return {}
        live = previous.bm25.live_numbers if previous.bm25 is not None else np.zeros(0, dtype=np.int64)
        if len(self.vocabulary) <= 2 * len(live) + COMPACT_SLACK:
            return previous.parts
        renumber = np.full(len(self.vocabulary), -1, dtype=np.int64)
        renumber[live] = np.arange(len(live))
        self.vocabulary = Vocabulary(self.vocabulary.tokens[number] for number in live.tolist())
        return {
            source: DocumentPart(part.record, part.chunks, part.terms.renumbered(renumber), part.tokenised)
            for source, part in previous.parts.items()
        }

    def _parts(self, records: dict[str, IndexedDocument], kept: dict[str, DocumentPart], collection) -> list[DocumentPart]:
        """The parts of the committed documents: reused when unchanged, else read (see the module's docstring)."""
        parts: dict[str, DocumentPart] = {}
        wanted = {}
        for source, record in records.items():
            old = kept.get(source)
            if old is not None and old.record.content_hash == record.content_hash and old.record.chunk_ids == record.chunk_ids:
                parts[source] = old if old.record == record else replace(old, record=record)  # (re-committed as it was)
            else:
                wanted[source] = record
        reused, tokenised, reread = len(parts), 0, 0
        for source, (chunks, terms) in self.cache.read(wanted.values(), self.vocabulary).items():
            parts[source] = DocumentPart(wanted.pop(source), chunks, terms)
        cached = len(parts) - reused
        from_index = []
        for attempt in range(1, READ_ATTEMPTS + 1):
            ids = [chunk_id for record in wanted.values() for chunk_id in record.chunk_ids]
            found = self.index.chunk_records(ids, collection=collection) if ids else {}
            missing = []
            for source, record in wanted.items():
                part = DocumentPart.read(record, found, self.vocabulary)
                if part is None:
                    missing.append(source)
                else:
                    parts[source] = part
                    from_index.append(part)
                    tokenised += part.tokenised
            if not missing:
                break
            if attempt == READ_ATTEMPTS:
                for source in missing:
                    log.warning("%s changed while being read %d times; its previous version is kept", source, attempt)
                    if source in kept:
                        parts[source] = kept[source]
                break
            # Committed again, and the chunks of the version read deleted, while being read: read the newer record.
            reread += len(missing)
            wanted = self.index.documents(missing)
        self.cache.write(((part.record, part.chunks, part.terms) for part in from_index), self.vocabulary)
        self.last_read = {"documents": len(records), "saved": 0, "reused": reused, "cached": cached,
                          "read": len(from_index), "reread": reread, "chunks_tokenised": tokenised}
        if tokenised:
            log.info("tokenised %d chunks stored without search terms; `python app.py index` stores them", tokenised)
        return [parts[source] for source in sorted(parts)]
