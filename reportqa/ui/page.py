"""The Gradio page: components, events and the named API endpoints `ask` and `retrieve`."""

from __future__ import annotations

import threading
from pathlib import Path

import gradio as gr

from ..config import Settings
from ..errors import ReportQAError
from .documents import MAX_UPLOAD_BYTES, supported_suffixes
from .chats import ConversationEvents
from .handlers import EXAMPLE_QUESTIONS, MAX_PASSAGES, ReportUI
from .labels import LANGUAGES, language_of, t
from .render import source_html

STYLESHEET = Path(__file__).parent / "style.css"
PRIVATE = {"api_visibility": "private"}
# Events whose outputs update in place, or report progress themselves: no loading overlay over them.
QUIET = {**PRIVATE, "show_progress": "hidden"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "reportqa-language"  # localStorage key of the language the user picked
# localStorage key of this browser's id and open conversation. Gradio encrypts the value in the browser
# with a key it sends there, so the key guards nothing; a fixed one keeps the value readable after a restart.
SESSION_KEY = "reportqa-session"

# A click on a citation button asks the server for its source panel; a click on 👍 / 👎 sends the
# vote with the comment typed beside it; the rest of the page ignores it.
CITE_JS = """
element.addEventListener('click', (event) => {
  const vote = event.target.closest('button.vote');
  if (vote && element.contains(vote)) {
    const comment = vote.closest('.feedback')?.querySelector('input.feedback-comment');
    trigger('submit', {turn: Number(vote.dataset.turn), vote: vote.dataset.vote, comment: comment ? comment.value : ''});
    return;
  }
  const button = event.target.closest('button.cite');
  if (!button || !element.contains(button)) return;
  element.querySelectorAll('button.cite.active').forEach((b) => b.classList.remove('active'));
  element.querySelectorAll(`button.cite[data-turn="${button.dataset.turn}"][data-marker="${button.dataset.marker}"]`)
    .forEach((b) => b.classList.add('active'));
  trigger('click', {turn: Number(button.dataset.turn), marker: Number(button.dataset.marker)});
});
"""
# Bring the highlighted sentence into view (on a phone the panel sits below the chat).
SOURCE_JS = """
watch('value', () => {
  const mark = element.querySelector('mark');
  if (mark) mark.scrollIntoView({block: 'nearest', behavior: 'smooth'});
});
"""


def header_html(lang: str) -> str:
    """The page title and one-line description."""
    return f'<div class="header"><h1>{t(lang, "title")}</h1><p>{t(lang, "subtitle")}</p></div>'


def build_app(settings: Settings, *, ui: ReportUI | None = None) -> gr.Blocks:
    """The Blocks app over these settings (not launched)."""
    ui = ui or ReportUI(settings)
    lang = DEFAULT_LANGUAGE
    suffixes = supported_suffixes()
    with gr.Blocks(title="Report QA · 报告问答", analytics_enabled=False, fill_width=True) as app:
        turns = gr.State([])
        selected = gr.State(None)  # (turn, marker) shown in the source panel
        conversation_id = gr.State(None)  # of the stored conversation shown (None: not stored yet)
        session = gr.BrowserState(None, storage_key=SESSION_KEY, secret=SESSION_KEY)
        browser_locale = gr.Textbox(visible=False)
        with gr.Row(elem_id="topbar", equal_height=True):
            header = gr.HTML(header_html(lang), elem_id="header", min_width=320)
            with gr.Column(scale=0, min_width=240, elem_id="topbar-side"):
                badge = gr.HTML(ui.backend_badge(None, lang), elem_id="backend-badge")
                language = gr.Radio(
                    [(label, code) for code, label in LANGUAGES.items()], value=lang,
                    show_label=False, container=False, elem_id="language",
                )
        with gr.Tabs():
            with gr.Tab(t(lang, "tab_chat"), id="chat") as chat_tab:
                with gr.Row(equal_height=False, elem_id="chat-row"):
                    with gr.Column(scale=3, min_width=340):
                        with gr.Row(elem_id="conversation-bar", equal_height=False):
                            history = gr.Dropdown(
                                [], value=None, label=t(lang, "history"), scale=4,
                                elem_id="history",
                            )
                            new_chat = gr.Button(
                                t(lang, "new_chat"), size="sm", variant="secondary", scale=0, min_width=90, elem_id="new-chat"
                            )
                            delete_chat = gr.Button(
                                t(lang, "delete_chat"), size="sm", variant="stop", scale=0, min_width=90,
                                elem_id="delete-chat",
                            )
                            export = gr.DownloadButton(
                                t(lang, "export_chat"), value=None, size="sm", interactive=False, scale=0, min_width=120,
                                elem_id="export-chat",
                            )
                        conversation = gr.HTML(
                            ui.conversation([], lang), js_on_load=CITE_JS, elem_id="conversation",
                            autoscroll=True, max_height=640,
                        )
                        feedback_status = gr.HTML("", elem_id="feedback-status")
                        scope = gr.Dropdown(
                            [], value=[], multiselect=True, label=t(lang, "scope"),
                            elem_id="scope",
                        )
                        with gr.Row(elem_id="ask-row", equal_height=True):
                            question = gr.Textbox(
                                show_label=False, placeholder=t(lang, "question_placeholder"), lines=1,
                                max_lines=6, scale=6, container=False, elem_id="question",
                            )
                            send = gr.Button(t(lang, "send"), variant="primary", scale=1, min_width=72, elem_id="send")
                        examples_label = gr.HTML(f'<div class="examples-label">{t(lang, "examples")}</div>')
                        with gr.Row(elem_id="examples"):
                            example_buttons = [
                                gr.Button(text, size="sm", elem_classes="example", min_width=0) for text in EXAMPLE_QUESTIONS
                            ]
                    with gr.Column(scale=2, min_width=300, elem_id="source-column"):
                        source = gr.HTML(source_html(None, None, lang), js_on_load=SOURCE_JS, elem_id="source-panel")
            with gr.Tab(t(lang, "tab_documents"), id="documents") as documents_tab:
                table_html, deletable = ui.documents(lang)
                table = gr.HTML(table_html, elem_id="documents-table")
                with gr.Row(elem_id="reindex-row"):
                    reindex = gr.Button(t(lang, "reindex"), variant="primary", scale=0, min_width=140, elem_id="reindex")
                documents_status = gr.HTML("", elem_id="documents-status")
                upload = gr.File(
                    # No file_types: our own check explains a refusal per file, in the page's language.
                    label=_upload_label(lang, suffixes), file_count="multiple", type="filepath", height=160,
                    elem_id="upload",
                )
                with gr.Row(equal_height=False, elem_id="delete-row"):
                    delete_choice = gr.Dropdown(
                        deletable, value=None, label=t(lang, "delete_choice"), scale=4, elem_id="delete-choice"
                    )
                    delete = gr.Button(t(lang, "delete"), variant="stop", scale=0, min_width=120, elem_id="delete")
            with gr.Tab(t(lang, "tab_settings"), id="settings") as settings_tab:
                backend = gr.Radio(
                    ui.backend_choices(lang), value=settings.llm, label=t(lang, "settings_backend"), elem_id="backend"
                )
                passages = gr.Slider(
                    1, max(10, min(settings.top_k, MAX_PASSAGES)), value=min(settings.top_k, MAX_PASSAGES), step=1,
                    label=t(lang, "settings_k"), elem_id="passages",
                )
                models_title = gr.HTML(f'<h3 class="models-title">{t(lang, "settings_models")}</h3>')
                models = gr.HTML(ui.models(None, lang), elem_id="models")

        # Chat
        ask_inputs = [question, turns, language, backend, passages, scope, conversation_id, session]
        ask_outputs = [conversation, turns, question, conversation_id, session, history, export]
        # The language may change while an answer streams (or the browser's arrives just after a quick
        # first question): the finished conversation is drawn again in the page's language.
        redraw = {"fn": ui.conversation, "inputs": [turns, language], "outputs": [conversation], **QUIET}

        chats = ConversationEvents(ui)
        # What ConversationEvents.show updates, in its order.
        shown = [session, conversation, turns, conversation_id, scope, history, export, source, selected, feedback_status]
        saving = {"fn": chats.save, "inputs": [turns, conversation_id, scope, session],
                  "outputs": [conversation_id, session, history, export], **QUIET}
        asking, asking_example = chats.stored_as_asked(ui.ask), chats.stored_as_asked(ui.ask_example)
        question.submit(asking, ask_inputs, ask_outputs, api_name="chat_submit", **PRIVATE).then(**redraw)
        send.click(asking, ask_inputs, ask_outputs, api_name="chat_send", **PRIVATE).then(**redraw)
        for button in example_buttons:
            button.click(asking_example, [button, *ask_inputs[1:]], ask_outputs, api_name=False, **PRIVATE).then(**redraw)
        scope.input(**saving)  # the conversation remembers the documents chosen for it
        history.input(chats.open, [history, session, language], shown, **QUIET)
        delete_chat.click(chats.delete, [conversation_id, session, language], shown, **QUIET)

        def on_cite(turns_value, lang_value, event: gr.EventData):
            position = (int(event.turn), int(event.marker))
            return ui.show_source(turns_value, lang_value, *position), position

        conversation.click(on_cite, [turns, language], [source, selected], **QUIET)

        def on_vote(turns_value, lang_value, event: gr.EventData):
            fields = [getattr(event, name, None) for name in ("turn", "vote", "comment")]
            return ui.feedback(turns_value, lang_value, *fields)

        conversation.submit(on_vote, [turns, language], [conversation, turns, feedback_status], **QUIET).then(**saving)
        for trigger in (question.submit, send.click, *(button.click for button in example_buttons)):
            trigger(lambda: "", None, feedback_status, api_name=False, **QUIET)  # a new question clears it
        new_chat.click(chats.start, [session, language], shown, **QUIET)

        # Documents
        def refresh_documents(lang_value):
            table_value, names = ui.documents(lang_value)
            return table_value, gr.Dropdown(choices=names, value=None), gr.Dropdown(choices=ui.document_choices())

        refresh = {"fn": refresh_documents, "inputs": [language], "outputs": [table, delete_choice, scope], **QUIET}
        documents_tab.select(**refresh)
        upload.upload(ui.upload, [upload, language], [documents_status], **QUIET).then(
            lambda: None, None, upload, **QUIET
        ).then(**refresh)
        delete.click(ui.delete, [delete_choice, language], [documents_status], **QUIET).then(**refresh)

        def reindex_with_progress(lang: str, progress=gr.Progress()):  # Gradio fills in a page progress bar
            yield from ui.reindex(lang, progress=progress)

        reindex.click(reindex_with_progress, [language], [documents_status], concurrency_limit=1, **PRIVATE,
                      show_progress="minimal").then(**refresh)

        # Settings
        backend.change(
            lambda llm, lang_value: (ui.backend_badge(llm, lang_value), ui.models(llm, lang_value)),
            [backend, language], [badge, models], **QUIET,
        )

        # Language: follow the browser on load; the radio switches it.
        def relabel(lang_value, turns_value, selected_value, llm):
            table_value, names = ui.documents(lang_value)
            shown_source = (ui.show_source(turns_value, lang_value, *selected_value) if selected_value
                            else source_html(None, None, lang_value))
            return (
                header_html(lang_value),
                ui.backend_badge(llm, lang_value),
                gr.Tab(label=t(lang_value, "tab_chat")),
                gr.Tab(label=t(lang_value, "tab_documents")),
                gr.Tab(label=t(lang_value, "tab_settings")),
                ui.conversation(turns_value, lang_value),
                gr.Textbox(placeholder=t(lang_value, "question_placeholder")),
                gr.Button(value=t(lang_value, "send")),
                f'<div class="examples-label">{t(lang_value, "examples")}</div>',
                gr.Button(value=t(lang_value, "new_chat")),
                gr.Button(value=t(lang_value, "delete_chat")),
                gr.DownloadButton(label=t(lang_value, "export_chat")),
                gr.Dropdown(label=t(lang_value, "history")),
                gr.Dropdown(label=t(lang_value, "scope")),
                shown_source,
                table_value,
                gr.File(label=_upload_label(lang_value, suffixes)),
                gr.Dropdown(label=t(lang_value, "delete_choice"), choices=names),
                gr.Button(value=t(lang_value, "delete")),
                gr.Button(value=t(lang_value, "reindex")),
                gr.Radio(label=t(lang_value, "settings_backend"), choices=ui.backend_choices(lang_value)),
                gr.Slider(label=t(lang_value, "settings_k")),
                f'<h3 class="models-title">{t(lang_value, "settings_models")}</h3>',
                ui.models(llm, lang_value),
            )

        language.change(
            relabel,
            [language, turns, selected, backend],
            [header, badge, chat_tab, documents_tab, settings_tab, conversation, question, send, examples_label,
             new_chat, delete_chat, export, history, scope, source, table, upload, delete_choice, delete, reindex, backend, passages, models_title, models],
            **QUIET,
        )
        # The user's own choice, kept in this browser, wins over the browser's language.
        language.input(None, [language], None, js=f"(lang) => {{ localStorage.setItem('{LANGUAGE_KEY}', lang); }}", **QUIET)
        # The conversation open before a reload or a restart comes back with the language (in one step:
        # the language's change then redraws the restored conversation, never an empty one).
        def on_load(locale, session_value, request: gr.Request):
            lang_value = language_of(locale)
            return (lang_value, *chats.restore(session_value, lang_value, request))

        app.load(
            on_load, [browser_locale, session], [language, *shown],
            js=f"(locale, session) => [localStorage.getItem('{LANGUAGE_KEY}') || navigator.language, session]",
            **QUIET,
        )

        # Programmatic access: gradio_client's Client(url).predict(question, k, api_name="/ask")
        def ask(question: str, k: int = settings.top_k, documents: list[str] | None = None) -> dict:
            """Answer a question with citations (from the named documents only, when given):
            {question, answer, citations, abstained, backend}."""
            return _api_result(ui.api_ask, question, k, documents)

        def retrieve(question: str, k: int = settings.top_k, documents: list[str] | None = None) -> dict:
            """The passages that best match a question, best first (of the named documents only, when given):
            {question, passages}."""
            return _api_result(ui.api_retrieve, question, k, documents)

        gr.api(ask, api_name="ask")
        gr.api(retrieve, api_name="retrieve")
    return app


def _api_result(function, question: str, k: int, documents: list[str] | None) -> dict:
    try:
        return function(question, k, documents)
    except ReportQAError as exc:
        raise gr.Error(str(exc)) from None


def _upload_label(lang: str, suffixes: list[str]) -> str:
    return t(lang, "upload", types=" ".join(suffixes), size=f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB")


def theme() -> gr.themes.Base:
    """A theme that uses only fonts installed on the machine (no web fonts: the app runs offline)."""
    sans = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"]
    return gr.themes.Soft(primary_hue="teal", font=sans, font_mono=["ui-monospace", "monospace"])


def launch(
    settings: Settings, *, auth: tuple[str, str] | None = None, prevent_thread_lock: bool = False, ui: ReportUI | None = None
):
    """Serve the app on settings.host:settings.port, with a login when `auth` is (user, password).

    The OpenAI-compatible API (`reportqa.openai_api`) is served on the same address under /v1,
    answering with the page's assistants; its bearer key is `settings.api_key`.
    """
    from .. import openai_api
    from ..glossary import dictionary

    # The first question across languages would otherwise wait for the dictionary (parsed once per
    # machine, 5-25 s on 2 cores; then read from the cache in about a second): load it while serving.
    threading.Thread(target=dictionary, args=(settings.model_cache_dir,), name="reportqa-dictionary",
                     daemon=True).start()
    ui = ui or ReportUI(settings)
    app = build_app(settings, ui=ui)
    app.queue(default_concurrency_limit=2)
    api = openai_api.create_router(settings, ui.assistant)
    app.launch(
        app_kwargs={"lifespan": openai_api.serving(api)},
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        max_file_size=MAX_UPLOAD_BYTES,
        css=STYLESHEET.read_text(encoding="utf-8"),
        theme=theme(),
        footer_links=["api"],
        run_history=False,
        ssr_mode=False,
        prevent_thread_lock=prevent_thread_lock,
    )
    return app
