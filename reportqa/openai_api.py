"""The OpenAI-compatible chat API, served by `python app.py` next to the page.

`POST /v1/chat/completions` (streaming or not) and `GET /v1/models`, so that Open WebUI, Chatbox,
Cherry Studio or any OpenAI SDK can ask the documents. The last user message is the question; the
user/assistant pairs before it are the history that makes a follow-up standalone. The answer keeps
its `[n]` markers and ends with its numbered sources as a Markdown list; the response also carries
them as `sources` (and `abstained`, `backend`), on the final chunk when streaming.

A top-level `documents` list (names of indexed documents, as `reportqa.scope` matches them) limits
the answer to those documents; a name that matches none is a 400 error that lists the documents.

A model name is an answer backend (`auto`, `none`, `local`, `openai`; GET /v1/models lists those
this server can run). `POST /v1/feedback` records 👍 / 👎 on an answer (by its completion id, or
given in full) in the feedback file. Access follows `access.ApiKeyCheck`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import time
import unicodedata
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from .access import ApiKeyCheck
from .answer import Answer, Assistant
from .answering.backends import BACKENDS, local_available
from .answering.generative import quoted_evidence
from .answering.types import is_chinese
from .config import Settings
from .errors import ModelMissingError, NoIndexError, QuestionError, ReportQAError, SettingsError, UnknownDocumentError
from .feedback import FeedbackError, feedback_record, record_feedback
from .records import SOURCES_HEADING, source_records, sources_markdown
from .retrieval import clean_question

log = logging.getLogger(__name__)

PREFIX = "/v1"
_MARKER = re.compile(r"\[(\d+)\]")
RECENT_ANSWERS = 1000  # completions kept in memory so that feedback can name them by id
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
CHECKED_LABEL = {"zh": "核对后的回答:", "en": "Checked answer:"}
MODEL_NOTES = {
    "auto": "the local LLM when installed, else extractive",
    "none": "extractive: quotes the documents",
    "local": "local LLM (llama.cpp)",
    "openai": "the configured OpenAI-compatible server",
}


class ApiError(Exception):
    """A request the API refuses: HTTP status and a one-line OpenAI-style error."""

    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.code, self.param = status, " ".join(message.split()), kind, code, param

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


@dataclass(frozen=True)
class ChatRequest:
    """What a chat completion request asks: the backend, the question, its history, whether to stream, and
    the documents to answer from (None: all)."""

    model: str
    question: str
    history: tuple[tuple[str, str], ...]
    stream: bool
    documents: tuple[str, ...] | None = None


def available_models(settings: Settings) -> list[str]:
    """The backends this server can answer with: `auto` and `none` always, `local` and `openai` when set up."""
    models = ["auto", "none"]
    if local_available(settings):
        models.append("local")
    if settings.openai_model and (settings.openai_base_url or settings.openai_api_key):
        models.append("openai")
    return models


def parse_chat_request(body: object, default_model: str) -> ChatRequest:
    """The request's question, history, model and stream flag; ApiError(400) for anything malformed."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object with `model` and `messages`.")
    model = body.get("model") or default_model
    if not isinstance(model, str):
        raise ApiError(400, "`model` must be a string: one of the ids GET /v1/models lists.", param="model")
    stream = body.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise ApiError(400, "`stream` must be true or false.", param="stream")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "`messages` must be a non-empty list of {\"role\", \"content\"} objects.", param="messages")
    turns = [_message(message, number) for number, message in enumerate(messages)]
    asked = [number for number, (role, _) in enumerate(turns) if role == "user"]
    if not asked:
        raise ApiError(400, "`messages` holds no user message: the last user message is the question.", param="messages")
    last = asked[-1]
    question = turns[last][1]
    if not question.strip():
        raise ApiError(400, f"messages[{last}] (the last user message) is empty: it is the question.", param="messages")
    try:
        clean_question(question)
    except QuestionError as exc:
        raise ApiError(400, str(exc), param="messages") from None
    documents = body.get("documents")
    if documents is not None and (
        not isinstance(documents, list) or not all(isinstance(name, str) for name in documents)
    ):
        raise ApiError(400, "`documents` must be a list of document names, such as [\"report.pdf\"].", param="documents")
    return ChatRequest(model, question, tuple(_history(turns[:last])), stream,
                       tuple(documents) if documents is not None else None)


def _message(message: object, number: int) -> tuple[str, str]:
    """(role, text) of one message; its content may be a string or a list of text parts."""
    where = f"messages[{number}]"
    if not isinstance(message, dict):
        raise ApiError(400, f"{where} must be an object with `role` and `content`.", param="messages")
    role = message.get("role")
    if not isinstance(role, str) or role not in ROLES:
        raise ApiError(400, f"{where}.role must be one of {', '.join(ROLES)}.", param="messages")
    content = message.get("content")
    if content is None:
        if role == "user":
            raise ApiError(400, f"{where} is a user message without `content`.", param="messages")
        return role, ""
    if isinstance(content, str):
        return role, content
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or not isinstance(part.get("type"), str):
                raise ApiError(400, f"{where}.content parts must be objects with a `type`.", param="messages")
            if part["type"] == "text":
                if not isinstance(part.get("text"), str):
                    raise ApiError(400, f"{where}.content: a text part needs a `text` string.", param="messages")
                texts.append(part["text"])
            elif role == "user":
                raise ApiError(400, f"{where}.content: only text parts can be answered (got {part['type']!r}).",
                               param="messages")
        return role, "\n".join(texts)
    raise ApiError(400, f"{where}.content must be a string or a list of text parts.", param="messages")


def _history(turns: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each user message with the assistant reply that follows it (our sources list taken off)."""
    pairs, pending = [], None
    for role, text in turns:
        if role == "user" and text.strip():
            pending = text
        elif role == "assistant" and pending is not None:
            pairs.append((pending, strip_sources(text)))
            pending = None
    return pairs


def strip_sources(text: str) -> str:
    """An earlier reply without the sources list (and checked-answer note) this API put under it."""
    for heading in SOURCES_HEADING.values():
        text = text.split(f"\n\n**{heading}**\n\n", 1)[0]
    for label in CHECKED_LABEL.values():
        before, found, after = text.partition(f"\n\n---\n{label}\n\n")
        if found:
            text = after
    return text.strip()


def content_of(answer: Answer) -> str:
    """The message content: the answer text, then its sources as a Markdown list."""
    sources = sources_markdown(answer)
    return f"{answer.text}\n\n{sources}" if sources else answer.text


def extra_fields(answer: Answer) -> dict:
    """The fields this API adds to an OpenAI response."""
    return {"sources": source_records(answer), "abstained": answer.abstained, "backend": answer.backend}


def completion(answer: Answer, *, completion_id: str, created: int, model: str) -> dict:
    """The `chat.completion` object for an answer."""
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content_of(answer)},
            "finish_reason": "stop",
        }],
        **extra_fields(answer),
    }


def stream_events(pieces: Iterator[str | Answer], *, completion_id: str, created: int, model: str,
                  on_answer: Callable[[Answer], None] | None = None) -> Iterator[str]:
    """Server-sent events of `chat.completion.chunk` objects for the assistant's stream, then `[DONE]`.

    The text streams as written. When the checked answer says or cites something else than what
    streamed (a generated sentence was dropped or its citation repaired, or the extractive answer stood
    instead), the checked answer follows under a "Checked answer:" line. The sources close the text; the last chunk carries
    them as `sources`. An error after the first piece is sent as an `error` event.
    """
    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        body = {
            "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    streamed, result = "", None
    try:
        yield chunk({"role": "assistant", "content": ""})
        for piece in pieces:
            if isinstance(piece, str):
                if piece:
                    streamed += piece
                    yield chunk({"content": piece})
            else:
                result = piece
        if result is None:
            raise ReportQAError("The answer backend returned no answer; see the server log.")
        if on_answer is not None:
            on_answer(result)
        tail = ""
        written, evidence = quoted_evidence(result.text)
        if evidence and same_answer(streamed, written):  # what streamed stands; the documents' words follow it
            tail = f"\n{evidence}"
        elif not same_answer(streamed, result.text):
            label = CHECKED_LABEL["zh" if is_chinese(result.text) else "en"]
            tail = f"\n\n---\n{label}\n\n{result.text}" if streamed.strip() else result.text
        sources = sources_markdown(result)
        if sources:
            tail += f"\n\n{sources}"
        if tail:
            yield chunk({"content": tail})
        yield chunk({}, "stop", **extra_fields(result))
    except Exception as exc:  # the status line has gone out: the error travels as an event
        error = _as_api_error(exc)
        yield f"data: {json.dumps(error.body(), ensure_ascii=False)}\n\n"
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            with contextlib.suppress(ValueError):  # closing releases a model the stream may hold
                close()
    yield "data: [DONE]\n\n"


def same_answer(streamed: str, checked: str) -> bool:
    """Whether the checked answer says what streamed with the same markers in the same order; the check
    moving a marker to the end of its sentence, or changing spaces and line breaks, does not count."""
    def words(text: str) -> str:
        return re.sub(r"\s+", "", _MARKER.sub("", unicodedata.normalize("NFC", text)))

    return words(streamed) == words(checked) and _MARKER.findall(streamed) == _MARKER.findall(checked)


def _as_api_error(exc: Exception) -> ApiError:
    """The API's error for an exception raised while answering."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, QuestionError):
        return ApiError(400, str(exc), param="messages")
    if isinstance(exc, UnknownDocumentError):
        return ApiError(400, str(exc), param="documents", code="document_not_found")
    if isinstance(exc, NoIndexError):
        return ApiError(503, str(exc), kind="server_error", code="no_index")
    if isinstance(exc, ReportQAError):
        return ApiError(500, str(exc), kind="server_error")
    log.error("answering through the API failed", exc_info=exc)
    return ApiError(500, "Answering failed unexpectedly; see the server log.", kind="server_error")


def create_router(settings: Settings, assistant: Callable[[str], Assistant]) -> APIRouter:
    """The /v1 routes; `assistant(model)` gives the Assistant of a backend (the page shares its own)."""
    router = APIRouter(prefix=PREFIX)
    access = ApiKeyCheck(settings)
    started = int(time.time())
    recent: OrderedDict[str, tuple[str, Answer]] = OrderedDict()
    recent_lock = threading.Lock()

    def remember(completion_id: str, question: str, answer: Answer) -> None:
        with recent_lock:
            recent[completion_id] = (question, answer)
            while len(recent) > RECENT_ANSWERS:
                recent.popitem(last=False)

    def check_access(request: Request) -> None:
        refusal = access.refusal(request.headers.get("authorization"))
        if refusal is not None:
            raise ApiError(401, refusal, code="invalid_api_key")

    def model_record(name: str) -> dict:
        return {"id": name, "object": "model", "created": started, "owned_by": "reportqa",
                "description": MODEL_NOTES[name]}

    def resolve(model: str) -> Assistant:
        available = available_models(settings)
        if model not in available:
            why = "is not set up on this server" if model in BACKENDS else "does not exist here"
            raise ApiError(404, f"The model {model!r} {why}: use one of {', '.join(available)} (GET /v1/models).",
                           code="model_not_found", param="model")
        try:
            return assistant(model)
        except (ModelMissingError, SettingsError) as exc:
            raise ApiError(404, f"The model {model!r} cannot run: {exc}", code="model_not_found", param="model") from None

    @router.get("/models")
    async def list_models(request: Request):
        try:
            check_access(request)
            return {"object": "list", "data": [model_record(name) for name in available_models(settings)]}
        except ApiError as exc:
            return exc.response()

    @router.get("/models/{model}")
    async def get_model(model: str, request: Request):
        try:
            check_access(request)
            if model not in available_models(settings):
                raise ApiError(404, f"The model {model!r} does not exist here: use one of "
                               f"{', '.join(available_models(settings))}.", code="model_not_found", param="model")
            return model_record(model)
        except ApiError as exc:
            return exc.response()

    @router.post("/chat/completions")
    async def chat_completions(request: Request):
        try:
            check_access(request)
            try:
                body = json.loads(await request.body())
            except (ValueError, UnicodeDecodeError):
                raise ApiError(400, "The request body is not valid JSON.") from None
            asked = parse_chat_request(body, settings.llm)
            chosen = await run_in_threadpool(resolve, asked.model)
            completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
            if not asked.stream:
                result = await run_in_threadpool(chosen.answer, asked.question, history=asked.history,
                                                 documents=asked.documents)
                remember(completion_id, asked.question, result)
                return completion(result, completion_id=completion_id, created=created, model=asked.model)
            pieces = chosen.stream(asked.question, history=asked.history, documents=asked.documents)
            # The first piece comes after rewriting and retrieval: their errors still get a status code.
            first = await run_in_threadpool(next, pieces, None)
            events = stream_events(
                _chain(first, pieces), completion_id=completion_id, created=created, model=asked.model,
                on_answer=lambda result: remember(completion_id, asked.question, result),
            )
            return EventStream(events)
        except Exception as exc:
            return _as_api_error(exc).response()

    @router.post("/feedback")
    async def feedback(request: Request):
        """👍 / 👎 on an answer: `{"id": "chatcmpl-…", "vote": "up" | "down", "comment": "…"}`, or instead of
        the id the `question` and the `answer` (its text, or the `ask --json` / Gradio `/ask` object)."""
        try:
            check_access(request)
            try:
                body = json.loads(await request.body())
            except (ValueError, UnicodeDecodeError):
                raise ApiError(400, "The request body is not valid JSON.") from None
            if not isinstance(body, dict):
                raise ApiError(400, "The request body must be a JSON object with `id` (or `question` and "
                               "`answer`) and `vote`.")
            completion_id = body.get("id")
            with recent_lock:
                known = recent.get(completion_id) if isinstance(completion_id, str) else None
            if known is not None:
                question, answer = known
            elif "question" in body or "answer" in body:
                question, answer = body.get("question"), body.get("answer")
                answer = {"question": question, "answer": answer} if isinstance(answer, str) else answer
            elif completion_id is not None:
                raise ApiError(404, f"No recent answer has the id {completion_id!r} (the last {RECENT_ANSWERS} "
                               "since the server started are kept): send `question` and `answer` instead.",
                               param="id", code="answer_not_found")
            else:
                raise ApiError(400, "Name the answer: its completion `id`, or its `question` and `answer`.")
            try:
                record = feedback_record(question, answer, body.get("vote"), body.get("comment", ""), via="openai-api")
            except FeedbackError as exc:
                raise ApiError(400, str(exc)) from None
            await run_in_threadpool(record_feedback, settings, record)
            return {"object": "feedback", "id": completion_id if known is not None else None,
                    "vote": record["vote"], "time": record["time"]}
        except Exception as exc:
            return _as_api_error(exc).response()

    return router


class EventStream(StreamingResponse):
    """Server-sent events from a generator that is closed when the response ends, however it ends.

    Starlette stops iterating when the client goes away but leaves the generator open; an answer
    stream left open would keep the local model's lock until garbage collection.
    """

    def __init__(self, events: Iterator[str]):
        super().__init__(events, media_type="text/event-stream",
                         headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self.events = events

    async def stream_response(self, send) -> None:
        try:
            await super().stream_response(send)
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._close)

    def _close(self) -> None:
        with contextlib.suppress(ValueError):  # still running in another thread: it ends by itself
            self.events.close()


def _chain(first: str | Answer | None, rest: Iterator[str | Answer]) -> Iterator[str | Answer]:
    """The stream again with its first piece in front; closing it closes the assistant's stream."""
    try:
        if first is not None:
            yield first
        yield from rest
    finally:
        rest.close()


def serving(router: APIRouter):
    """A FastAPI lifespan that adds the router's routes to the app as it starts.

    Given to Gradio's `launch(app_kwargs={"lifespan": ...})`, it puts /v1 on Gradio's own FastAPI app,
    before the server takes its first request: one host and port, the page's login untouched (Gradio
    protects its own routes; /v1 checks its bearer key).
    """
    @contextlib.asynccontextmanager
    async def lifespan(app):
        app.include_router(router)
        yield

    return lifespan
