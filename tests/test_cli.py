"""The CLI contract scripts rely on, through the entry point over the real report index."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reportqa.cli import main

from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def report_cli(report_settings, monkeypatch):
    """Run `python app.py` in-process against the real report index with the extractive backend."""
    monkeypatch.setenv("REPORTQA_CORPUS", str(report_settings.corpus_dir))
    monkeypatch.setenv("REPORTQA_INDEX", str(report_settings.index_dir))
    monkeypatch.setenv("REPORTQA_LLM", "none")
    return main


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_ask_json_has_the_documented_fields_and_cites_the_evidence(report_cli, capsys):
    assert report_cli(["ask", "--json", "时代北汽的总投资是多少？"]) == 0
    (result,) = json_lines(capsys.readouterr().out)
    assert set(result) >= {"id", "question", "answer", "citations", "abstained"}
    assert result["abstained"] is False and "[1]" in result["answer"]
    citation = result["citations"][0]
    assert set(citation) >= {"marker", "id", "source", "section", "text"}
    assert citation["marker"] == 1 and citation["source"] == "xiaomi-baic-cooperation-report.txt"
    assert "亿元" in citation["text"] and "›" in citation["section"]


def test_retrieve_json_lists_passages_best_first(report_cli, capsys):
    assert report_cli(["retrieve", "--json", "--k", "3", "动力电池合资公司的产能规划"]) == 0
    (result,) = json_lines(capsys.readouterr().out)
    passages = result["passages"]
    assert len(passages) == 3
    assert set(passages[0]) >= {"id", "text", "source", "section", "score"}
    scores = [passage["score"] for passage in passages]
    assert scores == sorted(scores, reverse=True)
    assert any("GWh" in passage["text"] for passage in passages)


def test_batch_file_answers_each_line_in_order_with_its_id(report_cli, tmp_path, capsys):
    questions = tmp_path / "questions.jsonl"
    lines = [
        {"id": "q-b", "question": "时代北汽的总投资是多少？"},
        {"question": "Which company handled the MIIT filing for the Xiaomi SU7?"},
        {"id": 7, "question": "特斯拉上海超级工厂有多少员工？"},
    ]
    questions.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    assert report_cli(["ask", "--json", "--file", str(questions)]) == 0
    results = json_lines(capsys.readouterr().out)
    assert [result["question"] for result in results] == [line["question"] for line in lines]
    assert results[0]["id"] == "q-b" and results[2]["id"] == 7
    assert results[2]["abstained"] is True and results[2]["citations"] == []


def test_plain_ask_prints_the_answer_its_sources_and_the_backend(report_cli, capsys):
    assert report_cli(["ask", "时代北汽的总投资是多少？"]) == 0
    out = capsys.readouterr().out
    assert "[1]" in out and "xiaomi-baic-cooperation-report.txt" in out and "answered by" in out


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["ask", "   "], "question"),
        (["ask", "--file", "missing.jsonl"], "missing.jsonl"),
        (["retrieve", "--k", "0", "动力电池"], "--k"),
    ],
)
def test_a_user_error_is_one_line_and_exit_status_1(report_cli, arguments, says, capsys):
    assert report_cli(arguments) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and says in err and "\n" not in err and "Traceback" not in err


def test_app_py_runs_as_a_script_and_a_bad_batch_line_is_reported_in_place(report_settings, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "question": "时代北汽的总投资是多少？"}\nnot json\n', encoding="utf-8")
    environment = {"REPORTQA_CORPUS": str(report_settings.corpus_dir), "REPORTQA_INDEX": str(report_settings.index_dir),
                   "REPORTQA_LLM": "none", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, str(ROOT / "app.py"), "ask", "--json", "--file", str(bad)],
                          capture_output=True, text=True, env=environment, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    good, broken = json_lines(done.stdout)
    assert good["id"] == 1 and good["abstained"] is False
    assert "bad.jsonl:2" in broken["error"]
