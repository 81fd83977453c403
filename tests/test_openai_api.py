"""The OpenAI-compatible API: the official `openai` client against `python app.py` in its own process,
and the request rules, key rule and streaming on the router in this process."""

from __future__ import annotations

import dataclasses

import json
import sys

import httpx
import pytest

from reportqa.access import ApiKeyCheck
from reportqa.answer import NOT_FOUND_ZH, Answer, Citation
from reportqa.config import Settings
from reportqa.openai_api import ApiError, parse_chat_request, strip_sources

from conftest import ROOT
from servers import free_port, serving

REPORT = "xiaomi-baic-cooperation-report.txt"
KEY = "sk-reportqa-test-key"


def app_command(settings: Settings, port: int, *options: str) -> list[str]:
    return [sys.executable, "app.py", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
            "--port", str(port), *options, "serve"]


def app_environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The app's environment: extractive answers, no login, host or key but those the test gives."""
    import os

    unset = ("CHROMA_HOST", "REPORTQA_HOST", "REPORTQA_AUTH", "REPORTQA_AUTH_FILE", "REPORTQA_API_KEY", "REPORTQA_LLM")
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(REPORTQA_LLM="none", HF_HUB_OFFLINE="1", REPORTQA_CACHE=str(settings.model_cache_dir), **extra)
    return environment


@pytest.fixture(scope="module")
def served(report_settings, tmp_path_factory):
    """`python app.py serve` on 127.0.0.1 over the real report index (no key: loopback needs none)."""
    port = free_port()
    log = tmp_path_factory.mktemp("openai-api") / "app.log"
    with serving(app_command(report_settings, port), log, f"http://127.0.0.1:{port}/", timeout=180,
                 cwd=ROOT, env=app_environment(report_settings)):
        yield f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def client(served):
    from openai import OpenAI

    with OpenAI(base_url=served, api_key="unused-on-loopback", max_retries=0, timeout=120) as openai_client:
        yield openai_client


def ask(client, *messages: str, stream: bool = False, model: str = "none"):
    """A chat completion for alternating user/assistant messages (the last one is the question)."""
    roles = ["user", "assistant"]
    chat = [{"role": roles[number % 2], "content": text} for number, text in enumerate(messages)]
    return client.chat.completions.create(model=model, messages=chat, stream=stream)


def text_of(response) -> str:
    return response.choices[0].message.content


def answer_part(content: str) -> str:
    """The answer text above the sources list."""
    return strip_sources(content)


# --- the real server, through the official client ------------------------------------------


@pytest.mark.slow
def test_models_lists_the_answer_backends(client):
    models = {model.id: model for model in client.models.list()}
    assert {"auto", "none"} <= set(models) <= {"auto", "none", "local", "openai"}
    assert models["none"].owned_by == "reportqa"


@pytest.mark.slow
def test_an_answer_carries_its_markers_and_its_sources(client):
    response = ask(client, "时代北汽的总投资是多少？")
    content = text_of(response)
    extra = response.model_extra
    assert "10 亿元" in answer_part(content) and "[1]" in answer_part(content)
    assert extra["abstained"] is False and extra["backend"] == "none"
    source = extra["sources"][0]
    assert set(source) == {"marker", "id", "source", "section", "text", "quote"}
    assert source["marker"] == 1 and source["source"] == REPORT and source["section"].endswith("动力电池深度绑定")
    assert "10 亿元" in source["quote"] and source["quote"] in source["text"]
    # The same sources close the text as a Markdown list, for chat clients that show only the text.
    assert content.endswith(f"- [1] {source['section']} ({REPORT}): “{source['quote']}”") and "**来源**" in content
    assert response.choices[0].finish_reason == "stop" and response.choices[0].message.role == "assistant"


@pytest.mark.slow
def test_a_streamed_answer_reassembles_to_the_same_text_and_ends_with_the_sources(client, served):
    question = "北京市要求车企供应链本地化率不低于多少？"
    whole = ask(client, question)
    chunks = list(ask(client, question, stream=True))
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert streamed == text_of(whole) and "50%" in streamed
    assert [chunk.choices[0].finish_reason for chunk in chunks][-1] == "stop"
    assert all(chunk.choices[0].finish_reason is None for chunk in chunks[:-1])
    assert chunks[-1].model_extra["sources"] == whole.model_extra["sources"]
    assert len({chunk.id for chunk in chunks}) == 1
    # On the wire: server-sent events of chat.completion.chunk objects, closed by [DONE].
    body = {"model": "none", "stream": True, "messages": [{"role": "user", "content": question}]}
    with httpx.stream("POST", f"{served}/chat/completions", json=body, timeout=120) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line]
    assert all(event.startswith("data: ") for event in events) and events[-1] == "data: [DONE]"
    assert json.loads(events[0][6:])["object"] == "chat.completion.chunk"


@pytest.mark.slow
def test_the_history_makes_a_follow_up_standalone(client):
    first = "2024 年宁德时代对小米的电池供应量占比是多少？"
    answer = ask(client, first)
    assert "25%" in answer_part(text_of(answer))
    follow_up = ask(client, first, text_of(answer), "那北汽呢？")
    assert "北汽的 20%" in answer_part(text_of(follow_up))
    assert follow_up.model_extra["sources"][0]["section"].endswith("潜在竞争关系")
    alone = ask(client, "那北汽呢？")  # without the history the same words ask about something else
    assert "北汽的 20%" not in answer_part(text_of(alone))
    streamed = "".join(chunk.choices[0].delta.content or ""
                       for chunk in ask(client, first, text_of(answer), "那北汽呢？", stream=True))
    assert streamed == text_of(follow_up)


@pytest.mark.slow
def test_a_follow_up_that_changes_the_topic_cites_the_new_topic(client):
    first = "动力电池方面双方如何合作？"
    answer = ask(client, first)
    assert all(s["section"].endswith("动力电池深度绑定") for s in answer.model_extra["sources"])
    follow_up = ask(client, first, text_of(answer), "那智能驾驶方面呢？")
    assert follow_up.model_extra["sources"][0]["section"].endswith("技术研发合作")


@pytest.mark.slow
@pytest.mark.parametrize("stream", [False, True])
def test_an_unanswerable_question_is_refused_without_sources(client, stream):
    question = "特斯拉上海超级工厂有多少员工？"
    if stream:
        chunks = list(ask(client, question, stream=True))
        content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
        extra = chunks[-1].model_extra
    else:
        response = ask(client, question)
        content, extra = text_of(response), response.model_extra
    assert content == NOT_FOUND_ZH
    assert extra["abstained"] is True and extra["sources"] == []


@pytest.mark.slow
def test_bad_requests_get_a_one_line_error_and_the_server_keeps_serving(client):
    import openai

    bad = {
        "no user message": [{"role": "system", "content": "你是助手"}],
        "empty question": [{"role": "user", "content": "   "}],
        "content of the wrong type": [{"role": "user", "content": 42}],
        "unknown role": [{"role": "robot", "content": "时代北汽的总投资是多少？"}],
        "no messages": [],
    }
    for case, messages in bad.items():
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(model="none", messages=messages)
        error = caught.value.body
        assert caught.value.status_code == 400 and error["type"] == "invalid_request_error", case
        assert error["message"] and "\n" not in error["message"], case
    with pytest.raises(openai.NotFoundError) as caught:
        ask(client, "时代北汽的总投资是多少？", model="gpt-4o")
    assert caught.value.body["code"] == "model_not_found"
    assert "'gpt-4o'" in caught.value.body["message"] and "use one of auto, none" in caught.value.body["message"]
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="none", messages=[{"role": "user", "content": "年产能？"}], stream="yes")
    raw = httpx.post(f"{client.base_url}chat/completions", content=b"{not json", timeout=30)
    assert raw.status_code == 400 and raw.json()["error"]["message"] == "The request body is not valid JSON."
    assert "20GWh" in text_of(ask(client, "电池工厂的年产能规划是多少？"))


@pytest.mark.slow
@pytest.mark.parametrize("stream", [False, True])
def test_documents_limit_the_answer_and_an_unknown_name_is_refused(client, stream):
    import openai

    chat = [{"role": "user", "content": "时代北汽的总投资是多少？"}]
    scoped = client.chat.completions.create(model="none", messages=chat, stream=stream,
                                            extra_body={"documents": ["xiaomi-baic-cooperation-report"]})
    if stream:
        chunks = list(scoped)
        content, sources = "".join(c.choices[0].delta.content or "" for c in chunks), chunks[-1].model_extra["sources"]
    else:
        content, sources = text_of(scoped), scoped.model_extra["sources"]
    assert "10 亿元" in answer_part(content) and sources and {s["source"] for s in sources} == {REPORT}
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="none", messages=chat, stream=stream,
                                       extra_body={"documents": ["annual-report-2023"]})
    assert caught.value.body["message"] == f"No document named 'annual-report-2023'; documents are: {REPORT}"
    assert caught.value.body["param"] == "documents" and caught.value.body["code"] == "document_not_found"
    with pytest.raises(openai.BadRequestError, match="`documents` must be a list"):
        client.chat.completions.create(model="none", messages=chat, extra_body={"documents": REPORT})


@pytest.mark.slow
def test_a_non_loopback_bind_needs_the_key_and_keeps_the_page_login(report_settings, tmp_path):
    import openai
    from openai import OpenAI

    port = free_port()
    command = app_command(report_settings, port, "--host", "0.0.0.0")
    environment = app_environment(report_settings, REPORTQA_API_KEY=KEY, REPORTQA_AUTH="analyst:s3cret")
    base = f"http://127.0.0.1:{port}"
    with serving(command, tmp_path / "app.log", f"{base}/", timeout=180, cwd=ROOT, env=environment):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}):
            for method, path in (("GET", "/v1/models"), ("POST", "/v1/chat/completions")):
                response = httpx.request(method, base + path, headers=headers, timeout=30,
                                         json={"model": "none", "messages": [{"role": "user", "content": "年产能？"}]})
                assert response.status_code == 401, (headers, path)
                assert response.json()["error"]["code"] == "invalid_api_key"
        for key in ("wrong", KEY + "x", KEY[:-1]):
            with OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0) as client:
                with pytest.raises(openai.AuthenticationError, match="Incorrect API key"):
                    client.models.list()
        with OpenAI(base_url=f"{base}/v1", api_key=KEY, max_retries=0, timeout=120) as client:
            assert "none" in {model.id for model in client.models.list()}
            assert "10 亿元" in text_of(ask(client, "时代北汽的总投资是多少？"))
        # The page and its Gradio API keep their own login; the API key does not open them.
        assert httpx.get(f"{base}/config", timeout=30).status_code == 401
        assert httpx.get(f"{base}/config", headers={"Authorization": f"Bearer {KEY}"}, timeout=30).status_code == 401
    assert KEY not in (tmp_path / "app.log").read_text(errors="replace")


# --- the rules, in this process -----------------------------------------------------------


@pytest.mark.parametrize("host, key, header, passes", [
    ("127.0.0.1", "", None, True),
    ("localhost", "", "Bearer anything", True),
    ("127.0.0.1", KEY, None, False),  # a configured key is always required
    ("127.0.0.1", KEY, f"Bearer {KEY}", True),
    ("127.0.0.1", KEY, f"bearer  {KEY} ", True),
    ("0.0.0.0", "", f"Bearer {KEY}", False),  # beyond loopback the API is off until a key is set
    ("0.0.0.0", KEY, None, False),
    ("0.0.0.0", KEY, "Bearer", False),
    ("0.0.0.0", KEY, f"Token {KEY}", False),
    ("0.0.0.0", KEY, f"Bearer {KEY}0", False),
    ("0.0.0.0", KEY, f"Bearer {KEY}", True),
    ("192.168.1.20", KEY, f"Bearer {KEY}", True),
])
def test_the_key_rule(host, key, header, passes):
    refusal = ApiKeyCheck(Settings(host=host, api_key=key)).refusal(header)
    assert (refusal is None) == passes
    if refusal is not None:
        assert "REPORTQA_API_KEY" in refusal and "\n" not in refusal


def test_the_key_is_read_from_the_environment_and_kept_out_of_logs():
    settings = Settings.from_env({"REPORTQA_API_KEY": KEY})
    assert settings.api_key == KEY and KEY not in repr(settings)


def test_the_last_user_message_is_the_question_and_earlier_pairs_the_history():
    request = parse_chat_request({
        "model": "none",
        "messages": [
            {"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": "时代北汽的总投资是多少？"},
            {"role": "assistant", "content": "总投资 10 亿元[1]。\n\n**来源**\n\n- [1] 动力电池深度绑定 (r.txt): “…”"},
            {"role": "user", "content": [{"type": "text", "text": "年产能呢？"}]},
            {"role": "assistant", "content": "年产能规划达 20GWh[1]。"},
            {"role": "user", "content": "那工厂在哪里？"},
        ],
    }, "auto")
    assert request.question == "那工厂在哪里？" and request.model == "none" and request.stream is False
    assert request.history == (("时代北汽的总投资是多少？", "总投资 10 亿元[1]。"), ("年产能呢？", "年产能规划达 20GWh[1]。"))
    assert parse_chat_request({"messages": [{"role": "user", "content": "问题"}], "stream": True}, "auto").model == "auto"


@pytest.mark.parametrize("body, says", [
    ("text", "must be a JSON object"),
    ({"messages": "hi"}, "`messages` must be a non-empty list"),
    ({"messages": [{"role": "assistant", "content": "hi"}]}, "holds no user message"),
    ({"messages": [{"role": "user", "content": ""}]}, "messages[0] (the last user message) is empty"),
    ({"messages": [{"role": "user"}]}, "user message without `content`"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, "only text parts"),
    ({"messages": [{"role": "user", "content": "问题"}], "model": 3}, "`model` must be a string"),
    ({"messages": [{"role": "user", "content": "问" * 3000}]}, "characters long"),
    ({"messages": ["hi"]}, "messages[0] must be an object"),
])
def test_malformed_requests_are_refused_with_one_line(body, says):
    with pytest.raises(ApiError) as caught:
        parse_chat_request(body, "none")
    assert caught.value.status == 400 and says in caught.value.message and "\n" not in caught.value.message


class ScriptedAssistant:
    """An Assistant whose stream is given: text pieces, then an Answer (or an exception)."""

    def __init__(self, *pieces):
        self.pieces = pieces
        self.closed = False
        self.asked = []

    def answer(self, question, *, history=(), documents=None):
        *_, result = self.stream(question, history=history, documents=documents)
        return result

    def stream(self, question, *, history=(), documents=None):
        self.asked.append((question, tuple(history)))
        try:
            for piece in self.pieces:
                if isinstance(piece, Exception):
                    raise piece
                yield piece
        finally:
            self.closed = True


def scripted_app(assistant, **settings):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from reportqa.openai_api import create_router

    app = FastAPI()
    app.include_router(create_router(Settings(**settings), lambda model: assistant))
    return TestClient(app)


def sse_events(response) -> list[dict | str]:
    events = [line[6:] for line in response.text.splitlines() if line.startswith("data: ")]
    return [event if event == "[DONE]" else json.loads(event) for event in events]


CHECKED = Answer("年产能是多少？", "年产能规划达 20GWh[1]。", (
    Citation(1, "c1", "r.txt", "二、核心 › 动力电池", "该工厂年产能规划达 20GWh。", 0, 14, "该工厂年产能规划达 20GWh。"),
), backend="local")


def test_a_streamed_answer_the_check_changed_is_followed_by_the_checked_answer():
    assistant = ScriptedAssistant("年产能规划达 20GWh[1]。", "还有 99GWh[2]。", CHECKED)
    response = scripted_app(assistant).post("/v1/chat/completions", json={
        "model": "local", "stream": True, "messages": [{"role": "user", "content": "年产能是多少？"}]})
    events = sse_events(response)
    text = "".join(event["choices"][0]["delta"].get("content", "") for event in events[:-1])
    assert text.startswith("年产能规划达 20GWh[1]。还有 99GWh[2]。\n\n---\n核对后的回答:\n\n年产能规划达 20GWh[1]。\n\n**来源**")
    assert strip_sources(text) == CHECKED.text  # as history, the checked answer is what counts
    assert events[-2]["sources"][0]["quote"] == "该工厂年产能规划达 20GWh。" and events[-1] == "[DONE]"
    assert assistant.closed


def test_the_documents_words_quoted_under_a_streamed_answer_follow_it_without_repeating_it():
    checked = dataclasses.replace(CHECKED, text="年产能规划达 20GWh[1]。\n原文：\n  > 该工厂年产能规划达 20GWh。[1]")
    assistant = ScriptedAssistant("年产能规划达 20GWh[1]。", checked)
    response = scripted_app(assistant).post("/v1/chat/completions", json={
        "model": "local", "stream": True, "messages": [{"role": "user", "content": "年产能是多少？"}]})
    events = sse_events(response)
    text = "".join(event["choices"][0]["delta"].get("content", "") for event in events[:-1])
    assert text.startswith("年产能规划达 20GWh[1]。\n原文：\n  > 该工厂年产能规划达 20GWh。[1]\n\n**来源**"), text
    assert "核对后的回答" not in text and strip_sources(text) == checked.text


@pytest.mark.parametrize("streamed, checked, same", [
    ("电池工厂的年产能规划达 20GWh[1]。", "电池工厂的年产能规划达 20GWh。[1]", True),  # the marker moved (measured, 1.5B)
    ("- 泰国[1]\n- 沙特[1]", "- 泰国[1]\n\n- 沙特[1]", True),
    ("年产能规划达 20GWh[2]。", "年产能规划达 20GWh。[1]", False),  # the citation was repaired
    ("年产能 20GWh[1]。总投资 99 亿元[1]。", "年产能 20GWh。[1]", False),  # a sentence was dropped
])
def test_a_streamed_answer_is_repeated_only_when_the_check_changed_what_it_says_or_cites(streamed, checked, same):
    from reportqa.openai_api import same_answer

    assert same_answer(streamed, checked) is same


def test_a_client_that_goes_away_mid_stream_closes_the_answer_stream():
    """An answer stream left open would hold the local model's lock: it is closed when the client leaves."""
    import threading
    import time

    import uvicorn
    from fastapi import FastAPI

    from reportqa.openai_api import create_router

    class Endless(ScriptedAssistant):
        def stream(self, question, *, history=(), documents=None):
            try:
                while True:
                    time.sleep(0.02)
                    yield "更多 "
            finally:
                self.closed = True

    assistant = Endless()
    app = FastAPI()
    app.include_router(create_router(Settings(), lambda model: assistant))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        body = {"stream": True, "messages": [{"role": "user", "content": "年产能是多少？"}]}
        with httpx.stream("POST", f"http://127.0.0.1:{port}/v1/chat/completions", json=body, timeout=10) as response:
            for number, _ in enumerate(response.iter_lines()):
                if number == 6:
                    break
        deadline = time.monotonic() + 5
        while not assistant.closed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert assistant.closed
    finally:
        server.should_exit = True
        thread.join(10)


def test_an_error_while_streaming_is_an_error_event_and_the_stream_still_ends():
    from reportqa.errors import ReportQAError

    assistant = ScriptedAssistant("年产能", ReportQAError("The local model failed: out of memory."))
    response = scripted_app(assistant).post("/v1/chat/completions", json={
        "stream": True, "messages": [{"role": "user", "content": "年产能是多少？"}]})
    events = sse_events(response)
    assert response.status_code == 200 and events[-1] == "[DONE]"
    assert events[-2] == {"error": {"message": "The local model failed: out of memory.", "type": "server_error",
                                    "param": None, "code": None}}


def test_an_error_before_the_first_piece_gets_its_status_code():
    from reportqa.errors import NoIndexError

    assistant = ScriptedAssistant(NoIndexError("No index in index/: run `python app.py index`."))
    app = scripted_app(assistant)
    for stream in (True, False):
        response = app.post("/v1/chat/completions", json={
            "stream": stream, "messages": [{"role": "user", "content": "年产能是多少？"}]})
        assert response.status_code == 503 and response.json()["error"]["code"] == "no_index"


def test_an_unexpected_failure_is_a_500_without_internals_and_the_app_keeps_serving():
    assistant = ScriptedAssistant(CHECKED)
    app = scripted_app(assistant)
    assistant.answer = lambda question, history=(): 1 / 0
    response = app.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "年产能是多少？"}]})
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "Answering failed unexpectedly; see the server log."
    assert app.get("/v1/models").status_code == 200


# --- feedback ------------------------------------------------------------------------------


@pytest.mark.slow
def test_feedback_by_completion_id_or_in_full_is_kept_and_the_down_votes_become_eval_questions(
        client, served, report_settings, capsys):
    from gradio_client import Client

    from reportqa.cli import main
    from reportqa.feedback import feedback_path

    path = feedback_path(report_settings)
    before = path.read_text(encoding="utf-8").count("\n") if path.exists() else 0
    answer = ask(client, "时代北汽的总投资是多少？")
    response = httpx.post(f"{served}/feedback", json={"id": answer.id, "vote": "down", "comment": "要的是产能"}, timeout=30)
    assert response.status_code == 200 and response.json()["id"] == answer.id and response.json()["vote"] == "down"
    gradio = Client(served.removesuffix("v1"), verbose=False)
    try:
        result = gradio.predict("电池工厂的年产能规划是多少？", 3, api_name="/ask")
    finally:
        gradio.close()
    body = {"question": result["question"], "answer": result, "vote": "up"}  # a Gradio /ask result, as it came
    assert httpx.post(f"{served}/feedback", json=body, timeout=30).json()["id"] is None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[before:]]
    assert [(row["question"], row["vote"], row["via"]) for row in rows] == [
        ("时代北汽的总投资是多少？", "down", "openai-api"), ("电池工厂的年产能规划是多少？", "up", "openai-api")]
    assert rows[0]["answer"] == strip_sources(text_of(answer))
    assert rows[0]["citations"] == answer.model_extra["sources"] and rows[0]["comment"] == "要的是产能"
    assert rows[1]["citations"][0]["source"] == REPORT and rows[1]["backend"] == "none"

    assert main(["--index", str(report_settings.index_dir), "eval", "--from-feedback"]) == 0
    out, err = capsys.readouterr()
    questions = [json.loads(line) for line in out.splitlines()]
    assert [q["question"] for q in questions].count("时代北汽的总投资是多少？") == 1
    assert "电池工厂的年产能规划是多少？" not in [q["question"] for q in questions]  # 👍 rows are not questions
    mine = next(q for q in questions if q["question"] == "时代北汽的总投资是多少？")
    assert mine["must_include"] == [] and mine["evidence"] == [] and mine["answerable"] is None
    assert mine["feedback"][-1]["comment"] == "要的是产能" and "fill in" in err


def test_feedback_rules_in_process(tmp_path):
    settings = {"index_dir": tmp_path / "index"}
    app = scripted_app(ScriptedAssistant(CHECKED), **settings)
    answered = app.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "年产能是多少？"}]}).json()
    streamed = app.post("/v1/chat/completions", json={
        "stream": True, "messages": [{"role": "user", "content": "年产能呢？"}]})
    streamed_id = sse_events(streamed)[0]["id"]
    for body in ({"id": answered["id"], "vote": "👎"}, {"id": streamed_id, "vote": "up", "comment": None},
                 {"question": "年产能是多少？", "answer": "20GWh[1]", "vote": "down", "comment": "没有引用"}):
        assert app.post("/v1/feedback", json=body).status_code == 200, body
    rows = [json.loads(line) for line in (tmp_path / "index" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(row["question"], row["vote"]) for row in rows] == [
        ("年产能是多少？", "down"), ("年产能呢？", "up"), ("年产能是多少？", "down")]
    assert rows[0]["answer"] == CHECKED.text and rows[0]["backend"] == "local" and rows[0]["citations"][0]["marker"] == 1
    assert rows[2]["answer"] == "20GWh[1]" and rows[2]["citations"] == [] and rows[2]["comment"] == "没有引用"

    refused = {
        400: [{"id": answered["id"], "vote": "meh"}, {"vote": "down"}, {"question": "", "answer": "x", "vote": "down"},
              {"question": "q", "answer": 5, "vote": "down"}, {"id": answered["id"], "vote": "up", "comment": 7},
              {"id": answered["id"], "vote": True}],
        404: [{"id": "chatcmpl-unknown", "vote": "down"}],
    }
    for status, bodies in refused.items():
        for body in bodies:
            response = app.post("/v1/feedback", json=body)
            assert response.status_code == status, body
            assert "\n" not in response.json()["error"]["message"]
    assert len((tmp_path / "index" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    assert scripted_app(ScriptedAssistant(CHECKED), host="0.0.0.0", api_key=KEY, **settings).post(
        "/v1/feedback", json={"id": answered["id"], "vote": "down"}).status_code == 401
