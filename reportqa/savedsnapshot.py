"""The snapshot saved for the next open: `search-snapshot.npz` in the index folder, beside the search cache.

It keeps the last snapshot `build_index` committed or a reader opened, whole (`save` / `read`): its
documents' chunks, their terms and the BM25 postings, each one array for all documents, so that
opening an unchanged index reads a few arrays and builds no BM25 index (a NumPy file: SQLite wrote
the same 150 MB of blobs at 100k chunks five times slower). A reader uses it as the previous
snapshot (reportqa.snapshot): only its documents whose committed record has the same content hash
and chunk ids are taken from it, and a damaged or missing file only makes an open slower.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import threading
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Sequence

import numpy as np

from .index import IndexedDocument, StoredChunk
from .lexical import Bm25, Postings, TermCounts, Vocabulary, terms_version

log = logging.getLogger(__name__)

FILE_NAME = "search-snapshot.npz"
_FORMAT = 1  # of the saved snapshot; a file of another format is not read
_stored_chunk = partial(tuple.__new__, StoredChunk)  # StoredChunk._make without its Python frame


@dataclass(frozen=True)
class SavedSnapshot:
    """A snapshot as `save` kept it: (record, chunks, terms) per document, in the snapshot's order."""

    parts: list[tuple[IndexedDocument, tuple[StoredChunk, ...], TermCounts]]
    vocabulary: Vocabulary  # BM25's terms, numbered as its postings number them
    bm25: Bm25


def read(folder: Path) -> SavedSnapshot | None:
    """The snapshot `save` kept in the index folder, if any (of this tokenizer version)."""
    try:
        with open(folder / FILE_NAME, "rb") as file:  # (closed, too, when np.load fails)
            stored = np.load(file)
            arrays = {name: stored[name] for name in stored.files}
        if int(arrays["format"][0]) != _FORMAT or _text(arrays["terms_version"]) != terms_version():
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
                    folder / FILE_NAME, exc.__class__.__name__, exc)
        return None


def save(folder: Path, parts: Sequence[tuple[IndexedDocument, Sequence[StoredChunk], TermCounts]], vocabulary: Vocabulary,
         bm25: Bm25) -> None:
    """Keep this snapshot in the index folder for the next open: its parts in order, terms in the vocabulary's
    numbers, BM25 over them."""
    path = folder / FILE_NAME
    if not parts or not path.parent.exists():
        return
    written = path.with_name(f"{FILE_NAME}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        _remove_unfinished(path)
        with open(written, "wb") as file:
            np.savez(file, **_pack(parts, vocabulary, bm25))
        os.replace(written, path)  # (a reader of the previous file reads it whole: it stays open until then)
    except (OSError, ValueError) as exc:
        log.warning("snapshot not saved in %s (%s: %s)", path, exc.__class__.__name__, exc)
        written.unlink(missing_ok=True)


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
        "format": np.array([_FORMAT]),
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
