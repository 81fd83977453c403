"""Progress of an index build on the page's Re-index: chunks done go to the progress bar."""

from __future__ import annotations

import pytest

import reportqa.index as index_module
from reportqa.config import Settings
from reportqa.indexing import IndexReport, Progress
from reportqa.ui import documents

from fakes import BagOfWordsEmbeddings

DOCS = {
    "battery.md": "# 电池\n时代北汽总投资 10 亿元。年产能规划达 20GWh。\n",
    "logistics.txt": "一、物流\n零部件通过北汽物流网络实现两小时供应链圈。\n",
}


@pytest.fixture
def settings(tmp_path, monkeypatch):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(index_module, "load_embeddings", lambda settings: BagOfWordsEmbeddings())
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "idx")


def test_reindex_on_the_page_reports_chunks_to_the_progress_bar_and_documents_to_the_status(settings):
    shown: list[tuple[tuple[int, int], str]] = []
    steps = list(documents.reindex(settings, progress=lambda done, desc, unit: shown.append((done, desc))))
    assert [(step.action, step.source) for step in steps[:-1]] == [("indexing", "battery.md"), ("indexing", "logistics.txt")]
    assert isinstance(steps[-1], IndexReport) and steps[-1].chunks_added == 2
    assert shown[-1][0] == (2, 2) and "2/2 chunks" in shown[-1][1] and "chunks/s" in shown[-1][1]
    assert all(isinstance(step, (Progress, IndexReport)) for step in steps)


def test_reindex_outside_a_page_event_needs_no_progress_bar(settings):
    steps = list(documents.reindex(settings))
    assert steps[-1].documents_added == 2
