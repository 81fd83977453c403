"""Conversations that last: each chat, its answers and its chosen documents, kept in a local SQLite file.

The store is `conversations.sqlite3` in the index folder (local, never committed, like feedback.jsonl).
Every conversation belongs to an owner: the login user when the page has a login (`user:NAME`),
else the browser that started it (`browser:ID`, a random id the page keeps in the browser's
localStorage). An owner sees and changes only their own conversations; the CLI reads them all.
Answers are stored whole (citations, passages, checked sentences), so a reopened conversation
shows its sources and evidence as they were, and its follow-ups read the same history.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from .answering.types import Answer, Citation, SentenceSupport
from .config import Settings
from .errors import ReportQAError
from .retrieval import Passage

TITLE_CHARS = 60
LISTED = 100  # conversations a list shows, newest first
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    documents TEXT NOT NULL,
    turns TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated);
"""


@dataclass(frozen=True)
class Turn:
    """One question of a conversation and its answer (or the error that replaced it)."""

    question: str
    answer: Answer | None = None
    error: str = ""
    vote: str = ""  # the feedback given on the answer: "up", "down" or none yet
    documents: tuple[str, ...] = ()  # the documents it was asked within (none: all)


@dataclass(frozen=True)
class Conversation:
    """A stored conversation: its turns, oldest first, and the documents its questions are asked within."""

    id: str
    owner: str
    title: str
    turns: tuple[Turn, ...]
    documents: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""


@dataclass(frozen=True)
class ConversationSummary:
    """A conversation as a list of them shows it."""

    id: str
    title: str
    updated: str
    questions: int


class ConversationNotFound(ReportQAError):
    """No stored conversation has this id (for this owner)."""


def conversations_path(settings: Settings) -> Path:
    """Where conversations are kept: `conversations.sqlite3` in the index folder."""
    return Path(settings.index_dir) / "conversations.sqlite3"


def new_browser_id() -> str:
    """A random id for a browser without one: whoever holds it can read that browser's conversations."""
    return secrets.token_urlsafe(18)


class ConversationStore:
    """Conversations in one SQLite file; each call opens its own connection, so threads can share a store."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _database(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.closing(sqlite3.connect(self.path, timeout=10)) as database:
                    database.executescript(_SCHEMA)
                self._ready = True
        with contextlib.closing(sqlite3.connect(self.path, timeout=10)) as database:
            with database:  # one transaction: committed, or rolled back on an error
                yield database

    def save(self, owner: str, conversation_id: str | None, turns: Sequence[Turn],
             documents: Sequence[str] = ()) -> Conversation:
        """Store the turns and documents as the conversation `conversation_id` (a new one when None or
        not the owner's); returns it as stored."""
        now = _now()
        with self._database() as database:
            row = None
            if conversation_id:
                row = database.execute(
                    "SELECT created FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)
                ).fetchone()
            if row is None:
                conversation_id, created = secrets.token_hex(8), now
            else:
                created = row[0]
            title = _title(turns)
            database.execute(
                "INSERT OR REPLACE INTO conversations (id, owner, title, documents, turns, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, owner, title, json.dumps(list(documents), ensure_ascii=False),
                 json.dumps([turn_to_json(turn) for turn in turns], ensure_ascii=False), created, now),
            )
        return Conversation(conversation_id, owner, title, tuple(turns), tuple(documents), created, now)

    def get(self, conversation_id: str, *, owner: str | None) -> Conversation:
        """The conversation with this id (of this owner; any owner's for None); ConversationNotFound if none."""
        if not self.path.exists():  # reading creates nothing
            raise ConversationNotFound(f"No conversation has the id {conversation_id!r}: none is stored yet.")
        query = "SELECT id, owner, title, documents, turns, created, updated FROM conversations WHERE id = ?"
        arguments: tuple = (conversation_id,)
        if owner is not None:
            query, arguments = query + " AND owner = ?", (conversation_id, owner)
        with self._database() as database:
            row = database.execute(query, arguments).fetchone()
        if row is None:
            raise ConversationNotFound(
                f"No conversation has the id {conversation_id!r}; `python app.py export` lists them."
            )
        id_, owner_, title, documents, turns, created, updated = row
        return Conversation(id_, owner_, title, tuple(turn_from_json(turn) for turn in json.loads(turns)),
                            tuple(json.loads(documents)), created, updated)

    def list(self, *, owner: str | None, limit: int = LISTED) -> list[ConversationSummary]:
        """The conversations of this owner (of all owners for None), most recently changed first."""
        if not self.path.exists():
            return []
        query = "SELECT id, title, updated, json_array_length(turns) FROM conversations"
        arguments: tuple = ()
        if owner is not None:
            query, arguments = query + " WHERE owner = ?", (owner,)
        with self._database() as database:
            rows = database.execute(query + " ORDER BY updated DESC, rowid DESC LIMIT ?", (*arguments, limit)).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def delete(self, conversation_id: str, *, owner: str) -> bool:
        """Delete the owner's conversation; False when they have none with this id."""
        with self._database() as database:
            deleted = database.execute(
                "DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)
            ).rowcount
        return deleted > 0


def turn_to_json(turn: Turn) -> dict:
    """A turn as JSON-ready values (its answer whole)."""
    return {
        "question": turn.question,
        "answer": dataclasses.asdict(turn.answer) if turn.answer is not None else None,
        "error": turn.error,
        "vote": turn.vote,
        "documents": list(turn.documents),
    }


def turn_from_json(data: dict) -> Turn:
    """The turn `turn_to_json` wrote."""
    answer = data.get("answer")
    return Turn(
        data.get("question", ""),
        _answer_from_json(answer) if answer else None,
        data.get("error", ""),
        data.get("vote", ""),
        tuple(data.get("documents") or ()),
    )


def _answer_from_json(data: dict) -> Answer:
    """The Answer `dataclasses.asdict` wrote; fields it gained since take their defaults, fields it lost are dropped."""
    sentences = [{**s, "markers": tuple(s.get("markers", ())), "missing_entities": tuple(s.get("missing_entities", ()))}
                 for s in data.get("sentences", ())]
    return _fields(Answer, {
        **data,
        "citations": tuple(_fields(Citation, c) for c in data.get("citations", ())),
        "passages": tuple(_fields(Passage, p) for p in data.get("passages", ())),
        "sentences": tuple(_fields(SentenceSupport, s) for s in sentences),
    })


def _fields(kind, values: dict):
    """An instance of a dataclass from stored values, ignoring fields it no longer has."""
    names = {field.name for field in dataclasses.fields(kind)}
    return kind(**{name: value for name, value in values.items() if name in names})


def _title(turns: Sequence[Turn]) -> str:
    first = " ".join(turns[0].question.split()) if turns else ""
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
