"""A local cache of committed document versions as snapshots hold them, so that opening an index is fast.

Reading 100k chunks back from Chroma takes seconds (each record's fields are rows of its metadata
table), and numbering their terms a token at a time as long again. This SQLite file next to the
index keeps, per document version (its content hash and chunk ids), the chunks and their terms
as term numbers, with one numbering of all terms for the file: a reader maps that numbering to its
own once per term, and a document's terms with one array lookup.

Beside it, `search-snapshot.npz` keeps the last snapshot `build_index` committed or a reader opened,
whole (`save` / `saved`): its documents' chunks, their terms and the BM25 postings, each one array
for all documents, so that opening an unchanged index reads a few arrays and builds no BM25 index (a
NumPy file: SQLite wrote the same 150 MB of blobs at 100k chunks five times slower). A reader uses it
as the previous snapshot: only its documents whose committed record has the same content hash and
chunk ids are taken from it, and a damaged or missing file only makes an open slower.

It is derived data: an entry is used only for a committed record with the same content hash, chunk
ids and tokenizer version, so it cannot be stale, only missing (then the chunks are read from Chroma
and the entry written). `build_index` writes entries for the documents it indexes and forgets the
versions it deletes; any error here (a read-only folder, a damaged file) only turns the cache off.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import sqlite3
import threading
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .index import IndexedDocument, StoredChunk
from .lexical import Bm25, Postings, TermCounts, Vocabulary, terms_version
from .sentvectors import DerivedFile, select_in

log = logging.getLogger(__name__)

FILE_NAME = "search-cache.sqlite"
_FORMAT = 1  # PRAGMA user_version of the file; a file of another format is emptied
_SCHEMA = """
CREATE TABLE IF NOT EXISTS terms (number INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS parts (
    content_hash TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,  -- sha1 of the record's chunk ids
    terms_version TEXT NOT NULL,
    chunks TEXT NOT NULL,  -- JSON [[chunk id, source, section, text, start, end], ...] in record order
    numbers BLOB NOT NULL,  -- int32: term numbers (of the terms table), chunk after chunk
    counts BLOB NOT NULL,  -- int32: each term's count in its chunk
    terms_per_chunk BLOB NOT NULL,  -- int32
    PRIMARY KEY (content_hash, chunk_ids, terms_version)
);
"""
SNAPSHOT_FILE = "search-snapshot.npz"
_SNAPSHOT_FORMAT = 1  # of the saved snapshot; a file of another format is not read
_stored_chunk = partial(tuple.__new__, StoredChunk)  # StoredChunk._make without its Python frame
_SCAN_ABOVE = 20_000  # terms to look up beyond which the whole terms table is read


@dataclass(frozen=True)
class SavedSnapshot:
    """A snapshot as `PartCache.save` kept it: (record, chunks, terms) per document, in the snapshot's order."""

    parts: list[tuple[IndexedDocument, tuple[StoredChunk, ...], TermCounts]]
    vocabulary: Vocabulary  # BM25's terms, numbered as its postings number them
    bm25: Bm25


def chunk_ids_key(chunk_ids: Sequence[str]) -> str:
    return hashlib.sha1("\n".join(chunk_ids).encode("utf-8")).hexdigest()


class PartCache(DerivedFile):
    """The cache file of one index folder; methods are safe to call from one thread at a time per instance."""

    kind, schema, tables, format = "search cache", _SCHEMA, ("parts", "terms"), _FORMAT
    when_off = "reading chunks from the index instead"

    def __init__(self, folder: Path):
        super().__init__(folder / FILE_NAME)
        self._vocabulary: Vocabulary | None = None  # the reader numbering _to_reader maps into
        self._to_reader = np.zeros(0, dtype=np.int64)  # cache term number -> reader number (-1: no term)

    # reading -----------------------------------------------------------------------------------

    def read(self, records: Iterable[IndexedDocument], vocabulary: Vocabulary) -> dict[str, tuple]:
        """source -> (chunks, TermCounts in the vocabulary's numbers) for the records the cache holds."""
        records = list(records)
        if not records or not self._usable():
            return {}
        try:
            with self._lock:
                return self._read(records, vocabulary)
        except (sqlite3.Error, ValueError, KeyError, TypeError, IndexError) as exc:
            self._disable(exc)
            return {}

    def _read(self, records: list[IndexedDocument], vocabulary: Vocabulary) -> dict[str, tuple]:
        db = self._connect()
        version = terms_version()
        by_hash = {record.content_hash: record for record in records}
        found: dict[str, tuple] = {}
        rows = select_in(db, "SELECT content_hash, chunk_ids, chunks, numbers, counts, terms_per_chunk FROM parts "
                             "WHERE terms_version = ? AND content_hash IN ({})", list(by_hash), version)
        for content_hash, ids_key, chunks_json, numbers, counts, per_chunk in rows:
            record = by_hash[content_hash]
            if ids_key != chunk_ids_key(record.chunk_ids):
                continue
            chunks = tuple(map(_stored_chunk, json.loads(chunks_json)))  # (rows of 6, as written)
            if len(chunks) != len(record.chunk_ids) or (chunks and (len(chunks[0]) != len(StoredChunk._fields)
                                                                    or chunks[0].source != record.source)):
                continue
            cache_numbers, counts = np.frombuffer(numbers, dtype="<i4"), np.frombuffer(counts, dtype="<i4")
            per_chunk = np.frombuffer(per_chunk, dtype="<i4")
            consistent = len(per_chunk) == len(chunks) and len(counts) == len(cache_numbers) == int(per_chunk.sum())
            if not consistent:
                continue
            found[record.source] = (chunks, cache_numbers, counts, per_chunk)
        if not found:
            return {}
        self._map_terms(db, vocabulary, np.concatenate([entry[1] for entry in found.values()]))
        result = {}
        for source, (chunks, cache_numbers, counts, per_chunk) in found.items():
            numbers = self._to_reader[cache_numbers] if len(cache_numbers) else cache_numbers.astype(np.int64)
            if len(numbers) and numbers.min() < 0:
                continue  # a term number the terms table lacks: a damaged entry, read from Chroma instead
            result[source] = (chunks, TermCounts.of(numbers.astype(np.int32), counts.astype(np.int32),
                                                    per_chunk.astype(np.int32)))
        return result

    def _map_terms(self, db: sqlite3.Connection, vocabulary: Vocabulary, cache_numbers: np.ndarray) -> None:
        """Map these cache term numbers to the vocabulary's (adding their terms to it), once per term."""
        if vocabulary is not self._vocabulary:  # a new reader numbering (renumbered): map afresh
            self._vocabulary, self._to_reader = vocabulary, np.zeros(0, dtype=np.int64)
        if not len(cache_numbers):
            return
        if not len(vocabulary):  # opening: number the file's terms in its order (no lookups)
            rows = db.execute("SELECT number, term FROM terms ORDER BY number").fetchall()
            if rows:
                vocabulary.extend([term for _, term in rows])
                self._to_reader = np.full(rows[-1][0] + 1, -1, dtype=np.int64)
                self._to_reader[[number for number, _ in rows]] = np.arange(len(rows))
                if cache_numbers.max() < len(self._to_reader):
                    return  # every term the entries use is mapped (a number of no term stays -1: a damaged entry)
        needed = np.flatnonzero(np.bincount(cache_numbers))  # (not np.unique: a sort of every occurrence)
        if needed[-1] >= len(self._to_reader):
            grown = np.full(int(needed[-1]) + 1, -1, dtype=np.int64)
            grown[: len(self._to_reader)] = self._to_reader
            self._to_reader = grown
        unmapped = needed[self._to_reader[needed] < 0]
        if len(unmapped) > _SCAN_ABOVE:  # most of the table (opening): one scan beats many lookups
            wanted = np.zeros(len(self._to_reader), dtype=bool)
            wanted[unmapped] = True
            rows = [(n, t) for n, t in db.execute("SELECT number, term FROM terms") if n < len(wanted) and wanted[n]]
        else:
            rows = list(select_in(db, "SELECT number, term FROM terms WHERE number IN ({})", unmapped.tolist()))
        if rows:
            self._to_reader[[number for number, _ in rows]] = vocabulary.number_all([term for _, term in rows])

    # writing -----------------------------------------------------------------------------------

    def write(self, entries: Iterable[tuple[IndexedDocument, Sequence[StoredChunk], TermCounts]],
              vocabulary: Vocabulary) -> None:
        """Keep these document versions (chunks in record order, terms in the vocabulary's numbers)."""
        entries = list(entries)
        if not entries or not self._usable():
            return
        try:
            with self._lock:
                self._write(entries, vocabulary)
        except (sqlite3.Error, ValueError, KeyError, IndexError) as exc:
            self._disable(exc)

    def _write(self, entries: list, vocabulary: Vocabulary) -> None:
        db = self._connect()
        used = np.unique(np.concatenate([terms.numbers for _, _, terms in entries]))
        tokens = [vocabulary.tokens[number] for number in used.tolist()]
        with db:
            db.executemany("INSERT OR IGNORE INTO terms (term) VALUES (?)", ((token,) for token in tokens))
            cache_number = dict(select_in(db, "SELECT term, number FROM terms WHERE term IN ({})", tokens))
            to_cache = np.full(len(vocabulary), -1, dtype=np.int64)
            to_cache[used] = [cache_number[token] for token in tokens]
            version = terms_version()
            db.executemany(
                "INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (record.content_hash, chunk_ids_key(record.chunk_ids), version,
                     json.dumps([list(chunk) for chunk in chunks], ensure_ascii=False),
                     to_cache[terms.numbers].astype("<i4").tobytes(), terms.counts.astype("<i4").tobytes(),
                     terms.terms_per_chunk.astype("<i4").tobytes())
                    for record, chunks, terms in entries
                ),
            )

    def forget(self, keep: Iterable[str]) -> None:
        """Drop the entries of document versions other than these content hashes."""
        self._forget(keep, "parts")

    # the snapshot last opened ------------------------------------------------------------------

    def saved(self) -> SavedSnapshot | None:
        """The snapshot `save` kept, if any (of this tokenizer version)."""
        try:
            with open(self.path.with_name(SNAPSHOT_FILE), "rb") as file:  # (closed, too, when np.load fails)
                stored = np.load(file)
                arrays = {name: stored[name] for name in stored.files}
            if int(arrays["format"][0]) != _SNAPSHOT_FORMAT or _text(arrays["terms_version"]) != terms_version():
                return None
            collecting = gc.isenabled()
            gc.disable()  # (the 100k chunk tuples made here would start collections that find nothing to free)
            try:
                return _unpack(arrays)
            finally:
                if collecting:
                    gc.enable()
        except FileNotFoundError:
            return None
        except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            log.warning("saved snapshot %s not read (%s: %s); reading the index's documents instead",
                        self.path.with_name(SNAPSHOT_FILE), exc.__class__.__name__, exc)
            return None

    def save(self, parts: Sequence[tuple[IndexedDocument, Sequence[StoredChunk], TermCounts]], vocabulary: Vocabulary,
             bm25: Bm25) -> None:
        """Keep this snapshot (its parts in order, terms in the vocabulary's numbers, BM25 over them) for the next open."""
        path = self.path.with_name(SNAPSHOT_FILE)
        if not parts or not path.parent.exists():
            return
        written = path.with_name(f"{SNAPSHOT_FILE}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            _remove_unfinished(path)
            with open(written, "wb") as file:
                np.savez(file, **_pack(parts, vocabulary, bm25))
            os.replace(written, path)  # (a reader of the previous file reads it whole: it stays open until then)
        except (OSError, ValueError) as exc:
            log.warning("snapshot not saved in %s (%s: %s)", path, exc.__class__.__name__, exc)
            written.unlink(missing_ok=True)

    # the file ----------------------------------------------------------------------------------

    def _usable(self) -> bool:
        return self.enabled and self.path.parent.exists()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open_for_writing()
        return self._db


def _remove_unfinished(path: Path) -> None:
    """Delete the files that processes killed while saving a snapshot left (150 MB each at 100k chunks)."""
    for unfinished in path.parent.glob(f"{path.name}.*.tmp"):
        try:
            os.kill(int(unfinished.name[len(path.name) + 1 :].split("-")[0]), 0)
        except ProcessLookupError:
            unfinished.unlink(missing_ok=True)
        except (ValueError, OSError):
            pass  # another user's process (PermissionError), or a name not ours: leave it


def _pack(parts: Sequence[tuple[IndexedDocument, Sequence[StoredChunk], TermCounts]], vocabulary: Vocabulary,
          bm25: Bm25) -> dict[str, np.ndarray]:
    """The arrays of a saved snapshot (text as UTF-8 bytes); its term numbers become BM25's, so that it holds no dead terms."""
    to_bm25 = np.full(len(vocabulary), -1, dtype=np.int64)
    to_bm25[bm25.live_numbers] = np.arange(len(bm25.live_numbers))
    chunks = [chunk for _, part_chunks, _ in parts for chunk in part_chunks]
    numbers = to_bm25[np.concatenate([terms.numbers for _, _, terms in parts])]
    if len(numbers) and numbers.min() < 0:
        raise ValueError("a term of the snapshot is not in its BM25 index")
    postings = bm25.postings()
    return {
        "format": np.array([_SNAPSHOT_FORMAT]),
        "terms_version": _bytes(terms_version()),
        # [[source, content hash, indexed at, terms version, chunks], ...] in the snapshot's order
        "documents": _bytes(json.dumps([[record.source, record.content_hash, record.indexed_at, record.terms_version,
                                         len(part_chunks)] for record, part_chunks, _ in parts], ensure_ascii=False)),
        # [[chunk ids], [sections], [texts]], document after document (each chunk's source is its document's)
        "chunks": _bytes(json.dumps([[c.chunk_id for c in chunks], [c.section for c in chunks], [c.text for c in chunks]],
                                    ensure_ascii=False)),
        "spans": np.array([(c.start, c.end) for c in chunks], dtype=np.int64).reshape(-1, 2),
        "tokens": _bytes(" ".join(postings.tokens)),  # BM25's terms in its term numbers' order
        "numbers": numbers.astype(np.int32),  # chunk after chunk, as TermCounts holds them
        "counts": np.concatenate([terms.counts for _, _, terms in parts]).astype(np.int32),
        "terms_per_chunk": np.concatenate([terms.terms_per_chunk for _, _, terms in parts]).astype(np.int32),
        "doc_len": postings.doc_len, "rows": postings.rows, "frequencies": postings.frequencies,
        "offsets": postings.offsets,
    }


def _unpack(arrays: dict[str, np.ndarray]) -> SavedSnapshot:
    """The snapshot of `_pack`'s arrays; ValueError (or IndexError) when its parts do not fit together."""
    documents, (chunk_ids, sections, texts) = json.loads(_text(arrays["documents"])), json.loads(_text(arrays["chunks"]))
    spans, doc_len, per_chunk = arrays["spans"], arrays["doc_len"], arrays["terms_per_chunk"]
    numbers, counts = arrays["numbers"], arrays["counts"]
    tokens = _text(arrays["tokens"])
    vocabulary = Vocabulary(tokens.split(" ") if tokens else ())
    postings = Postings(vocabulary.tokens, doc_len, arrays["rows"], arrays["frequencies"], arrays["offsets"])
    size = len(chunk_ids)
    if not (len(sections) == len(texts) == len(spans) == len(per_chunk) == len(doc_len) == size
            == sum(document[4] for document in documents)):
        raise ValueError("the saved snapshot's documents and chunks differ in number")
    term_ends = np.concatenate(([0], np.cumsum(per_chunk, dtype=np.int64)))
    if not (len(numbers) == len(counts) == term_ends[-1] == len(postings.rows) == len(postings.frequencies)
            == postings.offsets[-1]) or len(postings.offsets) != len(vocabulary) + 1 or len(vocabulary.numbers) != len(vocabulary):
        raise ValueError("the saved snapshot's terms and postings differ in number")
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= len(vocabulary)):
        raise ValueError("a saved term number outside the saved terms")
    if len(postings.rows) and (postings.rows.min() < 0 or postings.rows.max() >= size or np.diff(postings.offsets).min() < 0):
        raise ValueError("a saved posting outside the saved chunks")
    parts, first = [], 0
    starts, ends = spans[:, 0].tolist(), spans[:, 1].tolist()
    for source, content_hash, indexed_at, version, size in documents:
        last = first + size
        ids = tuple(chunk_ids[first:last])
        chunks = tuple(map(_stored_chunk, zip(ids, [source] * size, sections[first:last], texts[first:last],
                                                  starts[first:last], ends[first:last])))
        low, high = term_ends[first], term_ends[last]
        terms = TermCounts(numbers[low:high], counts[low:high], per_chunk[first:last], doc_len[first:last])
        parts.append((IndexedDocument(source, content_hash, ids, indexed_at, version), chunks, terms))
        first = last
    return SavedSnapshot(parts, vocabulary, Bm25.of_postings(postings))


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: np.ndarray) -> str:
    return array.tobytes().decode("utf-8")
