"""The conversation store (real SQLite under tmp_path) and the Markdown export."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportqa.answer import Answer, Citation, SentenceSupport
from reportqa.conversations import ConversationNotFound, ConversationStore, Turn
from reportqa.export import conversation_markdown, turn_markdown
from reportqa.retrieval import Passage

from test_scope import SearchingAgainBackend, retriever_of, two_reports  # noqa: F401  (a fixture)

REPORT = "xiaomi-baic-cooperation-report.txt"
SECTION = "二、核心合作领域 › 动力电池深度绑定"
PASSAGE = Passage("c1", "时代北汽总投资 10 亿元，用于建设电芯智能制造工厂。年产能规划达 20GWh。", REPORT, SECTION, 0.8123, 120, 160)
OTHER = Passage("c2", "小米计划进入泰国市场。", REPORT, "三、市场", 0.2, 300, 311)
ANSWER = Answer(
    "时代北汽的总投资是多少？", "时代北汽的总投资为 10 亿元[1]。",
    (Citation(1, "c1", REPORT, SECTION, PASSAGE.text, 120, 160, quote="时代北汽总投资 10 亿元，用于建设电芯智能制造工厂。"),),
    False, "local", (PASSAGE, OTHER), (SentenceSupport("时代北汽的总投资为 10 亿元[1]。", (1,), True, 0.91),), "fact",
)
FIRST = Turn("时代北汽的总投资是多少？", ANSWER, vote="up", documents=(REPORT,))
SECOND = Turn("那产能呢？", error="The local model failed: out of memory.")


def test_a_conversation_reads_back_whole_after_a_restart(tmp_path):
    path = tmp_path / "index" / "conversations.sqlite3"
    saved = ConversationStore(path).save("browser:a", None, [FIRST, SECOND], [REPORT])
    reopened = ConversationStore(path).get(saved.id, owner="browser:a")  # a new store: as after a restart
    assert reopened.turns == (FIRST, SECOND)  # answers whole: citations, passages, checked sentences
    assert reopened.documents == (REPORT,) and reopened.title == "时代北汽的总投资是多少？"


def test_an_answer_stored_by_an_older_or_newer_version_still_reads():
    from reportqa.conversations import turn_from_json, turn_to_json

    stored = turn_to_json(FIRST)
    del stored["answer"]["intent"]  # a field added since: its default
    stored["answer"]["retired_field"] = 1  # a field removed since: dropped
    stored["answer"]["citations"][0]["retired_field"] = 2
    read = turn_from_json(stored)
    assert read.answer.intent == "fact" and read.answer.citations == FIRST.answer.citations
    assert read.answer.passages == FIRST.answer.passages and read.answer.sentences == FIRST.answer.sentences


def test_saving_again_updates_the_same_conversation_and_the_list_is_newest_first(tmp_path):
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    first = store.save("browser:a", None, [FIRST])
    other = store.save("browser:a", None, [Turn("Which company filed the SU7?")])
    again = store.save("browser:a", first.id, [FIRST, SECOND])
    assert again.id == first.id and again.created == first.created
    listed = store.list(owner="browser:a")
    assert [(c.id, c.questions) for c in listed] == [(first.id, 2), (other.id, 1)]


def test_two_saves_in_the_same_millisecond_still_list_newest_first(tmp_path, monkeypatch):
    """Timestamps have millisecond resolution: CI once saved twice within one and listed the older first."""
    from reportqa import conversations

    monkeypatch.setattr(conversations, "_now", lambda: "2026-11-28T04:00:00.000+00:00")
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    ids = [store.save("browser:a", None, [FIRST]).id for _ in range(6)]
    first_again = store.save("browser:a", ids[0], [FIRST, SECOND])
    assert [c.id for c in store.list(owner="browser:a")] == [first_again.id, *reversed(ids[1:])]


def test_an_owner_sees_and_deletes_only_their_own_conversations(tmp_path):
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    mine = store.save("user:ana", None, [FIRST])
    assert store.list(owner="user:bo") == []
    with pytest.raises(ConversationNotFound):
        store.get(mine.id, owner="user:bo")
    assert store.delete(mine.id, owner="user:bo") is False
    # Saving under someone else's id starts a new conversation instead of overwriting theirs.
    assert store.save("user:bo", mine.id, [SECOND]).id != mine.id
    assert store.get(mine.id, owner="user:ana").turns == (FIRST,)
    assert [c.id for c in store.list(owner=None)] and len(store.list(owner=None)) == 2
    assert store.delete(mine.id, owner="user:ana") is True
    assert store.list(owner="user:ana") == []


def test_an_answer_exports_with_its_markers_and_numbered_sources():
    text = turn_markdown(FIRST, 1)
    assert text.splitlines()[0] == "## 1. 时代北汽的总投资是多少？"
    assert "时代北汽的总投资为 10 亿元[1]。" in text
    assert f"[1] {SECTION} — {REPORT}" in text
    assert "> “时代北汽总投资 10 亿元，用于建设电芯智能制造工厂。”" in text
    assert f"检索范围: {REPORT}" in text
    assert "泰国" not in text  # a passage the answer did not cite is not a source


def test_a_conversation_exports_every_question_in_order_under_its_title():
    text = conversation_markdown([FIRST, SECOND], title="时代北汽", exported="2026-01-02 03:04 UTC")
    assert text.startswith("# 时代北汽\n")
    assert text.index("## 1. 时代北汽的总投资是多少？") < text.index("## 2. 那产能呢？")
    assert "*未能回答: The local model failed: out of memory.*" in text
    english = turn_markdown(Turn("What is the total investment?", ANSWER))
    assert "**Sources**" in english and "[1] " in english


def test_the_page_asks_within_the_chosen_documents_and_a_new_process_reopens_the_conversation(two_reports, tmp_path):
    from reportqa.answer import Assistant
    from reportqa.ui.handlers import ReportUI

    retriever = retriever_of(two_reports)
    ui = ReportUI(two_reports, assistant=Assistant(two_reports, retriever=retriever,
                                                   backend=SearchingAgainBackend(retriever)))
    assert ui.document_choices() == ["logistics.txt", "plant-a.txt", "plant-b.txt", "sales.txt"]
    *_, (_, turns, _) = ui.ask("电芯工厂的年产能是多少？", [], "zh", None, None, ["plant-b.txt"])
    assert turns[-1].documents == ("plant-b.txt",)
    assert {p.source for p in turns[-1].answer.passages} == {"plant-b.txt"}
    *_, (_, unknown, _) = ui.ask("电芯工厂的年产能是多少？", turns, "zh", None, None, ["plant-c.txt"])
    assert unknown[-1].error.startswith("No document named 'plant-c.txt'; documents are: logistics.txt")

    session = ui.session(None)
    owner = ui.owner(session, None)
    assert ui.save_conversation(owner, None, [], []) is None  # nothing asked yet: nothing stored
    stored = ui.save_conversation(owner, None, turns, ["plant-b.txt"])
    # Another process over the same index folder.
    restarted = ReportUI(two_reports, assistant=ui.assistant(), exports_dir=tmp_path / "exports")
    reopened = restarted.open_conversation(owner, stored.id)
    assert reopened.turns == tuple(turns) and reopened.documents == ("plant-b.txt",)
    assert restarted.conversation_choices(owner) == [("电芯工厂的年产能是多少？ (1)", stored.id)]
    assert restarted.open_conversation(ui.owner(ui.session(None), None), stored.id) is None  # another browser
    assert ui.owner(session, "ana") == "user:ana"  # with a login, the user's own
    exported_path = Path(restarted.export_file(reopened))
    assert exported_path.is_relative_to(tmp_path / "exports")
    exported = exported_path.read_text(encoding="utf-8")
    assert "## 1. 电芯工厂的年产能是多少？" in exported and "*检索范围: plant-b.txt*" in exported
    restarted.delete_conversation(owner, stored.id)
    assert restarted.conversation_choices(owner) == [] and restarted.open_conversation(owner, stored.id) is None
