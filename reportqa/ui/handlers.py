"""What the UI does, as plain functions of plain values: Gradio only wires them to the page."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import threading
from pathlib import Path
from typing import Iterator, Sequence

from ..answer import Assistant, Citation
from ..answering.backends import BACKENDS
from ..config import Settings
from ..conversations import Conversation, ConversationNotFound, ConversationStore, conversations_path, new_browser_id
from ..errors import NoIndexError, ReportQAError, SettingsError
from ..export import stored_markdown
from ..feedback import MAX_COMMENT_CHARS, feedback_record, record_feedback
from ..index import IndexReport
from ..loaders import load_document
from ..records import answer_record, passages_record
from . import documents
from .labels import backend_name, t
from .render import (
    Turn,
    conversation_html,
    documents_html,
    escape,
    source_html,
    status_html,
)

log = logging.getLogger(__name__)

EXAMPLE_QUESTIONS = (
    "小米SU7是通过哪家公司完成工信部申报的？",
    "时代北汽的总投资是多少？",
    "北京市要求车企供应链本地化率不低于多少？",
    "Which company handled the MIIT filing for the Xiaomi SU7?",
)

MAX_PASSAGES = 20


class ReportUI:
    """The chat, documents and settings of one app; per-session state is passed in and returned."""

    def __init__(self, settings: Settings, *, assistant: Assistant | None = None, exports_dir: Path | None = None):
        self.settings = settings
        self._assistants: dict[str, Assistant] = {}
        if assistant is not None:
            self._assistants[settings.llm] = assistant
        self._lock = threading.Lock()
        self.conversations = ConversationStore(conversations_path(settings))
        # Markdown files to download; Gradio serves files from the system's temporary folder.
        self._exports = exports_dir or Path(tempfile.gettempdir()) / "reportqa-exports"

    @property
    def corpus_label(self) -> str:
        return f"{self.settings.corpus_dir.as_posix().rstrip('/')}/"

    def assistant(self, llm: str | None = None) -> Assistant:
        """The Assistant for an answer backend, created on first use; all share one retriever."""
        llm = llm or self.settings.llm
        with self._lock:
            if llm not in self._assistants:
                shared = next(iter(self._assistants.values()), None)
                self._assistants[llm] = Assistant(
                    self.settings.replace(llm=llm), retriever=shared.retriever if shared else None
                )
            return self._assistants[llm]

    # Chat

    def ask(
        self, question: str, turns: Sequence[Turn], lang: str, llm: str | None = None, k: int | None = None,
        documents: Sequence[str] | None = None, *, standalone: bool = False,
    ) -> Iterator[tuple[str, list[Turn], str]]:
        """Stream the answer: yields (conversation HTML, turns, text left in the question box).

        The answer comes from `documents` only, when some are chosen. A `standalone` question (an
        example) is not read as a follow-up of the conversation.
        """
        documents = tuple(documents or ())
        turns = list(turns)
        if not (question or "").strip():
            yield self.conversation(turns, lang), turns, ""
            return
        history = [] if standalone else [(turn.question, turn.answer.text) for turn in turns if turn.answer is not None]
        turns.append(Turn(question.strip(), documents=documents))
        yield self.conversation(turns, lang), turns, ""
        streamed = ""
        try:
            pieces = self.assistant(llm).stream(question, history=history, k=passage_count(k),
                                                documents=documents or None)
            for piece in pieces:
                if isinstance(piece, str):
                    streamed += piece
                    yield self.conversation(turns, lang, pending=streamed), turns, ""
                else:
                    turns[-1] = dataclasses.replace(turns[-1], answer=piece)
        except NoIndexError:  # the core's advice names the command line; the page has a button for it
            turns[-1] = dataclasses.replace(turns[-1], error=t(lang, "no_index"))
        except ReportQAError as exc:
            turns[-1] = dataclasses.replace(turns[-1], error=str(exc))
        except Exception:  # the user gets a message, the log gets the traceback
            log.exception("answering %r failed", question)
            turns[-1] = dataclasses.replace(turns[-1], error="Answering failed unexpectedly; see the server log.")
        if turns[-1].answer is None and not turns[-1].error:
            turns[-1] = dataclasses.replace(
                turns[-1], error="The answer backend returned no answer; see the server log."
            )
        yield self.conversation(turns, lang), turns, ""

    def ask_example(
        self, question: str, turns: Sequence[Turn], lang: str, llm: str | None = None, k: int | None = None,
        documents: Sequence[str] | None = None,
    ) -> Iterator[tuple[str, list[Turn], str]]:
        """`ask` for an example question, which stands on its own."""
        yield from self.ask(question, turns, lang, llm, k, documents, standalone=True)

    def conversation(self, turns: Sequence[Turn], lang: str, *, pending: str | None = None) -> str:
        """The conversation HTML for these turns."""
        return conversation_html(turns, lang, corpus=self.corpus_label, pending=pending)

    def document_choices(self) -> list[str]:
        """The indexed documents a question can be limited to ([] while there is no index)."""
        try:
            return self.assistant().retriever.sources()
        except ReportQAError:
            return []

    # Conversations that last

    @staticmethod
    def session(stored: object) -> dict:
        """The browser's session record `{"browser": id, "conversation": id}`, with a new browser id if it had none."""
        session = dict(stored) if isinstance(stored, dict) else {}
        if not isinstance(session.get("browser"), str) or len(session["browser"]) < 16:
            session = {"browser": new_browser_id(), "conversation": ""}
        return session

    @staticmethod
    def owner(session: dict, username: str | None) -> str:
        """Whose conversations these are: the login user's, else this browser's."""
        return f"user:{username}" if username else f"browser:{session['browser']}"

    def open_conversation(self, owner: str, conversation_id: str | None) -> Conversation | None:
        """The owner's stored conversation (None when it is gone, or none is named)."""
        if not conversation_id:
            return None
        try:
            return self.conversations.get(conversation_id, owner=owner)
        except ConversationNotFound:
            return None

    def save_conversation(
        self, owner: str, conversation_id: str | None, turns: Sequence[Turn], documents: Sequence[str] | None
    ) -> Conversation | None:
        """Store the conversation (a new one on its first answer); None while it has no question yet."""
        if not turns:
            return None
        return self.conversations.save(owner, conversation_id or None, list(turns), list(documents or ()))

    def conversation_choices(self, owner: str) -> list[tuple[str, str]]:
        """(title and number of questions, id) of the owner's conversations, most recent first."""
        return [(f"{summary.title or '…'} ({summary.questions})", summary.id)
                for summary in self.conversations.list(owner=owner)]

    def delete_conversation(self, owner: str, conversation_id: str | None) -> None:
        """Delete the owner's conversation, if it is stored."""
        if conversation_id:
            self.conversations.delete(conversation_id, owner=owner)

    def export_file(self, conversation: Conversation | None) -> str | None:
        """A Markdown file of the conversation, to download (None for no conversation)."""
        if conversation is None or not conversation.turns:
            return None
        folder = self._exports / conversation.id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"conversation-{conversation.created[:10]}.md"
        path.write_text(stored_markdown(conversation), encoding="utf-8")
        return str(path)

    def feedback(
        self, turns: Sequence[Turn], lang: str, turn: object, vote: object, comment: object = ""
    ) -> tuple[str, list[Turn], str]:
        """Record 👍 / 👎 (and a comment) on answer `turn` in the feedback file.

        Returns (conversation HTML, turns with the vote marked, a one-line status HTML).
        """
        turns = list(turns)
        number = _turn_number(turn)
        if number is None or not 0 <= number < len(turns) or turns[number].answer is None:
            return self.conversation(turns, lang), turns, status_html([t(lang, "feedback_no_answer")], kind="error")
        if isinstance(comment, str) and len(comment) > MAX_COMMENT_CHARS:
            message = t(lang, "feedback_too_long", length=len(comment), limit=MAX_COMMENT_CHARS)
            return self.conversation(turns, lang), turns, status_html([message], kind="error")
        try:
            record = feedback_record(turns[number].question, turns[number].answer, vote, comment, via="web")
            record_feedback(self.settings, record)
        except ReportQAError as exc:
            return self.conversation(turns, lang), turns, status_html([str(exc)], kind="error")
        turns[number] = dataclasses.replace(turns[number], vote=record["vote"])
        symbol = "👍" if record["vote"] == "up" else "👎"
        return self.conversation(turns, lang), turns, status_html([t(lang, "feedback_saved", vote=symbol)], kind="ok")

    def show_source(self, turns: Sequence[Turn], lang: str, turn: int, marker: int) -> str:
        """The source panel for citation `marker` of answer `turn`: the passage in its document, highlighted."""
        citation = _find_citation(turns, turn, marker)
        if citation is None:
            return f'<div class="source-panel empty"><p>{t(lang, "source_missing")}</p></div>'
        return source_html(citation, self._document_text(citation.source), lang)

    def _document_text(self, source: str) -> str | None:
        path = self.settings.corpus_dir / source
        if not path.is_file():
            return None
        try:
            return load_document(path, self.settings.corpus_dir).text
        except ReportQAError:
            return None

    # Documents

    def documents(self, lang: str) -> tuple[str, list[str]]:
        """The documents table HTML and the names that can be deleted."""
        rows = documents.document_rows(self.settings)
        deletable = [row.name for row in rows if row.status != "removed"]
        return documents_html(rows, lang, corpus=self.corpus_label), deletable

    def upload(self, paths: Sequence[str] | None, lang: str) -> str:
        """Store uploaded files in the corpus; returns the status HTML: what was saved, then what was refused."""
        saved, refused = [], []
        for path in paths or ():
            try:
                name, replaced = documents.save_upload(self.settings, Path(path))
                saved.append(t(lang, "upload_replaced" if replaced else "upload_saved", name=name))
            except documents.UploadRefused as exc:
                refused.append(t(lang, f"upload_{exc.reason}", **exc.values))
            except ReportQAError as exc:
                refused.append(str(exc))
        return status_html(saved, kind="ok") + status_html(refused, kind="error")

    def delete(self, name: str | None, lang: str) -> str:
        """Delete a corpus document; returns the status HTML."""
        if not name:
            return status_html([t(lang, "delete_none")], kind="error")
        try:
            documents.delete_document(self.settings, name)
        except ReportQAError as exc:
            return status_html([str(exc)], kind="error")
        return status_html([t(lang, "delete_done", name=name)], kind="ok")

    def reindex(self, lang: str, progress=None) -> Iterator[str]:
        """Re-index the corpus, yielding the status HTML: progress lines, then the summary; the chunks done,
        chunks/s and the time left go to `progress` (the page's gr.Progress)."""
        lines = [t(lang, "reindex_running")]
        yield status_html(lines)
        try:
            for step in documents.reindex(self.settings, progress=progress):
                if isinstance(step, IndexReport):
                    self._serve_new_index()
                    lines = [_summary(step, lang)] + [t(lang, "reindex_skipped", error=e) for e in step.errors]
                    yield status_html(lines, kind="error" if step.errors else "ok")
                else:
                    lines = (lines + [t(lang, f"reindex_{step.action}", source=step.source, number=step.number,
                                        total=step.total)])[-8:]
                    yield status_html(lines)
        except documents.ReindexBusy:
            yield status_html([t(lang, "reindex_busy")], kind="error")
        except ReportQAError as exc:
            yield status_html([str(exc)], kind="error")

    def _serve_new_index(self) -> None:
        """Answer from the index just built before saying it is done: the retriever otherwise notices a
        changed index only in the background, after the next question (which the old index answers)."""
        with self._lock:
            assistant = next(iter(self._assistants.values()), None)
        if assistant is not None:  # (no retriever yet: the first one reads the index as it is)
            assistant.retriever.refresh_or_keep()

    # Settings

    def backend_choices(self, lang: str) -> list[tuple[str, str]]:
        """(label, value) pairs for the answer backend selector."""
        return [(backend_name(lang, name), name) for name in BACKENDS]

    def backend_badge(self, llm: str | None, lang: str) -> str:
        """The header line that says which answer backend is active (or why none is)."""
        try:
            name = self.assistant(llm).backend.name
        except ReportQAError as exc:
            return f'<div class="badge error">{escape(str(exc))}</div>'
        return f'<div class="badge">{escape(t(lang, "backend_badge", name=backend_name(lang, name)))}</div>'

    def models(self, llm: str | None, lang: str) -> str:
        """The models in use, as a small definition list."""
        from ..embeddings import embedding_model_id

        rows = [(t(lang, "model_embedding"), embedding_model_id(self.settings))]
        try:
            backend = self.assistant(llm).backend
            rows.append((t(lang, "model_llm"), _llm_model_name(backend) or t(lang, "model_none")))
            rows.append((t(lang, "backend"), backend_name(lang, backend.name)))
        except ReportQAError as exc:
            rows.append((t(lang, "backend"), str(exc)))
        rows += [(t(lang, "corpus_folder"), self.corpus_label), (t(lang, "index_folder"), f"{self.settings.index_dir}/")]
        items = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in rows)
        return f'<dl class="models">{items}</dl>'

    # Programmatic access

    def api_ask(self, question: str, k: int | None = None, documents: Sequence[str] | None = None) -> dict:
        """The `ask --json` object for a question (answered from `documents` only, when given)."""
        count = passage_count(k)
        return answer_record(None, question, self.assistant().answer(question, k=count, documents=documents or None))

    def api_retrieve(self, question: str, k: int | None = None, documents: Sequence[str] | None = None) -> dict:
        """The `retrieve --json` object for a question (passages of `documents` only, when given)."""
        count = passage_count(k)
        passages = self.assistant().retriever.retrieve(question, k=count, documents=documents or None)
        return passages_record(None, question, passages)


def passage_count(k: int | float | None) -> int | None:
    """The number of passages to retrieve (None: the settings' default); refuses a count out of range."""
    if k is None:
        return None
    if not 1 <= int(k) <= MAX_PASSAGES:
        raise SettingsError(f"k={k} is out of range: ask for 1 to {MAX_PASSAGES} passages.")
    return int(k)


def _llm_model_name(backend) -> str:
    """The generative model's file or name ('' for the extractive backend)."""
    chat_model = getattr(backend, "chat_model", None)
    name = str(getattr(chat_model, "model_path", "") or getattr(chat_model, "model_name", "") or "")
    return Path(name).name if name.endswith(".gguf") else name


def _turn_number(turn: object) -> int | None:
    """The answer number a page event names (None when it names none)."""
    if isinstance(turn, bool):
        return None
    try:
        return int(turn)
    except (TypeError, ValueError, OverflowError):
        return None


def _find_citation(turns: Sequence[Turn], turn: int, marker: int) -> Citation | None:
    if not 0 <= turn < len(turns) or turns[turn].answer is None:
        return None
    return next((c for c in turns[turn].answer.citations if c.marker == marker), None)


def _summary(report: IndexReport, lang: str) -> str:
    return t(
        lang,
        "reindex_done",
        added=report.documents_added,
        updated=report.documents_updated,
        unchanged=report.documents_unchanged,
        deleted=report.documents_deleted,
        seconds=report.seconds,
    )
