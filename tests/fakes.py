"""Small deterministic stand-ins for unit tests of ranking and indexing logic."""

from __future__ import annotations

import hashlib
import math

from langchain_core.embeddings import Embeddings

from reportqa.retrieval import tokenize


class BagOfWordsEmbeddings(Embeddings):
    """Hashes jieba tokens into a small normalised vector: texts sharing words are close."""

    model_id = "fake-bag-of-words"

    def __init__(self, dimensions: int = 256):
        self.dimensions = dimensions
        self.calls = 0  # how many texts were embedded

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for token in tokenize(text):
            vector[int(hashlib.md5(token.encode("utf-8")).hexdigest(), 16) % self.dimensions] += 1.0
        norm = math.sqrt(sum(value * value for value in vector)) or 1.0
        return [value / norm for value in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += len(texts)
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)
