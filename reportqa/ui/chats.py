"""The page's events over stored conversations: restore on load, open, start, delete, save, export.

Each is a Gradio function that returns component updates; `page.py` wires them. The browser's
session record (`{"browser": id, "conversation": id}`) lives in its localStorage (gr.BrowserState);
the owner of the conversations is the login user when the page has a login, else that browser.
"""

from __future__ import annotations

from typing import Callable, Iterator

import gradio as gr

from ..conversations import Conversation
from .handlers import ReportUI
from .render import source_html


class ConversationEvents:
    """Stored conversations on the page, for one ReportUI.

    `show` (and so `restore`, `open`, `start`, `delete`) returns updates for, in order: the session,
    the conversation HTML, the turns, the conversation id, the documents picker, the list of past
    conversations, the export button, the source panel, the selected citation, the feedback line.
    `save` returns updates for the conversation id, the session, the list, and the export button.
    """

    def __init__(self, ui: ReportUI):
        self.ui = ui

    def _owner(self, session: object, request: gr.Request) -> tuple[dict, str]:
        session = self.ui.session(session)
        return session, self.ui.owner(session, getattr(request, "username", None))

    def export_button(self, stored: Conversation | None) -> gr.DownloadButton:
        """The export button, holding the conversation's Markdown file (disabled for none)."""
        path = self.ui.export_file(stored)
        return gr.DownloadButton(value=path, interactive=path is not None)

    def show(self, stored: Conversation | None, owner: str, session: dict, lang: str) -> tuple:
        """Put a stored conversation (or a new one, for None) on the page."""
        ui = self.ui
        session = {**session, "conversation": stored.id if stored else ""}
        turns = list(stored.turns) if stored else []
        choices = ui.document_choices()
        chosen = [name for name in (stored.documents if stored else ()) if name in choices]
        return (
            session, ui.conversation(turns, lang), turns, stored.id if stored else None,
            gr.Dropdown(choices=choices, value=chosen),
            gr.Dropdown(choices=ui.conversation_choices(owner), value=stored.id if stored else None),
            self.export_button(stored), source_html(None, None, lang), None, "",
        )

    def restore(self, session: object, lang: str, request: gr.Request) -> tuple:
        """The conversation this browser had open, as the page loads (after a reload or a restart)."""
        session, owner = self._owner(session, request)
        return self.show(self.ui.open_conversation(owner, session.get("conversation")), owner, session, lang)

    def open(self, chosen: str | None, session: object, lang: str, request: gr.Request) -> tuple:
        """A past conversation picked from the list."""
        session, owner = self._owner(session, request)
        return self.show(self.ui.open_conversation(owner, chosen), owner, session, lang)

    def start(self, session: object, lang: str, request: gr.Request) -> tuple:
        """New chat: an empty conversation over all documents (stored on its first answer)."""
        session, owner = self._owner(session, request)
        return self.show(None, owner, session, lang)

    def delete(self, conversation_id: str | None, session: object, lang: str, request: gr.Request) -> tuple:
        """Delete the open conversation and start a new one."""
        session, owner = self._owner(session, request)
        self.ui.delete_conversation(owner, conversation_id)
        return self.show(None, owner, session, lang)

    def save(self, turns: list, conversation_id: str | None, documents: list[str] | None, session: object,
             request: gr.Request) -> tuple:
        """Store the conversation as it is now (nothing while it has no question)."""
        session, owner = self._owner(session, request)
        stored = self.ui.save_conversation(owner, conversation_id, turns, documents)
        if stored is None:
            return conversation_id, session, gr.skip(), gr.skip()
        return (stored.id, {**session, "conversation": stored.id},
                gr.Dropdown(choices=self.ui.conversation_choices(owner), value=stored.id), self.export_button(stored))

    def stored_as_asked(self, answering: Callable[..., Iterator[tuple]]) -> Callable[..., Iterator[tuple]]:
        """`answering` (ui.ask or ui.ask_example) streamed into the page; its last step shows the finished
        answer and stores the conversation at once, so that no other event comes between them."""
        def run(question, turns, lang, llm, k, documents, conversation_id, session, request: gr.Request):
            last = None
            for step in answering(question, turns, lang, llm, k, documents):
                if last is not None:
                    yield (*last, gr.skip(), gr.skip(), gr.skip(), gr.skip())
                last = step
            yield (*last, *self.save(last[1], conversation_id, documents, session, request))

        return run
