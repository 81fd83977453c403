"""`python app.py index` shows a progress bar on a terminal and plain lines in a log."""

from __future__ import annotations

import io

from reportqa.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_index_command_shows_chunks_done_with_rate_on_a_terminal(two_doc_settings, monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["--corpus", str(two_doc_settings.corpus_dir), "--index", str(two_doc_settings.index_dir), "index"]) == 0
    shown = terminal.getvalue()
    assert "[1/2] indexing battery.md" in shown and "[2/2] indexing logistics.txt" in shown
    assert "2/2 [" in shown and "chunk/s" in shown  # chunks done of the total, elapsed<left, rate
    assert "documents: 2 added" in capsys.readouterr().out


def test_index_command_in_a_log_prints_the_document_lines_without_a_bar(two_doc_settings, capsys):
    assert main(["--corpus", str(two_doc_settings.corpus_dir), "--index", str(two_doc_settings.index_dir), "index"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["[1/2] indexing battery.md", "[2/2] indexing logistics.txt"]
    assert "documents: 2 added" in captured.out
