"""`python app.py index` shows a progress bar on a terminal and plain lines in a log."""

from __future__ import annotations

import io

import pytest

import reportqa.index as index_module
from reportqa.cli import main
from reportqa.config import Settings

from fakes import BagOfWordsEmbeddings

DOCS = {
    "battery.md": "# 电池\n时代北汽总投资 10 亿元。年产能规划达 20GWh。\n",
    "logistics.txt": "一、物流\n零部件通过北汽物流网络实现两小时供应链圈。\n",
}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def settings(tmp_path, monkeypatch):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(index_module, "load_embeddings", lambda settings: BagOfWordsEmbeddings())
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "idx")


def test_index_command_shows_chunks_done_with_rate_on_a_terminal(settings, monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "index"]) == 0
    shown = terminal.getvalue()
    assert "[1/2] indexing battery.md" in shown and "[2/2] indexing logistics.txt" in shown
    assert "2/2 [" in shown and "chunk/s" in shown  # chunks done of the total, elapsed<left, rate
    assert "documents: 2 added" in capsys.readouterr().out


def test_index_command_in_a_log_prints_the_document_lines_without_a_bar(settings, capsys):
    assert main(["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "index"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["[1/2] indexing battery.md", "[2/2] indexing logistics.txt"]
    assert "documents: 2 added" in captured.out
