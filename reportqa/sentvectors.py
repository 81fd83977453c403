"""Sentence vectors stored with the index, so that answering a question embeds only the question.

The extractive answerer scores every sentence of the retrieved passages, and of the section it
answers from, by its embedding (reportqa.answering.evidence). Embedding them at question time took
most of a cold question's time; `build_index` now embeds them with each document version and keeps
them in this SQLite file next to the index, keyed by a hash of the exact text embedded.
`answer_texts` lists those texts for one document version; the indexer and the answerer share it
and the answerer's own sentence functions, so what is stored is what is looked up.

Entries are kept per document version (content hash), like the chunks: a vector shared by several
versions stays until the last of them is forgotten. It is derived data: a text it lacks is embedded
at question time as before, and any error here (a read-only folder, a damaged file) only turns the
store off.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from .tree import DocumentTree

log = logging.getLogger(__name__)

FILE_PREFIX = "sentence-vectors-"
_FORMAT = 2  # PRAGMA user_version of the file; a file of another format is emptied
# (vectors: a rowid table, since rows of 1.5 kB would overflow the pages of a WITHOUT ROWID one)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (text_hash BLOB PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS owners (
    content_hash TEXT NOT NULL,  -- a document version that uses the text
    text_hash BLOB NOT NULL,
    PRIMARY KEY (content_hash, text_hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS owners_by_text ON owners (text_hash);
"""
_BATCH = 500  # parameters per SQL statement


def answer_texts(chunk_texts: Iterable[str], tree: DocumentTree | None) -> list[str]:
    """Every text the extractive answerer may embed for one document version, each once: the sentences
    of its chunks (the passages a question retrieves) and of its tree's parts (the sections it answers from)."""
    from .answering.evidence import node_sentences, scored_text, whole_sentences

    raw = [text[start:end] for text in chunk_texts for start, end in whole_sentences(text)]
    if tree is not None and tree.nodes:
        raw += [unit[-1] for unit in node_sentences(tree, tree.nodes[0])]
    return [text for text in dict.fromkeys(map(scored_text, raw)) if text]


class DerivedFile:
    """A SQLite file of data derived from the index, next to it (the sentence vectors; reportqa.partcache's
    search cache): opened on first use, emptied when written by another format, turned off by any error.

    A subclass names what it is (`kind`), its `schema`, the `tables` it drops, its `format` and what happens
    `when_off`."""

    kind = ""
    schema = ""
    tables: tuple[str, ...] = ()
    format = 0
    when_off = ""

    def __init__(self, path: Path):
        self.path = path
        self.enabled = True
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _open_for_writing(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=10.0, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            if db.execute("PRAGMA user_version").fetchone()[0] != self.format:  # new, or of another version
                drops = "".join(f"DROP TABLE IF EXISTS {table}; " for table in self.tables)
                db.executescript(f"{drops}{self.schema}PRAGMA user_version = {self.format};")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _usable(self) -> bool:
        raise NotImplementedError

    def _connect(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _forget(self, keep: Iterable[str], table: str, *then: str) -> None:
        """Delete the table's rows of document versions other than these content hashes, then run `then`."""
        if not self._usable():
            return
        keep = set(keep)
        try:
            with self._lock:
                db = self._connect()
                stale = [(h,) for (h,) in db.execute(f"SELECT DISTINCT content_hash FROM {table}") if h not in keep]
                if stale:
                    with db:
                        db.executemany(f"DELETE FROM {table} WHERE content_hash = ?", stale)
                        for statement in then:
                            db.execute(statement)
        except sqlite3.Error as exc:
            self._disable(exc)

    def _disable(self, exc: Exception) -> None:
        log.warning("%s %s turned off (%s: %s); %s", self.kind, self.path, exc.__class__.__name__, exc, self.when_off)
        self.enabled = False
        if self._db is not None:
            self._db.close()
            self._db = None


def select_in(db: sqlite3.Connection, query: str, values: Sequence, *before) -> Iterator[tuple]:
    """Rows of a query whose `{}` is a list of `?` for the values, asked in batches (SQLite bounds the
    parameters of a statement); `before` are the parameters ahead of the list."""
    for first in range(0, len(values), _BATCH):
        batch = list(values[first : first + _BATCH])
        yield from db.execute(query.format(",".join("?" * len(batch))), [*before, *batch])


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def file_name(model_id: str) -> str:
    """The store's file for an embedding model (vectors of another model are of no use)."""
    return f"{FILE_PREFIX}{hashlib.sha1(model_id.encode('utf-8')).hexdigest()[:10]}.sqlite"


class SentenceVectors(DerivedFile):
    """The store of one index folder and embedding model; safe to share between threads.

    `lookups` and `hits` count the texts asked for and found, for measuring."""

    kind, schema, tables, format = "sentence vectors", _SCHEMA, ("owners", "vectors"), _FORMAT
    when_off = "embedding sentences at question time instead"

    def __init__(self, folder: Path, model_id: str, *, writable: bool = False):
        super().__init__(Path(folder) / file_name(model_id))
        self.writable = writable
        self.lookups = 0
        self.hits = 0

    # reading -----------------------------------------------------------------------------------

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those texts the store holds."""
        texts = list(dict.fromkeys(texts))
        found: dict[str, np.ndarray] = {}
        if texts and self._usable():
            try:
                with self._lock:
                    db = self._connect()
                    by_key = {text_key(text): text for text in texts}
                    for key, blob in select_in(db, "SELECT text_hash, vector FROM vectors WHERE text_hash IN ({})",
                                               list(by_key)):
                        found[by_key[key]] = np.frombuffer(blob, dtype="<f4")
            except (sqlite3.Error, KeyError) as exc:
                self._disable(exc)
                found = {}
        with self._lock:
            self.lookups += len(texts)
            self.hits += len(found)
        return found

    def holds_version(self, content_hash: str) -> bool:
        """Whether the vectors of this document version were stored."""
        if not self._usable():
            return False
        try:
            with self._lock:
                row = self._connect().execute("SELECT 1 FROM owners WHERE content_hash = ? LIMIT 1", (content_hash,))
                return row.fetchone() is not None
        except sqlite3.Error as exc:
            self._disable(exc)
            return False

    # writing -----------------------------------------------------------------------------------

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The texts whose vectors are not stored (all of them when the store is off)."""
        texts = list(dict.fromkeys(texts))
        if not self._usable():
            return texts
        try:
            with self._lock:
                known = self._known(self._connect(), [text_key(text) for text in texts])
        except sqlite3.Error as exc:
            self._disable(exc)
            return texts
        return [text for text in texts if text_key(text) not in known]

    def _known(self, db: sqlite3.Connection, keys: list[bytes]) -> set[bytes]:
        return {key for (key,) in select_in(db, "SELECT text_hash FROM vectors WHERE text_hash IN ({})", keys)}

    def store_version(self, content_hash: str, texts: Sequence[str],
                      embed: Callable[[list[str]], list[Sequence[float]]]) -> int:
        """Keep the vectors of a document version's texts, embedding (with `embed`) only those not stored.

        Returns how many texts were embedded."""
        texts = list(dict.fromkeys(texts))
        if not self._usable():
            return 0
        try:
            keys = [text_key(text) for text in texts]
            with self._lock:
                known = self._known(self._connect(), keys)
            missing = [(key, text) for key, text in zip(keys, texts) if key not in known]
            vectors = embed([text for _, text in missing]) if missing else []  # outside the lock: slow
            with self._lock:
                db = self._connect()
                with db:
                    db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", (
                        (key, np.asarray(vector, dtype="<f4").tobytes()) for (key, _), vector in zip(missing, vectors)))
                    # (an empty key marks the version stored even when it has no sentence)
                    db.executemany("INSERT OR IGNORE INTO owners VALUES (?, ?)",
                                   ((content_hash, key) for key in [b"", *keys]))
            return len(missing)
        except sqlite3.Error as exc:
            self._disable(exc)
            return 0

    def forget(self, keep: Iterable[str]) -> None:
        """Drop the document versions other than these content hashes, and the vectors only they used."""
        self._forget(keep, "owners", "DELETE FROM vectors WHERE text_hash NOT IN (SELECT text_hash FROM owners)")

    def remove_other_models(self) -> None:
        """Delete the store files of other embedding models in the folder."""
        for path in self.path.parent.glob(f"{FILE_PREFIX}*.sqlite*"):
            if not path.name.startswith(self.path.name):
                path.unlink(missing_ok=True)

    # the file ----------------------------------------------------------------------------------

    def _usable(self) -> bool:
        # A reader never creates the file: it appears with the first build that stores vectors.
        return self.enabled and (self._db is not None or (self.path.exists() if not self.writable
                                                          else self.path.parent.exists()))

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            if self.writable:
                try:
                    self._db = self._open_for_writing()
                except sqlite3.DatabaseError as exc:  # a damaged file: derived data, made again
                    log.warning("sentence vectors %s damaged (%s); starting it afresh", self.path, exc)
                    for path in self.path.parent.glob(f"{self.path.name}*"):
                        path.unlink(missing_ok=True)
                    self._db = self._open_for_writing()
            else:
                db = sqlite3.connect(str(self.path), timeout=10.0, check_same_thread=False)
                if db.execute("PRAGMA user_version").fetchone()[0] != self.format:
                    db.close()
                    raise sqlite3.DatabaseError(f"not a sentence vector file of format {_FORMAT}")
                self._db = db
        return self._db

    def close(self) -> None:
        """Close the file (it reopens on next use); a writer first folds its log into it."""
        with self._lock:
            if self._db is not None:
                if self.writable:
                    try:
                        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    except sqlite3.Error:
                        pass  # a reader still in it: the next writer folds it in
                self._db.close()
                self._db = None
