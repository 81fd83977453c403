"""The real app in a real browser: Debian's chromium driven by Playwright, and gradio_client on the API.

The app runs as `python app.py` in a subprocess over a copy of the report; for streaming, the
page is served in this process with LangChain's fake chat model as the LLM (a real 0.5B model
takes too long on CI's CPUs to watch it stream). Screenshots go to test-artifacts/ui/
(git-ignored) so a person can look at them.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPORT_CORPUS, ROOT
from servers import free_port, serving

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
]
SCREENSHOTS = ROOT / "test-artifacts" / "ui"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
QUESTION = "小米SU7是通过哪家公司完成工信部申报的？"
# A document whose text is markup: it must show as text and run nothing.
UNSAFE_DOCUMENT = (
    "# 安全测试文档\n"
    "- 嘉兴仓库容量\n"
    "嘉兴仓库的容量为 8800 托盘位。<script>window.__pwned = 'script'</script>"
    "<img src=x onerror=\"window.__pwned = 'img'\"> ${window.__pwned = 'template'} {{constructor}}\n"
)
UPLOADED_DOCUMENT = "# 合作进展纪要\n- 常州电池工厂\n2025 年北汽与小米在常州新建的第二座电池工厂投资额为 37 亿元。\n"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python app.py` serving a copy of the report (plus the unsafe document) on a free local port."""
    base = tmp_path_factory.mktemp("ui-server")
    corpus = base / "corpus"
    shutil.copytree(REPORT_CORPUS, corpus)
    (corpus / "unsafe.md").write_text(UNSAFE_DOCUMENT, encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "REPORTQA_LLM": "none",
        "REPORTQA_CACHE": str(base / "cache"),
        "GRADIO_TEMP_DIR": str(base / "gradio"),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
    }
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "REPORTQA_OPENAI_MODEL", "CHROMA_HOST"):
        env.pop(name, None)
    log_path = base / "server.log"
    command = [sys.executable, "app.py", "--corpus", str(corpus), "--index", str(base / "index"),
               "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with serving(command, log_path, url, timeout=240, cwd=ROOT, env=env):
        yield {"url": url, "corpus": corpus, "index": base / "index", "log": log_path}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, server, *, locale: str, viewport: dict):
    """A fresh page of the app; any script that runs from document text sets window.__pwned or opens a dialog."""
    page = browser.new_page(locale=locale, viewport=viewport)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server["url"])
    page.wait_for_selector("#conversation .welcome")
    return page


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let the last render settle
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


ANSWERS = "#conversation .msg.bot .answer, #conversation .bubble.error"


def ask(page, question: str | None = None, *, example: str | None = None) -> None:
    """Type a question and press Enter (or click an example question); wait until its answer is complete."""
    before = page.locator(ANSWERS).count()
    if example:
        page.locator("#examples button", has_text=example).click()
    else:
        page.locator("#question textarea").fill(question)
        page.locator("#question textarea").press("Enter")
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length > n", arg=[ANSWERS, before], timeout=120_000
    )


def start_new_chat(page) -> None:
    """Click New chat and wait until the conversation is empty."""
    page.locator("#new-chat").click()
    page.wait_for_selector("#conversation .welcome")


def test_chat_answers_with_a_citation_that_opens_the_highlighted_source(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    expect(page.locator("#header h1")).to_have_text("报告问答")  # follows the browser's language
    expect(page.locator("#backend-badge")).to_contain_text("抽取式")
    shoot(page, "desktop-1-empty-zh")
    ask(page, QUESTION)
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".answer")).to_contain_text("北汽越野车")
    expect(answer.locator(".sources li").first).to_contain_text("资质与产能的互补")
    shoot(page, "desktop-2-answer-zh")

    answer.locator(".answer button.cite").first.click()
    panel = page.locator("#source-panel")
    expect(panel.locator("mark")).to_contain_text("北汽越野车有限公司完成工信部申报")
    expect(panel.locator(".section-path")).to_contain_text("一、合作背景")
    expect(panel.locator(".section-path")).to_contain_text("资质与产能的互补")
    expect(panel.locator(".source-meta")).to_contain_text("xiaomi-baic-cooperation-report.txt")
    expect(panel.locator(".source-text")).to_contain_text("供应链本地化需求")  # the surrounding text
    shoot(page, "desktop-3-source-zh")

    ask(page, example="时代北汽的总投资是多少？")  # an example stands alone, not as a follow-up
    expect(page.locator("#conversation .msg.bot").last.locator(".answer")).to_contain_text("总投资 10 亿元")
    expect(page.locator("#conversation .msg.bot").last.locator(".answer")).not_to_contain_text("北汽越野车")
    for question in ("小米汽车和北汽在智能网联方面有哪些合作？", "火星基地的建设预算是多少？"):
        ask(page, question)
    # The report does not answer the second: refused, or the closest passages under a caution.
    last = page.locator("#conversation .msg.bot").last
    expect(last.locator(".bubble.abstained, .bubble.tentative")).to_have_count(1)
    expect(last.locator(".note")).to_be_visible()
    shoot(page, "desktop-4-long-conversation-zh")

    page.locator("#language label", has_text="English").click()
    expect(page.locator("#header h1")).to_have_text("Report QA")
    expect(page.locator("#send")).to_have_text("Send")
    expect(panel.locator(".source-meta")).to_contain_text("Section")
    page.locator("#new-chat").click()
    expect(page.locator("#conversation .welcome")).to_be_visible()
    expect(panel.locator(".source-panel.empty")).to_be_visible()
    page.close()


def test_phone_layout_in_english_shows_the_cited_passage(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="en-US", viewport=PHONE)
    expect(page.locator("#header h1")).to_have_text("Report QA")
    shoot(page, "phone-1-empty-en")
    ask(page, "Which company handled the MIIT filing for the Xiaomi SU7?")
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".answer")).to_contain_text("北汽越野车")
    shoot(page, "phone-2-answer-en")
    answer.locator(".answer button.cite").first.click()
    mark = page.locator("#source-panel mark")
    expect(mark).to_contain_text("北汽越野车")
    expect(mark).to_be_in_viewport()  # the panel sits below the chat: the click brings it into view
    page.screenshot(path=str(SCREENSHOTS / "phone-3-source-en.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"
    page.locator("button[role=tab]", has_text="Documents").click()
    expect(page.locator("#documents-table")).to_contain_text("xiaomi-baic-cooperation-report.txt")
    shoot(page, "phone-4-documents-en")

    page.locator("#language label", has_text="中文").click()
    expect(page.locator("#header h1")).to_have_text("报告问答")
    page.reload()  # the language picked wins over the browser's (English) on the next visit
    expect(page.locator("#header h1")).to_have_text("报告问答")
    page.close()


def test_markup_in_documents_and_questions_runs_nothing(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    ask(page, "嘉兴仓库的容量是多少？<img src=q onerror=\"window.__pwned='question'\">")
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".answer")).to_contain_text("8800")
    expect(page.locator("#conversation .msg.user").last).to_contain_text("<img src=q onerror=")
    answer.locator("button.cite").first.click()
    panel = page.locator("#source-panel .source-text")
    expect(panel).to_contain_text("<script>window.__pwned = 'script'</script>")
    expect(panel).to_contain_text("<img src=x onerror=")
    expect(panel).to_contain_text("${window.__pwned = 'template'}")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#conversation img, #source-panel img, #source-panel script").count() == 0
    assert page.dialogs == []
    shoot(page, "desktop-5-unsafe-document")
    page.close()


def test_upload_reindex_answer_from_it_then_delete(browser, server, tmp_path):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    page.locator("button[role=tab]", has_text="文档").click()
    table = page.locator("#documents-table")
    expect(table).to_contain_text("xiaomi-baic-cooperation-report.txt")
    upload = tmp_path / "合作进展纪要.md"
    upload.write_text(UPLOADED_DOCUMENT, encoding="utf-8")
    refused = tmp_path / "setup.exe"
    refused.write_bytes(b"MZ")
    page.locator("#upload input[type=file]").set_input_files([str(upload), str(refused)])
    status = page.locator("#documents-status")
    expect(status).to_contain_text("已保存 合作进展纪要.md", timeout=30_000)
    expect(status).to_contain_text("setup.exe:不支持的文件类型")
    expect(table.locator("tr", has_text="合作进展纪要.md")).to_contain_text("未索引")
    assert (server["corpus"] / "合作进展纪要.md").read_text(encoding="utf-8") == UPLOADED_DOCUMENT
    assert not (server["corpus"] / "setup.exe").exists()
    shoot(page, "desktop-6-uploaded")

    page.locator("#reindex").click()
    expect(status).to_contain_text("索引完成:新增 1,更新 0,未变 2,删除 0", timeout=120_000)
    expect(table.locator("tr", has_text="合作进展纪要.md")).to_contain_text("已索引")
    shoot(page, "desktop-7-reindexed")

    page.locator("button[role=tab]", has_text="对话").click()
    ask(page, "常州第二座电池工厂的投资额是多少？")
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".answer")).to_contain_text("37 亿元")
    answer.locator(".answer button.cite").first.click()
    expect(page.locator("#source-panel .source-meta")).to_contain_text("合作进展纪要.md")
    expect(page.locator("#source-panel .section-path")).to_contain_text("常州电池工厂")
    shoot(page, "desktop-8-answer-from-upload")

    page.locator("button[role=tab]", has_text="文档").click()
    page.locator("#delete-choice input").click()
    page.get_by_role("option", name="合作进展纪要.md").click()
    page.locator("#delete").click()
    expect(status).to_contain_text("已删除 合作进展纪要.md")
    expect(table.locator("tr", has_text="合作进展纪要.md")).to_contain_text("已删除,重新索引后移除")
    page.locator("#reindex").click()
    expect(status).to_contain_text("删除 1", timeout=120_000)
    expect(table).not_to_contain_text("合作进展纪要.md")
    assert not (server["corpus"] / "合作进展纪要.md").exists()
    page.close()


def test_settings_choose_the_backend_and_the_number_of_passages(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="en-US", viewport=DESKTOP)
    page.locator("button[role=tab]", has_text="Settings").click()
    models = page.locator("#models")
    expect(models).to_contain_text("multilingual-e5-small")
    expect(models).to_contain_text("none (extractive")
    shoot(page, "desktop-9-settings-en")

    # An OpenAI-compatible API that is not configured: the badge says what to set, and so does the chat.
    page.locator("#backend label", has_text="OpenAI-compatible API").click()
    expect(page.locator("#backend-badge .badge.error")).to_contain_text("REPORTQA_OPENAI_MODEL")
    page.locator("button[role=tab]", has_text="Chat").click()
    ask(page, "What is the total investment of 时代北汽?")
    expect(page.locator("#conversation .bubble.error")).to_contain_text("REPORTQA_OPENAI_MODEL")

    page.locator("button[role=tab]", has_text="Settings").click()
    page.locator("#backend label", has_text="extractive").click()
    expect(page.locator("#backend-badge")).to_have_text("Answer backend: extractive (no LLM)")
    page.locator("button[role=tab]", has_text="Chat").click()
    start_new_chat(page)
    ask(page, "时代北汽的总投资是多少？")
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".meta")).to_contain_text("extractive")
    expect(answer.locator("details.evidence li")).to_have_count(5)  # the answer saw 5 passages

    page.locator("button[role=tab]", has_text="Settings").click()
    page.locator("#passages input[type=number]").fill("1")
    page.locator("#passages input[type=number]").press("Enter")
    page.locator("button[role=tab]", has_text="Chat").click()
    start_new_chat(page)
    ask(page, "时代北汽的总投资是多少？")
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator("details.evidence li")).to_have_count(1)
    expect(answer.locator(".sources li")).to_have_count(1)
    page.close()


def test_evidence_shows_uncited_passages_and_a_thumbs_down_with_a_comment_is_recorded(browser, server):
    import json

    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    ask(page, QUESTION)
    answer = page.locator("#conversation .msg.bot").last
    evidence = answer.locator("details.evidence")
    expect(evidence.locator("summary")).to_contain_text("所有检索到的段落")
    expect(evidence.locator("li.uncited").first).to_be_hidden()  # collapsed until asked for
    evidence.locator("summary").click()
    uncited = evidence.locator("li.uncited").first
    expect(uncited).to_be_visible()
    expect(uncited.locator(".evidence-badge")).to_have_text("未引用")
    expect(uncited.locator(".evidence-score")).to_contain_text("得分")
    expect(evidence.locator("li.cited").first.locator(".evidence-badge")).to_contain_text("已引用 [1]")
    expect(evidence.locator("li.cited").first).to_contain_text("资质与产能的互补")
    shoot(page, "desktop-6-evidence-zh")

    comment = "应该写全称 <b>北汽越野车有限公司</b>"
    answer.locator("input.feedback-comment").fill(comment)
    answer.locator('button.vote[data-vote="down"]').click()
    expect(page.locator("#feedback-status")).to_contain_text("已记录你的反馈 👎")
    expect(page.locator('#conversation .msg.bot button.vote.active[data-vote="down"]')).to_have_count(1)
    shoot(page, "desktop-7-feedback-zh")
    rows = [json.loads(line) for line in (server["index"] / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    row = next(row for row in rows if row["comment"] == comment)
    assert row["vote"] == "down" and row["question"] == QUESTION and row["via"] == "web"
    assert "北汽越野车" in row["answer"] and row["citations"] and row["backend"] == "none"
    assert not page.dialogs and page.evaluate("window.__pwned") is None
    ask(page, "时代北汽的总投资是多少？")
    expect(page.locator("#feedback-status")).to_be_empty()  # the confirmation was about the last answer
    page.close()


def choose_documents(page, *names: str) -> None:
    """Choose these documents in the scope selector beside the question box."""
    for name in names:
        page.locator("#scope input").click()
        page.get_by_role("option", name=name).click()
    page.locator("#scope input").press("Escape")


REPORT = "xiaomi-baic-cooperation-report.txt"


def test_asking_within_one_of_two_documents_changes_the_sources_and_the_scope_stays_with_the_chat(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    question = "嘉兴仓库的容量是多少？"
    ask(page, question)  # all documents: the warehouse note answers
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".answer")).to_contain_text("8800")
    expect(answer.locator(".sources li").first).to_contain_text("unsafe.md")

    choose_documents(page, REPORT)
    ask(page, question)  # within the report only: the note is not searched, so it cannot be cited
    answer = page.locator("#conversation .msg.bot").last
    expect(answer.locator(".answer")).not_to_contain_text("8800")
    expect(answer.locator("details.evidence")).to_be_visible()
    expect(answer).not_to_contain_text("unsafe.md")  # neither cited nor among the passages retrieved
    ask(page, "时代北汽的总投资是多少？")
    expect(page.locator("#conversation .msg.bot").last.locator(".sources li").first).to_contain_text(REPORT)
    shoot(page, "desktop-10-scope-zh")

    page.reload()  # the conversation comes back with the documents chosen for it
    page.wait_for_selector("#conversation .msg.bot")
    expect(page.locator("#scope")).to_contain_text(REPORT)
    expect(page.locator("#conversation .msg.bot")).to_have_count(3)
    ask(page, question)
    expect(page.locator("#conversation .msg.bot").last).not_to_contain_text("unsafe.md")
    start_new_chat(page)  # a new chat searches every document again
    expect(page.locator("#scope")).not_to_contain_text(REPORT)
    page.close()


def test_a_reload_keeps_the_conversation_and_past_conversations_can_be_reopened_and_deleted(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    first = "北京市要求车企供应链本地化率不低于多少？"
    ask(page, first)
    ask(page, "2024 年宁德时代对小米的电池供应量占比是多少？")
    expect(page.locator("#history input")).to_have_value(f"{first} (2)")  # its first question, 2 questions
    page.reload()
    page.wait_for_selector("#conversation .msg.bot")
    expect(page.locator("#conversation .msg.user")).to_have_count(2)
    expect(page.locator("#conversation .msg.bot").last.locator(".answer")).to_contain_text("25%")
    page.locator("#conversation .msg.bot").last.locator(".answer button.cite").first.click()
    expect(page.locator("#source-panel mark")).to_contain_text("占比达 25%")  # its sources came back too

    start_new_chat(page)
    ask(page, "嘉兴仓库的容量是多少？")
    page.locator("#history input").click()
    page.get_by_role("option", name=first).click()
    expect(page.locator("#conversation .msg.user")).to_have_count(2)
    expect(page.locator("#conversation .msg.user").first).to_contain_text(first)
    ask(page, "那北汽呢？")  # a follow-up of the reopened conversation's last question
    expect(page.locator("#conversation .msg.bot").last.locator(".answer")).to_contain_text("北汽的 20%")

    page.locator("#delete-chat").click()
    page.wait_for_selector("#conversation .welcome")
    page.locator("#history input").click()
    expect(page.get_by_role("option", name="嘉兴仓库的容量是多少？")).to_be_visible()
    expect(page.get_by_role("option", name=first)).to_have_count(0)
    page.locator("#history input").press("Escape")
    other = browser.new_page(locale="zh-CN")  # another browser has conversations of its own
    other.goto(server["url"])
    other.wait_for_selector("#conversation .welcome")
    other.locator("#history input").click()
    expect(other.get_by_role("option", name="嘉兴仓库的容量是多少？")).to_have_count(0)
    other.close()
    page.close()


def test_the_conversation_survives_a_server_restart(browser, report_settings, tmp_path):
    from playwright.sync_api import expect

    port = free_port()
    env = {**os.environ, "REPORTQA_LLM": "none", "REPORTQA_CACHE": str(report_settings.model_cache_dir),
           "GRADIO_TEMP_DIR": str(tmp_path / "gradio"), "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "REPORTQA_OPENAI_MODEL", "CHROMA_HOST", "REPORTQA_AUTH"):
        env.pop(name, None)
    command = [sys.executable, "app.py", "--corpus", str(report_settings.corpus_dir), "--index",
               str(report_settings.index_dir), "--host", "127.0.0.1", "--port", str(port)]
    app = {"url": f"http://127.0.0.1:{port}/"}
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)  # one browser profile for both visits
    with serving(command, tmp_path / "first.log", app["url"], timeout=240, cwd=ROOT, env=env):
        page = context.new_page()
        page.goto(app["url"])
        page.wait_for_selector("#conversation .welcome")
        ask(page, "时代北汽的总投资是多少？")
        expect(page.locator("#history input")).to_have_value("时代北汽的总投资是多少？ (1)")
    with serving(command, tmp_path / "second.log", app["url"], timeout=240, cwd=ROOT, env=env):
        page = context.new_page()  # the same browser, a new server process
        page.goto(app["url"])
        page.wait_for_selector("#conversation .msg.bot")
        expect(page.locator("#conversation .msg.bot .answer")).to_contain_text("10 亿元")
        expect(page.locator("#conversation .msg.bot .sources li").first).to_contain_text("动力电池深度绑定")
    context.close()


def test_a_conversation_and_one_answer_download_as_markdown_with_their_sources(browser, server, tmp_path):
    from playwright.sync_api import expect

    page = open_page(browser, server, locale="zh-CN", viewport=DESKTOP)
    ask(page, QUESTION)
    ask(page, "时代北汽的总投资是多少？")
    expect(page.locator("#history input")).to_have_value(f"{QUESTION} (2)")  # stored with both answers
    expect(page.locator("#export-chat")).to_be_enabled()
    with page.expect_download() as download:
        page.locator("#export-chat").click()
    saved = tmp_path / "conversation.md"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".md")
    assert text.startswith(f"# {QUESTION}\n")
    assert f"## 1. {QUESTION}" in text and "## 2. 时代北汽的总投资是多少？" in text
    assert "10 亿元" in text and "[1]" in text
    assert f" — {REPORT}" in text and "动力电池深度绑定" in text  # section path and file of source [1]
    assert "> “" in text and "总投资 10 亿元" in text.split("## 2.")[1]  # the quoted supporting sentence

    with page.expect_download() as download:
        page.locator("#conversation .msg.bot").first.locator("a.export-answer").click()
    one = tmp_path / "answer.md"
    download.value.save_as(one)
    single = one.read_text(encoding="utf-8")
    assert single.startswith(f"## {QUESTION}") and "北汽越野车" in single and REPORT in single
    assert "时代北汽的总投资" not in single  # only that answer
    page.close()


def test_named_api_endpoints_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server["url"], verbose=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/retrieve"}  # the page's own events are not public API

    result = client.predict(QUESTION, 3, api_name="/ask")
    assert "北汽越野车" in result["answer"] and not result["abstained"] and result["backend"] == "none"
    assert any("北汽越野车有限公司完成工信部申报" in c["text"] for c in result["citations"])
    assert {"marker", "id", "source", "section", "text"} <= set(result["citations"][0])

    assert client.predict(question="时代北汽的总投资是多少？", api_name="/ask")["citations"]  # k defaults to 5
    scoped = client.predict("嘉兴仓库的容量是多少？", 5, ["unsafe"], api_name="/retrieve")
    assert {p["source"] for p in scoped["passages"]} == {"unsafe.md"}
    with pytest.raises(Exception, match="No document named 'annual'"):
        client.predict(QUESTION, 3, ["annual"], api_name="/ask")
    found = client.predict("时代北汽的总投资是多少？", 2, api_name="/retrieve")
    assert len(found["passages"]) == 2 and "10 亿元" in found["passages"][0]["text"]
    scores = [p["score"] for p in found["passages"]]
    assert scores == sorted(scores, reverse=True)

    with pytest.raises(Exception, match="empty"):
        client.predict("   ", 3, api_name="/ask")
    with pytest.raises(Exception, match="out of range"):
        client.predict(QUESTION, 0, api_name="/retrieve")


# The local LLM's part, played by LangChain's fake chat model: streamed one character every 80 ms.
STREAMED_ANSWER = "时代北汽的总投资为 10 亿元，用于建设电芯智能制造工厂[1]。"
LONG_ANSWER = (
    "时代北汽由北汽蓝谷、宁德时代和小米汽车在 2024 年 3 月共同出资成立，总投资 10 亿元，用于建设电芯智能制造工厂[1]。"
    "该工厂采用宁德时代最新的高节拍产线，年产能规划达 20GWh[1]。"
    "工厂主要为小米 SU7、北汽极狐等车型提供磷酸铁锂和三元锂电池[1]。"
    "这种合资模式保障了小米汽车的电池供应，还通过技术共享加速了电池新产品的应用[2]。"
)


@pytest.fixture
def streaming_app(report_settings, report_assistant):
    """The page served in this process over the real report index, its generative backend a fake chat model."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from reportqa.answer import Assistant
    from reportqa.answering.generative import GenerativeAnswerer
    from reportqa.ui import ReportUI, launch

    settings = report_settings.replace(llm="local", host="127.0.0.1", port=free_port())
    retriever = report_assistant.retriever
    model = FakeListChatModel(responses=[STREAMED_ANSWER, LONG_ANSWER], sleep=0.08)
    backend = GenerativeAnswerer(settings, retriever, model, name="local")
    ui = ReportUI(settings, assistant=Assistant(settings, retriever=retriever, backend=backend))
    app = launch(settings, ui=ui, prevent_thread_lock=True)
    try:
        yield {"url": f"http://127.0.0.1:{settings.port}/"}
    finally:
        app.close()


def test_answers_stream_into_the_chat_piece_by_piece(browser, streaming_app):
    from playwright.sync_api import expect

    from reportqa.ui.labels import t

    page = open_page(browser, streaming_app, locale="zh-CN", viewport=DESKTOP)
    expect(page.locator("#backend-badge")).to_contain_text("本地模型")
    # Record every text the streaming bubble shows, as the page renders it.
    page.evaluate("""() => {
      window.__streamed = [];
      new MutationObserver(() => {
        const bubble = document.querySelector('#conversation .bubble.streaming');
        const text = bubble && bubble.innerText.trim();
        if (text && window.__streamed.at(-1) !== text) window.__streamed.push(text);
      }).observe(document.querySelector('#conversation'), {subtree: true, childList: true, characterData: true});
    }""")
    page.locator("#question textarea").fill("时代北汽的总投资是多少？")
    page.locator("#question textarea").press("Enter")
    expect(page.locator("#conversation .bubble.streaming")).to_contain_text("总投资为")
    shoot(page, "desktop-0-streaming-zh")
    page.locator("#language label", has_text="English").click()  # while the answer streams
    answer = page.locator("#conversation .msg.bot .answer")
    expect(answer).to_contain_text("用于建设电芯智能制造工厂", timeout=60_000)
    expect(page.locator("#conversation .bubble.streaming")).to_have_count(0)
    placeholders = {t("zh", "thinking"), t("en", "thinking")}
    streamed = [text for text in page.evaluate("window.__streamed") if text not in placeholders]
    assert len(streamed) >= 5, streamed
    assert all(later.startswith(earlier) for earlier, later in zip(streamed, streamed[1:])), streamed
    expect(page.locator("#conversation .meta")).to_have_text("Answered by: local LLM")  # the language now shown

    answer.locator("button.cite").first.click()
    expect(page.locator("#source-panel mark")).to_contain_text("总投资 10 亿元")
    expect(page.locator("#source-panel .section-path")).to_contain_text("动力电池深度绑定")
    page.close()

    # A long answer on a phone: it wraps inside the chat, nothing scrolls sideways.
    page = open_page(browser, streaming_app, locale="zh-CN", viewport=PHONE)
    ask(page, "时代北汽的投资、产能和产品分别是什么？")
    expect(page.locator("#conversation .msg.bot .answer")).to_contain_text("年产能规划达 20GWh")
    shoot(page, "phone-5-long-answer-zh")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"
    page.close()
