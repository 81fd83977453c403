"""A local cache of committed document versions as snapshots hold them, so that opening an index is fast.

Reading 100k chunks back from Chroma takes seconds (each record's fields are rows of its metadata
table), and numbering their terms a token at a time as long again. This SQLite file next to the
index keeps, per document version (its content hash and chunk ids), the chunks and their terms
as term numbers, with one numbering of all terms for the file: a reader maps that numbering to its
own once per term, and a document's terms with one array lookup.

Beside it, `search-snapshot.npz` keeps the last snapshot whole (reportqa.savedsnapshot).

It is derived data: an entry is used only for a committed record with the same content hash, chunk
ids and tokenizer version, so it cannot be stale, only missing (then the chunks are read from Chroma
and the entry written). `build_index` writes entries for the documents it indexes and forgets the
versions it deletes; any error here (a read-only folder, a damaged file) only turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from functools import partial
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .index import IndexedDocument, StoredChunk
from .lexical import TermCounts, Vocabulary, terms_version
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
_stored_chunk = partial(tuple.__new__, StoredChunk)  # StoredChunk._make without its Python frame
_SCAN_ABOVE = 20_000  # terms to look up beyond which the whole terms table is read


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

    # the file ----------------------------------------------------------------------------------

    def _usable(self) -> bool:
        return self.enabled and self.path.parent.exists()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open_for_writing()
        return self._db
