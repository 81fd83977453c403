"""The command line's `--doc` on `retrieve` / `ask` and its `export` of stored conversations, through its entry point."""

from __future__ import annotations

import pytest

from reportqa.conversations import ConversationStore

from test_conversations import FIRST, REPORT, SECOND, SECTION


@pytest.mark.slow
def test_the_cli_searches_the_named_document_and_refuses_an_unknown_one(report_settings, monkeypatch, capsys):
    import json

    from reportqa.cli import main

    monkeypatch.setenv("REPORTQA_CORPUS", str(report_settings.corpus_dir))
    monkeypatch.setenv("REPORTQA_INDEX", str(report_settings.index_dir))
    monkeypatch.setenv("REPORTQA_LLM", "none")
    report = "xiaomi-baic-cooperation-report.txt"
    assert main(["retrieve", "--json", "--doc", "XIAOMI-BAIC-cooperation-report", "时代北汽的总投资是多少？"]) == 0
    passages = json.loads(capsys.readouterr().out)["passages"]
    assert passages and {p["source"] for p in passages} == {report}
    assert main(["ask", "--json", "--doc", report, "--doc", "xiaomi-baic-cooperation-report", "时代北汽的总投资是多少？"]) == 0
    assert "10 亿元" in json.loads(capsys.readouterr().out)["answer"]
    assert main(["ask", "--doc", "annual-2023", "时代北汽的总投资是多少？"]) == 1
    assert capsys.readouterr().err == f"error: No document named 'annual-2023'; documents are: {report}\n"


def test_the_cli_lists_the_stored_conversations_and_prints_one_as_markdown(tmp_path, capsys):
    from reportqa.cli import main

    index = tmp_path / "index"
    assert main(["--index", str(index), "export"]) == 0 and capsys.readouterr().out == ""
    assert not index.exists()  # listing creates nothing
    stored = ConversationStore(index / "conversations.sqlite3").save("browser:a", None, [FIRST, SECOND])
    assert main(["--index", str(index), "export"]) == 0
    listed = capsys.readouterr().out
    assert stored.id in listed and "2 questions" in listed and "时代北汽的总投资是多少？" in listed
    assert main(["--index", str(index), "export", stored.id]) == 0
    text = capsys.readouterr().out
    assert "## 1. 时代北汽的总投资是多少？" in text and "## 2. 那产能呢？" in text and f"[1] {SECTION} — {REPORT}" in text
    assert main(["--index", str(index), "export", stored.id, "--answer", "1"]) == 0
    assert "那产能呢" not in capsys.readouterr().out
    assert main(["--index", str(index), "export", "nope"]) == 1
    assert "No conversation has the id 'nope'" in capsys.readouterr().err
